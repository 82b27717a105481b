//! Statements and blocks, as `crate::parser::stmt` parses them.

use super::cursor::Cursor;
use super::expr::{expr, starts_expr};
use super::types::type_expr;
use crate::ast::{AssignOp, Block, Expr, ExprKind, ForIter, Stmt, StmtKind};
use crate::token::{Kw, Punct, Tok};

/// `{ stmts }`, each statement optionally after `///` lines (dropped).
pub(super) fn block(p: &mut Cursor<'_>) -> Option<Block> {
    p.enter()?;
    let start = p.pos();
    p.expect_punct(Punct::LBrace)?;
    let mut stmts = Vec::new();
    while !p.at_punct(Punct::RBrace) {
        p.outer_docs();
        stmts.push(stmt(p)?);
    }
    p.bump();
    p.leave();
    Some(Block {
        stmts,
        span: p.span_from(start),
    })
}

/// One statement, with the `;`s or line break that end it.
pub(super) fn stmt(p: &mut Cursor<'_>) -> Option<Stmt> {
    let start = p.pos();
    let kind = match p.peek()? {
        Tok::Kw(Kw::Let) => let_stmt(p)?,
        Tok::Kw(Kw::Return) => return_stmt(p)?,
        Tok::Kw(Kw::If) => {
            let kind = if_stmt(p)?;
            p.opt_semis();
            kind
        }
        Tok::Kw(Kw::For) => {
            let kind = for_stmt(p)?;
            p.opt_semis();
            kind
        }
        Tok::Kw(Kw::With) => {
            p.bump();
            let grant = expr(p)?;
            let body = block(p)?;
            p.opt_semis();
            StmtKind::With { grant, body }
        }
        _ => expr_or_assign(p)?,
    };
    Some(Stmt {
        kind,
        span: p.span_from(start),
    })
}

/// `let [mut] name [: T] = value`.
fn let_stmt(p: &mut Cursor<'_>) -> Option<StmtKind> {
    p.bump();
    let mutable = p.eat_kw(Kw::Mut);
    let name = p.ident()?;
    let ty = if p.eat_punct(Punct::Colon) {
        Some(type_expr(p)?)
    } else {
        None
    };
    p.expect_punct(Punct::Assign)?;
    let value = expr(p)?;
    p.stmt_end()?;
    Some(StmtKind::Let {
        mutable,
        name,
        ty,
        value,
    })
}

/// `return [e1, e2]`: values only from its own line.
fn return_stmt(p: &mut Cursor<'_>) -> Option<StmtKind> {
    p.bump();
    let mut values = Vec::new();
    let value_follows = p.token().is_some_and(|t| {
        !t.line_start && t.kind != Tok::Punct(Punct::RBrace) && t.kind != Tok::Punct(Punct::Semi)
    });
    if value_follows {
        values.push(expr(p)?);
        while p.eat_punct(Punct::Comma) {
            values.push(expr(p)?);
        }
    }
    p.stmt_end()?;
    Some(StmtKind::Return(values))
}

/// `if cond { … } [else { … } | else if …]`, without the `;`s after it.
fn if_stmt(p: &mut Cursor<'_>) -> Option<StmtKind> {
    p.enter()?;
    p.bump();
    let cond = expr(p)?;
    let then = block(p)?;
    let els = if p.eat_kw(Kw::Else) {
        if p.at_kw(Kw::If) {
            let start = p.pos();
            let kind = if_stmt(p)?;
            let span = p.span_from(start);
            Some(Block {
                stmts: vec![Stmt { kind, span }],
                span,
            })
        } else {
            Some(block(p)?)
        }
    } else {
        None
    };
    p.leave();
    Some(StmtKind::If { cond, then, els })
}

/// `for var in start..end { … }` or `for var in array { … }`.
fn for_stmt(p: &mut Cursor<'_>) -> Option<StmtKind> {
    p.bump();
    let var = p.ident()?;
    p.expect_kw(Kw::In)?;
    let start = expr(p)?;
    let iter = if p.eat_punct(Punct::DotDot) {
        let end = expr(p)?;
        ForIter::Range { start, end }
    } else {
        ForIter::Array(start)
    };
    let body = block(p)?;
    Some(StmtKind::For { var, iter, body })
}

/// An expression statement or an assignment to a place.
fn expr_or_assign(p: &mut Cursor<'_>) -> Option<StmtKind> {
    if !starts_expr(p.peek()) {
        return None;
    }
    let target = expr(p)?;
    let op = match p.peek() {
        Some(Tok::Punct(Punct::Assign)) => Some(AssignOp::Set),
        Some(Tok::Punct(Punct::PlusEq)) => Some(AssignOp::Add),
        Some(Tok::Punct(Punct::MinusEq)) => Some(AssignOp::Sub),
        Some(Tok::Punct(Punct::StarEq)) => Some(AssignOp::Mul),
        _ => None,
    };
    let kind = match op {
        None => StmtKind::Expr(target),
        Some(op) => {
            p.bump();
            let value = expr(p)?;
            if !is_place(&target) {
                return None;
            }
            StmtKind::Assign { target, op, value }
        }
    };
    p.stmt_end()?;
    Some(kind)
}

/// True for expressions that can be assigned to (the fast path never builds
/// error nodes, so unlike the chumsky parser's check there is no `Error` case).
fn is_place(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(_) => true,
        ExprKind::Field { base, .. }
        | ExprKind::TupleField { base, .. }
        | ExprKind::Index { base, .. } => is_place(base),
        _ => false,
    }
}
