//! The lexer: source text to tokens with spans, plus the comments between them and
//! lexical diagnostics. It is lossless: every token and comment has its span and the
//! number of line breaks before it, so the formatter and the editor work from it as
//! the parser does (the parser reads the tokens only).
//!
//! It never fails. A bad character is reported and skipped; an unterminated string
//! or comment runs to the end of input; a malformed number or hex string is reported
//! and still becomes a token, so the parser sees the shape the author meant.

use chumsky::span::SimpleSpan;
use nest_diagnostics::{Diagnostic, FileId};

use crate::errors;
use crate::token::{Comment, CommentKind, Kw, Punct, Sp, Tok, Token, RESERVED};

/// The lexer's output.
pub struct Lexed {
    /// Tokens in source order, each with its span.
    pub(crate) tokens: Vec<(Token, Sp)>,
    /// Comments in source order (doc comments are tokens instead).
    pub comments: Vec<Comment>,
    /// Lexical errors.
    pub diags: Vec<Diagnostic>,
}

/// A token or a comment, as [`Lexed::lossless`] yields them.
#[derive(Debug, Clone)]
pub enum Lexeme<'a> {
    /// A token and its byte range.
    Token(&'a Token, std::ops::Range<usize>),
    /// A comment.
    Comment(&'a Comment),
}

impl Lexed {
    /// Tokens and comments merged in source order: everything in the text but
    /// whitespace (whose line breaks each item counts), a byte order mark that starts
    /// the text, and the characters the lexer reports and skips (invalid ones, bidi
    /// controls and invisible ones between tokens).
    pub fn lossless(&self) -> impl Iterator<Item = Lexeme<'_>> {
        let mut tokens = self.tokens.iter().peekable();
        let mut comments = self.comments.iter().peekable();
        std::iter::from_fn(move || {
            let comment_first = match (tokens.peek(), comments.peek()) {
                (Some((_, sp)), Some(c)) => c.start < sp.start,
                (None, Some(_)) => true,
                (_, None) => false,
            };
            if comment_first {
                comments.next().map(Lexeme::Comment)
            } else {
                tokens
                    .next()
                    .map(|(t, sp)| Lexeme::Token(t, sp.start..sp.end))
            }
        })
    }
}

/// Splits `text` into tokens and comments.
pub fn lex(file: FileId, text: &str) -> Lexed {
    let mut lexer = Lexer {
        file,
        text,
        // A UTF-8 byte order mark (editors on Windows write one) is not part of the
        // script: skip it, keeping every span an offset into the full text.
        pos: if text.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            0
        },
        line_start: true,
        breaks: 0,
        // The repository's scripts have about one token per nine or ten bytes: one
        // allocation for most files, a single doubling for dense ones. (A token
        // takes 64 bytes: a quarter of the text's length overshot the allocator's
        // direct-mapping threshold for a 200-line script, a fresh mapping each time.)
        out: Vec::with_capacity(text.len() / 8 + 16),
        comments: Vec::new(),
        diags: Vec::new(),
    };
    lexer.run();
    crate::hidden::scan(file, text, &lexer.out, &mut lexer.diags);
    Lexed {
        tokens: lexer.out,
        comments: lexer.comments,
        diags: lexer.diags,
    }
}

