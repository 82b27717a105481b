//! Where statements and items begin, from the syntax tree.
//!
//! A line inside a block that does not begin one of these continues the statement
//! above it (`let x = a` / `+ b`) and is indented one more level.

use std::collections::BTreeSet;

use nest_syntax::ast::{Block, InterfaceBody, Item, ItemKind, SourceFile, Stmt, StmtKind};

/// Byte offsets at which an item, an attribute, an interface function or error, or a
/// statement begins.
pub(crate) fn statement_starts(file: &SourceFile) -> BTreeSet<usize> {
    let mut starts = BTreeSet::new();
    for item in &file.items {
        item_starts(item, &mut starts);
    }
    starts
}

fn item_starts(item: &Item, starts: &mut BTreeSet<usize>) {
    starts.insert(item.span.start as usize);
    starts.extend(item.attrs.iter().map(|a| a.span.start as usize));
    match &item.kind {
        ItemKind::Interface(i) => {
            if let InterfaceBody::Functions(sigs) = &i.body {
                for sig in sigs {
                    starts.insert(sig.span.start as usize);
                    starts.extend(sig.attrs.iter().map(|a| a.span.start as usize));
                }
            }
            starts.extend(i.errors.iter().map(|e| e.span.start as usize));
        }
        ItemKind::Fn(f) => block_starts(&f.body, starts),
        ItemKind::Stmt(s) => stmt_starts(s, starts),
        ItemKind::Use(_) | ItemKind::Token(_) | ItemKind::Const(_) | ItemKind::Param(_) => {}
    }
}

fn block_starts(block: &Block, starts: &mut BTreeSet<usize>) {
    for stmt in &block.stmts {
        stmt_starts(stmt, starts);
    }
}

fn stmt_starts(stmt: &Stmt, starts: &mut BTreeSet<usize>) {
    starts.insert(stmt.span.start as usize);
    match &stmt.kind {
        StmtKind::If { then, els, .. } => {
            block_starts(then, starts);
            if let Some(els) = els {
                block_starts(els, starts);
            }
        }
        StmtKind::For { body, .. } | StmtKind::With { body, .. } => block_starts(body, starts),
        StmtKind::Let { .. }
        | StmtKind::Assign { .. }
        | StmtKind::Return(_)
        | StmtKind::Expr(_)
        | StmtKind::Error => {}
    }
}
