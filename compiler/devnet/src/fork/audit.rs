//! What a vault's history and its chain state say about it: the permissions it still holds out,
//! and every HyVM payload it ran (`nestc audit`).
//!
//! [`audit`] reads, over JSON-RPC only:
//! - the families' events naming the vault as the owner (`eth_getLogs`, in ranges that shrink
//!   when the node refuses one), and the granting calls its replayed transactions made; each
//!   candidate is then read back at the head block (`eth_call`), so revoked ones drop out;
//! - the transactions to the vault in the range (every block's transactions) and those named
//!   by hash, each replayed in the embedded EVM on a fork at its parent block, with an
//!   inspector that records the vault's DELEGATECALLs to the HyVM: their calldata is the
//!   payload, whatever the vault's ABI.
//!
//! It knows nothing of Nest: classifying payloads is the caller's.

mod history;
mod live;
mod logs;
mod trace;
mod transient;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use alloy_primitives::{Address, B256};
use serde_json::json;

pub use history::{PayloadRun, Replayed, TxInfo};
pub use live::LivePermission;
/// The permission model the audit's results are in, for callers that write revocations.
pub use nest_permissions::{granting, selector, Arg, Call, Grant};

use super::block::ForkBlock;
use super::error::ForkError;
use super::rpc::{self, Bounds, ForkProgress, RpcClient};
use transient::retry;

/// What to audit, and how hard the node may be asked.
#[derive(Clone, Debug)]
pub struct AuditOptions {
    /// The node's JSON-RPC URL.
    pub url: String,
    pub vault: Address,
    /// The address the vault DELEGATECALLs to run payloads.
    pub hyvm: Address,
    /// The first block scanned (0 when `None`).
    pub from_block: Option<u64>,
    /// The last block scanned, and the block whose state permissions are read at (the head
    /// when `None`).
    pub to_block: Option<u64>,
    /// More transactions to replay (from an indexer, for ranges too long to scan).
    pub txs: Vec<B256>,
    /// Whether to read every block's transactions in the range for ones sent to the vault.
    pub scan_blocks: bool,
    /// The total time the audit may spend talking to the node.
    pub timeout: Duration,
    /// The most HTTP requests it may send.
    pub max_requests: u64,
    /// Transactions replayed at once.
    pub concurrency: usize,
}

impl AuditOptions {
    /// Defaults: scan every block, 10 minutes, 200,000 requests, 4 replays at once.
    pub fn new(url: &str, vault: Address, hyvm: Address) -> AuditOptions {
        AuditOptions {
            url: url.to_string(),
            vault,
            hyvm,
            from_block: None,
            to_block: None,
            txs: Vec::new(),
            scan_blocks: true,
            timeout: Duration::from_secs(600),
            max_requests: 200_000,
            concurrency: 4,
        }
    }
}

/// One transaction of the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRecord {
    pub tx: TxInfo,
    /// What the replay saw, or why it could not run.
    pub replay: Result<Replayed, ForkError>,
}

/// How long each part took, and how much it covered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanStats {
    pub blocks: u64,
    pub log_requests: u64,
    pub logs_time: Duration,
    pub blocks_time: Duration,
    pub replayed: u64,
    pub replay_time: Duration,
    pub requests: u64,
}

/// What the audit found.
#[derive(Clone, Debug, PartialEq)]
pub struct Audit {
    pub chain_id: u64,
    /// The block the permissions were read at (the range's end).
    pub head: u64,
    pub from_block: u64,
    /// Permissions in force at `head` (or that cannot be read back: `level` is `None`).
    pub permissions: Vec<LivePermission>,
    /// The transactions replayed, in chain order.
    pub transactions: Vec<TxRecord>,
    /// Why the history is incomplete, when the node lacks what it needs (historical state):
    /// the permissions are still complete.
    pub history_error: Option<String>,
    /// How the history was read when not by replaying (one sentence each).
    pub notes: Vec<String>,
    pub stats: ScanStats,
}

