//! The chain `audit` (`tests/it/audit.rs`) audits: a Hardhat node on 127.0.0.1 (started here, or
//! `NEST_FORK_URL`) and JSON-RPC calls to it, shared with the devnet's fork-mode tests, and the contracts: the devnet's
//! token and NFT fixtures, a vault and a stand-in HyVM written by hand below.

use alloy_primitives::{hex, keccak256, Address, U256};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

// The node, started as the devnet's fork-mode tests start it, and JSON-RPC calls to it.
#[path = "../../../devnet/tests/it/support/node.rs"]
mod node;
pub(crate) use node::{rpc, Node};

/// The 4-byte selector of a signature.
pub(crate) fn selector(sig: &str) -> Vec<u8> {
    keccak256(sig.as_bytes())[..4].to_vec()
}

/// An ABI word.
pub(crate) fn word(v: impl Into<U256>) -> [u8; 32] {
    v.into().to_be_bytes()
}

pub(crate) fn addr_word(a: Address) -> [u8; 32] {
    a.into_word().0
}

/// `selector(sig) ‖ words`.
pub(crate) fn calldata(sig: &str, words: &[[u8; 32]]) -> Vec<u8> {
    let mut c = selector(sig);
    for w in words {
        c.extend_from_slice(w);
    }
    c
}

/// PUSHn of `bytes`.
pub(crate) fn push(code: &mut Vec<u8>, bytes: &[u8]) {
    code.push(0x5f + bytes.len() as u8);
    code.extend_from_slice(bytes);
}

/// A raw payload (no trailer): `target.call(data)` for each call, reverting if one fails,
/// then STOP.
pub(crate) fn raw_calls(calls: &[(Address, Vec<u8>)]) -> Vec<u8> {
    let mut code = Vec::new();
    let mut patches = Vec::new();
    for (target, data) in calls {
        for (i, chunk) in data.chunks(32).enumerate() {
            let mut padded = [0u8; 32];
            padded[..chunk.len()].copy_from_slice(chunk);
            push(&mut code, &padded);
            push(&mut code, &[(i * 32) as u8]);
            code.push(0x52); // MSTORE
        }
        // CALL(gas, target, 0, 0, len, 0, 0)
        code.extend_from_slice(&[0x5f, 0x5f]);
        push(&mut code, &[data.len() as u8]);
        code.extend_from_slice(&[0x5f, 0x5f]);
        push(&mut code, target.as_slice());
        code.extend_from_slice(&[0x5a, 0xf1]);
        // ISZERO PUSH2 revert JUMPI
        code.extend_from_slice(&[0x15, 0x61, 0x00, 0x00, 0x57]);
        patches.push(code.len() - 3);
    }
    code.push(0x00); // STOP
    let revert_at = u16::try_from(code.len()).expect("a small payload");
    code.extend_from_slice(&[0x5b, 0x5f, 0x5f, 0xfd]); // JUMPDEST PUSH0 PUSH0 REVERT
    for at in patches {
        code[at..at + 2].copy_from_slice(&revert_at.to_be_bytes());
    }
    code
}

/// The stand-in HyVM (run by DELEGATECALL from the vault, so in the vault's context): deploys
/// its calldata (the payload) as code with CREATE and DELEGATECALLs it with empty calldata,
/// returning or reverting with what it returns.
pub(crate) fn executor_runtime() -> Vec<u8> {
    // Init code that returns the rest of itself as the runtime:
    // CODESIZE PUSH1 12 SWAP1 SUB DUP1 PUSH1 12 PUSH0 CODECOPY PUSH0 RETURN
    let init: [u8; 12] = [
        0x38, 0x60, 12, 0x90, 0x03, 0x80, 0x60, 12, 0x5f, 0x39, 0x5f, 0xf3,
    ];
    let mut code = Vec::new();
    push(&mut code, &init); // PUSH12 init
    code.extend_from_slice(&[0x60, 160, 0x1b, 0x5f, 0x52]); // PUSH1 160 SHL PUSH0 MSTORE
    code.extend_from_slice(&[0x36, 0x5f, 0x60, 12, 0x37]); // CALLDATASIZE PUSH0 PUSH1 12 CALLDATACOPY
    code.extend_from_slice(&[0x36, 0x60, 12, 0x01, 0x5f, 0x5f, 0xf0]); // size, offset 0, value 0, CREATE
    code.extend_from_slice(&[0x80, 0x15, 0x60, 0x00, 0x57]); // DUP1 ISZERO PUSH1 fail JUMPI
    let fail_patch = code.len() - 2;
    // DELEGATECALL(gas, addr, 0, 0, 0, 0)
    code.extend_from_slice(&[0x5f, 0x5f, 0x5f, 0x5f, 0x84, 0x5a, 0xf4]);
    // RETURNDATACOPY(0, 0, RETURNDATASIZE)
    code.extend_from_slice(&[0x3d, 0x5f, 0x5f, 0x3e]);
    code.extend_from_slice(&[0x60, 0x00, 0x57]); // PUSH1 ok JUMPI
    let ok_patch = code.len() - 2;
    let fail = code.len() as u8;
    code.extend_from_slice(&[0x5b, 0x3d, 0x5f, 0xfd]); // JUMPDEST RETURNDATASIZE PUSH0 REVERT
    let ok = code.len() as u8;
    code.extend_from_slice(&[0x5b, 0x3d, 0x5f, 0xf3]); // JUMPDEST RETURNDATASIZE PUSH0 RETURN
    code[fail_patch] = fail;
    code[ok_patch] = ok;
    code
}

