//! Force-approve at its call site, cheap on the common path: one `approve` call whose
//! result word lands just before the call data, then one check that the call succeeded
//! and returned exactly `true`, which jumps over the slow path. Anything else falls into
//! the shared slow path: a token that succeeded without return data (USDT-style) only
//! needs to have code; one that returned `false` or reverted (USDT-style tokens refuse
//! non-zero to non-zero) enters the force-approve subroutine at its retry: zero first,
//! then the amount again, or a revert with a clear message.
//!
//! Why the result word is sound: the call writes its return data over
//! `[buf - 28, buf + 4)`, whose last four bytes hold the selector (`…a7b3`) before the
//! call. If the token returns fewer than 32 bytes, the word's last byte is still `0xb3`,
//! so the word is 1 only when the token returned a full word equal to 1.

use crate::emit::Gen;
use nest_evm::Opcode as O;
use nest_ir::{Arg, Expr};

/// `approve(address,uint256)`.
pub(crate) const APPROVE_SELECTOR: [u8; 4] = [0x09, 0x5e, 0xa7, 0xb3];

/// Whether evaluating the expression again gives the same value at the slow path.
fn reevaluable(e: &Expr) -> bool {
    matches!(e, Expr::Const(_) | Expr::Var(_))
}

impl Gen {
    /// `force_approve(token, spender, amount)`: inline fast path when enabled and the
    /// token can be evaluated again, else the subroutine.
    /// `guard` as in [`Gen::target`]: off for revocations, whose grant was guarded.
    pub(crate) fn approve(&mut self, token: &Expr, spender: &Expr, amount: &Expr, guard: bool) {
        if !self.opts.fast_approve || !reevaluable(token) {
            self.force_approve_call(token, spender, amount, guard);
            return;
        }
        let buf = self.layout.call_buf;
        let result = buf - 28;
        let args = [Arg::Word(spender.clone()), Arg::Word(amount.clone())];
        let Some(len) = self.encode_static(APPROVE_SELECTOR, &args) else {
            self.force_approve_call(token, spender, amount, guard);
            return;
        };
        self.comment("approve(address,uint256)");
        // CALL(gas, token, 0, buf, len, buf - 28, 32)
        self.pushn(32);
        self.pushn(result);
        self.pushn(len);
        self.pushn(buf);
        self.op(O::PUSH0);
        self.target(token, guard);
        self.ops(&[O::GAS, O::CALL]);
        // [ok]: ok && word == 1 jumps over the slow path (a taken jump skips
        // dispatching the JUMPDEST, so it is cheaper than falling through one).
        self.pushn(result);
        self.op(O::MLOAD);
        self.pushn(1);
        self.ops(&[O::EQ, O::DUP2, O::AND]);
        let cont = self.new_label();
        self.jumpi(cont);
        self.comment("approve: slow path");
        let slow = self.approve_slow_label();
        self.push_label(cont);
        self.expr(token);
        self.jump(slow);
        self.place(cont);
        self.op(O::POP);
        // Either the token returned `true` or the slow path checked its code.
        self.prove_code(token);
    }

    fn approve_slow_label(&mut self) -> nest_evm::Label {
        match self.stubs.approve_slow {
            Some(l) => l,
            None => {
                let l = self.new_label();
                self.stubs.approve_slow = Some(l);
                l
            }
        }
    }

    /// The shared slow path, entered with `[ok, ret, token]` and the spender and
    /// amount still in the call buffer; returns to `ret` with `[ok]`. A token that
    /// succeeded without return data (USDT-style) must have code; anything else goes
    /// through the full force-approve subroutine (code check, retry through zero).
    pub(crate) fn approve_slow_body(&mut self) {
        let Some(entry) = self.stubs.approve_slow else {
            return;
        };
        let buf = self.layout.call_buf;
        let empty = self.new_label();
        self.comment("approve_slow(ok, ret, token)");
        self.shared_code();
        self.place(entry);
        self.ops(&[O::DUP3, O::RETURNDATASIZE, O::ISZERO, O::AND]);
        self.jumpi(empty);
        // The token has code (it returned data or reverted) and the first try failed:
        // force-approve from its retry through zero.
        self.force_approve_label();
        let sub = match self.stubs.force_approve_retry {
            Some(l) => l,
            None => {
                let l = self.new_label();
                self.stubs.force_approve_retry = Some(l);
                l
            }
        };
        self.pushn(buf + 4);
        self.op(O::MLOAD);
        self.pushn(buf + 36);
        self.op(O::MLOAD);
        self.jump(sub);
        self.place(empty);
        self.ops(&[O::EXTCODESIZE, O::ISZERO]);
        self.fail_if(nest_ir::Failure::Error(
            nest_artifact::reasons::NO_CODE.into(),
        ));
        self.op(O::JUMP);
    }
}
