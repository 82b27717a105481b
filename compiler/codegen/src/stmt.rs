//! Statements and expressions.

use crate::emit::Gen;
use alloy_primitives::U256;
use nest_evm::{AsmItem, Opcode as O, SourceLoc};
use nest_ir::{
    CheckedOp, Env, Expr, Failure, Module, Op, Operand, Revocation, Stmt, PANIC_DIV_ZERO,
    PANIC_INDEX, PANIC_OVERFLOW,
};

use crate::signed::max_of;

impl Gen {
    /// Pushes the stack constants, and sets up the heap pointer when calls return data.
    pub(crate) fn prologue(&mut self, _m: &Module, consts: &[crate::stack_consts::Known]) {
        if !consts.is_empty() {
            self.comment("constants kept on the stack");
        }
        // The most used constant goes last, nearest the top.
        for v in consts.iter().rev() {
            self.push_known(*v);
            let slot = self.stack.height.get();
            self.stack.consts.push((*v, slot));
        }
        if self.layout.uses_heap {
            self.comment("heap pointer");
            self.pushn(self.layout.heap);
            self.pushn(self.layout.heap_ptr);
            self.op(O::MSTORE);
        }
    }

    pub(crate) fn block(&mut self, m: &Module, b: &[Stmt]) {
        for s in b {
            self.stmt(m, s);
        }
    }

    fn stmt(&mut self, m: &Module, s: &Stmt) {
        match s {
            Stmt::Loc(l) => self.item(AsmItem::Loc(SourceLoc {
                file: l.file,
                line: l.line,
                col: l.col,
            })),
            Stmt::Set(v, e) => {
                self.expr(e);
                match self.stack.vars.get(v).copied() {
                    // First assignment: the value stays where it is.
                    Some(None) => {
                        self.stack.vars.insert(*v, Some(self.stack.height.get()));
                    }
                    Some(Some(slot)) => {
                        let n = self.stack.height.get() - slot;
                        self.swap(n);
                        self.op(O::POP);
                    }
                    None => {
                        self.pushn(self.layout.var(*v));
                        self.op(O::MSTORE);
                    }
                }
            }
            Stmt::If(c, t, e) => {
                // What a branch proves holds only inside it.
                let proven = self.proven.clone();
                let els = self.new_label();
                self.jump_unless(c, els);
                self.block(m, t);
                self.proven.clone_from(&proven);
                let t_exits = t.iter().any(Stmt::is_exit);
                if e.is_empty() {
                    self.place(els);
                } else {
                    let end = self.new_label();
                    if !t_exits {
                        self.jump(end);
                    }
                    self.place(els);
                    self.block(m, e);
                    self.place(end);
                }
                self.proven = proven;
            }
            Stmt::Loop {
                var,
                start,
                end,
                body,
            } => {
                let proven = self.proven.clone();
                let slot = self.layout.var(*var);
                let head = self.new_label();
                let exit = self.new_label();
                self.push(*start);
                self.pushn(slot);
                self.op(O::MSTORE);
                self.place(head);
                self.push(*end);
                self.pushn(slot);
                self.op(O::MLOAD);
                self.op(O::LT);
                self.op(O::ISZERO);
                self.jumpi(exit);
                self.block(m, body);
                self.pushn(slot);
                self.op(O::MLOAD);
                self.pushn(1);
                self.op(O::ADD);
                self.pushn(slot);
                self.op(O::MSTORE);
                self.jump(head);
                self.place(exit);
                // The body may not have run.
                self.proven = proven;
            }
            Stmt::Eval(e) => {
                let has_value = match e {
                    Expr::Call(c) => !c.outputs.is_empty(),
                    Expr::CallFn { func, .. } => m
                        .functions
                        .get(*func as usize)
                        .is_some_and(|f| f.result.is_some()),
                    _ => true,
                };
                self.expr(e);
                if has_value {
                    self.op(O::POP);
                }
            }
            Stmt::Check(c, f) => {
                let l = self.failure(f.clone());
                self.jump_unless(c, l);
            }
            Stmt::Fail(f) => {
                let l = self.failure(f.clone());
                self.jump(l);
            }
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => self.approve(token, spender, amount, true),
            Stmt::Grant(_) | Stmt::EndGrant(_) => {}
            Stmt::Journal(g) => self.journal_push(m, *g),
            Stmt::JournalMark(v) => {
                self.pushn(self.layout.journal);
                self.op(O::MLOAD);
                self.pushn(self.layout.var(*v));
                self.op(O::MSTORE);
            }
            Stmt::RevokeJournal(mark) => self.revoke_journal_call(*mark),
            Stmt::Revoke(g) => {
                let info = &m.grants[g.0 as usize];
                self.comment(format!("revoke #{}", g.0));
                match &info.revoke {
                    Revocation::Erc20 { token, spender } => self.approve(
                        &operand(*token),
                        &operand(*spender),
                        &Expr::Const(U256::ZERO),
                        false,
                    ),
                    Revocation::Call {
                        target,
                        signature,
                        selector,
                        args,
                    } => {
                        let call = nest_ir::CallExpr {
                            is_static: false,
                            target: operand(*target),
                            value: None,
                            signature: signature.clone(),
                            selector: *selector,
                            args: args
                                .iter()
                                .map(|a| nest_ir::Arg::Word(operand(*a)))
                                .collect(),
                            outputs: Vec::new(),
                            declares_outputs: false,
                        };
                        self.revocation_call(&call);
                    }
                }
            }
            Stmt::Return(vs) if self.funcs.current_result.is_some() => self.fn_return(vs),
            Stmt::Return(vs) => self.return_values(vs, &m.returns),
            Stmt::Stop => self.op(O::STOP),
        }
    }

