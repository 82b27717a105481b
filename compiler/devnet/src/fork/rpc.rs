//! A blocking JSON-RPC 2.0 client over HTTP, and the hex encodings Ethereum nodes use.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use alloy_primitives::{hex, Address, Bytes, B256, U256};
use serde_json::{json, Value};

use super::error::ForkError;

/// How long one request may take, connecting included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest answer read (a batch of contract codes stays far below it).
const MAX_ANSWER_BYTES: u64 = 64 << 20;

/// A node's JSON-RPC endpoint.
#[derive(Debug)]
pub(crate) struct RpcClient {
    url: String,
    /// The URL's origin, shown in errors instead of the URL (its path may hold an API key).
    origin: String,
    agent: ureq::Agent,
    next_id: AtomicU64,
}

impl RpcClient {
    /// A client for `url`; nothing is sent yet.
    pub(crate) fn new(url: &str) -> Result<RpcClient, ForkError> {
        let origin = origin(url).ok_or_else(|| ForkError::BadUrl {
            url: url.to_string(),
        })?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .http_status_as_error(false)
            .build()
            .into();
        Ok(RpcClient {
            url: url.to_string(),
            origin,
            agent,
            next_id: AtomicU64::new(1),
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

    fn post(&self, body: &Value, method: &str) -> Result<Value, ForkError> {
        let unreachable = |reason: String| ForkError::Unreachable {
            node: self.origin.clone(),
            reason,
        };
        let mut response = self
            .agent
            .post(&self.url)
            .header("content-type", "application/json")
            .send(body.to_string())
            .map_err(|e| unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(|e| unreachable(e.to_string()))?;
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
                .unwrap_or("no message")
                .to_string(),
        });
    }
    answer
        .get("result")
        .cloned()
        .ok_or_else(|| bad(method, "neither a result nor an error"))
}

/// `scheme://host[:port]` of an http(s) URL, or `None` when it is not one.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    // Credentials before an `@` are not shown either.
    let host = authority.rsplit('@').next()?;
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    Some(format!("{scheme}://{host}"))
}

/// A [`ForkError::BadResponse`].
pub(crate) fn bad(method: &str, reason: &str) -> ForkError {
    ForkError::BadResponse {
        method: method.to_string(),
        reason: reason.to_string(),
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
        assert_eq!(
            origin("https://eth.example/v2/SECRET?x=1").as_deref(),
            Some("https://eth.example")
        );
        assert_eq!(
            origin("http://user:pw@127.0.0.1:8545/").as_deref(),
            Some("http://127.0.0.1:8545")
        );
        assert_eq!(origin("ws://127.0.0.1:8545"), None);
        assert_eq!(origin("127.0.0.1:8545"), None);
        assert_eq!(origin("http://"), None);
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
        let client = match RpcClient::new("http://127.0.0.1:9") {
            Ok(client) => client,
            Err(e) => panic!("{e}"),
        };
        match client.call("eth_chainId", json!([])) {
            Err(ForkError::Unreachable { node, .. }) => assert_eq!(node, "http://127.0.0.1:9"),
            other => panic!("expected unreachable, got {other:?}"),
        }
    }
}
