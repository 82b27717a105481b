//! Checked signed arithmetic, signed narrowing and checked exponentiation.
//!
//! Signed values are two's complement words sign-extended to 256 bits. Below 256
//! bits an operation is computed on the full words (it cannot overflow 256 bits)
//! and the result must equal its own sign extension from the width; at 256 bits
//! overflow is detected from the operands' signs.

use crate::emit::Gen;
use alloy_primitives::U256;
use nest_evm::Opcode as O;
use nest_ir::{CheckedOp, Expr, Failure, PANIC_DIV_ZERO, PANIC_OVERFLOW};

/// `int256`'s minimum, `-2**255`.
fn min256() -> U256 {
    U256::from(1u8) << 255
}

impl Gen {
    /// `[.., x]` → `[.., x]`: reverts unless `x` fits in `bits` signed bits.
    pub(crate) fn fits_signed(&mut self, bits: u16) {
        if bits >= 256 {
            return;
        }
        self.op(O::DUP1);
        self.pushn(u64::from(bits / 8 - 1));
        self.op(O::SIGNEXTEND);
        self.ops(&[O::DUP2, O::EQ, O::ISZERO]);
        self.fail_if(Failure::Panic(PANIC_OVERFLOW));
    }

    /// Checked signed `lhs op rhs` at `bits`; leaves the result.
    pub(crate) fn signed(&mut self, op: CheckedOp, bits: u16, lhs: &Expr, rhs: &Expr) {
        self.expr(rhs);
        self.expr(lhs);
        // Stack: [b, a] with a (the left operand) on top.
        match op {
            CheckedOp::Add | CheckedOp::Sub if bits == 256 => {
                let (arith, sign) = if op == CheckedOp::Add {
                    (O::ADD, O::SLT)
                } else {
                    (O::SUB, O::SGT)
                };
                // s = a ± b overflows iff (s < a) differs from (b < 0) for +, (b > 0) for -.
                self.ops(&[
                    O::DUP2,
                    O::DUP2,
                    arith,
                    O::SWAP1,
                    O::DUP2,
                    O::SLT,
                    O::PUSH0,
                    O::DUP4,
                    sign,
                    O::XOR,
                ]);
                self.fail_if(Failure::Panic(PANIC_OVERFLOW));
                self.ops(&[O::SWAP1, O::POP]);
            }
            CheckedOp::Add | CheckedOp::Sub => {
                self.op(if op == CheckedOp::Add { O::ADD } else { O::SUB });
                self.fits_signed(bits);
            }
            CheckedOp::Mul if bits <= 128 => {
                // |a * b| ≤ 2**254: the word product is exact.
                self.op(O::MUL);
                self.fits_signed(bits);
            }
            CheckedOp::Mul => {
                // p = a * b; wrong iff (a != 0 && p / a != b) || (a == -1 && b == min).
                self.ops(&[O::DUP2, O::DUP2, O::MUL]);
                self.ops(&[
                    O::DUP2,
                    O::DUP2,
                    O::SDIV,
                    O::DUP4,
                    O::EQ,
                    O::ISZERO,
                    O::DUP3,
                    O::ISZERO,
                    O::ISZERO,
                    O::AND,
                ]);
                self.ops(&[O::DUP3, O::NOT, O::ISZERO, O::DUP5]);
                self.push(min256());
                self.ops(&[O::EQ, O::AND, O::OR]);
                self.fail_if(Failure::Panic(PANIC_OVERFLOW));
                self.ops(&[O::SWAP2, O::POP, O::POP]);
                self.fits_signed(bits);
            }
            CheckedOp::Div => {
                self.ops(&[O::DUP2, O::ISZERO]);
                self.fail_if(Failure::Panic(PANIC_DIV_ZERO));
                if bits == 256 {
                    // min / -1 does not fit.
                    self.ops(&[O::DUP2, O::NOT, O::ISZERO, O::DUP2]);
                    self.push(min256());
                    self.ops(&[O::EQ, O::AND]);
                    self.fail_if(Failure::Panic(PANIC_OVERFLOW));
                }
                self.op(O::SDIV);
                self.fits_signed(bits);
            }
            CheckedOp::Rem => {
                self.ops(&[O::DUP2, O::ISZERO]);
                self.fail_if(Failure::Panic(PANIC_DIV_ZERO));
                self.op(O::SMOD);
            }
        }
    }