/// Audits the vault; `progress` is told what is being done (for a line on stderr).
pub fn audit(
    options: &AuditOptions,
    progress: &(dyn Fn(String) + Sync),
) -> Result<Audit, ForkError> {
    let counter = ForkProgress::new();
    let bounds = Bounds {
        timeout: options.timeout,
        max_requests: options.max_requests,
        progress: counter.clone(),
    };
    let client = || RpcClient::new(&options.url, bounds.clone());
    let rpc = client()?;
    let head = ForkBlock::fetch(&rpc, options.to_block)?;
    let code = rpc::data(
        &retry(|| {
            rpc.call(
                "eth_getCode",
                json!([options.vault, rpc::block_tag(head.number)]),
            )
        })?,
        "eth_getCode",
    )?;
    if code.is_empty() {
        return Err(ForkError::NotAVault(options.vault));
    }
    let from = options.from_block.unwrap_or(0);
    if from > head.number {
        return Err(ForkError::Setup(format!(
            "`--from-block {from}` is after the last block scanned ({})",
            head.number
        )));
    }
    let mut stats = ScanStats {
        blocks: head.number - from + 1,
        ..ScanStats::default()
    };

    let started = Instant::now();
    let (grant_logs, log_requests) = logs::scan(&rpc, options.vault, from, head.number, progress)?;
    stats.log_requests = log_requests;
    stats.logs_time = started.elapsed();

    let started = Instant::now();
    let mut txs = if options.scan_blocks {
        history::to_vault(&rpc, options.vault, from, head.number, progress)?
    } else {
        Vec::new()
    };
    let extra: Vec<B256> = options
        .txs
        .iter()
        .filter(|h| !txs.iter().any(|t| t.hash == **h))
        .copied()
        .collect();
    txs.extend(history::by_hash(&rpc, &extra)?);
    txs.sort_by_key(|t| (t.block, t.index));
    txs.dedup_by_key(|t| t.hash);
    stats.blocks_time = started.elapsed();

    let started = Instant::now();
    let (transactions, history_error, notes) = replay_all(options, &txs, &client, progress);
    stats.replayed = transactions.iter().filter(|t| t.replay.is_ok()).count() as u64;
    stats.replay_time = started.elapsed();

    // Candidates: every grant event, then every granting call the history made.
    let mut candidates: Vec<(Grant, Option<(B256, u64)>)> = grant_logs
        .into_iter()
        .map(|l| (l.grant, Some((l.tx, l.block))))
        .collect();
    for t in &transactions {
        if let Ok(r) = &t.replay {
            for g in &r.grants {
                candidates.push((g.clone(), Some((t.tx.hash, t.tx.block))));
            }
        }
    }
    progress(format!(
        "reading {} candidate permissions back",
        candidates.len()
    ));
    let permissions = live::read_back(&rpc, options.vault, &head, candidates)?;
    stats.requests = counter.requests();
    Ok(Audit {
        chain_id: head.chain_id,
        head: head.number,
        from_block: from,
        permissions,
        transactions,
        history_error,
        notes,
        stats,
    })
}