struct Lexer<'a> {
    file: FileId,
    text: &'a str,
    pos: usize,
    line_start: bool,
    /// Line breaks since the last token or comment.
    breaks: u32,
    out: Vec<(Token, Sp)>,
    comments: Vec<Comment>,
    diags: Vec<Diagnostic>,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    fn span(&self, start: usize, end: usize) -> Sp {
        SimpleSpan {
            start,
            end,
            context: self.file,
        }
    }

    fn nspan(&self, start: usize, end: usize) -> nest_diagnostics::Span {
        nest_diagnostics::Span::new(self.file, start, end)
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        // Most text is ASCII: one byte is one character (the lexer asks this of
        // every character, so it skips the UTF-8 decoding when it can).
        match self.text.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.rest().chars().next(),
            None => None,
        }
    }

    /// Moves past the ASCII bytes `keep` accepts (names and numbers are ASCII).
    fn skip_ascii_while(&mut self, keep: impl Fn(u8) -> bool) {
        let bytes = self.text.as_bytes();
        while bytes.get(self.pos).is_some_and(|&b| keep(b)) {
            self.pos += 1;
        }
    }

    /// The byte `n` bytes past the current position.
    fn peek_byte(&self, n: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos + n).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn push(&mut self, kind: Tok, start: usize) {
        let token = Token {
            kind,
            line_start: self.line_start,
            breaks: self.breaks,
        };
        self.out.push((token, self.span(start, self.pos)));
        self.line_start = false;
        self.breaks = 0;
    }

    /// Records the comment from `start` to the current position.
    fn push_comment(&mut self, kind: CommentKind, start: usize) {
        self.comments.push(Comment {
            kind,
            start,
            end: self.pos,
            breaks: self.breaks,
        });
        self.breaks = 0;
    }

    /// A carriage return not followed by a line feed: a line break of its own (old Mac
    /// line endings), as editors show it.
    fn lone_cr(&self, c: char) -> bool {
        c == '\r' && self.peek_byte(1) != Some(b'\n')
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            let start = self.pos;
            if c == '\n' || self.lone_cr(c) {
                self.bump();
                self.line_start = true;
                self.breaks += 1;
            } else if c.is_whitespace() {
                // Line breaks other than LF and CRLF are reported by `hidden::scan`.
                self.bump();
            } else if c == '/' && self.peek_byte(1) == Some(b'/') {
                self.line_comment();
            } else if c == '/' && self.peek_byte(1) == Some(b'*') {
                self.block_comment();
            } else if c.is_ascii_digit() {
                self.number();
            } else if c == '"' {
                let value = self.string();
                self.push(Tok::Str(value), start);
            } else if is_ident_start(c) {
                self.word();
            } else if let Some(p) = Punct::at_start(self.rest()) {
                self.pos += p.as_str().len();
                self.push(Tok::Punct(p), start);
            } else if crate::hidden::skipped_between_tokens(c) {
                // A bidi control, reported by `hidden::scan` wherever it is.
                self.bump();
            } else if let Some(d) = crate::hidden::invisible_in_code(self.file, start, c) {
                self.diags.push(d);
                self.bump();
            } else {
                self.invalid_chars();
            }
        }
    }

    /// `// …`, `/// doc`, `//! inner doc`.
    fn line_comment(&mut self) {
        let start = self.pos;
        // A comment ends at a line break: `\n`, or `\r` (alone or before `\n`).
        let end = self
            .rest()
            .find(['\n', '\r'])
            .map_or(self.text.len(), |i| self.pos + i);
        let body = self.text.get(start..end).unwrap_or("");
        self.pos = end;
        let doc_text = |marker: &str| {
            let t = body.get(marker.len()..).unwrap_or("");
            t.strip_prefix(' ').unwrap_or(t).trim_end().to_string()
        };
        if body.starts_with("///") && !body.starts_with("////") {
            let line_start = self.line_start;
            self.push(Tok::OuterDoc(doc_text("///")), start);
            // A doc comment does not change where the next line's tokens sit.
            self.line_start = line_start;
        } else if body.starts_with("//!")
            && self
                .out
                .iter()
                .all(|(t, _)| matches!(t.kind, Tok::InnerDoc(_)))
        {
            self.push(Tok::InnerDoc(doc_text("//!")), start);
        } else {
            self.push_comment(CommentKind::Line, start);
        }
    }

    /// `/* … */`, nesting.
    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        let mut depth = 1usize;
        while depth > 0 {
            let rest = self.rest();
            if rest.is_empty() {
                let end = self.text.len();
                self.diags.push(errors::unterminated_comment(
                    self.nspan(start, start + 2),
                    self.nspan(end, end),
                ));
                self.pos = end;
                self.push_comment(CommentKind::Block, start);
                return;
            }
            if rest.starts_with("/*") {
                depth += 1;
                self.pos += 2;
            } else if rest.starts_with("*/") {
                depth -= 1;
                self.pos += 2;
            } else {
                let c = self.peek();
                if c.is_some_and(|c| c == '\n' || self.lone_cr(c)) {
                    self.line_start = true;
                }
                self.bump();
            }
        }
        self.push_comment(CommentKind::Block, start);
    }

    /// A name, a keyword, a unit after a number, or `hex"…"`.
    fn word(&mut self) {
        let start = self.pos;
        self.skip_ascii_while(is_ident_byte);
        let word = self.text.get(start..self.pos).unwrap_or("");
        if word == "hex" && self.peek() == Some('"') {
            self.hex_string(start);
            return;
        }
        let after_number = matches!(
            self.out.last(),
            Some((
                Token {
                    kind: Tok::Number(_),
                    ..
                },
                _
            ))
        );
        let kind = if let Some(kw) = Kw::from_word(word) {
            Tok::Kw(kw)
        } else if let Some(&reserved) = RESERVED.iter().find(|&&r| r == word) {
            Tok::Reserved(reserved)
        } else if after_number && !self.line_start {
            Tok::Unit(word.to_string())
        } else {
            Tok::Ident(word.to_string())
        };
        self.push(kind, start);
    }

    /// Decimal, fractional or hex numbers; underscores removed, case kept.
    fn number(&mut self) {
        let start = self.pos;
        // After `.` only an integer can follow: `t.0.1` is two tuple fields.
        let after_dot = matches!(self.out.last(), Some((Token { kind: Tok::Punct(Punct::Dot), .. }, sp)) if sp.end == start);
        let hex = self.rest().starts_with("0x") || self.rest().starts_with("0X");
        if hex {
            self.pos += 2;
        }
        self.skip_ascii_while(is_ident_byte);
        let fraction = !hex
            && !after_dot
            && self.peek() == Some('.')
            && self.peek_at(1).is_some_and(|c| c.is_ascii_digit());
        if fraction {
            self.bump();
            self.skip_ascii_while(is_ident_byte);
        }
        let written = self.text.get(start..self.pos).unwrap_or("");
        if let Some(problem) = number_problem(written, hex) {
            self.diags.push(errors::invalid_number(
                self.nspan(start, self.pos),
                written,
                problem,
            ));
        }
        let raw = if written.contains('_') {
            written.replace('_', "")
        } else {
            written.to_string()
        };
        self.push(Tok::Number(raw), start);
    }

    /// A `"…"` string starting at the current position; returns its decoded value.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.bump();
        let mut value = String::new();
        loop {
            let Some(c) = self.bump() else {
                let end = self.text.len();
                self.diags.push(errors::unterminated_string(
                    self.nspan(start, start + 1),
                    self.nspan(end, end),
                ));
                return value;
            };
            match c {
                '"' => return value,
                '\\' => self.escape(&mut value),
                _ => value.push(c),
            }
        }
    }

    /// The escape after a `\` in a string.
    fn escape(&mut self, value: &mut String) {
        let start = self.pos - 1;
        let Some(c) = self.bump() else { return };
        let simple = match c {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            '0' => Some('\0'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            '\'' => Some('\''),
            _ => None,
        };
        if let Some(s) = simple {
            value.push(s);
            return;
        }
        let decoded = match c {
            'x' => self.hex_escape(2).filter(|&v| v < 0x80),
            'u' if self.peek() == Some('{') => {
                self.bump();
                let digits = self.hex_escape(6);
                if self.peek() == Some('}') {
                    self.bump();
                    digits
                } else {
                    None
                }
            }
            _ => None,
        };
        match decoded.and_then(char::from_u32) {
            Some(ch) => value.push(ch),
            None => {
                let sp = self.nspan(start, self.pos);
                let written = self.text.get(start..self.pos).unwrap_or("\\");
                self.diags.push(errors::invalid_escape(sp, written));
            }
        }
    }

    /// Up to `max` hex digits as a number (at least one required).
    fn hex_escape(&mut self, max: usize) -> Option<u32> {
        let mut value = 0u32;
        let mut count = 0;
        while count < max {
            let Some(d) = self.peek().and_then(|c| c.to_digit(16)) else {
                break;
            };
            self.bump();
            value = value * 16 + d;
            count += 1;
        }
        (count > 0).then_some(value)
    }

    /// `hex"dead_beef"`: `start` is at `hex`, the current position at the quote.
    fn hex_string(&mut self, start: usize) {
        let content = self.string();
        let mut bytes = Vec::new();
        let mut problem = None;
        let digits: Vec<char> = content.chars().filter(|&c| c != '_').collect();
        if let Some(bad) = digits.iter().find(|c| !c.is_ascii_hexdigit()) {
            problem = Some(format!("`{bad}` is not a hex digit"));
        } else if !digits.len().is_multiple_of(2) {
            problem = Some(format!(
                "{} hex digits do not make whole bytes",
                digits.len()
            ));
        } else {
            for pair in digits.chunks(2) {
                let hi = pair[0].to_digit(16).unwrap_or(0);
                let lo = pair[1].to_digit(16).unwrap_or(0);
                bytes.push((hi * 16 + lo) as u8);
            }
        }
        if let Some(problem) = problem {
            self.diags.push(errors::invalid_hex_string(
                self.nspan(start, self.pos),
                &problem,
            ));
        }
        self.push(Tok::HexStr(bytes), start);
    }

    /// A run of characters that start no token.
    fn invalid_chars(&mut self) {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let starts_token = c.is_whitespace()
                || c.is_ascii_alphanumeric()
                || c == '_'
                || c == '"'
                || c == '/'
                || crate::hidden::classify(c).is_some()
                || Punct::at_start(self.rest()).is_some();
            if starts_token && self.pos > start {
                break;
            }
            self.bump();
        }
        let written = self.text.get(start..self.pos).unwrap_or("");
        self.diags.push(errors::invalid_character(
            self.nspan(start, self.pos),
            written,
        ));
    }
}

