//! The human-readable listing of a payload: what `nestc compile --emit asm` prints and
//! what codegen snapshot tests compare.
//!
//! ```text
//! 0000  PUSH1 0x24                  main.ns:3:5
//! 0002  PUSH1 0x0b
//!       ; approve the router
//! 0004  PUSH0
//!
//! @0009:
//! 0009  JUMPDEST
//! -- data 000b..002f (36 bytes)
//! 000b  data 0x095ea7b3…
//! 002f  STOP                        ; separator
//! -- trailer: NEST v1, fingerprint 0xabab…
//! ```

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::asm::SourceLoc;
use crate::assemble::Assembled;
use crate::disasm::{instructions, Instr};
use crate::opcodes::Opcode;
use crate::trailer;

/// The width of the instruction column; longer instructions push the annotations right.
const INSTR_WIDTH: usize = 26;
/// Data bytes shown per `data` line.
const DATA_PER_LINE: usize = 32;

/// A caller's cost for one instruction; `None` leaves the cost column blank.
pub type CostFn<'a> = dyn Fn(&Instr<'_>) -> Option<u64> + 'a;

/// What a listing may show beside the instructions; every part is optional.
#[derive(Clone, Copy, Default)]
pub struct Annotations<'a> {
    /// From each pc on, instructions come from this location (sorted by pc).
    pub source_map: &'a [(usize, SourceLoc)],
    /// Comment lines shown before the instruction at their pc.
    pub comments: &'a [(usize, String)],
    /// File names by `SourceLoc::file`; a missing name shows the number.
    pub files: &'a [String],
    /// A cost per instruction (e.g. gas in the HyVM), shown in its own column.
    pub cost: Option<&'a CostFn<'a>>,
}

impl<'a> Annotations<'a> {
    /// The source map and comments of an assembled program.
    pub fn of(assembled: &'a Assembled) -> Self {
        Annotations {
            source_map: &assembled.source_map,
            comments: &assembled.comments,
            ..Default::default()
        }
    }
}

