//! Behaviour of `execute` beyond the upstream vectors: gas breakdown, return data, refusals,
//! traces, logs, jumps, the Mass variant and committing.

use crate::common::{hex, World, VAULT};
use alloy_primitives::{Address, Bytes, B256, U256};
use nest_hyvm::{gas, CallKind, Execution, Variant, DEFAULT_HYVM_ADDRESS};

fn assert_gas_adds_up(execution: &Execution) {
    let g = execution.gas;
    let sum = g.intrinsic_calldata
        + g.vault_overhead
        + g.guest_execution
        + g.hyvm_overhead
        + g.calldata_floor_topup;
    assert_eq!(sum - g.refund, g.total, "{g:?}");
}

#[test]
fn returns_the_guest_return_data() {
    // PUSH2 0xbeef PUSH0 MSTORE PUSH1 2 PUSH1 30 RETURN
    let execution = World::new().run(&hex("0x61beef5f526002601ef3"));
    assert!(execution.success);
    assert_eq!(execution.output, Bytes::from(vec![0xbe, 0xef]));
    assert_eq!(execution.halt, None);
    assert_gas_adds_up(&execution);
}

#[test]
fn overhead_and_native_gas_of_a_tiny_guest() {
    // PUSH1 1, PUSH0, RETURN: returns one zero byte.
    let execution = World::new().run(&hex("0x60015ff3"));
    assert!(execution.success);
    assert_eq!(execution.output, Bytes::from(vec![0]));
    assert_eq!(execution.guest_instructions, 3);
    // Entry, three dispatches, one PUSH immediate, one memory offset (RETURN); one word of
    // memory costs the same shifted or not.
    let expected = gas::ENTRY + 3 * gas::DISPATCH + gas::PUSH_IMMEDIATE + gas::MEMORY_OFFSET_FIX;
    assert_eq!(execution.gas.hyvm_overhead, expected);
    // Natively: PUSH1 3 + PUSH0 2 + RETURN 0 + one word of memory 3.
    assert_eq!(execution.gas.guest_execution, 8);
    assert_eq!(execution.gas.intrinsic_calldata, 21_000 + 4 * 16);
    assert_gas_adds_up(&execution);
}

#[test]
fn gas_adds_up_with_a_storage_refund() {
    // SSTORE(0, 1) then SSTORE(0, 0): a refund for clearing the slot.
    let execution = World::new().run(&hex("0x60015f555f5f5500"));
    assert!(execution.success);
    assert!(execution.gas.refund > 0, "{:?}", execution.gas);
    assert_gas_adds_up(&execution);
}

#[test]
fn refused_opcodes_revert_with_empty_data() {
    for (payload, opcode, pc) in [
        ("0x5f5f5d00", "TSTORE", 2),
        ("0x6001600060006000600060006000f200", "CALLCODE", 14),
        ("0x5fff", "SELFDESTRUCT", 1),
        ("0x5f0c", "0x0c", 1),
        ("0x5f5f5f5e", "MCOPY", 3),
        ("0x5f49", "BLOBHASH", 1),
        ("0x4a", "BLOBBASEFEE", 0),
    ] {
        let execution = World::new().run(&hex(payload));
        assert!(!execution.success, "{opcode}");
        assert!(execution.output.is_empty(), "{opcode}");
        assert_eq!(
            execution.halt.as_deref(),
            Some(format!("refused opcode {opcode} at pc {pc}").as_str())
        );
        // A revert keeps the remaining gas: far less than the limit is charged.
        assert!(
            execution.gas.total < 100_000,
            "{opcode}: {:?}",
            execution.gas
        );
        assert_gas_adds_up(&execution);
    }
}

