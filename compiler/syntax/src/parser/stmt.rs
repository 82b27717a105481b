//! Statements and blocks. A statement that ends with an expression ends at a line
//! break, a `;` or a `}`; one that ends with a block needs nothing after it.

use chumsky::prelude::*;
use chumsky::recursive::Indirect;

use super::common::*;
use super::types::type_expr;
use crate::ast::{AssignOp, Block, Expr, ExprKind, ForIter, Stmt, StmtKind};
use crate::token::{Kw, Punct, Tok, Token};

/// A parser for statements, recursive through blocks.
pub(crate) type StmtParser<'a, E> = Recursive<Indirect<'a, 'a, In<'a>, Stmt, Ex<E>>>;

/// The statement parser and the block parser built on it.
pub(crate) fn stmt_and_block<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> (StmtParser<'a, E>, Boxed<'a, 'a, In<'a>, Block, Ex<E>>) {
    let mut stmt: StmtParser<'a, E> = Recursive::declare();
    let in_block = outer_docs()
        .ignore_then(stmt.clone())
        .recover_with(via_parser(let_recovery()))
        .recover_with(via_parser(skip_line().map(error_stmt)))
        .recover_with(via_parser(
            skip_stray_closer(Some(Punct::RBrace)).map(error_stmt),
        ));
    let block = in_block
        .repeated()
        .collect::<Vec<_>>()
        .delimited_by(punct(Punct::LBrace), close(Punct::RBrace))
        .map_with(|stmts, e| Block {
            stmts,
            span: span(e.span()),
        })
        .labelled("a block")
        .boxed();
    stmt.define(statement(expr, block.clone()));
    (stmt, block)
}

/// Recovery for a `let` whose value (or what follows it) does not parse: the name is
/// still bound, to an error value, so that its uses later do not each report it unknown.
pub(crate) fn let_recovery<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, Stmt, Ex<E>> + Clone {
    kw(Kw::Let)
        .ignore_then(kw(Kw::Mut).or_not().map(|m| m.is_some()))
        .then(ident())
        .then(skip_line().or_not().map_with(|_, e| span(e.span())))
        .map_with(|((mutable, name), rest), e| Stmt {
            kind: StmtKind::Let {
                mutable,
                name,
                ty: None,
                value: Expr {
                    kind: ExprKind::Error,
                    span: rest,
                },
            },
            span: span(e.span()),
        })
}

fn error_stmt(sp: crate::token::Sp) -> Stmt {
    Stmt {
        kind: StmtKind::Error,
        span: span(sp),
    }
}

/// One statement, without recovery (callers decide how to skip).
fn statement<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
    block: Boxed<'a, 'a, In<'a>, Block, Ex<E>>,
) -> impl Parser<'a, In<'a>, Stmt, Ex<E>> + Clone {
    let let_ = kw(Kw::Let)
        .ignore_then(kw(Kw::Mut).or_not().map(|m| m.is_some()))
        .then(ident())
        .then(punct(Punct::Colon).ignore_then(type_expr()).or_not())
        .then_ignore(punct(Punct::Assign))
        .then(expr.clone())
        .map(|(((mutable, name), ty), value)| StmtKind::Let {
            mutable,
            name,
            ty,
            value,
        })
        .then_ignore(stmt_end());

    let if_ = recursive(|if_| {
        kw(Kw::If)
            .ignore_then(expr.clone())
            .then(block.clone())
            .then(
                kw(Kw::Else)
                    .ignore_then(choice((
                        block.clone(),
                        if_.map_with(|kind, e| {
                            let span = span(e.span());
                            Block {
                                stmts: vec![Stmt { kind, span }],
                                span,
                            }
                        }),
                    )))
                    .or_not(),
            )
            .map(|((cond, then), els)| StmtKind::If { cond, then, els })
            .boxed()
    });

    let range_end = punct(Punct::DotDot).ignore_then(expr.clone());
    let for_ = kw(Kw::For)
        .ignore_then(ident())
        .then_ignore(kw(Kw::In))
        .then(expr.clone())
        .then(range_end.or_not())
        .map(|(var_iter, end)| {
            let (var, start) = var_iter;
            let iter = match end {
                Some(end) => ForIter::Range { start, end },
                None => ForIter::Array(start),
            };
            (var, iter)
        })
        .then(block.clone())
        .map(|((var, iter), body)| StmtKind::For { var, iter, body });

    let with = kw(Kw::With)
        .ignore_then(expr.clone())
        .then(block)
        .map(|(grant, body)| StmtKind::With { grant, body });

    // `return` takes values only from its own line.
    let value_follows = any_ref()
        .filter(|t: &&Token| {
            !t.line_start
                && t.kind != Tok::Punct(Punct::RBrace)
                && t.kind != Tok::Punct(Punct::Semi)
        })
        .rewind();
    let return_ = kw(Kw::Return)
        .ignore_then(
            value_follows
                .ignore_then(
                    expr.clone()
                        .separated_by(punct(Punct::Comma))
                        .at_least(1)
                        .collect::<Vec<_>>(),
                )
                .or_not(),
        )
        .map(|values| StmtKind::Return(values.unwrap_or_default()))
        .then_ignore(stmt_end());

    let reserved = select_ref! { Token { kind: Tok::Reserved(word), .. } = e => (*word, e.span()) }
        .then_ignore(skip_rest_of_line())
        .validate(|(word, sp), _e, emitter| {
            emit(emitter, sp, diag::reserved_keyword(span(sp), word));
            StmtKind::Error
        });

    let assign_op = choice((
        punct(Punct::Assign).to(AssignOp::Set),
        punct(Punct::PlusEq).to(AssignOp::Add),
        punct(Punct::MinusEq).to(AssignOp::Sub),
        punct(Punct::StarEq).to(AssignOp::Mul),
    ));
    let expr_or_assign = expr
        .clone()
        .then(assign_op.then(expr).or_not())
        .validate(|(target, assign), _e, emitter| match assign {
            None => StmtKind::Expr(target),
            Some((op, value)) => {
                if !is_place(&target) {
                    let sp = target.span;
                    let at = chumsky::span::SimpleSpan {
                        start: sp.start as usize,
                        end: sp.end as usize,
                        context: sp.file,
                    };
                    emit(emitter, at, diag::invalid_assign_target(sp));
                }
                StmtKind::Assign { target, op, value }
            }
        })
        .then_ignore(stmt_end());

    let block_ended = choice((if_, for_, with)).then_ignore(opt_semis());
    choice((let_, return_, reserved, block_ended, expr_or_assign))
        .map_with(|kind, e| Stmt {
            kind,
            span: span(e.span()),
        })
        .labelled("a statement")
}

/// The token trees after a reserved word on its line (`while c { … }` is skipped whole).
fn skip_rest_of_line<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, (), Ex<E>> + Clone {
    any_ref()
        .filter(|t: &&Token| !t.line_start)
        .rewind()
        .ignore_then(token_tree())
        .repeated()
}

/// True for expressions that can be assigned to.
fn is_place(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Ident(_) | ExprKind::Error => true,
        ExprKind::Field { base, .. }
        | ExprKind::TupleField { base, .. }
        | ExprKind::Index { base, .. } => is_place(base),
        _ => false,
    }
}