    /// `[.., r, l]` → `[.., l * r]`: checked unsigned multiplication at `bits`.
    pub(crate) fn mul_unsigned(&mut self, bits: u16) {
        if bits > 128 {
            // p = l * r; fine iff l == 0 || p / l == r.
            self.ops(&[
                O::DUP2,
                O::DUP2,
                O::MUL,
                O::DUP2,
                O::DUP2,
                O::DIV,
                O::DUP4,
                O::EQ,
                O::DUP3,
                O::ISZERO,
                O::OR,
                O::ISZERO,
            ]);
            self.fail_if(Failure::Panic(PANIC_OVERFLOW));
            self.ops(&[O::SWAP2, O::POP, O::POP]);
        } else {
            self.op(O::MUL);
        }
        if bits < 256 {
            self.op(O::DUP1);
            self.push(max_of(bits));
            self.op(O::LT);
            self.fail_if(Failure::Panic(PANIC_OVERFLOW));
        }
    }

    /// Checked `base ** exp` at `bits`, by square and multiply; leaves the result.
    pub(crate) fn pow(&mut self, bits: u16, base: &Expr, exp: &Expr) {
        self.expr(exp);
        self.expr(base);
        self.pow_words(bits);
    }

    /// Checked signed `base ** exp` at `bits` (a signed base, an unsigned exponent);
    /// leaves the result. The magnitude `|base| ** exp` is computed unsigned, then the
    /// sign applied: negative exactly when the base is negative and the exponent odd.
    /// It overflows when the magnitude exceeds `2**(bits-1) - 1`, or `2**(bits-1)` for
    /// a negative result (`int8`: `(-2)**7 = -128` fits, `2**7` does not).
    pub(crate) fn signed_pow(&mut self, bits: u16, base: &Expr, exp: &Expr) {
        self.expr(exp);
        self.expr(base);
        // [e, b] → [e, b, neg] with neg = (b < 0) & (e & 1).
        self.ops(&[O::PUSH0, O::DUP2, O::SLT, O::DUP3]);
        self.pushn(1);
        self.ops(&[O::AND, O::AND]);
        // s = b >> 255 (arithmetic: all ones when negative); |b| = (b ^ s) - s.
        self.op(O::DUP2);
        self.pushn(255);
        self.ops(&[O::SAR, O::DUP1, O::DUP4, O::XOR, O::SUB]);
        // [e, b, neg, |b|] → [neg, e, |b|]
        self.ops(&[O::SWAP2, O::POP, O::SWAP2, O::SWAP1]);
        // The magnitude is below 2**bits here (unsigned check at `bits`).
        self.pow_words(bits);
        // [neg, m]: fail when m > 2**(bits-1) - 1 + neg.
        self.op(O::DUP2);
        self.push((U256::from(1u8) << (bits as usize - 1)) - U256::from(1u8));
        self.ops(&[O::ADD, O::DUP2, O::GT]);
        self.fail_if(Failure::Panic(PANIC_OVERFLOW));
        // r = (m ^ -neg) + neg: two's complement negation when neg.
        self.ops(&[O::DUP2, O::PUSH0, O::SUB, O::XOR, O::ADD]);
    }

    /// `[.., e, b]` → `[.., b ** e]`: checked unsigned exponentiation at `bits`.
    fn pow_words(&mut self, bits: u16) {
        // [e, b, r]
        self.pushn(1);
        let head = self.new_label();
        let skip = self.new_label();
        let done = self.new_label();
        self.place(head);
        self.ops(&[O::DUP3, O::ISZERO]);
        self.jumpi(done);
        self.op(O::DUP3);
        self.pushn(1);
        self.ops(&[O::AND, O::ISZERO]);
        self.jumpi(skip);
        // r = r * b
        self.op(O::DUP2);
        self.mul_unsigned(bits);
        self.place(skip);
        // e >>= 1; done when it reaches zero (the last square is not needed).
        self.op(O::SWAP2);
        self.pushn(1);
        self.ops(&[O::SHR, O::SWAP2, O::DUP3, O::ISZERO]);
        self.jumpi(done);
        // b = b * b
        self.ops(&[O::SWAP1, O::DUP1]);
        self.mul_unsigned(bits);
        self.op(O::SWAP1);
        self.jump(head);
        self.place(done);
        self.ops(&[O::SWAP2, O::POP, O::POP]);
    }
}

/// The largest unsigned value of `bits` bits.
pub(crate) fn max_of(bits: u16) -> U256 {
    if bits >= 256 {
        U256::MAX
    } else {
        (U256::from(1u8) << bits as usize) - U256::from(1u8)
    }
}
