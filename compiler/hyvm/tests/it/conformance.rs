//! The 123 upstream HyVM opcode vectors (`tests/conformance/upstream-opcodes.json`),
//! run through a forwarding vault into the embedded HyVM.

use crate::common::{hex, World, OWNER, PREVRANDAO, VAULT};
use alloy_primitives::{keccak256, Address, B256, U256};
use nest_hyvm::{Execution, DEFAULT_HYVM_ADDRESS};
use serde_json::Value;
use std::path::PathBuf;

/// The 20 bytes upstream writes where a helper's address goes.
const PLACEHOLDER: [u8; 20] = [
    0x12, 0x31, 0x23, 0x12, 0x31, 0x23, 0x12, 0x31, 0x23, 0x12, 0x31, 0x23, 0x12, 0x31, 0x23, 0x12,
    0x31, 0x23, 0x12, 0x31,
];

/// The vectors, committed with this test (`tests/conformance/`, with their README and
/// licence): the test always runs.
fn vectors() -> Vec<Value> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/upstream-opcodes.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(items)) => items,
        other => panic!("{} is not a JSON array: {other:?}", path.display()),
    }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The helper's creation code, quoted in the vector's `env` ("Creation code 0x…").
fn creation_code(vector: &Value) -> Option<Vec<u8>> {
    let envs = vector.get("env")?.as_array()?;
    envs.iter().filter_map(Value::as_str).find_map(|line| {
        let start = line.find("Creation code 0x")? + "Creation code ".len();
        let hex_text: String = line[start + 2..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        Some(hex(&hex_text))
    })
}

/// Replaces every occurrence of the placeholder with `address`.
fn substitute(code: &mut [u8], address: Address) {
    let mut i = 0;
    while i + 20 <= code.len() {
        if code[i..i + 20] == PLACEHOLDER {
            code[i..i + 20].copy_from_slice(address.as_slice());
            i += 20;
        } else {
            i += 1;
        }
    }
}

fn word0(execution: &Execution) -> Option<B256> {
    execution.output.get(..32).map(B256::from_slice)
}

fn word_as_address(word: B256) -> Option<Address> {
    word[..12]
        .iter()
        .all(|&b| b == 0)
        .then(|| Address::from_slice(&word[12..]))
}

/// Code deployed at `address` by the run (from its state diff).
fn deployed_code(execution: &Execution, address: Address) -> Vec<u8> {
    execution
        .state
        .get(&address)
        .and_then(|account| account.info.code.as_ref())
        .map(|code| code.original_bytes().to_vec())
        .unwrap_or_default()
}

/// Evaluates the vector's `check` sentence for this run; the sentence is matched by test name.
fn check(name: &str, execution: &Execution) -> Result<(), String> {
    let word = word0(execution).ok_or("no first word")?;
    let as_address = word_as_address(word);
    let helper_runtime = hex("0x600054600757fe5b");
    match name {
        "testAddress_delegatecall" => (as_address == Some(VAULT))
            .then_some(())
            .ok_or(format!("ADDRESS {word}")),
        "testOrigin_delegatecall" | "testCaller_delegatecall" => (as_address == Some(OWNER))
            .then_some(())
            .ok_or(format!("got {word}")),
        "testCreate" => {
            let address = as_address.ok_or("not an address")?;
            let expected = VAULT.create(1);
            if address != expected {
                return Err(format!(
                    "created at {address}, expected {expected} (vault nonce 1)"
                ));
            }
            (deployed_code(execution, address) == helper_runtime)
                .then_some(())
                .ok_or("wrong code".into())
        }
        "testCreate2" => {
            let address = as_address.ok_or("not an address")?;
            let init = hex("0x67600054600757fe5b60005260086018f3");
            let mut preimage = vec![0xff];
            preimage.extend_from_slice(VAULT.as_slice());
            preimage.extend_from_slice(&U256::from(1).to_be_bytes::<32>());
            preimage.extend_from_slice(keccak256(&init).as_slice());
            let expected = Address::from_slice(&keccak256(&preimage)[12..]);
            if address != expected {
                return Err(format!("created at {address}, expected {expected}"));
            }
            (deployed_code(execution, address) == helper_runtime)
                .then_some(())
                .ok_or("wrong code".into())
        }
        "testPrevrandaoDifficulty" => (execution.output.len() == 32 && word == PREVRANDAO)
            .then_some(())
            .ok_or(format!("got {}", execution.output)),
        other => Err(format!("no evaluation for the check of {other}")),
    }
}

/// Runs one vector and compares it with its expectation.
fn run_vector(vector: &Value) -> Result<(), String> {
    let name = text(vector, "name");
    let mut code = hex(text(vector, "code"));
    let mut world = World::new();
    if vector.get("placeholders").is_some() {
        let init = creation_code(vector).ok_or("placeholder without creation code")?;
        let helper = world.deploy(init.into());
        substitute(&mut code, helper);
    }
    let execution = world.run(&code);
    let expect = vector.get("expect").ok_or("no expect")?;
    let success = expect
        .get("success")
        .and_then(Value::as_bool)
        .ok_or("no expect.success")?;
    if execution.success != success {
        return Err(format!(
            "success {} (halt {:?}, output {})",
            execution.success, execution.halt, execution.output
        ));
    }
    if let Some(data) = expect.get("return_data").and_then(Value::as_str) {
        if execution.output.as_ref() != hex(data).as_slice() {
            return Err(format!("returned {}", execution.output));
        }
    } else if let Some(word) = expect.get("return_word0").and_then(Value::as_str) {
        let expected = B256::from_slice(&hex(word));
        if word0(&execution) != Some(expected) {
            return Err(format!(
                "first word {:?}, expected {expected}",
                word0(&execution)
            ));
        }
    } else if expect.get("check").is_some() {
        check(name, &execution)?;
    } else {
        return Err("expectation has no return_data, return_word0 or check".into());
    }
    Ok(())
}

#[test]
fn all_upstream_vectors_pass() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 123, "expected 123 vectors");
    let mut failures = Vec::new();
    let (mut pure, mut with_env) = (0, 0);
    for vector in &vectors {
        let is_pure = vector
            .get("env")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty);
        match run_vector(vector) {
            Ok(()) if is_pure => pure += 1,
            Ok(()) => with_env += 1,
            Err(why) => failures.push(format!("{}: {why}", text(vector, "name"))),
        }
    }
    eprintln!(
        "conformance: {pure} pure + {with_env} environment-dependent passed, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "failing vectors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn test_gas_reads_dispatch_plus_gas() {
    let mut world = World::new();
    let execution = world.run(&hex("0x5a5a900360005260ff6000f3"));
    assert!(execution.success);
    assert_eq!(word0(&execution), Some(B256::with_last_byte(0x43)));
}

/// `testCannotCallHyVM`'s extra assertion: a plain CALL or STATICCALL to the HyVM reverts.
#[test]
fn the_hyvm_refuses_anything_but_delegatecall() {
    let payload = hex("0x60ff60005260ff6000f3");
    let mut world = World::new();

    // The transaction itself calls the HyVM.
    let direct = world.run_to(DEFAULT_HYVM_ADDRESS, &payload, false);
    assert!(!direct.success);
    assert!(direct.output.is_empty());

    // A contract CALLs / STATICCALLs the HyVM with the payload and returns the success flag.
    for call in [0xf1u8, 0xfa] {
        let caller = Address::repeat_byte(call);
        crate::common::put_code(&mut world.db, caller, calling_contract(call), U256::ZERO);
        let execution = world.run_to(caller, &payload, false);
        assert!(execution.success, "{:?}", execution.halt);
        assert_eq!(
            word0(&execution),
            Some(B256::ZERO),
            "opcode {call:#x}: the call must fail"
        );
    }
}

/// CALLDATACOPY the payload, CALL (0xf1, value 0) or STATICCALL (0xfa) the HyVM with it, and
/// return the success flag as a word.
fn calling_contract(call: u8) -> alloy_primitives::Bytes {
    let mut code = vec![0x36, 0x5f, 0x5f, 0x37]; // CALLDATACOPY(0, 0, CALLDATASIZE)
    code.extend_from_slice(&[0x5f, 0x5f, 0x36, 0x5f]); // retSize retOffset argsSize argsOffset
    if call == 0xf1 {
        code.push(0x5f); // value 0
    }
    code.push(0x73);
    code.extend_from_slice(DEFAULT_HYVM_ADDRESS.as_slice());
    code.extend_from_slice(&[0x5a, call]); // GAS, CALL/STATICCALL -> [success]
    code.extend_from_slice(&[0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]); // MSTORE(0, success) RETURN(0, 32)
    code.into()
}
