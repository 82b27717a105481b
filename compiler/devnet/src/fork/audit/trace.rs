//! The fallback when the node cannot give the state a replay needs: its own trace of the
//! transaction, `debug_traceTransaction` with the call tracer (geth, Erigon, Reth, Anvil and
//! most providers offer it; Hardhat's node has only the step-by-step tracer, whose memory
//! dumps run to megabytes, and is not asked). The call tree gives the same facts as the
//! replay's inspector: the vault's DELEGATECALLs to the HyVM and its granting calls.

use alloy_primitives::Address;
use nest_permissions::Grant;
use serde_json::{json, Value};

use super::history::{PayloadRun, Replayed, TxInfo};
use crate::fork::error::ForkError;
use crate::fork::rpc::{self, RpcClient};

const METHOD: &str = "debug_traceTransaction";
/// The deepest call tree read (the EVM's own limit is 1,024).
const MAX_DEPTH: usize = 1_100;

/// What `tx` did in the vault, from the node's call trace.
pub(super) fn traced(
    rpc: &RpcClient,
    tx: &TxInfo,
    vault: Address,
    hyvm: Address,
) -> Result<Replayed, ForkError> {
    let trace = rpc.call(
        METHOD,
        json!([tx.hash, { "tracer": "callTracer", "tracerConfig": { "onlyTopCall": false } }]),
    )?;
    from_call_tree(&trace, vault, hyvm)
}

/// The facts of a call tree as the call tracer gives it.
pub(super) fn from_call_tree(
    root: &Value,
    vault: Address,
    hyvm: Address,
) -> Result<Replayed, ForkError> {
    if !root.is_object() {
        return Err(rpc::bad(METHOD, "the trace is not a call frame"));
    }
    let mut out = Replayed {
        success: ok(root),
        payloads: Vec::new(),
        grants: Vec::new(),
    };
    walk(root, vault, hyvm, true, 0, &mut out)?;
    Ok(out)
}

fn ok(frame: &Value) -> bool {
    frame.get("error").is_none_or(Value::is_null)
}

fn walk(
    frame: &Value,
    vault: Address,
    hyvm: Address,
    above_ok: bool,
    depth: usize,
    out: &mut Replayed,
) -> Result<(), ForkError> {
    if depth > MAX_DEPTH {
        return Err(rpc::bad(
            METHOD,
            "the call tree is deeper than the EVM allows",
        ));
    }
    let kind = frame
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let address = |k: &str| match frame.get(k) {
        Some(v) if !v.is_null() => rpc::address(v, METHOD).map(Some),
        _ => Ok(None),
    };
    let (from, to) = (address("from")?, address("to")?);
    let input = match frame.get("input") {
        Some(v) if !v.is_null() => rpc::data(v, METHOD)?,
        _ => Default::default(),
    };
    let this_ok = above_ok && ok(frame);
    match kind {
        "DELEGATECALL" | "CALLCODE" if from == Some(vault) && to == Some(hyvm) => {
            out.payloads.push(PayloadRun {
                payload: input.clone(),
                success: ok(frame),
            });
        }
        "CALL" if from == Some(vault) && depth > 0 => {
            if let (Some(to), true) = (to, this_ok) {
                if let Some(g) = Grant::from_call(to, &input) {
                    out.grants.push(g);
                }
            }
        }
        _ => {}
    }
    if let Some(calls) = frame.get("calls").and_then(Value::as_array) {
        for c in calls {
            walk(c, vault, hyvm, this_ok, depth + 1, out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    #[test]
    fn a_call_tree_gives_payloads_and_grants() {
        let vault = address!("0x1111111111111111111111111111111111111111");
        let hyvm = address!("0x00000000000000000000000000000000000048a5");
        let token = "0x4444444444444444444444444444444444444444";
        let approve = format!("0x095ea7b3{:0>64}{:064x}", "33".repeat(20), 5);
        let tree = json!({
            "type": "CALL", "from": "0x2222222222222222222222222222222222222222", "to": vault,
            "input": "0xabcdef",
            "calls": [
                { "type": "DELEGATECALL", "from": vault, "to": hyvm, "input": "0x6001",
                  "calls": [
                    { "type": "CALL", "from": vault, "to": token, "input": approve },
                    { "type": "CALL", "from": vault, "to": token, "input": approve,
                      "error": "execution reverted" }
                  ] },
                { "type": "DELEGATECALL", "from": vault, "to": hyvm, "input": "0x6002",
                  "error": "execution reverted" }
            ]
        });
        let r = from_call_tree(&tree, vault, hyvm).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.success);
        let payloads: Vec<(Vec<u8>, bool)> = r
            .payloads
            .iter()
            .map(|p| (p.payload.to_vec(), p.success))
            .collect();
        assert_eq!(payloads, [(vec![0x60, 1], true), (vec![0x60, 2], false)]);
        // The reverted approve granted nothing.
        assert_eq!(r.grants.len(), 1);
        assert_eq!(r.grants[0].family.id, "erc20-allowance");
        assert!(from_call_tree(&json!("0x"), vault, hyvm).is_err());
    }
}
