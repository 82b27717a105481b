//! What a grant's run-time operands may be. A grant inside a loop over an array literal
//! (`for t in [USDC, DAI] { approve(t, …) }`) revokes through a variable (`%10`), which
//! each unrolled copy of the body sets to one element. Following the IR's assignments
//! in order tells which constants the variable may hold where the grant is made, so
//! the manifest names the token (or the tokens it may be) instead of the variable.

use alloy_primitives::U256;
use nest_ir::{Block, Expr, Module, Operand, Revocation, Stmt, Var};
use std::collections::{BTreeMap, BTreeSet};

/// The constants a variable may hold at a point of the program; `None` when it may
/// hold anything (a value computed or read at run time).
type Env = BTreeMap<Var, Option<BTreeSet<U256>>>;

/// For each grant (by id), the constants each of its variable operands may hold,
/// where that is known.
pub(super) fn grant_operands(m: &Module) -> Vec<BTreeMap<Var, BTreeSet<U256>>> {
    let mut w = Walk {
        m,
        out: vec![BTreeMap::new(); m.grants.len()],
    };
    w.block(&m.body, &mut Env::new());
    for f in &m.functions {
        w.block(&f.body, &mut Env::new());
    }
    w.out
}

/// `r` with each variable that holds one known constant replaced by that constant.
pub(super) fn resolve(r: &Revocation, known: &BTreeMap<Var, BTreeSet<U256>>) -> Revocation {
    let one = |o: &Operand| match o {
        Operand::Var(v) => match known.get(v) {
            Some(set) if set.len() == 1 => Operand::Const(*set.iter().next().expect("one")),
            _ => *o,
        },
        c => *c,
    };
    match r {
        Revocation::Erc20 { token, spender } => Revocation::Erc20 {
            token: one(token),
            spender: one(spender),
        },
        Revocation::Call {
            target,
            signature,
            selector,
            args,
        } => Revocation::Call {
            target: one(target),
            signature: signature.clone(),
            selector: *selector,
            args: args.iter().map(one).collect(),
        },
    }
}

/// The constants the revoked contract (the token of an allowance) may be, when it is
/// a variable that may hold more than one.
pub(super) fn target_candidates(
    r: &Revocation,
    known: &BTreeMap<Var, BTreeSet<U256>>,
) -> Vec<U256> {
    let target = match r {
        Revocation::Erc20 { token, .. } => token,
        Revocation::Call { target, .. } => target,
    };
    match target {
        Operand::Var(v) => known
            .get(v)
            .filter(|s| s.len() > 1)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default(),
        Operand::Const(_) => Vec::new(),
    }
}

struct Walk<'a> {
    m: &'a Module,
    out: Vec<BTreeMap<Var, BTreeSet<U256>>>,
}

impl Walk<'_> {
    fn value(&self, e: &Expr, env: &Env) -> Option<BTreeSet<U256>> {
        match e {
            Expr::Const(c) => Some(BTreeSet::from([*c])),
            Expr::Var(v) => env.get(v).cloned().flatten(),
            _ => None,
        }
    }

    fn block(&mut self, b: &Block, env: &mut Env) {
        for s in b {
            match s {
                Stmt::Set(v, e) => {
                    let c = self.value(e, env);
                    env.insert(*v, c);
                }
                Stmt::If(_, t, e) => {
                    let mut a = env.clone();
                    self.block(t, &mut a);
                    let mut b = env.clone();
                    self.block(e, &mut b);
                    *env = merge(a, b);
                }
                Stmt::Loop { var, body, .. } => {
                    // Each iteration may see what an earlier one assigned: a variable
                    // assigned in the body is unknown on entry and after.
                    let mut assigned = BTreeSet::from([*var]);
                    assigned_in(body, &mut assigned);
                    for v in &assigned {
                        env.insert(*v, None);
                    }
                    self.block(body, env);
                    for v in &assigned {
                        env.insert(*v, None);
                    }
                }
                // A grant, or its journal entry once revocations are inserted.
                Stmt::Grant(id) | Stmt::Journal(id) => {
                    let Some(g) = self.m.grants.get(id.0 as usize) else {
                        continue;
                    };
                    let operands: Vec<Operand> = match &g.revoke {
                        Revocation::Erc20 { token, spender } => vec![*token, *spender],
                        Revocation::Call { target, args, .. } => std::iter::once(*target)
                            .chain(args.iter().copied())
                            .collect(),
                    };
                    for o in operands {
                        if let Operand::Var(v) = o {
                            if let Some(Some(set)) = env.get(&v) {
                                self.out[id.0 as usize]
                                    .entry(v)
                                    .or_default()
                                    .extend(set.iter().copied());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// After a branch: a variable may hold what either side left in it.
fn merge(a: Env, mut b: Env) -> Env {
    let mut out = Env::new();
    for (v, x) in a {
        let y = b.remove(&v).unwrap_or(None);
        let joined = match (x, y) {
            (Some(mut x), Some(y)) => {
                x.extend(y);
                Some(x)
            }
            _ => None,
        };
        out.insert(v, joined);
    }
    // Assigned on one side only: declared there, never read after the branch.
    for (v, _) in b {
        out.insert(v, None);
    }
    out
}

fn assigned_in(b: &Block, out: &mut BTreeSet<Var>) {
    for s in b {
        match s {
            Stmt::Set(v, _) => {
                out.insert(*v);
            }
            Stmt::If(_, t, e) => {
                assigned_in(t, out);
                assigned_in(e, out);
            }
            Stmt::Loop { var, body, .. } => {
                out.insert(*var);
                assigned_in(body, out);
            }
            _ => {}
        }
    }
}
