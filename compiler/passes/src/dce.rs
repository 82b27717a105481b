//! `dce`: removes code that cannot run or whose result nobody reads.
//!
//! Statements after an exit (`return`, `stop`, `fail`) in the same block are
//! unreachable; `eval` of an expression without effects does nothing; `set` of a
//! variable that nothing reads (no expression, revocation operand or journal mark)
//! is dropped when its value has no effect. Calls, checks, grants and revocations
//! are never removed.

use crate::Pass;
use nest_ir::visit::{vars_in, VarRole};
use nest_ir::{Block, Module, Operand, Revocation, Stmt, Var};
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
            // Every kind is named, so that a new one is a compile error here rather
            // than a statement whose nested blocks are not swept.
            other @ (Stmt::Loc(_)
            | Stmt::Set(..)
            | Stmt::Eval(_)
            | Stmt::Check(..)
            | Stmt::Fail(_)
            | Stmt::ForceApprove { .. }
            | Stmt::Grant(_)
            | Stmt::EndGrant(_)
            | Stmt::Revoke(_)
            | Stmt::Journal(_)
            | Stmt::JournalMark(_)
            | Stmt::RevokeJournal(_)
            | Stmt::Return(_)
            | Stmt::Stop) => out.push(other),
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

/// Adds every variable `b` reads: in expressions, as a loop's counter (the loop reads it
/// to count), or as a journal mark (set and read by the journal's code).
fn reads_block(b: &Block, read: &mut BTreeSet<Var>) {
    vars_in(
        b,
        &[
            VarRole::LoopCounter,
            VarRole::JournalMark,
            VarRole::JournalRevokeTo,
        ],
        read,
    );
}
