//! The audit's chain side against a scripted JSON-RPC node (a small HTTP server on 127.0.0.1,
//! in a thread): a node that refuses wide `eth_getLogs` ranges (the range shrinks until it is
//! accepted) and has pruned the state the replays need (the history is reported incomplete,
//! with why, while the live permissions are still found and read back). Runs in plain
//! `cargo test`, no real node needed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use alloy_primitives::{address, keccak256, Address, B256};
use nest_devnet::fork::audit::{audit, AuditOptions};
use serde_json::{json, Value};

const VAULT: Address = address!("0x1111111111111111111111111111111111111111");
const HYVM: Address = address!("0x00000000000000000000000000000000000048a5");
const TOKEN: Address = address!("0x4444444444444444444444444444444444444444");
const SPENDER: Address = address!("0x3333333333333333333333333333333333333333");
const OWNER: Address = address!("0x2222222222222222222222222222222222222222");
/// The head block.
const HEAD: u64 = 40;
/// The block whose transaction granted the allowance.
const GRANT_BLOCK: u64 = 17;
/// The widest `eth_getLogs` range the node accepts.
const MAX_RANGE: u64 = 8;

/// What the node saw.
#[derive(Default)]
struct Seen {
    /// Whether the node answers `debug_traceTransaction` with the call tracer.
    tracer: bool,
    refused_ranges: AtomicU64,
    log_queries: AtomicU64,
}

fn tx_hash(n: u64) -> String {
    B256::left_padding_from(&n.to_be_bytes()).to_string()
}

fn header(n: u64, full: bool) -> Value {
    let txs: Vec<Value> = if n == GRANT_BLOCK {
        let tx = json!({
            "hash": tx_hash(n), "blockNumber": format!("{n:#x}"), "transactionIndex": "0x0",
            "from": OWNER, "to": VAULT, "input": "0x1234", "value": "0x0", "gas": "0x30000",
            "gasPrice": "0x1"
        });
        if full {
            vec![tx]
        } else {
            vec![json!(tx_hash(n))]
        }
    } else {
        Vec::new()
    };
    json!({
        "number": format!("{n:#x}"),
        "hash": B256::repeat_byte(n as u8).to_string(),
        "timestamp": format!("{:#x}", 1_700_000_000 + 12 * n),
        "gasLimit": "0x1c9c380",
        "miner": "0x0000000000000000000000000000000000000001",
        "baseFeePerGas": "0x1",
        "mixHash": B256::ZERO.to_string(),
        "transactions": txs,
    })
}

fn quantity(v: &Value) -> u64 {
    v.as_str()
        .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
        .unwrap_or(u64::MAX)
}

/// The node's answer to one call: `Ok(result)` or `Err((code, message))`.
fn answer(method: &str, params: &Value, seen: &Seen) -> Result<Value, (i64, String)> {
    let head_tag = json!(format!("{HEAD:#x}"));
    match method {
        "eth_chainId" => Ok(json!("0x1")),
        "eth_getBlockByNumber" => {
            let n = if params[0] == "latest" {
                HEAD
            } else {
                quantity(&params[0])
            };
            Ok(if n <= HEAD {
                header(n, params[1] == json!(true))
            } else {
                Value::Null
            })
        }
        "eth_getCode" if params[1] == head_tag && params[0] == json!(VAULT) => Ok(json!("0x6000")),
        "eth_getLogs" => {
            seen.log_queries.fetch_add(1, Ordering::Relaxed);
            let f = &params[0];
            let (from, to) = (quantity(&f["fromBlock"]), quantity(&f["toBlock"]));
            if to - from + 1 > MAX_RANGE {
                seen.refused_ranges.fetch_add(1, Ordering::Relaxed);
                return Err((-32005, format!("query exceeds max block range {MAX_RANGE}")));
            }
            let approval = keccak256("Approval(address,address,uint256)").to_string();
            let asks = f["topics"][0]
                .as_array()
                .is_some_and(|t| t.contains(&json!(approval)))
                && f["topics"].as_array().map(Vec::len) == Some(2);
            if asks && (from..=to).contains(&GRANT_BLOCK) {
                return Ok(json!([{
                    "address": TOKEN,
                    "topics": [approval, VAULT.into_word().to_string(), SPENDER.into_word().to_string()],
                    "data": format!("0x{:064x}", 7),
                    "blockNumber": format!("{GRANT_BLOCK:#x}"),
                    "transactionHash": tx_hash(GRANT_BLOCK),
                    "logIndex": "0x0",
                }]));
            }
            Ok(json!([]))
        }
        "eth_call" if params[1] == head_tag => {
            let data = params[0]["data"].as_str().unwrap_or_default();
            if data.starts_with("0xdd62ed3e") {
                Ok(json!(format!("0x{:064x}", 7)))
            } else {
                Err((3, "execution reverted".into()))
            }
        }
        "debug_traceTransaction" if seen.tracer && params[1]["tracer"] == "callTracer" => {
            let approve = format!(
                "0x095ea7b3{}{:064x}",
                &SPENDER.into_word().to_string()[2..],
                9
            );
            Ok(json!({
                "type": "CALL", "from": OWNER, "to": VAULT, "input": "0x1234",
                "calls": [{
                    "type": "DELEGATECALL", "from": VAULT, "to": HYVM, "input": "0x6001",
                    "calls": [{ "type": "CALL", "from": VAULT, "to": TOKEN, "input": approve }]
                }]
            }))
        }
        // Every state read at an older block: pruned.
        "eth_getBalance" | "eth_getTransactionCount" | "eth_getCode" | "eth_getStorageAt" => {
            Err((-32000, "missing trie node abc (path )".into()))
        }
        _ => Err((-32601, format!("method {method} not supported"))),
    }
}

