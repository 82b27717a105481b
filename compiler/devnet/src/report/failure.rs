//! Why and where a run failed: the revert's reason and location, the call that failed or is
//! to blame, the helper function it failed in, and a note when the vault's ETH ran short.

use alloy_primitives::{Address, U256};
use nest_artifact::reasons::{
    APPROVE_FAILED, LAST_CALL_REASONS, MALFORMED_RETURN, NO_CODE_REASONS,
};
use nest_hyvm::{CallKind, CallNode, Execution};
use revm::primitives::KECCAK_EMPTY;

use super::calls::{locate, Decoder, SHARED};
use super::revert;
use super::types::{FunctionCall, RevertInfo};
use crate::amount::format_units_trimmed;
use crate::deploy::World;

/// REVERT.
const REVERT_OPCODE: u8 = 0xfd;

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
pub(super) fn revert_info(
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
    let shared = |pc: usize| locate(decoder.source_map, pc).is_some_and(|l| l == SHARED);
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
        .filter(|(p, l)| *p > *entry && l == SHARED)
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
