//! Tokens: what the lexer produces and the parser reads.

use std::fmt;

use chumsky::span::SimpleSpan;
use nest_diagnostics::FileId;

/// A span in the parser's terms: byte offsets plus the file.
pub(crate) type Sp = SimpleSpan<usize, FileId>;

/// One token: its kind, whether it is the first token of its line, and the line
/// breaks before it.
///
/// Statements end at line breaks, so a few rules look at `line_start` (a `(` or `[`
/// that begins a line starts a new statement rather than calling or indexing the
/// previous one). Two tokens are equal when their kinds are: layout is not identity.
#[derive(Debug, Clone)]
pub struct Token {
    /// What the token is.
    pub kind: Tok,
    /// True when only whitespace and comments precede it on its line.
    pub line_start: bool,
    /// Line breaks in the whitespace between the previous token or comment and this
    /// one (those inside a block comment are the comment's).
    pub breaks: u32,
}

impl Token {
    /// A token of this kind, as a pattern for the parser (layout ignored).
    pub fn of(kind: Tok) -> Token {
        Token {
            kind,
            line_start: false,
            breaks: 0,
        }
    }

    /// True for keywords and the reserved words `while` and `loop`.
    pub fn is_keyword(&self) -> bool {
        matches!(self.kind, Tok::Kw(_) | Tok::Reserved(_))
    }
}

/// A comment that is not a doc comment: trivia, which the parser never sees and the
/// formatter keeps. (`///` comments, and `//!` ones at the top of a file, are tokens:
/// the parser attaches them to what follows.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    /// `//` or `/*`.
    pub kind: CommentKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it: the line break that ends a line comment is not part
    /// of it; the `*/` of a block comment is.
    pub end: usize,
    /// Line breaks in the whitespace between the previous token or comment and this one.
    pub breaks: u32,
}

/// The two kinds of comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `// …` to the end of the line.
    Line,
    /// `/* … */`, nesting, possibly over several lines.
    Block,
}

/// The words the lexer reserves without giving them a meaning: always an error (`E0105`).
pub const RESERVED: [&str; 2] = ["while", "loop"];

impl PartialEq for Token {
    fn eq(&self, other: &Token) -> bool {
        self.kind == other.kind
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

/// The kinds of token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A name that is not a keyword.
    Ident(String),
    /// A name right after a number on the same line: the number's unit (`1_000 USDC`).
    Unit(String),
    /// A number as written, underscores removed (`1000`, `0.25`, `0xA0b8…`).
    Number(String),
    /// A string literal, escapes resolved.
    Str(String),
    /// `hex"…"`, decoded.
    HexStr(Vec<u8>),
    /// `/// text`: the text after the marker.
    OuterDoc(String),
    /// `//! text` at the top of a file: the text after the marker.
    InnerDoc(String),
    /// A keyword.
    Kw(Kw),
    /// `while` or `loop`: reserved, never valid.
    Reserved(&'static str),
    /// Punctuation and operators.
    Punct(Punct),
}

/// Keywords. They match whole words only (`with_fee` is a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kw {
    Use,
    Token,
    Interface,
    Const,
    Param,
    Fn,
    Let,
    Mut,
    If,
    Else,
    For,
    In,
    With,
    Return,
    As,
    True,
    False,
    #[allow(clippy::enum_variant_names)]
    SelfKw,
}

impl Kw {
    /// Every keyword, in the order of the enum (a test checks [`Kw::from_word`]
    /// against it).
    pub const ALL: [Kw; 18] = [
        Kw::Use,
        Kw::Token,
        Kw::Interface,
        Kw::Const,
        Kw::Param,
        Kw::Fn,
        Kw::Let,
        Kw::Mut,
        Kw::If,
        Kw::Else,
        Kw::For,
        Kw::In,
        Kw::With,
        Kw::Return,
        Kw::As,
        Kw::True,
        Kw::False,
        Kw::SelfKw,
    ];

