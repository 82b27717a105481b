//! `nestc doctor`: checks an address book (a stdlib chain module, handed over as plain
//! [`Entry`]s) against a chain: every token has code, the declared `decimals()` and a
//! matching `symbol()`; every protocol contract has code and answers a cheap identifying
//! call (an Aave Pool's `ADDRESSES_PROVIDER()`, the data provider the addresses provider
//! names, a router's `factory()`, a Comet's `baseToken()`, a 4626 vault's `asset()`, …).
//!
//! The chain is anything that answers [`Reader`]: a node over JSON-RPC ([`NodeReader`],
//! reads only, bounded: one request at most 30 s, one answer at most
//! [`MAX_ANSWER_BYTES`](crate::fork::MAX_ANSWER_BYTES)) or the in-memory devnet
//! ([`crate::deploy::World`]). Like the rest of the devnet, it knows nothing of Nest: the
//! caller turns the module into entries.

use std::time::Duration;

use alloy_primitives::{keccak256, Address, Bytes, U256};
use revm::DatabaseRef;
use serde_json::{json, Value};

use crate::deploy::World;
use crate::escape::inert_max as inert;
use crate::fork::{ForkError, MAX_ANSWER_BYTES};

/// What an address book says is at an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// An ERC-20 token with these decimals; `symbol` is what `symbol()` should answer
    /// (compared case-insensitively, ignoring punctuation; a trailing `0` as in USDT0 and
    /// `₮` for `T` are accepted).
    Token {
        /// The declared decimals.
        decimals: u8,
        /// The expected symbol.
        symbol: String,
    },
    /// A contract of this interface (the stdlib's name, e.g. `IPool`).
    Contract {
        /// The interface's name.
        interface: String,
    },
}

/// One name of an address book.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name (`USDC`, `AAVE_V3_POOL`).
    pub name: String,
    /// Its address.
    pub address: Address,
    /// What should be there.
    pub expect: Expect,
}

/// The verdict on one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The entry's name.
    pub name: String,
    /// Its address.
    pub address: Address,
    /// What was checked and found (when `ok`), or what does not match.
    pub detail: String,
    /// Whether everything checked matched.
    pub ok: bool,
}

/// A chain that can be read: code at an address, and a read-only call.
pub trait Reader {
    /// The code at `address` (empty for none).
    fn code(&self, address: Address) -> Result<Bytes, ForkError>;
    /// The answer of a read-only call, or `None` when it reverted.
    fn call(&self, to: Address, data: Vec<u8>) -> Result<Option<Bytes>, ForkError>;
}

impl Reader for World {
    fn code(&self, address: Address) -> Result<Bytes, ForkError> {
        let info = self
            .db
            .basic_ref(address)
            .map_err(|e| ForkError::BadResponse {
                method: "devnet".into(),
                reason: format!("{e:?}"),
            })?;
        Ok(info
            .and_then(|i| i.code)
            .map(|c| c.original_bytes())
            .unwrap_or_default())
    }

    fn call(&self, to: Address, data: Vec<u8>) -> Result<Option<Bytes>, ForkError> {
        Ok(self.view(to, data).ok())
    }
}

/// A node over JSON-RPC, read at its latest block.
#[derive(Debug)]
pub struct NodeReader {
    url: String,
    node: String,
    agent: ureq::Agent,
}

/// How long one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl NodeReader {
    /// A reader for `url` (`http://` or `https://`); nothing is sent yet.
    pub fn new(url: &str) -> Result<NodeReader, ForkError> {
        let node = origin(url).ok_or_else(|| ForkError::BadUrl {
            url: inert(url, 200),
        })?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .timeout_connect(Some(Duration::from_secs(5)))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Ok(NodeReader {
            url: url.to_string(),
            node,
            agent,
        })
    }

    /// The node's chain id.
    pub fn chain_id(&self) -> Result<u64, ForkError> {
        let value = self.request("eth_chainId", json!([]))?;
        value
            .as_str()
            .and_then(|s| u64::from_str_radix(s.trim_start_matches("0x"), 16).ok())
            .ok_or_else(|| bad("eth_chainId", "not a quantity"))
    }

    /// One JSON-RPC request; its result, or the node's error.
    fn request(&self, method: &str, params: Value) -> Result<Value, ForkError> {
        let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let unreachable = |reason: String| ForkError::Unreachable {
            node: self.node.clone(),
            reason,
        };
        let mut response = self
            .agent
            .post(&self.url)
            .header("content-type", "application/json")
            .send(body.to_string())
            .map_err(|e| unreachable(e.to_string()))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(ForkError::Http {
                node: self.node.clone(),
                status,
            });
        }
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(|e| unreachable(e.to_string()))?;
        let answer: Value =
            serde_json::from_str(&text).map_err(|_| bad(method, "the answer is not JSON"))?;
        if let Some(error) = answer.get("error") {
            return Err(ForkError::Rpc {
                method: method.to_string(),
                code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
                message: inert(
                    error.get("message").and_then(Value::as_str).unwrap_or(""),
                    300,
                ),
            });
        }
        answer
            .get("result")
            .cloned()
            .ok_or_else(|| bad(method, "the answer has no result"))
    }
}

