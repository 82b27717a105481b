//! The fast parser's view of the tokens: peeking, consuming, spans, and the
//! nesting limit beyond which it gives up.

use nest_diagnostics::{FileId, Span};

use crate::ast::{Ident, StrLit};
use crate::lexer::Sp;
use crate::token::{Kw, Punct, Tok, Token};

/// Nesting levels (expressions, types, blocks) the fast parser goes into before it
/// gives up; deeper input is left to the chumsky parser and its big stack.
const MAX_DEPTH: usize = 64;

/// A position in the token slice. Every method that returns `Option` returns `None`
/// to give up.
///
/// The text of a token that becomes part of the tree (a name, a number, a string, a
/// doc comment) is moved out of the token rather than cloned: the tokens are spent
/// once the fast parser has run, and `parse` lexes again when it gives up.
pub(super) struct Cursor<'t> {
    file: FileId,
    tokens: &'t mut [(Token, Sp)],
    pos: usize,
    depth: usize,
}

impl<'t> Cursor<'t> {
    pub(super) fn new(file: FileId, tokens: &'t mut [(Token, Sp)]) -> Cursor<'t> {
        Cursor {
            file,
            tokens,
            pos: 0,
            depth: 0,
        }
    }

    /// True when every token has been consumed.
    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    /// The token `n` places ahead, if any.
    pub(super) fn token_at(&self, n: usize) -> Option<&Token> {
        self.tokens.get(self.pos + n).map(|(t, _)| t)
    }

    /// The next token, if any.
    pub(super) fn token(&self) -> Option<&Token> {
        self.token_at(0)
    }

    /// The next token's kind, if any.
    pub(super) fn peek(&self) -> Option<&Tok> {
        self.token().map(|t| &t.kind)
    }

    /// The kind of the token `n` places ahead, if any.
    pub(super) fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.token_at(n).map(|t| &t.kind)
    }

    /// Consumes the next token and returns its span.
    pub(super) fn bump(&mut self) -> Span {
        let sp = self
            .tokens
            .get(self.pos)
            .map_or(Span::new(self.file, 0, 0), |(_, sp)| {
                Span::new(self.file, sp.start, sp.end)
            });
        self.pos += 1;
        sp
    }

    /// Moves the text out of the next token (a name, unit, number, string or doc
    /// comment) and consumes it; the text and the token's span.
    pub(super) fn take_text(&mut self) -> (String, Span) {
        let text = match self.tokens.get_mut(self.pos) {
            Some((
                Token {
                    kind:
                        Tok::Ident(s)
                        | Tok::Unit(s)
                        | Tok::Number(s)
                        | Tok::Str(s)
                        | Tok::OuterDoc(s)
                        | Tok::InnerDoc(s),
                    ..
                },
                _,
            )) => std::mem::take(s),
            _ => String::new(),
        };
        (text, self.bump())
    }

    /// Moves the bytes out of the next token (a hex string) and consumes it.
    pub(super) fn take_bytes(&mut self) -> Vec<u8> {
        let bytes = match self.tokens.get_mut(self.pos) {
            Some((
                Token {
                    kind: Tok::HexStr(b),
                    ..
                },
                _,
            )) => std::mem::take(b),
            _ => Vec::new(),
        };
        self.bump();
        bytes
    }

    /// The position, for [`Cursor::span_from`].
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// From the start of the token at `start` to the end of the last token consumed:
    /// the span chumsky gives a parser that consumed those tokens.
    pub(super) fn span_from(&self, start: usize) -> Span {
        let begin = self.tokens.get(start).map_or(0, |(_, sp)| sp.start);
        let end = self
            .pos
            .checked_sub(1)
            .and_then(|last| self.tokens.get(last))
            .map_or(begin, |(_, sp)| sp.end);
        Span::new(self.file, begin, end)
    }

