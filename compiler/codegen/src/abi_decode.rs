//! Return data: copied to the heap, validated once against the output types, then
//! read in place through pointers (`Word`, `ArrayPtr`, `ArrayGet`, `Elem`).
//!
//! Validation makes every later read safe: the head is present; every offset and
//! length is below 2^32 and everything it points to lies inside the return data,
//! nested dynamic data too; addresses, `uintN`, `intN`, `bytesN` and bools are
//! clean. Anything else reverts with `Error("nest: malformed return data")`.
//! Offsets are relative to the start of the enclosing tuple or array, as the ABI
//! specification says; non-canonical layouts are accepted.

use crate::abi_stack::{Slot, Stk};
use crate::analysis::fused_match::needs_check;
use crate::emit::Gen;
use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
use nest_artifact::reasons::MALFORMED_RETURN;
use nest_evm::Opcode as O;
use nest_ir::abi::{head_offsets, head_size, is_dynamic, is_word, static_size};
use nest_ir::{ArrayShape, Expr, Failure, PANIC_INDEX};

/// Fixed arrays longer than this are validated in a loop rather than unrolled.
const UNROLL: usize = 4;

fn malformed() -> Failure {
    Failure::Error(MALFORMED_RETURN.to_string())
}

impl Gen {
    /// Copies the return data of the call just made to the heap, validates it,
    /// and leaves its pointer.
    pub(crate) fn return_data(&mut self, outputs: &[DynSolType]) {
        let head: u64 = outputs.iter().map(head_size).sum();
        // The head must be there.
        self.op(O::RETURNDATASIZE);
        self.pushn(head);
        self.op(O::GT);
        self.fail_if(malformed());
        let dynamic = outputs.iter().any(is_dynamic);
        // p = heap pointer; copy; bump.
        self.pushn(self.layout.heap_ptr);
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
        self.pushn(self.layout.heap_ptr);
        self.op(O::MSTORE);
        let tuple = DynSolType::Tuple(outputs.to_vec());
        let mut s = Stk::new(self, 1);
        if dynamic {
            // [p, end]: the head is known to fit.
            s.op(O::DUP1);
            s.op(O::RETURNDATASIZE);
            s.op(O::ADD);
            tuple_members_at(&mut s, outputs, 2, 1);
            s.pop(1);
        } else if needs_check(&tuple) {
            s.dup(1);
            validate_static(&mut s, &tuple);
        }
    }

    /// `Elem`: a pointer to an element of an encoded array, bounds-checked.
    pub(crate) fn elem(&mut self, array: &Expr, index: &Expr, shape: ArrayShape) {
        self.expr(index);
        self.expr(array);
        // [i, a]
        match shape.len {
            None => self.ops(&[O::DUP1, O::MLOAD, O::DUP3, O::LT, O::ISZERO]),
            Some(n) => {
                self.pushn(n as u64);
                self.ops(&[O::DUP3, O::LT, O::ISZERO]);
            }
        }
        self.fail_if(Failure::Panic(PANIC_INDEX));
        if shape.len.is_none() {
            self.pushn(32);
            self.op(O::ADD);
        }
        self.op(O::SWAP1);
        match shape.stride {
            Some(stride) => {
                self.scale(stride as u64);
                self.op(O::ADD);
            }
            None => {
                // [b, i] → b + mload(b + 32 i)
                self.pushn(5);
                self.ops(&[O::SHL, O::DUP2, O::ADD, O::MLOAD, O::ADD]);
            }
        }
    }

    /// Multiplies the top of the stack by a constant (a shift for powers of two).
    pub(crate) fn scale(&mut self, k: u64) {
        if k.is_power_of_two() {
            if k > 1 {
                self.pushn(k.trailing_zeros() as u64);
                self.op(O::SHL);
            }
        } else {
            self.pushn(k);
            self.op(O::MUL);
        }
    }
}

/// `[.., addr]` → `[..]`: the word at `addr` is a clean value of the word type `t`.
fn check_word(s: &mut Stk, t: &DynSolType) {
    s.op(O::MLOAD);
    match t {
        DynSolType::Address => {
            s.push(160);
            s.op(O::SHR);
        }
        DynSolType::Uint(bits) => {
            s.push(*bits as u64);
            s.op(O::SHR);
        }
        DynSolType::Bool => {
            s.push(1);
            s.op(O::LT);
        }
        DynSolType::Int(bits) => {
            s.op(O::DUP1);
            s.push(*bits as u64 / 8 - 1);
            s.ops(&[O::SIGNEXTEND, O::EQ, O::ISZERO]);
        }
        DynSolType::FixedBytes(n) => {
            s.push(8 * *n as u64);
            s.op(O::SHL);
        }
        _ => {
            s.op(O::POP);
            return;
        }
    }
    s.fail_if(malformed());
}

/// `[.., a]` → `[..]`: checks the words of a static value at `a`, which is known to
/// lie inside the return data.
pub(crate) fn validate_static(s: &mut Stk, t: &DynSolType) {
    let a = s.top();
    static_words(s, t, a, 0);
    s.pop(1);
}