impl Reader for NodeReader {
    fn code(&self, address: Address) -> Result<Bytes, ForkError> {
        let value = self.request("eth_getCode", json!([address, "latest"]))?;
        hex_bytes(&value).ok_or_else(|| bad("eth_getCode", "not hex data"))
    }

    fn call(&self, to: Address, data: Vec<u8>) -> Result<Option<Bytes>, ForkError> {
        let params = json!([{ "to": to, "data": Bytes::from(data) }, "latest"]);
        match self.request("eth_call", params) {
            Ok(value) => hex_bytes(&value)
                .map(Some)
                .ok_or_else(|| bad("eth_call", "not hex data")),
            // Nodes tell a revert by code 3 (geth, reth), or by its message (Hardhat, Anvil).
            Err(ForkError::Rpc { code, message, .. })
                if code == 3 || message.to_ascii_lowercase().contains("revert") =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

fn bad(method: &str, reason: &str) -> ForkError {
    ForkError::BadResponse {
        method: method.to_string(),
        reason: reason.to_string(),
    }
}

fn hex_bytes(value: &Value) -> Option<Bytes> {
    value.as_str()?.parse().ok()
}

/// `scheme://host:port` of an `http(s)://` URL (the path may hold an API key).
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let default_port = match scheme {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    if host_port.is_empty() {
        return None;
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || host_port.starts_with('[') => {
            (h, p.parse::<u16>().ok().filter(|p| *p > 0)?)
        }
        _ => (host_port, default_port),
    };
    Some(format!("{scheme}://{host}:{port}"))
}

/// The chain modules' chain ids.
pub const CHAIN_IDS: &[(&str, u64)] = &[
    ("ethereum", 1),
    ("arbitrum", 42161),
    ("optimism", 10),
    ("polygon", 137),
    ("base", 8453),
];

/// Checks every entry of `book` on `chain`, in the book's order. An error only when the
/// chain could not be read; what does not match is a finding with `ok: false`.
pub fn check(book: &[Entry], chain: &dyn Reader) -> Result<Vec<Finding>, ForkError> {
    book.iter()
        .map(|entry| check_one(book, entry, chain))
        .collect()
}

fn check_one(book: &[Entry], entry: &Entry, chain: &dyn Reader) -> Result<Finding, ForkError> {
    let finding = |ok: bool, detail: String| Finding {
        name: entry.name.clone(),
        address: entry.address,
        detail,
        ok,
    };
    if chain.code(entry.address)?.is_empty() {
        return Ok(finding(false, "no code at this address".into()));
    }
    let problems = match &entry.expect {
        Expect::Token { decimals, symbol } => check_token(chain, entry.address, *decimals, symbol)?,
        Expect::Contract { interface } => check_contract(book, chain, entry, interface)?,
    };
    Ok(match problems {
        Err(problem) => finding(false, problem),
        Ok(found) => finding(true, found),
    })
}

/// The first four bytes of the signature's hash.
fn selector(signature: &str) -> Vec<u8> {
    keccak256(signature.as_bytes())[..4].to_vec()
}

/// `selector ‖ words`.
fn calldata(signature: &str, words: &[U256]) -> Vec<u8> {
    let mut data = selector(signature);
    for w in words {
        data.extend_from_slice(&w.to_be_bytes::<32>());
    }
    data
}

/// The first word of an answer.
fn word(answer: &[u8]) -> Option<U256> {
    (answer.len() >= 32).then(|| U256::from_be_slice(&answer[..32]))
}

/// The first word of an answer as an address (its upper 12 bytes zero).
fn address_word(answer: &[u8]) -> Option<Address> {
    let w = word(answer)?;
    (w >> 160usize == U256::ZERO).then(|| Address::from_word(w.into()))
}

/// A string answer: ABI `string`, or a `bytes32` padded with zeros (old tokens).
fn string_answer(answer: &[u8]) -> Option<String> {
    if answer.len() >= 64 {
        let offset = usize::try_from(word(answer)?).ok()?;
        let len_end = offset.checked_add(32)?;
        let len = usize::try_from(word(answer.get(offset..len_end)?)?).ok()?;
        let text = answer.get(len_end..len_end.checked_add(len)?)?;
        return String::from_utf8(text.to_vec()).ok();
    }
    if answer.len() == 32 {
        let text: Vec<u8> = answer.iter().copied().take_while(|b| *b != 0).collect();
        return String::from_utf8(text).ok();
    }
    None
}

/// Letters and digits only, upper case, `₮` read as `T`.
fn normalise(symbol: &str) -> String {
    symbol
        .chars()
        .map(|c| if c == '₮' { 'T' } else { c })
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether a token's `symbol()` matches the expected one.
pub fn symbol_matches(found: &str, expected: &str) -> bool {
    let (found, expected) = (normalise(found), normalise(expected));
    !found.is_empty() && (found == expected || found == format!("{expected}0"))
}

type Verdict = Result<String, String>;

fn check_token(
    chain: &dyn Reader,
    token: Address,
    decimals: u8,
    symbol: &str,
) -> Result<Verdict, ForkError> {
    let answer = chain.call(token, selector("decimals()"))?;
    let found = answer.as_ref().and_then(|a| word(a));
    match found {
        None => return Ok(Err("`decimals()` reverted or answered nothing".into())),
        Some(d) if d != U256::from(decimals) => {
            return Ok(Err(format!(
                "`decimals()` is {d}, the book says {decimals}"
            )))
        }
        Some(_) => {}
    }
    let found_symbol = chain
        .call(token, selector("symbol()"))?
        .as_ref()
        .and_then(|a| string_answer(a));
    Ok(match found_symbol {
        // A token without a readable symbol is judged by its decimals alone.
        None => Ok(format!("token, {decimals} decimals (no readable symbol)")),
        Some(s) if symbol_matches(&s, symbol) => Ok(format!(
            "token, {decimals} decimals, symbol {}",
            inert(&s, 40)
        )),
        Some(s) => Err(format!(
            "`symbol()` is `{}`, expected `{symbol}`",
            inert(&s, 40)
        )),
    })
}

/// The address of the book's only entry of `interface`, if it has exactly one.
fn book_contract(book: &[Entry], interface: &str) -> Option<(String, Address)> {
    let mut found = book
        .iter()
        .filter(|e| matches!(&e.expect, Expect::Contract { interface: i } if i == interface));
    match (found.next(), found.next()) {
        (Some(e), None) => Some((e.name.clone(), e.address)),
        _ => None,
    }
}

/// Calls a getter answering an address and compares it with `expected` (name, address),
/// or, without one, checks that the answer has code.
fn getter_is(
    chain: &dyn Reader,
    at: Address,
    getter: &str,
    expected: Option<(String, Address)>,
) -> Result<Verdict, ForkError> {
    let Some(found) = chain
        .call(at, selector(getter))?
        .as_ref()
        .and_then(|a| address_word(a))
    else {
        return Ok(Err(format!("`{getter}` reverted or is not an address")));
    };
    Ok(match expected {
        Some((name, address)) if found == address => Ok(format!("`{getter}` is {name}")),
        Some((name, address)) => Err(format!("`{getter}` is {found}, but {name} is {address}")),
        None if chain.code(found)?.is_empty() => {
            Err(format!("`{getter}` is {found}, which has no code"))
        }
        None => Ok(format!("`{getter}` is {found}")),
    })
}

/// Calls a function and checks that it answers at least `words` words.
fn answers(
    chain: &dyn Reader,
    at: Address,
    signature: &str,
    args: &[U256],
    words: usize,
) -> Result<Verdict, ForkError> {
    let answer = chain.call(at, calldata(signature, args))?;
    Ok(match answer {
        Some(a) if a.len() >= 32 * words => Ok(format!("answers `{signature}`")),
        _ => Err(format!("does not answer `{signature}`")),
    })
}

fn check_contract(
    book: &[Entry],
    chain: &dyn Reader,
    entry: &Entry,
    interface: &str,
) -> Result<Verdict, ForkError> {
    let at = entry.address;
    let token_named = |name: &str| {
        book.iter()
            .find(|e| e.name == name && matches!(e.expect, Expect::Token { .. }))
            .map(|e| (e.name.clone(), e.address))
    };
    match interface {
        "IPool" => getter_is(
            chain,
            at,
            "ADDRESSES_PROVIDER()",
            book_contract(book, "IPoolAddressesProvider"),
        ),
        "IPoolAddressesProvider" => getter_is(chain, at, "getPool()", book_contract(book, "IPool")),
        "IPoolDataProvider" => match book_contract(book, "IPoolAddressesProvider") {
            Some((name, provider)) => {
                let found = chain
                    .call(provider, selector("getPoolDataProvider()"))?
                    .as_ref()
                    .and_then(|a| address_word(a));
                Ok(match found {
                    Some(current) if current == at => {
                        Ok(format!("is {name}'s `getPoolDataProvider()`"))
                    }
                    Some(current) => Err(format!(
                        "{name}'s `getPoolDataProvider()` is {current}: this provider is stale"
                    )),
                    None => Err(format!("{name}'s `getPoolDataProvider()` did not answer")),
                })
            }
            None => answers(chain, at, "getAllReservesTokens()", &[], 2),
        },
        "IUniswapV2Router" => getter_is(
            chain,
            at,
            "factory()",
            book_contract(book, "IUniswapV2Factory"),
        ),
        "ISwapRouter02" | "IQuoterV2" => getter_is(
            chain,
            at,
            "factory()",
            book_contract(book, "IUniswapV3Factory"),
        ),
        "IUniswapV2Factory" => answers(chain, at, "allPairsLength()", &[], 1),
        "IUniswapV3Factory" => {
            let spacing = chain
                .call(
                    at,
                    calldata("feeAmountTickSpacing(uint24)", &[U256::from(500)]),
                )?
                .as_ref()
                .and_then(|a| word(a));
            Ok(match spacing {
                Some(s) if s == U256::from(10) => Ok("the 0.05% tier has tick spacing 10".into()),
                _ => Err("`feeAmountTickSpacing(500)` is not 10".into()),
            })
        }
        "IComet" => {
            // COMPOUND_V3_USDC_E lends USDC_E: the market's name ends with its base token's.
            let base = entry
                .name
                .strip_prefix("COMPOUND_V3_")
                .and_then(token_named);
            getter_is(chain, at, "baseToken()", base)
        }
        "IERC4626" => getter_is(chain, at, "asset()", None),
        "ICurvePool" => getter_is_arg(chain, at, "coins(uint256)"),
        // Its owner may be an account without code: any non-zero address identifies it.
        "IMorpho" => Ok(
            match chain
                .call(at, selector("owner()"))?
                .as_ref()
                .and_then(|a| address_word(a))
            {
                Some(owner) if owner != Address::ZERO => Ok(format!("`owner()` is {owner}")),
                _ => Err("`owner()` is not a non-zero address".into()),
            },
        ),
        "IPermit2" => answers(
            chain,
            at,
            "allowance(address,address,address)",
            &[U256::ZERO; 3],
            3,
        ),
        _ => Ok(Ok(
            "has code (no identifying call known for this interface)".into(),
        )),
    }
}

/// `coins(0)` is a token with code.
fn getter_is_arg(chain: &dyn Reader, at: Address, signature: &str) -> Result<Verdict, ForkError> {
    let found = chain
        .call(at, calldata(signature, &[U256::ZERO]))?
        .as_ref()
        .and_then(|a| address_word(a));
    Ok(match found {
        Some(coin) if !chain.code(coin)?.is_empty() => Ok(format!("`coins(0)` is {coin}")),
        _ => Err("`coins(0)` is not a contract".into()),
    })
}

/// The findings as text: one line per entry, mismatches marked, and a summary.
pub fn render(chain: &str, findings: &[Finding]) -> String {
    let width = findings.iter().map(|f| f.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for f in findings {
        let mark = if f.ok { "ok      " } else { "MISMATCH" };
        out.push_str(&format!(
            "{mark}  {:width$}  {}  {}\n",
            f.name, f.address, f.detail
        ));
    }
    let bad = findings.iter().filter(|f| !f.ok).count();
    if bad == 0 {
        out.push_str(&format!(
            "std::{chain}: all {} addresses match\n",
            findings.len()
        ));
    } else {
        out.push_str(&format!(
            "std::{chain}: {bad} of {} addresses do not match\n",
            findings.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_compare_loosely_but_not_too_loosely() {
        assert!(symbol_matches("USDC.e", "USDC_E"));
        assert!(symbol_matches("USD₮0", "USDT"));
        assert!(symbol_matches("usdbc", "USDBC"));
        assert!(!symbol_matches("DAI", "USDC"));
        assert!(!symbol_matches("", "USDC"));
    }

    #[test]
    fn origins_hide_paths() {
        assert_eq!(
            origin("https://user:key@node.example/v2/SECRET").as_deref(),
            Some("https://node.example:443")
        );
        assert_eq!(
            origin("http://127.0.0.1:8545").as_deref(),
            Some("http://127.0.0.1:8545")
        );
        assert_eq!(origin("ws://x"), None);
        assert_eq!(origin("http://x:0"), None);
    }

    #[test]
    fn strings_decode_from_abi_and_bytes32() {
        let mut abi = vec![0u8; 96];
        abi[31] = 32;
        abi[63] = 4;
        abi[64..68].copy_from_slice(b"USDC");
        assert_eq!(string_answer(&abi).as_deref(), Some("USDC"));
        let mut b32 = vec![0u8; 32];
        b32[..3].copy_from_slice(b"MKR");
        assert_eq!(string_answer(&b32).as_deref(), Some("MKR"));
    }
}
