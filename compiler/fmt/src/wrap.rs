//! Wrapping lines longer than the limit: the widest list on the line gets one
//! element per line, and the lines that makes are wrapped again if still too long.

use std::ops::Range;

use crate::groups::{GroupKind, Groups};
use crate::layout::{indent_columns, Line};
use crate::pieces::Piece;
use crate::render::render_run;

/// The widest a line may be, in columns, before its lists are wrapped.
pub const MAX_WIDTH: usize = 100;

/// A list is wrapped only if its elements keep at least this many columns of the
/// line after their indentation: deeper than `(MAX_WIDTH - MIN_ROOM) / 4` = 20 levels,
/// wrapping would not make the line fit, and wrapping nested lists there would write
/// every level on lines of their own, each indented further (quadratic output).
pub const MIN_ROOM: usize = 20;

/// Wraps every line of `lines` that is wider than [`MAX_WIDTH`].
pub(crate) fn wrap(lines: Vec<Line>, pieces: &[Piece<'_>], groups: &Groups) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        wrap_line(line, pieces, groups, &mut out);
    }
    out
}

fn width(line: &Line, pieces: &[Piece<'_>], groups: &Groups) -> usize {
    let text = render_run(pieces, groups, line.pieces.clone());
    indent_columns(line.indent) + text.lines().next().map_or(0, |l| l.chars().count())
}

fn wrap_line(line: Line, pieces: &[Piece<'_>], groups: &Groups, out: &mut Vec<Line>) {
    if indent_columns(line.indent + 1) + MIN_ROOM > MAX_WIDTH
        || width(&line, pieces, groups) <= MAX_WIDTH
    {
        out.push(line);
        return;
    }
    let Some((open, close)) = list_to_wrap(&line.pieces, pieces, groups) else {
        out.push(line);
        return;
    };
    let Line {
        indent,
        pieces: range,
        blank_before,
    } = line;
    out.push(Line {
        indent,
        pieces: range.start..open + 1,
        blank_before,
    });
    let mut start = open + 1;
    let mut j = open + 1;
    while j < close {
        if let Some(partner) = groups.partner[j].filter(|&p| p > j) {
            j = partner + 1;
            continue;
        }
        if pieces[j].is(",") {
            wrap_line(
                Line {
                    indent: indent + 1,
                    pieces: start..j + 1,
                    blank_before: false,
                },
                pieces,
                groups,
                out,
            );
            start = j + 1;
        }
        j += 1;
    }
    if start < close {
        wrap_line(
            Line {
                indent: indent + 1,
                pieces: start..close,
                blank_before: false,
            },
            pieces,
            groups,
            out,
        );
    }
    wrap_line(
        Line {
            indent,
            pieces: close..range.end,
            blank_before: false,
        },
        pieces,
        groups,
        out,
    );
}

/// The list to wrap on the line: the widest non-empty `( … )` or `[ … ]` that opens and
/// closes on the line and is not inside another such list. An attribute's brackets are
/// not wrapped themselves: `#[name( … )]` wraps the list of its arguments and keeps
/// `#[name(` and `)]` on the first and last lines, as a call keeps `name(` and `)`.
fn list_to_wrap(
    range: &Range<usize>,
    pieces: &[Piece<'_>],
    groups: &Groups,
) -> Option<(usize, usize)> {
    let (open, close) = widest_list(range, pieces, groups)?;
    if !is_attribute(pieces, open) {
        return Some((open, close));
    }
    // `#[name(args)]`: the `)` just before the `]` closes the arguments' list.
    let args_close = close - 1;
    let args_open = groups.partner[args_close].filter(|&o| o > open + 1 && o < args_close)?;
    (pieces[args_close].is(")") && args_open == open + 2).then_some((args_open, args_close))
}

/// True when piece `open` is the `[` of an attribute, `#[`.
fn is_attribute(pieces: &[Piece<'_>], open: usize) -> bool {
    pieces[open].is("[") && open > 0 && pieces[open - 1].is("#")
}

/// The widest non-empty `( … )` or `[ … ]` that opens and closes on the line and is
/// not inside another such list.
fn widest_list(
    range: &Range<usize>,
    pieces: &[Piece<'_>],
    groups: &Groups,
) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    let mut j = range.start;
    while j < range.end {
        let close = groups.partner[j].filter(|&c| c > j + 1 && c < range.end);
        match close {
            Some(close) if groups.kind[j] == Some(GroupKind::List) => {
                let span = pieces[close].start - pieces[j].start;
                if best.is_none_or(|(_, _, w)| span > w) {
                    best = Some((j, close, span));
                }
                j = close + 1;
            }
            _ => j += 1,
        }
    }
    best.map(|(o, c, _)| (o, c))
}
