//! Selectors of functions known to grant permissions. Calling one of them through an
//! interface that does not say how to revoke it (`#[grants(revoke = …)]`) is an error.

/// `(signature, what it grants)` for well-known permission-granting functions.
pub const KNOWN: &[(&str, &str)] = &[
    ("approve(address,uint256)", "an ERC-20 allowance"),
    ("increaseAllowance(address,uint256)", "an ERC-20 allowance"),
    (
        "setApprovalForAll(address,bool)",
        "an operator approval over all tokens",
    ),
    (
        "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
        "an ERC-2612 allowance",
    ),
    (
        "approve(address,address,uint160,uint48)",
        "a Permit2 allowance",
    ),
    (
        "approveDelegation(address,uint256)",
        "an Aave credit delegation",
    ),
    ("setAuthorization(address,bool)", "a Morpho authorization"),
    ("authorizeOperator(address)", "an ERC-777 operator"),
    ("allow(address,bool)", "a Compound III manager permission"),
    (
        "setRelayerApproval(address,address,bool)",
        "a Balancer relayer approval",
    ),
    ("updateOperator(address,bool)", "an operator permission"),
];

/// What the function with this canonical signature grants, if it is a known grant.
pub fn known_grant(signature: &str) -> Option<&'static str> {
    KNOWN.iter().find(|(s, _)| *s == signature).map(|(_, w)| *w)
}

/// An argument of a default revocation: a parameter of the granting call, or a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultArg {
    /// The granting call's parameter with this index.
    Param(usize),
    /// Zero (`0` / `false`).
    Zero,
}

/// How a known grant is revoked by convention, for interfaces read from JSON ABI
/// files (which cannot carry `#[grants]`): the revoking function's name and its
/// arguments. The revoking function must exist in the same interface.
pub fn default_revocation(signature: &str) -> Option<(&'static str, &'static [DefaultArg])> {
    use DefaultArg::{Param as P, Zero as Z};
    Some(match signature {
        "approve(address,uint256)" | "increaseAllowance(address,uint256)" => {
            ("approve", &[P(0), Z])
        }
        "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)" => ("approve", &[P(1), Z]),
        "setApprovalForAll(address,bool)" => ("setApprovalForAll", &[P(0), Z]),
        "approve(address,address,uint160,uint48)" => ("approve", &[P(0), P(1), Z, Z]),
        "approveDelegation(address,uint256)" => ("approveDelegation", &[P(0), Z]),
        "setAuthorization(address,bool)" => ("setAuthorization", &[P(0), Z]),
        "authorizeOperator(address)" => ("revokeOperator", &[P(0)]),
        "allow(address,bool)" => ("allow", &[P(0), Z]),
        "setRelayerApproval(address,address,bool)" => ("setRelayerApproval", &[P(0), P(1), Z]),
        "updateOperator(address,bool)" => ("updateOperator", &[P(0), Z]),
        _ => return None,
    })
}
