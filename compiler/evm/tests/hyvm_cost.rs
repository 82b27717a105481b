//! The listing's static HyVM cost table agrees with the interpreter's model, which is
//! authoritative: same constants, same PUSH immediates, same memory offsets per opcode.

use nest_evm::hyvm_cost::{self, hyvm_overhead, memory_offsets};
use nest_evm::Opcode;
use nest_hyvm::{gas, opcodes};

#[test]
fn constants_agree() {
    assert_eq!(hyvm_cost::DISPATCH, gas::DISPATCH);
    assert_eq!(hyvm_cost::PUSH_IMMEDIATE, gas::PUSH_IMMEDIATE);
    assert_eq!(hyvm_cost::MEMORY_OFFSET_FIX, gas::MEMORY_OFFSET_FIX);
    assert_eq!(hyvm_cost::JUMP_EXTRA, gas::JUMP_EXTRA);
    assert_eq!(hyvm_cost::JUMPI_NOT_TAKEN_EXTRA, gas::JUMPI_NOT_TAKEN_EXTRA);
    assert_eq!(hyvm_cost::JUMPI_TAKEN_EXTRA, gas::JUMPI_TAKEN_EXTRA);
}

#[test]
fn every_opcode_costs_what_the_interpreter_charges() {
    for byte in 0..=u8::MAX {
        let op = Opcode(byte);
        if !op.is_defined() {
            continue;
        }
        assert_eq!(
            memory_offsets(op),
            opcodes::memory_regions(byte).len() as u64,
            "{}: memory offsets",
            op.name()
        );
        assert_eq!(
            op.is_push_with_immediate(),
            opcodes::has_immediate(byte),
            "{}: immediate",
            op.name()
        );
        let jump = match byte {
            0x56 => gas::JUMP_EXTRA,
            0x57 => gas::JUMPI_NOT_TAKEN_EXTRA,
            _ => 0,
        };
        let expected = gas::DISPATCH
            + gas::PUSH_IMMEDIATE * u64::from(opcodes::has_immediate(byte))
            + gas::MEMORY_OFFSET_FIX * opcodes::memory_regions(byte).len() as u64
            + jump;
        assert_eq!(hyvm_overhead(op), expected, "{}", op.name());
    }
}
