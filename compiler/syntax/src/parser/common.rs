//! Token matchers, span conversion and error recovery shared by the parser modules.

use chumsky::error::EmptyErr;
use chumsky::input::MappedInput;
use chumsky::label::LabelError;
use chumsky::prelude::*;

use crate::ast::{Ident, StrLit};
pub(crate) use crate::errors as diag;
use crate::errors::ParseError;
use crate::token::Sp;
use crate::token::{Kw, Punct, Tok, Token};

/// The parser's input: the lexer's tokens, split into token and span.
pub(crate) type In<'a> = MappedInput<'a, Token, Sp, &'a [(Token, Sp)]>;

/// The parser's extra: its error type `E`.
pub(crate) type Ex<E> = extra::Err<E>;

/// The error types the parser runs with: rich errors whose custom variant is a
/// finished diagnostic, or [`EmptyErr`] for a fast first pass that only learns
/// whether the text parses cleanly.
pub(crate) trait PErr<'a>:
    chumsky::error::Error<'a, In<'a>> + LabelError<'a, In<'a>, &'static str> + 'a
{
    /// An error carrying a finished diagnostic.
    fn custom(at: Sp, diag: nest_diagnostics::Diagnostic) -> Self;
}

impl<'a> PErr<'a> for ParseError<'a> {
    fn custom(at: Sp, diag: nest_diagnostics::Diagnostic) -> Self {
        Rich::custom(at, diag)
    }
}

impl<'a> PErr<'a> for EmptyErr {
    fn custom(_: Sp, _: nest_diagnostics::Diagnostic) -> Self {
        EmptyErr::default()
    }
}

pub(crate) use crate::errors::span;

/// Matches one punctuation token.
pub(crate) fn punct<'a, E: PErr<'a>>(p: Punct) -> impl Parser<'a, In<'a>, Token, Ex<E>> + Clone {
    just(Token::of(Tok::Punct(p)))
}

/// Matches one keyword.
pub(crate) fn kw<'a, E: PErr<'a>>(k: Kw) -> impl Parser<'a, In<'a>, Token, Ex<E>> + Clone {
    just(Token::of(Tok::Kw(k)))
}

/// Matches a punctuation token that is on the same line as the token before it
/// (`f(x)` calls, but a `(` that starts a line starts a new statement).
pub(crate) fn punct_same_line<'a, E: PErr<'a>>(
    p: Punct,
    label: &'static str,
) -> impl Parser<'a, In<'a>, &'a Token, Ex<E>> + Clone {
    any_ref()
        .filter(move |t: &&Token| t.kind == Tok::Punct(p) && !t.line_start)
        .labelled(label)
}

/// A name (not a keyword).
pub(crate) fn ident<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, Ident, Ex<E>> + Clone {
    select_ref! { Token { kind: Tok::Ident(name), .. } = e => Ident { name: name.clone(), span: span(e.span()) } }
        .labelled("a name")
}

/// A name, or a keyword used as one: fields (`c.token()`), interface function and
/// parameter names (`address token`) come from Solidity, where our keywords are free.
pub(crate) fn name_or_keyword<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, Ident, Ex<E>> + Clone {
    select_ref! {
        Token { kind: Tok::Ident(name), .. } = e => Ident { name: name.clone(), span: span(e.span()) },
        Token { kind: Tok::Kw(k), .. } = e => Ident { name: k.as_str().to_string(), span: span(e.span()) },
        Token { kind: Tok::Reserved(word), .. } = e => Ident { name: word.to_string(), span: span(e.span()) },
    }
    .labelled("a name")
}

/// A contextual keyword: a name with this spelling (`decimals`, `abi`, `function`).
pub(crate) fn contextual<'a, E: PErr<'a>>(
    word: &'static str,
    label: &'static str,
) -> impl Parser<'a, In<'a>, Ident, Ex<E>> + Clone {
    select_ref! { Token { kind: Tok::Ident(name), .. } = e if name == word => Ident { name: name.clone(), span: span(e.span()) } }
        .labelled(label)
}

/// A string literal.
pub(crate) fn string<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, StrLit, Ex<E>> + Clone {
    select_ref! { Token { kind: Tok::Str(value), .. } = e => StrLit { value: value.clone(), span: span(e.span()) } }
        .labelled("a string")
}

