//! Document symbols: the file's items (imports, tokens, interfaces and their
//! functions and errors, consts, params, functions), from the syntax tree alone.

use lsp_types::{DocumentSymbol, SymbolKind};
use nest_diagnostics::{FileId, Span};
use nest_syntax::ast::{InterfaceBody, ItemKind, ModulePath};

use crate::text::LineIndex;

/// The outline of `text`.
pub(crate) fn document_symbols(text: &str) -> Vec<DocumentSymbol> {
    let (tree, _) = nest_syntax::parse(FileId(0), text);
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    for item in &tree.items {
        let (name, kind, detail, children) = match &item.kind {
            ItemKind::Use(u) => {
                let from = match &u.module {
                    ModulePath::Std { segments, .. } => {
                        let segs: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
                        format!("std::{}", segs.join("::"))
                    }
                    ModulePath::File(path) => format!("{:?}", path.value),
                };
                (format!("use {from}"), SymbolKind::MODULE, None, Vec::new())
            }
            ItemKind::Token(t) => (
                t.name.name.clone(),
                SymbolKind::CONSTANT,
                Some("token".to_string()),
                Vec::new(),
            ),
            ItemKind::Interface(i) => {
                let mut children: Vec<DocumentSymbol> = match &i.body {
                    InterfaceBody::Functions(sigs) => sigs
                        .iter()
                        .map(|s| {
                            symbol(
                                &lines,
                                &s.name.name,
                                SymbolKind::METHOD,
                                None,
                                s.span,
                                s.name.span,
                                Vec::new(),
                            )
                        })
                        .collect(),
                    InterfaceBody::Abi(_) => Vec::new(),
                };
                // Declared errors, after the functions.
                children.extend(i.errors.iter().map(|e| {
                    symbol(
                        &lines,
                        &e.name.name,
                        SymbolKind::EVENT,
                        Some("error".to_string()),
                        e.span,
                        e.name.span,
                        Vec::new(),
                    )
                }));
                (
                    i.name.name.clone(),
                    SymbolKind::INTERFACE,
                    Some("interface".to_string()),
                    children,
                )
            }
            ItemKind::Const(c) => (
                c.name.name.clone(),
                SymbolKind::CONSTANT,
                Some("const".to_string()),
                Vec::new(),
            ),
            ItemKind::Param(p) => (
                p.name.name.clone(),
                SymbolKind::VARIABLE,
                Some("param".to_string()),
                Vec::new(),
            ),
            ItemKind::Fn(f) => (
                f.name.name.clone(),
                SymbolKind::FUNCTION,
                Some("fn".to_string()),
                Vec::new(),
            ),
            ItemKind::Stmt(_) => continue,
        };
        out.push(symbol(
            &lines, &name, kind, detail, item.span, item.span, children,
        ));
    }
    out
}

#[allow(deprecated)] // `deprecated` is a required field of the type, itself deprecated.
fn symbol(
    lines: &LineIndex<'_>,
    name: &str,
    kind: SymbolKind,
    detail: Option<String>,
    whole: Span,
    name_span: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: name.to_string(),
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: lines.range(whole.start as usize, whole.end as usize),
        selection_range: lines.range(name_span.start as usize, name_span.end as usize),
        children: (!children.is_empty()).then_some(children),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_errors_are_children_of_their_interface() {
        let text = "interface IVault {\n    function take(uint256 amount) external;\n    error Overdrawn(uint256 left);\n}\n";
        let symbols = document_symbols(text);
        let children = symbols[0].children.as_deref().unwrap_or_default();
        let names: Vec<(&str, SymbolKind)> =
            children.iter().map(|c| (c.name.as_str(), c.kind)).collect();
        assert_eq!(
            names,
            [
                ("take", SymbolKind::METHOD),
                ("Overdrawn", SymbolKind::EVENT)
            ]
        );
    }
}
