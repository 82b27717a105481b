//! Bytes back to instructions, by a linear sweep that survives truncated PUSH data and
//! undefined bytes.

use std::fmt;

use alloy_primitives::U256;

use crate::opcodes::Opcode;

/// One decoded instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instr<'a> {
    /// Its offset in the decoded bytes.
    pub pc: usize,
    /// The opcode byte (possibly undefined).
    pub op: Opcode,
    /// The immediate bytes present; shorter than [`Opcode::immediate_size`] when truncated.
    pub immediate: &'a [u8],
}

impl Instr<'_> {
    /// Whether the bytes ended before the full immediate.
    pub fn is_truncated(&self) -> bool {
        self.immediate.len() < self.op.immediate_size()
    }

    /// The value a PUSH pushes (missing trailing bytes read as zero, as the EVM does),
    /// or `None` if it is not a push.
    pub fn push_value(&self) -> Option<U256> {
        if self.op == Opcode::PUSH0 {
            return Some(U256::ZERO);
        }
        if !self.op.is_push_with_immediate() {
            return None;
        }
        let mut word = [0u8; 32];
        let size = self.op.immediate_size();
        let start = 32 - size;
        word[start..start + self.immediate.len()].copy_from_slice(self.immediate);
        Some(U256::from_be_bytes(word))
    }

    /// The offset of the next instruction.
    pub fn next_pc(&self) -> usize {
        self.pc + 1 + self.immediate.len()
    }
}

impl fmt::Display for Instr<'_> {
    /// `PUSH1 0x40`, `ADD`, `PUSH4 0x1234 (truncated)`, `UNDEFINED(0x0c)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.op)?;
        if self.op.is_push_with_immediate() {
            f.write_str(" 0x")?;
            for byte in self.immediate {
                write!(f, "{byte:02x}")?;
            }
            if self.is_truncated() {
                f.write_str(" (truncated)")?;
            }
        }
        Ok(())
    }
}

/// Decodes all of `code` into instructions, in order.
pub fn disassemble(code: &[u8]) -> Vec<Instr<'_>> {
    Instructions { code, pc: 0 }.collect()
}

/// An iterator over the instructions of `code`.
pub fn instructions(code: &[u8]) -> Instructions<'_> {
    Instructions { code, pc: 0 }
}

/// Iterator returned by [`instructions`].
#[derive(Debug, Clone)]
pub struct Instructions<'a> {
    code: &'a [u8],
    pc: usize,
}

impl<'a> Iterator for Instructions<'a> {
    type Item = Instr<'a>;

    fn next(&mut self) -> Option<Instr<'a>> {
        let byte = *self.code.get(self.pc)?;
        let op = Opcode(byte);
        let start = self.pc + 1;
        let end = (start + op.immediate_size()).min(self.code.len());
        let instr = Instr {
            pc: self.pc,
            op,
            immediate: &self.code[start..end],
        };
        self.pc = end;
        Some(instr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pushes_and_plain_opcodes() {
        let code = [0x60, 0x40, 0x5f, 0x52, 0x61, 0x01, 0x02, 0x00];
        let text: Vec<String> = disassemble(&code)
            .iter()
            .map(|i| format!("{} {}", i.pc, i))
            .collect();
        assert_eq!(
            text,
            [
                "0 PUSH1 0x40",
                "2 PUSH0",
                "3 MSTORE",
                "4 PUSH2 0x0102",
                "7 STOP"
            ]
        );
    }

    #[test]
    fn truncated_push_is_reported_not_panicked() {
        let code = [0x63, 0x12, 0x34];
        let instrs = disassemble(&code);
        assert_eq!(instrs.len(), 1);
        assert!(instrs[0].is_truncated());
        assert_eq!(instrs[0].push_value(), Some(U256::from(0x1234_0000u64)));
        assert_eq!(instrs[0].to_string(), "PUSH4 0x1234 (truncated)");
        assert_eq!(instrs[0].next_pc(), 3);
    }

    #[test]
    fn garbage_decodes_byte_by_byte() {
        let garbage: Vec<u8> = (0..=u8::MAX).rev().collect();
        let instrs = disassemble(&garbage);
        assert_eq!(instrs[0].to_string(), "SELFDESTRUCT");
        assert_eq!(instrs[1].to_string(), "INVALID");
        assert_eq!(instrs[2].to_string(), "REVERT");
        assert_eq!(instrs[3].to_string(), "UNDEFINED(0xfc)");
        // Instructions tile the input exactly.
        let covered: usize = instrs.iter().map(|i| 1 + i.immediate.len()).sum();
        assert_eq!(covered, garbage.len());
        assert!(disassemble(&[]).is_empty());
    }
}
