//! A blocking JSON-RPC 2.0 client over HTTP, and the hex encodings Ethereum nodes use.
//!
//! Every piece of work is bounded: the whole fork has a deadline and a request budget
//! ([`Bounds`]), one request at most [`REQUEST_TIMEOUT`], one answer at most
//! [`MAX_ANSWER_BYTES`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy_primitives::{hex, Address, Bytes, B256, U256};
use serde_json::{json, Value};

use super::error::ForkError;

/// How long one request may take, connecting included (less when the deadline is nearer).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest answer read. What fork mode asks for is small: an account (balance, nonce and
/// code: at most 24 KiB of code, 48 KiB as hex, on mainnet), a storage word, a block header
/// without its transactions (a few KiB, plus 66 bytes per transaction hash). 4 MiB leaves room
/// for chains with larger code and blocks and refuses anything absurd before it is buffered.
pub const MAX_ANSWER_BYTES: u64 = 4 << 20;
/// The most characters of a node's text kept in an error (it is cut again when shown).
const MAX_KEPT_CHARS: usize = 1_000;

/// How much work a fork may do, and a count of what it did so far.
#[derive(Clone, Debug)]
pub(crate) struct Bounds {
    /// The total time the fork may spend talking to the node.
    pub timeout: Duration,
    /// The most HTTP requests (a batch counts once).
    pub max_requests: u64,
    /// The requests sent so far (shared with whoever shows progress).
    pub progress: ForkProgress,
}

/// The requests a fork has sent so far, readable from another thread while it works (for a
/// progress line).
#[derive(Clone, Debug, Default)]
pub struct ForkProgress(Arc<AtomicU64>);

impl ForkProgress {
    /// A fresh count.
    pub fn new() -> ForkProgress {
        ForkProgress::default()
    }

