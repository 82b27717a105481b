//! External calls: ABI-encoding arguments from a constant template, calling,
//! bubbling failures, and copying and validating return data.

use crate::emit::Gen;
use crate::layout::{calldata_len, HEAP_PTR};
use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
use nest_evm::Opcode as O;
use nest_ir::{Arg, CallExpr, Expr, Failure};

/// Revert message when a callee's return data does not match its declared outputs.
pub const MALFORMED_RETURN: &str = "nest: malformed return data";

impl Gen {
    /// Emits a call; leaves a pointer to the return data when it has outputs.
    pub fn call(&mut self, c: &CallExpr) {
        self.comment(c.signature.clone());
        let buf = self.layout.call_buf;
        let len = calldata_len(&c.args);
        // The template: selector, head words and array tails, with constants filled in.
        let mut template = vec![0u8; len as usize];
        template[..4].copy_from_slice(&c.selector);
        let mut runtime: Vec<(u64, &Expr)> = Vec::new();
        let mut tail = 32 * c.args.len() as u64;
        for (i, a) in c.args.iter().enumerate() {
            let head = 4 + 32 * i as u64;
            match a {
                Arg::Word(e) => put(&mut template, head, e, &mut runtime),
                Arg::Array(es) => {
                    write_word(&mut template, head, U256::from(tail));
                    write_word(&mut template, 4 + tail, U256::from(es.len()));
                    for (j, e) in es.iter().enumerate() {
                        put(&mut template, 4 + tail + 32 + 32 * j as u64, e, &mut runtime);
                    }
                    tail += 32 + 32 * es.len() as u64;
                }
            }
        }
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
        for (_, e) in &runtime {
            self.expr(e);
        }
        let data = self.p.add_data(template);
        self.pushn(len);
        self.p.items.push(nest_evm::AsmItem::PushData(data));
        self.pushn(buf);
        self.op(O::CODECOPY);
        for (pos, _) in runtime.iter().rev() {
            self.pushn(buf + pos);
            self.op(O::MSTORE);
        }
        // CALL(gas, to, value, in, inlen, out, outlen): outputs are copied afterwards.
        self.pushn(0);
        self.pushn(0);
        self.pushn(len);
        self.pushn(buf);
        if early {
            // Stack: [target, (value), 0, 0, len, buf].
            if c.is_static {
                self.op(O(0x80 + 4)); // DUP5: target
            } else {
                self.op(O(0x80 + 4)); // DUP5: value
                self.op(O(0x80 + 6)); // DUP7: target
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
        if early {
            // Drop the target (and value) kept below the result.
            if c.is_static {
                self.ops(&[O::SWAP1, O::POP]);
            } else {
                self.ops(&[O::SWAP2, O::POP, O::POP]);
            }
        }
        let bubble = self.bubble();
        self.op(O::ISZERO);
        self.jumpi(bubble);
        if !c.outputs.is_empty() {
            self.return_data(&c.outputs);
        }
    }

    /// Copies the return data to the heap, validates it, and leaves its pointer.
    fn return_data(&mut self, outputs: &[DynSolType]) {
        let head = 32 * outputs.len() as u64;
        let malformed = Failure::Error(MALFORMED_RETURN.to_string());
        // The head must be there.
        self.op(O::RETURNDATASIZE);
        self.pushn(head);
        self.op(O::GT);
        self.fail_if(malformed.clone());
        let dynamic = outputs.iter().any(|t| matches!(t, DynSolType::Array(_)));
        // p = heap pointer; copy; bump.
        self.pushn(HEAP_PTR);
        self.op(O::MLOAD);
        if dynamic {
            self.ops(&[O::RETURNDATASIZE, O::PUSH0, O::DUP3, O::RETURNDATACOPY]);
            // bump by the size rounded up to a word
            self.ops(&[O::DUP1, O::RETURNDATASIZE]);
            self.pushn(31);
            self.op(O::ADD);
            self.push(!U256::from(31u8));
            self.ops(&[O::AND, O::ADD]);
        } else {
            self.pushn(head);
            self.ops(&[O::PUSH0, O::DUP3, O::RETURNDATACOPY, O::DUP1]);
            self.pushn(head);
            self.op(O::ADD);
        }
        self.pushn(HEAP_PTR);
        self.op(O::MSTORE);
        for (i, t) in outputs.iter().enumerate() {
            if !matches!(t, DynSolType::Array(_)) {
                continue;
            }
            // off = word i; require off + 32 <= size
            self.op(O::DUP1);
            if i > 0 {
                self.pushn(32 * i as u64);
                self.op(O::ADD);
            }
            self.ops(&[O::MLOAD, O::DUP1]);
            self.pushn(32);
            self.ops(&[O::RETURNDATASIZE, O::SUB, O::LT]);
            self.fail_if(malformed.clone());
            // len = word at p + off; require len < 2^64 and off + 32 + 32 len <= size
            self.ops(&[O::DUP2, O::DUP2, O::ADD, O::MLOAD, O::DUP1]);
            self.pushn(64);
            self.op(O::SHR);
            self.fail_if(malformed.clone());
            self.pushn(5);
            self.ops(&[O::SHL, O::ADD]);
            self.pushn(32);
            self.ops(&[O::ADD, O::RETURNDATASIZE, O::LT]);
            self.fail_if(malformed.clone());
        }
    }
}

fn write_word(t: &mut [u8], at: u64, v: U256) {
    t[at as usize..at as usize + 32].copy_from_slice(&v.to_be_bytes::<32>());
}

fn put<'a>(t: &mut [u8], at: u64, e: &'a Expr, runtime: &mut Vec<(u64, &'a Expr)>) {
    match e {
        Expr::Const(v) => write_word(t, at, *v),
        other => runtime.push((at, other)),
    }
}
