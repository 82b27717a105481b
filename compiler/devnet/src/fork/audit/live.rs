//! Reading candidate grants back at the head block (`eth_call`), so revoked ones drop out, with
//! the symbol and decimals of the token each is over.

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::SolValue;
use nest_permissions::{selector, Grant};
use serde_json::{json, Value};

use super::transient::retry;
use crate::escape::inert;
use crate::fork::block::ForkBlock;
use crate::fork::error::ForkError;
use crate::fork::rpc::{self, RpcClient};

/// Calls sent in one batch request.
const CALLS_PER_BATCH: usize = 50;

/// A permission in force at the head block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LivePermission {
    pub grant: Grant,
    /// The amount (for allowances) or 1; `None` when it cannot be read back (the family has
    /// no view, or the view failed): it is then counted as live.
    pub level: Option<U256>,
    /// The token or contract it is over, and its symbol and decimals where it answers them.
    pub subject: Address,
    pub symbol: Option<String>,
    pub decimals: Option<u8>,
    /// The transaction and block of the latest grant seen.
    pub granted_by: Option<(B256, u64)>,
}

/// The candidates that are in force at `head` (or cannot be read back), each once, in the
/// order first seen; the latest grant names the transaction.
pub(super) fn read_back(
    rpc: &RpcClient,
    vault: Address,
    head: &ForkBlock,
    candidates: Vec<(Grant, Option<(B256, u64)>)>,
) -> Result<Vec<LivePermission>, ForkError> {
    let mut unique: Vec<(Grant, Option<(B256, u64)>)> = Vec::new();
    for (grant, at) in candidates {
        let key = grant.key(vault);
        match unique.iter_mut().find(|(g, _)| g.key(vault) == key) {
            Some(seen) => {
                if at.map(|a| a.1) >= seen.1.map(|a| a.1) {
                    seen.1 = at;
                }
            }
            None => unique.push((grant, at)),
        }
    }
    let reads: Vec<(Address, Vec<u8>)> = unique
        .iter()
        .filter_map(|(g, _)| g.read_calldata(vault).map(|d| (g.contract, d)))
        .collect();
    let answers = calls(rpc, head.number, &reads)?;
    let mut answers = answers.into_iter();
    let mut live: Vec<LivePermission> = Vec::new();
    for (mut grant, granted_by) in unique {
        let mut level = match grant.read_calldata(vault) {
            Some(_) => answers
                .next()
                .flatten()
                .and_then(|answer| grant.level(&answer, head.timestamp)),
            None => None,
        };
        // An ERC-20 `approve` call on a contract without `allowance` is an ERC-721's
        // per-token approval (the same selector): read it with `getApproved`.
        if level.is_none() {
            if let Some(nft) = grant.as_erc721_approval() {
                let read = nft.read_calldata(vault).unwrap_or_default();
                let answer = calls(rpc, head.number, &[(nft.contract, read)])?;
                if let Some(l) = answer[0]
                    .as_ref()
                    .and_then(|a| nft.level(a, head.timestamp))
                {
                    level = Some(l);
                    grant = nft;
                }
            }
        }
        if level.is_some_and(|l| l.is_zero()) {
            continue;
        }
        if live.iter().any(|p| p.grant.key(vault) == grant.key(vault)) {
            continue;
        }
        live.push(LivePermission {
            subject: grant.subject(),
            grant,
            level,
            symbol: None,
            decimals: None,
            granted_by,
        });
    }
    // The symbol and decimals of each token the permissions are over.
    let mut subjects: Vec<Address> = live.iter().map(|p| p.subject).collect();
    subjects.sort();
    subjects.dedup();
    let meta_calls: Vec<(Address, Vec<u8>)> = subjects
        .iter()
        .flat_map(|s| {
            [
                (*s, selector("symbol()").to_vec()),
                (*s, selector("decimals()").to_vec()),
            ]
        })
        .collect();
    let meta = calls(rpc, head.number, &meta_calls)?;
    for (s, pair) in subjects.iter().zip(meta.chunks(2)) {
        let symbol = pair[0].as_ref().and_then(|b| symbol_of(b));
        let decimals = pair[1].as_ref().and_then(|b| decimals_of(b));
        for p in live.iter_mut().filter(|p| p.subject == *s) {
            p.symbol = symbol.clone();
            p.decimals = decimals;
        }
    }
    Ok(live)
}

/// `eth_call`s at `block`, batched: each answer, or `None` where the call reverted.
fn calls(
    rpc: &RpcClient,
    block: u64,
    calls: &[(Address, Vec<u8>)],
) -> Result<Vec<Option<Bytes>>, ForkError> {
    let mut out = Vec::with_capacity(calls.len());
    for chunk in calls.chunks(CALLS_PER_BATCH) {
        let requests: Vec<(&str, Value)> = chunk
            .iter()
            .map(|(to, data)| {
                let call =
                    json!({ "to": to, "data": alloy_primitives::hex::encode_prefixed(data) });
                ("eth_call", json!([call, rpc::block_tag(block)]))
            })
            .collect();
        // One by one, so that a reverted call is an answer, not the batch's failure.
        for (method, params) in requests {
            match retry(|| rpc.call(method, params.clone())) {
                Ok(v) => out.push(Some(rpc::data(&v, method)?)),
                Err(ForkError::Rpc { .. }) => out.push(None),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(out)
}

/// A `symbol()` answer: an ABI string, or a `bytes32` (older tokens); shown inert.
fn symbol_of(answer: &[u8]) -> Option<String> {
    if let Ok(s) = String::abi_decode(answer) {
        return (!s.is_empty()).then(|| inert(&s).chars().take(32).collect());
    }
    let word = answer.get(..32)?;
    let bytes: Vec<u8> = word.iter().copied().take_while(|b| *b != 0).collect();
    String::from_utf8(bytes)
        .ok()
        .filter(|s| !s.is_empty())
        .map(|s| inert(&s).chars().take(32).collect())
}

/// A `decimals()` answer that fits a `u8`.
fn decimals_of(answer: &[u8]) -> Option<u8> {
    let word = answer.get(..32)?;
    u8::try_from(U256::from_be_slice(word)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_and_decimals_decode() {
        let string = "USDC".to_string().abi_encode();
        assert_eq!(symbol_of(&string).as_deref(), Some("USDC"));
        let mut word = [0u8; 32];
        word[..3].copy_from_slice(b"MKR");
        assert_eq!(symbol_of(&word).as_deref(), Some("MKR"));
        assert_eq!(symbol_of(&[]), None);
        assert_eq!(decimals_of(&U256::from(6).to_be_bytes::<32>()), Some(6));
        assert_eq!(decimals_of(&U256::from(300).to_be_bytes::<32>()), None);
    }
}
