//! The families' events naming the vault as the owner, read with `eth_getLogs` in block ranges
//! that shrink when the node refuses one (too many results, too wide a range, too large an
//! answer).

use alloy_primitives::{Address, B256};
use nest_permissions::{Grant, EVENT_GRANTS};
use serde_json::{json, Value};

use super::transient::retry;
use crate::fork::error::ForkError;
use crate::fork::rpc::{self, RpcClient};

/// The widest range asked for at once; nodes commonly cap ranges at 10,000 blocks or less.
pub(super) const FIRST_SPAN: u64 = 10_000;

/// A grant event's log: what it announces, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GrantLog {
    pub grant: Grant,
    pub block: u64,
    pub tx: B256,
    /// The log's index in its block, to order logs of one block.
    pub index: u64,
}

/// Every grant event of the vault in `from..=to`, oldest first, and the number of
/// `eth_getLogs` requests sent.
pub(super) fn scan(
    rpc: &RpcClient,
    vault: Address,
    from: u64,
    to: u64,
    progress: &dyn Fn(String),
) -> Result<(Vec<GrantLog>, u64), ForkError> {
    let mut found = Vec::new();
    let mut requests = 0;
    // One filter per topic holding the owner: topic 0 any of the events', the owner the vault.
    let mut owners: Vec<usize> = EVENT_GRANTS.iter().map(|e| e.owner).collect();
    owners.sort_unstable();
    owners.dedup();
    for owner in owners {
        let mut hashes: Vec<String> = EVENT_GRANTS
            .iter()
            .filter(|e| e.owner == owner)
            .map(|e| e.topic().to_string())
            .collect();
        hashes.sort();
        hashes.dedup();
        let mut topics = vec![json!(hashes)];
        topics.resize(owner, Value::Null);
        topics.push(json!(vault.into_word().to_string()));
        let mut start = from;
        let mut span = FIRST_SPAN;
        while start <= to {
            let end = to.min(start.saturating_add(span - 1));
            let filter = json!([{
                "fromBlock": rpc::block_tag(start),
                "toBlock": rpc::block_tag(end),
                "topics": topics,
            }]);
            requests += 1;
            match retry(|| rpc.call("eth_getLogs", filter.clone())) {
                Ok(answer) => {
                    found.extend(decode(&answer, vault)?);
                    progress(format!(
                        "logs: blocks {start}..={end} ({} grant events so far)",
                        found.len()
                    ));
                    start = end + 1;
                    // A range that worked: try a wider one next.
                    span = span.saturating_mul(2).min(FIRST_SPAN * 16);
                }
                Err(error) if refused_range(&error) && span > 1 => {
                    span = (span / 2).max(1);
                }
                Err(error) => return Err(error),
            }
        }
    }
    found.sort_by_key(|l| (l.block, l.index));
    Ok((found, requests))
}

/// Whether the node refused the range itself (too many logs, too many blocks, too large an
/// answer), so a narrower one may work: any JSON-RPC error or an over-long answer.
fn refused_range(error: &ForkError) -> bool {
    matches!(
        error,
        ForkError::Rpc { .. } | ForkError::AnswerTooLarge { .. }
    )
}

/// The grants the logs of an `eth_getLogs` answer announce.
fn decode(answer: &Value, vault: Address) -> Result<Vec<GrantLog>, ForkError> {
    const M: &str = "eth_getLogs";
    let logs = answer
        .as_array()
        .ok_or_else(|| rpc::bad(M, "the answer is not a list of logs"))?;
    let mut out = Vec::new();
    for log in logs {
        if log.get("removed").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let field = |k: &str| {
            log.get(k)
                .ok_or_else(|| rpc::bad(M, &format!("a log without `{k}`")))
        };
        let topics = field("topics")?
            .as_array()
            .ok_or_else(|| rpc::bad(M, "`topics` is not a list"))?
            .iter()
            .map(|t| rpc::hash(t, M))
            .collect::<Result<Vec<B256>, ForkError>>()?;
        let data = rpc::data(field("data")?, M)?;
        let contract = rpc::address(field("address")?, M)?;
        let Some(grant) = Grant::from_log(contract, &topics, &data, vault) else {
            continue;
        };
        out.push(GrantLog {
            grant,
            block: rpc::quantity_u64(field("blockNumber")?, M)?,
            tx: rpc::hash(field("transactionHash")?, M)?,
            index: rpc::quantity_u64(field("logIndex")?, M)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, keccak256};

    #[test]
    fn logs_decode_into_grants_and_others_are_skipped() {
        let vault = address!("0x1111111111111111111111111111111111111111");
        let spender = address!("0x3333333333333333333333333333333333333333");
        let approval = keccak256("Approval(address,address,uint256)");
        let answer = json!([
            {
                "address": "0x4444444444444444444444444444444444444444",
                "topics": [approval.to_string(), vault.into_word().to_string(), spender.into_word().to_string()],
                "data": format!("0x{:064x}", 5),
                "blockNumber": "0x10", "transactionHash": B256::repeat_byte(7).to_string(), "logIndex": "0x2"
            },
            {
                "address": "0x4444444444444444444444444444444444444444",
                "topics": [keccak256("Transfer(address,address,uint256)").to_string(), vault.into_word().to_string(), spender.into_word().to_string()],
                "data": "0x", "blockNumber": "0x10", "transactionHash": B256::repeat_byte(7).to_string(), "logIndex": "0x3"
            },
            {
                "address": "0x4444444444444444444444444444444444444444",
                "topics": [approval.to_string(), vault.into_word().to_string(), spender.into_word().to_string()],
                "data": "0x", "blockNumber": "0x11", "transactionHash": B256::repeat_byte(8).to_string(), "logIndex": "0x0",
                "removed": true
            }
        ]);
        let found = decode(&answer, vault).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].grant.family.id, "erc20-allowance");
        assert_eq!(found[0].grant.grantee(), spender);
        assert_eq!((found[0].block, found[0].index), (16, 2));
        assert!(decode(&json!({}), vault).is_err());
    }

    #[test]
    fn only_node_refusals_shrink_the_range() {
        let rpc_error = ForkError::Rpc {
            method: "eth_getLogs".into(),
            code: -32005,
            message: "query returned more than 10000 results".into(),
        };
        assert!(refused_range(&rpc_error));
        assert!(!refused_range(&ForkError::Budget { max: 1 }));
    }
}