#[test]
fn calldata_is_empty_and_code_is_the_payload() {
    // CALLDATASIZE, CODESIZE, then CODECOPY the 2-byte data section after STOP and return all.
    // 00 36 CALLDATASIZE; 01 5f PUSH0; 02 52 MSTORE          -> mem[0..32] = 0
    // 03 38 CODESIZE; 04 60 20 PUSH1 32; 06 52 MSTORE        -> mem[32..64] = codesize
    // 07 60 02 PUSH1 2; 09 60 13 PUSH1 19; 0b 60 40 PUSH1 64; 0d 39 CODECOPY -> mem[64..66]
    // 0e 60 42 PUSH1 66; 10 5f PUSH0; 11 f3 RETURN; 12 00 STOP; 13.. data
    let payload = hex("0x365f52386020526002601360403960425ff300cafe");
    let execution = World::new().run(&payload);
    assert!(execution.success, "{:?}", execution.halt);
    let out = execution.output;
    assert_eq!(&out[..32], B256::ZERO.as_slice());
    assert_eq!(U256::from_be_slice(&out[32..64]), U256::from(payload.len()));
    assert_eq!(&out[64..66], &[0xca, 0xfe]);
}

#[test]
fn jumps_follow_the_hyvm_rules() {
    let payload = hex("0x6003565b5f5ff3");
    // 00 60 03 PUSH1 3; 02 56 JUMP; 03 5b JUMPDEST; 04 5f PUSH0; 05 5f PUSH0; 06 f3 RETURN
    let execution = World::new().run(&payload);
    assert!(execution.success, "{:?}", execution.halt);
    // PUSH1, JUMP, PUSH0, PUSH0, RETURN: the landing JUMPDEST is not dispatched.
    assert_eq!(execution.guest_instructions, 5);

    // Into PUSH data: 00 60 04 PUSH1 4; 02 56 JUMP; 03 60 5b PUSH1 0x5b (0x5b at pc 4);
    // 05 5f PUSH0; 06 5f PUSH0; 07 f3 RETURN. revm alone would call this an invalid jump.
    let execution = World::new().run(&hex("0x600456605b5f5ff3"));
    assert!(execution.success, "{:?}", execution.halt);

    // A target that is not 0x5B: the HyVM reverts with empty data, keeping its gas.
    let execution = World::new().run(&hex("0x6005565b5f5ff3"));
    assert!(!execution.success);
    assert!(execution.output.is_empty());
    assert_eq!(
        execution.halt.as_deref(),
        Some("invalid jump destination 5 at pc 2")
    );
    assert!(execution.gas.total < 100_000);

    // JUMPI not taken falls through; taken jumps.
    // 00 5f PUSH0; 01 60 07 PUSH1 7; 03 57 JUMPI (not taken); 04 60 01 PUSH1 1;
    // 06 60 0a PUSH1 10; 08 57 JUMPI (taken); 09 fe INVALID; 0a 5b JUMPDEST; 0b 5f 5f f3 RETURN
    let execution = World::new().run(&hex("0x5f6007576001600a57fe5b5f5ff3"));
    assert!(execution.success, "{:?}", execution.halt);
}

#[test]
fn running_out_of_gas_names_the_pc() {
    // 00 5b JUMPDEST; 01 5f PUSH0; 02 56 JUMP: an endless loop.
    let execution = World::new().run(&hex("0x5b5f56"));
    assert!(!execution.success);
    let halt = execution.halt.clone().unwrap_or_default();
    assert!(halt.starts_with("out of gas at pc"), "{halt}");
    assert_gas_adds_up(&execution);
}

