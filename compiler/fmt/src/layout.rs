//! Breaking pieces into lines and indenting them.
//!
//! Line breaks are meaningful in Nest (a statement ends at one), so inside blocks and
//! at the top level the author's breaks are kept, with blank lines collapsed to one;
//! the layout only adds the breaks the canonical form requires (after `{`, before
//! `}`, after `;`) and removes the ones it forbids (before a block's `{`, before
//! `else`). Inside `( … )` and `[ … ]` line breaks mean nothing, so a list without
//! comments is joined onto one line (and wrapped again later if too long).

use std::collections::BTreeSet;
use std::ops::Range;

use crate::groups::{GroupKind, Groups};
use crate::pieces::{Kind, Piece};

/// The deepest indentation written out, in levels of four spaces. The checker refuses
/// blocks and expressions nested deeper than 64 levels (E0325), so canonical scripts
/// never reach it; deeper lines (which the parser still accepts, up to 1,024 open
/// brackets) are written at this level, which keeps the output linear in the input:
/// at most `4 * MAX_INDENT` columns of indentation per line.
pub const MAX_INDENT: usize = 64;

/// The columns of indentation of a line at `indent` levels.
pub(crate) fn indent_columns(indent: usize) -> usize {
    indent.min(MAX_INDENT) * 4
}

/// One output line: a run of consecutive pieces at an indentation level.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// Indentation, in levels of four spaces.
    pub indent: usize,
    /// The pieces on the line.
    pub pieces: Range<usize>,
    /// True when an empty line comes before this one.
    pub blank_before: bool,
}

/// Lays `pieces` out on lines. `starts` holds the offsets where statements begin.
pub(crate) fn lines(pieces: &[Piece<'_>], groups: &Groups, starts: &BTreeSet<usize>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut line_indent_of = vec![0usize; pieces.len()];
    for i in 0..pieces.len() {
        match out.last_mut() {
            Some(line) if !breaks_before(pieces, groups, i) => line.pieces.end = i + 1,
            _ => {
                let indent = indent_of(pieces, groups, starts, &line_indent_of, i);
                let blank_before = i > 0
                    && pieces[i].breaks >= 2
                    && !is_block_opener(groups, i - 1)
                    && !(groups.is_block_delim(i) && groups.closes(i));
                out.push(Line {
                    indent,
                    pieces: i..i + 1,
                    blank_before,
                });
            }
        }
        line_indent_of[i] = out.last().map_or(0, |l| l.indent);
    }
    out
}

fn is_block_opener(groups: &Groups, i: usize) -> bool {
    groups.is_block_delim(i) && !groups.closes(i)
}

fn is_block_closer(groups: &Groups, i: usize) -> bool {
    groups.is_block_delim(i) && groups.closes(i)
}

/// True when piece `i` starts a new line.
fn breaks_before(pieces: &[Piece<'_>], groups: &Groups, i: usize) -> bool {
    let Some(prev) = i.checked_sub(1) else {
        return true;
    };
    let p = &pieces[prev];
    let n = &pieces[i];
    if p.kind == Kind::LineComment {
        return true;
    }
    let trailing_comment = n.is_comment() && n.breaks == 0;
    match groups.context(i) {
        Some((open, GroupKind::List | GroupKind::InlineBraces)) => {
            !groups.joinable[open] && n.breaks > 0
        }
        _ => {
            if is_block_opener(groups, i)
                || n.kind == Kind::Word && n.text == "else" && is_block_closer(groups, prev)
            {
                return false;
            }
            if is_block_closer(groups, i) {
                return groups.partner[i] != Some(prev);
            }
            if trailing_comment {
                return false;
            }
            // What ends the line is the last piece that is not a comment.
            match pieces[..i].iter().rposition(|q| !q.is_comment()) {
                Some(q) if is_block_opener(groups, q) || pieces[q].is(";") => true,
                Some(q) if is_block_closer(groups, q) => {
                    !(n.kind == Kind::Punct && matches!(n.text, ")" | "]" | "," | ";"))
                }
                _ => n.breaks > 0,
            }
        }
    }
}

/// The indentation of a line that begins with piece `i`.
fn indent_of(
    pieces: &[Piece<'_>],
    groups: &Groups,
    starts: &BTreeSet<usize>,
    line_indent_of: &[usize],
    i: usize,
) -> usize {
    if groups.closes(i) {
        return groups.partner[i].map_or(0, |o| line_indent_of[o]);
    }
    let context = groups.context(i);
    let base = context.map_or(0, |(open, _)| line_indent_of[open] + 1);
    let in_block = matches!(context, None | Some((_, GroupKind::Block)));
    let n = &pieces[i];
    let continues = in_block
        && !starts.contains(&n.start)
        && !n.is_comment()
        && !n.is("#")
        && (n.kind != Kind::Word || n.text != "else");
    base + usize::from(continues)
}
