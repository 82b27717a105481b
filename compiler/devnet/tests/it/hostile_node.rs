//! Fork mode against a hostile JSON-RPC node: a small HTTP server on 127.0.0.1, in a thread,
//! that answers as a minimal chain would except for one behaviour per test (escape sequences
//! in errors, another block's header, a fake HyVM, a huge answer, slow answers). Runs in plain
//! `cargo test`, in seconds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use alloy_primitives::{address, Address};
use nest_devnet::{DevnetError, ForkDevnet, ForkError, ForkOptions, RunContext, Scenario};
use serde_json::{json, Value};

type Behaviour = dyn Fn(&str, &Value) -> Option<Answer> + Send + Sync;

/// What the server sends for one request: a JSON-RPC result or error, or raw bytes.
enum Answer {
    Result(Value),
    Error(&'static str),
    Raw(Vec<u8>),
    Slow(Duration),
}

const HYVM: Address = address!("0x00000000000000000000000000000000000048a5");

/// Starts a node on a free port that answers with `behaviour` first, then as an empty chain
/// at block 5 with chain id 1 would. Returns its URL.
fn node(behaviour: Arc<Behaviour>) -> String {
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(listener) => listener,
        Err(e) => panic!("cannot listen: {e}"),
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let behaviour = behaviour.clone();
            thread::spawn(move || serve(stream, &*behaviour));
        }
    });
    format!("http://127.0.0.1:{port}/v2/SECRET-KEY")
}

fn serve(stream: TcpStream, behaviour: &Behaviour) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut stream = stream;
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let header = line.trim().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let answer = match &request {
            Value::Array(calls) => {
                Value::Array(calls.iter().map(|c| answer(c, behaviour)).collect())
            }
            call => answer(call, behaviour),
        };
        let body = match special(&request, behaviour) {
            Some(Answer::Raw(bytes)) => bytes,
            Some(Answer::Slow(delay)) => {
                thread::sleep(delay);
                answer.to_string().into_bytes()
            }
            _ => answer.to_string().into_bytes(),
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(&body).is_err() {
            return;
        }
    }
}

/// A raw or slow answer for the whole request, if the behaviour gives one.
fn special(request: &Value, behaviour: &Behaviour) -> Option<Answer> {
    let first = match request {
        Value::Array(calls) => calls.first()?.clone(),
        call => call.clone(),
    };
    let method = first.get("method")?.as_str()?;
    match behaviour(method, &first) {
        Some(answer @ (Answer::Raw(_) | Answer::Slow(_))) => Some(answer),
        _ => None,
    }
}

fn answer(call: &Value, behaviour: &Behaviour) -> Value {
    let id = call.get("id").cloned().unwrap_or(Value::Null);
    let method = call.get("method").and_then(Value::as_str).unwrap_or("");
    let result = match behaviour(method, call) {
        Some(Answer::Result(result)) => result,
        Some(Answer::Error(message)) => {
            return json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32000, "message": message}})
        }
        _ => honest(method, call),
    };
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An empty chain (id 1) at block 5.
fn honest(method: &str, call: &Value) -> Value {
    match method {
        "eth_chainId" => json!("0x1"),
        "eth_getBlockByNumber" => {
            let tag = call["params"][0].as_str().unwrap_or("latest");
            let number = if tag == "latest" { "0x5" } else { tag };
            header(number)
        }
        "eth_getBalance" | "eth_getTransactionCount" => json!("0x0"),
        "eth_getCode" => json!("0x"),
        "eth_getStorageAt" => json!(format!("0x{}", "0".repeat(64))),
        _ => Value::Null,
    }
}

fn header(number: &str) -> Value {
    json!({
        "number": number,
        "hash": format!("0x{}", "ab".repeat(32)),
        "timestamp": "0x6553f100",
        "gasLimit": "0x1c9c380",
        "miner": "0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97",
        "mixHash": format!("0x{}", "00".repeat(32)),
        "baseFeePerGas": "0x3b9aca00",
        "withdrawalsRoot": format!("0x{}", "00".repeat(32)),
        "excessBlobGas": "0x0",
    })
}

fn options(url: String) -> ForkOptions {
    ForkOptions {
        url,
        timeout: Duration::from_secs(20),
        ..ForkOptions::default()
    }
}

fn fork_error(options: &ForkOptions) -> ForkError {
    match ForkDevnet::new(options, &Scenario::default()) {
        Err(DevnetError::Fork(error)) => error,
        Err(other) => panic!("expected a fork error, got {other}"),
        Ok(_) => panic!("expected a fork error, the fork was set up"),
    }
}

/// `PUSH0 PUSH0 RETURN`: a payload that does nothing.
const NOTHING: &[u8] = &[0x5f, 0x5f, 0xf3];

#[test]
fn an_honest_empty_chain_runs_and_the_report_states_it() {
    let url = node(Arc::new(|_: &str, _: &Value| None));
    let fork = match ForkDevnet::new(&options(url), &Scenario::default()) {
        Ok(fork) => fork,
        Err(e) => panic!("{e}"),
    };
    let report = match fork.dry_run(NOTHING, &RunContext::default()) {
        Ok(report) => report,
        Err(e) => panic!("{e}"),
    };
    assert!(report.success, "{}", report.render(false));
    let json = report.to_json();
    assert_eq!(json["chain"]["chain_id"], json!(1));
    assert_eq!(json["chain"]["block_number"], json!(5));
    assert_eq!(
        json["chain"]["block_hash"],
        json!(format!("0x{}", "ab".repeat(32)))
    );
    assert_eq!(json["chain"]["hyvm_check"], json!("embedded"));
    let text = report.render(false);
    assert!(text.contains("forked chain 1 at block 5 (0xabab"), "{text}");
}

