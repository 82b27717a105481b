//! Text from the chain or the script, made safe to print on a terminal: a revert reason, a
//! decoded string or a token's `symbol()` is written by whoever deployed the contract, and
//! control characters in it could move the cursor, recolour the screen or reorder what
//! follows. The JSON report keeps the text raw (JSON escapes it).
//!
//! This is the one place outside text is made inert: node answers and JSON-RPC errors, HTTP
//! client messages, scenario keys and file contents echoed in errors, chain data in the
//! report. [`inert`] escapes and cuts to [`MAX_SHOWN_CHARS`]; [`inert_lines`] does the same
//! but keeps line breaks (a TOML error's excerpt); `nestc` prints every error and warning
//! through them.

use std::borrow::Cow;

/// The most characters of one piece of outside text shown in an error or warning: enough to
/// read a node's message, short enough that a hostile answer cannot flood the terminal.
pub const MAX_SHOWN_CHARS: usize = 300;

/// `text` escaped (see [`escape`]) and cut to at most `max` characters of the original,
/// with `… (N more characters)` when cut.
pub fn inert_max(text: &str, max: usize) -> String {
    let mut chars = text.char_indices();
    let cut = chars.nth(max).map(|(at, _)| at);
    match cut {
        None => escape(text).into_owned(),
        Some(at) => {
            let rest = text[at..].chars().count();
            format!("{}… ({rest} more characters)", escape(&text[..at]))
        }
    }
}

/// `text` escaped and cut to [`MAX_SHOWN_CHARS`] characters: safe to print in one line.
pub fn inert(text: &str) -> String {
    inert_max(text, MAX_SHOWN_CHARS)
}

/// Like [`inert_max`], but line breaks stay line breaks (every other control character
/// is escaped, `\r` included): for multi-line messages such as a TOML error's excerpt.
pub fn inert_lines(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut left = max;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if left == 0 {
            out.push('…');
            break;
        }
        let count = line.chars().count();
        out.push_str(&inert_max(line, left));
        left = left.saturating_sub(count.max(1));
    }
    out
}

/// `text` with every control character (C0, DEL, C1), line or paragraph separator and
/// bidirectional formatting character written as an escape (`\n`, `\r`, `\t`, `\u{1b}`),
/// so it prints as one inert line.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Control characters (C0, DEL, C1), the line and paragraph separators, and the
/// bidirectional marks, embeddings, overrides and isolates.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(
            escape("\u{1b}[2K\r\u{1b}[32m✓ success\u{1b}[0m"),
            "\\u{1b}[2K\\r\\u{1b}[32m✓ success\\u{1b}[0m"
        );
        assert_eq!(escape("a\nb\tc\u{7f}\u{9b}"), "a\\nb\\tc\\u{7f}\\u{9b}");
        assert_eq!(escape("abc\u{202e}fed\u{2066}"), "abc\\u{202e}fed\\u{2066}");
        assert!(matches!(escape("USDC ✓ é"), Cow::Borrowed("USDC ✓ é")));
    }

    #[test]
    fn outside_text_is_cut_to_a_readable_length() {
        assert_eq!(inert("short"), "short");
        let long = "x".repeat(10_000);
        let shown = inert(&long);
        assert!(shown.starts_with(&"x".repeat(MAX_SHOWN_CHARS)));
        assert!(shown.ends_with("… (9700 more characters)"), "{shown}");
        // Cut on a character boundary, escaped after cutting.
        assert_eq!(inert_max("é\u{1b}é", 2), "é\\u{1b}… (1 more characters)");
        assert_eq!(inert_lines("a\u{1b}\nb\rc", 100), "a\\u{1b}\nb\\rc");
        assert_eq!(
            inert_lines("aaaa\nbbbb\ncccc", 5),
            "aaaa\nb… (3 more characters)\n…"
        );
    }
}
