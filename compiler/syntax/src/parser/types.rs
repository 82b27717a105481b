//! Written types: `uint256`, `USDC`, `address[]`, `uint256[3]`, `(address, uint24)`,
//! and Solidity parameters `uint256[] calldata amounts` (data locations dropped).

use chumsky::prelude::*;

use super::common::*;
use crate::ast::{AbiParam, Expr, ExprKind, TypeExpr, TypeExprKind};
use crate::token::{Punct, Tok, Token};

/// Data locations Solidity signatures may carry; accepted and dropped.
const LOCATIONS: [&str; 3] = ["memory", "calldata", "storage"];

/// A type, with tuples of named or unnamed elements.
pub(crate) fn type_expr<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, TypeExpr, Ex<E>> + Clone {
    recursive(|ty| {
        let tuple = abi_param_with(ty.clone())
            .separated_by(punct(Punct::Comma))
            .allow_trailing()
            .collect::<Vec<_>>()
            .delimited_by(punct(Punct::LParen), close(Punct::RParen))
            .map_with(|elems, e| TypeExpr {
                kind: TypeExprKind::Tuple(elems),
                span: span(e.span()),
            })
            .recover_with(via_parser(skip_group(Punct::LParen).map(|sp| TypeExpr {
                kind: TypeExprKind::Error,
                span: span(sp),
            })));
        let named = ident().map(|name| {
            let span = name.span;
            TypeExpr {
                kind: TypeExprKind::Named(name),
                span,
            }
        });
        let len = select_ref! {
            Token { kind: Tok::Number(raw), .. } = e => Expr { kind: ExprKind::Number { raw: raw.clone(), unit: None }, span: span(e.span()) },
        }
        .or(ident().map(|name| {
            let span = name.span;
            Expr { kind: ExprKind::Ident(name), span }
        }))
        .labelled("an array length");
        let suffix = punct_same_line(Punct::LBracket, "`[`")
            .ignore_then(len.or_not())
            .then_ignore(close(Punct::RBracket))
            .map_with(|len, e| (len, span(e.span())));
        choice((named, tuple))
            .foldl(suffix.repeated(), |elem, (len, suffix_span)| {
                let span = elem.span.to(suffix_span);
                TypeExpr {
                    kind: TypeExprKind::Array {
                        elem: Box::new(elem),
                        len: len.map(Box::new),
                    },
                    span,
                }
            })
            .labelled("a type")
            .boxed()
    })
}

/// `T [location] [name]`, as in Solidity signatures and tuple types.
pub(crate) fn abi_param<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, AbiParam, Ex<E>> + Clone {
    abi_param_with(type_expr())
}

fn abi_param_with<'a, E: PErr<'a>>(
    ty: impl Parser<'a, In<'a>, TypeExpr, Ex<E>> + Clone,
) -> impl Parser<'a, In<'a>, AbiParam, Ex<E>> + Clone {
    let location = select_ref! { Token { kind: Tok::Ident(name), .. } if LOCATIONS.contains(&name.as_str()) => () };
    ty.then_ignore(location.or_not())
        .then(name_or_keyword().or_not())
        .map_with(|(ty, name), e| AbiParam {
            ty,
            name,
            span: span(e.span()),
        })
}
