//! The ranges of integer types, for errors about constants that do not fit one.

use crate::ty::Type;
use alloy_primitives::U256;

/// A constant integer: its sign and magnitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Constant {
    pub negative: bool,
    pub magnitude: U256,
}

impl Constant {
    /// The value of word `w` of integer type `ty` (`int` words are two's complement).
    pub(crate) fn of(w: U256, ty: &Type) -> Option<Constant> {
        let negative = match ty {
            Type::Uint(_) => false,
            Type::Int(_) => w.bit(255),
            _ => return None,
        };
        let magnitude = if negative { w.wrapping_neg() } else { w };
        Some(Constant {
            negative,
            magnitude,
        })
    }

    /// Whether it fits in an integer of `bits` bits.
    pub(crate) fn fits(self, bits: u16, signed: bool) -> bool {
        let limit = |b: u16| U256::from(1u8).checked_shl(b as usize);
        match (signed, self.negative) {
            (false, true) => self.magnitude.is_zero(),
            (false, false) => bits >= 256 || limit(bits).is_some_and(|l| self.magnitude < l),
            (true, false) => limit(bits - 1).is_some_and(|l| self.magnitude < l),
            (true, true) => limit(bits - 1).is_some_and(|l| self.magnitude <= l),
        }
    }

    /// The narrowest integer type of the given signedness that holds it (`int` when
    /// it is negative), if any.
    pub(crate) fn narrowest(self, signed: bool) -> Option<Type> {
        let signed = signed || self.negative;
        (8..=256u16)
            .step_by(8)
            .find(|b| self.fits(*b, signed))
            .map(|b| if signed { Type::Int(b) } else { Type::Uint(b) })
    }
}

impl std::fmt::Display for Constant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.negative {
            write!(f, "-{}", self.magnitude)
        } else {
            write!(f, "{}", self.magnitude)
        }
    }
}

/// The range of an integer type as a person reads it: `0 to 255`, `-128 to 127`,
/// `0 to 2**256 - 1`.
pub(crate) fn range(bits: u16, signed: bool) -> String {
    let power = |b: u16| {
        if b <= 64 {
            (U256::from(1u8) << b as usize).to_string()
        } else {
            format!("2**{b}")
        }
    };
    let minus_one = |b: u16| {
        if b <= 64 {
            ((U256::from(1u8) << b as usize) - U256::from(1u8)).to_string()
        } else {
            format!("2**{b} - 1")
        }
    };
    if signed {
        format!("-{} to {}", power(bits - 1), minus_one(bits - 1))
    } else {
        format!("0 to {}", minus_one(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(v: i64) -> Constant {
        Constant {
            negative: v < 0,
            magnitude: U256::from(v.unsigned_abs()),
        }
    }

    #[test]
    fn ranges_read_like_the_types() {
        assert_eq!(range(8, false), "0 to 255");
        assert_eq!(range(8, true), "-128 to 127");
        assert_eq!(range(64, false), "0 to 18446744073709551615");
        assert_eq!(range(256, false), "0 to 2**256 - 1");
        assert_eq!(range(256, true), "-2**255 to 2**255 - 1");
    }

    #[test]
    fn fits_at_the_edges() {
        assert!(c(255).fits(8, false));
        assert!(!c(256).fits(8, false));
        assert!(!c(-1).fits(256, false));
        assert!(c(-128).fits(8, true));
        assert!(!c(-129).fits(8, true));
        assert!(!c(128).fits(8, true));
        assert!(Constant::of(U256::MAX, &Type::Uint(256))
            .is_some_and(|k| k.fits(256, false) && !k.fits(256, true)));
        assert_eq!(
            Constant::of(U256::MAX, &Type::Int(256)),
            Some(c(-1)),
            "int words are two's complement"
        );
    }

    #[test]
    fn the_narrowest_type_that_holds_a_constant() {
        assert_eq!(c(300).narrowest(false), Some(Type::Uint(16)));
        assert_eq!(c(200).narrowest(true), Some(Type::Int(16)));
        assert_eq!(c(-1).narrowest(false), Some(Type::Int(8)));
        assert_eq!(c(-129).narrowest(true), Some(Type::Int(16)));
    }
}
