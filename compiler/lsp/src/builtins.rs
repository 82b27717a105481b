//! The language's builtins, as the editor offers them (keywords come from
//! `nest_syntax::keywords`).

/// A builtin function or value: its name, how it is called, and what it does.
pub(crate) struct Builtin {
    /// The name.
    pub name: &'static str,
    /// Its parameters (empty for values).
    pub params: &'static [&'static str],
    /// True for functions (called with parentheses).
    pub is_function: bool,
    /// One line on what it does.
    pub doc: &'static str,
}

const fn f(name: &'static str, params: &'static [&'static str], doc: &'static str) -> Builtin {
    Builtin {
        name,
        params,
        is_function: true,
        doc,
    }
}

const fn v(name: &'static str, doc: &'static str) -> Builtin {
    Builtin {
        name,
        params: &[],
        is_function: false,
        doc,
    }
}

/// Builtins usable anywhere an expression or statement is.
pub(crate) const BUILTINS: &[Builtin] = &[
    f(
        "approve",
        &["token", "spender", "amount"],
        "grant an ERC-20 allowance, revoked at every exit",
    ),
    f(
        "require",
        &["condition", "message"],
        "revert with `Error(message)` when the condition is false",
    ),
    f("revert", &["message"], "revert with `Error(message)`"),
    f(
        "revoke",
        &["call"],
        "revoke a permission an earlier transaction granted: the family's canonical revocation, e.g. `revoke(T.approve(spender, 0))`",
    ),
    f(
        "balance",
        &["token"],
        "the vault's balance of a token, as an amount of it",
    ),
    f("eth_balance", &[], "the vault's ETH balance in wei"),
    f(
        "at_par",
        &["amount", "token"],
        "the amount restated unit for unit in another token's decimals (no price applied; refuses precision loss)",
    ),
    f(
        "fixed",
        &["value", "decimals"],
        "an exact fixed-point quantity as a uint256: `fixed(1.6, 18)` is 1.6 in 18 decimals (an error when not representable)",
    ),
    f("min", &["a", "b"], "the smaller of two values of one type"),
    f("max", &["a", "b"], "the larger of two values of one type"),
    f("keccak256", &["data"], "the keccak-256 hash of bytes"),
    f(
        "address",
        &["value"],
        "a token or contract instance as an address",
    ),
    v(
        "block",
        "the current block: `block.timestamp`, `block.number`",
    ),
    v("chain", "the chain: `chain.id`"),
    v("abi", "ABI encoding: `abi.encode(…)`"),
];

/// Members of builtin values: `(receiver, member, doc)`.
pub(crate) const MEMBERS: &[(&str, &str, &str)] = &[
    ("block", "timestamp", "the block's timestamp, in seconds"),
    ("block", "number", "the block's number"),
    ("chain", "id", "the chain id"),
    ("abi", "encode", "ABI-encode the arguments"),
];

/// The builtin function called `name`.
pub(crate) fn function(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.is_function && b.name == name)
}
