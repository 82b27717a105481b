//! The HyVM's cost model: what the hypervisor spends on top of each guest instruction's own EVM
//! gas. The numbers and their derivations live in the leaf crate `nest-hyvm-spec`, shared with
//! the listing's static costs (`nest-evm`) and the code generator's cost decisions; they are
//! re-exported here. The crate README explains the model as a whole.

pub use nest_hyvm_spec::gas::{
    memory_fix, HyvmBuild, CALL_MEMORY_FIX, DIRECT_CALL_GUARD, DISPATCH, DISPATCH_PARIS,
    DISPATCH_SHANGHAI, ENTRY, ENTRY_GUARD, JUMPDEST_NATIVE_CREDIT, JUMPI_NOT_TAKEN_EXTRA,
    JUMPI_TAKEN_EXTRA, JUMP_EXTRA, MEMORY_OFFSET_FIX, PUSH_IMMEDIATE,
};
pub use nest_hyvm_spec::memory::{
    shift_adjustment as memory_shift_adjustment, words, HOST_MEMORY_START, HOST_MEMORY_WORDS,
};
