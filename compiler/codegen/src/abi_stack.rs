//! A stack-height tracker for the ABI encoder and decoder: code that keeps several
//! values on the stack names them by the height they were pushed at, and DUPs them
//! by name, so no depth is counted by hand.

use crate::emit::Gen;
use alloy_primitives::U256;
use nest_evm::{Label, Opcode as O};
use nest_ir::Failure;

/// A stack item, named by its height (1 = the first item pushed in this frame).
pub(crate) type Slot = usize;

/// Emits code through [`Gen`] while tracking the stack height of one frame.
pub(crate) struct Stk<'a> {
    pub g: &'a mut Gen,
    /// Items above the frame's base.
    pub h: usize,
}

impl<'a> Stk<'a> {
    /// A frame with `h` items already on it.
    pub(crate) fn new(g: &'a mut Gen, h: usize) -> Self {
        Stk { g, h }
    }

    /// Emits one opcode, adjusting the height by its stack effect.
    pub(crate) fn op(&mut self, o: O) {
        let (pops, pushes) = o
            .info()
            .map_or((0, 0), |i| (i.inputs as usize, i.outputs as usize));
        debug_assert!(
            self.h >= pops,
            "stack underflow in generated ABI code at {o:?}"
        );
        self.h = self.h + pushes - pops.min(self.h);
        self.g.op(o);
    }

    /// Emits opcodes in order.
    pub(crate) fn ops(&mut self, os: &[O]) {
        os.iter().for_each(|o| self.op(*o));
    }

    /// Pushes a constant.
    pub(crate) fn push(&mut self, v: u64) {
        self.g.pushn(v);
        self.h += 1;
    }

    /// Pushes a 256-bit constant.
    pub(crate) fn push_word(&mut self, v: U256) {
        self.g.push(v);
        self.h += 1;
    }

    /// The slot of the item on top.
    pub(crate) fn top(&self) -> Slot {
        self.h
    }

    /// Duplicates a named item onto the top.
    pub(crate) fn dup(&mut self, s: Slot) {
        let depth = self.h + 1 - s;
        debug_assert!(
            (1..=16).contains(&depth),
            "DUP{depth} in generated ABI code"
        );
        self.op(O(0x7f + depth as u8));
    }

    /// Adds a constant to the top item (nothing for zero).
    pub(crate) fn add(&mut self, k: u64) {
        if k > 0 {
            self.push(k);
            self.op(O::ADD);
        }
    }

    /// Pushes `slot + k`.
    pub(crate) fn at(&mut self, s: Slot, k: u64) {
        self.dup(s);
        self.add(k);
    }

    /// Jumps to the failure's stub when the top item is non-zero (pops it).
    pub(crate) fn fail_if(&mut self, f: Failure) {
        self.g.fail_if(f);
        self.h -= 1;
    }

    /// Jumps to `l` when the top item is non-zero (pops it).
    pub(crate) fn jumpi(&mut self, l: Label) {
        self.g.jumpi(l);
        self.h -= 1;
    }

    /// Pops the top `n` items.
    pub(crate) fn pop(&mut self, n: usize) {
        (0..n).for_each(|_| self.op(O::POP));
    }

    /// Keeps the top item and drops the `n` items below it.
    pub(crate) fn nip(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        debug_assert!(n <= 16);
        self.op(O(0x8f + n as u8)); // SWAPn
        self.pop(n);
    }

    /// A loop: `body` runs while `cond` leaves a non-zero word (which the loop pops);
    /// both must leave the height as they found it.
    pub(crate) fn repeat(&mut self, cond: impl FnOnce(&mut Self), body: impl FnOnce(&mut Self)) {
        let head = self.g.new_label();
        let exit = self.g.new_label();
        let h = self.h;
        self.g.place(head);
        cond(self);
        self.op(O::ISZERO);
        self.jumpi(exit);
        body(self);
        debug_assert_eq!(self.h, h, "unbalanced loop body in generated ABI code");
        self.g.jump(head);
        self.g.place(exit);
    }
}
