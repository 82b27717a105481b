//! The devnet's chain state and how transactions run on it: [`World`] sends, simulates and
//! views calls with plain revm, and deploys fixtures at fixed addresses by etching. The
//! modules below deploy and seed each part of the world; only `crate::deploy` drives them,
//! and the rest of the crate reaches the world through what `deploy` exposes.

pub(crate) mod feeds;
pub(crate) mod lending;
pub(crate) mod positions;
pub(crate) mod protocols;
pub(crate) mod tokens;
pub(crate) mod uniswap;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolCall;
use revm::{
    context::{BlockEnv, TxEnv},
    context_interface::result::{ExecutionResult, Output},
    database::{AccountState, DbAccount, InMemoryDB},
    state::AccountInfo,
    Context, ExecuteCommitEvm, ExecuteEvm, MainBuilder, MainContext,
};

use crate::addresses::DEPLOYER;
use crate::chain::{cfg_env, CHAIN_ID, TX_GAS_LIMIT};
use crate::error::DeployError;
use crate::fixtures::{fixture, Contract};
use crate::layout::Layout;

/// A deployed devnet: its state, its block and where things are.
#[derive(Clone, Debug)]
pub struct World {
    /// The chain state.
    pub db: InMemoryDB,
    /// The block transactions run in.
    pub block: BlockEnv,
    /// Where everything is.
    pub layout: Layout,
}

impl World {
    /// Sets an account's ETH balance directly, creating the account if needed.
    pub fn set_balance(&mut self, address: Address, wei: U256) {
        let mut info = self
            .db
            .cache
            .accounts
            .get(&address)
            .map(|a| a.info.clone())
            .unwrap_or_default();
        info.balance = wei;
        self.db.insert_account_info(address, info);
    }

    /// The ETH balance of an account (zero when it does not exist).
    pub fn balance(&self, address: Address) -> U256 {
        self.db
            .cache
            .accounts
            .get(&address)
            .map(|a| a.info.balance)
            .unwrap_or_default()
    }

    /// Sends a transaction from `from` (with its current nonce and [`BASE_FEE`] as gas price)
    /// and commits its effects, whatever its outcome.
    pub fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<ExecutionResult, DeployError> {
        let step = format!("call {to} from {from}");
        let tx = self.tx(&step, from, Some(to), value, data)?;
        let mut evm = Context::mainnet()
            .with_cfg(cfg_env())
            .with_block(self.block.clone())
            .with_db(&mut self.db)
            .build_mainnet();
        evm.transact_commit(tx).map_err(|e| DeployError::Evm {
            step,
            message: e.to_string(),
        })
    }