    /// The requests sent so far.
    pub fn requests(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl PartialEq for ForkProgress {
    fn eq(&self, _: &ForkProgress) -> bool {
        // A counter is not part of what a fork is asked to do.
        true
    }
}

impl Eq for ForkProgress {}

/// A node's JSON-RPC endpoint.
#[derive(Debug)]
pub(crate) struct RpcClient {
    url: String,
    /// The URL's origin, shown in errors instead of the URL (its path may hold an API key).
    origin: String,
    agent: ureq::Agent,
    next_id: AtomicU64,
    bounds: Bounds,
    started: Instant,
}

impl RpcClient {
    /// A client for `url`; nothing is sent yet. The deadline counts from now.
    pub(crate) fn new(url: &str, bounds: Bounds) -> Result<RpcClient, ForkError> {
        let origin = origin(url)?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Ok(RpcClient {
            url: url.to_string(),
            origin,
            agent,
            next_id: AtomicU64::new(1),
            bounds,
            started: Instant::now(),
        })
    }

    /// Calls `method` with `params` and returns its result.
    pub(crate) fn call(&self, method: &str, params: Value) -> Result<Value, ForkError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let request = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        let answer = self.post(&request, method)?;
        result_of(&answer, method)
    }

    /// Sends the calls in one batch request and returns their results in the same order.
    pub(crate) fn batch(&self, calls: &[(&str, Value)]) -> Result<Vec<Value>, ForkError> {
        let first = self
            .next_id
            .fetch_add(calls.len() as u64, Ordering::Relaxed);
        let requests: Vec<Value> = calls
            .iter()
            .zip(first..)
            .map(|((method, params), id)| {
                json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
            })
            .collect();
        let label = calls.first().map_or("batch", |(method, _)| *method);
        let answer = self.post(&Value::Array(requests), label)?;
        let Value::Array(answers) = answer else {
            // A node that does not batch answers with one error object.
            return Err(match result_of(&answer, label) {
                Err(error) => error,
                Ok(_) => bad(label, "a batch was answered with a single object"),
            });
        };
        calls
            .iter()
            .zip(first..)
            .map(|((method, _), id)| {
                let answer = answers
                    .iter()
                    .find(|a| a.get("id").and_then(Value::as_u64) == Some(id))
                    .ok_or_else(|| bad(method, "the batch answer lacks this request"))?;
                result_of(answer, method)
            })
            .collect()
    }

    /// The time left before the deadline, or the error that it has passed.
    fn time_left(&self) -> Result<Duration, ForkError> {
        self.bounds
            .timeout
            .checked_sub(self.started.elapsed())
            .filter(|left| !left.is_zero())
            .ok_or_else(|| self.deadline_passed())
    }

    fn deadline_passed(&self) -> ForkError {
        ForkError::Deadline {
            timeout: self.bounds.timeout,
            requests: self.bounds.progress.requests(),
        }
    }

    fn post(&self, body: &Value, method: &str) -> Result<Value, ForkError> {
        let left = self.time_left()?;
        let sent = self.bounds.progress.0.fetch_add(1, Ordering::Relaxed);
        if sent >= self.bounds.max_requests {
            self.bounds.progress.0.fetch_sub(1, Ordering::Relaxed);
            return Err(ForkError::Budget {
                max: self.bounds.max_requests,
            });
        }
        let timeout = left.min(REQUEST_TIMEOUT);
        let unreachable = |error: ureq::Error| match error {
            ureq::Error::Timeout(_) if timeout < REQUEST_TIMEOUT => self.deadline_passed(),
            ureq::Error::BodyExceedsLimit(_) => ForkError::AnswerTooLarge {
                method: method.to_string(),
                limit: MAX_ANSWER_BYTES,
            },
            other => ForkError::Unreachable {
                node: self.origin.clone(),
                // The client's message may quote the URL: never its path.
                reason: keep(&other.to_string().replace(&self.url, &self.origin)),
            },
        };
        let mut response = self
            .agent
            .post(&self.url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .header("content-type", "application/json")
            .send(body.to_string())
            .map_err(unreachable)?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(unreachable)?;
        // JSON-RPC errors may come with an HTTP error status: prefer the node's own message.
        match serde_json::from_str::<Value>(&text) {
            Ok(answer) if status < 400 || answer.get("error").is_some() => Ok(answer),
            _ if status >= 400 => Err(ForkError::Http {
                node: self.origin.clone(),
                status,
            }),
            Ok(answer) => Ok(answer),
            Err(e) => Err(bad(method, &format!("not JSON: {e}"))),
        }
    }
}

/// The `result` of one JSON-RPC answer, or its `error`.
fn result_of(answer: &Value, method: &str) -> Result<Value, ForkError> {
    if let Some(error) = answer.get("error") {
        return Err(ForkError::Rpc {
            method: method.to_string(),
            code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
            message: error
                .get("message")
                .and_then(Value::as_str)
                .map_or_else(|| "no message".to_string(), keep),
        });
    }
    answer
        .get("result")
        .cloned()
        .ok_or_else(|| bad(method, "neither a result nor an error"))
}

/// `scheme://host[:port]` of an http(s) URL, or why it is not one: not http(s), no host, or
/// a port that is not a number from 1 to 65535 (the HTTP client would otherwise quietly use
/// the default port, sending the path, often an API key, to another server).
fn origin(url: &str) -> Result<String, ForkError> {
    let bad_url = || ForkError::BadUrl { url: keep(url) };
    let (scheme, rest) = url.split_once("://").ok_or_else(bad_url)?;
    if !matches!(scheme, "http" | "https") {
        return Err(bad_url());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Credentials before an `@` are not shown either.
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad_url());
    }
    // `[::1]:8545` or `host:8545`: the port is after the last `:` outside brackets.
    let name_end = host.rfind(']').map_or(0, |at| at + 1);
    let (name, port) = match host[name_end..].rfind(':') {
        Some(at) => (&host[..name_end + at], Some(&host[name_end + at + 1..])),
        None => (host, None),
    };
    if name.is_empty() || (name.starts_with('[') != name.ends_with(']')) {
        return Err(bad_url());
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p != 0);
        if !valid {
            return Err(ForkError::BadPort {
                node: keep(&format!("{scheme}://{name}")),
                port: keep(port),
            });
        }
    }
    Ok(format!("{scheme}://{host}"))
}

