//! External calls: encoding the arguments (see `abi_encode`), calling, bubbling
//! failures, and copying and validating return data (see `abi_decode`).

use crate::emit::Gen;
use nest_evm::Opcode as O;
use nest_ir::{CallExpr, Expr, Failure};

impl Gen {
    /// Emits a call; leaves a pointer to the return data when it has outputs.
    ///
    /// A call whose result is not read must still not succeed against an address
    /// without code (the EVM lets it): when it returns no data, the target's code size
    /// is checked (see `code_check`), unless an earlier call on every path here proved
    /// that constant target has code. A used result is validated instead, which empty
    /// return data fails.
    pub(crate) fn call(&mut self, c: &CallExpr) {
        let check = c.outputs.is_empty() && !self.code_proven(&c.target);
        self.call_into_checked(c, 0, 0, check, true);
        if !c.outputs.is_empty() {
            // Validated return data holds at least a word: the target has code.
            self.return_data(&c.outputs);
        }
        if check || !c.outputs.is_empty() {
            self.prove_code(&c.target);
        }
    }

    /// A revocation's call: its grant's call already proved the target has code, in
    /// this same transaction, so it is not checked again.
    /// Nor is it guarded against the vault as target: the grant's call was.
    pub(crate) fn revocation_call(&mut self, c: &CallExpr) {
        self.call_into_checked(c, 0, 0, false, false);
    }

    /// Emits a call whose first `out_len` bytes of return data land at `out`, and the
    /// bubbling of its failure; leaves nothing.
    pub(crate) fn call_into(&mut self, c: &CallExpr, out: u64, out_len: u64) {
        self.call_into_checked(c, out, out_len, false, true);
    }

    /// Pushes a call's target. One known only at run time must not be the vault itself
    /// (a call from the vault to itself passes its self-authorisation: a Safe would
    /// enable a module or add an owner), or the script reverts with `SELF_CALL`. A
    /// constant target — or a variable only ever assigned constants, such as the
    /// element of an unrolled loop over tokens — is listed in the artifact for review
    /// instead. Only state-changing calls are guarded (a `STATICCALL` to the vault
    /// cannot change it).
    pub(crate) fn target(&mut self, target: &Expr, guard: bool) {
        self.expr(target);
        let known = match target {
            Expr::Const(_) => true,
            Expr::Var(v) => self.constant_vars.contains(v),
            _ => false,
        };
        if guard && !known {
            self.ops(&[O::DUP1, O::ADDRESS, O::EQ]);
            self.fail_if(Failure::Error(crate::stubs::SELF_CALL.into()));
        }
    }

    fn call_into_checked(
        &mut self,
        c: &CallExpr,
        out: u64,
        out_len: u64,
        check_code: bool,
        guard: bool,
    ) {
        self.comment(c.signature.clone());
        // A static call cannot change the vault's state, even when made to the vault.
        let guard = guard && !c.is_static;
        // Targets and values with effects are evaluated first, in source order.
        let early = !c.target.is_pure() || c.value.as_ref().is_some_and(|v| !v.is_pure());
        if early {
            self.target(&c.target, guard);
            if !c.is_static {
                match &c.value {
                    Some(v) => self.expr(v),
                    None => self.pushn(0),
                }
            }
        }
        // Early items kept below the call's operands, and how deep they sit.
        let kept = if early {
            1 + usize::from(!c.is_static)
        } else {
            0
        };
        // CALL(gas, to, value, in, inlen, out, outlen): outputs are copied afterwards.
        let above = match self.encode_static(c.selector, &c.args) {
            Some(len) => {
                self.pushn(out_len);
                self.pushn(out);
                self.pushn(len);
                self.pushn(self.layout.call_buf);
                4
            }
            None => {
                // [base, len] → [base, len, 0, 0, len, base]
                self.encode_runtime(Some(c.selector), &c.args);
                self.pushn(out_len);
                self.pushn(out);
                self.ops(&[O::DUP3, O::DUP5]);
                6
            }
        };
        if early {
            // Stack: [target, (value), …operands].
            if c.is_static {
                self.op(dup(above + 1)); // target
            } else {
                self.op(dup(above + 1)); // value
                self.op(dup(above + 3)); // target
            }
        } else {
            if !c.is_static {
                match &c.value {
                    Some(v) => self.expr(v),
                    None => self.pushn(0),
                }
            }
            self.target(&c.target, guard);
        }
        self.op(O::GAS);
        self.op(if c.is_static { O::STATICCALL } else { O::CALL });
        if above == 6 {
            // Drop the call data's base and length.
            self.ops(&[O::SWAP2, O::POP, O::POP]);
        }
        let bubble = self.bubble();
        if kept == 0 {
            self.op(O::ISZERO);
            self.jumpi(bubble);
            if check_code {
                self.code_check(c.declares_outputs, |g| g.expr(&c.target));
            }
            return;
        }
        // [target, (value), ok]: the target is still on the stack for the check.
        self.op(O::ISZERO);
        self.jumpi(bubble);
        if check_code {
            self.code_check(c.declares_outputs, |g| g.op(dup(kept)));
        }
        match kept {
            1 => self.op(O::POP),
            _ => self.ops(&[O::POP, O::POP]),
        }
    }

    /// After a successful call: its target must have code, or the script reverts with
    /// `NO_CODE`. When the function declares outputs, returning data proves the code, so
    /// the usual path costs `RETURNDATASIZE`, a `PUSH` and a taken `JUMPI`, and the code
    /// size is read only when no data came back. Otherwise it is read at once (the
    /// target is warm by now). `target` pushes the target.
    fn code_check(&mut self, declares_outputs: bool, target: impl FnOnce(&mut Self)) {
        let has_data = declares_outputs.then(|| self.new_label());
        if let Some(l) = has_data {
            self.op(O::RETURNDATASIZE);
            self.jumpi(l);
        }
        target(self);
        self.ops(&[O::EXTCODESIZE, O::ISZERO]);
        self.fail_if(Failure::Error(nest_artifact::reasons::NO_CODE.into()));
        if let Some(l) = has_data {
            self.place(l);
        }
    }
}

/// `DUPn`.
fn dup(n: usize) -> O {
    O(0x7f + n as u8)
}
