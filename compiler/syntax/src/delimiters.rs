//! Delimiter balance: `( )`, `[ ]` and `{ }` checked over the token stream before
//! parsing, so an unclosed delimiter is reported once, at its opening character.

use nest_diagnostics::{Diagnostic, FileId, Span};

use crate::errors::{self, span};
use crate::token::Sp;
use crate::token::{Punct, Tok, Token};

/// The delimiter problems of a token stream.
pub(crate) struct DelimiterReport {
    /// `E0102` and `E0109` diagnostics.
    pub diags: Vec<Diagnostic>,
    /// Start offsets of closing delimiters that matched nothing (the parser's own
    /// complaints about them are redundant).
    pub stray_closers: Vec<usize>,
    /// True when some delimiter is still open at the end of input.
    pub unclosed: bool,
    /// The first opener nested deeper than [`MAX_NESTING`], if any.
    pub too_deep: Option<Sp>,
}

/// The most `( [ {` that may be open at once. The checker refuses more than 64
/// levels of expressions and blocks (E0325); past this many the parser is not run at
/// all (E0117), as its memory grows by tens of kilobytes per level.
pub(crate) const MAX_NESTING: usize = 1024;

fn opener(t: &Token) -> Option<&'static str> {
    match t.kind {
        Tok::Punct(Punct::LParen) => Some("("),
        Tok::Punct(Punct::LBracket) => Some("["),
        Tok::Punct(Punct::LBrace) => Some("{"),
        _ => None,
    }
}

fn closer(t: &Token) -> Option<(&'static str, &'static str)> {
    match t.kind {
        Tok::Punct(Punct::RParen) => Some((")", "(")),
        Tok::Punct(Punct::RBracket) => Some(("]", "[")),
        Tok::Punct(Punct::RBrace) => Some(("}", "{")),
        _ => None,
    }
}

/// Checks that every delimiter is closed by its partner, in order.
pub(crate) fn check(file: FileId, tokens: &[(Token, Sp)], text_len: usize) -> DelimiterReport {
    let mut stack: Vec<(&'static str, Sp)> = Vec::new();
    let mut report = DelimiterReport {
        diags: Vec::new(),
        stray_closers: Vec::new(),
        unclosed: false,
        too_deep: None,
    };
    for (tok, sp) in tokens {
        if let Some(open) = opener(tok) {
            stack.push((open, *sp));
            if stack.len() > MAX_NESTING && report.too_deep.is_none() {
                report.too_deep = Some(*sp);
            }
            continue;
        }
        let Some((close, wanted)) = closer(tok) else {
            continue;
        };
        match stack.last() {
            Some((open, _)) if *open == wanted => {
                stack.pop();
            }
            Some(&(open, open_sp)) => {
                report.diags.push(errors::mismatched_delimiter(
                    span(*sp),
                    close,
                    Some((span(open_sp), open)),
                ));
                report.stray_closers.push(sp.start);
                // Resynchronise: if the closer matches something further out, everything
                // opened since is abandoned; otherwise the closer is ignored.
                if let Some(i) = stack.iter().rposition(|(o, _)| *o == wanted) {
                    stack.truncate(i);
                }
            }
            None => {
                report
                    .diags
                    .push(errors::mismatched_delimiter(span(*sp), close, None));
                report.stray_closers.push(sp.start);
            }
        }
    }
    let eof = Span::new(file, text_len, text_len);
    for (open, sp) in stack {
        report.unclosed = true;
        report
            .diags
            .push(errors::unclosed_delimiter(span(sp), open, eof));
    }
    report
}
