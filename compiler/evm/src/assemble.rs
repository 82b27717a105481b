//! Turns a [`Program`] into bytes: `[code][data][0x00]`, with a source map and labels.

use std::ops::Range;

use alloy_primitives::U256;

use crate::asm::{AsmItem, Label, Program, SourceLoc};
use crate::error::AsmError;
use crate::layout::{layout, u256_byte_len};
use crate::opcodes::Opcode;

/// An assembled program, ready for the trailer to be appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembled {
    /// Code, then the data section, then the `0x00` separator.
    pub bytes: Vec<u8>,
    /// The length of the code; the data section starts here.
    pub code_len: usize,
    /// Where the data section lies in `bytes` (the separator follows it).
    pub data_range: Range<usize>,
    /// From each pc on, the instructions come from this location; sorted by pc.
    pub source_map: Vec<(usize, SourceLoc)>,
    /// The code offset of each placed label's JUMPDEST, in program order (ascending).
    pub labels: Vec<usize>,
    /// The program's comments, each at the pc of the instruction that follows it.
    pub comments: Vec<(usize, String)>,
    /// The program's named entry points with the code offset of their JUMPDEST, in the
    /// order of `Program::entries`.
    pub entries: Vec<(String, usize)>,
}

/// Assembles `program`; every malformed input is an [`AsmError`], never a panic.
pub fn assemble(program: &Program) -> Result<Assembled, AsmError> {
    let layout = layout(program)?;
    let mut bytes = Vec::with_capacity(layout.code_len + layout.data.len() + 1);
    let mut source_map: Vec<(usize, SourceLoc)> = Vec::new();
    let mut comments = Vec::new();
    let mut symbols = layout.symbols.iter();
    let mut placed: Vec<(Label, usize)> = Vec::new();

    for item in &program.items {
        let pc = bytes.len();
        match item {
            AsmItem::Op(op) => bytes.push(op.0),
            AsmItem::Push(value) => emit_push(&mut bytes, *value, u256_byte_len(*value)),
            AsmItem::PushLabel(_) | AsmItem::PushData(_) | AsmItem::PushDataEnd => {
                // The layout lists the symbolic pushes in program order.
                let (value, width) = symbols.next().map_or((0, 0), |s| (s.value, s.width));
                emit_push(&mut bytes, U256::from(value), width);
            }
            AsmItem::Label(l) => {
                if program.entries.iter().any(|(_, e)| e == l) {
                    placed.push((*l, pc));
                }
                bytes.push(Opcode::JUMPDEST.0)
            }
            AsmItem::Loc(loc) => match source_map.last_mut() {
                Some(last) if last.0 == pc => last.1 = *loc,
                _ => source_map.push((pc, *loc)),
            },
            AsmItem::Comment(text) => comments.push((pc, text.clone())),
        }
    }
    debug_assert_eq!(bytes.len(), layout.code_len);
    source_map.retain(|(pc, _)| *pc < layout.code_len);

    let data_range = layout.code_len..layout.code_len + layout.data.len();
    bytes.extend_from_slice(&layout.data);
    bytes.push(Opcode::STOP.0);
    Ok(Assembled {
        bytes,
        code_len: layout.code_len,
        data_range,
        source_map,
        labels: layout.label_offsets,
        comments,
        entries: program
            .entries
            .iter()
            .filter_map(|(name, l)| {
                let pc = placed.iter().find(|(p, _)| p == l)?.1;
                Some((name.clone(), pc))
            })
            .collect(),
    })
}

