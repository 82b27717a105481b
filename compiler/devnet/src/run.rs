//! The devnet a payload is dry-run on: built once from a scenario, then each run starts from a
//! copy of the same state.

use alloy_dyn_abi::DynSolType;
use alloy_primitives::{hex, Address, Bytes, Log, U256};
use nest_hyvm::{
    execute, hyvm_placeholder_code, CallKind, CallNode, Env, Execution, HyvmConfig, Transaction,
    DEFAULT_HYVM_ADDRESS,
};
use revm::{bytecode::Bytecode, primitives::KECCAK_EMPTY, state::AccountInfo};

use crate::allowances::allowances_left;
use crate::assets::{asset_changes, touched_tokens, TokenMeta};
use crate::calls::{locate, Decoder};
use crate::deploy::{deploy, World, SPEC, TX_GAS_LIMIT};
use crate::error::DevnetError;
use crate::events::event;
use crate::known::{parse_errors, parse_signatures, Known};
use crate::report::{GasBreakdown, Report, RevertInfo};
use crate::revert;
use crate::scenario::Scenario;
use crate::values::to_json;

/// The transaction's base cost, reported apart from the calldata.
const TX_BASE: u64 = 21_000;
/// REVERT.
const REVERT_OPCODE: u8 = 0xfd;

/// Context from the compiler, to name and locate things; every part may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunContext {
    /// Guest pc → `file:line:col`; a pc maps to the entry with the greatest pc not above it.
    pub source_map: Vec<(usize, String)>,
    /// Extra function signatures to decode calls with (`transfer(address,uint256)`, or with
    /// `function … returns (…)` so return values decode too), and custom errors to decode
    /// revert data with (`error InsufficientAllowance(uint256 amount)`, as the artifact's
    /// `errors[].declaration`).
    pub signatures: Vec<String>,
    /// The ABI types of the script's return values (`["uint256"]`).
    pub return_types: Vec<String>,
}

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
        world.db.insert_account_info(
            cfg.address,
            AccountInfo::from_bytecode(Bytecode::new_legacy(hyvm_placeholder_code())),
        );
        world.block.number = U256::from(scenario.block_number);
        world.block.timestamp = U256::from(scenario.timestamp);
        let env = Env {
            block_number: scenario.block_number,
            timestamp: scenario.timestamp,
            chain_id: scenario.chain_id,
            basefee: world.block.basefee,
            coinbase: world.block.beneficiary,
            gas_limit: world.block.gas_limit,
            spec: SPEC,
            ..Env::default()
        };
        let known = Known::new(&world.layout).map_err(crate::deploy::DeployError::from)?;
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
        Ok(report(&outcome, payload, ctx))
    }
}

/// What a report is made from: the chain before and after a run (the vault is the one in their
/// layout), the run itself, and what the chain's contracts are known as.
pub(crate) struct Outcome<'a> {
    pub before: &'a World,
    pub after: &'a World,
    pub execution: &'a Execution,
    pub cfg: &'a HyvmConfig,
    pub known: &'a Known,
    /// The tokens whose balances are always measured.
    pub tokens: &'a [TokenMeta],
}

/// Assembles the report of a run: outcome and revert, gas, the call tree, the vault's balance
/// changes and permissions left (read on `before` and `after`), return values and events.
pub(crate) fn report(outcome: &Outcome, payload: &[u8], ctx: &RunContext) -> Report {
    let Outcome {
        before,
        after,
        execution,
        cfg,
        ..
    } = *outcome;
    let vault = before.layout.vault;
    let logs = trace_logs(&execution.trace);
    let tokens = touched_tokens(outcome.tokens, &logs, vault, before, after);
    let mut known = outcome.known.clone();
    for token in &tokens {
        known.add_name(token.address, token.symbol.clone());
    }
    known.add_errors(parse_errors(&ctx.signatures));
    let signatures = parse_signatures(&ctx.signatures);
    let decoder = Decoder {
        known: &known,
        signatures: &signatures,
        source_map: &ctx.source_map,
        jumps: &execution.guest_jumps,
    };
    let top = top_level_calls(execution, cfg);
    Report {
        success: execution.success,
        revert: revert_info(execution, &top, &decoder, |a| has_code(after, a)),
        gas: gas(execution, payload),
        guest_instructions: execution.guest_instructions,
        calls: top.iter().map(|c| decoder.call(c)).collect(),
        asset_changes: asset_changes(before, after, vault, &tokens),
        allowances_left: allowances_left(&logs, vault, before, after, &known),
        return_values: return_values(execution, &ctx.return_types),
        return_data: hex::encode_prefixed(&execution.output),
        events: execution.logs.iter().map(|l| event(l, &known)).collect(),
        names: known.names(),
    }
}

/// The script's own calls: the children of the guest frame, or the transaction's frame itself
/// when the vault never reached the HyVM.
fn top_level_calls<'a>(execution: &'a Execution, cfg: &HyvmConfig) -> Vec<&'a CallNode> {
    let root = &execution.trace;
    let is_guest =
        matches!(root.kind, CallKind::DelegateCall | CallKind::CallCode) && root.to == cfg.address;
    if is_guest {
        root.children.iter().collect()
    } else {
        vec![root]
    }
}

