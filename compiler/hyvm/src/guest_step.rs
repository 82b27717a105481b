//! One guest instruction, as the HyVM would run it: refuse what the HyVM refuses, relocate memory
//! operands, emulate its jumps, and charge its overhead on the interpreter's gas before revm
//! executes the instruction itself.

use crate::config::Variant;
use crate::gas::{
    self, HyvmBuild, JUMPDEST_NATIVE_CREDIT, JUMPI_NOT_TAKEN_EXTRA, JUMPI_TAKEN_EXTRA, JUMP_EXTRA,
};
use crate::opcodes::{self, Length, Treatment};
use alloy_primitives::{Bytes, U256};
use revm::bytecode::opcode::{JUMP, JUMPDEST, JUMPI};
use revm::interpreter::interpreter_types::{Jumps, LegacyBytecode, LoopControl, MemoryTr};
use revm::interpreter::{InstructionResult, Interpreter, InterpreterAction};

/// Native gas of JUMP and JUMPI, charged here when the jump is emulated instead of executed.
const JUMP_NATIVE: u64 = 8;
const JUMPI_NATIVE: u64 = 10;

/// The HyVM masks memory offsets to 160 bits before adding its base.
pub(crate) const OFFSET_MASK: U256 = U256::from_limbs([u64::MAX, u64::MAX, u32::MAX as u64, 0]);

/// What preparing one guest instruction did.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// HyVM overhead charged to the interpreter's gas (not the instruction's own EVM gas).
    pub overhead: u64,
    /// Why the guest stops here, if it does (refused opcode, bad jump, out of gas).
    pub failure: Option<String>,
    /// The instruction is a JUMP or JUMPI that jumps.
    pub jumped: bool,
    /// Where it jumps to, when it does.
    pub target: Option<usize>,
}

/// Prepares the guest instruction at the interpreter's program counter; called before revm runs
/// it. On refusal the interpreter is set to revert with empty data and revm runs nothing.
pub(crate) fn prepare(interp: &mut Interpreter, variant: Variant, build: HyvmBuild) -> Prepared {
    let pc = interp.bytecode.pc();
    let op = interp.bytecode.opcode();
    let dispatch = build.dispatch();
    if opcodes::treatment(op, variant) == Treatment::Refused {
        if !charge(interp, dispatch) {
            return out_of_gas(interp, pc);
        }
        revert_empty(interp);
        return Prepared {
            overhead: dispatch,
            failure: Some(format!("refused opcode {} at pc {pc}", opcodes::name(op))),
            jumped: false,
            target: None,
        };
    }
    // A JUMPDEST reached by dispatch is its handler's dispatch and nothing more: the native 1
    // revm charges for it is credited back here (dispatch always exceeds it).
    let mut overhead = dispatch;
    if op == JUMPDEST {
        overhead -= JUMPDEST_NATIVE_CREDIT;
    }
    if opcodes::has_immediate(op) {
        overhead += gas::PUSH_IMMEDIATE;
    }
    // The memory-shift adjustment may be -1; dispatch (at least 63) absorbs it.
    overhead = overhead.saturating_add_signed(relocate_memory(interp, op));
    if op == JUMP || op == JUMPI {
        return jump(interp, op, pc, overhead);
    }
    if !charge(interp, overhead) {
        return out_of_gas(interp, pc);
    }
    Prepared {
        overhead,
        failure: None,
        jumped: false,
        target: None,
    }
}

