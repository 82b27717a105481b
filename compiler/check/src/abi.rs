//! Mapping between Nest types and ABI types.

use crate::ty::Type;
use alloy_dyn_abi::DynSolType;

/// The ABI type a Nest type is encoded as (amounts as `uint256`, tokens and
/// contracts as `address`).
pub fn to_abi(ty: &Type) -> Option<DynSolType> {
    Some(match ty {
        Type::Uint(b) => DynSolType::Uint(*b as usize),
        Type::Int(b) => DynSolType::Int(*b as usize),
        Type::Bool => DynSolType::Bool,
        Type::Address | Type::Token(_) | Type::Contract(_) => DynSolType::Address,
        Type::FixedBytes(n) => DynSolType::FixedBytes(*n as usize),
        Type::Bytes => DynSolType::Bytes,
        Type::String => DynSolType::String,
        Type::Amount(_) => DynSolType::Uint(256),
        Type::Array(t, None) => DynSolType::Array(Box::new(to_abi(t)?)),
        Type::Array(t, Some(n)) => DynSolType::FixedArray(Box::new(to_abi(t)?), *n),
        Type::Tuple(ts, _) => DynSolType::Tuple(ts.iter().map(to_abi).collect::<Option<_>>()?),
        Type::Unit | Type::Error => return None,
    })
}

/// The Nest type of an ABI type (as seen in interface signatures).
pub fn from_abi(ty: &DynSolType) -> Type {
    match ty {
        DynSolType::Uint(b) => Type::Uint(*b as u16),
        DynSolType::Int(b) => Type::Int(*b as u16),
        DynSolType::Bool => Type::Bool,
        DynSolType::Address | DynSolType::Function => Type::Address,
        DynSolType::FixedBytes(n) => Type::FixedBytes(*n as u8),
        DynSolType::Bytes => Type::Bytes,
        DynSolType::String => Type::String,
        DynSolType::Array(t) => Type::Array(Box::new(from_abi(t)), None),
        DynSolType::FixedArray(t, n) => Type::Array(Box::new(from_abi(t)), Some(*n)),
        DynSolType::Tuple(ts) => {
            Type::Tuple(ts.iter().map(from_abi).collect(), vec![None; ts.len()])
        }
        #[allow(unreachable_patterns)]
        _ => Type::Error,
    }
}
