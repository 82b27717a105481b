//! The grant journal: in journal mode every grant is recorded in memory with its
//! revocation's operands, and exits revoke the recorded grants newest first.
//!
//! Memory: `[journal]` the number of entries, `[journal + 32]` the entry being
//! revoked, then entries of `journal_entry` bytes: the grant id, then the operands.

use crate::emit::Gen;
use alloy_primitives::U256;
use nest_evm::Opcode as O;
use nest_ir::{Arg, Block, CallExpr, Expr, GrantId, Module, Operand, Revocation, Stmt, Var};

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

/// Bytes per entry and the most entries any run can record (0 outside journal mode).
pub fn size(m: &Module) -> (u64, u64) {
    let entry = 32
        * (1 + m
            .grants
            .iter()
            .map(|g| operands(&g.revoke).len() as u64)
            .max()
            .unwrap_or(0));
    let mut t = Tally::default();
    count(m, &m.body, 1, &mut t, 0);
    (entry, t.entries.min(MAX_ENTRIES))
}

/// What counting a module's journal entries finds.
#[derive(Default)]
struct Tally {
    /// The most entries a run may record.
    entries: u64,
    /// The grant recorded the most times, and how many.
    heaviest: Option<(GrantId, u64)>,
}

/// Adds to `n` how many journal entries `b` may record, run `mult` times; calls of
/// helper functions count their bodies (functions never recurse; `depth` guards).
fn count(m: &Module, b: &Block, mult: u64, n: &mut Tally, depth: u32) {
    // Calls of helper functions inside an expression record what their bodies record:
    // nothing, and no call deeper than one, when no function journals or calls another,
    // and then expressions need no walk. Decided once per module, not per block.
    let functions_count = m
        .functions
        .iter()
        .any(|f| journals(&f.body) || calls_functions(&f.body));
    count_in(m, b, mult, n, depth, functions_count);
}

fn count_in(m: &Module, b: &Block, mult: u64, n: &mut Tally, depth: u32, functions_count: bool) {
    if depth > 64 {
        n.entries = u64::MAX;
        return;
    }
    let calls = |e: &Expr, n: &mut Tally| {
        if !functions_count {
            return;
        }
        e.walk(&mut |x| {
            if let Expr::CallFn { func, .. } = x {
                if let Some(f) = m.functions.get(*func as usize) {
                    count_in(m, &f.body, mult, n, depth + 1, functions_count);
                }
            }
        });
    };
    for s in b {
        match s {
            Stmt::Journal(g) => {
                n.entries = n.entries.saturating_add(mult);
                if n.heaviest.is_none_or(|(_, k)| k < mult) {
                    n.heaviest = Some((*g, mult));
                }
            }
            Stmt::If(c, t, e) => {
                count_in(m, t, mult, n, depth, functions_count);
                count_in(m, e, mult, n, depth, functions_count);
                calls(c, n);
            }
            Stmt::Loop {
                start, end, body, ..
            } => {
                let trips = end
                    .saturating_sub(*start)
                    .min(U256::from(u64::MAX))
                    .to::<u64>();
                count_in(
                    m,
                    body,
                    mult.saturating_mul(trips),
                    n,
                    depth,
                    functions_count,
                );
            }
            Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => calls(e, n),
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => {
                calls(token, n);
                calls(spender, n);
                calls(amount, n);
            }
            Stmt::Return(vs) => vs.iter().for_each(|v| calls(v, n)),
            _ => {}
        }
    }
}

/// Whether a block records a grant in the journal, itself (calls aside).
fn journals(b: &Block) -> bool {
    b.iter().any(|s| match s {
        Stmt::Journal(_) => true,
        Stmt::If(_, t, e) => journals(t) || journals(e),
        Stmt::Loop { body, .. } => journals(body),
        _ => false,
    })
}

/// Whether a block calls a helper function.
fn calls_functions(b: &Block) -> bool {
    let mut found = false;
    crate::layout::walk_block(b, &mut |e| found |= matches!(e, Expr::CallFn { .. }));
    found
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
    let mut t = Tally::default();
    count(m, &m.body, 1, &mut t, 0);
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

fn operand(o: Operand) -> Expr {
    match o {
        Operand::Const(c) => Expr::Const(c),
        Operand::Var(v) => Expr::Var(v),
    }
}

impl Gen {
    /// `journal #g`: appends the grant and its operands' current values.
    pub(crate) fn journal_push(&mut self, m: &Module, g: GrantId) {
        let info = &m.grants[g.0 as usize];
        let (base, entry) = (self.layout.journal, self.layout.journal_entry);
        self.comment(format!("journal #{}", g.0));
        self.pushn(base);
        self.op(O::MLOAD);
        // [n] → [n, e] with e = base + 64 + n * entry
        self.op(O::DUP1);
        self.pushn(entry);
        self.op(O::MUL);
        self.pushn(base + 64);
        self.op(O::ADD);
        self.pushn(g.0 as u64);
        self.ops(&[O::DUP2, O::MSTORE]);
        for (j, op) in operands(&info.revoke).into_iter().enumerate() {
            self.expr(&operand(op));
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
    /// the journal is longer than `mark`, then returns.
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
        let field = |j: u64| Expr::Word {
            ptr: Box::new(Expr::Word {
                ptr: Box::new(Expr::Const(U256::from(scratch))),
                offset: 0,
            }),
            offset: 32 * (j as u32 + 1),
        };
        for (i, l) in cases {
            self.place(l);
            self.op(O::POP);
            self.comment(format!("revoke #{i}"));
            match &m.grants[i].revoke {
                Revocation::Erc20 { .. } => {
                    self.force_approve_call(&field(0), &field(1), &Expr::Const(U256::ZERO))
                }
                Revocation::Call {
                    signature,
                    selector,
                    args,
                    ..
                } => {
                    let call = CallExpr {
                        is_static: false,
                        target: field(0),
                        value: None,
                        signature: signature.clone(),
                        selector: *selector,
                        args: (0..args.len())
                            .map(|j| Arg::Word(field(j as u64 + 1)))
                            .collect(),
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