    /// The keyword as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Kw::Use => "use",
            Kw::Token => "token",
            Kw::Interface => "interface",
            Kw::Const => "const",
            Kw::Param => "param",
            Kw::Fn => "fn",
            Kw::Let => "let",
            Kw::Mut => "mut",
            Kw::If => "if",
            Kw::Else => "else",
            Kw::For => "for",
            Kw::In => "in",
            Kw::With => "with",
            Kw::Return => "return",
            Kw::As => "as",
            Kw::True => "true",
            Kw::False => "false",
            Kw::SelfKw => "self",
        }
    }

    /// The keyword spelled `word`, if any.
    pub fn from_word(word: &str) -> Option<Kw> {
        // A `match` on the spelling (the lexer asks this of every word); a test
        // checks it against `ALL`.
        Some(match word {
            "use" => Kw::Use,
            "token" => Kw::Token,
            "interface" => Kw::Interface,
            "const" => Kw::Const,
            "param" => Kw::Param,
            "fn" => Kw::Fn,
            "let" => Kw::Let,
            "mut" => Kw::Mut,
            "if" => Kw::If,
            "else" => Kw::Else,
            "for" => Kw::For,
            "in" => Kw::In,
            "with" => Kw::With,
            "return" => Kw::Return,
            "as" => Kw::As,
            "true" => Kw::True,
            "false" => Kw::False,
            "self" => Kw::SelfKw,
            _ => return None,
        })
    }
}

/// Punctuation and operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Punct {
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Semi,
    Colon,
    ColonColon,
    Dot,
    DotDot,
    Arrow,
    Hash,
    Assign,
    PlusEq,
    MinusEq,
    StarEq,
    EqEq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    Percent,
    Bang,
    Tilde,
    Amp,
    AmpAmp,
    Pipe,
    PipePipe,
    Caret,
    Shl,
    Shr,
}

impl Punct {
    /// Every punctuation token, longest spellings first: the order in which
    /// [`Punct::at_start`] must match (a test compares the two).
    #[cfg(test)]
    pub const BY_LENGTH: [Punct; 39] = [
        Punct::StarStar,
        Punct::ColonColon,
        Punct::DotDot,
        Punct::Arrow,
        Punct::PlusEq,
        Punct::MinusEq,
        Punct::StarEq,
        Punct::EqEq,
        Punct::Ne,
        Punct::Le,
        Punct::Ge,
        Punct::AmpAmp,
        Punct::PipePipe,
        Punct::Shl,
        Punct::Shr,
        Punct::LParen,
        Punct::RParen,
        Punct::LBracket,
        Punct::RBracket,
        Punct::LBrace,
        Punct::RBrace,
        Punct::Comma,
        Punct::Semi,
        Punct::Colon,
        Punct::Dot,
        Punct::Hash,
        Punct::Assign,
        Punct::Lt,
        Punct::Gt,
        Punct::Plus,
        Punct::Minus,
        Punct::Star,
        Punct::Slash,
        Punct::Percent,
        Punct::Bang,
        Punct::Tilde,
        Punct::Amp,
        Punct::Pipe,
        Punct::Caret,
    ];

    /// The longest punctuation `text` starts with, if any: a two-character spelling
    /// before its one-character prefix, as in [`Punct::BY_LENGTH`] (the lexer asks
    /// this at every punctuation token, so it matches on bytes).
    pub fn at_start(text: &str) -> Option<Punct> {
        use Punct::*;
        let bytes = text.as_bytes();
        let first = *bytes.first()?;
        let second = bytes.get(1).copied().unwrap_or(0);
        let two = match (first, second) {
            (b'*', b'*') => Some(StarStar),
            (b':', b':') => Some(ColonColon),
            (b'.', b'.') => Some(DotDot),
            (b'-', b'>') => Some(Arrow),
            (b'+', b'=') => Some(PlusEq),
            (b'-', b'=') => Some(MinusEq),
            (b'*', b'=') => Some(StarEq),
            (b'=', b'=') => Some(EqEq),
            (b'!', b'=') => Some(Ne),
            (b'<', b'=') => Some(Le),
            (b'>', b'=') => Some(Ge),
            (b'&', b'&') => Some(AmpAmp),
            (b'|', b'|') => Some(PipePipe),
            (b'<', b'<') => Some(Shl),
            (b'>', b'>') => Some(Shr),
            _ => None,
        };
        two.or(match first {
            b'(' => Some(LParen),
            b')' => Some(RParen),
            b'[' => Some(LBracket),
            b']' => Some(RBracket),
            b'{' => Some(LBrace),
            b'}' => Some(RBrace),
            b',' => Some(Comma),
            b';' => Some(Semi),
            b':' => Some(Colon),
            b'.' => Some(Dot),
            b'#' => Some(Hash),
            b'=' => Some(Assign),
            b'<' => Some(Lt),
            b'>' => Some(Gt),
            b'+' => Some(Plus),
            b'-' => Some(Minus),
            b'*' => Some(Star),
            b'/' => Some(Slash),
            b'%' => Some(Percent),
            b'!' => Some(Bang),
            b'~' => Some(Tilde),
            b'&' => Some(Amp),
            b'|' => Some(Pipe),
            b'^' => Some(Caret),
            _ => None,
        })
    }

