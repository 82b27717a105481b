//! The devnet a payload is dry-run on: built once from a scenario, then each run starts from a
//! copy of the same state.

use alloy_dyn_abi::DynSolType;
use alloy_primitives::{hex, Address, Bytes, Log, U256};
use nest_hyvm::{
    execute, hyvm_placeholder_code, CallKind, CallNode, Env, EnvironmentUse, Execution, HyvmConfig,
    Transaction, DEFAULT_HYVM_ADDRESS,
};
use revm::{bytecode::Bytecode, primitives::KECCAK_EMPTY, state::AccountInfo};

use crate::allowances::allowances_left;
use crate::amount::format_units_trimmed;
use crate::assets::{asset_changes, nft_changes, touched_tokens, TokenMeta};
use crate::calls::{locate, Decoder};
use crate::compiler_reasons::{
    APPROVE_FAILED, LAST_CALL_REASONS, MALFORMED_RETURN, NO_CODE_REASONS,
};
use crate::deploy::{deploy, World, SPEC, TX_GAS_LIMIT};
use crate::error::DevnetError;
use crate::events::event;
use crate::known::{parse_errors, parse_signatures, Known};
use crate::report::{FunctionCall, GasBreakdown, Report, RevertInfo, StorageChange, Warning};
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
    /// The token each return value is an amount of (the artifact's `return_units`), so
    /// the report shows `1.5 WETH`; empty or `None` where a value is not an amount.
    pub return_units: Vec<Option<crate::amount::Unit>>,
    /// The script's helper functions: entry pc and name (the artifact's `functions`). A
    /// failure inside one is reported with the place it was called from.
    pub functions: Vec<(usize, String)>,
    /// The payload is the compiler's own output (`from_artifact` sets it): where it depends
    /// on the environment, the script says so (`block.timestamp` in a `require`), so the
    /// report does not warn of it. Left `false` for a payload from elsewhere
    /// (`nestc run --bytecode`), whose dependence on the environment is warned of.
    pub compiled: bool,
}

impl RunContext {
    /// Everything a compiler artifact (the JSON of `nestc compile --emit artifact`, see
    /// `toolchain.md`) tells a dry run: its source map, the functions it calls and its
    /// interfaces' custom errors, its return types and its helper functions. Missing or
    /// malformed fields are left empty: the run still happens, with less to name things by.
    pub fn from_artifact(artifact: &serde_json::Value) -> RunContext {
        let list = |field: &str| {
            artifact[field]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .to_vec()
        };
        let text = |v: &serde_json::Value, field: &str| v[field].as_str().map(str::to_string);
        let at = |v: &serde_json::Value, field: &str| {
            Some((v["pc"].as_u64()? as usize, text(v, field)?))
        };
        RunContext {
            source_map: list("source_map")
                .iter()
                .filter_map(|e| at(e, "location"))
                .collect(),
            signatures: list("calls")
                .iter()
                .filter_map(|c| text(c, "signature"))
                .chain(list("errors").iter().filter_map(|e| text(e, "declaration")))
                .collect(),
            return_types: list("return_types")
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            return_units: crate::amount::Unit::list_from_artifact(&artifact["return_units"]),
            functions: list("functions")
                .iter()
                .filter_map(|f| at(f, "name"))
                .collect(),
            compiled: true,
        }
    }
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
        let symbol = |address| {
            crate::addresses::all_tokens()
                .find(|t| t.address == address)
                .expect("scenario positions name devnet tokens only")
        };
        crate::seed_positions::seed_positions(&mut world, &scenario.positions, &symbol).map_err(
            |e| {
                DevnetError::Scenario(format!(
                    "`{}`: the devnet could not open this position: {}",
                    e.place, e.reason
                ))
            },
        )?;
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
        revert: revert_info(execution, &top, &decoder, (before, after), &ctx.functions),
        gas: gas(execution, payload),
        guest_instructions: execution.guest_instructions,
        calls: top.iter().map(|c| decoder.call(c)).collect(),
        asset_changes: [
            asset_changes(before, after, vault, &tokens),
            nft_changes(&logs, vault, before, after, &known),
        ]
        .concat(),
        position_changes: crate::positions::position_changes(
            &execution.trace,
            before,
            after,
            vault,
        ),
        allowances_left: allowances_left(&execution.trace, &logs, vault, before, after, &known),
        vault_storage_changes: vault_storage_changes(execution, vault),
        return_values: return_values(execution, &ctx.return_types),
        // A run that reverted returned nothing to name.
        return_units: if execution.success {
            ctx.return_units.clone()
        } else {
            Vec::new()
        },
        return_data: hex::encode_prefixed(&execution.output),
        events: execution.logs.iter().map(|l| event(l, &known)).collect(),
        warnings: if ctx.compiled {
            Vec::new()
        } else {
            environment_warnings(execution, &decoder)
        },
        chain: None,
        names: known.names(),
        vault: vault.to_checksum(None),
    }
}

