//! Variables on the stack: a variable first assigned at the top level of the script's
//! body (so the stack is at a known height there) stays on the stack from then on and
//! is read with `DUPn` and reassigned with `SWAPn POP`, instead of a memory word
//! (`PUSH1 slot MLOAD` / `PUSH1 slot MSTORE`, each with the HyVM's memory surcharge).
//!
//! Code generation tracks the stack's height through the body ([`Height`]): every
//! opcode's stack effect, and at each label the height recorded by the jumps to it.
//! If a variable would sit deeper than `DUP16`/`SWAP16` can reach, generation starts
//! again with every variable in memory. Which variables live on the stack is decided
//! by `analysis::vars::select`.

use nest_evm::{Label, Opcode};
use std::collections::BTreeMap;

/// The stack's height above the body's base, while the body is generated.
#[derive(Debug, Default)]
pub(crate) struct Height {
    tracking: bool,
    h: usize,
    labels: BTreeMap<Label, usize>,
}

impl Height {
    /// Starts tracking at height 0 (the script's body).
    pub(crate) fn start(&mut self) {
        self.tracking = true;
        self.h = 0;
    }

    /// Stops tracking (functions and stubs run at heights only their callers know).
    pub(crate) fn stop(&mut self) {
        self.tracking = false;
    }

    /// Whether the height is being tracked (the script's body).
    pub(crate) fn tracking(&self) -> bool {
        self.tracking
    }

    /// The current height.
    pub(crate) fn get(&self) -> usize {
        self.h
    }

    /// Sets the height (after a subroutine returns).
    pub(crate) fn set(&mut self, h: usize) {
        if self.tracking {
            self.h = h;
        }
    }

    /// An opcode's effect.
    pub(crate) fn op(&mut self, o: Opcode) {
        if let (true, Some(info)) = (self.tracking, o.info()) {
            self.h = self.h.saturating_sub(info.inputs as usize) + info.outputs as usize;
        }
    }

    /// One item pushed.
    pub(crate) fn pushed(&mut self) {
        if self.tracking {
            self.h += 1;
        }
    }

    /// A jump to `l` was emitted (its operands already popped): code at `l` starts at
    /// this height.
    pub(crate) fn jumped_to(&mut self, l: Label) {
        if self.tracking {
            self.labels.entry(l).or_insert(self.h);
        }
    }

    /// `l` is placed: its height is the one its jumps recorded, if any.
    pub(crate) fn place(&mut self, l: Label) {
        if self.tracking {
            if let Some(h) = self.labels.get(&l) {
                self.h = *h;
            }
        }
    }
}
