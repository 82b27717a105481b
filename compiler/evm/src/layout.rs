//! Where every item and data blob lands, with the narrowest push width for each label
//! and data offset, found by a fixed-point iteration.
//!
//! Every symbolic push (`PushLabel`, `PushData`, `PushDataEnd`) starts at width 0
//! (PUSH0). Each round lays the program out and widens any push whose value no longer
//! fits; widths only grow and are bounded, so this ends, and it ends at the least fixed
//! point: the smallest code these rules allow, the same for the same input.
//!
//! A round only visits the symbolic pushes and the labels: every other item has a fixed
//! length, so a label's offset is its offset with every push at width 0 plus the widths
//! of the pushes before it.

use alloy_primitives::U256;

use crate::asm::{AsmItem, Label, Program};
use crate::error::AsmError;

/// What a symbolic push pushes.
#[derive(Clone, Copy)]
enum Target {
    /// The offset of the `k`th placed label (in program order).
    Label(usize),
    /// The offset of the data section plus this much.
    Data(usize),
    /// The offset one past the data section.
    DataEnd,
}

/// A symbolic push: its item, what it pushes, and (once laid out) its width and value.
pub(crate) struct Symbol {
    /// The item's index in the program.
    pub item: usize,
    target: Target,
    /// The width of its immediate.
    pub width: usize,
    /// The value it pushes.
    pub value: usize,
}

/// The result of laying a valid program out.
pub(crate) struct Layout {
    /// The symbolic pushes, in program order, with their widths and values.
    pub symbols: Vec<Symbol>,
    /// Where each placed label's JUMPDEST sits, in program order.
    pub label_offsets: Vec<usize>,
    /// The deduplicated data section.
    pub data: Vec<u8>,
    /// The length of the code (the data section starts here).
    pub code_len: usize,
}

/// The items that decide where labels land, found once.
struct Skeleton {
    symbols: Vec<Symbol>,
    /// Each placed label's item index and its offset with every symbolic push at width 0.
    labels: Vec<(usize, usize)>,
    /// The code's length with every symbolic push at width 0.
    base_len: usize,
}

/// Validates `program` and lays it out.
pub(crate) fn layout(program: &Program) -> Result<Layout, AsmError> {
    let (data, data_relative) = crate::data_pack::pack(&program.data, &program.holes);
    let Skeleton {
        mut symbols,
        labels,
        base_len,
    } = skeleton(program, &data_relative)?;
    let mut label_offsets = vec![0; labels.len()];
    loop {
        // Offsets for the current widths.
        let mut widths = 0;
        let mut next = symbols.iter().peekable();
        for (k, (item, base)) in labels.iter().enumerate() {
            while let Some(s) = next.next_if(|s| s.item < *item) {
                widths += s.width;
            }
            label_offsets[k] = base + widths;
        }
        let code_len = base_len + symbols.iter().map(|s| s.width).sum::<usize>();
        // Widen every push whose value does not fit.
        let mut changed = false;
        for s in &mut symbols {
            s.value = match s.target {
                Target::Label(k) => label_offsets[k],
                Target::Data(offset) => code_len + offset,
                Target::DataEnd => code_len + data.len(),
            };
            let needed = byte_len(s.value);
            if needed > s.width {
                s.width = needed;
                changed = true;
            }
        }
        if !changed {
            return Ok(Layout {
                symbols,
                label_offsets,
                data,
                code_len,
            });
        }
    }
}

/// The symbolic pushes and labels of a program, with the offsets they have when every
/// symbolic push is a PUSH0, found in one pass that also validates the program: its
/// opcodes, label placements and references.
fn skeleton(program: &Program, data_relative: &[usize]) -> Result<Skeleton, AsmError> {
    let mut symbols = Vec::new();
    // Each placed label with its item; a label's rank is its index here.
    let mut labels: Vec<(usize, usize)> = Vec::new();
    let mut placements: Vec<(Label, usize)> = Vec::new();
    // The labels pushed, by symbol index, resolved once every label is placed.
    let mut pushed_labels: Vec<(usize, usize, Label)> = Vec::new();
    let mut pc = 0;
    for (item, entry) in program.items.iter().enumerate() {
        let target = match entry {
            AsmItem::Op(op) if op.is_push_with_immediate() => {
                return Err(placed_twice(&placements, &labels, item)
                    .unwrap_or(AsmError::PushAsOp { item, op: *op }));
            }
            AsmItem::Op(op) if !op.is_defined() => {
                return Err(placed_twice(&placements, &labels, item)
                    .unwrap_or(AsmError::UndefinedOpcode { item, op: *op }));
            }
            AsmItem::Op(_) => {
                pc += 1;
                continue;
            }
            AsmItem::Push(value) => {
                pc += 1 + u256_byte_len(*value);
                continue;
            }
            AsmItem::Label(label) => {
                placements.push((*label, labels.len()));
                labels.push((item, pc));
                pc += 1;
                continue;
            }
            AsmItem::Loc(_) | AsmItem::Comment(_) => continue,
            AsmItem::PushLabel(label) => {
                pushed_labels.push((symbols.len(), item, *label));
                Target::Label(0)
            }
            AsmItem::PushData(id) => match data_relative.get(id.0 as usize) {
                Some(offset) => Target::Data(*offset),
                None => {
                    return Err(placed_twice(&placements, &labels, item)
                        .unwrap_or(AsmError::UnknownData { item, data: *id }));
                }
            },
            AsmItem::PushDataEnd => Target::DataEnd,
        };
        symbols.push(Symbol {
            item,
            target,
            width: 0,
            value: 0,
        });
        pc += 1;
    }
    if let Some(error) = placed_twice(&placements, &labels, program.items.len()) {
        return Err(error);
    }
    placements.sort_unstable();
    for (symbol, item, label) in pushed_labels {
        let Some(rank) = placement(&placements, label) else {
            return Err(AsmError::UnknownLabel { item, label });
        };
        symbols[symbol].target = Target::Label(rank);
    }
    Ok(Skeleton {
        symbols,
        labels,
        base_len: pc,
    })
}

/// The error for a label placed twice before item `before`: at its second placement,
/// the first such in program order.
fn placed_twice(
    placements: &[(Label, usize)],
    labels: &[(usize, usize)],
    before: usize,
) -> Option<AsmError> {
    let mut sorted = placements.to_vec();
    sorted.sort_unstable();
    sorted
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| (labels[pair[1].1].0, pair[1].0))
        .filter(|(item, _)| *item < before)
        .min()
        .map(|(item, label)| AsmError::DuplicateLabel { item, label })
}

/// The rank in program order of the placement of `label`, given the placed labels
/// sorted by label with their rank.
fn placement(placed: &[(Label, usize)], label: Label) -> Option<usize> {
    placed
        .binary_search_by_key(&label, |(l, _)| *l)
        .ok()
        .map(|i| placed[i].1)
}

/// The number of bytes needed to hold `value` (0 for zero).
pub(crate) fn byte_len(value: usize) -> usize {
    (usize::BITS - value.leading_zeros()).div_ceil(8) as usize
}

/// The number of bytes needed to hold `value` (0 for zero).
pub(crate) fn u256_byte_len(value: U256) -> usize {
    value.byte_len()
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
}