    /// True when the next token is `p`.
    pub(super) fn at_punct(&self, p: Punct) -> bool {
        matches!(self.peek(), Some(Tok::Punct(q)) if *q == p)
    }

    /// True when the next token is `p` on the same line as the token before it.
    pub(super) fn at_punct_same_line(&self, p: Punct) -> bool {
        matches!(self.token(), Some(t) if t.kind == Tok::Punct(p) && !t.line_start)
    }

    /// Consumes `p` if it is next.
    pub(super) fn eat_punct(&mut self, p: Punct) -> bool {
        let found = self.at_punct(p);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes `p`, or gives up.
    pub(super) fn expect_punct(&mut self, p: Punct) -> Option<()> {
        self.eat_punct(p).then_some(())
    }

    /// True when the next token is the keyword `k`.
    pub(super) fn at_kw(&self, k: Kw) -> bool {
        matches!(self.peek(), Some(Tok::Kw(j)) if *j == k)
    }

    /// Consumes the keyword `k` if it is next.
    pub(super) fn eat_kw(&mut self, k: Kw) -> bool {
        let found = self.at_kw(k);
        if found {
            self.pos += 1;
        }
        found
    }

    /// Consumes the keyword `k`, or gives up.
    pub(super) fn expect_kw(&mut self, k: Kw) -> Option<()> {
        self.eat_kw(k).then_some(())
    }

    /// A name (not a keyword), or gives up.
    pub(super) fn ident(&mut self) -> Option<Ident> {
        match self.peek()? {
            Tok::Ident(_) => {
                let (name, span) = self.take_text();
                Some(Ident { name, span })
            }
            _ => None,
        }
    }

    /// True when the next token is a name spelled `word` (a contextual keyword).
    pub(super) fn at_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(name)) if name == word)
    }

    /// Consumes the contextual keyword `word`, or gives up.
    pub(super) fn expect_word(&mut self, word: &str) -> Option<()> {
        self.at_word(word).then(|| self.pos += 1)
    }

    /// True when the next token can be used as a name (a name, keyword or reserved word).
    pub(super) fn at_name_or_keyword(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Ident(_) | Tok::Kw(_) | Tok::Reserved(_))
        )
    }

    /// A name, or a keyword or reserved word used as one; or gives up.
    pub(super) fn name_or_keyword(&mut self) -> Option<Ident> {
        let name = match self.peek()? {
            Tok::Ident(_) => return self.ident(),
            Tok::Kw(k) => k.as_str().to_string(),
            Tok::Reserved(word) => word.to_string(),
            _ => return None,
        };
        Some(Ident {
            name,
            span: self.bump(),
        })
    }

    /// A string literal, or gives up.
    pub(super) fn string(&mut self) -> Option<StrLit> {
        match self.peek()? {
            Tok::Str(_) => {
                let (value, span) = self.take_text();
                Some(StrLit { value, span })
            }
            _ => None,
        }
    }

    /// `///` lines, their text.
    pub(super) fn outer_docs(&mut self) -> Vec<String> {
        let mut docs = Vec::new();
        while let Some(Tok::OuterDoc(_)) = self.peek() {
            docs.push(self.take_text().0);
        }
        docs
    }

    /// Optional `;`s after a statement that ends with a block.
    pub(super) fn opt_semis(&mut self) {
        while self.eat_punct(Punct::Semi) {}
    }

    /// The end of a statement that ends with an expression: `;`s, or a line break,
    /// a `}` or the end of input next; else gives up.
    pub(super) fn stmt_end(&mut self) -> Option<()> {
        if self.eat_punct(Punct::Semi) {
            self.opt_semis();
            return Some(());
        }
        match self.token() {
            None => Some(()),
            Some(t) if t.line_start || t.kind == Tok::Punct(Punct::RBrace) => Some(()),
            Some(_) => None,
        }
    }

    /// Goes one nesting level deeper, or gives up beyond [`MAX_DEPTH`].
    pub(super) fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// Comes back up one nesting level.
    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}
