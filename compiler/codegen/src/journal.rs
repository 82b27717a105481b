//! The grant journal: in journal mode every grant is recorded in memory with its
//! revocation's operands, and exits revoke the recorded grants newest first.
//!
//! Memory: `[journal]` the number of entries, `[journal + 32]` the entry being
//! revoked, then room for `journal_capacity` entries of `journal_entry` bytes: the grant
//! id, then the revocation's variable operands (its constant operands are pushed from
//! code when it runs). The region is reserved whenever the module uses a journal, even
//! when no run can record an entry, and a push past the capacity reverts: nothing but
//! `journal_push` ever writes it.

use crate::emit::Gen;
use alloy_primitives::U256;
use nest_evm::Opcode as O;
use nest_ir::{
    Arg, Block, CallExpr, Expr, Failure, GrantId, Module, Operand, Revocation, Stmt, Var,
};

/// The most entries a journal may need; more is refused at compile time.
pub const MAX_ENTRIES: u64 = 1024;

fn operands(r: &Revocation) -> Vec<Operand> {
    match r {
        Revocation::Erc20 { token, spender } => vec![*token, *spender],
        Revocation::Call { target, args, .. } => std::iter::once(*target)
            .chain(args.iter().copied())
            .collect(),
    }
}

/// The variables among a revocation's operands, in order: only they are recorded in
/// an entry. Constant operands are pushed from code when the entry is revoked.
fn recorded(r: &Revocation) -> Vec<Var> {
    operands(r)
        .into_iter()
        .filter_map(|o| match o {
            Operand::Var(v) => Some(v),
            Operand::Const(_) => None,
        })
        .collect()
}

/// The journal's shape in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalSize {
    /// Whether the module records grants in a journal (journal mode).
    pub on: bool,
    /// Bytes per entry: the grant id, then the recorded operands.
    pub entry: u64,
    /// The most entries any run can record; a push beyond it reverts.
    pub capacity: u64,
}

impl JournalSize {
    /// The bytes the journal occupies: its length word, the revoking cursor, the
    /// entries. Never zero in journal mode, whatever the capacity.
    pub fn bytes(&self) -> u64 {
        if self.on {
            64 + self.entry * self.capacity
        } else {
            0
        }
    }
}

/// The journal's shape for a module.
pub fn size(m: &Module) -> JournalSize {
    let entry = 32
        * (1 + m
            .grants
            .iter()
            .map(|g| recorded(&g.revoke).len() as u64)
            .max()
            .unwrap_or(0));
    let on = uses_journal(&m.body) || m.functions.iter().any(|f| uses_journal(&f.body));
    JournalSize {
        on,
        entry,
        capacity: if on {
            tally(m).entries.min(MAX_ENTRIES)
        } else {
            0
        },
    }
}

/// What counting a module's journal entries finds.
#[derive(Default, Clone, Copy)]
struct Tally {
    /// The most entries a run may record.
    entries: u64,
    /// The grant recorded the most times, and how many.
    heaviest: Option<(GrantId, u64)>,
}

impl Tally {
    /// Adds `t`, run `mult` times.
    fn add(&mut self, t: Tally, mult: u64) {
        self.entries = self.entries.saturating_add(t.entries.saturating_mul(mult));
        if let Some((g, k)) = t.heaviest {
            let k = k.saturating_mul(mult);
            if self.heaviest.is_none_or(|(_, h)| h < k) {
                self.heaviest = Some((g, k));
            }
        }
    }
}

/// Counts the most entries a run of the script may record. Each helper function's body
/// is counted once (functions never recurse, and one only calls functions defined
/// before it is counted or counts them first), so counting is linear in program size.
fn tally(m: &Module) -> Tally {
    let mut memo: Vec<Option<Tally>> = vec![None; m.functions.len()];
    let mut t = Tally::default();
    count(m, &m.body, 1, &mut t, &mut memo, 0);
    t
}

