//! The transaction's price, and the guest decisions that depend on the environment: the first
//! environment-dependent jump followed by a call, and the first call whose arguments depend
//! on it, are recorded with their opcodes and pcs.

use crate::common::World;
use alloy_primitives::{address, Address, U256};
use nest_hyvm::{EnvironmentUse, Execution, DEFAULT_PRIORITY_FEE};

const TARGET: Address = address!("0x00000000000000000000000000000000000000C0");

/// `CALL(GAS, TARGET, 0, 0, 0, 0, 0)` and POP its result: 29 bytes.
fn call() -> Vec<u8> {
    let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x73];
    code.extend_from_slice(TARGET.as_slice());
    code.extend_from_slice(&[0x5a, 0xf1, 0x50]);
    code
}

/// `prefix`, then `PUSH1 end JUMPI`, a call, and `end: JUMPDEST STOP`. Returns the payload
/// and the JUMPI's pc.
fn gated_call(prefix: &[u8]) -> (Vec<u8>, usize) {
    let mut code = prefix.to_vec();
    let jumpi = code.len() + 2;
    let end = u8::try_from(jumpi + 1 + call().len()).unwrap_or_else(|_| panic!("too long"));
    code.extend_from_slice(&[0x60, end, 0x57]);
    code.extend(call());
    code.extend_from_slice(&[0x5b, 0x00]);
    (code, jumpi)
}

fn run(payload: &[u8]) -> Execution {
    let execution = World::new().run(payload);
    assert!(execution.success, "{:?}", execution.halt);
    execution
}

#[test]
fn the_gas_price_is_the_base_fee_plus_a_tip() {
    // BASEFEE GASPRICE SUB PUSH0 MSTORE PUSH1 32 PUSH0 RETURN
    let mut world = World::new();
    world.env.basefee = 7;
    let execution = world.run(&[0x48, 0x3a, 0x03, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]);
    assert!(execution.success, "{:?}", execution.halt);
    assert_eq!(
        U256::from_be_slice(&execution.output),
        U256::from(DEFAULT_PRIORITY_FEE)
    );
}

#[test]
fn a_jump_on_the_gas_price_before_a_call_is_recorded() {
    // GASPRICE BASEFEE EQ: false here (the tip), so the call runs.
    let (payload, jumpi) = gated_call(&[0x3a, 0x48, 0x14]);
    let execution = run(&payload);
    assert_eq!(execution.trace.children.len(), 1);
    let [found] = execution.environment.as_slice() else {
        panic!("{:?}", execution.environment);
    };
    assert_eq!(found.kind, EnvironmentUse::Branch);
    assert_eq!(found.opcodes, ["GASPRICE", "BASEFEE"]);
    assert_eq!(
        (found.source_pc, found.pc, found.taken),
        (0, jumpi, Some(false))
    );
    assert_eq!(found.call_pc, jumpi + 1 + 27);
    assert_eq!(found.call_to, TARGET);
}

#[test]
fn taint_flows_through_dup_swap_and_memory() {
    // NUMBER PUSH1 1 SWAP1 DUP2 POP PUSH21 (2^160 + 64) MSTORE POP PUSH1 64 MLOAD: the block
    // number, stored at an offset the HyVM masks to 64, read back; ISZERO (so the call runs).
    let mut prefix = vec![0x43, 0x60, 0x01, 0x90, 0x81, 0x50, 0x74, 0x01];
    prefix.extend_from_slice(&[0; 19]);
    prefix.extend_from_slice(&[0x40, 0x52, 0x50, 0x60, 0x40, 0x51, 0x15]);
    let (payload, jumpi) = gated_call(&prefix);
    let execution = run(&payload);
    let [found] = execution.environment.as_slice() else {
        panic!("{:?}", execution.environment);
    };
    assert_eq!(found.opcodes, ["NUMBER"]);
    assert_eq!((found.pc, found.taken), (jumpi, Some(false)));
}

#[test]
fn a_word_overwritten_with_a_constant_is_clean_again() {
    // COINBASE PUSH1 0 MSTORE PUSH1 0 PUSH1 0 MSTORE PUSH1 0 MLOAD (zero: the call runs)
    let prefix = [
        0x41, 0x60, 0x00, 0x52, 0x60, 0x00, 0x60, 0x00, 0x52, 0x60, 0x00, 0x51,
    ];
    let execution = run(&gated_call(&prefix).0);
    assert!(
        execution.environment.is_empty(),
        "{:?}",
        execution.environment
    );
    // Overwriting only part of the word does not clean it.
    let prefix = [
        0x41, 0x60, 0x00, 0x52, 0x60, 0x00, 0x60, 0x01, 0x52, 0x60, 0x00, 0x51,
    ];
    let execution = run(&gated_call(&prefix).0);
    assert_eq!(
        execution.environment.len(),
        1,
        "{:?}",
        execution.environment
    );
    assert_eq!(execution.environment[0].opcodes, ["COINBASE"]);
}

#[test]
fn constants_and_call_results_are_not_the_environment() {
    // PUSH1 1 ISZERO: a constant condition.
    let execution = run(&gated_call(&[0x60, 0x01, 0x15]).0);
    assert!(
        execution.environment.is_empty(),
        "{:?}",
        execution.environment
    );
    // A call (its gas from GAS), then a jump on its success, then another call.
    let mut prefix = call();
    prefix.pop(); // keep the success flag
    let execution = run(&gated_call(&prefix).0);
    assert_eq!(execution.trace.children.len(), 1);
    assert!(
        execution.environment.is_empty(),
        "{:?}",
        execution.environment
    );
    // A jump on the environment with no call after it is not recorded.
    // TIMESTAMP PUSH1 5 JUMPI STOP STOP JUMPDEST STOP
    let execution = run(&[0x42, 0x60, 0x05, 0x57, 0x00, 0x5b, 0x00]);
    assert!(
        execution.environment.is_empty(),
        "{:?}",
        execution.environment
    );
}

#[test]
fn a_call_whose_value_is_the_vaults_balance_is_recorded() {
    // CALL(GAS, TARGET, SELFBALANCE / 2^200, 0, 0, 0, 0): sends 0 wei, but how much it
    // sends depends on the vault's balance.
    let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x47, 0x60, 200, 0x1c, 0x73];
    code.extend_from_slice(TARGET.as_slice());
    code.extend_from_slice(&[0x5a, 0xf1, 0x50, 0x00]);
    let execution = run(&code);
    let [found] = execution.environment.as_slice() else {
        panic!("{:?}", execution.environment);
    };
    assert_eq!(found.kind, EnvironmentUse::CallArguments);
    assert_eq!(found.opcodes, ["SELFBALANCE"]);
    assert_eq!((found.source_pc, found.pc, found.call_pc), (4, 30, 30));
    assert_eq!(found.taken, None);
}
