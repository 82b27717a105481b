//! The HyVM's view of each opcode byte: whether it runs, and which stack operands are memory
//! regions (offset, length) that the HyVM relocates into the guest's memory window. The
//! facts are `nest-hyvm-spec`'s; this module applies them to a [`Variant`].

use crate::config::Variant;
use revm::bytecode::opcode::OpCode;

/// What the HyVM does with an opcode byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Treatment {
    /// Executed with its EVM meaning (possibly with relocated memory operands).
    Runs,
    /// Refused: the HyVM reverts with empty data.
    Refused,
}

/// How the HyVM treats `op` in the given variant.
///
/// Refused: CALLCODE and SELFDESTRUCT; every byte missing from the HyVM's jump table (TLOAD,
/// TSTORE, MCOPY, BLOBHASH, BLOBBASEFEE, CLZ and all undefined bytes); and, in the Mass fork,
/// SSTORE, CREATE, CREATE2 and DELEGATECALL. INVALID (0xFE) is in the table and runs (it
/// halts, consuming all gas).
pub fn treatment(op: u8, variant: Variant) -> Treatment {
    let runs = match variant {
        Variant::Mass => nest_hyvm_spec::opcodes::mass_runs(op),
        Variant::Standard | Variant::Deployed => nest_hyvm_spec::opcodes::runs(op),
    };
    if runs {
        Treatment::Runs
    } else {
        Treatment::Refused
    }
}

/// The mnemonic of `op`, or its hex value when the byte is undefined.
pub fn name(op: u8) -> String {
    match OpCode::new(op) {
        Some(code) => code.as_str().to_string(),
        None => format!("0x{op:02x}"),
    }
}

pub use nest_hyvm_spec::memory::{regions as memory_regions, Length, Region};
pub use nest_hyvm_spec::opcodes::has_immediate;

#[cfg(test)]
mod tests {
    use super::*;
    use revm::bytecode::opcode;

    #[test]
    fn refuses_what_the_hyvm_table_leaves_out() {
        for op in [
            0xf2, 0xff, 0x5c, 0x5d, 0x5e, 0x49, 0x4a, 0x1e, 0x0c, 0x21, 0xef, 0xa5,
        ] {
            assert_eq!(
                treatment(op, Variant::Standard),
                Treatment::Refused,
                "{}",
                name(op)
            );
        }
        for op in [
            0x00, 0x5f, 0x60, 0x7f, 0xf0, 0xf4, 0xf5, 0xfa, 0xfd, 0xfe, 0x55,
        ] {
            assert_eq!(
                treatment(op, Variant::Standard),
                Treatment::Runs,
                "{}",
                name(op)
            );
        }
    }

    #[test]
    fn mass_also_refuses_state_creation_and_delegation() {
        for op in [0x55, 0xf0, 0xf5, 0xf4] {
            assert_eq!(
                treatment(op, Variant::Mass),
                Treatment::Refused,
                "{}",
                name(op)
            );
        }
        assert_eq!(treatment(0xf1, Variant::Mass), Treatment::Runs);
    }

    #[test]
    fn offset_counts_match_the_hyvm() {
        assert_eq!(memory_regions(opcode::CALL).len(), 2);
        assert_eq!(memory_regions(opcode::STATICCALL).len(), 2);
        assert_eq!(memory_regions(opcode::EXTCODECOPY).len(), 1);
        assert_eq!(memory_regions(opcode::ADD).len(), 0);
        assert_eq!(name(0xf2), "CALLCODE");
        assert_eq!(name(0x0c), "0x0c");
    }
}
