//! The HyVM's view of each opcode byte: whether it runs, and which stack operands are memory
//! regions (offset, length) that the HyVM relocates into the guest's memory window.

use crate::config::Variant;
use revm::bytecode::opcode::{self, OpCode};

/// What the HyVM does with an opcode byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Treatment {
    /// Executed with its EVM meaning (possibly with relocated memory operands).
    Runs,
    /// Refused: the HyVM reverts with empty data.
    Refused,
}

/// How the HyVM treats `op` in the given variant.
///
/// Refused: CALLCODE and SELFDESTRUCT; every byte missing from the HyVM's jump table (TLOAD,
/// TSTORE, MCOPY, BLOBHASH, BLOBBASEFEE, CLZ and all undefined bytes); and, in the Mass fork,
/// SSTORE, CREATE, CREATE2 and DELEGATECALL. INVALID (0xFE) is in the table and runs (it
/// halts, consuming all gas).
pub fn treatment(op: u8, variant: Variant) -> Treatment {
    if variant == Variant::Mass
        && matches!(
            op,
            opcode::SSTORE | opcode::CREATE | opcode::CREATE2 | opcode::DELEGATECALL
        )
    {
        return Treatment::Refused;
    }
    if in_jump_table(op) {
        Treatment::Runs
    } else {
        Treatment::Refused
    }
}

/// Whether the HyVM's jump table has a handler that executes `op`.
fn in_jump_table(op: u8) -> bool {
    matches!(
        op,
        // STOP .. SIGNEXTEND
        0x00..=0x0b
        // LT .. SAR (0x1e CLZ is absent)
        | 0x10..=0x1d
        // KECCAK256
        | 0x20
        // ADDRESS .. EXTCODEHASH
        | 0x30..=0x3f
        // BLOCKHASH .. BASEFEE (0x49 BLOBHASH and 0x4a BLOBBASEFEE are absent)
        | 0x40..=0x48
        // POP .. JUMPDEST (0x5c TLOAD, 0x5d TSTORE and 0x5e MCOPY are absent)
        | 0x50..=0x5b
        // PUSH0, PUSH1..PUSH32, DUP1..DUP16, SWAP1..SWAP16
        | 0x5f..=0x9f
        // LOG0 .. LOG4
        | 0xa0..=0xa4
        // CREATE, CALL, (0xf2 CALLCODE is refused) RETURN, DELEGATECALL, CREATE2
        | 0xf0 | 0xf1 | 0xf3 | 0xf4 | 0xf5
        // STATICCALL, REVERT, INVALID (0xff SELFDESTRUCT is refused)
        | 0xfa | 0xfd | 0xfe
    )
}

/// The mnemonic of `op`, or its hex value when the byte is undefined.
pub fn name(op: u8) -> String {
    match OpCode::new(op) {
        Some(code) => code.as_str().to_string(),
        None => format!("0x{op:02x}"),
    }
}

/// The size of a memory region named by an instruction's operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length {
    /// A fixed number of bytes (MLOAD, MSTORE: 32; MSTORE8: 1).
    Fixed(usize),
    /// The stack item at this depth (0 = top) holds the length.
    Stack(usize),
}

/// A memory region an instruction touches: the stack depth of its offset, and its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Stack depth (0 = top) of the memory offset the HyVM relocates.
    pub offset: usize,
    /// Where the region's length comes from.
    pub length: Length,
}

/// The memory regions of `op`: one per offset the HyVM fixes (masks and shifts by 0x340).
pub fn memory_regions(op: u8) -> &'static [Region] {
    use Length::{Fixed, Stack};
    match op {
        opcode::KECCAK256 => &[Region {
            offset: 0,
            length: Stack(1),
        }],
        opcode::CALLDATACOPY | opcode::CODECOPY | opcode::RETURNDATACOPY => &[Region {
            offset: 0,
            length: Stack(2),
        }],
        opcode::EXTCODECOPY => &[Region {
            offset: 1,
            length: Stack(3),
        }],
        opcode::MLOAD | opcode::MSTORE => &[Region {
            offset: 0,
            length: Fixed(32),
        }],
        opcode::MSTORE8 => &[Region {
            offset: 0,
            length: Fixed(1),
        }],
        opcode::LOG0..=opcode::LOG4 => &[Region {
            offset: 0,
            length: Stack(1),
        }],
        opcode::CREATE | opcode::CREATE2 => &[Region {
            offset: 1,
            length: Stack(2),
        }],
        opcode::CALL | opcode::CALLCODE => &[
            Region {
                offset: 3,
                length: Stack(4),
            },
            Region {
                offset: 5,
                length: Stack(6),
            },
        ],
        opcode::DELEGATECALL | opcode::STATICCALL => &[
            Region {
                offset: 2,
                length: Stack(3),
            },
            Region {
                offset: 4,
                length: Stack(5),
            },
        ],
        opcode::RETURN | opcode::REVERT => &[Region {
            offset: 0,
            length: Stack(1),
        }],
        _ => &[],
    }
}

/// Whether `op` is PUSH1..PUSH32 (an opcode with an immediate the HyVM extracts).
pub fn has_immediate(op: u8) -> bool {
    (opcode::PUSH1..=opcode::PUSH32).contains(&op)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_the_hyvm_table_leaves_out() {
        for op in [
            0xf2, 0xff, 0x5c, 0x5d, 0x5e, 0x49, 0x4a, 0x1e, 0x0c, 0x21, 0xef, 0xa5,
        ] {
            assert_eq!(
                treatment(op, Variant::Standard),
                Treatment::Refused,
                "{}",
                name(op)
            );
        }
        for op in [
            0x00, 0x5f, 0x60, 0x7f, 0xf0, 0xf4, 0xf5, 0xfa, 0xfd, 0xfe, 0x55,
        ] {
            assert_eq!(
                treatment(op, Variant::Standard),
                Treatment::Runs,
                "{}",
                name(op)
            );
        }
    }

    #[test]
    fn mass_also_refuses_state_creation_and_delegation() {
        for op in [0x55, 0xf0, 0xf5, 0xf4] {
            assert_eq!(
                treatment(op, Variant::Mass),
                Treatment::Refused,
                "{}",
                name(op)
            );
        }
        assert_eq!(treatment(0xf1, Variant::Mass), Treatment::Runs);
    }

    #[test]
    fn offset_counts_match_the_hyvm() {
        assert_eq!(memory_regions(opcode::CALL).len(), 2);
        assert_eq!(memory_regions(opcode::STATICCALL).len(), 2);
        assert_eq!(memory_regions(opcode::EXTCODECOPY).len(), 1);
        assert_eq!(memory_regions(opcode::ADD).len(), 0);
        assert_eq!(name(0xf2), "CALLCODE");
        assert_eq!(name(0x0c), "0x0c");
    }
}
