//! The assembly the code generator produces: a flat list of items plus data blobs.

use alloy_primitives::U256;
use serde::{Deserialize, Serialize};

use crate::opcodes::Opcode;

/// A jump target, allocated by the code generator and placed with [`AsmItem::Label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(pub u32);

/// An index into [`Program::data`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataId(pub u32);

/// A position in a source file, as plain numbers (this crate knows no Nest types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceLoc {
    /// The file's index in whatever file table the caller keeps.
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// One item of assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsmItem {
    /// Any opcode except PUSH1..PUSH32 (PUSH0 is allowed).
    Op(Opcode),
    /// Push a constant with the shortest encoding: PUSH0 for zero, else PUSH1..PUSH32.
    Push(U256),
    /// Push the code offset of a label; the assembler picks the width.
    PushLabel(Label),
    /// Push the payload offset of a data blob.
    PushData(DataId),
    /// Push the offset one past the data section, where the `0x00` separator and the
    /// trailer begin.
    PushDataEnd,
    /// Place a label: emits a JUMPDEST here.
    Label(Label),
    /// The following items come from this source location (emits nothing).
    Loc(SourceLoc),
    /// Emits nothing; shown in listings before the next instruction.
    Comment(String),
}

/// A whole program: code items and the data blobs appended after the code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Program {
    /// The code, in order.
    pub items: Vec<AsmItem>,
    /// Data blobs, referred to by [`DataId`]; identical blobs are stored once, and
    /// blobs overlap where they agree.
    pub data: Vec<Vec<u8>>,
    /// The holes of each blob: byte ranges the code overwrites after copying it, so
    /// they may hold anything. A blob without an entry here has none.
    pub holes: Vec<Vec<std::ops::Range<usize>>>,
    /// Named entry points (subroutines), whose code offsets the assembly reports.
    pub entries: Vec<(String, Label)>,
}

impl Program {
    /// Appends a data blob and returns its id.
    pub fn add_data(&mut self, blob: Vec<u8>) -> DataId {
        self.add_template(blob, Vec::new())
    }

    /// Appends a data blob with holes (see [`Program::holes`]) and returns its id.
    pub fn add_template(&mut self, blob: Vec<u8>, holes: Vec<std::ops::Range<usize>>) -> DataId {
        let id = DataId(self.data.len() as u32);
        self.data.push(blob);
        self.holes.resize(self.data.len() - 1, Vec::new());
        self.holes.push(holes);
        id
    }
}
