//! Binary operator precedence: the levels, and which operator is at which.

use crate::ast::BinaryOp;

/// Precedence levels of binary operators, tightest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Power,
    Product,
    Sum,
    Shift,
    BitAnd,
    BitXor,
    BitOr,
    Comparison,
    And,
    Or,
}

impl Level {
    /// The level of an operator.
    pub(crate) fn of(op: BinaryOp) -> Level {
        use BinaryOp::*;
        match op {
            Pow => Level::Power,
            Mul | Div | Rem => Level::Product,
            Add | Sub => Level::Sum,
            Shl | Shr => Level::Shift,
            BitAnd => Level::BitAnd,
            BitXor => Level::BitXor,
            BitOr => Level::BitOr,
            Eq | Ne | Le | Ge | Lt | Gt => Level::Comparison,
            And => Level::And,
            Or => Level::Or,
        }
    }

    /// The next tighter level, if any.
    pub(crate) fn tighter_than(self) -> Option<Level> {
        Some(match self {
            Level::Power => return None,
            Level::Product => Level::Power,
            Level::Sum => Level::Product,
            Level::Shift => Level::Sum,
            Level::BitAnd => Level::Shift,
            Level::BitXor => Level::BitAnd,
            Level::BitOr => Level::BitXor,
            Level::Comparison => Level::BitOr,
            Level::And => Level::Comparison,
            Level::Or => Level::And,
        })
    }
}