/// Every log of the trace, depth first, those of frames that later reverted included.
pub(crate) fn trace_logs(node: &CallNode) -> Vec<&Log> {
    let mut logs: Vec<&Log> = node.logs.iter().collect();
    for child in &node.children {
        logs.extend(trace_logs(child));
    }
    logs
}

fn gas(execution: &Execution, payload: &[u8]) -> GasBreakdown {
    let g = execution.gas;
    let base = TX_BASE.min(g.intrinsic_calldata);
    debug_assert_eq!(g.intrinsic_calldata, nest_hyvm::intrinsic_calldata(payload));
    GasBreakdown {
        total: g.total,
        base,
        calldata: g.intrinsic_calldata - base,
        execution: g.guest_execution,
        hyvm_overhead: g.hyvm_overhead,
        vault_overhead: g.vault_overhead,
        refund: g.refund,
        calldata_floor_topup: g.calldata_floor_topup,
    }
}

/// The compiler's revert messages for return data that a call to an address without code
/// produces (none): a used result fails validation, an unread one the code check. Equal
/// to `nest_codegen::{MALFORMED_RETURN, NO_CODE}` (the tests crate checks it).
pub const NO_CODE_REASONS: [&str; 2] = [
    "nest: malformed return data",
    "nest: call to an address without code",
];

/// Whether an account has code in the world (an account the run touched is there).
fn has_code(world: &World, address: Address) -> bool {
    world
        .db
        .cache
        .accounts
        .get(&address)
        .is_some_and(|a| a.info.code_hash != KECCAK_EMPTY && !a.info.code_hash.is_zero())
}

/// Why and where the run reverted: the reason from the revert data (or the interpreter's
/// halt), the failing call, and the location of that call or of the jump into the revert code.
///
/// A script that reverts with one of [`NO_CODE_REASONS`] right after a call to an address
/// without code (which the EVM lets succeed, with no return data) reverts because of it:
/// that call is named, with a note, and located.
fn revert_info(
    execution: &Execution,
    top: &[&CallNode],
    decoder: &Decoder,
    has_code: impl Fn(Address) -> bool,
) -> Option<RevertInfo> {
    if execution.success {
        return None;
    }
    let output = &execution.output;
    let reason = revert::reason(output, decoder.known)
        .or_else(|| execution.halt.clone())
        .unwrap_or_else(|| "reverted without a reason".to_string());
    let failed = top
        .iter()
        .find(|c| !c.success && !output.is_empty() && c.output == *output)
        .or_else(|| top.last().filter(|c| !c.success));
    let no_code = match failed {
        None if NO_CODE_REASONS.contains(&reason.as_str()) => top
            .last()
            .filter(|c| c.success && c.output.is_empty() && !has_code(c.to)),
        _ => None,
    };
    let failed = failed.or(no_code);
    let pc = match (failed.and_then(|c| c.guest_pc), execution.guest_exit) {
        (Some(pc), _) => Some(pc),
        (None, Some(exit)) if exit.opcode == REVERT_OPCODE => exit.last_jump.or(Some(exit.pc)),
        (None, Some(exit)) => Some(exit.pc),
        (None, None) => None,
    };
    // A revert in code shared by several sites (failure stubs, subroutines) is
    // attributed to the last jump made from the script's own code.
    let shared =
        |pc: usize| locate(decoder.source_map, pc).is_some_and(|l| l == crate::calls::SHARED);
    let location = match (failed, pc) {
        (Some(c), _) => decoder.call_location(c),
        (None, Some(pc)) if shared(pc) => execution
            .guest_jumps
            .iter()
            .rev()
            .find(|(from, _)| !shared(*from))
            .and_then(|(from, _)| locate(decoder.source_map, *from)),
        (None, Some(pc)) => locate(decoder.source_map, pc),
        (None, None) => None,
    };
    Some(RevertInfo {
        reason,
        error: revert::custom_error(output, decoder.known),
        call: failed.map(|c| decoder.describe(c)),
        location,
        pc,
        note: no_code.map(|c| {
            let name = match decoder.known.name(c.to) {
                Some(name) => format!("{name} ({})", c.to),
                None => c.to.to_string(),
            };
            format!("{name} has no code: the call succeeded and returned nothing")
        }),
    })
}

/// The output decoded with the compiler's return types; `None` without types, or when a type
/// does not parse or the data does not match.
fn return_values(execution: &Execution, types: &[String]) -> Option<Vec<serde_json::Value>> {
    if types.is_empty() || !execution.success {
        return None;
    }
    let types = types
        .iter()
        .map(|t| DynSolType::parse(t).ok())
        .collect::<Option<Vec<_>>>()?;
    let decoded = DynSolType::Tuple(types)
        .abi_decode_params(&execution.output)
        .ok()?;
    match decoded {
        alloy_dyn_abi::DynSolValue::Tuple(values) => Some(values.iter().map(to_json).collect()),
        other => Some(vec![to_json(&other)]),
    }
}
