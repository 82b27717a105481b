//! Characters that make the text a reviewer sees differ from the text the compiler
//! reads (Trojan Source, CVE-2021-42574), refused wherever they appear:
//!
//! - `E0114`: a line break other than LF or CRLF — a lone CR, VT, FF, NEL (U+0085),
//!   LINE SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029). Tools disagree on
//!   whether these end a line, and in Nest a line break ends a statement and a `//`
//!   comment. Reported once per file: at the first one inside a string if any
//!   (`nestc fmt` normalises the others, not those), else at the first.
//! - `E0115`: a bidirectional control character (U+202A–U+202E, U+2066–U+2069,
//!   U+200E, U+200F, U+061C), which reorders how the text around it is displayed.
//! - `E0116`: an invisible character (zero-width space and joiners, word joiner,
//!   soft hyphen, variation selectors, fillers, tags, a byte order mark past the
//!   start) in a string literal or outside comments: two strings that look the same
//!   would hash, encode and compare differently. Comments may hold them (some
//!   scripts need joiners); a bidi control is refused there too.
//!
//! Names are ASCII only (the lexer's `is_ident_start`), so no look-alike letter or
//! invisible character can hide in a name.
//!
//! The scan runs after lexing, over the bytes: only VT, FF, CR and the lead bytes of
//! non-ASCII characters are looked at further, so ASCII text costs one pass.

use nest_diagnostics::{Diagnostic, FileId, Span};

use crate::token::Sp;
use crate::token::{Tok, Token};

/// At most this many `E0115` (and, separately, `E0116`) diagnostics per file: the
/// last one reported says how many more there are.
const MAX_REPORTED: usize = 10;

