//! The semantic index answers what an editor asks: what is this name, where is it
//! defined, what does an interface offer.

use nest_check::index::SymbolKind;
use nest_check::{check, CheckInput, MemoryResolver};

const SWAP: &str = include_str!("../../../../examples/swap.ns");

fn offset_of(text: &str, needle: &str, nth: usize) -> u32 {
    text.match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i as u32)
        .expect("needle")
}

#[test]
fn hover_and_definition() {
    let r = MemoryResolver::new();
    let out = check(&CheckInput {
        name: "swap.ns",
        text: SWAP,
        resolver: &r,
        params: &[],
        require_params: false,
        index: true,
    });
    assert!(out.program.is_some());
    let entry = nest_diagnostics::FileId(0);
    // The unit in `1_000 USDC` is the token, defined in the stdlib.
    let usdc = out
        .index
        .at(entry, offset_of(SWAP, "USDC", 2) + 1)
        .expect("USDC ref");
    assert_eq!(usdc.kind, SymbolKind::Token);
    assert!(usdc.detail.contains("decimals 6"), "{}", usdc.detail);
    let def = usdc.def.expect("defined");
    assert_eq!(out.sources.get(def.file).name, "std::ethereum");
    assert!(!usdc.docs.is_empty());
    // The router is a contract instance of IUniswapV2Router.
    let router = out
        .index
        .at(entry, offset_of(SWAP, "UNISWAP_V2_ROUTER", 1) + 2)
        .expect("router ref");
    assert_eq!(router.kind, SymbolKind::Const);
    assert_eq!(router.interface.as_deref(), Some("IUniswapV2Router"));
    let iface = out.index.interface("IUniswapV2Router").expect("interface");
    assert!(iface.functions.iter().any(|f| f.name == "getAmountsOut"));
    // A function call resolves to its declaration.
    let f = out
        .index
        .at(entry, offset_of(SWAP, "swapExactTokensForTokens", 0) + 3)
        .expect("fn ref");
    assert_eq!(f.kind, SymbolKind::Function);
    assert!(
        f.detail.contains("returns (uint256[] amounts)"),
        "{}",
        f.detail
    );
    // A local's use points at its `let`.
    let out_use = out
        .index
        .at(entry, offset_of(SWAP, "out >=", 0))
        .expect("local");
    assert_eq!(out_use.kind, SymbolKind::Local);
    assert!(out_use.detail.contains("WETH"), "{}", out_use.detail);
    // A param shows its value.
    let p = out
        .index
        .at(entry, offset_of(SWAP, "    amount,", 0) + 5)
        .expect("param");
    assert_eq!(p.kind, SymbolKind::Param);
    assert!(p.detail.contains("1000 USDC"), "{}", p.detail);
}
