//! What each [`Opcode`] byte means: mnemonic, stack effect (from the table in
//! `opcode_table`, where the type is defined), immediate size, and which bytes the HyVM
//! runs and Nest output may contain.

use std::fmt;

use crate::opcode_table::lookup;
pub use crate::opcode_table::{OpInfo, Opcode};

impl Opcode {
    /// The table entry, or `None` for an undefined byte.
    #[inline]
    pub const fn info(self) -> Option<OpInfo> {
        lookup(self.0)
    }

    /// Whether the byte is a defined opcode on Cancun/Prague.
    #[inline]
    pub const fn is_defined(self) -> bool {
        self.info().is_some()
    }

    /// The mnemonic, or `"UNDEFINED"` for a byte the table does not define.
    pub const fn name(self) -> &'static str {
        match self.info() {
            Some(info) => info.name,
            None => "UNDEFINED",
        }
    }

    /// The opcode whose mnemonic is `name` (case-insensitive; `SHA3` and `DIFFICULTY`
    /// are accepted as the old names of `KECCAK256` and `PREVRANDAO`).
    pub fn from_name(name: &str) -> Option<Opcode> {
        let upper = name.to_ascii_uppercase();
        let wanted = match upper.as_str() {
            "SHA3" => "KECCAK256",
            "DIFFICULTY" => "PREVRANDAO",
            other => other,
        };
        (0..=u8::MAX)
            .map(Opcode)
            .find(|op| op.info().is_some_and(|info| info.name == wanted))
    }

    /// The number of immediate bytes that follow it: 1..=32 for PUSH1..PUSH32, else 0.
    #[inline]
    pub const fn immediate_size(self) -> usize {
        if self.is_push_with_immediate() {
            (self.0 - Opcode::PUSH0.0) as usize
        } else {
            0
        }
    }

    /// Whether it is PUSH1..PUSH32 (PUSH0 has no immediate and is not included).
    #[inline]
    pub const fn is_push_with_immediate(self) -> bool {
        self.0 >= Opcode::PUSH1.0 && self.0 <= Opcode::PUSH32.0
    }

    /// PUSH*n* for `n` immediate bytes (0 gives PUSH0), or `None` when `n > 32`.
    pub const fn push(n: usize) -> Option<Opcode> {
        if n > 32 {
            None
        } else {
            Some(Opcode(Opcode::PUSH0.0 + n as u8))
        }
    }

    /// Whether control never continues to the next instruction: STOP, RETURN, REVERT,
    /// INVALID, SELFDESTRUCT and JUMP.
    #[inline]
    pub const fn is_terminator(self) -> bool {
        matches!(
            self,
            Opcode::STOP
                | Opcode::RETURN
                | Opcode::REVERT
                | Opcode::INVALID
                | Opcode::SELFDESTRUCT
                | Opcode::JUMP
        )
    }

    /// Whether the HyVM executes it (rather than reverting): every defined opcode except
    /// CALLCODE, SELFDESTRUCT, TLOAD, TSTORE, MCOPY, BLOBHASH and BLOBBASEFEE. The HyVM's
    /// table is `nest_hyvm_spec::opcodes::runs`.
    #[inline]
    pub const fn hyvm_supported(self) -> bool {
        nest_hyvm_spec::opcodes::runs(self.0)
    }

    /// Whether Nest-generated code may contain it: run by the Mass HyVM variant (so
    /// HyVM-supported, and neither SSTORE, DELEGATECALL nor contract creation), and
    /// touching neither vault storage (SLOAD) nor logs, so the same bytes run on both.
    #[inline]
    pub const fn nest_allowed(self) -> bool {
        nest_hyvm_spec::opcodes::mass_runs(self.0)
            && !matches!(
                self,
                Opcode::SLOAD
                    | Opcode::LOG0
                    | Opcode::LOG1
                    | Opcode::LOG2
                    | Opcode::LOG3
                    | Opcode::LOG4
            )
    }
}

/// Whether the HyVM executes `byte`; see [`Opcode::hyvm_supported`].
pub const fn hyvm_supported(byte: u8) -> bool {
    Opcode(byte).hyvm_supported()
}

/// Whether Nest output may contain `byte`; see [`Opcode::nest_allowed`].
pub const fn nest_allowed(byte: u8) -> bool {
    Opcode(byte).nest_allowed()
}

