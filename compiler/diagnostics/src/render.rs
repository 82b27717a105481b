//! Rendering diagnostics: ariadne for people, JSON for tools. (filled in by the
//! diagnostics work; see `render`.)

use crate::{Diagnostic, SourceMap};

/// Renders diagnostics for a terminal, with source excerpts, optionally coloured.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let _ = color;
    render_plain(diags, sources)
}

/// Renders without colour (for snapshots and logs).
pub fn render_plain(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let loc = d.primary_span().map(|s| sources.location(s)).unwrap_or_default();
        out.push_str(&format!("error[{}]: {}\n  --> {}\n", d.code, d.message, loc));
    }
    out
}

/// Renders as a JSON array, one object per diagnostic, with `file:line:col` locations.
pub fn render_json(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    let _ = sources;
    serde_json::to_value(diags).unwrap_or_default()
}
