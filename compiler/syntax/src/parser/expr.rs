//! Expressions, by the precedence of the language's settled rules, tightest first:
//! postfix (call, index, `.field`, `.0`); unary `! ~ -`; `as`; `**` (right-assoc);
//! `* / %`; `+ -`; `<< >>`; `&`; `^`; `|`; comparisons (non-chaining); `&&`; `||`.

use super::precedence::Level;
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

        let number = select_ref! { Token { kind: Tok::Number(raw), .. } => raw.clone() }
            .then(select_ref! { Token { kind: Tok::Unit(name), .. } = e => Ident { name: name.clone(), span: span(e.span()) } }.or_not())
            .map(|(raw, unit)| ExprKind::Number { raw, unit });
        let literal = select_ref! {
            Token { kind: Tok::Str(s), .. } => ExprKind::Str(s.clone()),
            Token { kind: Tok::HexStr(b), .. } => ExprKind::HexStr(b.clone()),
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

        // One parser for every binary operator; the precedence levels are applied
        // to the operands and operators afterwards (`Climb`), rather than by one
        // parser per level, which retried every operator after every operand.
        // Messages are unchanged: they name binary operators only as "an operator".
        let operator = one_of(OPERATORS.map(|(p, _)| Token::of(Tok::Punct(p))))
            .map_with(|t: Token, e| (binary_op(&t), span(e.span())));
        cast.clone()
            .then(operator.then(cast).repeated().collect::<Vec<_>>())
            .validate(|(first, rest), e, emitter| {
                let mut climb = Climb { rest: rest.into_iter().peekable(), emitter, at: e.span() };
                climb.level(Level::Or, first)
            })
            .labelled("an expression")
    })
    .boxed()
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

/// The binary operators and what they build.
const OPERATORS: [(Punct, BinaryOp); 19] = [
    (Punct::StarStar, BinaryOp::Pow),
    (Punct::Star, BinaryOp::Mul),
    (Punct::Slash, BinaryOp::Div),
    (Punct::Percent, BinaryOp::Rem),
    (Punct::Plus, BinaryOp::Add),
    (Punct::Minus, BinaryOp::Sub),
    (Punct::Shl, BinaryOp::Shl),
    (Punct::Shr, BinaryOp::Shr),
    (Punct::Amp, BinaryOp::BitAnd),
    (Punct::Caret, BinaryOp::BitXor),
    (Punct::Pipe, BinaryOp::BitOr),
    (Punct::EqEq, BinaryOp::Eq),
    (Punct::Ne, BinaryOp::Ne),
    (Punct::Le, BinaryOp::Le),
    (Punct::Ge, BinaryOp::Ge),
    (Punct::Lt, BinaryOp::Lt),
    (Punct::Gt, BinaryOp::Gt),
    (Punct::AmpAmp, BinaryOp::And),
    (Punct::PipePipe, BinaryOp::Or),
];

/// The operator a token from `OPERATORS` stands for.
fn binary_op(t: &Token) -> BinaryOp {
    let found = OPERATORS.iter().find(|(p, _)| t.kind == Tok::Punct(*p));
    found.map_or(BinaryOp::Or, |(_, op)| *op)
}

/// Builds the tree of `first (op operand)*` by precedence: `**` to the right,
/// comparisons without chaining (a chain is reported and folded to the left), the
/// other levels to the left.
struct Climb<'e, E, I: Iterator<Item = ((BinaryOp, nest_diagnostics::Span), Expr)>> {
    rest: std::iter::Peekable<I>,
    emitter: &'e mut chumsky::input::Emitter<E>,
    at: crate::token::Sp,
}

impl<'a, E: PErr<'a>, I: Iterator<Item = ((BinaryOp, nest_diagnostics::Span), Expr)>>
    Climb<'_, E, I>
{
    /// The next operator and operand, if the operator is at `level`.
    fn next_at(&mut self, level: Level) -> Option<((BinaryOp, nest_diagnostics::Span), Expr)> {
        self.rest.next_if(|((op, _), _)| Level::of(*op) == level)
    }

    fn level(&mut self, level: Level, first: Expr) -> Expr {
        // No operator at this level or a tighter one follows: every level from here
        // in would hand `first` back unchanged (most operands have no operator).
        match self.rest.peek() {
            Some(((op, _), _)) if Level::of(*op) <= level => {}
            _ => return first,
        }
        if level == Level::Power {
            let mut operands = vec![first];
            while let Some((_, operand)) = self.next_at(Level::Power) {
                operands.push(operand);
            }
            let mut rev = operands.into_iter().rev();
            let last = rev.next().unwrap_or(Expr {
                kind: ExprKind::Error,
                span: Default::default(),
            });
            return rev.fold(last, |rhs, lhs| binary(BinaryOp::Pow, lhs, rhs));
        }
        let mut lhs = self.level(level.tighter_than().unwrap_or(Level::Power), first);
        if level == Level::Comparison {
            let mut chain = Vec::new();
            while let Some(((op, op_span), operand)) = self.next_at(level) {
                let rhs = self.level(level.tighter_than().unwrap_or(Level::Power), operand);
                chain.push(((op, op_span), rhs));
            }
            if let [(_, rhs1), ((_, op2_span), rhs2), ..] = chain.as_slice() {
                let first_span = lhs.span.to(rhs1.span);
                let second_span = op2_span.to(rhs2.span);
                emit(
                    self.emitter,
                    self.at,
                    diag::chained_comparison(first_span, second_span),
                );
            }
            return chain
                .into_iter()
                .fold(lhs, |lhs, ((op, _), rhs)| binary(op, lhs, rhs));
        }
        while let Some(((op, _), operand)) = self.next_at(level) {
            let rhs = self.level(level.tighter_than().unwrap_or(Level::Power), operand);
            lhs = binary(op, lhs, rhs);
        }
        lhs
    }
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
            any_ref()
                .filter(|t: &&Token| !t.line_start)
                .rewind()
                .ignore_then(skip_group(Punct::LParen))
                .map(|sp| {
                    vec![Expr {
                        kind: ExprKind::Error,
                        span: span(sp),
                    }]
                }),
        ));
    let option = ident().then_ignore(punct(Punct::Colon)).then(expr.clone());
    // Call options must be followed by the argument list; otherwise the `{` is a block.
    let options = option
        .separated_by(punct(Punct::Comma))
        .at_least(1)
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(
            any_ref().filter(|t: &&Token| t.kind == Tok::Punct(Punct::LBrace) && !t.line_start),
            punct(Punct::RBrace),
        )
        .then(args.clone());
    let field = punct(Punct::Dot).ignore_then(choice((
        name_or_keyword().map(Postfix::Field),
        select_ref! { Token { kind: Tok::Number(raw), .. } = e => Postfix::TupleField(raw.clone(), span(e.span())) },
    )));
    let index = expr
        .delimited_by(
            punct_same_line(Punct::LBracket, "`[`"),
            close(Punct::RBracket),
        )
        .map(Postfix::Index);
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
                let at_sp = chumsky::span::SimpleSpan {
                    start: at.start as usize,
                    end: at.end as usize,
                    context: at.file,
                };
                emit(emitter, at_sp, diag::bad_tuple_index(*at, raw));
            }
        }
        (op, sp)
    })
}
