//! The block a fork is pinned to: its header, read once, as the block a dry run executes in.

use alloy_primitives::{Address, B256, U256};
use nest_hyvm::Env;
use revm::context::BlockEnv;
use revm::primitives::hardfork::SpecId;
use serde_json::{json, Value};

use super::error::ForkError;
use super::rpc::{self, RpcClient};
use crate::chain::block_env;

/// Mainnet's Osaka (Fusaka) activation time: its header has no new field to tell it by.
const MAINNET_OSAKA_TIMESTAMP: u64 = 1_764_798_551;
const MAINNET: u64 = 1;

/// The pinned block: a dry run sees the state at its end and executes with its header, as
/// `eth_call` at that block does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ForkBlock {
    pub number: u64,
    /// The header's hash, as the node gives it.
    pub hash: B256,
    pub timestamp: u64,
    pub basefee: u64,
    pub gas_limit: u64,
    pub coinbase: Address,
    pub prevrandao: B256,
    pub chain_id: u64,
    pub spec: SpecId,
}

impl ForkBlock {
    /// Reads the chain id and the header of block `number`, or of the latest block; a header
    /// of another block than the one asked for is an error.
    pub(crate) fn fetch(rpc: &RpcClient, number: Option<u64>) -> Result<ForkBlock, ForkError> {
        let chain_id = rpc::quantity_u64(&rpc.call("eth_chainId", json!([]))?, "eth_chainId")?;
        let tag = number.map_or_else(|| json!("latest"), rpc::block_tag);
        let header = rpc.call("eth_getBlockByNumber", json!([tag, false]))?;
        if header.is_null() {
            return Err(ForkError::NoSuchBlock(number.unwrap_or_default()));
        }
        let block = ForkBlock::from_header(&header, chain_id)?;
        match number {
            Some(asked) if asked != block.number => Err(ForkError::WrongBlock {
                asked,
                got: block.number,
                hash: block.hash,
            }),
            _ => Ok(block),
        }
    }

    /// The block described by an `eth_getBlockByNumber` answer on chain `chain_id`.
    fn from_header(header: &Value, chain_id: u64) -> Result<ForkBlock, ForkError> {
        const METHOD: &str = "eth_getBlockByNumber";
        let field = |name: &str| {
            header
                .get(name)
                .ok_or_else(|| rpc::bad(METHOD, &format!("the header has no `{name}`")))
        };
        let timestamp = rpc::quantity_u64(field("timestamp")?, METHOD)?;
        let basefee = match header.get("baseFeePerGas") {
            Some(fee) => rpc::quantity_u64(fee, METHOD)?,
            None => 0,
        };
        let prevrandao = match header.get("mixHash") {
            Some(hash) => rpc::hash(hash, METHOD)?,
            None => B256::ZERO,
        };
        Ok(ForkBlock {
            number: rpc::quantity_u64(field("number")?, METHOD)?,
            hash: rpc::hash(field("hash")?, METHOD)?,
            timestamp,
            basefee,
            gas_limit: rpc::quantity_u64(field("gasLimit")?, METHOD)?,
            coinbase: rpc::address(field("miner")?, METHOD)?,
            prevrandao,
            chain_id,
            spec: spec_of(header, chain_id, timestamp),
        })
    }

    /// The block as the interpreter takes it.
    pub(crate) fn env(&self) -> Env {
        Env {
            block_number: self.number,
            timestamp: self.timestamp,
            chain_id: self.chain_id,
            basefee: self.basefee,
            prevrandao: self.prevrandao,
            coinbase: self.coinbase,
            gas_limit: self.gas_limit,
            spec: self.spec,
            ..Env::default()
        }
    }

    /// The block as the report's read-only calls take it.
    pub(crate) fn block_env(&self) -> BlockEnv {
        BlockEnv {
            number: U256::from(self.number),
            timestamp: U256::from(self.timestamp),
            basefee: self.basefee,
            gas_limit: self.gas_limit,
            beneficiary: self.coinbase,
            prevrandao: Some(self.prevrandao),
            ..block_env()
        }
    }
}

/// The hard fork whose rules the block follows, told by the header fields each fork added
/// (and, for mainnet's Osaka, which added none, by its activation time).
fn spec_of(header: &Value, chain_id: u64, timestamp: u64) -> SpecId {
    let has = |name: &str| header.get(name).is_some_and(|v| !v.is_null());
    if chain_id == MAINNET && timestamp >= MAINNET_OSAKA_TIMESTAMP {
        SpecId::OSAKA
    } else if has("requestsHash") {
        SpecId::PRAGUE
    } else if has("excessBlobGas") || has("parentBeaconBlockRoot") {
        SpecId::CANCUN
    } else if has("withdrawalsRoot") {
        SpecId::SHANGHAI
    } else if has("baseFeePerGas") {
        SpecId::LONDON
    } else {
        SpecId::BERLIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(extra: Value) -> Value {
        let mut header = json!({
            "number": "0x10",
            "hash": "0x00000000000000000000000000000000000000000000000000000000000000aa",
            "timestamp": "0x6553f100",
            "gasLimit": "0x1c9c380",
            "miner": "0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97",
            "mixHash": "0x0000000000000000000000000000000000000000000000000000000000000007",
            "baseFeePerGas": "0x3b9aca00",
        });
        if let (Some(fields), Value::Object(more)) = (header.as_object_mut(), extra) {
            fields.extend(more);
        }
        header
    }

    #[test]
    fn a_header_becomes_the_run_block() {
        let block = match ForkBlock::from_header(&header(json!({})), 31337) {
            Ok(block) => block,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(block.number, 16);
        assert_eq!(block.timestamp, 0x6553f100);
        assert_eq!(block.basefee, 1_000_000_000);
        assert_eq!(block.gas_limit, 30_000_000);
        assert_eq!(block.prevrandao, B256::with_last_byte(7));
        assert_eq!(block.spec, SpecId::LONDON);
        let env = block.env();
        assert_eq!((env.chain_id, env.block_number), (31337, 16));
    }

    #[test]
    fn the_fork_is_told_by_header_fields() {
        let spec = |extra: Value, chain_id: u64| {
            ForkBlock::from_header(&header(extra), chain_id).map(|b| b.spec)
        };
        let cancun = json!({"withdrawalsRoot": "0x00", "excessBlobGas": "0x0"});
        assert_eq!(spec(cancun, 31337), Ok(SpecId::CANCUN));
        assert_eq!(
            spec(json!({"requestsHash": "0x00"}), 31337),
            Ok(SpecId::PRAGUE)
        );
        assert_eq!(
            spec(json!({"timestamp": "0x6a000000"}), MAINNET),
            Ok(SpecId::OSAKA)
        );
    }

    #[test]
    fn a_header_without_a_number_is_an_error() {
        let mut broken = header(json!({}));
        if let Some(fields) = broken.as_object_mut() {
            fields.remove("number");
        }
        assert!(matches!(
            ForkBlock::from_header(&broken, 1),
            Err(ForkError::BadResponse { .. })
        ));
    }
}