    /// Jumps to `l` when the condition is zero (consumes nothing else). With
    /// `cond_jumps`, `iszero(x)` jumps on `x` itself rather than on `iszero(iszero(x))`.
    fn jump_unless(&mut self, c: &Expr, l: nest_evm::Label) {
        if self.opts.cond_jumps {
            if let Expr::Op(Op::IsZero, xs) = c {
                if let [x] = xs.as_slice() {
                    self.expr(x);
                    self.jumpi(l);
                    return;
                }
            }
        }
        self.expr(c);
        self.op(O::ISZERO);
        self.jumpi(l);
    }

    /// Calls the force-approve subroutine with a return label; `guard` as in
    /// [`Gen::target`] (a revocation's token was guarded when it was granted).
    pub(crate) fn force_approve_call(
        &mut self,
        token: &Expr,
        spender: &Expr,
        amount: &Expr,
        guard: bool,
    ) {
        let ret = self.new_label();
        let sub = self.force_approve_label();
        let h = self.stack.height.get();
        self.push_label(ret);
        self.target(token, guard);
        self.expr(spender);
        self.expr(amount);
        self.jump(sub);
        self.place(ret);
        self.stack.height.set(h);
    }

    /// `DUPn` of a stack variable; out of reach marks the attempt as failed.
    fn dup(&mut self, n: usize) {
        if !(1..=16).contains(&n) {
            self.stack.too_deep = true;
            return;
        }
        self.op(O(0x7f + n as u8));
    }

    /// `SWAPn` to a stack variable; out of reach marks the attempt as failed.
    fn swap(&mut self, n: usize) {
        if !(1..=16).contains(&n) {
            self.stack.too_deep = true;
            return;
        }
        self.op(O(0x8f + n as u8));
    }

