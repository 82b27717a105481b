//! The standard library's sources, built into the compiler so that compiling never
//! depends on where the compiler is installed (and stays deterministic).
//!
//! Interface modules (`erc20`, `uniswap_v3`, `aave_v3`, …) declare the protocols'
//! functions, with `#[grants]` on every function that grants a permission; chain modules
//! (`ethereum`, `arbitrum`, `base`, `optimism`, `polygon`) are address books of tokens and
//! contract instances, where one name means the same thing on every chain.

use nest_diagnostics::FileId;

/// `(module path, source)` for every stdlib module, e.g. `("erc20", …)` for `std::erc20`.
pub const MODULES: &[(&str, &str)] = &[
    ("erc20", include_str!("../../../stdlib/std/erc20.ns")),
    ("erc721", include_str!("../../../stdlib/std/erc721.ns")),
    ("erc1155", include_str!("../../../stdlib/std/erc1155.ns")),
    ("erc4626", include_str!("../../../stdlib/std/erc4626.ns")),
    ("weth", include_str!("../../../stdlib/std/weth.ns")),
    ("permit2", include_str!("../../../stdlib/std/permit2.ns")),
    (
        "uniswap_v2",
        include_str!("../../../stdlib/std/uniswap_v2.ns"),
    ),
    (
        "uniswap_v3",
        include_str!("../../../stdlib/std/uniswap_v3.ns"),
    ),
    ("aave_v3", include_str!("../../../stdlib/std/aave_v3.ns")),
    ("curve", include_str!("../../../stdlib/std/curve.ns")),
    ("lido", include_str!("../../../stdlib/std/lido.ns")),
    (
        "compound_v3",
        include_str!("../../../stdlib/std/compound_v3.ns"),
    ),
    (
        "morpho_blue",
        include_str!("../../../stdlib/std/morpho_blue.ns"),
    ),
    (
        "chainlink",
        include_str!("../../../stdlib/std/chainlink.ns"),
    ),
    ("ethereum", include_str!("../../../stdlib/std/ethereum.ns")),
    ("arbitrum", include_str!("../../../stdlib/std/arbitrum.ns")),
    ("base", include_str!("../../../stdlib/std/base.ns")),
    ("optimism", include_str!("../../../stdlib/std/optimism.ns")),
    ("polygon", include_str!("../../../stdlib/std/polygon.ns")),
];

/// The file id of `std::<path>` when it is loaded with its built-in text: the same in
/// every compilation (one per module, from [`FileId::FIXED`] upward in the order of
/// [`MODULES`]), so its parse and resolution can be shared (`parse_cache.rs`).
pub fn file_id(path: &str) -> Option<FileId> {
    let at = MODULES.iter().position(|(p, _)| *p == path)?;
    Some(FileId(FileId::FIXED + at as u32))
}

/// The source of `std::<path>` (segments joined with `::`), if it exists.
pub fn module(path: &str) -> Option<&'static str> {
    MODULES.iter().find(|(p, _)| *p == path).map(|(_, s)| *s)
}