/// What kind of suspicious character `c` is, and its Unicode name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hidden {
    /// A line break other than LF or CRLF (a CR is one only when not before LF).
    LineBreak(&'static str),
    /// A bidirectional control character.
    Bidi(&'static str),
    /// A character that displays as nothing.
    Invisible(&'static str),
}

/// Classifies a character (a CR is classified as a line break whatever follows it).
pub(crate) fn classify(c: char) -> Option<Hidden> {
    use Hidden::*;
    Some(match c {
        '\r' => LineBreak("CARRIAGE RETURN"),
        '\u{0B}' => LineBreak("LINE TABULATION"),
        '\u{0C}' => LineBreak("FORM FEED"),
        '\u{85}' => LineBreak("NEXT LINE"),
        '\u{2028}' => LineBreak("LINE SEPARATOR"),
        '\u{2029}' => LineBreak("PARAGRAPH SEPARATOR"),
        '\u{202A}' => Bidi("LEFT-TO-RIGHT EMBEDDING"),
        '\u{202B}' => Bidi("RIGHT-TO-LEFT EMBEDDING"),
        '\u{202C}' => Bidi("POP DIRECTIONAL FORMATTING"),
        '\u{202D}' => Bidi("LEFT-TO-RIGHT OVERRIDE"),
        '\u{202E}' => Bidi("RIGHT-TO-LEFT OVERRIDE"),
        '\u{2066}' => Bidi("LEFT-TO-RIGHT ISOLATE"),
        '\u{2067}' => Bidi("RIGHT-TO-LEFT ISOLATE"),
        '\u{2068}' => Bidi("FIRST STRONG ISOLATE"),
        '\u{2069}' => Bidi("POP DIRECTIONAL ISOLATE"),
        '\u{200E}' => Bidi("LEFT-TO-RIGHT MARK"),
        '\u{200F}' => Bidi("RIGHT-TO-LEFT MARK"),
        '\u{061C}' => Bidi("ARABIC LETTER MARK"),
        '\u{AD}' => Invisible("SOFT HYPHEN"),
        '\u{34F}' => Invisible("COMBINING GRAPHEME JOINER"),
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => Invisible("HANGUL FILLER"),
        '\u{17B4}' | '\u{17B5}' => Invisible("KHMER INHERENT VOWEL"),
        '\u{180B}'..='\u{180D}' | '\u{180F}' => Invisible("MONGOLIAN FREE VARIATION SELECTOR"),
        '\u{180E}' => Invisible("MONGOLIAN VOWEL SEPARATOR"),
        '\u{200B}' => Invisible("ZERO WIDTH SPACE"),
        '\u{200C}' => Invisible("ZERO WIDTH NON-JOINER"),
        '\u{200D}' => Invisible("ZERO WIDTH JOINER"),
        '\u{2060}' => Invisible("WORD JOINER"),
        '\u{2061}'..='\u{2064}' => Invisible("INVISIBLE OPERATOR"),
        '\u{206A}'..='\u{206F}' => Invisible("DEPRECATED FORMAT CHARACTER"),
        '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' => Invisible("VARIATION SELECTOR"),
        '\u{FEFF}' => Invisible("ZERO WIDTH NO-BREAK SPACE (byte order mark)"),
        '\u{FFF9}'..='\u{FFFB}' => Invisible("INTERLINEAR ANNOTATION CHARACTER"),
        '\u{1D173}'..='\u{1D17A}' => Invisible("MUSICAL SYMBOL FORMAT CHARACTER"),
        '\u{E0000}'..='\u{E007F}' => Invisible("TAG CHARACTER"),
        _ => return None,
    })
}

/// Whether the lexer, meeting `c` between tokens, should skip it without reporting
/// an invalid character: bidi controls are reported by [`scan`].
pub(crate) fn skipped_between_tokens(c: char) -> bool {
    matches!(classify(c), Some(Hidden::Bidi(_)))
}

/// `E0116` for an invisible character between tokens (the lexer skips it).
pub(crate) fn invisible_in_code(file: FileId, start: usize, c: char) -> Option<Diagnostic> {
    match classify(c) {
        Some(Hidden::Invisible(name)) => Some(invisible(
            Span::new(file, start, start + c.len_utf8()),
            c,
            name,
            false,
        )),
        _ => None,
    }
}

/// Reports the line breaks, bidi controls anywhere, and invisible characters inside
/// string literals of `text` (`tokens` are its tokens, to tell what is in a string).
pub(crate) fn scan(file: FileId, text: &str, tokens: &[(Token, Sp)], diags: &mut Vec<Diagnostic>) {
    let bytes = text.as_bytes();
    let mut first_break: Option<(usize, char, &'static str)> = None;
    let mut breaks = 0usize;
    let mut bidi: Vec<(usize, char, &'static str)> = Vec::new();
    let mut bidi_count = 0usize;
    let mut invisibles: Vec<(usize, char, &'static str)> = Vec::new();
    let mut invisible_count = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let suspicious = matches!(b, 0x0B..=0x0D) || b >= 0xC0;
        if !suspicious {
            i += 1;
            continue;
        }
        let c = text.get(i..).and_then(|t| t.chars().next()).unwrap_or('\0');
        let len = c.len_utf8();
        match classify(c) {
            Some(Hidden::LineBreak(name)) => {
                let crlf = c == '\r' && bytes.get(i + 1) == Some(&b'\n');
                if !crlf {
                    breaks += 1;
                    // One in a string is shown first: `nestc fmt` cannot normalise it.
                    let shown_in_string =
                        first_break.is_some_and(|(at, _, _)| in_string(tokens, at));
                    if first_break.is_none() || (!shown_in_string && in_string(tokens, i)) {
                        first_break = Some((i, c, name));
                    }
                }
            }
            Some(Hidden::Bidi(name)) => {
                bidi_count += 1;
                if bidi.len() < MAX_REPORTED {
                    bidi.push((i, c, name));
                }
            }
            // A byte order mark that starts the file is not part of the script.
            Some(Hidden::Invisible(_)) if i == 0 && c == '\u{FEFF}' => {}
            Some(Hidden::Invisible(name)) if in_string(tokens, i) => {
                invisible_count += 1;
                if invisibles.len() < MAX_REPORTED {
                    invisibles.push((i, c, name));
                }
            }
            _ => {}
        }
        i += len;
    }
    let sp = |at: usize, c: char| Span::new(file, at, at + c.len_utf8());
    if let Some((at, c, name)) = first_break {
        diags.push(line_break(
            sp(at, c),
            c,
            name,
            in_string(tokens, at),
            breaks,
        ));
    }
    let last = bidi.len().saturating_sub(1);
    for (n, &(at, c, name)) in bidi.iter().enumerate() {
        let mut d = bidi_control(sp(at, c), c, name, in_string(tokens, at));
        if n == last && bidi_count > bidi.len() {
            d = d.with_note(more(bidi_count - bidi.len()));
        }
        diags.push(d);
    }
    let last = invisibles.len().saturating_sub(1);
    for (n, &(at, c, name)) in invisibles.iter().enumerate() {
        let mut d = invisible(sp(at, c), c, name, true);
        if n == last && invisible_count > invisibles.len() {
            d = d.with_note(more(invisible_count - invisibles.len()));
        }
        diags.push(d);
    }
}

fn more(n: usize) -> String {
    format!("{n} more such character(s) in this file are not shown")
}

/// Whether byte offset `at` is inside a string literal's token (quotes excluded).
fn in_string(tokens: &[(Token, Sp)], at: usize) -> bool {
    let i = tokens.partition_point(|(_, sp)| sp.end <= at);
    tokens
        .get(i)
        .is_some_and(|(t, sp)| sp.start < at && matches!(t.kind, Tok::Str(_) | Tok::HexStr(_)))
}

/// `U+202E`.
fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `E0114`: a line break other than LF or CRLF (the first of `count` in the file).
fn line_break(at: Span, c: char, name: &'static str, in_string: bool, count: usize) -> Diagnostic {
    let cp = code_point(c);
    let what = if c == '\r' {
        "a carriage return not followed by a line feed".to_string()
    } else {
        format!("{cp} ({name})")
    };
    let mut d = Diagnostic::error("E0114", format!("line break other than LF or CRLF: {what}"))
        .with_primary(at, format!("{cp} {name}"))
        .with_note(
            "tools disagree on whether this character ends a line, so the text a reviewer sees \
             may not be the text that compiles; a line ends with LF or CRLF only",
        );
    if count > 1 {
        d = d.with_note(format!(
            "the file has {count} such line breaks; one is shown"
        ));
    }
    let help = match (c, in_string) {
        ('\r', true) => "write a carriage return in a string as the escape `\\r`".to_string(),
        ('\r', false) => {
            "save the file with LF or CRLF line ends; `nestc fmt` normalises them".to_string()
        }
        (_, true) => format!(
            "remove it, or write it as the escape `\\u{{{:X}}}`",
            u32::from(c)
        ),
        (_, false) => "remove it, or replace it with a line feed".to_string(),
    };
    d.with_help(help)
}

/// `E0115`: a bidirectional control character.
fn bidi_control(at: Span, c: char, name: &'static str, in_string: bool) -> Diagnostic {
    let cp = code_point(c);
    let help = if in_string {
        format!(
            "remove it; if the string must hold it, write it as the escape `\\u{{{:X}}}`",
            u32::from(c)
        )
    } else {
        format!("remove the {cp} character")
    };
    Diagnostic::error(
        "E0115",
        format!("bidirectional control character {cp} ({name})"),
    )
    .with_primary(
        at,
        format!("{cp} {name}: changes the order in which the text is displayed"),
    )
    .with_note(
        "editors and code review show text around this character in another order than the \
         compiler reads it (Trojan Source, CVE-2021-42574)",
    )
    .with_help(help)
}

/// `E0116`: an invisible character in a string or outside comments.
fn invisible(at: Span, c: char, name: &'static str, in_string: bool) -> Diagnostic {
    let cp = code_point(c);
    let (message, help) = if in_string {
        (
            format!("invisible character {cp} ({name}) in a string"),
            format!(
                "remove it; if the string must hold it, write it as the escape `\\u{{{:X}}}`",
                u32::from(c)
            ),
        )
    } else {
        (
            format!("invisible character {cp} ({name})"),
            format!("remove the {cp} character"),
        )
    };
    Diagnostic::error("E0116", message)
        .with_primary(at, format!("{cp} {name}: displays as nothing"))
        .with_note("text that looks the same to a reviewer would compile to different bytes")
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        crate::parse(FileId(0), text)
            .1
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn crlf_and_a_leading_bom_are_accepted() {
        assert!(codes("let x = 1\r\nreturn x\r\n").is_empty());
        assert!(codes("\u{FEFF}let x = 1\nreturn x\n").is_empty());
    }

    #[test]
    fn a_lone_cr_is_reported_once_per_file() {
        let text = "let x = 1 // c\rrevert(\"x\")\rreturn x\r";
        assert_eq!(codes(text), ["E0114"]);
        let (_, d) = crate::parse(FileId(0), text);
        assert_eq!(d[0].primary_span().map(|s| s.start), Some(14));
        assert!(d[0].help.iter().any(|h| h.contains("nestc fmt")));
    }

    #[test]
    fn other_line_breaks_are_reported() {
        for c in ['\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}'] {
            assert_eq!(
                codes(&format!("let x = 1 // c{c}return x\n")),
                ["E0114"],
                "{c:?}"
            );
        }
    }

    #[test]
    fn bidi_controls_are_reported_in_comments_strings_and_code() {
        let text = "let s = \"a\u{202E}b\" // \u{2066}x\u{2069}\nlet t = 1 \u{200F}\n";
        assert_eq!(codes(text), ["E0115", "E0115", "E0115", "E0115"]);
        let (_, d) = crate::parse(FileId(0), text);
        assert!(d[0].help.iter().any(|h| h.contains("\\u{202E}")));
        assert!(d[1].help.iter().all(|h| !h.contains("escape")));
    }

    #[test]
    fn invisible_characters_are_refused_in_strings_and_code_not_comments() {
        assert_eq!(codes("let s = \"a\u{200B}b\"\n"), ["E0116"]);
        assert_eq!(codes("let s = 1\u{200B}\n"), ["E0116"]);
        assert!(codes("// a\u{200D}b\nlet s = 1\n").is_empty());
    }

    #[test]
    fn reports_are_capped() {
        let text = format!("// {}\nlet x = 1\n", "\u{202E}".repeat(1000));
        let (_, d) = crate::parse(FileId(0), &text);
        assert_eq!(d.len(), MAX_REPORTED);
        assert!(d[MAX_REPORTED - 1]
            .notes
            .iter()
            .any(|n| n.contains("990 more")));
    }
}
