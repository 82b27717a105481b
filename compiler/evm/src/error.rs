//! The assembler's error type.

use std::fmt;

use crate::asm::{DataId, Label};
use crate::opcodes::Opcode;

/// Why a [`Program`](crate::Program) could not be assembled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsmError {
    /// A label is pushed but never placed.
    UnknownLabel {
        /// The index of the offending item in `Program::items`.
        item: usize,
        /// The label concerned.
        label: Label,
    },
    /// A label is placed a second time.
    DuplicateLabel {
        /// The index of the offending item in `Program::items`.
        item: usize,
        /// The label concerned.
        label: Label,
    },
    /// A data id has no blob in `Program::data`.
    UnknownData {
        /// The index of the offending item in `Program::items`.
        item: usize,
        /// The missing data id.
        data: DataId,
    },
    /// PUSH1..PUSH32 given as a bare `Op`: its immediate would be missing.
    PushAsOp {
        /// The index of the offending item in `Program::items`.
        item: usize,
        /// The opcode given.
        op: Opcode,
    },
    /// A byte that is not an opcode given as an `Op`.
    UndefinedOpcode {
        /// The index of the offending item in `Program::items`.
        item: usize,
        /// The opcode given.
        op: Opcode,
    },
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsmError::UnknownLabel { item, label } => {
                write!(
                    f,
                    "item {item}: label L{} is pushed but never placed",
                    label.0
                )
            }
            AsmError::DuplicateLabel { item, label } => {
                write!(f, "item {item}: label L{} is placed twice", label.0)
            }
            AsmError::UnknownData { item, data } => {
                write!(f, "item {item}: data blob #{} does not exist", data.0)
            }
            AsmError::PushAsOp { item, op } => {
                write!(
                    f,
                    "item {item}: `{op}` needs an immediate; use `AsmItem::Push`"
                )
            }
            AsmError::UndefinedOpcode { item, op } => {
                write!(f, "item {item}: byte 0x{:02x} is not an opcode", op.0)
            }
        }
    }
}

impl std::error::Error for AsmError {}
