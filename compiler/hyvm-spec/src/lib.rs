//! The HyVM's facts, in one place: which opcode bytes it refuses ([`opcodes`]), where the
//! guest's memory sits in its own and which operands it relocates there ([`memory`]), and
//! what it spends on top of each guest instruction's EVM gas ([`gas`]).
//!
//! The numbers were measured against the real HyVM contract (compiled from the upstream Huff
//! sources) instruction by instruction. `nest-evm` reads them for the HyVM-safe opcode set
//! and the listing's static costs, `nest-hyvm` for the interpreter, and `nest-codegen` for
//! its cost decisions. Opcodes are plain bytes here: this crate depends on nothing.

#![warn(missing_docs)]

pub mod gas;
pub mod memory;
pub mod opcodes;
