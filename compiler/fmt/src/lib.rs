//! `nest-fmt`: the one canonical layout of Nest scripts.
//!
//! [`format`] takes a script's text and returns it laid out canonically: four-space
//! indentation, one statement per line, one space around binary operators and after
//! commas, `{` on the line of what it opens, blank lines kept but collapsed to one,
//! and lists wrapped one element per line when a line is wider than
//! [`MAX_WIDTH`] columns. Comments (line, block and doc) stay where they are.
//!
//! It works on the text's tokens and comments rather than reprinting the syntax tree,
//! because line breaks are meaningful in Nest and comments are not in the tree. Two
//! guarantees are checked on every call, not only in tests: a file with syntax errors
//! is refused, and the output parses to the same tree as the input (spans aside), or
//! [`format`] returns an error instead of changing what the script means.
//!
//! ```
//! let out = nest_fmt::format("let x=1+2\nif x>2{return x}\n").unwrap();
//! assert_eq!(out, "let x = 1 + 2\nif x > 2 {\n    return x\n}\n");
//! ```
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

mod anchors;
mod groups;
mod layout;
mod pieces;
mod render;
mod spacing;
mod wrap;

use nest_diagnostics::{Diagnostic, FileId};

pub use layout::MAX_INDENT;
pub use wrap::{MAX_WIDTH, MIN_ROOM};

/// Why a file was not formatted.
#[derive(Debug, Clone)]
pub enum FormatError {
    /// The file has syntax errors (the diagnostics, in file 0); it is left alone.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would not parse to the same tree: a bug in the formatter,
    /// reported rather than written out.
    Unstable(String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Syntax(d) => write!(
                f,
                "the file has {} syntax error(s); fix them before formatting",
                d.len()
            ),
            FormatError::Unstable(why) => write!(f, "internal formatter error: {why}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// Formats a script. Returns the canonical text, or why it cannot be formatted.
pub fn format(text: &str) -> Result<String, FormatError> {
    // Trees are walked and dropped here: see `nest_syntax::with_stack`.
    nest_syntax::with_stack(|| {
        // The canonical layout ends lines with `\n`: CRLF and lone CR line endings become
        // LF first, unless a string literal holds a CR (then the tree would change).
        if text.contains('\r') {
            let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
            let tree = |t: &str| nest_syntax::sexpr::to_sexpr(&nest_syntax::parse(FileId(0), t).0);
            if tree(&normalized) == tree(text) {
                return format_on_stack(&normalized);
            }
        }
        format_on_stack(text)
    })
}

fn format_on_stack(text: &str) -> Result<String, FormatError> {
    let (tree, diags) = nest_syntax::parse(FileId(0), text);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    let pieces = pieces::pieces(text);
    let groups = groups::Groups::of(&pieces);
    let starts = anchors::statement_starts(&tree);
    let lines = layout::lines(&pieces, &groups, &starts);
    let lines = wrap::wrap(lines, &pieces, &groups);
    let out = render::render(&lines, &pieces, &groups);

    let (after, after_diags) = nest_syntax::parse(FileId(0), &out);
    if after_diags.iter().any(Diagnostic::is_error) {
        return Err(FormatError::Unstable(
            "the formatted text does not parse".into(),
        ));
    }
    if nest_syntax::sexpr::to_sexpr(&after) != nest_syntax::sexpr::to_sexpr(&tree) {
        return Err(FormatError::Unstable(
            "the formatted text parses to a different tree".into(),
        ));
    }
    Ok(out)
}
