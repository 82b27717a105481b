//! The shape of ABI types, as lowering and code generation need it: which values
//! are one word, which are dynamic, and how many bytes a static value takes.
//!
//! Facts from the Solidity ABI specification: a static value is encoded in place;
//! a dynamic value (`bytes`, `string`, `T[]`, and tuples or `T[N]` holding one) is
//! encoded in the tail and its head slot holds its offset from the start of the
//! enclosing tuple.

use crate::{Arg, Expr};
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

/// Whether a call argument is dynamic in the ABI sense (encoded behind an offset).
pub fn arg_dynamic(a: &Arg) -> bool {
    match a {
        Arg::Word(_) => false,
        Arg::Array(_) | Arg::Bytes(_) => true,
        Arg::Tuple(xs) => xs.iter().any(arg_dynamic),
        Arg::Encoded { ty, .. } => is_dynamic(ty),
    }
}

/// A call argument's encoded size (its tail, for a dynamic one) when it is known at
/// compile time: not for values of dynamic type already encoded in memory.
pub fn arg_size(a: &Arg) -> Option<u64> {
    match a {
        Arg::Word(_) => Some(32),
        Arg::Bytes(b) => Some(32 + (b.len() as u64).div_ceil(32) * 32),
        Arg::Tuple(xs) => tuple_size(xs),
        Arg::Array(xs) => tuple_size(xs).map(|n| 32 + n),
        Arg::Encoded { ty, .. } => static_size(ty),
    }
}

/// The encoded size of a tuple of arguments (heads and tails) when it is known at
/// compile time.
pub fn tuple_size(xs: &[Arg]) -> Option<u64> {
    xs.iter()
        .map(|x| arg_size(x).map(|n| if arg_dynamic(x) { 32 + n } else { n }))
        .sum()
}

/// The bytes an argument takes in its tuple's head: an offset word when it is dynamic,
/// else its whole encoding.
pub fn head_of(a: &Arg) -> u64 {
    if arg_dynamic(a) {
        32
    } else {
        arg_size(a).unwrap_or(32)
    }
}

/// The run-time values of the arguments, in evaluation order: every word that is not a
/// constant and every value encoded in memory (constants and `bytes` literals are part
/// of the encoding's constant template).
pub fn leaves(args: &[Arg]) -> Vec<&Expr> {
    fn go<'a>(a: &'a Arg, out: &mut Vec<&'a Expr>) {
        match a {
            Arg::Word(Expr::Const(_)) | Arg::Bytes(_) => {}
            Arg::Word(e) | Arg::Encoded { ptr: e, .. } => out.push(e),
            Arg::Tuple(xs) | Arg::Array(xs) => xs.iter().for_each(|x| go(x, out)),
        }
    }
    let mut out = Vec::new();
    args.iter().for_each(|a| go(a, &mut out));
    out
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

#[cfg(test)]
mod arg_sizes {
    use super::*;
    use alloy_primitives::U256;

    fn word(n: u64) -> Arg {
        Arg::Word(Expr::Var(crate::Var(n as u32)))
    }

    #[test]
    fn sizes_of_static_and_dynamic_arguments() {
        // (uint256, bytes "abc"): head 2 words, tail length word + one padded word.
        let args = [word(0), Arg::Bytes(b"abc".to_vec())];
        assert_eq!(tuple_size(&args), Some(32 + 32 + 64));
        assert_eq!(head_of(&args[1]), 32);
        // A static tuple sits in the head; a dynamic array behind an offset.
        let tuple = Arg::Tuple(vec![word(1), word(2)]);
        assert!(!arg_dynamic(&tuple));
        assert_eq!(head_of(&tuple), 64);
        let array = Arg::Array(vec![word(1), word(2), word(3)]);
        assert!(arg_dynamic(&array));
        assert_eq!(arg_size(&array), Some(32 + 96));
        // A returned `bytes` passed on: its size is known only at run time.
        let encoded = Arg::Encoded {
            ptr: Expr::Var(crate::Var(9)),
            ty: DynSolType::Bytes,
        };
        assert_eq!(tuple_size(&[word(0), encoded.clone()]), None);
        let uint = Arg::Encoded {
            ptr: Expr::Var(crate::Var(9)),
            ty: DynSolType::Tuple(vec![DynSolType::Uint(256); 3]),
        };
        assert_eq!(arg_size(&uint), Some(96));
        // Leaves: run-time values only, in order.
        let args = [
            Arg::Word(Expr::Const(U256::from(7))),
            word(4),
            Arg::Tuple(vec![Arg::Bytes(vec![1]), word(5)]),
            encoded,
        ];
        let got: Vec<&Expr> = leaves(&args);
        assert_eq!(
            got,
            [
                &Expr::Var(crate::Var(4)),
                &Expr::Var(crate::Var(5)),
                &Expr::Var(crate::Var(9))
            ]
        );
    }
}
