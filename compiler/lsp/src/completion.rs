//! Completion: interface functions after `NAME.`, stdlib modules after `use std::`,
//! names in scope, builtins and keywords.

use std::collections::BTreeMap;

use lsp_types::{CompletionItem, CompletionItemKind, Documentation, Position};
use nest_check::index::{Index, SymbolKind};

use crate::analysis::Analysis;
use crate::builtins::{BUILTINS, MEMBERS};
use crate::context;
use crate::scope::Scopes;

/// The completions at `pos`. `fallback` is the index of the last analysis that had
/// no syntax errors, for names the broken text no longer resolves.
pub(crate) fn complete(
    analysis: &Analysis,
    fallback: Option<&Index>,
    pos: Position,
) -> Vec<CompletionItem> {
    let offset = analysis.offset(pos);
    let text = &analysis.text;
    let line = context::line_before(text, offset);
    if let Some(rest) = line.trim_start().strip_prefix("use std::") {
        if rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return nest_check::stdlib::MODULES
                .iter()
                .map(|(path, _)| {
                    item(
                        path,
                        CompletionItemKind::MODULE,
                        format!("std::{path}"),
                        None,
                    )
                })
                .collect();
        }
    }
    if let Some(receiver) = context::receiver(text, offset) {
        return members(receiver, &analysis.out.index, fallback);
    }
    let mut items = in_scope(analysis, offset as u32);
    for b in BUILTINS {
        let kind = if b.is_function {
            CompletionItemKind::FUNCTION
        } else {
            CompletionItemKind::VARIABLE
        };
        let detail = if b.is_function {
            format!("{}({})", b.name, b.params.join(", "))
        } else {
            b.name.to_string()
        };
        items.push(item(b.name, kind, detail, Some(b.doc.to_string())));
    }
    for kw in nest_syntax::keywords() {
        items.push(item(kw, CompletionItemKind::KEYWORD, kw.to_string(), None));
    }
    items
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: String,
    doc: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        documentation: doc.filter(|d| !d.is_empty()).map(Documentation::String),
        ..CompletionItem::default()
    }
}

/// The functions of `receiver`'s interface, or a builtin's members.
fn members(receiver: &str, index: &Index, fallback: Option<&Index>) -> Vec<CompletionItem> {
    let builtin: Vec<CompletionItem> = MEMBERS
        .iter()
        .filter(|(r, _, _)| *r == receiver)
        .map(|(_, m, doc)| {
            item(
                m,
                CompletionItemKind::FIELD,
                format!("{receiver}.{m}"),
                Some(doc.to_string()),
            )
        })
        .collect();
    if !builtin.is_empty() {
        return builtin;
    }
    let interface_of = |idx: &Index| -> Option<String> {
        if idx.interface(receiver).is_some() {
            return Some(receiver.to_string());
        }
        idx.refs
            .iter()
            .find(|r| r.name == receiver && r.interface.is_some())
            .and_then(|r| r.interface.clone())
    };
    let found = interface_of(index)
        .and_then(|name| index.interface(&name).cloned())
        .or_else(|| {
            fallback.and_then(|f| interface_of(f).and_then(|name| f.interface(&name).cloned()))
        });
    let Some(info) = found else { return Vec::new() };
    info.functions
        .iter()
        .map(|f| {
            item(
                &f.name,
                CompletionItemKind::METHOD,
                f.declaration.clone(),
                Some(f.docs.join("\n")),
            )
        })
        .collect()
}

/// Names the document defines or imports: tokens, interfaces, consts, params and
/// functions anywhere (items may be used before they are defined), and locals
/// defined before the cursor in a block that holds it.
fn in_scope(analysis: &Analysis, offset: u32) -> Vec<CompletionItem> {
    let scopes = Scopes::of(analysis.file, &analysis.text);
    let mut seen: BTreeMap<String, CompletionItem> = BTreeMap::new();
    for r in analysis
        .out
        .index
        .refs
        .iter()
        .filter(|r| r.span.file == analysis.file)
    {
        let kind = match r.kind {
            SymbolKind::Token => CompletionItemKind::CONSTANT,
            SymbolKind::Interface => CompletionItemKind::INTERFACE,
            SymbolKind::Function => CompletionItemKind::FUNCTION,
            SymbolKind::Const => CompletionItemKind::CONSTANT,
            SymbolKind::Param => CompletionItemKind::VARIABLE,
            SymbolKind::Local if r.is_def && scopes.visible(r.span, offset) => {
                CompletionItemKind::VARIABLE
            }
            SymbolKind::Local | SymbolKind::Builtin => continue,
        };
        if r.kind == SymbolKind::Function && r.detail.contains('.') {
            continue;
        }
        seen.entry(r.name.clone())
            .or_insert_with(|| item(&r.name, kind, r.detail.clone(), Some(r.docs.join("\n"))));
    }
    seen.into_values().collect()
}
