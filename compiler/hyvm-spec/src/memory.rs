//! The guest's memory inside the HyVM's: it starts at [`HOST_MEMORY_START`], and every memory
//! offset a guest instruction names is masked to 160 bits and shifted there. Which operands
//! are such offsets is [`regions`]; what the shift does to memory expansion costs is
//! [`shift_adjustment`].

use crate::opcodes::byte;

/// Where the guest's memory starts in the HyVM's own memory: below it live the execution
/// pointer (0x00), the jump table (0x20) and a kernel slot (0x220).
pub const HOST_MEMORY_START: u64 = 0x340;

/// Words of host memory already paid for at entry (0x340 / 32 = 26).
pub const HOST_MEMORY_WORDS: u64 = HOST_MEMORY_START / 32;

/// The HyVM masks each guest memory offset to this many low bits before shifting it.
pub const OFFSET_MASK_BITS: u32 = 160;

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

/// A region literal (a constant expression, so the tables below are `'static`).
macro_rules! region {
    ($offset:expr, $length:expr) => {
        Region {
            offset: $offset,
            length: $length,
        }
    };
}

/// The memory regions of `op`: one per offset the HyVM fixes (masks and shifts by 0x340).
pub const fn regions(op: u8) -> &'static [Region] {
    use Length::{Fixed, Stack};
    match op {
        byte::KECCAK256 => &[region!(0, Stack(1))],
        byte::CALLDATACOPY | byte::CODECOPY | byte::RETURNDATACOPY => &[region!(0, Stack(2))],
        byte::EXTCODECOPY => &[region!(1, Stack(3))],
        byte::MLOAD | byte::MSTORE => &[region!(0, Fixed(32))],
        byte::MSTORE8 => &[region!(0, Fixed(1))],
        byte::LOG0..=byte::LOG4 => &[region!(0, Stack(1))],
        byte::CREATE | byte::CREATE2 => &[region!(1, Stack(2))],
        byte::CALL | byte::CALLCODE => &[region!(3, Stack(4)), region!(5, Stack(6))],
        byte::DELEGATECALL | byte::STATICCALL => &[region!(2, Stack(3)), region!(4, Stack(5))],
        byte::RETURN | byte::REVERT => &[region!(0, Stack(1))],
        _ => &[],
    }
}

/// How many memory offsets of `op` the HyVM relocates.
pub const fn offsets(op: u8) -> u64 {
    regions(op).len() as u64
}

/// Whether `op` is one of the calls, which fix their two ranges together.
pub const fn is_call(op: u8) -> bool {
    matches!(
        op,
        byte::CALL | byte::CALLCODE | byte::DELEGATECALL | byte::STATICCALL
    )
}

/// The largest memory, in words, the model prices; beyond it the native expansion itself
/// runs out of gas, so no adjustment is needed.
const MAX_PRICED_WORDS: u64 = 1 << 32;

/// The quadratic part of the EVM memory cost (`words² / 512`, floored); the linear part
/// (3 per word) is the same whether or not memory is shifted.
fn quadratic(words: u64) -> i64 {
    (words.saturating_mul(words) / 512) as i64
}

/// The adjustment for growing guest memory from `old_words` to `new_words` when, as in the
/// HyVM, it sits 26 words into host memory: the host pays `C(26 + new) - C(26 + old)` where
/// a native run pays `C(new) - C(old)`. Usually positive; it can be negative (by 1) where
/// the native cost's floor rounds up a step that the host's does not.
pub fn shift_adjustment(old_words: u64, new_words: u64) -> i64 {
    if new_words <= old_words || new_words > MAX_PRICED_WORDS {
        return 0;
    }
    let host = quadratic(HOST_MEMORY_WORDS + new_words) - quadratic(HOST_MEMORY_WORDS + old_words);
    let native = quadratic(new_words) - quadratic(old_words);
    host - native
}

/// Words needed to hold `bytes` bytes.
pub fn words(bytes: u64) -> u64 {
    bytes.div_ceil(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_memory_usually_costs_more_and_can_cost_less() {
        assert_eq!(shift_adjustment(0, 0), 0);
        // 1 word: (27² - 26²)/512 floors to 1 - 1 = 0; native 1/512 = 0.
        assert_eq!(shift_adjustment(0, 1), 0);
        // 100 words: host 126²/512 - 26²/512 = 31 - 1 = 30; native 10000/512 = 19.
        assert_eq!(shift_adjustment(0, 100), 11);
        assert_eq!(shift_adjustment(100, 50), 0);
        // 22 → 23 words: native 529/512 - 484/512 = 1 - 0 = 1; host 49²/512 - 48²/512 =
        // 4 - 4 = 0. The shifted memory costs one less.
        assert_eq!(shift_adjustment(22, 23), -1);
        assert_eq!(words(33), 2);
        assert_eq!(HOST_MEMORY_WORDS, 26);
    }

    #[test]
    fn offset_counts_match_the_hyvm() {
        assert_eq!(offsets(byte::CALL), 2);
        assert_eq!(offsets(byte::STATICCALL), 2);
        assert_eq!(offsets(byte::EXTCODECOPY), 1);
        assert_eq!(
            regions(byte::EXTCODECOPY),
            &[Region {
                offset: 1,
                length: Length::Stack(3)
            }]
        );
        assert_eq!(offsets(0x01), 0); // ADD
        let relocating = (0..=u8::MAX).filter(|&b| offsets(b) > 0).count();
        // KECCAK256, 3 copies, EXTCODECOPY, MLOAD, MSTORE, MSTORE8, LOG0..4, CREATE,
        // CREATE2, 4 calls, RETURN, REVERT.
        assert_eq!(relocating, 1 + 3 + 1 + 3 + 5 + 2 + 4 + 2);
        // Every call fixes two ranges, nothing else does.
        for b in 0..=u8::MAX {
            assert_eq!(offsets(b) == 2, is_call(b), "0x{b:02x}");
        }
    }
}