/// `///` lines, their text.
pub(crate) fn outer_docs<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, Vec<String>, Ex<E>> + Clone {
    select_ref! { Token { kind: Tok::OuterDoc(text), .. } => text.clone() }
        .repeated()
        .collect()
}

fn is_opener(t: &Token) -> bool {
    matches!(
        t.kind,
        Tok::Punct(Punct::LParen | Punct::LBracket | Punct::LBrace)
    )
}

fn is_closer(t: &Token) -> bool {
    matches!(
        t.kind,
        Tok::Punct(Punct::RParen | Punct::RBracket | Punct::RBrace)
    )
}

/// The closing delimiter `p`, or the end of input: an unclosed delimiter is reported
/// once, at its opening character, by the delimiter check, so the tree is kept.
pub(crate) fn close<'a, E: PErr<'a>>(p: Punct) -> impl Parser<'a, In<'a>, (), Ex<E>> + Clone {
    punct(p).ignored().or(end().validate(move |(), e, emitter| {
        let at = span(e.span());
        let diag = nest_diagnostics::Diagnostic::error(
            "E0101",
            format!("expected `{}`, found end of input", p.as_str()),
        )
        .with_primary(at, format!("expected `{}`", p.as_str()));
        emitter.emit(E::custom(e.span(), diag));
    }))
}

/// One token tree: a delimited group up to its closer (or the end of input), or one
/// token that is not a closing delimiter.
pub(crate) fn token_tree<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, (), Ex<E>> + Clone {
    recursive(|tree| {
        let open = any_ref().filter(|t: &&Token| is_opener(t));
        let closer = any_ref().filter(|t: &&Token| is_closer(t));
        let group = open.then(tree.repeated()).then(closer.or_not()).ignored();
        let single = any_ref()
            .filter(|t: &&Token| !is_opener(t) && !is_closer(t))
            .ignored();
        group.or(single)
    })
}

/// Recovery for a statement or an item: its first token tree and every following
/// tree on the same line. Returns the span skipped.
pub(crate) fn skip_line<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, Sp, Ex<E>> + Clone {
    let same_line = any_ref().filter(|t: &&Token| !t.line_start).rewind();
    token_tree()
        .then(same_line.ignore_then(token_tree()).repeated())
        .to_span()
}

/// Recovery for a delimited group `open … close` whose inside did not parse.
pub(crate) fn skip_group<'a, E: PErr<'a>>(
    open: Punct,
) -> impl Parser<'a, In<'a>, Sp, Ex<E>> + Clone {
    punct(open)
        .then(token_tree().repeated())
        .then(any_ref().filter(|t: &&Token| is_closer(t)).or_not())
        .to_span()
}

/// Recovery of last resort: one stray closing delimiter (already reported by the
/// delimiter check).
pub(crate) fn skip_stray_closer<'a, E: PErr<'a>>(
    except: Option<Punct>,
) -> impl Parser<'a, In<'a>, Sp, Ex<E>> + Clone {
    any_ref()
        .filter(move |t: &&Token| is_closer(t) && except.is_none_or(|p| t.kind != Tok::Punct(p)))
        .to_span()
}

/// The end of a statement that ends with an expression: `;`s, a line break, a `}`,
/// or the end of input.
pub(crate) fn stmt_end<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, (), Ex<E>> + Clone {
    let semis = punct(Punct::Semi).repeated().at_least(1).ignored();
    let boundary = any_ref()
        .filter(|t: &&Token| t.line_start || t.kind == Tok::Punct(Punct::RBrace))
        .rewind()
        .ignored()
        .labelled("a new line");
    choice((semis, boundary, end()))
}

/// Optional `;`s after a statement that ends with a block.
pub(crate) fn opt_semis<'a, E: PErr<'a>>() -> impl Parser<'a, In<'a>, (), Ex<E>> + Clone {
    punct(Punct::Semi).repeated().ignored()
}

/// Emits a finished diagnostic from inside a parser.
pub(crate) fn emit<'a, E: PErr<'a>>(
    emitter: &mut chumsky::input::Emitter<E>,
    at: Sp,
    diag: nest_diagnostics::Diagnostic,
) {
    emitter.emit(E::custom(at, diag));
}
