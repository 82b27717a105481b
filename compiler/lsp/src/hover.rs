//! Hover: what a name is — its type or value, token address and decimals, a
//! function's signature — and its doc comment, from the semantic index.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};
use nest_check::index::{Index, SymbolKind, SymbolRef};

use crate::analysis::Analysis;

/// The hover for the name at `pos`, if there is one.
pub(crate) fn hover(analysis: &Analysis, pos: Position) -> Option<Hover> {
    let offset = analysis.offset(pos) as u32;
    let r = analysis.out.index.at(analysis.file, offset)?;
    let mut text = format!("```nest\n{}\n```", r.detail);
    if r.kind == SymbolKind::Interface {
        if let Some(info) = analysis.out.index.interface(&r.name) {
            let sigs: Vec<String> = info
                .functions
                .iter()
                .map(|f| format!("function {};", f.declaration))
                .collect();
            text.push_str(&format!(
                "\n```nest\ninterface {} {{\n    {}\n}}\n```",
                info.name,
                sigs.join("\n    ")
            ));
        }
    }
    if let Some(token) = amount_token(&analysis.out.index, r.kind, &r.detail) {
        text.push_str(&format!(
            "\n\nAn amount of `{}`: {}.",
            token.name, token.detail
        ));
    }
    if let Some(iface) = &r.interface {
        text.push_str(&format!("\n\nAn instance of `{iface}`."));
    }
    if !r.docs.is_empty() {
        text.push_str("\n\n---\n\n");
        text.push_str(&r.docs.join("\n"));
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(analysis.range(r.span)),
    })
}

/// For a const, param or local whose type is a token amount (`param a: USDC = …`),
/// the token's definition, whose detail carries its address and decimals.
fn amount_token<'a>(index: &'a Index, kind: SymbolKind, detail: &str) -> Option<&'a SymbolRef> {
    if !matches!(
        kind,
        SymbolKind::Const | SymbolKind::Param | SymbolKind::Local
    ) {
        return None;
    }
    let (_, after) = detail.split_once(": ")?;
    let ty = after.split(" =").next()?.trim();
    index
        .refs
        .iter()
        .find(|t| t.kind == SymbolKind::Token && t.name == ty)
}
