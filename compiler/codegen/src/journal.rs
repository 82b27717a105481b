//! The grant journal: in journal mode every grant is recorded in memory with its
//! revocation's operands, and exits revoke the recorded grants newest first.
//!
//! Memory: `[journal]` the number of entries, `[journal + 32]` the entry being
//! revoked, then room for `journal_capacity` entries of `journal_entry` bytes: the grant
//! id, then the revocation's variable operands (its constant operands are pushed from
//! code when it runs). The region is reserved whenever the module uses a journal, even
//! when no run can record an entry, and a push past the capacity reverts: nothing but
//! `journal_push` ever writes it. The entry size and capacity are computed by
//! `analysis::journal_size`.

use crate::analysis::journal_size::recorded;
use crate::emit::Gen;
use alloy_primitives::U256;
use nest_evm::Opcode as O;
use nest_ir::{Arg, CallExpr, Expr, Failure, GrantId, Module, Operand, Revocation, Var};

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
        let sub = match self.stubs.revoke_journal {
            Some(l) => l,
            None => {
                let l = self.new_label();
                self.stubs.revoke_journal = Some(l);
                l
            }
        };
        let h = self.stack.height.get();
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
        self.stack.height.set(h);
    }

    /// The subroutine: entered with `[ret, mark]`; revokes entries newest first while
    /// the journal is longer than `mark`, then returns. Which revocation runs is chosen
    /// by comparing the recorded id with each grant's id, pushed from code (an id no
    /// grant has cannot be recorded: it panics); constant operands come from code too.
    pub(crate) fn revoke_journal_body(&mut self, m: &Module) {
        let Some(entry_label) = self.stubs.revoke_journal else {
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
