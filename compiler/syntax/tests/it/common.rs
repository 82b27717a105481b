//! Helpers shared by the syntax tests.
#![allow(dead_code)]

use nest_diagnostics::{render_plain, Diagnostic, SourceMap};
use nest_syntax::ast::SourceFile;

/// Parses `text` as `name` and returns the tree, the diagnostics and the map to render them.
pub(crate) fn parse_named(name: &str, text: &str) -> (SourceFile, Vec<Diagnostic>, SourceMap) {
    let mut map = SourceMap::new();
    let file = map.add(name, text);
    let (tree, diags) = nest_syntax::parse(file, text);
    (tree, diags, map)
}

/// Parses and asserts there is no diagnostic, showing them rendered if there are.
pub(crate) fn parse_clean(name: &str, text: &str) -> SourceFile {
    let (tree, diags, map) = parse_named(name, text);
    assert!(
        diags.is_empty(),
        "unexpected diagnostics in {name}:\n{}",
        render_plain(&diags, &map)
    );
    tree
}

/// The ```ns code blocks of a Markdown text (`ns` and `ns,…` info strings).
pub(crate) fn ns_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        match &mut current {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    if info == "ns" || info.starts_with("ns,") {
                        current = Some(String::new());
                    }
                }
            }
            Some(block) => {
                if trimmed.starts_with("```") {
                    blocks.push(std::mem::take(block));
                    current = None;
                } else {
                    block.push_str(line);
                    block.push('\n');
                }
            }
        }
    }
    blocks
}

/// The design document's copy kept with the tests.
pub(crate) const LANGUAGE_MD: &str = include_str!("../fixtures/language.md");
