//! Selectors of functions known to grant permissions. Calling one of them through an
//! interface that does not say how to revoke it (`#[grants(revoke = …)]`) is an error.

/// `(signature, what it grants)` for well-known permission-granting functions.
pub const KNOWN: &[(&str, &str)] = &[
    ("approve(address,uint256)", "an ERC-20 allowance"),
    ("increaseAllowance(address,uint256)", "an ERC-20 allowance"),
    ("setApprovalForAll(address,bool)", "an operator approval over all tokens"),
    ("permit(address,address,uint256,uint256,uint8,bytes32,bytes32)", "an ERC-2612 allowance"),
    ("approve(address,address,uint160,uint48)", "a Permit2 allowance"),
    ("approveDelegation(address,uint256)", "an Aave credit delegation"),
    ("setAuthorization(address,bool)", "a Morpho authorization"),
    ("authorizeOperator(address)", "an ERC-777 operator"),
    ("allow(address,bool)", "a Compound III manager permission"),
    ("setRelayerApproval(address,address,bool)", "a Balancer relayer approval"),
    ("updateOperator(address,bool)", "an operator permission"),
];

/// What the function with this canonical signature grants, if it is a known grant.
pub fn known_grant(signature: &str) -> Option<&'static str> {
    KNOWN.iter().find(|(s, _)| *s == signature).map(|(_, w)| *w)
}
