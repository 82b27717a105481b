//! Which opcode bytes the HyVM runs and which it refuses (reverting with empty data).

/// The opcode bytes this crate names.
pub mod byte {
    #![allow(missing_docs)]
    pub const KECCAK256: u8 = 0x20;
    pub const CALLDATACOPY: u8 = 0x37;
    pub const CODECOPY: u8 = 0x39;
    pub const EXTCODECOPY: u8 = 0x3c;
    pub const RETURNDATACOPY: u8 = 0x3e;
    pub const MLOAD: u8 = 0x51;
    pub const MSTORE: u8 = 0x52;
    pub const MSTORE8: u8 = 0x53;
    pub const SSTORE: u8 = 0x55;
    pub const JUMP: u8 = 0x56;
    pub const JUMPI: u8 = 0x57;
    pub const JUMPDEST: u8 = 0x5b;
    pub const PUSH1: u8 = 0x60;
    pub const PUSH32: u8 = 0x7f;
    pub const LOG0: u8 = 0xa0;
    pub const LOG4: u8 = 0xa4;
    pub const CREATE: u8 = 0xf0;
    pub const CALL: u8 = 0xf1;
    pub const CALLCODE: u8 = 0xf2;
    pub const RETURN: u8 = 0xf3;
    pub const DELEGATECALL: u8 = 0xf4;
    pub const CREATE2: u8 = 0xf5;
    pub const STATICCALL: u8 = 0xfa;
    pub const REVERT: u8 = 0xfd;
}

/// Whether the upstream HyVM's jump table has a handler that executes `op`. Every other byte
/// is refused: CALLCODE and SELFDESTRUCT, the opcodes newer than the HyVM (TLOAD, TSTORE,
/// MCOPY, BLOBHASH, BLOBBASEFEE, CLZ) and all undefined bytes. INVALID (0xFE) is in the table
/// and runs (it halts, consuming all gas).
pub const fn runs(op: u8) -> bool {
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

/// What the Mass fork of the HyVM refuses on top of the upstream table: vault storage
/// writes, contract creation and delegation.
pub const MASS_ALSO_REFUSES: [u8; 4] = [
    byte::SSTORE,
    byte::CREATE,
    byte::CREATE2,
    byte::DELEGATECALL,
];

/// Whether the Mass fork runs `op`.
pub const fn mass_runs(op: u8) -> bool {
    runs(op)
        && !matches!(
            op,
            byte::SSTORE | byte::CREATE | byte::CREATE2 | byte::DELEGATECALL
        )
}

/// Whether `op` is PUSH1..PUSH32: an opcode whose immediate the HyVM extracts from its
/// calldata (PUSH0 has none).
pub const fn has_immediate(op: u8) -> bool {
    op >= byte::PUSH1 && op <= byte::PUSH32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_the_table_leaves_out() {
        for op in [
            0xf2, 0xff, 0x5c, 0x5d, 0x5e, 0x49, 0x4a, 0x1e, 0x0c, 0x21, 0xef, 0xa5,
        ] {
            assert!(!runs(op), "0x{op:02x}");
        }
        for op in [
            0x00, 0x5f, 0x60, 0x7f, 0xf0, 0xf4, 0xf5, 0xfa, 0xfd, 0xfe, 0x55,
        ] {
            assert!(runs(op), "0x{op:02x}");
        }
        // The table's handlers: 12 + 14 + 1 + 16 + 9 + 12 + 65 + 5 + 5 + 3.
        assert_eq!((0..=u8::MAX).filter(|&b| runs(b)).count(), 142);
    }

    #[test]
    fn mass_refuses_more_and_nothing_else() {
        for op in MASS_ALSO_REFUSES {
            assert!(runs(op) && !mass_runs(op), "0x{op:02x}");
        }
        for op in 0..=u8::MAX {
            if !MASS_ALSO_REFUSES.contains(&op) {
                assert_eq!(runs(op), mass_runs(op), "0x{op:02x}");
            }
        }
    }

    #[test]
    fn immediates_are_push1_to_push32() {
        let with: Vec<u8> = (0..=u8::MAX).filter(|&b| has_immediate(b)).collect();
        assert_eq!(with.len(), 32);
        assert_eq!((with[0], with[31]), (0x60, 0x7f));
    }
}
