//! Read-only calls on a fork, run the way `World::view` runs them on the devnet: from the zero
//! address, with no gas price, in the pinned block.

use alloy_primitives::{Address, Bytes, TxKind, U256};
use revm::context::result::{EVMError, ExecutionResult};
use revm::context::{BlockEnv, TxEnv};
use revm::{Context, DatabaseRef, ExecuteEvm, MainBuilder, MainContext};

use super::error::ForkError;
use crate::chain::{cfg_env, CHAIN_ID, TX_GAS_LIMIT};

/// The output of `to`'s code called with `data` on `db`; `None` when the call reverts or
/// halts. Reading the chain may fail; the call itself never changes anything.
pub(crate) fn view<DB>(
    db: &DB,
    block: &BlockEnv,
    to: Address,
    data: Vec<u8>,
) -> Result<Option<Bytes>, ForkError>
where
    DB: DatabaseRef<Error = ForkError>,
{
    let block = BlockEnv {
        basefee: 0,
        gas_limit: block.gas_limit.max(TX_GAS_LIMIT),
        ..block.clone()
    };
    let mut cfg = cfg_env();
    cfg.disable_nonce_check = true;
    let tx = TxEnv::builder()
        .caller(Address::ZERO)
        .kind(TxKind::Call(to))
        .data(data.into())
        .value(U256::ZERO)
        .gas_limit(TX_GAS_LIMIT)
        .gas_price(0)
        .chain_id(Some(CHAIN_ID))
        .build_fill();
    let mut evm = Context::mainnet()
        .with_cfg(cfg)
        .with_block(block)
        .with_ref_db(db)
        .build_mainnet();
    match evm.transact(tx) {
        Ok(outcome) => Ok(match outcome.result {
            ExecutionResult::Success { output, .. } => Some(output.into_data()),
            ExecutionResult::Revert { .. } | ExecutionResult::Halt { .. } => None,
        }),
        Err(EVMError::Database(error)) => Err(error),
        Err(other) => Err(ForkError::Setup(format!(
            "a read-only call to {to} failed: {other}"
        ))),
    }
}
