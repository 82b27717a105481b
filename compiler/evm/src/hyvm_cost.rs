//! What the HyVM charges on top of each guest instruction's own EVM gas, known before
//! running: dispatch (65), extracting a PUSH immediate (45), fixing each memory offset
//! (12), and for jumps the emulated jump (JUMP 40; JUMPI 8 when not taken, 54 when
//! taken, which the listing cannot know: it shows the not-taken cost). Memory that grows
//! past the HyVM's 0x340-byte header costs a little more as it expands; that part depends
//! on the run and is not included.
//!
//! The HyVM interpreter (`nest-hyvm`'s `gas` module) is the authority; this crate's
//! `tests/hyvm_cost.rs` checks that the table agrees with it.

use crate::Opcode;

/// Dispatch of every guest instruction.
pub const DISPATCH: u64 = 65;
/// Extra for a PUSH1..PUSH32 immediate.
pub const PUSH_IMMEDIATE: u64 = 45;
/// Extra per memory offset the HyVM relocates.
pub const MEMORY_OFFSET_FIX: u64 = 12;
/// Extra for a JUMP.
pub const JUMP_EXTRA: u64 = 40;
/// Extra for a JUMPI that does not jump.
pub const JUMPI_NOT_TAKEN_EXTRA: u64 = 8;
/// Extra for a JUMPI that jumps.
pub const JUMPI_TAKEN_EXTRA: u64 = 54;

/// How many memory offsets of `op` the HyVM relocates.
pub fn memory_offsets(op: Opcode) -> u64 {
    match op {
        Opcode::KECCAK256
        | Opcode::CALLDATACOPY
        | Opcode::CODECOPY
        | Opcode::RETURNDATACOPY
        | Opcode::EXTCODECOPY
        | Opcode::MLOAD
        | Opcode::MSTORE
        | Opcode::MSTORE8
        | Opcode::RETURN
        | Opcode::REVERT
        | Opcode::CREATE
        | Opcode::CREATE2 => 1,
        Opcode(0xa0..=0xa4) => 1, // LOG0..LOG4
        Opcode::CALL | Opcode::CALLCODE | Opcode::DELEGATECALL | Opcode::STATICCALL => 2,
        _ => 0,
    }
}

/// The HyVM's overhead for one instruction, as far as it is known statically (a JUMPI
/// counts as not taken; memory expansion past the header is not included).
pub fn hyvm_overhead(op: Opcode) -> u64 {
    let jump = match op {
        Opcode::JUMP => JUMP_EXTRA,
        Opcode::JUMPI => JUMPI_NOT_TAKEN_EXTRA,
        _ => 0,
    };
    DISPATCH
        + PUSH_IMMEDIATE * u64::from(op.is_push_with_immediate())
        + MEMORY_OFFSET_FIX * memory_offsets(op)
        + jump
}
