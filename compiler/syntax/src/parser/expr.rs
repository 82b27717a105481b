//! Expressions, by the precedence of the language's settled rules, tightest first:
//! postfix (call, index, `.field`, `.0`); unary `! ~ -`; `as`; `**` (right-assoc);
//! `* / %`; `+ -`; `<< >>`; `&`; `^`; `|`; comparisons (non-chaining); `&&`; `||`.

use chumsky::prelude::*;

use super::common::*;
use super::types::type_expr;
use crate::ast::{BinaryOp, Expr, ExprKind, Ident, TypeExpr, UnaryOp};
use crate::token::{Kw, Punct, Tok, Token};

/// What can follow an operand.
enum Postfix {
    Field(Ident),
    TupleField(String, nest_diagnostics::Span),
    Call(Vec<(Ident, Expr)>, Vec<Expr>),
    Index(Expr),
}

/// A full expression.
pub(crate) fn expr<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone {
    recursive(|expr| {
        let list = |open: Punct, closing: Punct| {
            expr.clone()
                .separated_by(punct(Punct::Comma))
                .collect::<Vec<_>>()
                .then(punct(Punct::Comma).or_not().map(|c| c.is_some()))
                .delimited_by(punct(open), close(closing))
        };

        let number = select! { Token { kind: Tok::Number(raw), .. } => raw }
            .then(select! { Token { kind: Tok::Unit(name), .. } = e => Ident { name, span: span(e.span()) } }.or_not())
            .map(|(raw, unit)| ExprKind::Number { raw, unit });
        let literal = select! {
            Token { kind: Tok::Str(s), .. } => ExprKind::Str(s),
            Token { kind: Tok::HexStr(b), .. } => ExprKind::HexStr(b),
            Token { kind: Tok::Kw(Kw::True), .. } => ExprKind::Bool(true),
            Token { kind: Tok::Kw(Kw::False), .. } => ExprKind::Bool(false),
            Token { kind: Tok::Kw(Kw::SelfKw), .. } => ExprKind::SelfVault,
        };
        let array = list(Punct::LBracket, Punct::RBracket)
            .map(|(items, _)| ExprKind::Array(items))
            .recover_with(via_parser(skip_group(Punct::LBracket).to(ExprKind::Error)));
        let simple = choice((number, literal, ident().map(ExprKind::Ident), array))
            .map_with(|kind, e| Expr { kind, span: span(e.span()) });
        // `(a)` is `a`; `(a, b)`, `(a,)` and `()` are tuples.
        let paren = list(Punct::LParen, Punct::RParen)
            .map_with(|(mut items, trailing), e| {
                if items.len() == 1 && !trailing {
                    items.pop().unwrap_or(Expr { kind: ExprKind::Error, span: span(e.span()) })
                } else {
                    Expr { kind: ExprKind::Tuple(items), span: span(e.span()) }
                }
            })
            .recover_with(via_parser(
                skip_group(Punct::LParen).map(|sp| Expr { kind: ExprKind::Error, span: span(sp) }),
            ));
        let atom = simple.or(paren).labelled("an expression").boxed();

        let postfix = postfix(expr.clone());
        let postfixed = atom.foldl(postfix.repeated(), |base, (op, op_span)| {
            let span = base.span.to(op_span);
            let base = Box::new(base);
            let kind = match op {
                Postfix::Field(field) => ExprKind::Field { base, field },
                Postfix::TupleField(raw, index_span) => match raw.parse::<u32>() {
                    Ok(index) => ExprKind::TupleField { base, index, index_span },
                    Err(_) => ExprKind::Error,
                },
                Postfix::Call(options, args) => ExprKind::Call { callee: base, options, args },
                Postfix::Index(index) => ExprKind::Index { base, index: Box::new(index) },
            };
            Expr { kind, span }
        });

        let unary_op = choice((
            punct(Punct::Bang).to(UnaryOp::Not),
            punct(Punct::Tilde).to(UnaryOp::BitNot),
            punct(Punct::Minus).to(UnaryOp::Neg),
        ))
        .map_with(|op, e| (op, span(e.span())));
        let unary = unary_op.repeated().foldr(postfixed, |(op, op_span), expr| {
            let span = op_span.to(expr.span);
            Expr { kind: ExprKind::Unary { op, expr: Box::new(expr) }, span }
        });

        let cast = unary
            .foldl(kw(Kw::As).ignore_then(type_expr()).repeated(), |expr, ty: TypeExpr| {
                let span = expr.span.to(ty.span);
                Expr { kind: ExprKind::Cast { expr: Box::new(expr), ty }, span }
            })
            .boxed();

        // `**` is right-associative: `a ** b ** c` is `a ** (b ** c)`.
        let power = cast
            .separated_by(punct(Punct::StarStar))
            .at_least(1)
            .collect::<Vec<_>>()
            .map(|operands| {
                let mut rev = operands.into_iter().rev();
                let last = rev.next().unwrap_or(Expr { kind: ExprKind::Error, span: Default::default() });
                rev.fold(last, |rhs, lhs| binary(BinaryOp::Pow, lhs, rhs))
            })
            .boxed();

        let op = |p: Punct, b: BinaryOp| punct(p).to(b);
        let product = left_assoc(
            power,
            choice((op(Punct::Star, BinaryOp::Mul), op(Punct::Slash, BinaryOp::Div), op(Punct::Percent, BinaryOp::Rem))),
        );
        let sum = left_assoc(product, choice((op(Punct::Plus, BinaryOp::Add), op(Punct::Minus, BinaryOp::Sub))));
        let shift = left_assoc(sum, choice((op(Punct::Shl, BinaryOp::Shl), op(Punct::Shr, BinaryOp::Shr))));
        let bit_and = left_assoc(shift, op(Punct::Amp, BinaryOp::BitAnd));
        let bit_xor = left_assoc(bit_and, op(Punct::Caret, BinaryOp::BitXor));
        let bit_or = left_assoc(bit_xor, op(Punct::Pipe, BinaryOp::BitOr));
        let comparison = comparison(bit_or);
        let and = left_assoc(comparison, op(Punct::AmpAmp, BinaryOp::And));
        left_assoc(and, op(Punct::PipePipe, BinaryOp::Or)).labelled("an expression")
    })
    .boxed()
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span.to(rhs.span);
    Expr { kind: ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span }
}

