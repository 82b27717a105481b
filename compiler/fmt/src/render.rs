//! Lines to text.

use std::ops::Range;

use crate::groups::Groups;
use crate::layout::{indent_columns, Line};
use crate::pieces::Piece;
use crate::spacing::space_before;

/// The pieces of `range` on one line, spaced.
pub(crate) fn render_run(pieces: &[Piece<'_>], groups: &Groups, range: Range<usize>) -> String {
    let mut out = String::new();
    for i in range.clone() {
        if i > range.start && space_before(pieces, groups, i) {
            out.push(' ');
        }
        out.push_str(pieces[i].text);
    }
    out
}

/// The whole file: every line indented by four spaces a level, ending in one `\n`.
pub(crate) fn render(lines: &[Line], pieces: &[Piece<'_>], groups: &Groups) -> String {
    let mut out = String::new();
    for line in lines {
        if line.blank_before {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n(' ', indent_columns(line.indent)));
        out.push_str(&render_run(pieces, groups, line.pieces.clone()));
        out.push('\n');
    }
    out
}
