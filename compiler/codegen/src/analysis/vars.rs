//! Which variables hold what: those that may live on the stack, and those only ever
//! assigned constants. Pure analysis of the IR, over its exhaustive visitor.

use nest_ir::visit::{vars_in, walk_stmt, VarRole, Visitor};
use nest_ir::{Expr, Module, Stmt, Var};
use std::collections::BTreeSet;

/// At most this many variables live on the stack (the rest stay in memory).
const MAX_STACK_VARS: usize = 8;

/// The variables that may live on the stack: each is first mentioned by a `set` at
/// the top level of the body, and neither a function, a loop nor the journal uses it.
pub(crate) fn select(m: &Module) -> BTreeSet<Var> {
    let mut excluded = BTreeSet::new();
    for f in &m.functions {
        excluded.extend(f.params.iter().copied());
        excluded.extend(f.result);
        mentions(&f.body, &mut excluded);
    }
    let mut seen = BTreeSet::new();
    let mut chosen = BTreeSet::new();
    for s in &m.body {
        if let Stmt::Set(v, e) = s {
            let mut read = BTreeSet::new();
            reads(e, &mut read);
            seen.extend(read);
            if !seen.contains(v) && !excluded.contains(v) && chosen.len() < MAX_STACK_VARS {
                chosen.insert(*v);
            }
            seen.insert(*v);
        } else {
            mentions(std::slice::from_ref(s), &mut seen);
        }
    }
    // Loop counters and journal marks live in memory.
    let mut special = BTreeSet::new();
    special_vars(&m.body, &mut special);
    chosen.retain(|v| !special.contains(v));
    chosen
}

fn reads(e: &Expr, out: &mut BTreeSet<Var>) {
    e.walk(&mut |x| {
        if let Expr::Var(v) = x {
            out.insert(*v);
        }
    });
}

/// Every variable a block mentions (reads or assigns, in any role).
fn mentions(b: &[Stmt], out: &mut BTreeSet<Var>) {
    use VarRole::*;
    vars_in(
        b,
        &[Assigned, LoopCounter, JournalMark, JournalRevokeTo],
        out,
    );
}

/// Loop counters and the variables journal marks use, which live in memory.
fn special_vars(b: &[Stmt], out: &mut BTreeSet<Var>) {
    struct Special<'o>(&'o mut BTreeSet<Var>);
    impl<'a> Visitor<'a> for Special<'_> {
        // Expressions assign no variable.
        fn visit_expr(&mut self, _: &'a Expr) {}
        fn visit_stmt_var(&mut self, v: Var, role: VarRole) {
            match role {
                VarRole::LoopCounter | VarRole::JournalMark | VarRole::JournalRevokeTo => {
                    self.0.insert(v);
                }
                VarRole::Assigned => {}
            }
        }
    }
    Special(out).visit_block(b);
}

/// The variables whose every assignment is a constant or a copy of such a variable
/// (neither loop counters, nor a function's parameters or result): whatever value one
/// holds is a constant of the script.
pub(crate) fn constant_vars(m: &nest_ir::Module) -> BTreeSet<Var> {
    /// Copies `(to, from)`; variables assigned anything but a constant or a copy.
    struct Assignments<'c> {
        copies: &'c mut Vec<(Var, Var)>,
        other: &'c mut BTreeSet<Var>,
    }
    impl<'a> Visitor<'a> for Assignments<'_> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            match s {
                Stmt::Set(_, Expr::Const(_)) => {}
                Stmt::Set(v, Expr::Var(u)) => self.copies.push((*v, *u)),
                Stmt::Set(v, _) => {
                    self.other.insert(*v);
                }
                _ => walk_stmt(self, s),
            }
        }
        // Expressions assign no variable (a function's parameters are handled below).
        fn visit_expr(&mut self, _: &'a Expr) {}
        fn visit_stmt_var(&mut self, v: Var, role: VarRole) {
            match role {
                // A loop counter takes every value of its range; a mark, the journal's length.
                VarRole::LoopCounter | VarRole::JournalMark => {
                    self.other.insert(v);
                }
                // `Set`s are handled above; a revocation down to a mark only reads it.
                VarRole::Assigned | VarRole::JournalRevokeTo => {}
            }
        }
    }
    fn walk(b: &[Stmt], copies: &mut Vec<(Var, Var)>, other: &mut BTreeSet<Var>) {
        Assignments { copies, other }.visit_block(b);
    }
    let (mut copies, mut other) = (Vec::new(), BTreeSet::new());
    walk(&m.body, &mut copies, &mut other);
    for f in &m.functions {
        other.extend(f.params.iter().copied());
        other.extend(f.result);
        walk(&f.body, &mut copies, &mut other);
    }
    // A copy of a variable that may hold a run-time value may hold one too.
    loop {
        let before = other.len();
        for (to, from) in &copies {
            if other.contains(from) {
                other.insert(*to);
            }
        }
        if other.len() == before {
            break;
        }
    }
    (0..m.vars.len() as u32)
        .map(Var)
        .filter(|v| !other.contains(v))
        .collect()
}