/// `operand (op operand)*`, folded to the left.
fn left_assoc<'a, E: PErr<'a>>(
    operand: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
    op: impl Parser<'a, In<'a>, BinaryOp, Ex<E>> + Clone + 'a,
) -> Boxed<'a, 'a, In<'a>, Expr, Ex<E>> {
    operand
        .clone()
        .foldl(op.then(operand).repeated(), |lhs, (op, rhs)| binary(op, lhs, rhs))
        .boxed()
}

/// `a < b`; comparisons do not chain, so `a < b < c` is reported (and parsed to the left).
fn comparison<'a, E: PErr<'a>>(operand: Boxed<'a, 'a, In<'a>, Expr, Ex<E>>) -> Boxed<'a, 'a, In<'a>, Expr, Ex<E>> {
    let op = choice((
        punct(Punct::EqEq).to(BinaryOp::Eq),
        punct(Punct::Ne).to(BinaryOp::Ne),
        punct(Punct::Le).to(BinaryOp::Le),
        punct(Punct::Ge).to(BinaryOp::Ge),
        punct(Punct::Lt).to(BinaryOp::Lt),
        punct(Punct::Gt).to(BinaryOp::Gt),
    ))
    .map_with(|op, e| (op, span(e.span())));
    operand
        .clone()
        .then(op.then(operand).repeated().collect::<Vec<_>>())
        .validate(|(first, rest), e, emitter| {
            if let [(_, rhs1), ((_, op2_span), rhs2), ..] = rest.as_slice() {
                let first_span = first.span.to(rhs1.span);
                let second_span = op2_span.to(rhs2.span);
                emit(emitter, e.span(), diag::chained_comparison(first_span, second_span));
            }
            rest.into_iter().fold(first, |lhs, ((op, _), rhs)| binary(op, lhs, rhs))
        })
        .boxed()
}

/// `.name`, `.0`, `(args)`, `{value: v}(args)`, `[index]`, each with its span.
fn postfix<'a, E: PErr<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<E>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, (Postfix, nest_diagnostics::Span), Ex<E>> + Clone {
    let args = expr
        .clone()
        .separated_by(punct(Punct::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(punct_same_line(Punct::LParen, "`(`"), close(Punct::RParen))
        .recover_with(via_parser(
            // Only a `(` on the same line is an argument list, broken or not.
            any()
                .filter(|t: &Token| !t.line_start)
                .rewind()
                .ignore_then(skip_group(Punct::LParen))
                .map(|sp| vec![Expr { kind: ExprKind::Error, span: span(sp) }]),
        ));
    let option = ident().then_ignore(punct(Punct::Colon)).then(expr.clone());
    // Call options must be followed by the argument list; otherwise the `{` is a block.
    let options = option
        .separated_by(punct(Punct::Comma))
        .at_least(1)
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(any().filter(|t: &Token| t.kind == Tok::Punct(Punct::LBrace) && !t.line_start), punct(Punct::RBrace))
        .then(args.clone());
    let field = punct(Punct::Dot).ignore_then(choice((
        name_or_keyword().map(Postfix::Field),
        select! { Token { kind: Tok::Number(raw), .. } = e => Postfix::TupleField(raw, span(e.span())) },
    )));
    let index = expr.delimited_by(punct_same_line(Punct::LBracket, "`[`"), close(Punct::RBracket)).map(Postfix::Index);
    choice((
        field,
        args.map(|args| Postfix::Call(Vec::new(), args)),
        options.map(|(options, args)| Postfix::Call(options, args)),
        index,
    ))
    .map_with(|op, e| (op, span(e.span())))
    .validate(|(op, sp), _e, emitter| {
        if let Postfix::TupleField(raw, at) = &op {
            if raw.parse::<u32>().is_err() {
                let at_sp = chumsky::span::SimpleSpan { start: at.start as usize, end: at.end as usize, context: at.file };
                emit(emitter, at_sp, diag::bad_tuple_index(*at, raw));
            }
        }
        (op, sp)
    })
}
