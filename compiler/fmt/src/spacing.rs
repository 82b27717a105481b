//! Spacing between two pieces on one line: one space or none.

use crate::groups::{GroupKind, Groups};
use crate::pieces::{Kind, Piece};

/// Binary operators and assignments: one space on each side.
const SPACED: [&str; 24] = [
    "=", "+=", "-=", "*=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "**", "/", "%", "&",
    "&&", "|", "||", "^", "<<", ">>", "->",
];

fn is_keyword(p: &Piece<'_>) -> bool {
    p.kind == Kind::Word && p.keyword
}

/// True when `p` ends an operand, so that a `-` after it subtracts.
fn ends_operand(p: &Piece<'_>) -> bool {
    match p.kind {
        Kind::Word => !is_keyword(p) || matches!(p.text, "true" | "false" | "self"),
        Kind::Number | Kind::Str => true,
        Kind::Punct => matches!(p.text, ")" | "]"),
        Kind::LineComment | Kind::BlockComment => false,
    }
}

/// True when piece `i` is a prefix operator (`!x`, `~x`, `-x`).
fn is_prefix(pieces: &[Piece<'_>], i: usize) -> bool {
    let p = &pieces[i];
    match p.text {
        "!" | "~" => p.kind == Kind::Punct,
        "-" => {
            p.kind == Kind::Punct
                && !pieces[..i]
                    .iter()
                    .rev()
                    .find(|q| !q.is_comment())
                    .is_some_and(ends_operand)
        }
        _ => false,
    }
}

/// True when pieces `i - 1` and `i`, on one line, are separated by a space.
pub(crate) fn space_before(pieces: &[Piece<'_>], groups: &Groups, i: usize) -> bool {
    let (Some(p), Some(n)) = (i.checked_sub(1).and_then(|j| pieces.get(j)), pieces.get(i)) else {
        return false;
    };
    if n.is_comment() {
        return true;
    }
    if n.kind == Kind::Punct && matches!(n.text, "," | ";" | ")" | "]") {
        return false;
    }
    if p.kind == Kind::BlockComment {
        return true;
    }
    let options = |j: usize| {
        let open = if groups.closes(j) {
            groups.partner[j]
        } else {
            Some(j)
        };
        open.and_then(|o| groups.kind[o]) == Some(GroupKind::InlineBraces)
    };
    if n.kind == Kind::Punct {
        match n.text {
            "," | ";" | ")" | "]" | "." | "::" | ".." | ":" => return false,
            "}" => return !(options(i) || p.is("{")),
            "{" => return !options(i),
            _ => {}
        }
    }
    if p.kind == Kind::Punct {
        match p.text {
            "(" | "[" | "." | "::" | ".." | "#" => return false,
            "{" => return !options(i - 1),
            _ if is_prefix(pieces, i - 1) => return false,
            _ => {}
        }
    }
    if n.is("(") || n.is("[") {
        let glued = match p.kind {
            Kind::Word => !is_keyword(p) && p.text != "returns",
            Kind::Punct => matches!(p.text, ")" | "]") || (p.text == "}" && options(i - 1)),
            _ => false,
        };
        return !glued;
    }
    if n.kind == Kind::Punct && SPACED.contains(&n.text) {
        return true;
    }
    true
}
