//! The HyVM's cost model: what the hypervisor spends on top of each guest instruction's own EVM
//! gas. Every constant of the model is in this file with its derivation; the
//! crate README explains the model as a whole.

/// Per guest instruction: read the execution pointer, CALLDATALOAD the next byte, look up its
/// handler in the in-memory jump table, JUMP to it. Exact for the upstream HyVM: the
/// conformance vector `testGas` (GAS GAS SUB) reads 0x43 = 65 + 2.
pub const DISPATCH: u64 = 65;

/// PUSH1..PUSH32: extract the immediate from calldata (MLOAD the pointer, CALLDATALOAD, shift
/// by (32 - n) * 8, advance and MSTORE the pointer): about 45 more than dispatch.
pub const PUSH_IMMEDIATE: u64 = 45;

/// Per memory offset the HyVM fixes (mask to 160 bits, add 0x340): PUSH, AND, PUSH, ADD.
pub const MEMORY_OFFSET_FIX: u64 = 12;

/// JUMP beyond its native 8 gas and the landing JUMPDEST's 1: the HyVM moves its pointer to the
/// target (27 gas), checks the byte is 0x5B (22 gas) and continues *after* it, so the landing
/// JUMPDEST is never dispatched. 49 - 8 - 1 = 40.
pub const JUMP_EXTRA: u64 = 40;

/// A taken JUMPI beyond its native 10 gas and the landing JUMPDEST's 1: SWAP1, PUSH, JUMPI (16)
/// into the JUMP handler (49). 65 - 10 - 1 = 54.
pub const JUMPI_TAKEN_EXTRA: u64 = 54;

/// A JUMPI not taken beyond its native 10 gas: SWAP1, PUSH, JUMPI, POP = 18. 18 - 10 = 8.
pub const JUMPI_NOT_TAKEN_EXTRA: u64 = 8;

/// Entry, once per DELEGATECALL into the HyVM (estimate): the delegate-context guard (about 40),
/// the MSTORE that sizes host memory to 0x340 (15 + 79 for 26 words of expansion), and the
/// CODECOPY of the 512-byte jump table to 0x20 (9 + 3 + 48).
pub const ENTRY: u64 = 40 + (15 + 79) + (9 + 3 + 48);

/// A direct CALL or STATICCALL to the HyVM (estimate): the guard fails and reverts with empty
/// data after comparing ADDRESS with the HyVM's own address.
pub const DIRECT_CALL_GUARD: u64 = 40;

/// Where the guest's memory starts in the HyVM's own memory: below it live the execution
/// pointer (0x00), the jump table (0x20) and a kernel slot (0x220).
pub const HOST_MEMORY_START: u64 = 0x340;

/// Words of host memory already paid for at entry (0x340 / 32 = 26).
const HOST_MEMORY_WORDS: u64 = HOST_MEMORY_START / 32;

/// The largest memory, in words, the model prices; beyond it the native expansion itself runs
/// out of gas, so no surcharge is needed.
const MAX_PRICED_WORDS: u64 = 1 << 32;

/// The quadratic part of the EVM memory cost (`words² / 512`); the linear part (3 per word) is
/// the same whether or not memory is shifted.
fn quadratic(words: u64) -> u64 {
    words.saturating_mul(words) / 512
}

/// Extra gas for growing guest memory from `old_words` to `new_words` when, as in the HyVM, it
/// sits 26 words into host memory: the host pays `C(26 + new) - C(26 + old)` where a native run
/// pays `C(new) - C(old)`.
pub fn memory_shift_extra(old_words: u64, new_words: u64) -> u64 {
    if new_words <= old_words || new_words > MAX_PRICED_WORDS {
        return 0;
    }
    let host = quadratic(HOST_MEMORY_WORDS + new_words) - quadratic(HOST_MEMORY_WORDS + old_words);
    let native = quadratic(new_words) - quadratic(old_words);
    host.saturating_sub(native)
}

/// Words needed to hold `bytes` bytes.
pub fn words(bytes: u64) -> u64 {
    bytes.div_ceil(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_memory_costs_more_as_it_grows() {
        assert_eq!(memory_shift_extra(0, 0), 0);
        // 1 word: (27² - 26²)/512 floors to 1 - 1 = 0; native 1/512 = 0.
        assert_eq!(memory_shift_extra(0, 1), 0);
        // 100 words: host 126²/512 - 26²/512 = 31 - 1 = 30; native 10000/512 = 19.
        assert_eq!(memory_shift_extra(0, 100), 11);
        assert_eq!(memory_shift_extra(100, 50), 0);
    }

    #[test]
    fn entry_is_the_sum_of_its_parts() {
        assert_eq!(ENTRY, 194);
        assert_eq!(words(33), 2);
    }
}