#[test]
fn escape_sequences_in_a_node_error_are_shown_inert() {
    let url = node(Arc::new(|method: &str, _: &Value| {
        (method == "eth_chainId").then_some(Answer::Error(
            "\u{1b}[2K\r\u{1b}[32m✓ success\u{1b}[0m\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]0;title\u{7}",
        ))
    }));
    let message = fork_error(&options(url)).to_string();
    assert!(!message.chars().any(|c| c.is_control()), "{message:?}");
    assert!(message.contains("\\u{1b}[32m✓ success"), "{message}");
    assert!(!message.contains("SECRET-KEY"), "{message}");
}

#[test]
fn a_non_hex_quantity_is_shown_inert_and_short() {
    let url = node(Arc::new(|method: &str, _: &Value| {
        (method == "eth_chainId").then(|| {
            Answer::Result(json!(format!(
                "0x\u{1b}]0;pwned\u{7}{}",
                "z".repeat(100_000)
            )))
        })
    }));
    let message = fork_error(&options(url)).to_string();
    assert!(!message.chars().any(|c| c.is_control()), "{message:?}");
    assert!(message.len() < 1_000, "{} bytes", message.len());
}

#[test]
fn another_blocks_header_is_refused() {
    let url = node(Arc::new(|method: &str, _: &Value| {
        (method == "eth_getBlockByNumber").then(|| Answer::Result(header("0x5")))
    }));
    let asked = ForkOptions {
        block: Some(100),
        ..options(url)
    };
    match fork_error(&asked) {
        ForkError::WrongBlock { asked, got, .. } => assert_eq!((asked, got), (100, 5)),
        other => panic!("expected a wrong block, got {other}"),
    }
}

/// Code that returns 1 whatever it is given: PUSH1 1, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0,
/// RETURN.
fn fake_hyvm(method: &str, call: &Value) -> Option<Answer> {
    let hyvm = format!("{HYVM:#x}");
    let at_hyvm = call["params"][0].as_str() == Some(hyvm.as_str());
    match method {
        "eth_getCode" if at_hyvm => Some(Answer::Result(json!("0x600160005260206000f3"))),
        "eth_getTransactionCount" if at_hyvm => Some(Answer::Result(json!("0x1"))),
        _ => None,
    }
}

#[test]
fn a_fake_hyvm_is_not_recognised_and_its_run_is_not_a_success() {
    let url = node(Arc::new(fake_hyvm));
    let fork = match ForkDevnet::new(
        &ForkOptions {
            hyvm: Some(HYVM),
            ..options(url.clone())
        },
        &Scenario::default(),
    ) {
        Ok(fork) => fork,
        Err(e) => panic!("{e}"),
    };
    assert!(matches!(
        fork.hyvm_check(),
        nest_devnet::fork::HyvmCheck::Unrecognised(_)
    ));
    let report = match fork.dry_run(NOTHING, &RunContext::default()) {
        Ok(report) => report,
        Err(e) => panic!("{e}"),
    };
    assert!(!report.success, "{}", report.render(false));
    assert_eq!(
        report.to_json()["chain"]["hyvm_check"],
        json!("unrecognised")
    );
    assert!(!report.render(false).contains("✓ success"));

    // With --hyvm-unchecked the code runs unprobed, and the report says so.
    let unchecked = match ForkDevnet::new(
        &ForkOptions {
            hyvm: Some(HYVM),
            hyvm_unchecked: true,
            ..options(url)
        },
        &Scenario::default(),
    ) {
        Ok(fork) => fork,
        Err(e) => panic!("{e}"),
    };
    let report = match unchecked.dry_run(NOTHING, &RunContext::default()) {
        Ok(report) => report,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(report.to_json()["chain"]["hyvm_check"], json!("unchecked"));
    assert!(report.render(false).contains("unchecked"));
}

#[test]
fn a_huge_answer_is_refused_with_a_short_error() {
    let url = node(Arc::new(|method: &str, _: &Value| {
        (method == "eth_chainId").then(|| {
            let mut body = b"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x".to_vec();
            body.resize(63 << 20, b'f');
            Answer::Raw(body)
        })
    }));
    let started = Instant::now();
    let error = fork_error(&options(url));
    assert!(matches!(error, ForkError::AnswerTooLarge { .. }), "{error}");
    assert!(error.to_string().len() < 300, "{error}");
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn slow_answers_trip_the_deadline() {
    let url = node(Arc::new(|_: &str, _: &Value| {
        Some(Answer::Slow(Duration::from_millis(700)))
    }));
    let started = Instant::now();
    let error = fork_error(&ForkOptions {
        timeout: Duration::from_secs(2),
        ..options(url)
    });
    assert!(matches!(error, ForkError::Deadline { .. }), "{error}");
    assert!(error.to_string().contains("--fork-timeout"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_request_budget_is_enforced() {
    let url = node(Arc::new(|_: &str, _: &Value| None));
    let error = fork_error(&ForkOptions {
        max_requests: 2,
        ..options(url)
    });
    assert!(matches!(error, ForkError::Budget { max: 2 }), "{error}");
    assert!(error.to_string().contains("--fork-max-requests"), "{error}");
}
