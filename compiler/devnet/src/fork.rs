//! Fork mode: the same dry run, on a real chain's state read over JSON-RPC at one block.
//!
//! [`ForkDevnet::new`] pins a block, finds the HyVM (the chain's own code when the address has
//! some, the embedded interpreter otherwise), and either takes a vault deployed on the chain
//! (its owner as the sender) or places the fixture vault at the devnet's vault address.
//! [`ForkDevnet::dry_run`] runs the payload on a local copy of that state and reports as the
//! devnet does. Only reads are sent to the node; nothing is ever written there.

pub mod audit;
mod block;
mod db;
pub(crate) mod error;
mod layout;
mod prefetch;
mod probe;
mod rpc;
mod setup;
mod view;

use std::time::Duration;

use alloy_primitives::{Address, Bytes, U256};
use nest_hyvm::{
    execute, hyvm_placeholder_code, CallKind, Env, HyvmConfig, Transaction, Variant,
    DEFAULT_HYVM_ADDRESS,
};
use revm::bytecode::Bytecode;
use revm::context::BlockEnv;
use revm::database::CacheDB;
use revm::state::AccountInfo;
use revm::{DatabaseCommit, DatabaseRef};

pub use db::ForkDb;
pub use error::ForkError;
pub use rpc::{ForkProgress, MAX_ANSWER_BYTES};

use self::block::ForkBlock;
use self::layout::fork_layout;
use self::prefetch::prefetch_report_reads;
use self::probe::{probe, ProbeResult};
use self::rpc::{Bounds, RpcClient};
use self::setup::{fixture_vault_code, gas_money, read_owner, Override};
use crate::addresses::{VAULT, VAULT_OWNER};
use crate::context::RunContext;
use crate::deploy::{Layout, World, TX_GAS_LIMIT};
use crate::error::{DeployError, DevnetError};
use crate::report::allowances::read_calls;
use crate::report::assets::TokenMeta;
use crate::report::build::{report, trace_logs, Outcome};
use crate::report::known::Known;
use crate::report::positions::touched;
use crate::report::types::{ChainInfo, Report, RevertInfo};
use crate::scenario::Scenario;

/// The fork's total deadline by default (`--fork-timeout`): a run against a healthy node takes
/// seconds; two minutes lets a slow public node finish and stops a stuck one.
pub const DEFAULT_FORK_TIMEOUT: Duration = Duration::from_secs(120);
/// The fork's request budget by default (`--fork-max-requests`): one request per account
/// (batched) and per storage slot read; a swap through a few pools needs a few hundred.
pub const DEFAULT_MAX_REQUESTS: u64 = 5_000;

/// Where to fork and what to run as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForkOptions {
    /// The node's JSON-RPC URL (`http://` or `https://`).
    pub url: String,
    /// The block whose end state the run starts from; the latest block when `None`.
    pub block: Option<u64>,
    /// A vault deployed on the chain to run in. `None` places the fixture vault at
    /// [`VAULT`], funded with the scenario's ETH.
    pub vault: Option<Address>,
    /// The sender: the vault's owner. `None` reads it from the vault's `owner()` (or, for the
    /// fixture vault, uses [`VAULT_OWNER`]).
    pub from: Option<Address>,
    /// The HyVM's address; required with `vault`, [`DEFAULT_HYVM_ADDRESS`] otherwise. When the
    /// chain has code there, that code runs; otherwise the embedded interpreter does.
    pub hyvm: Option<Address>,
    /// Run whatever code is at the HyVM address without probing it.
    pub hyvm_unchecked: bool,
    /// The total time the fork may spend talking to the node (setup and dry runs).
    pub timeout: Duration,
    /// The most HTTP requests the fork may send.
    pub max_requests: u64,
    /// Counts the requests sent, for a progress line.
    pub progress: ForkProgress,
}

impl Default for ForkOptions {
    fn default() -> ForkOptions {
        ForkOptions {
            url: String::new(),
            block: None,
            vault: None,
            from: None,
            hyvm: None,
            hyvm_unchecked: false,
            timeout: DEFAULT_FORK_TIMEOUT,
            max_requests: DEFAULT_MAX_REQUESTS,
            progress: ForkProgress::new(),
        }
    }
}

/// How the code that runs the payload was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HyvmCheck {
    /// No code at the HyVM address: the embedded interpreter runs the payload.
    Embedded,
    /// The chain's code answered the probe as a HyVM does.
    Recognised,
    /// The chain's code failed the probe: why, in words.
    Unrecognised(String),
    /// `--hyvm-unchecked`: the chain's code runs unprobed.
    Unchecked,
}

