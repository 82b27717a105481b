//! The artifact's `calls` and `max_value`: every external call the module may make, and
//! the most ETH it may send.

use super::{const_operand, Addresses};
use alloy_primitives::U256;
use nest_artifact::CallInfo;
use nest_ir::{Expr, Module, Revocation, Stmt};

/// An external call found in the IR, before its target is spelled: sorting and
/// deduplicating these is cheaper than sorting the manifest's strings.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct CallSite<'a> {
    /// The callee's address, when constant.
    target: Option<U256>,
    signature: &'a str,
    is_static: bool,
}

const APPROVE: &str = "approve(address,uint256)";

/// Every call the module may make (its body's, its functions', and each grant's
/// revocation), sorted and deduplicated; and the most wei it may send (`None`: not
/// bounded).
pub(super) fn calls(m: &Module, names: &mut Addresses) -> (Vec<CallInfo>, Option<U256>) {
    let mut sites = Vec::new();
    let mut max_value = Some(U256::ZERO);
    collect_calls(&m.body, &mut sites, &mut max_value, false);
    for f in &m.functions {
        // A function may be called many times: value it sends is not bounded here.
        collect_calls(&f.body, &mut sites, &mut max_value, true);
    }
    sites.extend(m.grants.iter().map(|g| revocation_call(&g.revoke)));
    sites.sort_unstable();
    sites.dedup();
    let mut calls: Vec<CallInfo> = sites
        .into_iter()
        .map(|s| CallInfo {
            target: names.spell(s.target),
            signature: s.signature.to_string(),
            kind: if s.is_static { "staticcall" } else { "call" }.into(),
        })
        .collect();
    // Two constants can spell the same address (only the low 20 bytes count).
    calls.sort();
    calls.dedup();
    (calls, max_value)
}

/// The call a revocation makes.
fn revocation_call(r: &Revocation) -> CallSite<'_> {
    match r {
        Revocation::Erc20 { token, .. } => CallSite {
            target: const_operand(token),
            signature: APPROVE,
            is_static: false,
        },
        Revocation::Call {
            target, signature, ..
        } => CallSite {
            target: const_operand(target),
            signature,
            is_static: false,
        },
    }
}

fn const_expr(e: &Expr) -> Option<U256> {
    match e {
        Expr::Const(v) => Some(*v),
        _ => None,
    }
}

fn collect_calls<'a>(
    b: &'a [Stmt],
    out: &mut Vec<CallSite<'a>>,
    max_value: &mut Option<U256>,
    repeated: bool,
) {
    let mut exprs: Vec<&Expr> = Vec::new();
    let mut approves: Vec<&Expr> = Vec::new();
    gather(b, &mut exprs, &mut approves, repeated, max_value);
    for token in approves {
        out.push(CallSite {
            target: const_expr(token),
            signature: APPROVE,
            is_static: false,
        });
    }
    for e in exprs {
        e.walk(&mut |x| {
            if let Expr::Call(c) = x {
                out.push(CallSite {
                    target: const_expr(&c.target),
                    signature: &c.signature,
                    is_static: c.is_static,
                });
                match &c.value {
                    None => {}
                    Some(Expr::Const(v)) => *max_value = max_value.and_then(|m| m.checked_add(*v)),
                    Some(_) => *max_value = None,
                }
            }
        });
    }
}

/// Collects the expressions of a block; calls with value inside loops make the
/// total unbounded (the loop may repeat them).
fn gather<'a>(
    b: &'a [Stmt],
    exprs: &mut Vec<&'a Expr>,
    approves: &mut Vec<&'a Expr>,
    in_loop: bool,
    max_value: &mut Option<U256>,
) {
    for s in b {
        match s {
            Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => {
                if in_loop && has_value_call(e) {
                    *max_value = None;
                }
                exprs.push(e)
            }
            Stmt::If(c, t, e) => {
                exprs.push(c);
                gather(t, exprs, approves, in_loop, max_value);
                gather(e, exprs, approves, in_loop, max_value);
            }
            Stmt::Loop { body, .. } => gather(body, exprs, approves, true, max_value),
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => {
                exprs.extend([token, spender, amount]);
                approves.push(token);
            }
            Stmt::Return(vs) => exprs.extend(vs.iter()),
            _ => {}
        }
    }
}

fn has_value_call(e: &Expr) -> bool {
    let mut found = false;
    e.walk(&mut |x| {
        if let Expr::Call(c) = x {
            found |= c.value.is_some();
        }
    });
    found
}
