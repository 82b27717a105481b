//! The safety checker: proves, from the bytes alone, that a payload's code uses only
//! what Nest may emit and cannot run into its data or trailer.

use std::fmt;

use alloy_primitives::U256;

use crate::disasm::{instructions, Instr};
use crate::opcodes::Opcode;

/// What a passing check learned about the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyReport {
    /// The number of instructions in the code.
    pub instructions: usize,
    /// Jumps whose target is a PUSH right before them; all were verified.
    pub static_jumps: usize,
    /// Jumps whose target is computed; only the HyVM's JUMPDEST check guards them.
    pub dynamic_jumps: usize,
}

/// One problem found by a check, at a code offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyViolation {
    /// The offset of the offending instruction (or of the end of the code).
    pub pc: usize,
    /// What is wrong.
    pub kind: ViolationKind,
}

/// The kinds of [`SafetyViolation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViolationKind {
    /// `code_len` is larger than the payload.
    CodeLenTooLarge {
        /// The payload's length.
        payload_len: usize,
    },
    /// There is no code at all, so execution starts in the data.
    EmptyCode,
    /// An opcode Nest output must not contain.
    ForbiddenOpcode(Opcode),
    /// An opcode the HyVM does not execute (reported by [`hyvm_check`]).
    UnsupportedOpcode(Opcode),
    /// A PUSH whose immediate runs past the end of the code.
    TruncatedPush(Opcode),
    /// A static jump to an offset outside the code.
    JumpOutsideCode {
        /// The pushed target.
        target: U256,
    },
    /// A static jump into the immediate of a PUSH.
    JumpIntoPushData {
        /// The pushed target.
        target: usize,
    },
    /// A static jump to an instruction that is not a JUMPDEST.
    JumpToNonJumpdest {
        /// The pushed target.
        target: usize,
        /// The instruction found there.
        found: Opcode,
    },
    /// The last instruction of the code can fall through into the data.
    FallsThrough(Opcode),
}

impl fmt::Display for SafetyViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04x}: ", self.pc)?;
        match &self.kind {
            ViolationKind::CodeLenTooLarge { payload_len } => {
                write!(
                    f,
                    "code length {} exceeds the payload's {payload_len} bytes",
                    self.pc
                )
            }
            ViolationKind::EmptyCode => f.write_str("there is no code before the data"),
            ViolationKind::ForbiddenOpcode(op) => write!(f, "`{op}` is not allowed in Nest output"),
            ViolationKind::UnsupportedOpcode(op) => write!(f, "`{op}` reverts in the HyVM"),
            ViolationKind::TruncatedPush(op) => {
                write!(f, "the immediate of `{op}` runs past the end of the code")
            }
            ViolationKind::JumpOutsideCode { target } => {
                write!(f, "jump to {target:#x}, outside the code")
            }
            ViolationKind::JumpIntoPushData { target } => {
                write!(f, "jump to {target:#06x}, inside the immediate of a PUSH")
            }
            ViolationKind::JumpToNonJumpdest { target, found } => {
                write!(
                    f,
                    "jump to {target:#06x}, which is `{found}`, not `JUMPDEST`"
                )
            }
            ViolationKind::FallsThrough(op) => {
                write!(
                    f,
                    "the code ends with `{op}`, so execution can run into the data"
                )
            }
        }
    }
}

