//! Expressions, as `crate::parser::expr` parses them: operands with their prefix
//! and postfix operators and casts, then the binary operators by precedence.

use super::cursor::Cursor;
use super::types::type_expr;
use crate::ast::{BinaryOp, Expr, ExprKind, Ident, UnaryOp};
use crate::precedence::Level;
use crate::token::{Kw, Punct, Tok};

/// A full expression.
pub(super) fn expr(p: &mut Cursor<'_>) -> Option<Expr> {
    operators(p, Level::Or)
}

/// Operands joined by binary operators at `loosest` or tighter, by precedence
/// climbing: `**` to the right, the other levels to the left. This builds the tree
/// the chumsky parser's climb over the same operands builds; a chain of
/// comparisons, an error there, gives up.
fn operators(p: &mut Cursor<'_>, loosest: Level) -> Option<Expr> {
    p.enter()?;
    let mut lhs = cast(p)?;
    let mut compared = false;
    while let Some(op) = binary_op_at(p) {
        let level = Level::of(op);
        if level > loosest {
            break;
        }
        if level == Level::Comparison {
            if compared {
                return None;
            }
            compared = true;
        }
        p.bump();
        // The right operand takes the operators that bind tighter than `op`, and
        // for `**`, which groups to the right, `**` too.
        let rhs = match level.tighter_than() {
            Some(tighter) => operators(p, tighter)?,
            None => cast(p)?,
        };
        let rhs = if level == Level::Power {
            power_chain(p, rhs)?
        } else {
            rhs
        };
        lhs = binary(op, lhs, rhs);
    }
    p.leave();
    Some(lhs)
}

/// `b ** c ** …` after `a **`: the right operand of a right-grouping chain.
fn power_chain(p: &mut Cursor<'_>, first: Expr) -> Option<Expr> {
    if binary_op_at(p) != Some(BinaryOp::Pow) {
        return Some(first);
    }
    p.enter()?;
    p.bump();
    let rhs = cast(p)?;
    let rhs = power_chain(p, rhs)?;
    p.leave();
    Some(binary(BinaryOp::Pow, first, rhs))
}

/// True when `tok` can begin an expression.
pub(super) fn starts_expr(tok: Option<&Tok>) -> bool {
    matches!(
        tok,
        Some(
            Tok::Number(_)
                | Tok::Str(_)
                | Tok::HexStr(_)
                | Tok::Ident(_)
                | Tok::Kw(Kw::True | Kw::False | Kw::SelfKw)
                | Tok::Punct(
                    Punct::LBracket | Punct::LParen | Punct::Bang | Punct::Tilde | Punct::Minus
                )
        )
    )
}

/// A unary expression followed by `as T` casts.
fn cast(p: &mut Cursor<'_>) -> Option<Expr> {
    let mut expr = unary(p)?;
    while p.eat_kw(Kw::As) {
        let ty = type_expr(p)?;
        let span = expr.span.to(ty.span);
        expr = Expr {
            kind: ExprKind::Cast {
                expr: Box::new(expr),
                ty,
            },
            span,
        };
    }
    Some(expr)
}

/// Prefix operators, then an operand with its postfix operators.
fn unary(p: &mut Cursor<'_>) -> Option<Expr> {
    let mut ops = Vec::new();
    loop {
        let op = match p.peek() {
            Some(Tok::Punct(Punct::Bang)) => UnaryOp::Not,
            Some(Tok::Punct(Punct::Tilde)) => UnaryOp::BitNot,
            Some(Tok::Punct(Punct::Minus)) => UnaryOp::Neg,
            _ => break,
        };
        ops.push((op, p.bump()));
        p.enter()?;
    }
    let mut expr = postfixed(p)?;
    for (op, op_span) in ops.into_iter().rev() {
        p.leave();
        let span = op_span.to(expr.span);
        expr = Expr {
            kind: ExprKind::Unary {
                op,
                expr: Box::new(expr),
            },
            span,
        };
    }
    Some(expr)
}

/// An operand followed by `.name`, `.0`, `(args)`, `{options}(args)`, `[index]`.
fn postfixed(p: &mut Cursor<'_>) -> Option<Expr> {
    let mut expr = atom(p)?;
    loop {
        let start = p.pos();
        let base_span = expr.span;
        let kind = match p.peek() {
            Some(Tok::Punct(Punct::Dot)) => {
                p.bump();
                if p.at_name_or_keyword() {
                    let field = p.name_or_keyword()?;
                    ExprKind::Field {
                        base: Box::new(expr),
                        field,
                    }
                } else if let Some(Tok::Number(raw)) = p.peek() {
                    let index = raw.parse::<u32>().ok()?;
                    let index_span = p.bump();
                    ExprKind::TupleField {
                        base: Box::new(expr),
                        index,
                        index_span,
                    }
                } else {
                    return None;
                }
            }
            Some(Tok::Punct(Punct::LParen)) if p.at_punct_same_line(Punct::LParen) => {
                ExprKind::Call {
                    callee: Box::new(expr),
                    options: Vec::new(),
                    args: call_args(p)?,
                }
            }
            // `{` starts call options only as `{name:` (else it is a block).
            Some(Tok::Punct(Punct::LBrace))
                if p.at_punct_same_line(Punct::LBrace)
                    && matches!(p.peek_at(1), Some(Tok::Ident(_)))
                    && matches!(p.peek_at(2), Some(Tok::Punct(Punct::Colon))) =>
            {
                let options = call_options(p)?;
                if !p.at_punct_same_line(Punct::LParen) {
                    return None;
                }
                ExprKind::Call {
                    callee: Box::new(expr),
                    options,
                    args: call_args(p)?,
                }
            }
            Some(Tok::Punct(Punct::LBracket)) if p.at_punct_same_line(Punct::LBracket) => {
                p.bump();
                let index = self::expr(p)?;
                p.expect_punct(Punct::RBracket)?;
                ExprKind::Index {
                    base: Box::new(expr),
                    index: Box::new(index),
                }
            }
            _ => return Some(expr),
        };
        expr = Expr {
            kind,
            span: base_span.to(p.span_from(start)),
        };
    }
}

