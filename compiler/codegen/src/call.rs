//! External calls: encoding the arguments (see `abi_encode`), calling, bubbling
//! failures, and copying and validating return data (see `abi_decode`).

use crate::emit::Gen;
use nest_evm::Opcode as O;
use nest_ir::CallExpr;

impl Gen {
    /// Emits a call; leaves a pointer to the return data when it has outputs.
    pub fn call(&mut self, c: &CallExpr) {
        self.call_into(c, 0, 0);
        if !c.outputs.is_empty() {
            self.return_data(&c.outputs);
        }
    }

    /// Emits a call whose first `out_len` bytes of return data land at `out`, and the
    /// bubbling of its failure; leaves nothing.
    pub(crate) fn call_into(&mut self, c: &CallExpr, out: u64, out_len: u64) {
        self.comment(c.signature.clone());
        // Targets and values with effects are evaluated first, in source order.
        let early = !c.target.is_pure() || c.value.as_ref().is_some_and(|v| !v.is_pure());
        if early {
            self.expr(&c.target);
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
            self.expr(&c.target);
        }
        self.op(O::GAS);
        self.op(if c.is_static { O::STATICCALL } else { O::CALL });
        if above == 6 {
            // Drop the call data's base and length.
            self.ops(&[O::SWAP2, O::POP, O::POP]);
        }
        match kept {
            1 => self.ops(&[O::SWAP1, O::POP]),
            2 => self.ops(&[O::SWAP2, O::POP, O::POP]),
            _ => {}
        }
        let bubble = self.bubble();
        self.op(O::ISZERO);
        self.jumpi(bubble);
    }
}

/// `DUPn`.
fn dup(n: usize) -> O {
    O(0x7f + n as u8)
}
