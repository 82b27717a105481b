//! Nest syntax: source text to syntax tree.
//!
//! [`parse`] never fails: it returns a tree (with error nodes where the text did
//! not parse) and the list of syntax diagnostics (`E01xx`). This crate knows nothing
//! of types, the EVM or the HyVM.
//!
//! The pipeline inside: the lexer (`lexer`) turns text into tokens (and keeps the
//! comments between them, for the formatter and the editor: [`lex`]), the delimiter
//! check (`delimiters`) reports unbalanced `( [ {` once, at the opening character,
//! and the chumsky parser (`parser`) builds the tree, recovering at line and
//! delimiter boundaries so that one run reports every error.
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

pub mod ast;
mod delimiters;
mod errors;
mod hidden;
mod lexer;
mod parser;
pub mod sexpr;
mod token;

use chumsky::error::EmptyErr;
use chumsky::input::Input;
use chumsky::span::SimpleSpan;
use chumsky::Parser;
use nest_diagnostics::{Diagnostic, FileId, Span};

pub use lexer::{lex, Lexed, Lexeme};
pub use token::{Comment, CommentKind, Kw, Punct, Tok, Token, RESERVED};

/// The language's keywords as written, in the order of the token enum's table
/// ([`Kw::ALL`]). The reserved words `while` and `loop` are in [`RESERVED`].
pub fn keywords() -> impl Iterator<Item = &'static str> {
    Kw::ALL.into_iter().map(Kw::as_str)
}

/// Stack the front end may need below its caller's frame: parsing, checking and
/// dropping a tree recurse once per nesting level, and error recovery on deeply nested
/// input builds trees a thousand levels deep before the checker refuses them (E0325).
const STACK_RED_ZONE: usize = 32 << 20;
/// The stack a call runs on when its caller's has less than [`STACK_RED_ZONE`] left.
const STACK_SIZE: usize = 256 << 20;

/// Runs `f` with at least [`STACK_RED_ZONE`] of stack: on the caller's stack when it
/// has that much left (as `nestc`'s 256 MiB thread does), else on a fresh one. Every
/// public entry of the front end that may recurse without bound goes through it (in
/// [`parse`], the parser), so a library
/// user on a small thread (a test, an editor plugin) cannot overflow the stack
/// whatever the input.
pub fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(STACK_RED_ZONE, STACK_SIZE, f)
}

/// Parses one file. Always returns a tree; errors come back as diagnostics, sorted
/// by position. The parser recurses once per nesting level, so it runs under
/// [`with_stack`].
pub fn parse(file: FileId, text: &str) -> (ast::SourceFile, Vec<Diagnostic>) {
    let lexed = lexer::lex(file, text);
    let delims = delimiters::check(file, &lexed.tokens, text.len());
    if let Some(sp) = delims.too_deep {
        // Not parsed at all: the parser's memory grows with the depth.
        let mut diags = lexed.diags;
        diags.push(errors::nesting_too_deep(
            errors::span(sp),
            delimiters::MAX_NESTING,
        ));
        diags.sort_by_key(|d| d.primary_span().map(|s| (s.start, s.end)));
        let tree = ast::SourceFile {
            docs: Vec::new(),
            items: Vec::new(),
            span: Span::new(file, 0, text.len()),
        };
        return (tree, diags);
    }
    with_stack(|| parse_with_chumsky(file, text, lexed, delims))
}

/// Where a line starts with Solidity's `function NAME`: the keyword's span and the
/// end of its line.
fn solidity_functions(tokens: &[(token::Token, token::Sp)], text: &str) -> Vec<(token::Sp, usize)> {
    tokens
        .windows(2)
        .filter_map(|w| {
            let [(first, sp), (second, _)] = w else {
                return None;
            };
            let is_fn = first.line_start
                && matches!(&first.kind, token::Tok::Ident(w) if w == "function")
                && matches!(&second.kind, token::Tok::Ident(_));
            is_fn.then(|| {
                let end = text
                    .get(sp.end..)
                    .and_then(|rest| rest.find('\n'))
                    .map_or(text.len(), |n| sp.end + n);
                (*sp, end)
            })
        })
        .collect()
}

fn parse_with_chumsky(
    file: FileId,
    text: &str,
    lexed: lexer::Lexed,
    delims: delimiters::DelimiterReport,
) -> (ast::SourceFile, Vec<Diagnostic>) {
    let eoi = SimpleSpan {
        start: text.len(),
        end: text.len(),
        context: file,
    };
    // Most files parse cleanly: a first pass that tracks no error details finds out
    // cheaply. Only when it reports an error does the parse run again with rich
    // errors (the tree does not depend on the error type, so it is the same).
    let input = || lexed.tokens.as_slice().split_token_span(eoi);
    let (tree, parse_errors) = match parser::source_file::<EmptyErr>()
        .parse(input())
        .into_output_errors()
    {
        (tree, errs) if errs.is_empty() => (tree, Vec::new()),
        _ => parser::source_file::<errors::ParseError<'_>>()
            .parse(input())
            .into_output_errors(),
    };

    // A string or comment that runs to the end of input swallows the closers after
    // it: the unclosed delimiters and the early end are consequences, not news.
    let ran_to_end = lexed
        .diags
        .iter()
        .any(|d| d.code == "E0103" || d.code == "E0111");
    let solidity_fns = solidity_functions(&lexed.tokens, text);
    let mut diags = lexed.diags;
    diags.extend(
        delims
            .diags
            .into_iter()
            .filter(|d| !(ran_to_end && d.code == "E0102")),
    );
    let unclosed = delims.unclosed || ran_to_end || !delims.stray_closers.is_empty();
    for err in parse_errors {
        let mut diag = errors::from_parser(err);
        // Solidity's `function f(…) returns (…)`: one error, on `function`, with the
        // Nest form.
        if diag.code == "E0101" {
            let at = diag.primary_span().map_or(text.len(), |s| s.start as usize);
            if let Some(&(kw, _)) = solidity_fns
                .iter()
                .find(|(kw, end)| (kw.start..=*end).contains(&at))
            {
                diag = errors::solidity_function(errors::span(kw));
            }
        }
        let at = diag.primary_span().map_or(text.len(), |s| s.start as usize);
        // Unbalanced delimiters are already reported where they are; the parser's
        // view of them (a stray closer, an early end of input) adds only noise.
        let redundant = delims.stray_closers.contains(&at) || (unclosed && at >= text.len());
        if !redundant {
            diags.push(diag);
        }
    }
    diags.sort_by_key(|d| d.primary_span().map(|s| (s.start, s.end)));
    diags.dedup();

    let whole = Span::new(file, 0, text.len());
    let tree = tree.unwrap_or_else(|| ast::SourceFile {
        docs: Vec::new(),
        items: Vec::new(),
        span: whole,
    });
    (
        ast::SourceFile {
            span: whole,
            ..tree
        },
        diags,
    )
}