/// `(a, b,)`: the next token is a `(` on the call's line.
fn call_args(p: &mut Cursor<'_>) -> Option<Vec<Expr>> {
    p.bump();
    let mut args = Vec::new();
    while !p.at_punct(Punct::RParen) {
        args.push(expr(p)?);
        if !p.eat_punct(Punct::Comma) {
            break;
        }
    }
    p.expect_punct(Punct::RParen)?;
    Some(args)
}

/// `{name: value, …}` before a call's arguments.
fn call_options(p: &mut Cursor<'_>) -> Option<Vec<(Ident, Expr)>> {
    p.bump();
    let mut options = Vec::new();
    loop {
        let name = p.ident()?;
        p.expect_punct(Punct::Colon)?;
        options.push((name, expr(p)?));
        if !p.eat_punct(Punct::Comma) || p.at_punct(Punct::RBrace) {
            break;
        }
    }
    p.expect_punct(Punct::RBrace)?;
    Some(options)
}

/// A literal, a name, `[a, b]`, or `(a, b)` / `(a)`.
fn atom(p: &mut Cursor<'_>) -> Option<Expr> {
    let start = p.pos();
    let kind = match p.peek()? {
        Tok::Number(_) => {
            let (raw, _) = p.take_text();
            let unit = match p.peek() {
                Some(Tok::Unit(_)) => {
                    let (name, span) = p.take_text();
                    Some(Ident { name, span })
                }
                _ => None,
            };
            ExprKind::Number { raw, unit }
        }
        Tok::Str(_) => ExprKind::Str(p.take_text().0),
        Tok::HexStr(_) => ExprKind::HexStr(p.take_bytes()),
        Tok::Kw(Kw::True) => {
            p.bump();
            ExprKind::Bool(true)
        }
        Tok::Kw(Kw::False) => {
            p.bump();
            ExprKind::Bool(false)
        }
        Tok::Kw(Kw::SelfKw) => {
            p.bump();
            ExprKind::SelfVault
        }
        Tok::Ident(_) => ExprKind::Ident(p.ident()?),
        Tok::Punct(Punct::LBracket) => ExprKind::Array(list(p, Punct::RBracket)?.0),
        Tok::Punct(Punct::LParen) => {
            let (mut items, trailing) = list(p, Punct::RParen)?;
            if items.len() == 1 && !trailing {
                // `(a)` is `a`, with `a`'s own span.
                return items.pop();
            }
            ExprKind::Tuple(items)
        }
        _ => return None,
    };
    Some(Expr {
        kind,
        span: p.span_from(start),
    })
}

/// `open a, b [,] close` after the opener: the items and whether a comma trails.
fn list(p: &mut Cursor<'_>, close: Punct) -> Option<(Vec<Expr>, bool)> {
    p.bump();
    let mut items = Vec::new();
    if starts_expr(p.peek()) {
        items.push(expr(p)?);
        while p.at_punct(Punct::Comma) && starts_expr(p.peek_at(1)) {
            p.bump();
            items.push(expr(p)?);
        }
    }
    let trailing = p.eat_punct(Punct::Comma);
    p.expect_punct(close)?;
    Some((items, trailing))
}

/// The binary operator the next token is, if it is one.
fn binary_op_at(p: &Cursor<'_>) -> Option<BinaryOp> {
    let Some(Tok::Punct(punct)) = p.peek() else {
        return None;
    };
    use BinaryOp::*;
    Some(match punct {
        Punct::StarStar => Pow,
        Punct::Star => Mul,
        Punct::Slash => Div,
        Punct::Percent => Rem,
        Punct::Plus => Add,
        Punct::Minus => Sub,
        Punct::Shl => Shl,
        Punct::Shr => Shr,
        Punct::Amp => BitAnd,
        Punct::Caret => BitXor,
        Punct::Pipe => BitOr,
        Punct::EqEq => Eq,
        Punct::Ne => Ne,
        Punct::Le => Le,
        Punct::Ge => Ge,
        Punct::Lt => Lt,
        Punct::Gt => Gt,
        Punct::AmpAmp => And,
        Punct::PipePipe => Or,
        _ => return None,
    })
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr {
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        span,
    }
}