/// Adds to `n` how many journal entries `b` may record, run `mult` times.
fn count(
    m: &Module,
    b: &Block,
    mult: u64,
    n: &mut Tally,
    memo: &mut Vec<Option<Tally>>,
    depth: u32,
) {
    // Functions never recurse (the checker refuses it); a deeper chain than any
    // real script has is counted as too big rather than trusted.
    if depth > 64 {
        n.entries = u64::MAX;
        return;
    }
    let calls = |e: &Expr, n: &mut Tally, memo: &mut Vec<Option<Tally>>| {
        let mut called = Vec::new();
        e.walk(&mut |x| {
            if let Expr::CallFn { func, .. } = x {
                called.push(*func as usize);
            }
        });
        for f in called {
            let Some(func) = m.functions.get(f) else {
                continue;
            };
            let t = match memo[f] {
                Some(t) => t,
                None => {
                    let mut t = Tally::default();
                    count(m, &func.body, 1, &mut t, memo, depth + 1);
                    memo[f] = Some(t);
                    t
                }
            };
            n.add(t, mult);
        }
    };
    for s in b {
        match s {
            Stmt::Journal(g) => n.add(
                Tally {
                    entries: 1,
                    heaviest: Some((*g, 1)),
                },
                mult,
            ),
            Stmt::If(c, t, e) => {
                count(m, t, mult, n, memo, depth);
                count(m, e, mult, n, memo, depth);
                calls(c, n, memo);
            }
            Stmt::Loop {
                start, end, body, ..
            } => {
                let trips = end
                    .saturating_sub(*start)
                    .min(U256::from(u64::MAX))
                    .to::<u64>();
                count(m, body, mult.saturating_mul(trips), n, memo, depth);
            }
            Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => calls(e, n, memo),
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => {
                calls(token, n, memo);
                calls(spender, n, memo);
                calls(amount, n, memo);
            }
            Stmt::Return(vs) => vs.iter().for_each(|v| calls(v, n, memo)),
            Stmt::Loc(_)
            | Stmt::Grant(_)
            | Stmt::EndGrant(_)
            | Stmt::JournalMark(_)
            | Stmt::RevokeJournal(_)
            | Stmt::Revoke(_)
            | Stmt::Fail(_)
            | Stmt::Stop => {}
        }
    }
}

/// Whether a block records grants in, or revokes from, a journal (calls aside).
fn uses_journal(b: &Block) -> bool {
    b.iter().any(|s| match s {
        Stmt::Journal(_) | Stmt::JournalMark(_) | Stmt::RevokeJournal(_) => true,
        Stmt::If(_, t, e) => uses_journal(t) || uses_journal(e),
        Stmt::Loop { body, .. } => uses_journal(body),
        _ => false,
    })
}

/// A journal too big to compile: how many entries a run may record, and where the
/// grant recorded the most times is made.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalOverflow {
    /// The most entries a run may record.
    pub entries: u64,
    /// The grant recorded the most times (inside the heaviest loop), where known.
    pub at: Option<nest_ir::Loc>,
}

impl std::fmt::Display for JournalOverflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the script may record {} grants at run time; the limit is {MAX_ENTRIES}",
            self.entries
        )
    }
}

/// The journal's overflow, if the module may record more than [`MAX_ENTRIES`] grants.
pub fn journal_overflow(m: &Module) -> Option<JournalOverflow> {
    let t = tally(m);
    (t.entries > MAX_ENTRIES).then(|| JournalOverflow {
        entries: t.entries,
        at: t
            .heaviest
            .and_then(|(g, _)| m.grants.get(g.0 as usize))
            .and_then(|g| g.loc),
    })
}

/// Refuses modules whose journal would be unreasonably large.
pub fn check_bounds(m: &Module) -> Result<(), String> {
    match journal_overflow(m) {
        Some(o) => Err(o.to_string()),
        None => Ok(()),
    }
}

impl Gen {
    /// `journal #g`: appends the grant id and its revocation's variable operands, after
    /// checking the journal has room (a full journal reverts: its capacity is an upper
    /// bound computed at compile time, and the region past it belongs to the heap).
    pub(crate) fn journal_push(&mut self, m: &Module, g: GrantId) {
        let info = &m.grants[g.0 as usize];
        let (base, entry, capacity) = (
            self.layout.journal,
            self.layout.journal_entry,
            self.layout.journal_capacity,
        );
        self.comment(format!("journal #{}", g.0));
        self.pushn(base);
        self.op(O::MLOAD);
        // [n]: n != capacity (n grows one entry at a time from 0, so it reaches the
        // capacity before it could pass it)
        self.op(O::DUP1);
        self.pushn(capacity);
        self.op(O::EQ);
        self.fail_if(Failure::Error(crate::stubs::JOURNAL_FULL.into()));
        // [n] → [n, e] with e = base + 64 + n * entry
        self.op(O::DUP1);
        self.pushn(entry);
        self.op(O::MUL);
        self.pushn(base + 64);
        self.op(O::ADD);
        self.pushn(g.0 as u64);
        self.ops(&[O::DUP2, O::MSTORE]);
        for (j, v) in recorded(&info.revoke).into_iter().enumerate() {
            self.expr(&Expr::Var(v));
            self.op(O::DUP2);
            self.pushn(32 * (j as u64 + 1));
            self.ops(&[O::ADD, O::MSTORE]);
        }
        self.op(O::POP);
        self.pushn(1);
        self.op(O::ADD);
        self.pushn(base);
        self.op(O::MSTORE);
    }

