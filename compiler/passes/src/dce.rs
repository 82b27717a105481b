//! `dce`: removes code that cannot run or whose result nobody reads.
//!
//! Statements after an exit (`return`, `stop`, `fail`) in the same block are
//! unreachable; `eval` of an expression without effects does nothing; `set` of a
//! variable that nothing reads (no expression, revocation operand or journal mark)
//! is dropped when its value has no effect. Calls, checks, grants and revocations
//! are never removed.

use crate::Pass;
use nest_ir::{Block, Expr, Module, Operand, Revocation, Stmt, Var};
use std::collections::BTreeSet;

/// The pass.
pub struct Dce;

impl Pass for Dce {
    fn name(&self) -> &'static str {
        "dce"
    }

    fn run(&self, m: &mut Module) {
        let read = reads(m);
        m.body = sweep(std::mem::take(&mut m.body), &read);
        for f in &mut m.functions {
            f.body = sweep(std::mem::take(&mut f.body), &read);
        }
    }
}

fn sweep(b: Block, read: &BTreeSet<Var>) -> Block {
    let mut out = Vec::with_capacity(b.len());
    for s in b {
        let exits = s.is_exit();
        match s {
            Stmt::Eval(e) if e.is_pure() => {}
            Stmt::Set(v, e) if e.is_pure() && !read.contains(&v) => {}
            Stmt::If(c, t, e) => out.push(Stmt::If(c, sweep(t, read), sweep(e, read))),
            Stmt::Loop {
                var,
                start,
                end,
                body,
            } => out.push(Stmt::Loop {
                var,
                start,
                end,
                body: sweep(body, read),
            }),
            other => out.push(other),
        }
        if exits {
            break;
        }
    }
    out
}

/// Every variable something reads.
fn reads(m: &Module) -> BTreeSet<Var> {
    let mut read = BTreeSet::new();
    for g in &m.grants {
        let operands: Vec<Operand> = match &g.revoke {
            Revocation::Erc20 { token, spender } => vec![*token, *spender],
            Revocation::Call { target, args, .. } => std::iter::once(*target)
                .chain(args.iter().copied())
                .collect(),
        };
        read.extend(operands.into_iter().filter_map(|o| match o {
            Operand::Var(v) => Some(v),
            Operand::Const(_) => None,
        }));
    }
    for f in &m.functions {
        // A function's result is read by its callers.
        read.extend(f.result);
        reads_block(&f.body, &mut read);
    }
    reads_block(&m.body, &mut read);
    read
}

fn reads_block(b: &Block, read: &mut BTreeSet<Var>) {
    let expr = |e: &Expr, read: &mut BTreeSet<Var>| {
        e.walk(&mut |x| {
            if let Expr::Var(v) = x {
                read.insert(*v);
            }
        })
    };
    for s in b {
        match s {
            Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => expr(e, read),
            Stmt::If(c, t, e) => {
                expr(c, read);
                reads_block(t, read);
                reads_block(e, read);
            }
            Stmt::Loop { var, body, .. } => {
                read.insert(*var);
                reads_block(body, read);
            }
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => {
                expr(token, read);
                expr(spender, read);
                expr(amount, read);
            }
            Stmt::Return(vs) => vs.iter().for_each(|v| expr(v, read)),
            Stmt::RevokeJournal(Some(v)) | Stmt::JournalMark(v) => {
                read.insert(*v);
            }
            _ => {}
        }
    }
}
