//! What the HyVM charges on top of each guest instruction's own EVM gas, known before
//! running, for the listing: dispatch (65 in the Paris build, 63 in the Shanghai build),
//! extracting a PUSH immediate (44), fixing memory offsets (12 each; 36 for a call's two
//! ranges), and for jumps the emulated jump (JUMP 40; JUMPI 8 when not taken, 55 when
//! taken, which the listing cannot know: it shows the not-taken cost). A JUMPDEST reached
//! by dispatch costs its dispatch less the native 1 the HyVM does not spend; one landed
//! on by a jump is paid by the jump. Memory that grows past the HyVM's 0x340-byte header
//! costs a little more (rarely one less) as it expands; that part depends on the run and
//! is not included.
//!
//! The numbers themselves live in `nest_hyvm_spec`, which the interpreter reads too.

use crate::Opcode;
pub use nest_hyvm_spec::gas::{
    HyvmBuild, DISPATCH, JUMPI_NOT_TAKEN_EXTRA, JUMPI_TAKEN_EXTRA, JUMP_EXTRA, MEMORY_OFFSET_FIX,
    PUSH_IMMEDIATE,
};

/// How many memory offsets of `op` the HyVM relocates.
pub fn memory_offsets(op: Opcode) -> u64 {
    nest_hyvm_spec::memory::offsets(op.0)
}

/// The HyVM's overhead for one dispatched instruction in the default (Paris) build, as far
/// as it is known statically (a JUMPI counts as not taken; memory expansion past the
/// header is not included).
pub fn hyvm_overhead(op: Opcode) -> u64 {
    hyvm_overhead_in(op, HyvmBuild::Paris)
}

/// [`hyvm_overhead`] in a given build.
pub fn hyvm_overhead_in(op: Opcode, build: HyvmBuild) -> u64 {
    // Dispatch alone exceeds the JUMPDEST credit, so the overhead is never negative.
    u64::try_from(nest_hyvm_spec::gas::static_overhead(op.0, build)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_charges_the_spec_overhead_per_opcode() {
        assert_eq!(hyvm_overhead(Opcode::ADD), 65);
        assert_eq!(hyvm_overhead(Opcode::PUSH1), 65 + 44);
        assert_eq!(
            hyvm_overhead_in(Opcode::PUSH1, HyvmBuild::Shanghai),
            63 + 44
        );
        assert_eq!(hyvm_overhead(Opcode::JUMPDEST), 64);
        assert_eq!(memory_offsets(Opcode::CALL), 2);
        // Never negative, whatever the byte.
        for b in 0..=u8::MAX {
            assert!(hyvm_overhead_in(Opcode(b), HyvmBuild::Shanghai) >= 62);
        }
    }
}