/// Checks the code part `bytes[..code_len]` of a Nest payload: only `nest_allowed`
/// opcodes, no PUSH past the code, every static jump onto a real JUMPDEST inside the
/// code, and a terminator last. Returns every violation found, not only the first.
pub fn check(bytes: &[u8], code_len: usize) -> Result<SafetyReport, Vec<SafetyViolation>> {
    let mut violations = Vec::new();
    let code = code_slice(bytes, code_len, &mut violations);
    let mut report = SafetyReport {
        instructions: 0,
        static_jumps: 0,
        dynamic_jumps: 0,
    };
    // Where instructions start, and each static jump with its target: targets are
    // checked once every start is known.
    let mut starts = vec![false; code.len()];
    let mut static_jumps: Vec<(usize, U256)> = Vec::new();
    let mut previous: Option<Instr<'_>> = None;
    for instr in instructions(code) {
        report.instructions += 1;
        starts[instr.pc] = true;
        if !instr.op.nest_allowed() {
            violations.push(at(instr.pc, ViolationKind::ForbiddenOpcode(instr.op)));
        }
        if instr.is_truncated() {
            violations.push(at(instr.pc, ViolationKind::TruncatedPush(instr.op)));
        }
        if matches!(instr.op, Opcode::JUMP | Opcode::JUMPI) {
            match previous.and_then(|push| push.push_value()) {
                Some(target) => static_jumps.push((instr.pc, target)),
                None => report.dynamic_jumps += 1,
            }
        }
        previous = Some(instr);
    }
    report.static_jumps = static_jumps.len();
    for (pc, target) in static_jumps {
        if let Some(kind) = jump_target_problem(code, &starts, target) {
            violations.push(at(pc, kind));
        }
    }
    match previous {
        None if code_len <= bytes.len() => violations.push(at(0, ViolationKind::EmptyCode)),
        Some(last) if !last.op.is_terminator() => {
            violations.push(at(last.pc, ViolationKind::FallsThrough(last.op)));
        }
        _ => {}
    }

    if violations.is_empty() {
        Ok(report)
    } else {
        violations.sort_by_key(|v| v.pc);
        Err(violations)
    }
}

/// Checks only that every opcode in `bytes[..code_len]` is one the HyVM executes; for
/// payloads that did not come from Nest.
pub fn hyvm_check(bytes: &[u8], code_len: usize) -> Result<(), Vec<SafetyViolation>> {
    let mut violations = Vec::new();
    let code = code_slice(bytes, code_len, &mut violations);
    for instr in instructions(code) {
        if !instr.op.hyvm_supported() {
            violations.push(at(instr.pc, ViolationKind::UnsupportedOpcode(instr.op)));
        }
    }
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// The code part of the payload, noting a `code_len` past its end.
fn code_slice<'a>(
    bytes: &'a [u8],
    code_len: usize,
    violations: &mut Vec<SafetyViolation>,
) -> &'a [u8] {
    if code_len > bytes.len() {
        violations.push(at(
            code_len,
            ViolationKind::CodeLenTooLarge {
                payload_len: bytes.len(),
            },
        ));
        return bytes;
    }
    &bytes[..code_len]
}

/// What is wrong with jumping to `target`, if anything.
fn jump_target_problem(code: &[u8], starts: &[bool], target: U256) -> Option<ViolationKind> {
    let Some(offset) = usize::try_from(target).ok().filter(|&t| t < code.len()) else {
        return Some(ViolationKind::JumpOutsideCode { target });
    };
    if !starts[offset] {
        return Some(ViolationKind::JumpIntoPushData { target: offset });
    }
    let found = Opcode(code[offset]);
    if found != Opcode::JUMPDEST {
        return Some(ViolationKind::JumpToNonJumpdest {
            target: offset,
            found,
        });
    }
    None
}

