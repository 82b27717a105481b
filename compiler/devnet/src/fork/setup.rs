//! What a dry run changes on its copy of the fork before it starts: accounts replaced or
//! topped up (never sent to the node), the fixture vault's code, and the vault's owner.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolValue;
use revm::context::result::{ExecutionResult, Output};
use revm::context::{BlockEnv, TxEnv};
use revm::database::{CacheDB, InMemoryDB};
use revm::state::AccountInfo;
use revm::{Context, DatabaseRef, ExecuteEvm, MainBuilder, MainContext};

use super::error::ForkError;
use super::view::view;
use crate::addresses::DEPLOYER;
use crate::chain::{block_env, cfg_env, CHAIN_ID, TX_GAS_LIMIT};
use crate::fixtures::{fixture, Contract};

/// `owner()`.
const OWNER_SELECTOR: [u8; 4] = [0x8d, 0xa5, 0xcb, 0x5b];

/// An account as the dry run sees it, whatever the chain holds there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Override {
    /// The account.
    pub address: Address,
    /// Its balance, nonce and code.
    pub info: AccountInfo,
    /// Whether its storage starts empty (a contract placed there) rather than as on chain.
    pub fresh_storage: bool,
}

impl Override {
    /// Writes the account into `db`.
    pub(crate) fn apply<DB: DatabaseRef>(&self, db: &mut CacheDB<DB>) -> Result<(), DB::Error> {
        db.insert_account_info(self.address, self.info.clone());
        if self.fresh_storage {
            db.replace_account_storage(self.address, Default::default())?;
        }
        Ok(())
    }
}

/// The runtime code of the fixture `Vault` owned by `owner` and delegating to `hyvm`: its
/// constructor run on an empty chain, so its immutables are filled in.
pub(crate) fn fixture_vault_code(owner: Address, hyvm: Address) -> Result<Bytes, ForkError> {
    let artifact = fixture(Contract::Vault).map_err(|e| ForkError::Setup(e.to_string()))?;
    let mut init = artifact.creation_code().to_vec();
    init.extend_from_slice(&(owner, hyvm).abi_encode_params());
    let tx = TxEnv::builder()
        .caller(DEPLOYER)
        .create()
        .data(init.into())
        .gas_limit(TX_GAS_LIMIT)
        .gas_price(0)
        .chain_id(Some(CHAIN_ID))
        .build_fill();
    let block = BlockEnv {
        basefee: 0,
        ..block_env()
    };
    let mut db = InMemoryDB::default();
    let mut evm = Context::mainnet()
        .with_cfg(cfg_env())
        .with_block(block)
        .with_db(&mut db)
        .build_mainnet();
    let outcome = evm
        .transact(tx)
        .map_err(|e| ForkError::Setup(format!("cannot build the vault: {e}")))?;
    match outcome.result {
        ExecutionResult::Success {
            output: Output::Create(code, _),
            ..
        } => Ok(code),
        other => Err(ForkError::Setup(format!(
            "the vault's constructor failed: {other:?}"
        ))),
    }
}

/// The vault's owner as its `owner()` says, or `None` when it has no such function (or it does
/// not answer with a non-zero address).
pub(crate) fn read_owner<DB>(
    db: &DB,
    block: &BlockEnv,
    vault: Address,
) -> Result<Option<Address>, ForkError>
where
    DB: DatabaseRef<Error = ForkError>,
{
    let Some(output) = view(db, block, vault, OWNER_SELECTOR.to_vec())? else {
        return Ok(None);
    };
    if output.len() != 32 || output[..12].iter().any(|b| *b != 0) {
        return Ok(None);
    }
    let owner = Address::from_slice(&output[12..]);
    Ok((!owner.is_zero()).then_some(owner))
}

/// The wei a sender needs for the dry run's gas, paid at the block's base fee plus the tip.
pub(crate) fn gas_money(gas_limit: u64, basefee: u64, priority_fee: u64) -> U256 {
    U256::from(gas_limit) * (U256::from(basefee) + U256::from(priority_fee))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    #[test]
    fn the_fixture_vault_holds_its_owner_and_hyvm() {
        let owner = address!("0x00000000000000000000000000000000000000aa");
        let hyvm = address!("0x00000000000000000000000000000000000000bb");
        let code = match fixture_vault_code(owner, hyvm) {
            Ok(code) => code,
            Err(e) => panic!("{e}"),
        };
        let has = |a: Address| code.windows(20).any(|w| w == a.as_slice());
        assert!(has(owner) && has(hyvm));
    }

    #[test]
    fn overrides_replace_code_and_clear_storage() {
        let address = address!("0x00000000000000000000000000000000000000cc");
        let mut db = InMemoryDB::default();
        let slot = U256::from(1);
        let _ = db.insert_account_storage(address, slot, U256::from(9));
        let placed = Override {
            address,
            info: AccountInfo {
                balance: U256::from(5),
                ..AccountInfo::default()
            },
            fresh_storage: true,
        };
        let _ = placed.apply(&mut db);
        let account = db.cache.accounts.get(&address);
        assert_eq!(account.map(|a| a.info.balance), Some(U256::from(5)));
        assert_eq!(account.and_then(|a| a.storage.get(&slot)), None);
    }
}