impl fmt::Display for Opcode {
    /// The mnemonic, or `UNDEFINED(0x0c)` for an undefined byte.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.info() {
            Some(info) => f.write_str(info.name),
            None => write!(f, "UNDEFINED(0x{:02x})", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined_count() -> usize {
        (0..=u8::MAX).filter(|&b| Opcode(b).is_defined()).count()
    }

    #[test]
    fn table_has_every_cancun_opcode() {
        // 149 opcodes are defined on Cancun (Prague adds none to legacy code).
        assert_eq!(defined_count(), 149);
        assert_eq!(Opcode::ADD.0, 0x01);
        assert_eq!(Opcode::KECCAK256.0, 0x20);
        assert_eq!(Opcode::MCOPY.0, 0x5e);
        assert_eq!(Opcode::PUSH32.0, 0x7f);
        assert_eq!(Opcode::STATICCALL.0, 0xfa);
        assert_eq!(Opcode::SWAP16.name(), "SWAP16");
        assert!(!Opcode(0x0c).is_defined());
        assert!(!Opcode(0xef).is_defined());
    }

    #[test]
    fn stack_effects() {
        let call = Opcode::CALL.info();
        assert_eq!(call.map(|i| (i.inputs, i.outputs)), Some((7, 1)));
        let dup3 = Opcode::DUP3.info();
        assert_eq!(dup3.map(|i| (i.inputs, i.outputs)), Some((3, 4)));
        let log2 = Opcode::LOG2.info();
        assert_eq!(log2.map(|i| (i.inputs, i.outputs)), Some((4, 0)));
    }

    #[test]
    fn immediates() {
        assert_eq!(Opcode::PUSH0.immediate_size(), 0);
        assert_eq!(Opcode::PUSH1.immediate_size(), 1);
        assert_eq!(Opcode::PUSH32.immediate_size(), 32);
        assert_eq!(Opcode::DUP1.immediate_size(), 0);
        assert_eq!(Opcode::push(0), Some(Opcode::PUSH0));
        assert_eq!(Opcode::push(20), Some(Opcode::PUSH20));
        assert_eq!(Opcode::push(33), None);
    }

    #[test]
    fn names_round_trip() {
        for byte in 0..=u8::MAX {
            let op = Opcode(byte);
            if op.is_defined() {
                assert_eq!(Opcode::from_name(op.name()), Some(op));
            }
        }
        assert_eq!(Opcode::from_name("sha3"), Some(Opcode::KECCAK256));
        assert_eq!(Opcode::from_name("NOPE"), None);
        assert_eq!(Opcode(0x0c).to_string(), "UNDEFINED(0x0c)");
    }

    #[test]
    fn terminators() {
        let terminators: Vec<_> = (0..=u8::MAX)
            .map(Opcode)
            .filter(|op| op.is_terminator())
            .collect();
        assert_eq!(
            terminators,
            [
                Opcode::STOP,
                Opcode::JUMP,
                Opcode::RETURN,
                Opcode::REVERT,
                Opcode::INVALID,
                Opcode::SELFDESTRUCT
            ]
        );
    }

    #[test]
    fn hyvm_refuses_what_its_table_lacks() {
        for op in [
            Opcode::CALLCODE,
            Opcode::SELFDESTRUCT,
            Opcode::TLOAD,
            Opcode::MCOPY,
            Opcode::BLOBBASEFEE,
        ] {
            assert!(!op.hyvm_supported(), "{op}");
        }
        for op in [
            Opcode::SSTORE,
            Opcode::DELEGATECALL,
            Opcode::LOG4,
            Opcode::PUSH0,
            Opcode::CALL,
        ] {
            assert!(op.hyvm_supported(), "{op}");
        }
        assert!(!hyvm_supported(0x0c));
        assert_eq!(
            defined_count() - 7,
            (0..=u8::MAX).filter(|&b| hyvm_supported(b)).count()
        );
    }

    #[test]
    fn nest_is_stricter_than_hyvm() {
        for byte in 0..=u8::MAX {
            if nest_allowed(byte) {
                assert!(hyvm_supported(byte));
            }
        }
        for op in [
            Opcode::SSTORE,
            Opcode::SLOAD,
            Opcode::DELEGATECALL,
            Opcode::CREATE,
            Opcode::CREATE2,
            Opcode::LOG0,
        ] {
            assert!(op.hyvm_supported() && !op.nest_allowed(), "{op}");
        }
        for op in [
            Opcode::CALL,
            Opcode::STATICCALL,
            Opcode::CODECOPY,
            Opcode::RETURN,
            Opcode::JUMPDEST,
        ] {
            assert!(op.nest_allowed(), "{op}");
        }
    }
}
