//! Constants on the stack: a constant the script's body pushes again and again (the call
//! buffer's offset, a token's address, a call-data length, the label of a failure stub,
//! a call-data template's offset) is pushed once at the start and copied with `DUPn`
//! where it is needed.
//!
//! In the HyVM a `PUSHn` costs 44 gas more than a `DUPn` (the HyVM extracts its
//! immediate from calldata) and ships `n` more bytes of calldata, so a constant used
//! three times or more, or a wide one used twice, is cheaper kept on the stack. Uses
//! are counted on a first generation of the body that emits nothing (the pushes are
//! the same as in the real code with no stack constants); the chosen constants sit at
//! the bottom of the body's stack (below its stack variables), and a use out of `DUP16`'s
//! reach simply pushes the constant again. Functions and shared stubs, whose stack
//! height only their callers know, always push.

use alloy_primitives::U256;
use nest_evm::{DataId, Label};
use nest_hyvm_spec::gas as hyvm_gas;
use rustc_hash::FxHashMap;

/// Something pushed whose value is known when the code is generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Known {
    /// A number.
    Const(U256),
    /// A code offset: a jump target.
    Label(Label),
    /// A code offset: a data blob.
    Data(DataId),
}

impl Known {
    /// A word that equal values share and different ones rarely do: every limb of a
    /// number folded together, a code offset's id with its kind in the top bits.
    pub(crate) fn digest(self) -> u64 {
        match self {
            Known::Const(v) => {
                let [a, b, c, d] = *v.as_limbs();
                a ^ b.rotate_left(16) ^ c.rotate_left(32) ^ d.rotate_left(48)
            }
            Known::Label(l) => (1 << 62) | u64::from(l.0),
            Known::Data(d) => (2 << 62) | u64::from(d.0),
        }
    }

    /// The width of its PUSH's immediate (code offsets take two bytes).
    fn width(self) -> i64 {
        match self {
            Known::Const(v) => v.byte_len().max(1) as i64,
            Known::Label(_) | Known::Data(_) => 2,
        }
    }
}

/// Hashes the digest alone: one word instead of five (the body pushes thousands of
/// times while its pushes are counted).
impl std::hash::Hash for Known {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.digest());
    }
}

/// How often the body pushes each value.
pub(crate) type Counts = FxHashMap<Known, usize>;

/// At most this many constants live on the stack: each one kept there is one slot
/// deeper for every use of the ones below it.
const MAX_STACK_CONSTS: usize = 10;

/// HyVM gas of dispatching a `PUSHn` beyond a `DUPn`: extracting its immediate
/// (`nest_hyvm_spec::gas`, shared with the interpreter).
const PUSH_EXTRA_GAS: i64 = hyvm_gas::PUSH_IMMEDIATE as i64;
/// Gas of a `PUSHn` or `DUPn` dispatched once (dispatch plus the opcode's own 3), in the
/// default (Paris) build; the Shanghai build's cheaper dispatch changes no choice by more
/// than the 2 gas of the one push at the start.
const DISPATCH_GAS: i64 = hyvm_gas::DISPATCH as i64 + 3;
/// Calldata gas of a non-zero byte.
const CALLDATA_BYTE_GAS: i64 = 16;

/// The constants worth keeping on the stack, given how often the body pushes each:
/// those that save gas, best first, at most [`MAX_STACK_CONSTS`].
pub(crate) fn choose(counts: &Counts) -> Vec<Known> {
    let mut scored: Vec<(i64, Known)> = counts
        .iter()
        .filter(|(v, _)| **v != Known::Const(U256::ZERO))
        .map(|(v, &uses)| (saving(v.width(), uses as i64), *v))
        .filter(|(gain, _)| *gain > 0)
        .collect();
    // Best first; ties broken by value, so the choice is deterministic whatever the
    // order of the map.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(MAX_STACK_CONSTS)
        .map(|(_, v)| v)
        .collect()
}

/// Gas saved by pushing a value `width` bytes wide once and copying it `uses` times
/// instead of pushing it `uses` times: every use saves the PUSH surcharge and the
/// immediate's calldata, and the one push at the start costs a PUSH.
fn saving(width: i64, uses: i64) -> i64 {
    let push = DISPATCH_GAS + PUSH_EXTRA_GAS + CALLDATA_BYTE_GAS * (1 + width);
    let dup = DISPATCH_GAS + CALLDATA_BYTE_GAS;
    uses * (push - dup) - push
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_constant_needs_three_uses_a_wide_one_two() {
        assert!(saving(1, 2) < 0);
        assert!(saving(1, 3) > 0);
        assert!(saving(20, 1) < 0);
        assert!(saving(20, 2) > 0);
    }

    #[test]
    fn zero_is_never_kept_and_the_choice_is_bounded_and_ordered() {
        let mut counts = Counts::default();
        counts.insert(Known::Const(U256::ZERO), 50);
        for k in 1..=10u64 {
            counts.insert(Known::Const(U256::from(k)), 3 + k as usize);
        }
        counts.insert(Known::Label(Label(7)), 3);
        let chosen = choose(&counts);
        assert_eq!(chosen.len(), MAX_STACK_CONSTS);
        assert!(!chosen.contains(&Known::Const(U256::ZERO)));
        assert_eq!(chosen[0], Known::Const(U256::from(10)));
    }
}