fn reply(call: &Value, seen: &Seen) -> Value {
    let id = call["id"].clone();
    let method = call["method"].as_str().unwrap_or_default();
    match answer(method, &call["params"], seen) {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err((code, message)) => {
            json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
        }
    }
}

fn serve(stream: TcpStream, seen: &Seen) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0usize;
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let h = line.trim().to_ascii_lowercase();
            if h.is_empty() {
                break;
            }
            if let Some(v) = h.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let out = match &request {
            Value::Array(calls) => Value::Array(calls.iter().map(|c| reply(c, seen)).collect()),
            call => reply(call, seen),
        }
        .to_string();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            out.len()
        );
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(out.as_bytes()).is_err() {
            return;
        }
    }
}

fn node(seen: Arc<Seen>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            thread::spawn(move || serve(stream, &seen));
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn refused_ranges_shrink_and_pruned_state_leaves_the_permissions_complete() {
    let seen = Arc::new(Seen::default());
    let url = node(seen.clone());
    let options = AuditOptions {
        timeout: Duration::from_secs(60),
        ..AuditOptions::new(&url, VAULT, HYVM)
    };
    let found = audit(&options, &|_| {}).unwrap_or_else(|e| panic!("{e}"));

    // The live allowance, found through the range the node accepts, read back at the head.
    assert_eq!(found.head, HEAD);
    assert_eq!(found.permissions.len(), 1, "{:?}", found.permissions);
    let p = &found.permissions[0];
    assert_eq!(p.grant.family.id, "erc20-allowance");
    assert_eq!((p.grant.contract, p.grant.grantee()), (TOKEN, SPENDER));
    assert_eq!(p.level, Some(alloy_primitives::U256::from(7)));
    // The token answers neither symbol nor decimals.
    assert_eq!((p.symbol.clone(), p.decimals), (None, None));
    assert_eq!(p.granted_by.map(|(_, b)| b), Some(GRANT_BLOCK));
    assert!(seen.refused_ranges.load(Ordering::Relaxed) > 0);
    // Every block was covered: both owner filters over 41 blocks, at most 8 at a time.
    assert!(found.stats.log_requests >= 2 * HEAD.div_ceil(MAX_RANGE));

    // The one transaction to the vault could not be replayed: the state is pruned.
    assert_eq!(found.transactions.len(), 1);
    assert_eq!(found.transactions[0].tx.block, GRANT_BLOCK);
    assert!(found.transactions[0].replay.is_err());
    let why = found.history_error.clone().unwrap_or_default();
    assert!(why.contains("archive node"), "{why}");
    assert!(why.contains("live permissions are still complete"), "{why}");
    assert_eq!(found.stats.replayed, 0);
}

#[test]
fn without_state_the_history_is_read_from_the_call_tracer() {
    let url = node(Arc::new(Seen {
        tracer: true,
        ..Seen::default()
    }));
    let options = AuditOptions {
        timeout: Duration::from_secs(60),
        ..AuditOptions::new(&url, VAULT, HYVM)
    };
    let found = audit(&options, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.history_error, None);
    assert_eq!(found.notes.len(), 1, "{:?}", found.notes);
    let replayed = found.transactions[0]
        .replay
        .as_ref()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(replayed.success);
    assert_eq!(replayed.payloads.len(), 1);
    assert_eq!(replayed.payloads[0].payload.as_ref(), &[0x60, 0x01]);
    assert_eq!(replayed.grants.len(), 1);
    // The traced grant is read back like the logged one: the same permission, once.
    assert_eq!(found.permissions.len(), 1);
}

#[test]
fn a_vault_without_code_or_a_range_after_the_head_is_an_error() {
    let url = node(Arc::new(Seen::default()));
    let not_a_vault = AuditOptions::new(&url, SPENDER, HYVM);
    assert!(audit(&not_a_vault, &|_| {}).is_err());
    let after = AuditOptions {
        from_block: Some(HEAD + 1),
        ..AuditOptions::new(&url, VAULT, HYVM)
    };
    let error = audit(&after, &|_| {})
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(error.contains("--from-block"), "{error}");
}
