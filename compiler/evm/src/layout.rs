//! Where every item and data blob lands, with the narrowest push width for each label
//! and data offset, found by a fixed-point iteration.
//!
//! Every symbolic push (`PushLabel`, `PushData`, `PushDataEnd`) starts at width 0
//! (PUSH0). Each round lays the program out and widens any push whose value no longer
//! fits; widths only grow and are bounded, so this ends, and it ends at the least fixed
//! point: the smallest code these rules allow, the same for the same input.

use std::collections::{HashMap, HashSet};

use alloy_primitives::U256;

use crate::asm::{AsmItem, Label, Program};
use crate::error::AsmError;

/// The result of laying a valid program out.
pub(crate) struct Layout {
    /// The code offset of each item (for non-emitting items, the next instruction's).
    pub item_offsets: Vec<usize>,
    /// The immediate width of each symbolic push, by item index (0 for other items).
    pub push_widths: Vec<usize>,
    /// Where each label's JUMPDEST sits.
    pub labels: HashMap<Label, usize>,
    /// The payload offset of each blob, by `DataId`.
    pub data_offsets: Vec<usize>,
    /// The deduplicated data section.
    pub data: Vec<u8>,
    /// The length of the code (the data section starts here).
    pub code_len: usize,
}

impl Layout {
    /// The value a symbolic push pushes, once the layout is known.
    pub fn symbol_value(&self, item: &AsmItem) -> Option<usize> {
        match item {
            AsmItem::PushLabel(label) => self.labels.get(label).copied(),
            AsmItem::PushData(id) => self.data_offsets.get(id.0 as usize).copied(),
            AsmItem::PushDataEnd => Some(self.code_len + self.data.len()),
            _ => None,
        }
    }
}

/// Validates `program` and lays it out.
pub(crate) fn layout(program: &Program) -> Result<Layout, AsmError> {
    validate(program)?;
    let (data, data_relative) = dedup_data(&program.data);
    let mut layout = Layout {
        item_offsets: vec![0; program.items.len()],
        push_widths: vec![0; program.items.len()],
        labels: HashMap::new(),
        data_offsets: Vec::new(),
        data,
        code_len: 0,
    };
    loop {
        place(program, &data_relative, &mut layout);
        if !widen(program, &mut layout) {
            return Ok(layout);
        }
    }
}

/// Computes offsets for the current push widths.
fn place(program: &Program, data_relative: &[usize], layout: &mut Layout) {
    let mut pc = 0;
    layout.labels.clear();
    for (index, item) in program.items.iter().enumerate() {
        layout.item_offsets[index] = pc;
        if let AsmItem::Label(label) = item {
            layout.labels.insert(*label, pc);
        }
        pc += encoded_len(item, layout.push_widths[index]);
    }
    layout.code_len = pc;
    layout.data_offsets = data_relative.iter().map(|offset| pc + offset).collect();
}

/// Widens every symbolic push whose value does not fit; returns whether any changed.
fn widen(program: &Program, layout: &mut Layout) -> bool {
    let mut changed = false;
    for (index, item) in program.items.iter().enumerate() {
        if let Some(value) = layout.symbol_value(item) {
            let needed = byte_len(value);
            if needed > layout.push_widths[index] {
                layout.push_widths[index] = needed;
                changed = true;
            }
        }
    }
    changed
}

/// How many bytes an item occupies, given the width chosen for a symbolic push.
fn encoded_len(item: &AsmItem, push_width: usize) -> usize {
    match item {
        AsmItem::Op(_) | AsmItem::Label(_) => 1,
        AsmItem::Push(value) => 1 + u256_byte_len(*value),
        AsmItem::PushLabel(_) | AsmItem::PushData(_) | AsmItem::PushDataEnd => 1 + push_width,
        AsmItem::Loc(_) | AsmItem::Comment(_) => 0,
    }
}

/// The number of bytes needed to hold `value` (0 for zero).
pub(crate) fn byte_len(value: usize) -> usize {
    (usize::BITS - value.leading_zeros()).div_ceil(8) as usize
}

/// The number of bytes needed to hold `value` (0 for zero).
pub(crate) fn u256_byte_len(value: U256) -> usize {
    value.byte_len()
}

/// Concatenates the blobs, storing identical ones once; returns the section and each
/// blob's offset inside it.
fn dedup_data(blobs: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
    let mut section = Vec::new();
    let mut seen: HashMap<&[u8], usize> = HashMap::new();
    let offsets = blobs
        .iter()
        .map(|blob| {
            *seen.entry(blob.as_slice()).or_insert_with(|| {
                let offset = section.len();
                section.extend_from_slice(blob);
                offset
            })
        })
        .collect();
    (section, offsets)
}

/// Checks what can be checked before layout: opcodes, label placement, references.
fn validate(program: &Program) -> Result<(), AsmError> {
    let mut placed = HashSet::new();
    for (item, entry) in program.items.iter().enumerate() {
        match entry {
            AsmItem::Op(op) if op.is_push_with_immediate() => {
                return Err(AsmError::PushAsOp { item, op: *op });
            }
            AsmItem::Op(op) if !op.is_defined() => {
                return Err(AsmError::UndefinedOpcode { item, op: *op });
            }
            // `insert` is false when the label was already placed.
            AsmItem::Label(label) if !placed.insert(*label) => {
                return Err(AsmError::DuplicateLabel {
                    item,
                    label: *label,
                });
            }
            AsmItem::PushData(data) if data.0 as usize >= program.data.len() => {
                return Err(AsmError::UnknownData { item, data: *data });
            }
            _ => {}
        }
    }
    for (item, entry) in program.items.iter().enumerate() {
        if let AsmItem::PushLabel(label) = entry {
            if !placed.contains(label) {
                return Err(AsmError::UnknownLabel {
                    item,
                    label: *label,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_lengths() {
        assert_eq!(byte_len(0), 0);
        assert_eq!(byte_len(1), 1);
        assert_eq!(byte_len(255), 1);
        assert_eq!(byte_len(256), 2);
        assert_eq!(byte_len(65_536), 3);
    }

    #[test]
    fn identical_blobs_are_stored_once() {
        let (section, offsets) = dedup_data(&[vec![1, 2], vec![3], vec![1, 2], vec![]]);
        assert_eq!(section, [1, 2, 3]);
        assert_eq!(offsets, [0, 2, 0, 3]);
    }
}
