//! The shape of ABI types, as lowering and code generation need it: which values
//! are one word, which are dynamic, and how many bytes a static value takes.
//!
//! Facts from the Solidity ABI specification: a static value is encoded in place;
//! a dynamic value (`bytes`, `string`, `T[]`, and tuples or `T[N]` holding one) is
//! encoded in the tail and its head slot holds its offset from the start of the
//! enclosing tuple.

use alloy_dyn_abi::DynSolType;

/// The deepest nesting of arrays and tuples the code generator accepts.
pub const MAX_DEPTH: usize = 8;

/// The longest fixed-size array `T[N]` the code generator accepts.
pub const MAX_FIXED_LEN: usize = 1 << 16;

/// Whether values of this type are one static word (integers, addresses, bools, `bytesN`).
pub fn is_word(t: &DynSolType) -> bool {
    matches!(
        t,
        DynSolType::Uint(_)
            | DynSolType::Int(_)
            | DynSolType::Bool
            | DynSolType::Address
            | DynSolType::FixedBytes(_)
    )
}

/// Whether the type is dynamic in the ABI sense (encoded in the tail, behind an offset).
pub fn is_dynamic(t: &DynSolType) -> bool {
    match t {
        DynSolType::Bytes | DynSolType::String | DynSolType::Array(_) => true,
        DynSolType::FixedArray(e, _) => is_dynamic(e),
        DynSolType::Tuple(ts) => ts.iter().any(is_dynamic),
        _ => false,
    }
}

/// The encoded size in bytes of a static type (None for dynamic types).
pub fn static_size(t: &DynSolType) -> Option<u64> {
    match t {
        t if is_word(t) => Some(32),
        DynSolType::FixedArray(e, n) => static_size(e).map(|s| s * *n as u64),
        DynSolType::Tuple(ts) => ts.iter().map(static_size).sum(),
        _ => None,
    }
}

/// The bytes a value of this type takes in its parent's head: its size when
/// static, one offset word when dynamic.
pub fn head_size(t: &DynSolType) -> u64 {
    static_size(t).unwrap_or(32)
}

/// The offset of each member's head slot from the start of a tuple.
pub fn head_offsets(ts: &[DynSolType]) -> Vec<u64> {
    let mut at = 0;
    ts.iter()
        .map(|t| {
            let here = at;
            at += head_size(t);
            here
        })
        .collect()
}

/// Whether the code generator can encode and decode values of this type: only
/// the types above, nested at most [`MAX_DEPTH`] deep, fixed arrays at most
/// [`MAX_FIXED_LEN`] long.
pub fn supported(t: &DynSolType) -> bool {
    fn go(t: &DynSolType, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match t {
            t if is_word(t) => true,
            DynSolType::Bytes | DynSolType::String => true,
            DynSolType::Array(e) => go(e, depth + 1),
            DynSolType::FixedArray(e, n) => *n > 0 && *n <= MAX_FIXED_LEN && go(e, depth + 1),
            DynSolType::Tuple(ts) => !ts.is_empty() && ts.iter().all(|m| go(m, depth + 1)),
            _ => false,
        }
    }
    go(t, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> DynSolType {
        DynSolType::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn sizes_follow_the_spec() {
        assert_eq!(static_size(&ty("(address,uint24,bool)")), Some(96));
        assert_eq!(static_size(&ty("uint256[3][2]")), Some(192));
        assert_eq!(static_size(&ty("(uint256,bytes)")), None);
        assert_eq!(head_size(&ty("bytes[2]")), 32);
        assert_eq!(
            head_offsets(&[
                ty("uint256"),
                ty("(uint256,uint256)"),
                ty("bytes"),
                ty("bool")
            ]),
            vec![0, 32, 96, 128]
        );
        assert!(is_dynamic(&ty("(uint256,string)[1]")));
        assert!(!is_dynamic(&ty("(uint256,address)[4]")));
    }

    #[test]
    fn support_is_bounded() {
        assert!(supported(&ty("(bytes,address,uint256,uint256)")));
        assert!(!supported(&ty("()")));
        assert!(!supported(&ty("function")));
        assert!(!supported(&ty("uint256[][][][][][][][][]")));
    }
}