    /// Emits code leaving the expression's value on the stack (nothing for a call
    /// without outputs).
    pub(crate) fn expr(&mut self, e: &Expr) {
        if let Some(read) = crate::analysis::fused_match::fused_read(e, &self.opts) {
            self.fused(read);
            return;
        }
        match e {
            Expr::Const(v) => self.push(*v),
            Expr::Var(v) => match self.stack.vars.get(v).copied().flatten() {
                Some(slot) => {
                    let depth = self.stack.height.get() + 1 - slot;
                    self.dup(depth);
                }
                None => {
                    self.pushn(self.layout.var(*v));
                    self.op(O::MLOAD);
                }
            },
            Expr::Env(env) => self.op(match env {
                Env::SelfAddress => O::ADDRESS,
                Env::Timestamp => O::TIMESTAMP,
                Env::Number => O::NUMBER,
                Env::ChainId => O::CHAINID,
                Env::SelfBalance => O::SELFBALANCE,
            }),
            Expr::Op(op, args) => {
                if matches!(op, Op::Shl | Op::Shr | Op::Sar) {
                    // EVM shifts take the shift amount on top: value first, amount last.
                    args.iter().for_each(|a| self.expr(a));
                } else {
                    args.iter().rev().for_each(|a| self.expr(a));
                }
                self.op(match op {
                    Op::Add => O::ADD,
                    Op::Sub => O::SUB,
                    Op::Mul => O::MUL,
                    Op::Lt => O::LT,
                    Op::Gt => O::GT,
                    Op::Slt => O::SLT,
                    Op::Sgt => O::SGT,
                    Op::Eq => O::EQ,
                    Op::IsZero => O::ISZERO,
                    Op::And => O::AND,
                    Op::Or => O::OR,
                    Op::Xor => O::XOR,
                    Op::Not => O::NOT,
                    Op::Shl => O::SHL,
                    Op::Shr => O::SHR,
                    Op::Sar => O::SAR,
                    Op::SignExtend => O::SIGNEXTEND,
                });
            }
            Expr::Checked { op, bits, lhs, rhs } => self.checked(*op, *bits, lhs, rhs),
            Expr::Signed { op, bits, lhs, rhs } => self.signed(*op, *bits, lhs, rhs),
            Expr::NarrowSigned { expr, bits } => {
                self.expr(expr);
                self.fits_signed(*bits);
            }
            Expr::Pow { bits, base, exp } => self.pow(*bits, base, exp),
            Expr::SignedPow { bits, base, exp } => self.signed_pow(*bits, base, exp),
            Expr::Keccak(ptr) => {
                // keccak256(ptr + 32, word(ptr))
                self.expr(ptr);
                self.ops(&[O::DUP1, O::MLOAD, O::SWAP1]);
                self.pushn(32);
                self.ops(&[O::ADD, O::KECCAK256]);
            }
            Expr::Encode(args) => self.encode_bytes(args),
            Expr::Narrow { expr, bits } => {
                self.expr(expr);
                if *bits < 256 {
                    self.op(O::DUP1);
                    self.push(max_of(*bits));
                    self.op(O::LT);
                    self.fail_if(Failure::Panic(PANIC_OVERFLOW));
                }
            }
            Expr::Logic { and, lhs, rhs } => {
                let end = self.new_label();
                self.expr(lhs);
                self.op(O::DUP1);
                if *and {
                    self.op(O::ISZERO);
                }
                self.jumpi(end);
                self.op(O::POP);
                self.expr(rhs);
                self.place(end);
            }
            Expr::MinMax { max, lhs, rhs } => {
                let keep = self.new_label();
                self.expr(rhs);
                self.expr(lhs);
                // [r, l]: choose l when (min: l < r) (max: l > r).
                self.ops(&[
                    O::DUP2,
                    O::DUP2,
                    if *max { O::GT } else { O::LT },
                    O::ISZERO,
                ]);
                self.jumpi(keep);
                self.op(O::SWAP1);
                self.place(keep);
                self.op(O::POP);
            }
            Expr::Call(c) => self.call(c),
            Expr::Word { ptr, offset } => {
                self.expr(ptr);
                if *offset > 0 {
                    self.pushn(*offset as u64);
                    self.op(O::ADD);
                }
                self.op(O::MLOAD);
            }
            Expr::ArrayPtr { ptr, head } => {
                self.expr(ptr);
                self.op(O::DUP1);
                if *head > 0 {
                    self.pushn(*head as u64);
                    self.op(O::ADD);
                }
                self.op(O::MLOAD);
                self.op(O::ADD);
            }
            Expr::Elem {
                array,
                index,
                shape,
            } => self.elem(array, index, *shape),
            Expr::CallFn { func, args } => self.call_fn(*func, args),
            Expr::ArrayGet { array, index } => {
                self.expr(index);
                self.expr(array);
                // [i, a]
                self.ops(&[O::DUP1, O::MLOAD, O::DUP3, O::LT, O::ISZERO]);
                self.fail_if(Failure::Panic(PANIC_INDEX));
                self.op(O::SWAP1);
                self.pushn(5);
                self.op(O::SHL);
                self.op(O::ADD);
                self.pushn(32);
                self.op(O::ADD);
                self.op(O::MLOAD);
            }
        }
    }

    fn checked(&mut self, op: CheckedOp, bits: u16, lhs: &Expr, rhs: &Expr) {
        self.expr(rhs);
        self.expr(lhs);
        // Stack: [r, l] with l on top.
        match op {
            CheckedOp::Add if bits == 256 => {
                // s = l + r overflows iff s < r.
                self.ops(&[O::DUP2, O::ADD, O::SWAP1, O::DUP2, O::LT]);
                self.fail_if(Failure::Panic(PANIC_OVERFLOW));
            }
            CheckedOp::Add => {
                self.op(O::ADD);
                self.op(O::DUP1);
                self.push(max_of(bits));
                self.op(O::LT);
                self.fail_if(Failure::Panic(PANIC_OVERFLOW));
            }
            CheckedOp::Sub => {
                self.ops(&[O::DUP2, O::DUP2, O::LT]);
                self.fail_if(Failure::Panic(PANIC_OVERFLOW));
                self.op(O::SUB);
            }
            CheckedOp::Mul => self.mul_unsigned(bits),
            CheckedOp::Div | CheckedOp::Rem => {
                self.ops(&[O::DUP2, O::ISZERO]);
                self.fail_if(Failure::Panic(PANIC_DIV_ZERO));
                self.op(if op == CheckedOp::Div { O::DIV } else { O::MOD });
            }
        }
    }
}

fn operand(o: Operand) -> Expr {
    match o {
        Operand::Const(c) => Expr::Const(c),
        Operand::Var(v) => Expr::Var(v),
    }
}