/// Emits PUSH`width` and the low `width` bytes of `value`, big-endian.
fn emit_push(bytes: &mut Vec<u8>, value: U256, width: usize) {
    let width = width.min(32);
    bytes.push(Opcode::PUSH0.0 + width as u8);
    let be = value.to_be_bytes::<32>();
    bytes.extend_from_slice(&be[32 - width..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asm::{DataId, Label};

    fn op(op: Opcode) -> AsmItem {
        AsmItem::Op(op)
    }

    fn push(value: u64) -> AsmItem {
        AsmItem::Push(U256::from(value))
    }

    #[test]
    fn pushes_use_the_shortest_encoding() {
        let program = Program {
            items: vec![
                push(0),
                push(1),
                push(0x1234),
                AsmItem::Push(U256::MAX),
                op(Opcode::STOP),
            ],
            data: vec![],
            holes: vec![],
            entries: vec![],
        };
        let out = assemble(&program).unwrap();
        let mut expected = vec![0x5f, 0x60, 0x01, 0x61, 0x12, 0x34, 0x7f];
        expected.extend([0xff; 32]);
        expected.extend([0x00, 0x00]); // STOP, then the separator
        assert_eq!(out.bytes, expected);
        assert_eq!(out.code_len, 40);
        assert_eq!(out.data_range, 40..40);
    }

    #[test]
    fn forward_and_backward_jumps_are_patched() {
        let (top, end) = (Label(0), Label(1));
        let program = Program {
            items: vec![
                AsmItem::Label(top),     // 0: JUMPDEST
                push(1),                 // 1: PUSH1 1
                AsmItem::PushLabel(end), // 3: PUSH1 end
                op(Opcode::JUMPI),       // 5
                AsmItem::PushLabel(top), // 6: PUSH0 (top is at 0)
                op(Opcode::JUMP),        // 7
                AsmItem::Label(end),     // 8: JUMPDEST
                op(Opcode::STOP),        // 9
            ],
            data: vec![],
            holes: vec![],
            entries: vec![],
        };
        let out = assemble(&program).unwrap();
        assert_eq!(
            out.bytes,
            [0x5b, 0x60, 0x01, 0x60, 0x08, 0x57, 0x5f, 0x56, 0x5b, 0x00, 0x00]
        );
        assert_eq!(out.labels, [0, 8]);
        assert!(crate::safety::check(&out.bytes, out.code_len).is_ok());
    }

    #[test]
    fn label_pushes_widen_when_code_grows_past_a_byte() {
        let target = Label(7);
        let mut items = vec![AsmItem::PushLabel(target), op(Opcode::JUMP)];
        items.extend((0..300).map(|_| op(Opcode::JUMPDEST)));
        items.extend([AsmItem::Label(target), op(Opcode::STOP)]);
        let out = assemble(&Program {
            items,
            data: vec![],
            holes: vec![],
            entries: vec![],
        })
        .unwrap();
        // PUSH2 (3 bytes) + JUMP + 300 filler: the label sits at 304.
        assert_eq!(&out.bytes[..4], &[0x61, 0x01, 0x30, 0x56]);
        assert_eq!(out.bytes[304], 0x5b);
        assert_eq!(out.labels, [304]);
    }

    #[test]
    fn data_is_deduplicated_and_addressed_after_the_code() {
        let program = Program {
            items: vec![
                AsmItem::PushData(DataId(2)),
                AsmItem::PushData(DataId(1)),
                AsmItem::PushData(DataId(0)),
                AsmItem::PushDataEnd,
                op(Opcode::STOP),
            ],
            data: vec![vec![0xaa, 0xbb], vec![0xcc], vec![0xaa, 0xbb]],
            holes: vec![],
            entries: vec![],
        };
        let out = assemble(&program).unwrap();
        // Four PUSH1s and a STOP: code is 9 bytes, data 3 bytes at 9..12.
        assert_eq!(out.code_len, 9);
        assert_eq!(out.data_range, 9..12);
        assert_eq!(
            out.bytes,
            [0x60, 9, 0x60, 11, 0x60, 9, 0x60, 12, 0x00, 0xaa, 0xbb, 0xcc, 0x00]
        );
    }

    #[test]
    fn source_map_and_comments_point_at_the_next_instruction() {
        let loc = |line| SourceLoc {
            file: 0,
            line,
            col: 1,
        };
        let program = Program {
            items: vec![
                AsmItem::Loc(loc(1)),
                AsmItem::Loc(loc(2)),
                AsmItem::Comment("two".into()),
                push(5),
                AsmItem::Loc(loc(3)),
                op(Opcode::STOP),
                AsmItem::Loc(loc(4)),
            ],
            data: vec![],
            holes: vec![],
            entries: vec![],
        };
        let out = assemble(&program).unwrap();
        assert_eq!(out.source_map, [(0, loc(2)), (2, loc(3))]);
        assert_eq!(out.comments, [(0, "two".to_string())]);
    }

    #[test]
    fn malformed_programs_are_errors() {
        let cases = [
            (
                vec![AsmItem::PushLabel(Label(3))],
                AsmError::UnknownLabel {
                    item: 0,
                    label: Label(3),
                },
            ),
            (
                vec![AsmItem::Label(Label(1)), AsmItem::Label(Label(1))],
                AsmError::DuplicateLabel {
                    item: 1,
                    label: Label(1),
                },
            ),
            (
                vec![AsmItem::PushData(DataId(0))],
                AsmError::UnknownData {
                    item: 0,
                    data: DataId(0),
                },
            ),
            (
                vec![op(Opcode::PUSH2)],
                AsmError::PushAsOp {
                    item: 0,
                    op: Opcode::PUSH2,
                },
            ),
            (
                vec![op(Opcode(0x0c))],
                AsmError::UndefinedOpcode {
                    item: 0,
                    op: Opcode(0x0c),
                },
            ),
        ];
        for (items, error) in cases {
            assert_eq!(
                assemble(&Program {
                    items,
                    data: vec![],
                    holes: vec![],
                    entries: vec![],
                }),
                Err(error)
            );
        }
    }

    #[test]
    fn the_first_malformed_item_is_reported() {
        let label = AsmItem::Label;
        let undefined = op(Opcode(0x0c));
        let cases = [
            // A label placed twice, then an undefined opcode: the second placement.
            (
                vec![label(Label(1)), label(Label(1)), undefined.clone()],
                AsmError::DuplicateLabel {
                    item: 1,
                    label: Label(1),
                },
            ),
            // An undefined opcode, then a label placed twice.
            (
                vec![label(Label(1)), undefined.clone(), label(Label(1))],
                AsmError::UndefinedOpcode {
                    item: 1,
                    op: Opcode(0x0c),
                },
            ),
            // Placed three times, and an unknown label pushed first: the second
            // placement (unknown labels come last).
            (
                vec![
                    AsmItem::PushLabel(Label(9)),
                    label(Label(2)),
                    label(Label(3)),
                    label(Label(2)),
                    label(Label(3)),
                    label(Label(2)),
                ],
                AsmError::DuplicateLabel {
                    item: 3,
                    label: Label(2),
                },
            ),
        ];
        for (items, error) in cases {
            let program = Program {
                items,
                data: vec![],
                holes: vec![],
                entries: vec![],
            };
            assert_eq!(assemble(&program), Err(error));
        }
    }

    #[test]
    fn assembly_is_deterministic() {
        let program = Program {
            items: vec![
                AsmItem::PushData(DataId(0)),
                AsmItem::PushLabel(Label(0)),
                AsmItem::Label(Label(0)),
            ],
            data: vec![vec![1; 300]],
            holes: vec![],
            entries: vec![],
        };
        assert_eq!(assemble(&program), assemble(&program));
    }
}
