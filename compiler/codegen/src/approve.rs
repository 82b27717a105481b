//! Force-approve at its call site, cheap on the common path: one `approve` call whose
//! result word lands just before the call data, then one check that the call succeeded
//! and returned exactly `true`. Anything else — a token that returns nothing, returns
//! `false`, reverts (USDT-style tokens refuse non-zero to non-zero), or has no code —
//! jumps to an out-of-line slow path that runs the full force-approve subroutine, which
//! checks the token's code, retries through zero and reverts with a clear message.
//!
//! Why the result word is sound: the call writes its return data over
//! `[buf - 28, buf + 4)`, whose last four bytes hold the selector (`…a7b3`) before the
//! call. If the token returns fewer than 32 bytes, the word's last byte is still `0xb3`,
//! so the word is 1 only when the token returned a full word equal to 1.

use crate::emit::Gen;
use nest_evm::{Label, Opcode as O};
use nest_ir::{Arg, Expr};

/// `approve(address,uint256)`.
pub(crate) const APPROVE_SELECTOR: [u8; 4] = [0x09, 0x5e, 0xa7, 0xb3];

/// The slow path of one inline approval, emitted after the body.
pub(crate) struct SlowPath {
    /// Where the fast path jumps on anything but `true`.
    pub label: Label,
    /// Where the slow path returns.
    pub cont: Label,
    /// The token, evaluated again on the slow path.
    pub token: Expr,
}

/// Whether evaluating the expression again gives the same value at the slow path.
fn reevaluable(e: &Expr) -> bool {
    matches!(e, Expr::Const(_) | Expr::Var(_))
}

impl Gen {
    /// `force_approve(token, spender, amount)`: inline fast path when enabled and the
    /// token can be evaluated again, else the subroutine.
    pub(crate) fn approve(&mut self, token: &Expr, spender: &Expr, amount: &Expr) {
        if !self.opts.fast_approve || !reevaluable(token) {
            self.force_approve_call(token, spender, amount);
            return;
        }
        let buf = self.layout.call_buf;
        let result = buf - 28;
        let args = [Arg::Word(spender.clone()), Arg::Word(amount.clone())];
        let Some(len) = self.encode_static(APPROVE_SELECTOR, &args) else {
            self.force_approve_call(token, spender, amount);
            return;
        };
        self.comment("approve(address,uint256)");
        // CALL(gas, token, 0, buf, len, buf - 28, 32)
        self.pushn(32);
        self.pushn(result);
        self.pushn(len);
        self.pushn(buf);
        self.op(O::PUSH0);
        self.expr(token);
        self.ops(&[O::GAS, O::CALL]);
        // ok && word == 1, else the slow path.
        self.pushn(result);
        self.op(O::MLOAD);
        self.pushn(1);
        self.ops(&[O::EQ, O::AND, O::ISZERO]);
        let label = self.new_label();
        let cont = self.new_label();
        self.jumpi(label);
        self.place(cont);
        self.approve_slow.push(SlowPath { label, cont, token: token.clone() });
    }

    /// The slow paths: each calls the force-approve subroutine with the token and the
    /// spender and amount still in the call buffer, then returns to its site.
    pub(crate) fn approve_slow_paths(&mut self) {
        let buf = self.layout.call_buf;
        for slow in std::mem::take(&mut self.approve_slow) {
            self.comment("approve: slow path");
            self.shared_code();
            self.place(slow.label);
            let sub = self.force_approve_label();
            self.push_label(slow.cont);
            self.expr(&slow.token);
            self.pushn(buf + 4);
            self.op(O::MLOAD);
            self.pushn(buf + 36);
            self.op(O::MLOAD);
            self.jump(sub);
        }
    }
}