/// Checks the words of a static value at `a + off`.
fn static_words(s: &mut Stk, t: &DynSolType, a: Slot, off: u64) {
    if !needs_check(t) {
        return;
    }
    match t {
        t if is_word(t) => {
            s.at(a, off);
            check_word(s, t);
        }
        DynSolType::Tuple(ts) => {
            for (m, o) in ts.iter().zip(head_offsets(ts)) {
                static_words(s, m, a, off + o);
            }
        }
        DynSolType::FixedArray(e, n) => {
            let size = static_size(e).unwrap_or(32);
            if *n <= UNROLL {
                for i in 0..*n as u64 {
                    static_words(s, e, a, off + i * size);
                }
            } else {
                s.at(a, off + size * *n as u64);
                let stop = s.top();
                s.at(a, off);
                let q = s.top();
                each(s, q, stop, size, |s| static_words(s, e, q, 0));
                s.pop(2);
            }
        }
        _ => {}
    }
}

/// Runs `body` for `q` from its value up to `stop` (exclusive), by `step`; `q` is on top.
fn each(s: &mut Stk, q: Slot, stop: Slot, step: u64, body: impl FnOnce(&mut Stk)) {
    s.repeat(
        |s| {
            s.dup(stop);
            s.dup(q);
            s.op(O::LT);
        },
        |s| {
            body(s);
            s.add(step);
        },
    );
}

/// `[.., end, a]` → `[.., end]`: fails unless `a + k <= end`.
fn fits(s: &mut Stk, end: Slot, a: Slot, k: u64) {
    s.at(a, k);
    s.dup(end);
    s.op(O::LT);
    s.fail_if(malformed());
}

/// `[.., word]` → `[.., word]`: fails unless the word (an offset or a length) is below 2^32.
fn small(s: &mut Stk) {
    s.op(O::DUP1);
    s.push(32);
    s.op(O::SHR);
    s.fail_if(malformed());
}

/// `[.., end, a]` → `[.., end]`: validates a dynamic value whose encoding starts at `a`.
fn validate_dynamic(s: &mut Stk, t: &DynSolType) {
    let a = s.top();
    let end = a - 1;
    match t {
        DynSolType::Bytes | DynSolType::String => {
            fits(s, end, a, 32);
            s.dup(a);
            s.op(O::MLOAD);
            small(s);
            s.op(O::ADD);
            s.add(32);
            s.dup(end);
            s.op(O::LT);
            s.fail_if(malformed());
        }
        DynSolType::Array(e) => {
            fits(s, end, a, 32);
            s.dup(a);
            s.op(O::MLOAD);
            small(s);
            let size = static_size(e).unwrap_or(32);
            s.g.scale(size);
            s.dup(a);
            s.op(O::ADD);
            s.add(32);
            let stop = s.top();
            s.dup(end);
            s.dup(stop);
            s.op(O::GT);
            s.fail_if(malformed());
            if is_dynamic(e) {
                s.at(a, 32);
                let base = s.top();
                s.dup(base);
                offsets(s, e, end, base, stop);
                s.pop(2);
            } else if needs_check(e) {
                s.at(a, 32);
                let q = s.top();
                each(s, q, stop, size, |s| static_words(s, e, q, 0));
                s.pop(1);
            }
            s.pop(2);
        }
        DynSolType::FixedArray(e, n) => {
            // Only dynamic elements reach here: `n` offsets, relative to `a`.
            s.at(a, 32 * *n as u64);
            let stop = s.top();
            s.dup(end);
            s.dup(stop);
            s.op(O::GT);
            s.fail_if(malformed());
            s.dup(a);
            offsets(s, e, end, a, stop);
            s.pop(2);
            s.pop(1);
        }
        DynSolType::Tuple(ts) => {
            fits(s, end, a, ts.iter().map(head_size).sum());
            tuple_members_at(s, ts, end, a);
            s.pop(1);
        }
        _ => s.pop(1),
    }
}

/// Validates the members of a tuple at `a` whose head is known to fit (stack unchanged).
fn tuple_members_at(s: &mut Stk, ts: &[DynSolType], end: Slot, a: Slot) {
    for (m, o) in ts.iter().zip(head_offsets(ts)) {
        if is_dynamic(m) {
            s.dup(end);
            s.at(a, o);
            s.op(O::MLOAD);
            small(s);
            s.dup(a);
            s.op(O::ADD);
            validate_dynamic(s, m);
            s.pop(1);
        } else {
            static_words(s, m, a, o);
        }
    }
}

/// With `q` on top (the first head slot): validates each dynamic element whose
/// offset, relative to `base`, is in the head slots from `q` up to `stop`.
fn offsets(s: &mut Stk, e: &DynSolType, end: Slot, base: Slot, stop: Slot) {
    let q = s.top();
    each(s, q, stop, 32, |s| {
        s.dup(end);
        s.dup(q);
        s.op(O::MLOAD);
        small(s);
        s.dup(base);
        s.op(O::ADD);
        validate_dynamic(s, e);
        s.pop(1);
    });
}
