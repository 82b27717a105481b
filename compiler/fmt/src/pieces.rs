//! The file as layout sees it: pieces (tokens *and* comments), each with the number
//! of line breaks before it, from the syntax crate's lossless lexer (`nest_syntax::lex`).

use nest_diagnostics::FileId;
use nest_syntax::{CommentKind, Lexeme, Tok};

/// What a piece of source text is, as far as layout cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A name or a keyword.
    Word,
    /// A number as written (`1_000`, `0.25`, `0xA0b8…`).
    Number,
    /// A string or `hex"…"` literal, quotes included.
    Str,
    /// Punctuation or an operator.
    Punct,
    /// `// …` to the end of the line (also `///` and `//!`).
    LineComment,
    /// `/* … */`, possibly over several lines.
    BlockComment,
}

/// One piece of source text.
#[derive(Debug, Clone)]
pub(crate) struct Piece<'a> {
    /// What it is.
    pub kind: Kind,
    /// The text as written (comments with trailing spaces removed).
    pub text: &'a str,
    /// Byte offset of its first character.
    pub start: usize,
    /// Line breaks in the whitespace between the previous piece and this one.
    pub breaks: usize,
    /// True for a keyword or a reserved word (followed by a space, never called).
    pub keyword: bool,
}

impl Piece<'_> {
    /// True for comments of either kind.
    pub(crate) fn is_comment(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }

    /// True when the piece is the punctuation `p`.
    pub(crate) fn is(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
}

/// The pieces of `text`, in order. Files with lexical errors are refused before
/// layout, so nothing the lexer skipped matters, except a byte order mark that
/// starts the file: it is kept, as a piece of its own.
pub(crate) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let lexed = nest_syntax::lex(FileId(0), text);
    let mut out: Vec<Piece<'_>> = Vec::with_capacity(lexed.comments.len() + text.len() / 8);
    if text.starts_with('\u{FEFF}') {
        out.push(Piece {
            kind: Kind::Punct,
            text: "\u{FEFF}",
            start: 0,
            breaks: 0,
            keyword: false,
        });
    }
    for lexeme in lexed.lossless() {
        let (kind, range, breaks, keyword) = match lexeme {
            Lexeme::Comment(c) => {
                let kind = match c.kind {
                    CommentKind::Line => Kind::LineComment,
                    CommentKind::Block => Kind::BlockComment,
                };
                (kind, c.start..c.end, c.breaks, false)
            }
            Lexeme::Token(t, range) => {
                let kind = match t.kind {
                    Tok::Ident(_) | Tok::Unit(_) | Tok::Kw(_) | Tok::Reserved(_) => Kind::Word,
                    Tok::Number(_) => Kind::Number,
                    Tok::Str(_) | Tok::HexStr(_) => Kind::Str,
                    Tok::OuterDoc(_) | Tok::InnerDoc(_) => Kind::LineComment,
                    Tok::Punct(_) => Kind::Punct,
                };
                (kind, range, t.breaks, t.is_keyword())
            }
        };
        let mut piece_text = text.get(range.clone()).unwrap_or("");
        if kind == Kind::LineComment {
            piece_text = piece_text.trim_end();
        }
        out.push(Piece {
            kind,
            text: piece_text,
            start: range.start,
            breaks: breaks as usize,
            keyword,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str, usize)> {
        pieces(text)
            .into_iter()
            .map(|p| (p.kind, p.text, p.breaks))
            .collect()
    }

    #[test]
    fn keeps_comments_and_counts_breaks() {
        let got = kinds("let x = 1 // one\n\n/* two\n */ x");
        assert_eq!(
            got,
            vec![
                (Kind::Word, "let", 0),
                (Kind::Word, "x", 0),
                (Kind::Punct, "=", 0),
                (Kind::Number, "1", 0),
                (Kind::LineComment, "// one", 0),
                (Kind::BlockComment, "/* two\n */", 2),
                (Kind::Word, "x", 0),
            ]
        );
    }

    #[test]
    fn numbers_ranges_and_strings() {
        let got = kinds("0..n 0.25 t.0 hex\"ab\" \"a\\\"b\"");
        let texts: Vec<&str> = got.iter().map(|g| g.1).collect();
        assert_eq!(
            texts,
            [
                "0",
                "..",
                "n",
                "0.25",
                "t",
                ".",
                "0",
                "hex\"ab\"",
                "\"a\\\"b\""
            ]
        );
    }
}
