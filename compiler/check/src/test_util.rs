//! What the checker's unit tests share.

use crate::{check, CheckInput, MemoryResolver};

/// The codes of the diagnostics `text` gets, as a script on its own.
pub(crate) fn codes(text: &str) -> Vec<&'static str> {
    let resolver = MemoryResolver::new();
    check(&CheckInput {
        name: "main.ns",
        text,
        resolver: &resolver,
        params: &[],
        require_params: true,
        index: false,
    })
    .diagnostics
    .iter()
    .map(|d| d.code)
    .collect()
}
