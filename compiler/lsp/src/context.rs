//! Reading the text just before the cursor: the word being typed, the name before a
//! `.`, the call whose parentheses the cursor is in. Works on broken text, since it
//! is what the author is in the middle of typing.

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The start of the word that ends at `offset`.
pub(crate) fn word_start(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or("");
    before.rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1)
}

/// The word that ends right before `offset` (possibly empty).
pub(crate) fn word_before(text: &str, offset: usize) -> &str {
    text.get(word_start(text, offset)..offset).unwrap_or("")
}

/// When the word at `offset` follows `NAME.`, that `NAME`.
pub(crate) fn receiver(text: &str, offset: usize) -> Option<&str> {
    let start = word_start(text, offset);
    let before = text.get(..start)?;
    let dot = before.strip_suffix('.')?;
    let name = word_before(dot, dot.len());
    (!name.is_empty()).then_some(name)
}

/// The text of the current line before `offset`.
pub(crate) fn line_before(text: &str, offset: usize) -> &str {
    let before = text.get(..offset).unwrap_or("");
    before.rsplit('\n').next().unwrap_or("")
}

/// The call around `offset`: the callee as written (`R.swap` or `approve`) and the
/// index of the argument the cursor is in.
pub(crate) fn enclosing_call(text: &str, offset: usize) -> Option<(String, u32)> {
    let before = text.get(..offset)?;
    let mut depth = 0i32;
    let mut commas = 0u32;
    let mut in_string = false;
    for (i, c) in before.char_indices().rev() {
        if c == '"' {
            in_string = !in_string;
            continue;
        }
        if in_string {
            continue;
        }
        match c {
            ')' | ']' | '}' => depth += 1,
            '[' | '{' if depth > 0 => depth -= 1,
            '(' if depth > 0 => depth -= 1,
            '[' | '{' => return None,
            ',' if depth == 0 => commas += 1,
            '(' => {
                let callee = callee_before(before.get(..i)?);
                return (!callee.is_empty()).then(|| (callee.to_string(), commas));
            }
            _ => {}
        }
    }
    None
}

/// `a.b` or `b` right before a `(`.
fn callee_before(text: &str) -> &str {
    let start = text
        .rfind(|c: char| !(is_word(c) || c == '.'))
        .map_or(0, |i| i + 1);
    text.get(start..).unwrap_or("").trim_start_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_receivers_and_calls() {
        let text = "let a = R.swap(x, f(y), [1, 2], ";
        assert_eq!(
            enclosing_call(text, text.len()),
            Some(("R.swap".to_string(), 3))
        );
        let text = "R.sw";
        assert_eq!(receiver(text, text.len()), Some("R"));
        assert_eq!(word_before(text, text.len()), "sw");
        assert_eq!(enclosing_call("f(a) + g", 8), None);
    }
}
