//! The vault's history: the transactions that may have run a HyVM payload in it, and what each
//! did, found by replaying it in the embedded EVM on a fork at its parent block with an
//! inspector that records the vault's DELEGATECALLs to the HyVM (their calldata is the
//! payload, whatever the vault's own ABI) and the granting calls the vault made.

use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use nest_permissions::Grant;
use revm::context::{ContextTr, TxEnv};
use revm::interpreter::{CallInputs, CallOutcome, CallScheme};
use revm::{Context, InspectEvm, Inspector, MainBuilder, MainContext};
use serde_json::{json, Value};

use super::transient::retry;
use crate::fork::block::ForkBlock;
use crate::fork::db::ForkDb;
use crate::fork::error::ForkError;
use crate::fork::rpc::{self, RpcClient};

/// Blocks asked for in one batch request when scanning a range.
const BLOCKS_PER_BATCH: u64 = 25;

/// A transaction to replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxInfo {
    pub hash: B256,
    pub block: u64,
    /// Its index in the block.
    pub index: u64,
    pub from: Address,
    /// `None` for a contract creation.
    pub to: Option<Address>,
    pub input: Bytes,
    pub value: U256,
    pub gas: u64,
    pub gas_price: u128,
}

impl TxInfo {
    /// A transaction object as `eth_getBlockByNumber(…, true)` and `eth_getTransactionByHash`
    /// give it.
    pub(super) fn parse(tx: &Value, method: &str) -> Result<TxInfo, ForkError> {
        let field = |k: &str| {
            tx.get(k)
                .filter(|v| !v.is_null())
                .ok_or_else(|| rpc::bad(method, &format!("a transaction without `{k}`")))
        };
        let to = match tx.get("to") {
            Some(Value::Null) | None => None,
            Some(to) => Some(rpc::address(to, method)?),
        };
        let gas_price = match tx.get("gasPrice").filter(|v| !v.is_null()) {
            Some(p) => rpc::quantity(p, method)?,
            None => rpc::quantity(field("maxFeePerGas")?, method)?,
        };
        Ok(TxInfo {
            hash: rpc::hash(field("hash")?, method)?,
            block: rpc::quantity_u64(field("blockNumber")?, method)?,
            index: rpc::quantity_u64(field("transactionIndex")?, method)?,
            from: rpc::address(field("from")?, method)?,
            to,
            input: rpc::data(field("input")?, method)?,
            value: rpc::quantity(field("value")?, method)?,
            gas: rpc::quantity_u64(field("gas")?, method)?,
            gas_price: u128::try_from(gas_price).unwrap_or(u128::MAX),
        })
    }
}

/// The transactions sent to `vault` in `from..=to`, in chain order, and the blocks read.
pub(super) fn to_vault(
    rpc: &RpcClient,
    vault: Address,
    from: u64,
    to: u64,
    progress: &dyn Fn(String),
) -> Result<Vec<TxInfo>, ForkError> {
    const M: &str = "eth_getBlockByNumber";
    let mut found = Vec::new();
    let mut start = from;
    while start <= to {
        let end = to.min(start + BLOCKS_PER_BATCH - 1);
        let calls: Vec<(&str, Value)> = (start..=end)
            .map(|n| (M, json!([rpc::block_tag(n), true])))
            .collect();
        let blocks = retry(|| rpc.batch(&calls))?;
        for (n, block) in (start..=end).zip(&blocks) {
            if block.is_null() {
                return Err(ForkError::NoSuchBlock(n));
            }
            let txs = block
                .get("transactions")
                .and_then(Value::as_array)
                .ok_or_else(|| rpc::bad(M, "a block without its transactions"))?;
            for tx in txs {
                let info = TxInfo::parse(tx, M)?;
                if info.to == Some(vault) {
                    found.push(info);
                }
            }
        }
        progress(format!(
            "blocks: {end} of {to} read, {} transactions to the vault",
            found.len()
        ));
        start = end + 1;
    }
    Ok(found)
}

/// The transactions with these hashes (from `--txs`).
pub(super) fn by_hash(rpc: &RpcClient, hashes: &[B256]) -> Result<Vec<TxInfo>, ForkError> {
    const M: &str = "eth_getTransactionByHash";
    let mut out = Vec::new();
    for chunk in hashes.chunks(BLOCKS_PER_BATCH as usize) {
        let calls: Vec<(&str, Value)> = chunk.iter().map(|h| (M, json!([h]))).collect();
        for (hash, tx) in chunk.iter().zip(retry(|| rpc.batch(&calls))?) {
            if tx.is_null() || tx.get("blockNumber").is_none_or(Value::is_null) {
                return Err(ForkError::Setup(format!(
                    "the node knows no mined transaction {hash} (from `--txs`)"
                )));
            }
            out.push(TxInfo::parse(&tx, M)?);
        }
    }
    Ok(out)
}

/// A DELEGATECALL of the vault to the HyVM: the payload it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayloadRun {
    pub payload: Bytes,
    /// Whether that call succeeded (a reverted payload changed nothing).
    pub success: bool,
}

/// What a replayed transaction did in the vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replayed {
    /// Whether the transaction succeeded in the replay.
    pub success: bool,
    pub payloads: Vec<PayloadRun>,
    /// The granting calls the vault made in frames that succeeded.
    pub grants: Vec<Grant>,
}

