//! Bounded work: the formatter's output stays linear in its input however deeply the
//! input nests (issue 18: `let x = ((((…1))))` with 8,000 levels used to format to
//! 256 MB, and 16,000 levels aborted on an 8 GB allocation).
//!
//! The bound asserted is on output size, not time: `out.len() <= K * input.len()`.

/// Lines are indented at most `4 * MAX_INDENT` columns, and each line of output holds
/// at least one piece (one byte or more) of the input, so a line costs at most this
/// many bytes per input byte in the worst case (one-byte pieces at the deepest level).
const K: usize = 4 * nest_fmt::MAX_INDENT + 8;

fn nested(open: &str, close: &str, levels: usize) -> String {
    format!("let x = {}1{}\n", open.repeat(levels), close.repeat(levels))
}

/// Formats `text`; when it formats, checks the output bound and that formatting the
/// output again changes nothing. Returns the output (or `None` when refused).
fn bounded(text: &str, k: usize) -> Option<String> {
    match nest_fmt::format(text) {
        Ok(out) => {
            assert!(
                out.len() <= k * text.len(),
                "{} bytes in, {} bytes out (more than {k}×)",
                text.len(),
                out.len()
            );
            let again = nest_fmt::format(&out).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again, out, "formatting is idempotent");
            Some(out)
        }
        Err(nest_fmt::FormatError::Syntax(diags)) => {
            assert!(!diags.is_empty());
            None
        }
        Err(e) => panic!("unexpected error: {e}"),
    }
}

#[test]
fn deeply_nested_parentheses_format_to_output_linear_in_the_input() {
    // 1,000 levels: accepted by the parser and the checker (parentheses are not
    // levels of the tree); formatted with only the outer 20 levels wrapped.
    for levels in [30, 100, 1_000] {
        let text = nested("(", ")", levels);
        let out = bounded(&text, K).unwrap_or_else(|| panic!("{levels} levels are refused"));
        assert!(out.lines().count() <= 2 * 20 + 2, "{out}");
        // The wrapped outer levels cost a constant: 40 lines of at most 80 columns.
        assert!(
            out.len() <= text.len() + 40 * 81,
            "{} -> {}",
            text.len(),
            out.len()
        );
    }
}

#[test]
fn eight_and_sixteen_thousand_levels_are_refused_with_a_syntax_error() {
    // Past 1,024 open brackets the parser stops (E0117): the formatter refuses the file.
    for levels in [8_000, 16_000] {
        for (open, close) in [("(", ")"), ("[", "]")] {
            let text = nested(open, close, levels);
            assert!(text.len() >= 2 * levels);
            match nest_fmt::format(&text) {
                Err(nest_fmt::FormatError::Syntax(diags)) => assert!(
                    diags.iter().any(|d| d.code == "E0117"),
                    "{:?}",
                    diags.iter().map(|d| &d.code).collect::<Vec<_>>()
                ),
                other => panic!("{levels} levels of {open}: {other:?}"),
            }
        }
    }
}

#[test]
fn nested_lists_with_elements_at_every_level_stay_linear() {
    // `f(a, f(a, f(a, …)))`: every level is a list of two that is too wide for a line.
    let levels = 1_000;
    let text = format!(
        "let x = {}1{}\n",
        "f(a_long_enough_name, ".repeat(levels),
        ")".repeat(levels)
    );
    let out = bounded(&text, K).unwrap_or_else(|| panic!("refused"));
    assert!(
        out.len() <= 2 * text.len(),
        "{} -> {}",
        text.len(),
        out.len()
    );
}

#[test]
fn deeply_nested_blocks_are_indented_at_most_max_indent_levels() {
    for levels in [70, 1_000] {
        let text = format!(
            "{}return\n{}",
            "if true {\n".repeat(levels),
            "}\n".repeat(levels)
        );
        let out = bounded(&text, K).unwrap_or_else(|| panic!("refused"));
        let widest = out.lines().map(|l| l.len() - l.trim_start().len()).max();
        assert_eq!(widest, Some(4 * nest_fmt::MAX_INDENT), "{levels} levels");
    }
    // Blocks on one input line: every `{` and `}` gets a line of its own.
    let text = format!("{}return{}\n", "if a {".repeat(1_000), "}".repeat(1_000));
    bounded(&text, K).unwrap_or_else(|| panic!("refused"));
}

#[test]
fn lists_are_not_wrapped_where_their_elements_would_get_no_room() {
    // 25 levels of blocks: 100 columns of indentation, past which wrapping cannot help.
    let levels = 25;
    let call = format!("f({})", ["an_argument"; 12].join(", "));
    let text = format!(
        "{}{call}\n{}",
        "if a {\n".repeat(levels),
        "}\n".repeat(levels)
    );
    let out = bounded(&text, K).unwrap_or_else(|| panic!("refused"));
    assert!(out.contains(&call), "{out}");
}