    /// The punctuation as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Punct::LParen => "(",
            Punct::RParen => ")",
            Punct::LBracket => "[",
            Punct::RBracket => "]",
            Punct::LBrace => "{",
            Punct::RBrace => "}",
            Punct::Comma => ",",
            Punct::Semi => ";",
            Punct::Colon => ":",
            Punct::ColonColon => "::",
            Punct::Dot => ".",
            Punct::DotDot => "..",
            Punct::Arrow => "->",
            Punct::Hash => "#",
            Punct::Assign => "=",
            Punct::PlusEq => "+=",
            Punct::MinusEq => "-=",
            Punct::StarEq => "*=",
            Punct::EqEq => "==",
            Punct::Ne => "!=",
            Punct::Lt => "<",
            Punct::Le => "<=",
            Punct::Gt => ">",
            Punct::Ge => ">=",
            Punct::Plus => "+",
            Punct::Minus => "-",
            Punct::Star => "*",
            Punct::StarStar => "**",
            Punct::Slash => "/",
            Punct::Percent => "%",
            Punct::Bang => "!",
            Punct::Tilde => "~",
            Punct::Amp => "&",
            Punct::AmpAmp => "&&",
            Punct::Pipe => "|",
            Punct::PipePipe => "||",
            Punct::Caret => "^",
            Punct::Shl => "<<",
            Punct::Shr => ">>",
        }
    }

    /// True for binary operators (error messages group them as "an operator").
    pub fn is_binary_operator(self) -> bool {
        use Punct::*;
        matches!(
            self,
            EqEq | Ne
                | Lt
                | Le
                | Gt
                | Ge
                | Plus
                | Minus
                | Star
                | StarStar
                | Slash
                | Percent
                | Amp
                | AmpAmp
                | Pipe
                | PipePipe
                | Caret
                | Shl
                | Shr
        )
    }
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Ident(name) | Tok::Unit(name) => write!(f, "`{name}`"),
            Tok::Number(raw) => write!(f, "`{raw}`"),
            Tok::Str(_) => f.write_str("a string"),
            Tok::HexStr(_) => f.write_str("a hex string"),
            Tok::OuterDoc(_) => f.write_str("a doc comment"),
            Tok::InnerDoc(_) => f.write_str("an inner doc comment"),
            Tok::Kw(kw) => write!(f, "`{}`", kw.as_str()),
            Tok::Reserved(word) => write!(f, "`{word}`"),
            Tok::Punct(p) => write!(f, "`{}`", p.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Punct;

    /// The longest spelling in `BY_LENGTH` order, compared as text.
    fn by_scan(text: &str) -> Option<Punct> {
        Punct::BY_LENGTH
            .into_iter()
            .find(|p| text.starts_with(p.as_str()))
    }

    #[test]
    fn from_word_finds_every_keyword_and_nothing_else() {
        for kw in super::Kw::ALL {
            assert_eq!(super::Kw::from_word(kw.as_str()), Some(kw));
        }
        for word in ["", "While", "USE", "lets", "selfie", "token_", "decimals"] {
            assert_eq!(super::Kw::from_word(word), None, "{word}");
        }
    }

    #[test]
    fn at_start_agrees_with_the_longest_spelling_for_every_pair_of_characters() {
        let chars: Vec<char> = (b' '..=b'~').map(char::from).chain(['\n', 'é']).collect();
        for a in &chars {
            assert_eq!(Punct::at_start(&a.to_string()), by_scan(&a.to_string()));
            for b in &chars {
                let text = format!("{a}{b}x");
                assert_eq!(Punct::at_start(&text), by_scan(&text), "{text:?}");
            }
        }
        assert_eq!(Punct::at_start(""), None);
    }
}
