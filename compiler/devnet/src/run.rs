//! The devnet a payload is dry-run on: built once from a scenario, then each run starts from a
//! copy of the same state. The report is assembled by `crate::report`, as in fork mode.

use alloy_primitives::{Address, Bytes, U256};
use nest_hyvm::{
    execute, hyvm_placeholder_code, Env, HyvmConfig, Transaction, DEFAULT_HYVM_ADDRESS,
};
use revm::{bytecode::Bytecode, state::AccountInfo};

use crate::addresses::all_tokens;
use crate::context::RunContext;
use crate::deploy::{deploy, seed_positions, World, SPEC, TX_GAS_LIMIT};
use crate::error::{DeployError, DevnetError};
use crate::report::assets::TokenMeta;
use crate::report::build::{report, Outcome};
use crate::report::known::Known;
use crate::report::types::Report;
use crate::scenario::Scenario;

/// A deployed devnet with the HyVM in place, ready for dry runs.
#[derive(Clone, Debug)]
pub struct Devnet {
    world: World,
    env: Env,
    cfg: HyvmConfig,
    known: Known,
    tokens: Vec<TokenMeta>,
}

impl Devnet {
    /// Deploys the world `scenario` describes (once; each dry run starts from a copy).
    pub fn new(scenario: &Scenario) -> Result<Devnet, DevnetError> {
        let cfg = HyvmConfig {
            address: DEFAULT_HYVM_ADDRESS,
            ..HyvmConfig::default()
        };
        let mut world = deploy(cfg.address, &scenario.funding())?;
        let symbol = |address| {
            all_tokens()
                .find(|t| t.address == address)
                .expect("scenario positions name devnet tokens only")
        };
        seed_positions(&mut world, &scenario.positions, &symbol).map_err(|e| {
            DevnetError::Scenario(format!(
                "`{}`: the devnet could not open this position: {}",
                e.place, e.reason
            ))
        })?;
        world.db.insert_account_info(
            cfg.address,
            AccountInfo::from_bytecode(Bytecode::new_legacy(hyvm_placeholder_code())),
        );
        world.block.number = U256::from(scenario.block_number);
        world.block.timestamp = U256::from(scenario.timestamp);
        world.block.basefee = scenario.base_fee;
        world.block.beneficiary = scenario.coinbase;
        let env = Env {
            block_number: scenario.block_number,
            timestamp: scenario.timestamp,
            chain_id: scenario.chain_id,
            basefee: scenario.base_fee,
            priority_fee: scenario.priority_fee,
            coinbase: scenario.coinbase,
            gas_limit: world.block.gas_limit,
            spec: SPEC,
            ..Env::default()
        };
        let known = Known::new(&world.layout).map_err(DeployError::from)?;
        let tokens = world
            .layout
            .tokens
            .iter()
            .map(|t| TokenMeta {
                address: t.address,
                symbol: t.symbol.to_string(),
                decimals: t.decimals,
            })
            .collect();
        Ok(Devnet {
            world,
            env,
            cfg,
            known,
            tokens,
        })
    }

    /// Which HyVM build the runs charge for: Paris (the default, as upstream's tests deploy
    /// it) or Shanghai (dispatch 63 instead of 65).
    pub fn set_hyvm_build(&mut self, build: nest_hyvm::HyvmBuild) {
        self.cfg.build = build;
    }

    /// The HyVM build the runs charge for.
    pub fn hyvm_build(&self) -> nest_hyvm::HyvmBuild {
        self.cfg.build
    }

    /// The vault scripts run in.
    pub fn vault(&self) -> Address {
        self.world.layout.vault
    }

    /// The deployed world, as it is before every run.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Puts runtime `code` at `address` in the state every run starts from: a stand-in
    /// contract a test or a platform wants the script to meet. The devnet knows nothing of
    /// its ABI; the script's interfaces decode its calls and custom errors.
    pub fn set_code(&mut self, address: Address, code: Bytes) {
        self.world.db.insert_account_info(
            address,
            AccountInfo::from_bytecode(Bytecode::new_legacy(code)),
        );
    }

    /// Runs `payload` as the vault's owner would (owner → vault → DELEGATECALL to the HyVM) on a
    /// copy of the state, so every dry run starts from the same chain, and reports what it did.
    pub fn dry_run(&self, payload: &[u8], ctx: &RunContext) -> Result<Report, DevnetError> {
        self.run_on_copy(payload, ctx).map(|(report, _)| report)
    }

    /// Runs `payload` like [`Devnet::dry_run`], then keeps the state it leaves: the next run
    /// (dry or committed) starts from it, as the next transaction of a sequence would. A
    /// reverted run keeps only what a reverted transaction leaves on chain (the sender's
    /// nonce and the gas it paid).
    pub fn run_and_commit(
        &mut self,
        payload: &[u8],
        ctx: &RunContext,
    ) -> Result<Report, DevnetError> {
        let (report, after) = self.run_on_copy(payload, ctx)?;
        self.world = after;
        Ok(report)
    }

    /// Moves the chain on by `seconds` and `blocks` before the next run: TIMESTAMP and
    /// NUMBER grow (saturating). Fixtures that read the clock see the new time.
    pub fn advance(&mut self, seconds: u64, blocks: u64) {
        self.env.timestamp = self.env.timestamp.saturating_add(seconds);
        self.env.block_number = self.env.block_number.saturating_add(blocks);
        self.world.block.timestamp = U256::from(self.env.timestamp);
        self.world.block.number = U256::from(self.env.block_number);
    }

    /// The block number and timestamp the next run executes in.
    pub fn clock(&self) -> (u64, u64) {
        (self.env.block_number, self.env.timestamp)
    }

    /// Runs `payload` on a copy of the state; the report and the state it leaves.
    fn run_on_copy(
        &self,
        payload: &[u8],
        ctx: &RunContext,
    ) -> Result<(Report, World), DevnetError> {
        let layout = &self.world.layout;
        let tx = Transaction {
            from: layout.vault_owner,
            vault: layout.vault,
            payload: Bytes::copy_from_slice(payload),
            value: U256::ZERO,
            gas_limit: TX_GAS_LIMIT,
        };
        let mut after = self.world.clone();
        let execution = execute(&mut after.db, &self.env, &self.cfg, &tx, true)?;
        let outcome = Outcome {
            before: &self.world,
            after: &after,
            execution: &execution,
            cfg: &self.cfg,
            known: &self.known,
            tokens: &self.tokens,
        };
        let report = report(&outcome, payload, ctx);
        Ok((report, after))
    }
}
