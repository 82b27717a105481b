//! The trivia scanner: source text to pieces (tokens *and* comments), each with the
//! number of line breaks before it. The parser's lexer drops comments; the
//! formatter must keep them, so it scans the text again with the same rules for
//! where one token ends and the next begins.

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
}

impl Piece<'_> {
    /// True for comments of either kind.
    pub fn is_comment(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }

    /// True when the piece is the punctuation `p`.
    pub fn is(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
}

/// Punctuation, longest spellings first (the lexer's match order).
const PUNCTS: [&str; 39] = [
    "**", "::", "..", "->", "+=", "-=", "*=", "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "(",
    ")", "[", "]", "{", "}", ",", ";", ":", ".", "#", "=", "<", ">", "+", "-", "*", "/", "%", "!",
    "~", "&", "|", "^",
];

fn is_ident_continue(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits `text` into pieces. Never fails: characters that start no token become
/// one-character punctuation pieces (files with lexical errors are refused earlier).
pub(crate) fn scan(text: &str) -> Vec<Piece<'_>> {
    let mut out: Vec<Piece<'_>> = Vec::new();
    let mut pos = 0;
    let mut breaks = 0;
    while let Some(c) = text.get(pos..).and_then(|r| r.chars().next()) {
        let rest = text.get(pos..).unwrap_or("");
        if c == '\n' {
            breaks += 1;
            pos += 1;
            continue;
        }
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        let (kind, len) = if rest.starts_with("//") {
            (Kind::LineComment, rest.find('\n').unwrap_or(rest.len()))
        } else if rest.starts_with("/*") {
            (Kind::BlockComment, block_comment_len(rest))
        } else if c.is_ascii_digit() {
            let after_dot = out.last().is_some_and(|p| p.is(".") && p.start + 1 == pos);
            (Kind::Number, number_len(rest, after_dot))
        } else if c == '"' {
            (Kind::Str, string_len(rest))
        } else if c.is_ascii_alphabetic() || c == '_' {
            let word = rest
                .find(|ch: char| !is_ident_continue(ch))
                .unwrap_or(rest.len());
            if &rest[..word] == "hex" && rest[word..].starts_with('"') {
                (Kind::Str, word + string_len(&rest[word..]))
            } else {
                (Kind::Word, word)
            }
        } else if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            (Kind::Punct, p.len())
        } else {
            (Kind::Punct, c.len_utf8())
        };
        let mut piece_text = &rest[..len];
        if kind == Kind::LineComment {
            piece_text = piece_text.trim_end();
        }
        out.push(Piece {
            kind,
            text: piece_text,
            start: pos,
            breaks,
        });
        breaks = 0;
        pos += len;
    }
    out
}

fn block_comment_len(rest: &str) -> usize {
    let mut depth = 0usize;
    let mut i = 0;
    while i < rest.len() {
        let tail = &rest[i..];
        if tail.starts_with("/*") {
            depth += 1;
            i += 2;
        } else if tail.starts_with("*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += tail.chars().next().map_or(1, char::len_utf8);
        }
    }
    rest.len()
}

fn number_len(rest: &str, after_dot: bool) -> usize {
    let hex = rest.starts_with("0x") || rest.starts_with("0X");
    let mut i = if hex { 2 } else { 0 };
    let digits = |from: usize| {
        rest[from..]
            .find(|ch: char| !is_ident_continue(ch))
            .map_or(rest.len(), |n| from + n)
    };
    i = digits(i);
    let bytes = rest.as_bytes();
    let fraction = !hex
        && !after_dot
        && bytes.get(i) == Some(&b'.')
        && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
    if fraction {
        i = digits(i + 1);
    }
    i
}

fn string_len(rest: &str) -> usize {
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return i + 1,
            '\\' => {
                chars.next();
            }
            _ => {}
        }
    }
    rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str, usize)> {
        scan(text)
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
