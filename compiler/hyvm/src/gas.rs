//! The HyVM's cost model: what the hypervisor spends on top of each guest instruction's own EVM
//! gas. The numbers and their derivations live in `nest_evm::hyvm_gas`, shared with the
//! listing's static costs and the code generator; they are re-exported here. The crate README
//! explains the model as a whole.

pub use nest_evm::hyvm_gas::{
    memory_shift_adjustment, words, HyvmBuild, CALL_MEMORY_FIX, DIRECT_CALL_GUARD, DISPATCH,
    DISPATCH_PARIS, DISPATCH_SHANGHAI, ENTRY, ENTRY_GUARD, HOST_MEMORY_START, HOST_MEMORY_WORDS,
    JUMPDEST_NATIVE_CREDIT, JUMPI_NOT_TAKEN_EXTRA, JUMPI_TAKEN_EXTRA, JUMP_EXTRA,
    MEMORY_OFFSET_FIX, PUSH_IMMEDIATE,
};

/// What fixing the memory offsets of the opcode `op` costs the HyVM: 12 per offset, 36 for a
/// call's two ranges.
pub fn memory_fix(op: u8) -> u64 {
    nest_evm::hyvm_gas::memory_fix(nest_evm::Opcode(op))
}
