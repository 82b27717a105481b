//! Every Nest code block of the language design parses without a diagnostic, and
//! the first script's tree is the one the text says.

use crate::common::{ns_blocks, parse_clean, LANGUAGE_MD};

#[test]
fn every_ns_block_parses_cleanly() {
    let blocks = ns_blocks(LANGUAGE_MD);
    assert!(
        blocks.len() >= 3,
        "expected the design's code blocks, found {}",
        blocks.len()
    );
    for (i, block) in blocks.iter().enumerate() {
        parse_clean(&format!("language.md block {i}"), block);
    }
}

#[test]
fn first_script_tree() {
    let blocks = ns_blocks(LANGUAGE_MD);
    let tree = parse_clean("swap.ns", &blocks[0]);
    assert_eq!(
        tree.docs,
        vec!["Swap USDC for WETH on Uniswap V2, with a slippage guard.".to_string()]
    );
    insta::assert_snapshot!(nest_syntax::sexpr::to_sexpr(&tree));
}

#[test]
fn items_block_tree() {
    let blocks = ns_blocks(LANGUAGE_MD);
    let tree = parse_clean("items.ns", &blocks[1]);
    insta::assert_snapshot!(nest_syntax::sexpr::to_sexpr(&tree));
}

#[test]
fn stdlib_files_parse_cleanly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib/std");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ns"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        parse_clean(&path.display().to_string(), &text);
    }
}