/// Records the vault's DELEGATECALLs to the HyVM and its granting calls.
struct Recorder {
    vault: Address,
    hyvm: Address,
    /// One entry per open call: the payload's index, or a grant's, it recorded, and how many
    /// grants were recorded when it opened.
    open: Vec<(Opened, usize)>,
    payloads: Vec<PayloadRun>,
    grants: Vec<(Grant, bool)>,
}

#[derive(Clone, Copy)]
enum Opened {
    Other,
    Payload(usize),
    Grant(usize),
}

impl<CTX: ContextTr> Inspector<CTX> for Recorder {
    fn call(&mut self, context: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        let opened = match inputs.scheme {
            CallScheme::DelegateCall | CallScheme::CallCode
                if inputs.bytecode_address == self.hyvm && inputs.target_address == self.vault =>
            {
                self.payloads.push(PayloadRun {
                    payload: inputs.input.bytes(context),
                    success: false,
                });
                Opened::Payload(self.payloads.len() - 1)
            }
            CallScheme::Call if inputs.caller == self.vault => {
                match Grant::from_call(inputs.target_address, &inputs.input.bytes(context)) {
                    Some(g) => {
                        self.grants.push((g, false));
                        Opened::Grant(self.grants.len() - 1)
                    }
                    None => Opened::Other,
                }
            }
            _ => Opened::Other,
        };
        self.open.push((opened, self.grants.len()));
        None
    }

    fn call_end(&mut self, _context: &mut CTX, _inputs: &CallInputs, outcome: &mut CallOutcome) {
        let ok = outcome.result.result.is_ok();
        let Some((opened, grants_before)) = self.open.pop() else {
            return;
        };
        match opened {
            Opened::Payload(i) => self.payloads[i].success = ok,
            Opened::Grant(i) => self.grants[i].1 = ok,
            Opened::Other => {}
        }
        if !ok {
            // What the frame's callees granted was undone with it.
            for g in &mut self.grants[grants_before..] {
                g.1 = false;
            }
        }
    }
}

/// Replays `tx` on the chain's state at the end of its parent block (the transactions before
/// it in its own block are not replayed first: a payload is the calldata the vault forwards,
/// which does not depend on them).
pub(super) fn replay(
    rpc: RpcClient,
    tx: &TxInfo,
    vault: Address,
    hyvm: Address,
) -> Result<Replayed, ForkError> {
    let block = ForkBlock::fetch(&rpc, Some(tx.block))?;
    let parent = tx.block.checked_sub(1).ok_or(ForkError::NoSuchBlock(0))?;
    let db = ForkDb::new(rpc, parent);
    let mut block_env = block.block_env();
    block_env.gas_limit = block_env.gas_limit.max(tx.gas);
    let mut cfg = revm::context::CfgEnv::new_with_spec(block.spec).with_chain_id(block.chain_id);
    cfg.disable_nonce_check = true;
    let tx_env = TxEnv::builder()
        .caller(tx.from)
        .kind(tx.to.map_or(TxKind::Create, TxKind::Call))
        .data(tx.input.clone())
        .value(tx.value)
        .gas_limit(tx.gas)
        .gas_price(tx.gas_price.max(u128::from(block.basefee)))
        .chain_id(Some(block.chain_id))
        .build_fill();
    let recorder = Recorder {
        vault,
        hyvm,
        open: Vec::new(),
        payloads: Vec::new(),
        grants: Vec::new(),
    };
    let mut evm = Context::mainnet()
        .with_cfg(cfg)
        .with_block(block_env)
        .with_ref_db(&db)
        .build_mainnet_with_inspector(recorder);
    let outcome = match evm.inspect_tx(tx_env) {
        Ok(outcome) => outcome,
        Err(revm::context::result::EVMError::Database(e)) => return Err(e),
        Err(other) => {
            return Err(ForkError::Setup(format!(
                "transaction {} could not be replayed: {other}",
                tx.hash
            )))
        }
    };
    let success = outcome.result.is_success();
    let recorder = evm.inspector;
    Ok(Replayed {
        success,
        payloads: recorder.payloads,
        grants: recorder
            .grants
            .into_iter()
            .filter(|(_, ok)| *ok && success)
            .map(|(g, _)| g)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_parse_from_node_objects() {
        let tx = json!({
            "hash": B256::repeat_byte(1).to_string(),
            "blockNumber": "0x5", "transactionIndex": "0x0",
            "from": "0x1111111111111111111111111111111111111111",
            "to": "0x2222222222222222222222222222222222222222",
            "input": "0xabcd", "value": "0x0", "gas": "0x5208",
            "maxFeePerGas": "0x10"
        });
        let info = TxInfo::parse(&tx, "m").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((info.block, info.gas, info.gas_price), (5, 21_000, 16));
        assert_eq!(info.input.as_ref(), &[0xab, 0xcd]);
        let mut creation = tx.clone();
        creation["to"] = Value::Null;
        assert_eq!(TxInfo::parse(&creation, "m").map(|t| t.to), Ok(None));
        let mut broken = tx;
        broken["hash"] = Value::Null;
        assert!(TxInfo::parse(&broken, "m").is_err());
    }
}
