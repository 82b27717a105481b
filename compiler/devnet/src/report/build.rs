//! Assembles a [`Report`] from the outcome of a run: the chain before and after it and the
//! run itself. The local devnet (`crate::run`) and fork mode (`crate::fork`) both report
//! through here, so neither imports the other.

use alloy_dyn_abi::DynSolType;
use alloy_primitives::{hex, Address, Log, U256};
use nest_hyvm::{CallKind, CallNode, EnvironmentUse, Execution, HyvmConfig};

use super::allowances::allowances_left;
use super::assets::{asset_changes, nft_changes, touched_tokens, TokenMeta};
use super::calls::Decoder;
use super::events::event;
use super::failure::revert_info;
use super::known::{parse_errors, parse_signatures, Known};
use super::positions::position_changes;
use super::types::{GasBreakdown, Report, StorageChange, Warning};
use super::values::to_json;
use crate::context::RunContext;
use crate::deploy::World;

/// The transaction's base cost, reported apart from the calldata.
const TX_BASE: u64 = 21_000;

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
        position_changes: position_changes(&execution.trace, before, after, vault),
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
                            "the payload's path to {call} (pc {}) depends on {opcodes} (read at pc {}): {jump} in this dry run, but on chain it may go the other way and do what this run did not show",
                            e.call_pc, e.source_pc
                        ),
                    )
                }
                EnvironmentUse::CallArguments => (
                    "environment-dependent-call",
                    format!(
                        "the target, value or calldata of {call} (pc {}) depend on {opcodes} (read at pc {}): on chain it may be called with other arguments than in this dry run",
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