fn at(pc: usize, kind: ViolationKind) -> SafetyViolation {
    SafetyViolation { pc, kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds of violation `check` reports for `code` followed by one data byte.
    fn kinds(code: &[u8]) -> Vec<ViolationKind> {
        let mut bytes = code.to_vec();
        bytes.push(0xee);
        match check(&bytes, code.len()) {
            Ok(_) => vec![],
            Err(violations) => violations.into_iter().map(|v| v.kind).collect(),
        }
    }

    #[test]
    fn well_formed_code_passes() {
        // PUSH1 4; JUMP; INVALID; JUMPDEST; PUSH0; PUSH0; RETURN
        let code = [0x60, 0x04, 0x56, 0xfe, 0x5b, 0x5f, 0x5f, 0xf3];
        let report = check(&code, code.len()).unwrap();
        assert_eq!(
            report,
            SafetyReport {
                instructions: 7,
                static_jumps: 1,
                dynamic_jumps: 0
            }
        );
    }

    #[test]
    fn forbidden_opcodes_fail() {
        assert_eq!(
            kinds(&[0x5f, 0x5f, 0x55, 0x00]),
            [ViolationKind::ForbiddenOpcode(Opcode::SSTORE)]
        );
        assert_eq!(
            kinds(&[0x5f, 0x54, 0x00]),
            [ViolationKind::ForbiddenOpcode(Opcode::SLOAD)]
        );
        assert_eq!(
            kinds(&[0x5c, 0x00]),
            [ViolationKind::ForbiddenOpcode(Opcode::TLOAD)]
        );
        assert_eq!(
            kinds(&[0x0c, 0x00]),
            [ViolationKind::ForbiddenOpcode(Opcode(0x0c))]
        );
        assert_eq!(
            kinds(&[0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0xf4, 0x00]).len(),
            1
        );
        assert!(kinds(&[0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0xf1, 0x00]).is_empty());
    }

    #[test]
    fn truncated_push_fails() {
        // The PUSH2's immediate would swallow the data byte after the code.
        assert_eq!(
            kinds(&[0x00, 0x61, 0x01]),
            [
                ViolationKind::TruncatedPush(Opcode::PUSH2),
                ViolationKind::FallsThrough(Opcode::PUSH2)
            ]
        );
        assert!(kinds(&[0x61, 0x01, 0x02, 0x00]).is_empty());
    }

    #[test]
    fn jump_outside_code_fails() {
        // The target 4 is the first data byte: even a 0x5b there must fail.
        let code = [0x60, 0x04, 0x56, 0x00];
        let mut bytes = code.to_vec();
        bytes.push(0x5b);
        let violations = check(&bytes, code.len()).unwrap_err();
        assert_eq!(
            violations,
            [at(
                2,
                ViolationKind::JumpOutsideCode {
                    target: U256::from(4)
                }
            )]
        );
        let mut far = vec![0x7f];
        far.extend([0xff; 32]);
        far.push(0x56);
        assert_eq!(
            kinds(&far),
            [ViolationKind::JumpOutsideCode { target: U256::MAX }]
        );
    }

    #[test]
    fn jump_into_push_data_fails() {
        // PUSH1 0x04; JUMPI; PUSH1 0x5b; STOP — offset 4 is the immediate byte 0x5b.
        assert_eq!(
            kinds(&[0x60, 0x04, 0x57, 0x60, 0x5b, 0x00]),
            [ViolationKind::JumpIntoPushData { target: 4 }]
        );
    }

    #[test]
    fn jump_to_non_jumpdest_fails() {
        assert_eq!(
            kinds(&[0x60, 0x03, 0x56, 0x00]),
            [ViolationKind::JumpToNonJumpdest {
                target: 3,
                found: Opcode::STOP
            }]
        );
    }

    #[test]
    fn dynamic_jumps_are_counted_not_judged() {
        // JUMPDEST; CALLVALUE; JUMP; — target computed at run time.
        let code = [0x5b, 0x34, 0x56];
        let report = check(&code, code.len()).unwrap();
        assert_eq!((report.static_jumps, report.dynamic_jumps), (0, 1));
    }

    #[test]
    fn falling_through_into_data_fails() {
        assert_eq!(
            kinds(&[0x5f, 0x50]),
            [ViolationKind::FallsThrough(Opcode::POP)]
        );
        assert_eq!(
            kinds(&[0x5b, 0x5f, 0x60, 0x00, 0x57]),
            [ViolationKind::FallsThrough(Opcode::JUMPI)]
        );
        assert_eq!(kinds(&[]), [ViolationKind::EmptyCode]);
        for end in [0x00, 0xf3, 0xfd, 0xfe] {
            assert!(kinds(&[0x5f, 0x5f, end]).is_empty(), "{end:#x}");
        }
    }

    #[test]
    fn code_len_past_the_payload_fails() {
        let violations = check(&[0x00], 5).unwrap_err();
        assert_eq!(
            violations,
            [at(5, ViolationKind::CodeLenTooLarge { payload_len: 1 })]
        );
    }

    #[test]
    fn every_violation_is_reported() {
        // SSTORE, then a bad jump, then a fall-through.
        let found = kinds(&[0x5f, 0x5f, 0x55, 0x60, 0x00, 0x56, 0x01]);
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn hyvm_check_only_checks_support() {
        // SSTORE and a fall-through are fine for the HyVM; TSTORE and undefined bytes are not.
        assert!(hyvm_check(&[0x5f, 0x5f, 0x55], 3).is_ok());
        let violations = hyvm_check(&[0x5f, 0x5f, 0x5d, 0x0c, 0xff], 5).unwrap_err();
        let pcs: Vec<usize> = violations.iter().map(|v| v.pc).collect();
        assert_eq!(pcs, [2, 3, 4]);
        assert!(violations[0].to_string().contains("TSTORE"));
    }
}
