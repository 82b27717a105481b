//! nest-evm: EVM assembly → bytecode, bytecode → listing, the safety checker, and the
//! provenance trailer. It knows nothing of Nest syntax, types or IR.
//!
//! ```
//! use nest_evm::{assemble, check, trailer, AsmItem, Label, Opcode, Program};
//! use alloy_primitives::{B256, U256};
//!
//! let end = Label(0);
//! let program = Program {
//!     items: vec![
//!         AsmItem::PushLabel(end),
//!         AsmItem::Op(Opcode::JUMP),
//!         AsmItem::Label(end),
//!         AsmItem::Push(U256::ZERO),
//!         AsmItem::Op(Opcode::DUP1),
//!         AsmItem::Op(Opcode::RETURN),
//!     ],
//!     ..Program::default()
//! };
//! let out = assemble(&program)?;
//! assert_eq!(out.bytes, [0x60, 0x03, 0x56, 0x5b, 0x5f, 0x80, 0xf3, 0x00]);
//! assert!(check(&out.bytes, out.code_len).is_ok());
//!
//! let mut payload = out.bytes.clone();
//! payload.extend(trailer::encode(B256::repeat_byte(7)));
//! assert_eq!(trailer::decode(&payload)?.code, &out.bytes[..]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod asm;
mod assemble;
mod data_pack;
mod disasm;
mod error;
pub mod hyvm_cost;
mod layout;
mod listing;
mod opcode_table;
mod opcodes;
mod safety;
pub mod trailer;

pub use asm::{AsmItem, DataId, Label, Program, SourceLoc};
pub use assemble::{assemble, Assembled};
pub use disasm::{disassemble, instructions, Instr, Instructions};
pub use error::AsmError;
pub use hyvm_cost::hyvm_overhead;
pub use listing::{listing, Annotations, CostFn};
pub use opcodes::{hyvm_supported, nest_allowed, OpInfo, Opcode};
pub use safety::{check, hyvm_check, SafetyReport, SafetyViolation, ViolationKind};
pub use trailer::{Trailer, TrailerError};