/// Replays the transactions, `options.concurrency` at once. When the node lacks the state a
/// replay needs, the rest are read from its call tracer instead; when it has neither, the
/// history is incomplete and the first return says why.
fn replay_all(
    options: &AuditOptions,
    txs: &[TxInfo],
    client: &(dyn Fn() -> Result<RpcClient, ForkError> + Sync),
    progress: &(dyn Fn(String) + Sync),
) -> (Vec<TxRecord>, Option<String>, Vec<String>) {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Replayed, ForkError>>>> =
        Mutex::new(vec![None; txs.len()]);
    // Why the state is missing (then replays are not tried again), and whether tracing
    // failed too.
    let no_state: Mutex<Option<String>> = Mutex::new(None);
    let no_tracer: Mutex<Option<String>> = Mutex::new(None);
    let traced = AtomicUsize::new(0);
    let workers = options.concurrency.clamp(1, 16).min(txs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(tx) = txs.get(i) else { break };
                let stateless = no_state.lock().map(|m| m.is_some()).unwrap_or(true);
                let mut result = if stateless {
                    Err(ForkError::Setup(
                        "not replayed: the node lacks historical state".into(),
                    ))
                } else {
                    retry(|| client().and_then(|c| replay_one(c, tx, options)))
                };
                let missing = match &result {
                    Err(e) => lacks_history(e, tx.block).or(stateless.then(String::new)),
                    Ok(_) => None,
                };
                if let Some(why) = missing {
                    if let Ok(mut m) = no_state.lock() {
                        if !why.is_empty() {
                            m.get_or_insert(why);
                        }
                    }
                    let untraceable = no_tracer.lock().map(|m| m.is_some()).unwrap_or(true);
                    if !untraceable {
                        let attempt = || {
                            client()
                                .and_then(|c| trace::traced(&c, tx, options.vault, options.hyvm))
                        };
                        match retry(attempt) {
                            Ok(r) => {
                                traced.fetch_add(1, Ordering::Relaxed);
                                result = Ok(r);
                            }
                            Err(e) => {
                                if let Ok(mut m) = no_tracer.lock() {
                                    m.get_or_insert(e.to_string());
                                }
                            }
                        }
                    }
                }
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(result);
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress(format!("replayed {n} of {} transactions", txs.len()));
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let records: Vec<TxRecord> = txs
        .iter()
        .zip(results)
        .map(|(tx, r)| TxRecord {
            tx: tx.clone(),
            replay: r.unwrap_or_else(|| Err(ForkError::Setup("not replayed".into()))),
        })
        .collect();
    let no_state = no_state.into_inner().ok().flatten();
    let no_tracer = no_tracer.into_inner().ok().flatten();
    let mut notes = Vec::new();
    let traced = traced.into_inner();
    if traced > 0 {
        notes.push(format!(
            "{traced} transactions were read from the node's call tracer \
             (`debug_traceTransaction`), as it lacks the state to replay them"
        ));
    }
    let error = match (no_state, no_tracer) {
        (Some(why), Some(trace_error)) => Some(format!(
            "{why}; nor does it trace them (`debug_traceTransaction` with the call tracer: \
             {trace_error})"
        )),
        _ => None,
    };
    (records, error, notes)
}

fn replay_one(rpc: RpcClient, tx: &TxInfo, options: &AuditOptions) -> Result<Replayed, ForkError> {
    history::replay(rpc, tx, options.vault, options.hyvm)
}

/// When `error` says the node has no state at the replay's block: the sentence to show.
fn lacks_history(error: &ForkError, block: u64) -> Option<String> {
    let ForkError::Rpc { message, .. } = error else {
        return None;
    };
    let m = message.to_ascii_lowercase();
    let signs = [
        "missing trie node",
        "historical state",
        "header not found",
        "state not available",
        "pruned",
        "archive",
        "unknown block",
        "state is not available",
    ];
    signs.iter().any(|s| m.contains(s)).then(|| {
        format!(
            "the node lacks the historical state needed to replay the transactions (at block {}: \
             {}); the history needs an archive node, or one that keeps the state of the range \
             scanned. The live permissions are still complete: they are read from the events \
             and the head block's state",
            block.saturating_sub(1),
            rpc::keep(message)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_state_is_told_from_other_errors() {
        let missing = ForkError::Rpc {
            method: "eth_getStorageAt".into(),
            code: -32000,
            message: "missing trie node 1234 (path )".into(),
        };
        let why = lacks_history(&missing, 100).unwrap_or_default();
        assert!(
            why.contains("block 99") && why.contains("archive node"),
            "{why}"
        );
        let other = ForkError::Rpc {
            method: "eth_call".into(),
            code: 3,
            message: "execution reverted".into(),
        };
        assert_eq!(lacks_history(&other, 1), None);
    }
}
