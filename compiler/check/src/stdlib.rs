//! The standard library's sources, built into the compiler so that compiling never
//! depends on where the compiler is installed (and stays deterministic).

/// `(module path, source)` for every stdlib module, e.g. `("erc20", …)` for `std::erc20`.
pub const MODULES: &[(&str, &str)] = &[
    ("erc20", include_str!("../../../stdlib/std/erc20.ns")),
    ("uniswap_v2", include_str!("../../../stdlib/std/uniswap_v2.ns")),
    ("ethereum", include_str!("../../../stdlib/std/ethereum.ns")),
];

/// The source of `std::<path>` (segments joined with `::`), if it exists.
pub fn module(path: &str) -> Option<&'static str> {
    MODULES.iter().find(|(p, _)| *p == path).map(|(_, s)| *s)
}