    /// `revoke_journal [down_to %v]`: calls the revoking subroutine.
    pub(crate) fn revoke_journal_call(&mut self, mark: Option<Var>) {
        let ret = self.new_label();
        let sub = match self.revoke_journal {
            Some(l) => l,
            None => {
                let l = self.new_label();
                self.revoke_journal = Some(l);
                l
            }
        };
        let h = self.stack.get();
        self.push_label(ret);
        match mark {
            Some(v) => {
                self.pushn(self.layout.var(v));
                self.op(O::MLOAD);
            }
            None => self.pushn(0),
        }
        self.jump(sub);
        self.place(ret);
        self.stack.set(h);
    }

    /// The subroutine: entered with `[ret, mark]`; revokes entries newest first while
    /// the journal is longer than `mark`, then returns. Which revocation runs is chosen
    /// by comparing the recorded id with each grant's id, pushed from code (an id no
    /// grant has cannot be recorded: it panics); constant operands come from code too.
    pub(crate) fn revoke_journal_body(&mut self, m: &Module) {
        let Some(entry_label) = self.revoke_journal else {
            return;
        };
        let (base, entry) = (self.layout.journal, self.layout.journal_entry);
        let scratch = base + 32;
        let lp = self.new_label();
        let done = self.new_label();
        self.comment("revoke_journal(mark): newest first");
        self.shared_code();
        self.place(entry_label);
        self.place(lp);
        self.pushn(base);
        self.op(O::MLOAD);
        self.ops(&[O::DUP2, O::DUP2, O::GT, O::ISZERO]);
        self.jumpi(done);
        // n -= 1; scratch = base + 64 + n * entry
        self.pushn(1);
        self.ops(&[O::SWAP1, O::SUB, O::DUP1]);
        self.pushn(base);
        self.op(O::MSTORE);
        self.pushn(entry);
        self.op(O::MUL);
        self.pushn(base + 64);
        self.op(O::ADD);
        self.pushn(scratch);
        self.op(O::MSTORE);
        // dispatch on the grant id: [ret, mark, id]
        self.pushn(scratch);
        self.ops(&[O::MLOAD, O::MLOAD]);
        let cases: Vec<(usize, nest_evm::Label)> =
            (0..m.grants.len()).map(|i| (i, self.new_label())).collect();
        for (i, l) in &cases {
            self.op(O::DUP1);
            self.pushn(*i as u64);
            self.op(O::EQ);
            self.jumpi(*l);
        }
        // Unknown ids cannot be recorded; treat as a corrupted journal.
        self.fail_if_always();
        for (i, l) in cases {
            self.place(l);
            self.op(O::POP);
            self.comment(format!("revoke #{i}"));
            // The recorded variables, in order, then the constants from code.
            let mut j = 0u32;
            let mut value = |o: Operand| match o {
                Operand::Const(c) => Expr::Const(c),
                Operand::Var(_) => {
                    j += 1;
                    Expr::Word {
                        ptr: Box::new(Expr::Word {
                            ptr: Box::new(Expr::Const(U256::from(scratch))),
                            offset: 0,
                        }),
                        offset: 32 * j,
                    }
                }
            };
            match &m.grants[i].revoke {
                Revocation::Erc20 { token, spender } => {
                    let (token, spender) = (value(*token), value(*spender));
                    self.force_approve_call(&token, &spender, &Expr::Const(U256::ZERO), false)
                }
                Revocation::Call {
                    target,
                    signature,
                    selector,
                    args,
                } => {
                    let target = value(*target);
                    let args = args.iter().map(|a| Arg::Word(value(*a))).collect();
                    let call = CallExpr {
                        is_static: false,
                        target,
                        value: None,
                        signature: signature.clone(),
                        selector: *selector,
                        args,
                        outputs: Vec::new(),
                        declares_outputs: false,
                    };
                    self.revocation_call(&call);
                }
            }
            self.jump(lp);
        }
        self.place(done);
        self.ops(&[O::POP, O::POP, O::JUMP]);
    }

    fn fail_if_always(&mut self) {
        let l = self.failure(nest_ir::Failure::Panic(0x01));
        self.jump(l);
    }
}
