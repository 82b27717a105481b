//! Text from the chain or the script, made safe to print on a terminal: a revert reason, a
//! decoded string or a token's `symbol()` is written by whoever deployed the contract, and
//! control characters in it could move the cursor, recolour the screen or reorder what
//! follows. The JSON report keeps the text raw (JSON escapes it).

use std::borrow::Cow;

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
}
