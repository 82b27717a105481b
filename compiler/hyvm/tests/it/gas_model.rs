//! The corrected gas model, instruction by instruction: entry, PUSH immediates, a call's memory
//! ranges, a taken JUMPI, a dispatched JUMPDEST, the negative memory-shift adjustment, and the
//! Paris and Shanghai builds.

use crate::common::{hex, World};
use alloy_primitives::B256;
use nest_hyvm::{gas, Execution, HyvmBuild};

fn run(build: HyvmBuild, payload: &str) -> Execution {
    let mut world = World::new();
    world.cfg.build = build;
    world.run(&hex(payload))
}

#[test]
fn a_dispatched_jumpdest_costs_its_dispatch_only() {
    // JUMPDEST, STOP.
    let execution = run(HyvmBuild::Paris, "0x5b00");
    assert!(execution.success);
    assert_eq!(execution.gas.hyvm_overhead, gas::ENTRY + 2 * 65 - 1);
    assert_eq!(execution.gas.guest_execution, 1);
    assert_eq!(
        execution.gas.hyvm_overhead + execution.gas.guest_execution,
        204 + 2 * 65
    );
}

#[test]
fn a_taken_jumpi_pays_the_handlers_jumpdest() {
    // PUSH1 1, PUSH1 6, JUMPI, STOP, JUMPDEST, STOP: the JUMPI jumps to 6.
    let execution = run(HyvmBuild::Paris, "0x6001600657005b00");
    assert!(execution.success);
    assert_eq!(execution.guest_instructions, 4);
    // Two pushes (65 + 44 each), the JUMPI (65 + 55), the STOP after the landing JUMPDEST.
    assert_eq!(
        execution.gas.hyvm_overhead,
        204 + 2 * (65 + 44) + (65 + 55) + 65
    );
    // Natively: 3 + 3 + 10 + the landing JUMPDEST's 1.
    assert_eq!(execution.gas.guest_execution, 17);
}

#[test]
fn a_call_fixes_its_two_memory_ranges_for_36() {
    // PUSH0 ×6, GAS, CALL (to address 0, nothing in or out), STOP.
    let execution = run(HyvmBuild::Paris, "0x5f5f5f5f5f5f5af100");
    assert!(execution.success);
    assert_eq!(execution.gas.hyvm_overhead, 204 + 7 * 65 + (65 + 36) + 65);
}

#[test]
fn the_memory_shift_adjustment_can_be_negative() {
    // PUSH0, PUSH2 0x02a0, MSTORE (memory 0 → 22 words), PUSH0, PUSH2 0x02c0, MSTORE
    // (22 → 23 words), STOP.
    let execution = run(HyvmBuild::Paris, "0x5f6102a0525f6102c05200");
    assert!(execution.success);
    assert_eq!(gas::memory_shift_adjustment(0, 22), 3);
    assert_eq!(gas::memory_shift_adjustment(22, 23), -1);
    let pushes = 2 * 65 + 2 * (65 + 44);
    let stores = 2 * (65 + 12) + 3 - 1;
    assert_eq!(execution.gas.hyvm_overhead, 204 + pushes + stores + 65);
}

#[test]
fn the_shanghai_build_dispatches_for_63() {
    // testGas: GAS GAS SUB, stored and returned.
    let payload = "0x5a5a900360005260ff6000f3";
    let paris = run(HyvmBuild::Paris, payload);
    let shanghai = run(HyvmBuild::Shanghai, payload);
    let word0 = |e: &Execution| B256::from_slice(&e.output[..32]);
    assert_eq!(word0(&paris), B256::with_last_byte(0x43));
    assert_eq!(word0(&shanghai), B256::with_last_byte(0x41));
    // Everything but the dispatch is the same: 2 gas per instruction.
    assert_eq!(paris.guest_instructions, shanghai.guest_instructions);
    assert_eq!(
        paris.gas.hyvm_overhead - shanghai.gas.hyvm_overhead,
        2 * paris.guest_instructions
    );
    assert_eq!(paris.output[32..], shanghai.output[32..]);
    assert_eq!(paris.success, shanghai.success);
}