/// The guest's decisions that depended on the environment before a call, in words: the
/// dry run ran one path, and on chain the payload may take another.
fn environment_warnings(execution: &Execution, decoder: &Decoder) -> Vec<Warning> {
    execution
        .environment
        .iter()
        .map(|e| {
            let node = execution
                .trace
                .find(&|n: &CallNode| n.guest_pc == Some(e.call_pc) && n.to == e.call_to);
            let call = node.map_or_else(|| e.call_to.to_checksum(None), |n| decoder.describe(n));
            let opcodes = e.opcodes.join(", ");
            let (kind, message) = match e.kind {
                EnvironmentUse::Branch => {
                    let jump = match e.taken {
                        Some(true) => format!("the JUMPI at pc {} was taken", e.pc),
                        Some(false) => format!("the JUMPI at pc {} was not taken", e.pc),
                        None => format!("the JUMP at pc {} went where it did", e.pc),
                    };
                    (
                        "environment-dependent-branch",
                        format!(
                            "the payload's path to {call} (pc {}) depends on {opcodes} (read at pc                              {}): {jump} in this dry run, but on chain it may go the other way and                              do what this run did not show",
                            e.call_pc, e.source_pc
                        ),
                    )
                }
                EnvironmentUse::CallArguments => (
                    "environment-dependent-call",
                    format!(
                        "the target, value or calldata of {call} (pc {}) depend on {opcodes} (read                          at pc {}): on chain it may be called with other arguments than in this                          dry run",
                        e.call_pc, e.source_pc
                    ),
                ),
            };
            Warning {
                kind: kind.to_string(),
                message,
                opcodes: e.opcodes.clone(),
                source_pc: e.source_pc,
                pc: e.pc,
                taken: e.taken,
                call,
                call_pc: e.call_pc,
            }
        })
        .collect()
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

/// The slots of `vault`'s storage whose value at the end differs from the start, by slot.
/// (A reverted run changed nothing.)
fn vault_storage_changes(execution: &Execution, vault: Address) -> Vec<StorageChange> {
    let Some(account) = execution.state.get(&vault) else {
        return Vec::new();
    };
    let mut changes: Vec<(U256, StorageChange)> = account
        .storage
        .iter()
        .filter(|(_, slot)| slot.is_changed())
        .map(|(key, slot)| {
            let word = |v: U256| hex::encode_prefixed(v.to_be_bytes::<32>());
            (
                *key,
                StorageChange {
                    slot: word(*key),
                    before: word(slot.original_value),
                    after: word(slot.present_value),
                },
            )
        })
        .collect();
    changes.sort_by_key(|(key, _)| *key);
    changes.into_iter().map(|(_, c)| c).collect()
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
/// When no call failed, a revert with one of the compiler's reasons about the last call
/// ([`NO_CODE_REASONS`], [`LAST_CALL_REASONS`]) is the last call's doing: that call is
/// named, located, and explained in a note. A failed call that sent more ETH than the
/// vault had never ran, which the note says too.
fn revert_info(
    execution: &Execution,
    top: &[&CallNode],
    decoder: &Decoder,
    worlds: (&World, &World),
    ctx_functions: &[(usize, String)],
) -> Option<RevertInfo> {
    if execution.success {
        return None;
    }
    let (before, after) = worlds;
    let output = &execution.output;
    let reason = revert::reason(output, decoder.known)
        .or_else(|| execution.halt.clone())
        .unwrap_or_else(|| "reverted without a reason".to_string());
    let failed = top
        .iter()
        .find(|c| !c.success && !output.is_empty() && c.output == *output)
        .or_else(|| top.last().filter(|c| !c.success))
        .copied();
    let (failed, note) = match failed {
        Some(c) => {
            let vault = before.layout.vault;
            let note = unfunded(c, top, vault, before.balance(vault), decoder);
            (Some(c), note)
        }
        None => match blame_last_call(&reason, top, |a| has_code(after, a), decoder) {
            Some((c, note)) => (Some(c), Some(note)),
            None => (None, None),
        },
    };
    // A call that reached a devnet contract lacking its function says so.
    let reason = match failed.filter(|_| output.is_empty() && execution.halt.is_none()) {
        Some(c) => {
            let code_len = |a: Address| {
                let account = after.db.cache.accounts.get(&a)?;
                account.info.code.as_ref().map(|c| c.original_bytes().len())
            };
            decoder.lacking_function(c, &code_len).unwrap_or(reason)
        }
        None => reason,
    };
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
    // The pc in the script's own code the failure comes from.
    let origin = match (failed, pc) {
        (Some(c), _) => c.guest_pc,
        (None, Some(pc)) if shared(pc) => execution
            .guest_jumps
            .iter()
            .rev()
            .find(|(from, _)| !shared(*from))
            .map(|(from, _)| *from),
        (None, pc) => pc,
    };
    let location = match failed {
        Some(c) => decoder.call_location(c),
        None => origin.and_then(|pc| locate(decoder.source_map, pc)),
    };
    let jumps = match failed.and_then(|c| c.guest_jumps) {
        Some(n) => &execution.guest_jumps[..n.min(execution.guest_jumps.len())],
        None => &execution.guest_jumps[..],
    };
    let in_function = origin.and_then(|pc| function_call(pc, jumps, ctx_functions, decoder));
    Some(RevertInfo {
        reason,
        error: revert::custom_error(output, decoder.known),
        call: failed.map(|c| decoder.describe(c)),
        location,
        pc,
        note,
        in_function,
    })
}

/// The helper function whose code holds `pc`, and where it was last entered from (among
/// `jumps`, the guest's jumps up to the failure). A function's code runs from its entry
/// to the next function's entry or the first shared code after it (the stubs).
fn function_call(
    pc: usize,
    jumps: &[(usize, usize)],
    functions: &[(usize, String)],
    decoder: &Decoder,
) -> Option<FunctionCall> {
    let (entry, name) = functions
        .iter()
        .filter(|(entry, _)| *entry <= pc)
        .max_by_key(|(entry, _)| *entry)?;
    let next = functions
        .iter()
        .map(|(e, _)| *e)
        .filter(|e| e > entry)
        .min()
        .unwrap_or(usize::MAX);
    let shared_from = decoder
        .source_map
        .iter()
        .filter(|(p, l)| *p > *entry && l == crate::calls::SHARED)
        .map(|(p, _)| *p)
        .min()
        .unwrap_or(usize::MAX);
    if pc >= next.min(shared_from) {
        return None;
    }
    let called_at = jumps
        .iter()
        .rev()
        .find(|(_, to)| to == entry)
        .and_then(|(from, _)| locate(decoder.source_map, *from));
    Some(FunctionCall {
        name: name.clone(),
        called_at,
    })
}

/// The script's last call and what it did wrong, when the script reverted with one of the
/// compiler's reasons about it right after it: it went to an address without code (which
/// the EVM lets succeed, with no return data), its return data did not decode, or the
/// approve did not take.
fn blame_last_call<'a>(
    reason: &str,
    top: &[&'a CallNode],
    has_code: impl Fn(Address) -> bool,
    decoder: &Decoder,
) -> Option<(&'a CallNode, String)> {
    let last = top.last().copied().filter(|c| c.success)?;
    let no_code = last.output.is_empty() && !has_code(last.to);
    if no_code && NO_CODE_REASONS.contains(&reason) {
        let name = match decoder.known.name(last.to) {
            Some(name) => format!("{name} ({})", last.to),
            None => last.to.to_string(),
        };
        return Some((
            last,
            format!("{name} has no code: the call succeeded and returned nothing"),
        ));
    }
    let call = decoder.describe(last);
    let note = match reason {
        MALFORMED_RETURN => {
            let declared = decoder.return_types(last).map_or_else(
                || "the return types the script declares".to_string(),
                |t| format!("({t})"),
            );
            format!(
                "{call} returned {} bytes, which do not decode as {declared}",
                last.output.len()
            )
        }
        APPROVE_FAILED => format!("{call} did not set the allowance"),
        _ => return None,
    };
    debug_assert!(LAST_CALL_REASONS.contains(&reason));
    Some((last, note))
}

/// The note for a failed call that sent more ETH than the vault held at that point (it
/// never ran: no gas, no output), or `None`.
fn unfunded(
    call: &CallNode,
    top: &[&CallNode],
    vault: Address,
    start_balance: U256,
    decoder: &Decoder,
) -> Option<String> {
    let never_ran = !call.success
        && call.kind == CallKind::Call
        && call.from == vault
        && !call.value.is_zero()
        && call.gas_used == 0
        && call.output.is_empty();
    if !never_ran {
        return None;
    }
    let mut earlier = top.iter().take_while(|c| !std::ptr::eq(**c, call));
    let balance = earlier.try_fold(start_balance, |balance, c| {
        let (gained, spent) = eth_moved(c, vault);
        balance.checked_add(gained)?.checked_sub(spent)
    })?;
    if balance >= call.value {
        return None;
    }
    Some(format!(
        "the vault's balance ({} ETH) is below the {} ETH sent: {} never ran",
        format_units_trimmed(balance, 18),
        format_units_trimmed(call.value, 18),
        decoder.describe(call)
    ))
}

/// The ETH `account` received and sent in a frame and the frames below it, counting only
/// frames that succeeded (with every frame above them).
fn eth_moved(node: &CallNode, account: Address) -> (U256, U256) {
    if !node.success {
        return (U256::ZERO, U256::ZERO);
    }
    let (mut gained, mut spent) = (U256::ZERO, U256::ZERO);
    let transfers = matches!(
        node.kind,
        CallKind::Call | CallKind::Create | CallKind::Create2
    );
    if transfers && node.from != node.to {
        if node.to == account {
            gained = gained.saturating_add(node.value);
        }
        if node.from == account {
            spent = spent.saturating_add(node.value);
        }
    }
    for child in &node.children {
        let (g, s) = eth_moved(child, account);
        gained = gained.saturating_add(g);
        spent = spent.saturating_add(s);
    }
    (gained, spent)
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
