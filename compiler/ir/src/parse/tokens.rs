//! Tokens of the IR's text form: names, strings, numbers, punctuation, and the
//! positions errors point at.

use super::{ParseError, Parser, Result};
use alloy_primitives::U256;

impl<'a> Parser<'a> {
    /// Items separated by commas up to `close` (the opener already eaten).
    pub(super) fn list<T>(
        &mut self,
        close: &str,
        mut item: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        if self.eat(close) {
            return Ok(out);
        }
        loop {
            out.push(item(self)?);
            if self.eat(",") {
                continue;
            }
            if self.eat(close) {
                return Ok(out);
            }
            return Err(self.err(format!("expected `,` or `{close}`, found {}", self.found())));
        }
    }

    /// A name: a run of non-blank characters (stopping at any of `stop`), or a quoted string.
    pub(super) fn name(&mut self, stop: &[char]) -> Result<String> {
        self.ws();
        if self.peek() == Some('"') {
            return self.string();
        }
        let len: usize = self
            .rest()
            .chars()
            .take_while(|c| !c.is_whitespace() && !stop.contains(c))
            .map(char::len_utf8)
            .sum();
        if len == 0 {
            return Err(self.err(format!("expected a name, found {}", self.found())));
        }
        let name = self.text[self.pos..self.pos + len].to_string();
        self.pos += len;
        Ok(name)
    }

    /// A string literal with Rust's escapes (what `{:?}` prints).
    pub(super) fn string(&mut self) -> Result<String> {
        self.ws();
        let open = self.pos;
        self.expect("\"")?;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => {
                    let esc_at = self.pos + i;
                    let bad = |p: &Self| p.err_at(esc_at, "unknown escape in a string");
                    match chars.next().map(|(_, c)| c) {
                        Some('n') => out.push('\n'),
                        Some('r') => out.push('\r'),
                        Some('t') => out.push('\t'),
                        Some('0') => out.push('\0'),
                        Some(c @ ('\\' | '"' | '\'')) => out.push(c),
                        Some('u') => {
                            let rest = &self.text[esc_at + 2..];
                            let hex = rest
                                .strip_prefix('{')
                                .and_then(|r| r.split_once('}'))
                                .map(|(h, _)| h);
                            let c = hex
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32);
                            let (Some(c), Some(h)) = (c, hex) else {
                                return Err(bad(self));
                            };
                            out.push(c);
                            for _ in 0..h.len() + 2 {
                                chars.next();
                            }
                        }
                        _ => return Err(bad(self)),
                    }
                }
                c => out.push(c),
            }
        }
        Err(self.err_at(open, "this string is never closed"))
    }

    /// A 256-bit number: decimal, or hexadecimal after `0x`.
    pub(super) fn number(&mut self) -> Result<U256> {
        self.ws();
        let start = self.pos;
        let len = self
            .rest()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let tok = &self.text[start..start + len];
        if len == 0 || !tok.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(self.err(format!("expected a number, found {}", self.found())));
        }
        let parsed = match tok.strip_prefix("0x") {
            Some(hex) => U256::from_str_radix(hex, 16),
            None => U256::from_str_radix(tok, 10),
        };
        let v = parsed.map_err(|e| self.err(format!("invalid number `{tok}`: {e}")))?;
        self.pos += len;
        Ok(v)
    }

    /// A number that must fit in `T`; `what` names it in errors.
    pub(super) fn small<T: TryFrom<U256>>(&mut self, what: &str) -> Result<T> {
        self.ws();
        let start = self.pos;
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err(self.err(format!("expected {what}, found {}", self.found())));
        }
        let v = self.number()?;
        T::try_from(v).map_err(|_| self.err_at(start, format!("{what} `{v}` is too large")))
    }

    /// `[A-Za-z_$][A-Za-z0-9_$]*`, after blanks.
    pub(super) fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let text = self.text;
        let rest = &text[self.pos..];
        let first = rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_' || first == '$') {
            return None;
        }
        let len = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
            .count();
        self.pos += len;
        Some(&rest[..len])
    }

    /// Eats the word `kw` if it comes next.
    pub(super) fn keyword(&mut self, kw: &str) -> bool {
        self.ws();
        let start = self.pos;
        if self.ident() == Some(kw) {
            return true;
        }
        self.pos = start;
        false
    }

    /// Eats `s` if it comes next (after blanks).
    pub(super) fn eat(&mut self, s: &str) -> bool {
        self.ws();
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub(super) fn expect(&mut self, s: &str) -> Result<()> {
        if self.eat(s) {
            Ok(())
        } else {
            Err(self.err(format!("expected `{s}`, found {}", self.found())))
        }
    }

    /// Requires the end of the line.
    pub(super) fn end(&mut self) -> Result<()> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.err(format!(
                "expected the end of the line, found {}",
                self.found()
            )))
        }
    }

    pub(super) fn at_end(&mut self) -> bool {
        self.ws();
        self.pos >= self.text.len()
    }

    pub(super) fn ws(&mut self) {
        self.pos += self.rest().len() - self.rest().trim_start().len();
    }

    pub(super) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(super) fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Describes what is at the cursor, for errors.
    pub(super) fn found(&self) -> String {
        let rest = self.rest();
        let len = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .count();
        match rest.chars().next() {
            None => "the end of the line".into(),
            Some(_) if len > 0 => format!("`{}`", &rest[..len]),
            Some(c) => format!("`{c}`"),
        }
    }

    pub(super) fn col(&self) -> usize {
        self.text[..self.pos].chars().count() + 1
    }

    pub(super) fn err(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.line,
            col: self.col(),
            message: message.into(),
        }
    }

    pub(super) fn err_at(&self, pos: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.line,
            col: self.text[..pos].chars().count() + 1,
            message: message.into(),
        }
    }
}
