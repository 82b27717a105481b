//! Token matchers, span conversion and error recovery shared by the parser modules.

use chumsky::input::MappedInput;
use chumsky::prelude::*;

use crate::ast::{Ident, StrLit};
pub(crate) use crate::errors as diag;
use crate::errors::ParseError;
use crate::lexer::Sp;
use crate::token::{Kw, Punct, Tok, Token};

/// The parser's input: the lexer's tokens, split into token and span.
pub(crate) type In<'a> = MappedInput<'a, Token, Sp, &'a [(Token, Sp)]>;

/// The parser's extra: rich errors whose custom variant is a finished diagnostic.
pub(crate) type Ex<'a> = extra::Err<ParseError<'a>>;

pub(crate) use crate::errors::span;

/// Matches one punctuation token.
pub(crate) fn punct<'a>(p: Punct) -> impl Parser<'a, In<'a>, Token, Ex<'a>> + Clone {
    just(Token::of(Tok::Punct(p)))
}

/// Matches one keyword.
pub(crate) fn kw<'a>(k: Kw) -> impl Parser<'a, In<'a>, Token, Ex<'a>> + Clone {
    just(Token::of(Tok::Kw(k)))
}

/// Matches a punctuation token that is on the same line as the token before it
/// (`f(x)` calls, but a `(` that starts a line starts a new statement).
pub(crate) fn punct_same_line<'a>(p: Punct, label: &'static str) -> impl Parser<'a, In<'a>, Token, Ex<'a>> + Clone {
    any().filter(move |t: &Token| t.kind == Tok::Punct(p) && !t.line_start).labelled(label)
}

/// A name (not a keyword).
pub(crate) fn ident<'a>() -> impl Parser<'a, In<'a>, Ident, Ex<'a>> + Clone {
    select! { Token { kind: Tok::Ident(name), .. } = e => Ident { name, span: span(e.span()) } }.labelled("a name")
}

/// A name, or a keyword used as one: fields (`c.token()`), interface function and
/// parameter names (`address token`) come from Solidity, where our keywords are free.
pub(crate) fn name_or_keyword<'a>() -> impl Parser<'a, In<'a>, Ident, Ex<'a>> + Clone {
    select! {
        Token { kind: Tok::Ident(name), .. } = e => Ident { name, span: span(e.span()) },
        Token { kind: Tok::Kw(k), .. } = e => Ident { name: k.as_str().to_string(), span: span(e.span()) },
        Token { kind: Tok::Reserved(word), .. } = e => Ident { name: word.to_string(), span: span(e.span()) },
    }
    .labelled("a name")
}

/// A contextual keyword: a name with this spelling (`decimals`, `abi`, `function`).
pub(crate) fn contextual<'a>(word: &'static str, label: &'static str) -> impl Parser<'a, In<'a>, Ident, Ex<'a>> + Clone {
    select! { Token { kind: Tok::Ident(name), .. } = e if name == word => Ident { name, span: span(e.span()) } }
        .labelled(label)
}

/// A string literal.
pub(crate) fn string<'a>() -> impl Parser<'a, In<'a>, StrLit, Ex<'a>> + Clone {
    select! { Token { kind: Tok::Str(value), .. } = e => StrLit { value, span: span(e.span()) } }.labelled("a string")
}

/// `///` lines, their text.
pub(crate) fn outer_docs<'a>() -> impl Parser<'a, In<'a>, Vec<String>, Ex<'a>> + Clone {
    select! { Token { kind: Tok::OuterDoc(text), .. } => text }.repeated().collect()
}

fn is_opener(t: &Token) -> bool {
    matches!(t.kind, Tok::Punct(Punct::LParen | Punct::LBracket | Punct::LBrace))
}

fn is_closer(t: &Token) -> bool {
    matches!(t.kind, Tok::Punct(Punct::RParen | Punct::RBracket | Punct::RBrace))
}

/// The closing delimiter `p`, or the end of input: an unclosed delimiter is reported
/// once, at its opening character, by the delimiter check, so the tree is kept.
pub(crate) fn close<'a>(p: Punct) -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    punct(p).ignored().or(end().validate(move |(), e, emitter| {
        let at = span(e.span());
        let diag = nest_diagnostics::Diagnostic::error("E0101", format!("expected `{}`, found end of input", p.as_str()))
            .with_primary(at, format!("expected `{}`", p.as_str()));
        emitter.emit(Rich::custom(e.span(), diag));
    }))
}

/// One token tree: a delimited group up to its closer (or the end of input), or one
/// token that is not a closing delimiter.
pub(crate) fn token_tree<'a>() -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    recursive(|tree| {
        let open = any().filter(is_opener);
        let closer = any().filter(is_closer);
        let group = open.then(tree.repeated()).then(closer.or_not()).ignored();
        let single = any().filter(|t: &Token| !is_opener(t) && !is_closer(t)).ignored();
        group.or(single)
    })
}

/// Recovery for a statement or an item: its first token tree and every following
/// tree on the same line. Returns the span skipped.
pub(crate) fn skip_line<'a>() -> impl Parser<'a, In<'a>, Sp, Ex<'a>> + Clone {
    let same_line = any().filter(|t: &Token| !t.line_start).rewind();
    token_tree().then(same_line.ignore_then(token_tree()).repeated()).to_span()
}

/// Recovery for a delimited group `open … close` whose inside did not parse.
pub(crate) fn skip_group<'a>(open: Punct) -> impl Parser<'a, In<'a>, Sp, Ex<'a>> + Clone {
    punct(open).then(token_tree().repeated()).then(any().filter(is_closer).or_not()).to_span()
}

/// Recovery of last resort: one stray closing delimiter (already reported by the
/// delimiter check).
pub(crate) fn skip_stray_closer<'a>(except: Option<Punct>) -> impl Parser<'a, In<'a>, Sp, Ex<'a>> + Clone {
    any().filter(move |t: &Token| is_closer(t) && except.is_none_or(|p| t.kind != Tok::Punct(p))).to_span()
}

/// The end of a statement that ends with an expression: `;`s, a line break, a `}`,
/// or the end of input.
pub(crate) fn stmt_end<'a>() -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    let semis = punct(Punct::Semi).repeated().at_least(1).ignored();
    let boundary = any()
        .filter(|t: &Token| t.line_start || t.kind == Tok::Punct(Punct::RBrace))
        .rewind()
        .ignored()
        .labelled("a new line");
    choice((semis, boundary, end()))
}

/// Optional `;`s after a statement that ends with a block.
pub(crate) fn opt_semis<'a>() -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    punct(Punct::Semi).repeated().ignored()
}

/// Emits a finished diagnostic from inside a parser.
pub(crate) fn emit(emitter: &mut chumsky::input::Emitter<ParseError<'_>>, at: Sp, diag: nest_diagnostics::Diagnostic) {
    emitter.emit(Rich::custom(at, diag));
}