    /// Runs a call from `from` without committing anything; `from` pays for gas as in [`World::send`].
    pub fn call(
        &self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<ExecutionResult, DeployError> {
        self.simulate(self.block.clone(), from, to, value, data)
    }

    /// The output of a successful read-only call from the zero address; an error if it fails.
    /// It runs in a copy of the block with a zero base fee, so nobody pays for its gas.
    pub fn view(&self, to: Address, data: Vec<u8>) -> Result<Bytes, DeployError> {
        let block = BlockEnv {
            basefee: 0,
            ..self.block.clone()
        };
        let result = self.simulate(block, Address::ZERO, to, U256::ZERO, data)?;
        success_output(format!("view {to}"), result)
    }

    fn simulate(
        &self,
        block: BlockEnv,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<ExecutionResult, DeployError> {
        let step = format!("call {to} from {from}");
        let mut tx = self.tx(&step, from, Some(to), value, data)?;
        tx.gas_price = u128::from(block.basefee);
        let mut evm = Context::mainnet()
            .with_cfg(cfg_env())
            .with_block(block)
            .with_ref_db(&self.db)
            .build_mainnet();
        evm.transact(tx)
            .map(|r| r.result)
            .map_err(|e| DeployError::Evm {
                step,
                message: e.to_string(),
            })
    }

    fn tx(
        &self,
        step: &str,
        from: Address,
        to: Option<Address>,
        value: U256,
        data: Vec<u8>,
    ) -> Result<TxEnv, DeployError> {
        let nonce = self
            .db
            .cache
            .accounts
            .get(&from)
            .map(|a| a.info.nonce)
            .unwrap_or_default();
        let builder = TxEnv::builder()
            .caller(from)
            .nonce(nonce)
            .value(value)
            .data(data.into())
            .gas_limit(TX_GAS_LIMIT)
            .gas_price(u128::from(self.block.basefee))
            .chain_id(Some(CHAIN_ID));
        let builder = match to {
            Some(to) => builder.call(to),
            None => builder.create(),
        };
        builder.build().map_err(|e| DeployError::Evm {
            step: step.to_owned(),
            message: e.to_string(),
        })
    }

    /// Sends a transaction that must succeed; its output, or an error naming `step`.
    pub(crate) fn expect_success(
        &mut self,
        step: &str,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<Bytes, DeployError> {
        let result = self
            .send(from, to, value, data)
            .map_err(|e| rename_step(e, step))?;
        success_output(step.to_owned(), result)
    }

    /// Sends a transaction that must succeed from `from`, an account with code (the vault),
    /// as if it were an ordinary account: its code is set aside for the call (EIP-3607 refuses
    /// senders with code) and put back after, with its nonce; the call runs at a zero base fee,
    /// so it pays no gas. Used to open a scenario's positions in the vault's name.
    pub(crate) fn send_as_contract(
        &mut self,
        step: &str,
        from: Address,
        to: Address,
        data: Vec<u8>,
    ) -> Result<Bytes, DeployError> {
        let saved = self.db.cache.accounts.get(&from).map(|a| a.info.clone());
        if let Some(account) = self.db.cache.accounts.get_mut(&from) {
            account.info.code = None;
            account.info.code_hash = revm::primitives::KECCAK_EMPTY;
        }
        let basefee = std::mem::replace(&mut self.block.basefee, 0);
        let result = self.send(from, to, U256::ZERO, data);
        self.block.basefee = basefee;
        if let (Some(saved), Some(account)) = (saved, self.db.cache.accounts.get_mut(&from)) {
            account.info.code = saved.code;
            account.info.code_hash = saved.code_hash;
            account.info.nonce = saved.nonce;
        }
        let result = result.map_err(|e| rename_step(e, step))?;
        success_output(step.to_owned(), result)
    }

    /// Sends `call` from `from` with `value`; it must succeed, and its output must decode.
    pub(crate) fn send_call<C: SolCall>(
        &mut self,
        step: &str,
        from: Address,
        to: Address,
        value: U256,
        call: C,
    ) -> Result<C::Return, DeployError> {
        let output = self.expect_success(step, from, to, value, call.abi_encode())?;
        decode::<C>(step, &output)
    }

    /// The decoded output of a read-only `call` (see [`World::view`]).
    pub(crate) fn view_call<C: SolCall>(
        &self,
        step: &str,
        to: Address,
        call: C,
    ) -> Result<C::Return, DeployError> {
        let output = self
            .view(to, call.abi_encode())
            .map_err(|e| rename_step(e, step))?;
        decode::<C>(step, &output)
    }

    /// Deploys `contract` from the deployer, then moves its code, storage, balance and
    /// nonce to `target`, leaving nothing at the creation address.
    pub(crate) fn deploy_at(
        &mut self,
        contract: Contract,
        args: &[u8],
        target: Address,
    ) -> Result<(), DeployError> {
        let step = format!("deploy {contract} at {target}");
        let created = self.create(contract, args, &step)?;
        self.etch(created, target, &step)
    }

    /// Deploys `contract` from the deployer and leaves it where it was created.
    pub(crate) fn deploy_here(
        &mut self,
        contract: Contract,
        args: &[u8],
    ) -> Result<Address, DeployError> {
        self.create(contract, args, &format!("deploy {contract}"))
    }

    fn create(
        &mut self,
        contract: Contract,
        args: &[u8],
        step: &str,
    ) -> Result<Address, DeployError> {
        let mut code = fixture(contract)?.creation_code().to_vec();
        code.extend_from_slice(args);
        let tx = self.tx(step, DEPLOYER, None, U256::ZERO, code)?;
        let result = {
            let mut evm = Context::mainnet()
                .with_cfg(cfg_env())
                .with_block(self.block.clone())
                .with_db(&mut self.db)
                .build_mainnet();
            evm.transact_commit(tx).map_err(|e| DeployError::Evm {
                step: step.to_owned(),
                message: e.to_string(),
            })?
        };
        match &result {
            ExecutionResult::Success {
                output: Output::Create(_, Some(address)),
                ..
            } => Ok(*address),
            ExecutionResult::Success { .. } => Err(DeployError::NoCreatedAddress(step.to_owned())),
            _ => success_output(step.to_owned(), result)
                .and(Err(DeployError::NoCreatedAddress(step.to_owned()))),
        }
    }

    fn etch(&mut self, from: Address, to: Address, step: &str) -> Result<(), DeployError> {
        let account = self
            .db
            .cache
            .accounts
            .remove(&from)
            .ok_or_else(|| DeployError::NoCreatedAddress(step.to_owned()))?;
        let mut info: AccountInfo = account.info;
        info.account_id = None;
        if info.code.is_none() {
            info.code = self.db.cache.contracts.get(&info.code_hash).cloned();
        }
        self.db.insert_contract(&mut info);
        self.db.cache.accounts.insert(
            to,
            DbAccount {
                info,
                account_state: AccountState::StorageCleared,
                storage: account.storage,
            },
        );
        Ok(())
    }
}

fn rename_step(error: DeployError, step: &str) -> DeployError {
    match error {
        DeployError::Evm { message, .. } => DeployError::Evm {
            step: step.to_owned(),
            message,
        },
        other => other,
    }
}

fn decode<C: SolCall>(step: &str, output: &[u8]) -> Result<C::Return, DeployError> {
    C::abi_decode_returns(output).map_err(|e| DeployError::Decode {
        step: step.to_owned(),
        message: e.to_string(),
    })
}

pub(crate) fn success_output(step: String, result: ExecutionResult) -> Result<Bytes, DeployError> {
    match result {
        ExecutionResult::Success { output, .. } => Ok(output.into_data()),
        ExecutionResult::Revert { output, .. } => Err(DeployError::Reverted { step, output }),
        ExecutionResult::Halt { reason, .. } => Err(DeployError::Halted {
            step,
            reason: format!("{reason:?}"),
        }),
    }
}
