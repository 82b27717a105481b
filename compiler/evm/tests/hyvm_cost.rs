//! The listing's static HyVM cost table agrees with the interpreter's model: the constants are
//! the same by construction (both read `nest_evm::hyvm_gas`), and the opcode facts the
//! interpreter acts on (PUSH immediates, memory offsets relocated) match the table's.

use nest_evm::hyvm_cost::{hyvm_overhead, hyvm_overhead_in, memory_offsets, HyvmBuild};
use nest_evm::Opcode;
use nest_hyvm::{gas, opcodes};

#[test]
fn the_interpreter_reads_the_same_facts() {
    assert_eq!(gas::DISPATCH, 65);
    assert_eq!(gas::DISPATCH_SHANGHAI, 63);
    assert_eq!(gas::PUSH_IMMEDIATE, 44);
    assert_eq!(gas::CALL_MEMORY_FIX, 36);
    assert_eq!(gas::JUMPI_TAKEN_EXTRA, 55);
    assert_eq!(gas::ENTRY, 204);
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
        let credit = u64::from(byte == 0x5b) * gas::JUMPDEST_NATIVE_CREDIT;
        for build in HyvmBuild::ALL {
            let expected = build.dispatch()
                + gas::PUSH_IMMEDIATE * u64::from(opcodes::has_immediate(byte))
                + gas::memory_fix(byte)
                + jump
                - credit;
            assert_eq!(hyvm_overhead_in(op, build), expected, "{}", op.name());
        }
        assert_eq!(hyvm_overhead(op), hyvm_overhead_in(op, HyvmBuild::Paris));
    }
}
