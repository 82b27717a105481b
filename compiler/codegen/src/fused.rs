//! Fused reads: a call whose result is read once, right away, decodes only what is read.
//! Which reads have these shapes is decided by `analysis::fused_match`; this file emits them.
//!
//! - `word(call, k)` with static outputs of at most two words: the call writes its
//!   return data to scratch memory `[0, 64)`; the head must be there and every word
//!   must be clean (as the general decoder checks), then the word is loaded.
//! - `array_get(array_ptr(call, 0), i)` of a call returning one `T[]` of clean words
//!   (`uint256[]`): the return data is copied once past everything allocated (at the
//!   heap pointer, or past the static layout when nothing is; nothing is allocated), then `o` (the array's offset), its length `n` and `i` are checked —
//!   `o <= size`, `32 (n + 1) <= size - o` (so the whole array lies inside the return
//!   data, as the general decoder demands; together the same as the general decoder's
//!   `o < size` and length check), `i < n` — and element `i` is loaded.
//!
//! Malformed return data reverts with the same error as the general decoder, and an
//! index out of bounds with the same panic, checked in the same order.

use crate::abi_decode::validate_static;
use crate::abi_stack::Stk;
use crate::analysis::fused_match::{needs_check, FusedRead, SCRATCH_LEN};
use crate::emit::Gen;
use alloy_dyn_abi::DynSolType;
use nest_evm::Opcode as O;
use nest_ir::abi::static_size;
use nest_ir::{CallExpr, Expr, Failure, PANIC_INDEX};

/// Return data of fused word reads goes here.
const SCRATCH: u64 = 0;

fn malformed() -> Failure {
    Failure::Error(nest_artifact::reasons::MALFORMED_RETURN.to_string())
}

impl Gen {
    /// Emits a fused read; leaves the word read.
    pub(crate) fn fused(&mut self, read: FusedRead<'_>) {
        match read {
            FusedRead::Word { call, offset } => self.fused_word(call, offset),
            FusedRead::Elem { call, index } => self.fused_elem(call, index),
        }
    }

    fn fused_word(&mut self, call: &CallExpr, offset: u32) {
        let tuple = DynSolType::Tuple(call.outputs.clone());
        let head = static_size(&tuple).unwrap_or(SCRATCH_LEN);
        self.call_into(call, SCRATCH, head);
        self.comment("the head must be there");
        self.op(O::RETURNDATASIZE);
        self.pushn(head);
        self.op(O::GT);
        self.fail_if(malformed());
        if needs_check(&tuple) {
            let mut s = Stk::new(self, 0);
            s.push(SCRATCH);
            validate_static(&mut s, &tuple);
        }
        self.pushn(SCRATCH + u64::from(offset));
        self.op(O::MLOAD);
        self.prove_code(&call.target);
    }

    fn fused_elem(&mut self, call: &CallExpr, index: &Expr) {
        self.call_into(call, 0, 0);
        // The copy goes past everything allocated: at the heap pointer when the script
        // allocates (the heap below it is live), else past the static layout. Nothing is
        // allocated: the word is read at once.
        self.comment("copy the return data past the heap; o = its array's offset");
        if self.layout.uses_heap {
            self.pushn(self.layout.heap_ptr);
            self.op(O::MLOAD);
        } else {
            self.pushn(self.layout.heap);
        }
        // [at]
        self.ops(&[O::RETURNDATASIZE, O::PUSH0, O::DUP3, O::RETURNDATACOPY]);
        self.ops(&[O::DUP1, O::MLOAD]);
        // [at, o]: o <= size here; o == size leaves no room for the length word, which
        // the next check catches (m = 0), with the same error.
        self.ops(&[O::RETURNDATASIZE, O::DUP2, O::GT]);
        self.fail_if(malformed());
        // [at, o, m] with m = (size - o) / 32, the words from o on
        self.ops(&[O::DUP1, O::RETURNDATASIZE, O::SUB]);
        self.pushn(5);
        self.op(O::SHR);
        // [at, o, m, n]: n < m, so the length word and n elements fit
        self.ops(&[O::DUP3, O::DUP3, O::ADD, O::MLOAD]);
        self.ops(&[O::SWAP1, O::DUP2, O::LT, O::ISZERO]);
        self.fail_if(malformed());
        // [at, o, n]: i < n
        match index {
            Expr::Const(k) if *k < alloy_primitives::U256::from(u32::MAX) => {
                let k = k.to::<u64>();
                self.pushn(k + 1);
                self.op(O::GT);
                self.fail_if(Failure::Panic(PANIC_INDEX));
                // [at, o] → at + o + 32 (k + 1)
                self.op(O::ADD);
                self.pushn(32 + 32 * k);
                self.op(O::ADD);
            }
            _ => {
                self.expr(index);
                self.ops(&[O::SWAP1, O::DUP2, O::LT, O::ISZERO]);
                self.fail_if(Failure::Panic(PANIC_INDEX));
                // [at, o, i] → at + o + 32 i + 32
                self.pushn(5);
                self.ops(&[O::SHL, O::ADD, O::ADD]);
                self.pushn(32);
                self.op(O::ADD);
            }
        }
        self.op(O::MLOAD);
        self.prove_code(&call.target);
    }
}