/// Masks each memory offset operand of `op` to 160 bits (as the HyVM does) and returns the
/// overhead of fixing them plus the adjustment of the expansion cost for memory that starts at
/// 0x340 (usually positive, rarely -1).
fn relocate_memory(interp: &mut Interpreter, op: u8) -> i64 {
    let regions = opcodes::memory_regions(op);
    if regions.is_empty() {
        return 0;
    }
    let old_words = interp.memory.size() as u64 / 32;
    let mut new_words = old_words;
    for region in regions {
        let Ok(offset) = interp.stack.peek(region.offset) else {
            return 0; // stack underflow: revm halts on the instruction itself
        };
        let offset = offset & OFFSET_MASK;
        if interp.stack.set(region.offset, offset).is_err() {
            return 0;
        }
        let length = match region.length {
            Length::Fixed(n) => U256::from(n),
            Length::Stack(depth) => match interp.stack.peek(depth) {
                Ok(length) => length,
                Err(_) => return 0,
            },
        };
        if length.is_zero() {
            continue;
        }
        let end = u64::try_from(offset.saturating_add(length)).unwrap_or(u64::MAX);
        new_words = new_words.max(gas::words(end));
    }
    gas::memory_fix(op) as i64 + gas::memory_shift_adjustment(old_words, new_words)
}

/// Emulates JUMP and a taken JUMPI the HyVM way: the target byte must be 0x5B (whether or not
/// it sits in PUSH data), and execution resumes after it without dispatching it. revm then runs
/// the JUMPDEST at the target as part of this step.
fn jump(interp: &mut Interpreter, op: u8, pc: usize, mut overhead: u64) -> Prepared {
    let arity = if op == JUMP { 1 } else { 2 };
    if interp.stack.len() < arity {
        // Let revm halt on the underflow, as the HyVM's own JUMP would.
        if !charge(interp, overhead) {
            return out_of_gas(interp, pc);
        }
        return Prepared {
            overhead,
            failure: None,
            jumped: false,
            target: None,
        };
    }
    let (target, condition) = match (interp.stack.peek(0), interp.stack.peek(arity - 1)) {
        (Ok(target), Ok(condition)) => (target, condition),
        _ => {
            return Prepared {
                overhead: 0,
                failure: None,
                jumped: false,
                target: None,
            }
        }
    };
    if op == JUMPI && condition.is_zero() {
        overhead += JUMPI_NOT_TAKEN_EXTRA;
        if !charge(interp, overhead) {
            return out_of_gas(interp, pc);
        }
        return Prepared {
            overhead,
            failure: None,
            jumped: false,
            target: None,
        };
    }
    let (native, extra) = if op == JUMP {
        (JUMP_NATIVE, JUMP_EXTRA)
    } else {
        (JUMPI_NATIVE, JUMPI_TAKEN_EXTRA)
    };
    overhead += extra;
    if !charge(interp, overhead + native) {
        return out_of_gas(interp, pc);
    }
    let code = interp.bytecode.bytecode_slice();
    let destination = usize::try_from(target)
        .ok()
        .filter(|&t| code.get(t) == Some(&JUMPDEST));
    let Some(destination) = destination else {
        revert_empty(interp);
        return Prepared {
            overhead,
            failure: Some(format!("invalid jump destination {target} at pc {pc}")),
            jumped: false,
            target: None,
        };
    };
    for _ in 0..arity {
        let _ = interp.stack.pop();
    }
    interp.bytecode.absolute_jump(destination);
    Prepared {
        overhead,
        failure: None,
        jumped: true,
        target: Some(destination),
    }
}

/// Charges `amount` to the interpreter's gas; false when it runs out.
fn charge(interp: &mut Interpreter, amount: u64) -> bool {
    interp.gas.record_regular_cost(amount)
}

/// Halts the guest for lack of gas (all its gas is consumed).
fn out_of_gas(interp: &mut Interpreter, pc: usize) -> Prepared {
    interp.halt(InstructionResult::OutOfGas);
    Prepared {
        overhead: 0,
        failure: Some(format!("out of gas at pc {pc}")),
        jumped: false,
        target: None,
    }
}

/// Ends the guest with a revert and no data, keeping its remaining gas.
fn revert_empty(interp: &mut Interpreter) {
    let action = InterpreterAction::new_return(InstructionResult::Revert, Bytes::new(), interp.gas);
    interp.bytecode.set_action(action);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_mask_keeps_the_spec_bits() {
        let bits = nest_hyvm_spec::memory::OFFSET_MASK_BITS as usize;
        assert_eq!(OFFSET_MASK, (U256::ONE << bits) - U256::ONE);
    }
}