impl HyvmCheck {
    /// `embedded`, `recognised`, `unrecognised` or `unchecked` (the report's `hyvm_check`).
    pub fn name(&self) -> &'static str {
        match self {
            HyvmCheck::Embedded => "embedded",
            HyvmCheck::Recognised => "recognised",
            HyvmCheck::Unrecognised(_) => "unrecognised",
            HyvmCheck::Unchecked => "unchecked",
        }
    }
}

/// A chain forked at one block, ready for dry runs that each start from the same state.
#[derive(Debug)]
pub struct ForkDevnet {
    db: ForkDb,
    block: ForkBlock,
    cfg: HyvmConfig,
    layout: Layout,
    /// Accounts the runs see differently from the chain, applied to every copy of its state.
    overrides: Vec<Override>,
    known: Known,
    tokens: Vec<TokenMeta>,
    gas_limit: u64,
    /// The tip per gas the runs pay on top of the block's base fee (the scenario's).
    priority_fee: u64,
    notes: Vec<String>,
    hyvm_check: HyvmCheck,
}

impl ForkDevnet {
    /// Connects to the node, pins the block and sets the vault, its owner and the HyVM up.
    /// The scenario's vault and owner ETH apply to the fixture vault only; its token balances,
    /// block, chain id and pools never apply (the chain has its own).
    pub fn new(options: &ForkOptions, scenario: &Scenario) -> Result<ForkDevnet, DevnetError> {
        let bounds = Bounds {
            timeout: options.timeout,
            max_requests: options.max_requests,
            progress: options.progress.clone(),
        };
        let rpc = RpcClient::new(&options.url, bounds)?;
        let mut block = ForkBlock::fetch(&rpc, options.block)?;
        if block.coinbase.is_zero() {
            // A payload could tell a dry run by a zero COINBASE: give it a builder.
            block.coinbase = scenario.coinbase;
        }
        let db = ForkDb::new(rpc, block.number);
        let gas_limit = TX_GAS_LIMIT.min(block.gas_limit);
        let mut notes = Vec::new();
        let mut overrides = Vec::new();

        if let (Some(vault), None) = (options.vault, options.hyvm) {
            return Err(ForkError::HyvmRequired(vault).into());
        }
        let hyvm = options.hyvm.unwrap_or(DEFAULT_HYVM_ADDRESS);
        let on_chain = db.basic_ref(hyvm)?;
        let deployed = on_chain
            .as_ref()
            .is_some_and(|info| info.code.as_ref().is_some_and(|c| !c.is_empty()));
        let variant = if deployed {
            notes.push(format!("the chain's own HyVM at {hyvm} runs the payload"));
            Variant::Deployed
        } else {
            let placeholder =
                AccountInfo::from_bytecode(Bytecode::new_legacy(hyvm_placeholder_code()));
            overrides.push(Override {
                address: hyvm,
                info: AccountInfo {
                    balance: on_chain.as_ref().map_or(U256::ZERO, |i| i.balance),
                    nonce: on_chain.as_ref().map_or(0, |i| i.nonce),
                    ..placeholder
                },
                fresh_storage: false,
            });
            Variant::Standard
        };
        let cfg = HyvmConfig {
            address: hyvm,
            variant,
            ..HyvmConfig::default()
        };
        let hyvm_check = if !deployed {
            HyvmCheck::Embedded
        } else if options.hyvm_unchecked {
            HyvmCheck::Unchecked
        } else {
            match probe(&state(&db, &overrides)?, &block.block_env(), hyvm)? {
                ProbeResult::Recognised => HyvmCheck::Recognised,
                ProbeResult::Unrecognised(why) => HyvmCheck::Unrecognised(format!(
                    "the code at the HyVM address {hyvm} is not recognised as a HyVM: given a \
                     probe payload, {why}; the dry run cannot vouch that the payload ran (check \
                     `--hyvm`, or pass `--hyvm-unchecked` to run that code anyway)"
                )),
            }
        };

        let (vault, owner) = match options.vault {
            Some(vault) => {
                let code = db.basic_ref(vault)?.and_then(|info| info.code);
                if code.is_none_or(|c| c.is_empty()) {
                    return Err(ForkError::NotAVault(vault).into());
                }
                let owner = match options.from {
                    Some(from) => from,
                    None => {
                        let state = state(&db, &overrides)?;
                        read_owner(&state, &block.block_env(), vault)?
                            .ok_or(ForkError::NoOwner(vault))?
                    }
                };
                (vault, owner)
            }
            None => {
                let owner = options.from.unwrap_or(VAULT_OWNER);
                place_fixture_vault(&mut overrides, owner, hyvm, scenario)?;
                let owner_info = db.basic_ref(owner)?.unwrap_or_default();
                overrides.push(Override {
                    address: owner,
                    info: AccountInfo {
                        balance: scenario.owner_eth,
                        ..owner_info
                    },
                    fresh_storage: false,
                });
                if scenario
                    .vault_tokens
                    .iter()
                    .any(|(_, amount)| !amount.is_zero())
                {
                    notes.push(
                        "the scenario's token balances are not applied: tokens cannot be minted \
                         on a fork (dry-run a vault that holds them with `--vault`)"
                            .to_string(),
                    );
                }
                (VAULT, owner)
            }
        };
        fund_gas(
            &db,
            &mut overrides,
            &mut notes,
            owner,
            gas_money(gas_limit, block.basefee, scenario.priority_fee),
        )?;

        let layout = fork_layout(block.chain_id, hyvm, vault, owner);
        let known = Known::new(&layout).map_err(DeployError::from)?;
        let tokens = layout
            .tokens
            .iter()
            .map(|t| TokenMeta {
                address: t.address,
                symbol: t.symbol.to_string(),
                decimals: t.decimals,
            })
            .collect();
        Ok(ForkDevnet {
            db,
            block,
            cfg,
            layout,
            overrides,
            known,
            tokens,
            gas_limit,
            priority_fee: scenario.priority_fee,
            notes,
            hyvm_check,
        })
    }

