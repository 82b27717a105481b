//! Variables on the stack: a variable first assigned at the top level of the script's
//! body (so the stack is at a known height there) stays on the stack from then on and
//! is read with `DUPn` and reassigned with `SWAPn POP`, instead of a memory word
//! (`PUSH1 slot MLOAD` / `PUSH1 slot MSTORE`, each with the HyVM's memory surcharge).
//!
//! Code generation tracks the stack's height through the body ([`Height`]): every
//! opcode's stack effect, and at each label the height recorded by the jumps to it.
//! If a variable would sit deeper than `DUP16`/`SWAP16` can reach, generation starts
//! again with every variable in memory.

use nest_evm::{Label, Opcode};
use nest_ir::{Expr, Module, Stmt, Var};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many variables live on the stack (the rest stay in memory).
const MAX_STACK_VARS: usize = 8;

/// The stack's height above the body's base, while the body is generated.
#[derive(Debug, Default)]
pub(crate) struct Height {
    tracking: bool,
    h: usize,
    labels: BTreeMap<Label, usize>,
}

impl Height {
    /// Starts tracking at height 0 (the script's body).
    pub fn start(&mut self) {
        self.tracking = true;
        self.h = 0;
    }

    /// Stops tracking (functions and stubs run at heights only their callers know).
    pub fn stop(&mut self) {
        self.tracking = false;
    }

    /// Whether the height is being tracked (the script's body).
    pub fn tracking(&self) -> bool {
        self.tracking
    }

    /// The current height.
    pub fn get(&self) -> usize {
        self.h
    }

    /// Sets the height (after a subroutine returns).
    pub fn set(&mut self, h: usize) {
        if self.tracking {
            self.h = h;
        }
    }

    /// An opcode's effect.
    pub fn op(&mut self, o: Opcode) {
        if let (true, Some(info)) = (self.tracking, o.info()) {
            self.h = self.h.saturating_sub(info.inputs as usize) + info.outputs as usize;
        }
    }

    /// One item pushed.
    pub fn pushed(&mut self) {
        if self.tracking {
            self.h += 1;
        }
    }

    /// A jump to `l` was emitted (its operands already popped): code at `l` starts at
    /// this height.
    pub fn jumped_to(&mut self, l: Label) {
        if self.tracking {
            self.labels.entry(l).or_insert(self.h);
        }
    }

    /// `l` is placed: its height is the one its jumps recorded, if any.
    pub fn place(&mut self, l: Label) {
        if self.tracking {
            if let Some(h) = self.labels.get(&l) {
                self.h = *h;
            }
        }
    }
}

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

/// Every variable a block mentions (reads or assigns).
fn mentions(b: &[Stmt], out: &mut BTreeSet<Var>) {
    for s in b {
        match s {
            Stmt::Set(v, e) => {
                out.insert(*v);
                reads(e, out);
            }
            Stmt::Eval(e) | Stmt::Check(e, _) => reads(e, out),
            Stmt::If(c, t, e) => {
                reads(c, out);
                mentions(t, out);
                mentions(e, out);
            }
            Stmt::Loop { var, body, .. } => {
                out.insert(*var);
                mentions(body, out);
            }
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => {
                reads(token, out);
                reads(spender, out);
                reads(amount, out);
            }
            Stmt::Return(vs) => vs.iter().for_each(|v| reads(v, out)),
            Stmt::JournalMark(v) | Stmt::RevokeJournal(Some(v)) => {
                out.insert(*v);
            }
            _ => {}
        }
    }
}

fn special_vars(b: &[Stmt], out: &mut BTreeSet<Var>) {
    for s in b {
        match s {
            Stmt::Loop { var, body, .. } => {
                out.insert(*var);
                special_vars(body, out);
            }
            Stmt::If(_, t, e) => {
                special_vars(t, out);
                special_vars(e, out);
            }
            Stmt::JournalMark(v) | Stmt::RevokeJournal(Some(v)) => {
                out.insert(*v);
            }
            _ => {}
        }
    }
}