#[test]
fn calls_appear_in_the_trace_with_the_guest_pc() {
    let mut world = World::new();
    // A callee that returns 32 bytes of 0x11: PUSH1 0x11 PUSH1 0 MSTORE8 ... keep it plain:
    // 60 20 PUSH1 32; 5f PUSH0; f3 RETURN (32 zero bytes).
    let callee = Address::repeat_byte(0xcc);
    crate::common::put_code(&mut world.db, callee, hex("0x60205ff3").into(), U256::ZERO);
    // 00 60 20 PUSH1 32 (retSize); 02 5f PUSH0 (retOffset); 03 5f PUSH0 (argsSize);
    // 04 5f PUSH0 (argsOffset); 05 73 <callee> PUSH20; 1a 5a GAS; 1b fa STATICCALL; 1c 00 STOP
    let mut payload = hex("0x60205f5f5f73");
    payload.extend_from_slice(callee.as_slice());
    payload.extend_from_slice(&[0x5a, 0xfa, 0x00]);
    let execution = world.run(&payload);
    assert!(execution.success, "{:?}", execution.halt);
    let root = &execution.trace;
    assert_eq!(root.kind, CallKind::DelegateCall);
    assert_eq!(root.to, DEFAULT_HYVM_ADDRESS);
    assert_eq!(root.input.as_ref(), payload.as_slice());
    assert_eq!(root.guest_pc, None);
    assert_eq!(root.children.len(), 1);
    let child = &root.children[0];
    assert_eq!(child.kind, CallKind::StaticCall);
    assert_eq!((child.from, child.to), (VAULT, callee));
    assert_eq!(child.guest_pc, Some(0x1b));
    assert!(child.success);
    assert_eq!(child.output.len(), 32);
}

#[test]
fn logs_are_captured() {
    // 60 2a PUSH1 42; 5f PUSH0; 52 MSTORE; 60 07 PUSH1 7 (topic); 60 20 PUSH1 32; 5f PUSH0; a1 LOG1; 00 STOP
    let execution = World::new().run(&hex("0x602a5f52600760205fa100"));
    assert!(execution.success, "{:?}", execution.halt);
    assert_eq!(execution.logs.len(), 1);
    let log = &execution.logs[0];
    assert_eq!(log.address, VAULT);
    assert_eq!(log.data.topics(), &[B256::with_last_byte(7)]);
    assert_eq!(U256::from_be_slice(&log.data.data), U256::from(42));
    assert_eq!(execution.trace.logs.len(), 1);
}

#[test]
fn mass_variant_refuses_storage_writes_and_creation() {
    let sstore = hex("0x60015f5500");
    assert!(World::new().run(&sstore).success);
    let execution = World::with_variant(Variant::Mass).run(&sstore);
    assert!(!execution.success);
    assert_eq!(
        execution.halt.as_deref(),
        Some("refused opcode SSTORE at pc 3")
    );
    let create = hex("0x5f5f5ff000");
    assert!(World::new().run(&create).success);
    assert!(!World::with_variant(Variant::Mass).run(&create).success);
}

#[test]
fn commits_only_when_asked() {
    use revm::DatabaseRef;
    let sstore = hex("0x602a5f5500"); // SSTORE(0, 42)
    let mut world = World::new();
    let dry = world.run_to(VAULT, &sstore, false);
    assert!(dry.success);
    let slot = dry
        .state
        .get(&VAULT)
        .and_then(|a| a.storage.get(&U256::ZERO))
        .map(|s| s.present_value);
    assert_eq!(slot, Some(U256::from(42)));
    assert_eq!(
        world.db.storage_ref(VAULT, U256::ZERO).ok(),
        Some(U256::ZERO)
    );
    let committed = world.run_to(VAULT, &sstore, true);
    assert!(committed.success);
    assert_eq!(
        world.db.storage_ref(VAULT, U256::ZERO).ok(),
        Some(U256::from(42))
    );
}

#[test]
fn memory_is_shifted_by_0x340_for_pricing() {
    // MSTORE at 0x2000 (8 KiB): 257 words. PUSH1 1, PUSH2 0x2000, MSTORE, STOP.
    let execution = World::new().run(&hex("0x60016120005200"));
    assert!(execution.success);
    let extra = gas::memory_shift_adjustment(0, 257) as u64;
    assert!(extra > 0);
    let expected =
        gas::ENTRY + 4 * gas::DISPATCH + 2 * gas::PUSH_IMMEDIATE + gas::MEMORY_OFFSET_FIX + extra;
    assert_eq!(execution.gas.hyvm_overhead, expected);
}