    /// The vault the runs go through.
    pub fn vault(&self) -> Address {
        self.layout.vault
    }

    /// The sender of the runs: the vault's owner.
    pub fn owner(&self) -> Address {
        self.layout.vault_owner
    }

    /// The block whose end state the runs start from.
    pub fn block_number(&self) -> u64 {
        self.block.number
    }

    /// The block the runs execute in (the pinned block's header, as `eth_call` uses it, with
    /// a builder when it names none), and the tip the runs pay (the scenario's).
    pub fn env(&self) -> Env {
        Env {
            priority_fee: self.priority_fee,
            ..self.block.env()
        }
    }

    /// Which HyVM build the embedded interpreter charges for (Paris by default); no effect
    /// when the chain's own HyVM runs.
    pub fn set_hyvm_build(&mut self, build: nest_hyvm::HyvmBuild) {
        self.cfg.build = build;
    }

    /// Whether the chain's own HyVM code runs, rather than the embedded interpreter.
    pub fn runs_deployed_hyvm(&self) -> bool {
        self.cfg.variant == Variant::Deployed
    }

    /// How the code that runs the payload was checked: a warning when
    /// [`HyvmCheck::Unrecognised`].
    pub fn hyvm_check(&self) -> &HyvmCheck {
        &self.hyvm_check
    }

    /// The chain, block and HyVM the runs are against, as their reports state them.
    pub fn chain(&self) -> ChainInfo {
        ChainInfo {
            chain_id: self.block.chain_id,
            block_number: self.block.number,
            block_hash: self.block.hash.to_string(),
            hyvm: self.cfg.address.to_checksum(None),
            hyvm_check: self.hyvm_check.name().to_string(),
        }
    }

    /// What differs from the scenario or the chain, for the user to know (one sentence each).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The chain's state as read so far.
    pub fn db(&self) -> &ForkDb {
        &self.db
    }

    /// Runs `payload` as the vault's owner would on a local copy of the forked state and
    /// reports what it did, as [`Devnet::dry_run`](crate::Devnet::dry_run) does.
    pub fn dry_run(&self, payload: &[u8], ctx: &RunContext) -> Result<Report, DevnetError> {
        let tx = Transaction {
            from: self.layout.vault_owner,
            vault: self.layout.vault,
            payload: Bytes::copy_from_slice(payload),
            value: U256::ZERO,
            gas_limit: self.gas_limit,
        };
        let mut after = state(&self.db, &self.overrides)?;
        let execution = execute(&mut after, &self.env(), &self.cfg, &tx, true)?;

        let before = state(&self.db, &self.overrides)?;
        let block = self.report_block();
        let tokens: Vec<Address> = self.tokens.iter().map(|t| t.address).collect();
        let logs = trace_logs(&execution.trace);
        let permission_reads = read_calls(&execution.trace, &logs, self.layout.vault);
        prefetch_report_reads(
            &before,
            &after,
            &block,
            self.layout.vault,
            &tokens,
            &logs,
            &permission_reads,
            &touched(&execution.trace, &self.layout),
        )?;

        let before = self.snapshot(block);
        let mut after = before.clone();
        after.db.commit(execution.state.clone());
        let outcome = Outcome {
            before: &before,
            after: &after,
            execution: &execution,
            cfg: &self.cfg,
            known: &self.known,
            tokens: &self.tokens,
        };
        let mut report = report(&outcome, payload, ctx);
        report.chain = Some(self.chain());
        if let Some(why) = self.not_run(&execution, payload) {
            // Never a success: nothing vouches that the payload ran.
            report.success = false;
            if report.revert.is_none() {
                report.revert = Some(RevertInfo {
                    reason: why,
                    error: None,
                    call: None,
                    location: None,
                    pc: None,
                    note: None,
                    in_function: None,
                });
            }
        }
        Ok(report)
    }