/// Outside text kept in an error: at most [`MAX_KEPT_CHARS`] characters (it is escaped and cut
/// shorter when shown; JSON and `Debug` see this bounded raw form).
pub(crate) fn keep(text: &str) -> String {
    match text.char_indices().nth(MAX_KEPT_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A [`ForkError::BadResponse`].
pub(crate) fn bad(method: &str, reason: &str) -> ForkError {
    ForkError::BadResponse {
        method: method.to_string(),
        reason: keep(reason),
    }
}

/// A quantity (`"0x1a"`) as a `U256`.
pub(crate) fn quantity(value: &Value, method: &str) -> Result<U256, ForkError> {
    let text = value
        .as_str()
        .ok_or_else(|| bad(method, &format!("expected a hex quantity, got {value}")))?;
    let digits = text
        .strip_prefix("0x")
        .ok_or_else(|| bad(method, &format!("`{text}` is not 0x-prefixed")))?;
    if digits.is_empty() {
        return Err(bad(method, "an empty quantity"));
    }
    U256::from_str_radix(digits, 16).map_err(|e| bad(method, &format!("`{text}`: {e}")))
}

/// A quantity that must fit a `u64` (block numbers, nonces, gas).
pub(crate) fn quantity_u64(value: &Value, method: &str) -> Result<u64, ForkError> {
    let wide = quantity(value, method)?;
    u64::try_from(wide).map_err(|_| bad(method, &format!("{wide} does not fit 64 bits")))
}

/// Hex data (`"0x…"`).
pub(crate) fn data(value: &Value, method: &str) -> Result<Bytes, ForkError> {
    let text = value
        .as_str()
        .ok_or_else(|| bad(method, &format!("expected hex data, got {value}")))?;
    hex::decode(text)
        .map(Bytes::from)
        .map_err(|e| bad(method, &format!("not hex data: {e}")))
}

/// A 32-byte hash.
pub(crate) fn hash(value: &Value, method: &str) -> Result<B256, ForkError> {
    let bytes = data(value, method)?;
    if bytes.len() != 32 {
        return Err(bad(method, "a hash is not 32 bytes long"));
    }
    Ok(B256::from_slice(&bytes))
}

/// A 20-byte address.
pub(crate) fn address(value: &Value, method: &str) -> Result<Address, ForkError> {
    let bytes = data(value, method)?;
    if bytes.len() != 20 {
        return Err(bad(method, "an address is not 20 bytes long"));
    }
    Ok(Address::from_slice(&bytes))
}

/// A block number as a JSON-RPC block tag.
pub(crate) fn block_tag(number: u64) -> Value {
    Value::String(format!("{number:#x}"))
}

/// A `U256` as a JSON-RPC quantity.
pub(crate) fn to_quantity(value: U256) -> Value {
    Value::String(format!("{value:#x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_hide_paths_and_credentials() {
        let ok = |url: &str| origin(url).ok();
        assert_eq!(
            ok("https://eth.example/v2/SECRET?x=1").as_deref(),
            Some("https://eth.example")
        );
        assert_eq!(
            ok("http://user:pw@127.0.0.1:8545/").as_deref(),
            Some("http://127.0.0.1:8545")
        );
        assert_eq!(
            ok("http://[::1]:8545/x").as_deref(),
            Some("http://[::1]:8545")
        );
        assert_eq!(ok("http://[::1]/x").as_deref(), Some("http://[::1]"));
        assert_eq!(ok("ws://127.0.0.1:8545"), None);
        assert_eq!(ok("127.0.0.1:8545"), None);
        assert_eq!(ok("http://"), None);
    }

    #[test]
    fn ports_out_of_range_are_refused_without_the_path() {
        for url in [
            "http://127.0.0.1:84082/v2/SECRET",
            "http://127.0.0.1:0/",
            "http://127.0.0.1:/",
            "http://127.0.0.1:80a/",
            "http://127.0.0.1:-1/",
            "https://[::1]:65536/",
        ] {
            match origin(url) {
                Err(error @ ForkError::BadPort { .. }) => {
                    assert!(!error.to_string().contains("SECRET"), "{error}");
                }
                other => panic!("{url}: expected a bad port, got {other:?}"),
            }
        }
        assert!(origin("http://127.0.0.1:65535/").is_ok());
    }

    #[test]
    fn quantities_and_data_decode() {
        assert_eq!(quantity(&json!("0x1a"), "m"), Ok(U256::from(26)));
        assert_eq!(quantity_u64(&json!("0x0"), "m"), Ok(0));
        assert!(quantity(&json!("1a"), "m").is_err());
        assert!(quantity(&json!("0x"), "m").is_err());
        assert!(quantity(&json!(26), "m").is_err());
        assert!(quantity_u64(&json!(format!("{:#x}", U256::MAX)), "m").is_err());
        assert_eq!(data(&json!("0x"), "m"), Ok(Bytes::new()));
        assert_eq!(data(&json!("0x00ff"), "m"), Ok(Bytes::from(vec![0, 255])));
        assert!(hash(&json!("0x00ff"), "m").is_err());
        assert_eq!(block_tag(255), json!("0xff"));
        assert_eq!(to_quantity(U256::from(16)), json!("0x10"));
    }

    #[test]
    fn errors_and_results_are_told_apart() {
        let error =
            json!({"jsonrpc": "2.0", "id": 1, "error": {"code": -32000, "message": "nope"}});
        assert_eq!(
            result_of(&error, "eth_call"),
            Err(ForkError::Rpc {
                method: "eth_call".into(),
                code: -32000,
                message: "nope".into()
            })
        );
        let ok = json!({"jsonrpc": "2.0", "id": 1, "result": "0x1"});
        assert_eq!(result_of(&ok, "eth_chainId"), Ok(json!("0x1")));
        assert!(result_of(&json!({}), "eth_chainId").is_err());
    }

    #[test]
    fn a_closed_port_is_unreachable_not_a_panic() {
        // Port 9 (discard) is closed on the loopback of any test machine.
        let bounds = Bounds {
            timeout: Duration::from_secs(10),
            max_requests: 10,
            progress: ForkProgress::new(),
        };
        let client = match RpcClient::new("http://127.0.0.1:9", bounds) {
            Ok(client) => client,
            Err(e) => panic!("{e}"),
        };
        match client.call("eth_chainId", json!([])) {
            Err(ForkError::Unreachable { node, .. }) => assert_eq!(node, "http://127.0.0.1:9"),
            other => panic!("expected unreachable, got {other:?}"),
        }
    }
}