/// Renders `bytes` as one instruction per line for the code `[0, code_len)`, then the
/// data section as hex, the `0x00` separator, and the trailer when there is one.
pub fn listing(bytes: &[u8], code_len: usize, notes: &Annotations<'_>) -> String {
    let code_len = code_len.min(bytes.len());
    let pc_width = hex_width(bytes.len());
    let mut out = String::new();
    let comments = comments_by_pc(notes.comments);
    let mut locs = notes.source_map.iter().peekable();

    for instr in instructions(&bytes[..code_len]) {
        if instr.op == Opcode::JUMPDEST {
            if !out.is_empty() {
                out.push('\n');
            }
            let _ = writeln!(out, "@{:0pc_width$x}:", instr.pc);
        }
        for text in comments.get(&instr.pc).into_iter().flatten() {
            let _ = writeln!(out, "{:pad$}; {text}", "", pad = pc_width + 2);
        }
        let mut loc = None;
        while let Some((_, next)) = locs.next_if(|(pc, _)| *pc <= instr.pc) {
            loc = Some(*next);
        }
        let cost = notes.cost.map(|cost| cost(&instr));
        let mut line = format!(
            "{:0pc_width$x}  {:<INSTR_WIDTH$}",
            instr.pc,
            instr.to_string()
        );
        if let Some(cost) = cost {
            let shown = cost.map(|c| c.to_string()).unwrap_or_default();
            let _ = write!(line, " {shown:>6}");
        }
        if let Some(loc) = loc {
            let _ = write!(line, "  {}", format_loc(loc, notes.files));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    write_tail(&mut out, bytes, code_len, pc_width);
    out
}

/// Writes the data section, the separator and the trailer that follow the code.
fn write_tail(out: &mut String, bytes: &[u8], code_len: usize, pc_width: usize) {
    let decoded = trailer::decode(bytes)
        .ok()
        .filter(|t| t.code.len() > code_len);
    let before_trailer = decoded.map_or(bytes.len(), |t| t.code.len());
    let has_separator = before_trailer > code_len && bytes[before_trailer - 1] == 0x00;
    let data_end = if has_separator {
        before_trailer - 1
    } else {
        before_trailer
    };

    if data_end > code_len {
        let len = data_end - code_len;
        let unit = if len == 1 { "byte" } else { "bytes" };
        let _ = writeln!(
            out,
            "-- data {code_len:0pc_width$x}..{data_end:0pc_width$x} ({len} {unit})"
        );
        for start in (code_len..data_end).step_by(DATA_PER_LINE) {
            let chunk = &bytes[start..(start + DATA_PER_LINE).min(data_end)];
            let _ = writeln!(out, "{start:0pc_width$x}  data 0x{}", hex(chunk));
        }
    }
    if has_separator {
        let _ = writeln!(
            out,
            "{data_end:0pc_width$x}  {:<INSTR_WIDTH$}  ; separator",
            "STOP"
        );
    }
    if let Some(t) = decoded {
        let _ = writeln!(
            out,
            "-- trailer: NEST v{}, fingerprint {}",
            t.version, t.fingerprint
        );
    }
}

fn comments_by_pc(comments: &[(usize, String)]) -> BTreeMap<usize, Vec<&str>> {
    let mut by_pc: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (pc, text) in comments {
        by_pc.entry(*pc).or_default().push(text);
    }
    by_pc
}

fn format_loc(loc: SourceLoc, files: &[String]) -> String {
    match files.get(loc.file as usize) {
        Some(name) => format!("{name}:{}:{}", loc.line, loc.col),
        None => format!("#{}:{}:{}", loc.file, loc.line, loc.col),
    }
}

/// Hex digits needed for any offset in a payload of `len` bytes (at least 4).
fn hex_width(len: usize) -> usize {
    let mut width: u32 = 4;
    while len.checked_shr(4 * width).is_some_and(|rest| rest > 0) {
        width += 1;
    }
    width as usize
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{B256, U256};

    use super::*;
    use crate::asm::{AsmItem, Label, Program};
    use crate::assemble::assemble;

    fn sample() -> Assembled {
        let loc = |line, col| AsmItem::Loc(SourceLoc { file: 0, line, col });
        let mut program = Program::default();
        let calldata = program.add_data(
            [0x09, 0x5e, 0xa7, 0xb3]
                .into_iter()
                .chain([0x11; 36])
                .collect(),
        );
        let (done, fail) = (Label(0), Label(1));
        program.items = vec![
            AsmItem::Comment("copy the approve calldata".into()),
            loc(3, 5),
            AsmItem::Push(U256::from(40)),
            AsmItem::PushData(calldata),
            AsmItem::Push(U256::ZERO),
            AsmItem::Op(Opcode::CODECOPY),
            loc(4, 9),
            AsmItem::Op(Opcode::CALLVALUE),
            AsmItem::PushLabel(fail),
            AsmItem::Op(Opcode::JUMPI),
            AsmItem::PushLabel(done),
            AsmItem::Op(Opcode::JUMP),
            AsmItem::Comment("reverts with no data".into()),
            AsmItem::Label(fail),
            loc(5, 1),
            AsmItem::Push(U256::ZERO),
            AsmItem::Op(Opcode::DUP1),
            AsmItem::Op(Opcode::REVERT),
            AsmItem::Label(done),
            AsmItem::Op(Opcode::STOP),
        ];
        assemble(&program).unwrap()
    }

    #[test]
    fn listing_of_an_assembled_program() {
        let assembled = sample();
        let files = ["main.ns".to_string()];
        let notes = Annotations {
            files: &files,
            ..Annotations::of(&assembled)
        };
        let mut payload = assembled.bytes.clone();
        payload.extend(trailer::encode(B256::repeat_byte(0xab)));
        insta::assert_snapshot!(listing(&payload, assembled.code_len, &notes));
    }

    #[test]
    fn listing_with_costs() {
        let assembled = sample();
        // The HyVM's static overheads (`nest_hyvm_spec`), JUMPDESTs left blank.
        let cost = |instr: &Instr<'_>| {
            (instr.op != Opcode::JUMPDEST).then(|| crate::hyvm_overhead(instr.op))
        };
        let notes = Annotations {
            cost: Some(&cost),
            ..Annotations::of(&assembled)
        };
        insta::assert_snapshot!(listing(&assembled.bytes, assembled.code_len, &notes));
    }

    #[test]
    fn listing_survives_garbage() {
        let text = listing(&[0x61, 0x01], 5, &Annotations::default());
        assert_eq!(text, "0000  PUSH2 0x01 (truncated)\n");
        let text = listing(&[0x0c, 0x00, 0x00], 1, &Annotations::default());
        assert_eq!(text, "0000  UNDEFINED(0x0c)\n-- data 0001..0002 (1 byte)\n0001  data 0x00\n0002  STOP                        ; separator\n");
    }

    #[test]
    fn offsets_widen_for_large_payloads() {
        assert_eq!(hex_width(0xffff), 4);
        assert_eq!(hex_width(0x10000), 5);
        assert_eq!(hex_width(usize::MAX), usize::BITS as usize / 4);
    }
}
