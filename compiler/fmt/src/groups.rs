//! Delimited groups: which `(`, `[`, `{` closes where, and what each group is for.

use crate::pieces::{Kind, Piece};

/// What a delimited group holds, which decides how its inside is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupKind {
    /// `( … )` or `[ … ]`: a comma list or a parenthesised expression.
    List,
    /// `{value: …}` before a call's arguments, or `{A, B}` after `use …::`: laid
    /// out like a list, without spaces inside the braces.
    InlineBraces,
    /// `{ … }` holding statements, interface functions or imported names on lines.
    Block,
}

/// The bracket structure of a file's pieces.
pub(crate) struct Groups {
    /// For an opener, the index of its closer (if it has one); for a closer, its opener.
    pub partner: Vec<Option<usize>>,
    /// For an opener, what its group is.
    pub kind: Vec<Option<GroupKind>>,
    /// For every piece, the innermost group around it (a closer is inside its own
    /// group, an opener in the group around it).
    pub enclosing: Vec<Option<usize>>,
    /// For a list opener, true when its inside may be joined onto one line: it
    /// holds no comments and no blocks.
    pub joinable: Vec<bool>,
}

fn is_opener(p: &Piece<'_>) -> bool {
    p.kind == Kind::Punct && matches!(p.text, "(" | "[" | "{")
}

fn is_closer(p: &Piece<'_>) -> bool {
    p.kind == Kind::Punct && matches!(p.text, ")" | "]" | "}")
}

impl Groups {
    /// Matches the brackets of `pieces`.
    pub(crate) fn of(pieces: &[Piece<'_>]) -> Groups {
        let n = pieces.len();
        let mut partner = vec![None; n];
        let mut enclosing = vec![None; n];
        let mut stack: Vec<usize> = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            if is_closer(p) {
                if let Some(open) = stack.pop() {
                    partner[open] = Some(i);
                    partner[i] = Some(open);
                    enclosing[i] = Some(open);
                    continue;
                }
            }
            enclosing[i] = stack.last().copied();
            if is_opener(p) {
                stack.push(i);
            }
        }
        let mut kind = vec![None; n];
        for (i, p) in pieces.iter().enumerate() {
            if !is_opener(p) {
                continue;
            }
            kind[i] = Some(if p.text != "{" {
                GroupKind::List
            } else if is_call_options(pieces, i, partner[i]) || i > 0 && pieces[i - 1].is("::") {
                GroupKind::InlineBraces
            } else {
                GroupKind::Block
            });
        }
        let mut joinable = vec![false; n];
        for i in 0..n {
            let (Some(close), Some(k)) = (partner[i], kind[i]) else {
                continue;
            };
            if k == GroupKind::Block || close < i {
                continue;
            }
            let inside = &pieces[i + 1..close];
            let has_block = (i + 1..close).any(|j| kind[j] == Some(GroupKind::Block));
            joinable[i] = !has_block && !inside.iter().any(Piece::is_comment);
        }
        Groups {
            partner,
            kind,
            enclosing,
            joinable,
        }
    }

    /// The kind of the group around piece `i` (`None` at the top level).
    pub(crate) fn context(&self, i: usize) -> Option<(usize, GroupKind)> {
        let open = self.enclosing.get(i).copied().flatten()?;
        Some((open, self.kind.get(open).copied().flatten()?))
    }

    /// True when piece `i` opens or closes a block.
    pub(crate) fn is_block_delim(&self, i: usize) -> bool {
        let open = match self.kind.get(i).copied().flatten() {
            Some(_) => Some(i),
            None => self.partner.get(i).copied().flatten().filter(|&o| o < i),
        };
        open.and_then(|o| self.kind.get(o).copied().flatten()) == Some(GroupKind::Block)
    }

    /// True when piece `i` closes a group (rather than opening one).
    pub(crate) fn closes(&self, i: usize) -> bool {
        self.partner
            .get(i)
            .copied()
            .flatten()
            .is_some_and(|o| o < i)
    }
}

/// `f{value: 1 ether}(…)`: a `{` on the line of a name, whose `}` is followed at once
/// by `(`.
fn is_call_options(pieces: &[Piece<'_>], open: usize, close: Option<usize>) -> bool {
    let Some(close) = close else { return false };
    let glued_before =
        open > 0 && pieces[open].breaks == 0 && matches!(pieces[open - 1].kind, Kind::Word)
            || open > 0 && pieces[open - 1].is(")");
    let call_follows = pieces
        .get(close + 1)
        .is_some_and(|p| p.is("(") && p.breaks == 0);
    glued_before && call_follows && pieces[open + 1..close].iter().any(|p| p.is(":"))
}