/// What is wrong with a number literal as written, if anything.
fn number_problem(written: &str, hex: bool) -> Option<String> {
    let digits = if hex {
        written.get(2..).unwrap_or("")
    } else {
        written
    };
    if hex {
        if digits.chars().all(|c| c == '_') {
            return Some("`0x` needs hex digits after it".to_string());
        }
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit() && *c != '_') {
            return Some(format!("`{bad}` is not a hex digit"));
        }
    } else if let Some(bad) = digits
        .chars()
        .find(|c| !c.is_ascii_digit() && *c != '_' && *c != '.')
    {
        return Some(format!("`{bad}` is not a decimal digit"));
    }
    let misplaced_underscore = digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || digits.contains("_.")
        || digits.contains("._");
    if misplaced_underscore {
        return Some("underscores may only separate digits".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each token or comment as written, with the line breaks before it.
    fn lossless(text: &str) -> Vec<(&str, u32)> {
        let lexed = lex(FileId(0), text);
        lexed
            .lossless()
            .map(|l| match l {
                Lexeme::Token(t, r) => (&text[r], t.breaks),
                Lexeme::Comment(c) => (&text[c.start..c.end], c.breaks),
            })
            .collect()
    }

    #[test]
    fn comments_are_kept_in_order_with_the_line_breaks_before_each() {
        let text = "//! top\nlet x = 1 // one\n\n/* two\n */ x\n/// doc\n//! late\nf()";
        assert_eq!(
            lossless(text),
            [
                ("//! top", 0),
                ("let", 1),
                ("x", 0),
                ("=", 0),
                ("1", 0),
                ("// one", 0),
                ("/* two\n */", 2),
                ("x", 0),
                ("/// doc", 1),
                ("//! late", 1),
                ("f", 1),
                ("(", 0),
                (")", 0),
            ]
        );
        let lexed = lex(FileId(0), text);
        let kinds: Vec<CommentKind> = lexed.comments.iter().map(|c| c.kind).collect();
        // `//! top` and `/// doc` are doc tokens; `//! late` is a plain comment.
        assert_eq!(
            kinds,
            [CommentKind::Line, CommentKind::Block, CommentKind::Line]
        );
    }

    #[test]
    fn an_unterminated_block_comment_is_kept_to_the_end() {
        let text = "x /* open\n";
        let lexed = lex(FileId(0), text);
        assert_eq!(lossless(text), [("x", 0), ("/* open\n", 0)]);
        assert_eq!(lexed.diags.len(), 1);
    }
}
