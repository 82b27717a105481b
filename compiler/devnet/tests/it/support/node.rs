//! A local node for the `#[ignore]`d tests that talk JSON-RPC (`tests/fork/run.sh` runs
//! them): `NEST_FORK_URL` names a running one, otherwise `hardhat node` (installed by
//! run.sh) is started on a free port of 127.0.0.1 and killed when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a started node may take to answer.
pub(crate) const NODE_START: Duration = Duration::from_secs(90);

/// A node the test talks to; one it started is killed when dropped.
pub(crate) struct Node {
    /// Its JSON-RPC URL.
    pub url: String,
    child: Option<Child>,
}

impl Node {
    /// `NEST_FORK_URL`, or a Hardhat node started on a free port.
    pub(crate) fn start() -> Node {
        if let Ok(url) = std::env::var("NEST_FORK_URL") {
            return Node { url, child: None };
        }
        // From the devnet crate or another crate of `compiler/` that includes this file.
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../devnet/tests/fork");
        let hardhat = dir.join("node_modules/.bin/hardhat");
        assert!(
            hardhat.exists(),
            "no node: set NEST_FORK_URL or run compiler/devnet/tests/fork/run.sh"
        );
        let port = free_port();
        let child = Command::new(hardhat)
            .args([
                "node",
                "--hostname",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .current_dir(&dir)
            .env("HARDHAT_DISABLE_TELEMETRY_PROMPT", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start hardhat: {e}"));
        let node = Node {
            url: format!("http://127.0.0.1:{port}"),
            child: Some(child),
        };
        let started = Instant::now();
        while try_rpc(&node.url, "eth_chainId", json!([])).is_err() {
            assert!(
                started.elapsed() < NODE_START,
                "the node did not answer within {NODE_START:?}"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        node
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A port nothing listens on (right now).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// A JSON-RPC call that must succeed.
pub(crate) fn rpc(url: &str, method: &str, params: Value) -> Value {
    try_rpc(url, method, params).unwrap_or_else(|e| panic!("{method}: {e}"))
}

/// A JSON-RPC call: its result, or the error as text.
pub(crate) fn try_rpc(url: &str, method: &str, params: Value) -> Result<Value, String> {
    let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let text = agent
        .post(url)
        .header("content-type", "application/json")
        .send(request.to_string())
        .and_then(|mut r| r.body_mut().read_to_string())
        .map_err(|e| e.to_string())?;
    let answer: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    match answer.get("error") {
        Some(error) => Err(error.to_string()),
        None => Ok(answer["result"].clone()),
    }
}
