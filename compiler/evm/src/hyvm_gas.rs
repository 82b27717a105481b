//! The HyVM's cost facts: what the hypervisor spends on top of each guest instruction's own
//! EVM gas, measured against the real HyVM contract (compiled from the upstream Huff
//! sources) instruction by instruction. This module is the one place these numbers live:
//! the interpreter (`nest-hyvm`), the listing's static costs ([`crate::hyvm_cost`]) and
//! the code generator's cost decisions all read it.

use crate::Opcode;

/// Which build of the HyVM answers: the Huff sources compiled for Paris (no PUSH0; how
/// upstream's own tests deploy it) or for Shanghai (the interpreter itself uses PUSH0,
/// which makes its dispatch cheaper). Guests may use PUSH0 on both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HyvmBuild {
    /// Compiled for Paris: dispatch costs [`DISPATCH_PARIS`].
    #[default]
    Paris,
    /// Compiled for Shanghai: dispatch costs [`DISPATCH_SHANGHAI`].
    Shanghai,
}

impl HyvmBuild {
    /// Both builds, Paris first.
    pub const ALL: [HyvmBuild; 2] = [HyvmBuild::Paris, HyvmBuild::Shanghai];

    /// Gas of dispatching one guest instruction in this build.
    pub const fn dispatch(self) -> u64 {
        match self {
            HyvmBuild::Paris => DISPATCH_PARIS,
            HyvmBuild::Shanghai => DISPATCH_SHANGHAI,
        }
    }

    /// The build's name as the command line spells it.
    pub const fn name(self) -> &'static str {
        match self {
            HyvmBuild::Paris => "paris",
            HyvmBuild::Shanghai => "shanghai",
        }
    }
}

impl std::str::FromStr for HyvmBuild {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "paris" => Ok(HyvmBuild::Paris),
            "shanghai" => Ok(HyvmBuild::Shanghai),
            _ => Err(format!(
                "unknown HyVM build `{s}` (expected `paris` or `shanghai`)"
            )),
        }
    }
}

impl std::fmt::Display for HyvmBuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Per guest instruction, Paris build: read the execution pointer, CALLDATALOAD the next
/// byte, look up its handler in the in-memory jump table, JUMP to it (the handler's own
/// JUMPDEST included). The conformance vector `testGas` (GAS GAS SUB) reads 0x43 = 65 + 2.
pub const DISPATCH_PARIS: u64 = 65;

/// Per guest instruction, Shanghai build: the same dispatch with PUSH0 for its two
/// `PUSH1 0`s (2 each instead of 3). `testGas` reads 0x41 = 63 + 2.
pub const DISPATCH_SHANGHAI: u64 = 63;

/// Dispatch of the default (Paris) build.
pub const DISPATCH: u64 = DISPATCH_PARIS;

/// PUSH1..PUSH32 beyond dispatch: extract the immediate from calldata (MLOAD the pointer,
/// CALLDATALOAD, shift by (32 - n) * 8, advance and MSTORE the pointer). Measured: 44.
pub const PUSH_IMMEDIATE: u64 = 44;

/// Per memory offset the HyVM fixes (mask to 160 bits, add 0x340): PUSH, AND, PUSH, ADD.
/// MLOAD, MSTORE, MSTORE8, KECCAK256, RETURN, REVERT, LOGn, CALLDATACOPY, CODECOPY,
/// RETURNDATACOPY, EXTCODECOPY, CREATE, CREATE2: one offset each.
pub const MEMORY_OFFSET_FIX: u64 = 12;

/// CALL, STATICCALL and DELEGATECALL fix their two memory ranges (arguments and return)
/// together for 36, not 2 × 12: each offset is masked and shifted, and the handler
/// reorders the stack around them.
pub const CALL_MEMORY_FIX: u64 = 36;

/// JUMP beyond its native 8 gas and the landing JUMPDEST's 1: the HyVM moves its pointer
/// to the target (27), checks the byte is 0x5B (22) and continues *after* it, so the
/// landing JUMPDEST is never dispatched. 49 - 8 - 1 = 40.
pub const JUMP_EXTRA: u64 = 40;

/// A taken JUMPI beyond its native 10 gas and the landing JUMPDEST's 1: SWAP1, PUSH,
/// JUMPI (16) into the JUMP handler, whose own JUMPDEST it pays (1), then the JUMP path
/// (49). 66 - 10 - 1 = 55.
pub const JUMPI_TAKEN_EXTRA: u64 = 55;

/// A JUMPI not taken beyond its native 10 gas: SWAP1, PUSH, JUMPI, POP = 18. 18 - 10 = 8.
pub const JUMPI_NOT_TAKEN_EXTRA: u64 = 8;

