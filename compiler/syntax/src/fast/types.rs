//! Written types and Solidity parameters, as `crate::parser::types` parses them.

use super::cursor::Cursor;
use crate::ast::{AbiParam, Expr, ExprKind, TypeExpr, TypeExprKind};
use crate::token::{Punct, Tok};

/// Data locations Solidity signatures may carry; accepted and dropped.
const LOCATIONS: [&str; 3] = ["memory", "calldata", "storage"];

/// A type: a name or a tuple, then `[N]` / `[]` suffixes on the same line.
pub(super) fn type_expr(p: &mut Cursor<'_>) -> Option<TypeExpr> {
    p.enter()?;
    let start = p.pos();
    let mut ty = match p.peek()? {
        Tok::Ident(_) => {
            let name = p.ident()?;
            let span = name.span;
            TypeExpr {
                kind: TypeExprKind::Named(name),
                span,
            }
        }
        Tok::Punct(Punct::LParen) => {
            p.bump();
            let mut elems = Vec::new();
            while !p.at_punct(Punct::RParen) {
                elems.push(abi_param(p)?);
                if !p.eat_punct(Punct::Comma) {
                    break;
                }
            }
            p.expect_punct(Punct::RParen)?;
            TypeExpr {
                kind: TypeExprKind::Tuple(elems),
                span: p.span_from(start),
            }
        }
        _ => return None,
    };
    while p.at_punct_same_line(Punct::LBracket) {
        let suffix_start = p.pos();
        p.bump();
        let len = match p.peek()? {
            Tok::Number(_) => {
                let (raw, span) = p.take_text();
                Some(Expr {
                    kind: ExprKind::Number { raw, unit: None },
                    span,
                })
            }
            Tok::Ident(_) => {
                let name = p.ident()?;
                let span = name.span;
                Some(Expr {
                    kind: ExprKind::Ident(name),
                    span,
                })
            }
            _ => None,
        };
        p.expect_punct(Punct::RBracket)?;
        let span = ty.span.to(p.span_from(suffix_start));
        ty = TypeExpr {
            kind: TypeExprKind::Array {
                elem: Box::new(ty),
                len: len.map(Box::new),
            },
            span,
        };
    }
    p.leave();
    Some(ty)
}

/// `T [location] [name]`, as in Solidity signatures and tuple types.
pub(super) fn abi_param(p: &mut Cursor<'_>) -> Option<AbiParam> {
    let start = p.pos();
    let ty = type_expr(p)?;
    if matches!(p.peek(), Some(Tok::Ident(word)) if LOCATIONS.contains(&word.as_str())) {
        p.bump();
    }
    let name = if p.at_name_or_keyword() {
        Some(p.name_or_keyword()?)
    } else {
        None
    };
    Some(AbiParam {
        ty,
        name,
        span: p.span_from(start),
    })
}