/// A vault with an ABI of its own: `run(bytes payload)`, callable by `owner` only, which
/// DELEGATECALLs `hyvm` with the payload as calldata.
pub(crate) fn vault_runtime(owner: Address, hyvm: Address) -> Vec<u8> {
    let mut code = Vec::new();
    // CALLER PUSH20 owner EQ PUSH1 ok JUMPI PUSH0 PUSH0 REVERT ok: JUMPDEST
    code.push(0x33);
    push(&mut code, owner.as_slice());
    code.extend_from_slice(&[0x14, 0x60, 0x00, 0x57, 0x5f, 0x5f, 0xfd]);
    let ok_patch = code.len() - 5;
    code[ok_patch] = code.len() as u8;
    code.push(0x5b);
    // len = CALLDATALOAD(0x24); CALLDATACOPY(0, 0x44, len)
    code.extend_from_slice(&[0x60, 0x24, 0x35, 0x80, 0x60, 0x44, 0x5f, 0x37]);
    // DELEGATECALL(gas, hyvm, 0, len, 0, 0)
    code.extend_from_slice(&[0x5f, 0x5f, 0x82, 0x5f]);
    push(&mut code, hyvm.as_slice());
    code.extend_from_slice(&[0x5a, 0xf4]);
    code.extend_from_slice(&[0x3d, 0x5f, 0x5f, 0x3e]); // RETURNDATACOPY(0, 0, size)
    code.extend_from_slice(&[0x60, 0x00, 0x57]);
    let good_patch = code.len() - 2;
    code.extend_from_slice(&[0x3d, 0x5f, 0xfd]); // RETURNDATASIZE PUSH0 REVERT
    code[good_patch] = code.len() as u8;
    code.extend_from_slice(&[0x5b, 0x3d, 0x5f, 0xf3]); // JUMPDEST RETURNDATASIZE PUSH0 RETURN
    code
}

/// Init code that deploys `runtime` as it is.
pub(crate) fn init_code(runtime: &[u8]) -> Vec<u8> {
    let len = u16::try_from(runtime.len()).expect("small");
    let mut code = vec![0x61];
    code.extend_from_slice(&len.to_be_bytes());
    code.extend_from_slice(&[0x80, 0x60, 14, 0x5f, 0x39, 0x5f, 0xf3]);
    code.resize(14, 0x00);
    code.extend_from_slice(runtime);
    code
}

/// The dev account everything is sent from.
pub(crate) fn dev(url: &str) -> Address {
    let accounts = rpc(url, "eth_accounts", json!([]));
    accounts[0]
        .as_str()
        .and_then(|a| a.parse().ok())
        .expect("a dev account")
}

/// Sends a transaction from `from` and returns its (successful) receipt.
pub(crate) fn send(url: &str, from: Address, mut tx: Value) -> Value {
    tx["from"] = json!(from);
    tx["gas"] = json!("0x1000000");
    let hash = rpc(url, "eth_sendTransaction", json!([tx]));
    let started = Instant::now();
    loop {
        let receipt = rpc(url, "eth_getTransactionReceipt", json!([hash]));
        if !receipt.is_null() {
            assert_eq!(receipt["status"], json!("0x1"), "{receipt}");
            return receipt;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "not mined");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Deploys `init` and returns the new contract's address.
pub(crate) fn create(url: &str, from: Address, init: Vec<u8>) -> Address {
    let receipt = send(url, from, json!({ "data": hex::encode_prefixed(init) }));
    receipt["contractAddress"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no contract created: {receipt}"))
}

/// Runs `payload` through `vault` (`run(bytes)`) and returns the transaction's hash.
pub(crate) fn run_payload(url: &str, from: Address, vault: Address, payload: &[u8]) -> String {
    let mut data = selector("run(bytes)");
    data.extend_from_slice(&word(U256::from(32)));
    data.extend_from_slice(&word(U256::from(payload.len())));
    let mut padded = payload.to_vec();
    padded.resize(payload.len().div_ceil(32) * 32, 0);
    data.extend_from_slice(&padded);
    let receipt = send(
        url,
        from,
        json!({ "to": vault, "data": hex::encode_prefixed(data) }),
    );
    receipt["transactionHash"]
        .as_str()
        .expect("a hash")
        .to_string()
}

/// `view(data)` on `to` at the head, as a word.
pub(crate) fn call_word(url: &str, to: Address, data: Vec<u8>) -> U256 {
    let answer = rpc(
        url,
        "eth_call",
        json!([{ "to": to, "data": hex::encode_prefixed(data) }, "latest"]),
    );
    let bytes = hex::decode(answer.as_str().unwrap_or_default()).expect("hex");
    U256::from_be_slice(&bytes[..32])
}

/// The ABI encoding of `(string, string, uint8)`, the fixture token's constructor arguments.
pub(crate) fn token_args(name: &str, symbol: &str, decimals: u8) -> Vec<u8> {
    let padded = |s: &str| {
        let mut b = word(U256::from(s.len())).to_vec();
        let mut text = s.as_bytes().to_vec();
        text.resize(32, 0);
        b.extend(text);
        b
    };
    let mut out = Vec::new();
    out.extend_from_slice(&word(U256::from(0x60)));
    out.extend_from_slice(&word(U256::from(0xa0)));
    out.extend_from_slice(&word(U256::from(decimals)));
    out.extend(padded(name));
    out.extend(padded(symbol));
    out
}