    /// Why the run cannot be said to have run the payload: the vault did not DELEGATECALL the
    /// HyVM, the embedded interpreter ran no instruction, or the chain's code there failed the
    /// probe. `None` when it ran.
    fn not_run(&self, execution: &nest_hyvm::Execution, payload: &[u8]) -> Option<String> {
        let trace = &execution.trace;
        let hyvm = self.cfg.address;
        let delegated =
            matches!(trace.kind, CallKind::DelegateCall | CallKind::CallCode) && trace.to == hyvm;
        if !delegated {
            return Some(format!(
                "the payload never ran: the vault did not DELEGATECALL the HyVM at {hyvm} (is \
                 `--hyvm` the address this vault delegates to?)"
            ));
        }
        if let HyvmCheck::Unrecognised(why) = &self.hyvm_check {
            return Some(why.clone());
        }
        if self.cfg.variant == Variant::Standard
            && execution.guest_instructions == 0
            && !payload.is_empty()
        {
            return Some(format!(
                "the payload never ran: the HyVM at {hyvm} was called but ran no instruction"
            ));
        }
        None
    }

    /// The block the report's read-only calls run in (with room for their gas limit).
    fn report_block(&self) -> BlockEnv {
        let block = self.block.block_env();
        BlockEnv {
            gas_limit: block.gas_limit.max(TX_GAS_LIMIT),
            ..block
        }
    }

    /// Everything fetched so far, with the overrides, as a devnet world.
    fn snapshot(&self, block: BlockEnv) -> World {
        let mut db = self.db.snapshot();
        for account in &self.overrides {
            // An in-memory database cannot fail.
            let _ = account.apply(&mut db);
        }
        World {
            db,
            block,
            layout: self.layout.clone(),
        }
    }
}

/// A fresh local copy of the forked state with the overrides applied.
fn state<'a>(db: &'a ForkDb, overrides: &[Override]) -> Result<CacheDB<&'a ForkDb>, ForkError> {
    let mut state = CacheDB::new(db);
    for account in overrides {
        account.apply(&mut state)?;
    }
    Ok(state)
}

/// Places the fixture vault (owned by `owner`, delegating to `hyvm`) at [`VAULT`], holding the
/// scenario's ETH and nothing else.
fn place_fixture_vault(
    overrides: &mut Vec<Override>,
    owner: Address,
    hyvm: Address,
    scenario: &Scenario,
) -> Result<(), ForkError> {
    let code = fixture_vault_code(owner, hyvm)?;
    overrides.push(Override {
        address: VAULT,
        info: AccountInfo {
            balance: scenario.vault_eth,
            nonce: 1,
            ..AccountInfo::from_bytecode(Bytecode::new_legacy(code))
        },
        fresh_storage: true,
    });
    Ok(())
}

/// Makes sure the sender can pay for the run's gas limit at its gas price, raising its
/// balance on the local copy (and saying so) when it cannot.
fn fund_gas(
    db: &ForkDb,
    overrides: &mut Vec<Override>,
    notes: &mut Vec<String>,
    sender: Address,
    needed: U256,
) -> Result<(), ForkError> {
    let index = match overrides.iter().position(|o| o.address == sender) {
        Some(index) => index,
        None => {
            let info = db.basic_ref(sender)?.unwrap_or_default();
            overrides.push(Override {
                address: sender,
                info,
                fresh_storage: false,
            });
            overrides.len() - 1
        }
    };
    let account = &mut overrides[index];
    if account.info.balance < needed {
        notes.push(format!(
            "the sender {sender} cannot pay for the run's gas; its balance is raised to {needed} \
             wei for the dry run"
        ));
        account.info.balance = needed;
    }
    Ok(())
}
