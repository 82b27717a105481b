//! What the HyVM spends on top of each guest instruction's own EVM gas: dispatch, extracting
//! a PUSH immediate, fixing memory offsets, emulating jumps; and its entry cost. The README
//! of `nest-hyvm` explains the model as a whole.

use crate::memory::{is_call, offsets};
use crate::opcodes::{byte, has_immediate};

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

/// What the HyVM spends fixing `op`'s memory offsets: 12 per offset, 36 for a call's two
/// ranges.
pub const fn memory_fix(op: u8) -> u64 {
    if is_call(op) {
        CALL_MEMORY_FIX
    } else {
        MEMORY_OFFSET_FIX * offsets(op)
    }
}

/// The HyVM's overhead for one dispatched instruction as far as it is known statically,
/// in `build`: signed, because a dispatched JUMPDEST costs less than natively. A JUMPI
/// counts as not taken; the memory-shift adjustment depends on the run and is excluded.
pub const fn static_overhead(op: u8, build: HyvmBuild) -> i64 {
    let jump = match op {
        byte::JUMP => JUMP_EXTRA,
        byte::JUMPI => JUMPI_NOT_TAKEN_EXTRA,
        _ => 0,
    };
    let credit = if op == byte::JUMPDEST {
        JUMPDEST_NATIVE_CREDIT
    } else {
        0
    };
    let push = if has_immediate(op) { PUSH_IMMEDIATE } else { 0 };
    (build.dispatch() + push + memory_fix(op) + jump) as i64 - credit as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_is_the_sum_of_its_parts() {
        assert_eq!(ENTRY, 204);
    }

    #[test]
    fn builds_differ_in_dispatch_only() {
        assert_eq!(HyvmBuild::default(), HyvmBuild::Paris);
        assert_eq!("shanghai".parse(), Ok(HyvmBuild::Shanghai));
        assert!("cancun".parse::<HyvmBuild>().is_err());
        for op in 0..=u8::MAX {
            assert_eq!(
                static_overhead(op, HyvmBuild::Paris) - static_overhead(op, HyvmBuild::Shanghai),
                2
            );
        }
    }

    #[test]
    fn overheads_of_each_kind() {
        let paris = |op| static_overhead(op, HyvmBuild::Paris);
        assert_eq!(paris(byte::JUMPDEST), 64);
        assert_eq!(paris(byte::CALL), 65 + 36);
        assert_eq!(paris(byte::PUSH1), 65 + 44);
        assert_eq!(paris(byte::PUSH32), 65 + 44);
        assert_eq!(paris(byte::MSTORE), 65 + 12);
        assert_eq!(paris(byte::JUMP), 65 + 40);
        assert_eq!(paris(byte::JUMPI), 65 + 8);
        assert_eq!(paris(0x01), 65); // ADD: dispatch alone
        assert_eq!(memory_fix(byte::EXTCODECOPY), 12);
        assert_eq!(memory_fix(byte::STATICCALL), 36);
    }
}