/// A JUMPDEST reached by normal dispatch is its handler's dispatch and nothing else: the
/// native 1 the EVM would charge is not spent, so the model credits it back.
pub const JUMPDEST_NATIVE_CREDIT: u64 = 1;

/// The delegate-context guard the HyVM runs first (compare ADDRESS with its own address).
pub const ENTRY_GUARD: u64 = 50;

/// Entry, once per DELEGATECALL into the HyVM: the guard (50), the MSTORE that sizes host
/// memory to 0x340 (15 + 79 for 26 words of expansion), and the CODECOPY of the 512-byte
/// jump table to 0x20 (9 + 3 + 48). 204.
pub const ENTRY: u64 = ENTRY_GUARD + (15 + 79) + (9 + 3 + 48);

/// A direct CALL or STATICCALL to the HyVM: the guard fails and reverts with empty data.
pub const DIRECT_CALL_GUARD: u64 = ENTRY_GUARD;

/// Where the guest's memory starts in the HyVM's own memory: below it live the execution
/// pointer (0x00), the jump table (0x20) and a kernel slot (0x220).
pub const HOST_MEMORY_START: u64 = 0x340;

/// Words of host memory already paid for at entry (0x340 / 32 = 26).
pub const HOST_MEMORY_WORDS: u64 = HOST_MEMORY_START / 32;

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
pub fn memory_shift_adjustment(old_words: u64, new_words: u64) -> i64 {
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

/// What the HyVM spends fixing `op`'s memory offsets: 12 per offset, 36 for a call's two
/// ranges.
pub fn memory_fix(op: Opcode) -> u64 {
    match op {
        Opcode::CALL | Opcode::CALLCODE | Opcode::DELEGATECALL | Opcode::STATICCALL => {
            CALL_MEMORY_FIX
        }
        _ => MEMORY_OFFSET_FIX * memory_offsets(op),
    }
}

/// The HyVM's overhead for one dispatched instruction as far as it is known statically,
/// in `build`: signed, because a dispatched JUMPDEST costs less than natively. A JUMPI
/// counts as not taken; the memory-shift adjustment depends on the run and is excluded.
pub fn static_overhead(op: Opcode, build: HyvmBuild) -> i64 {
    let jump = match op {
        Opcode::JUMP => JUMP_EXTRA,
        Opcode::JUMPI => JUMPI_NOT_TAKEN_EXTRA,
        _ => 0,
    };
    let credit = if op == Opcode::JUMPDEST {
        JUMPDEST_NATIVE_CREDIT
    } else {
        0
    };
    (build.dispatch()
        + PUSH_IMMEDIATE * u64::from(op.is_push_with_immediate())
        + memory_fix(op)
        + jump) as i64
        - credit as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_memory_usually_costs_more_and_can_cost_less() {
        assert_eq!(memory_shift_adjustment(0, 0), 0);
        // 1 word: (27² - 26²)/512 floors to 1 - 1 = 0; native 1/512 = 0.
        assert_eq!(memory_shift_adjustment(0, 1), 0);
        // 100 words: host 126²/512 - 26²/512 = 31 - 1 = 30; native 10000/512 = 19.
        assert_eq!(memory_shift_adjustment(0, 100), 11);
        assert_eq!(memory_shift_adjustment(100, 50), 0);
        // 22 → 23 words: native 529/512 - 484/512 = 1 - 0 = 1; host 49²/512 - 48²/512 =
        // 4 - 4 = 0. The shifted memory costs one less.
        assert_eq!(memory_shift_adjustment(22, 23), -1);
    }

    #[test]
    fn entry_is_the_sum_of_its_parts() {
        assert_eq!(ENTRY, 204);
        assert_eq!(words(33), 2);
    }

    #[test]
    fn builds_differ_in_dispatch_only() {
        assert_eq!(HyvmBuild::default(), HyvmBuild::Paris);
        assert_eq!("shanghai".parse(), Ok(HyvmBuild::Shanghai));
        assert!("cancun".parse::<HyvmBuild>().is_err());
        for byte in 0..=u8::MAX {
            let op = Opcode(byte);
            assert_eq!(
                static_overhead(op, HyvmBuild::Paris) - static_overhead(op, HyvmBuild::Shanghai),
                2
            );
        }
        assert_eq!(static_overhead(Opcode::JUMPDEST, HyvmBuild::Paris), 64);
        assert_eq!(static_overhead(Opcode::CALL, HyvmBuild::Paris), 65 + 36);
        assert_eq!(static_overhead(Opcode(0x60), HyvmBuild::Paris), 65 + 44);
    }
}
