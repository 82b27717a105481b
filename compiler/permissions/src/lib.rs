//! The permission families Nest knows.
//!
//! A **permission** is anything a vault can allow another address to do with its assets
//! or its account after the script that allowed it has ended: spend a token, operate its
//! NFTs, borrow on its credit, act for it on a protocol. Each family lists the functions
//! that grant it, the canonical call that revokes each grant, how to read a grant back
//! from chain state, and the events that announce it.
//!
//! Everything is matched by 4-byte selector ([`granting`]), never by a function's name:
//! a function named so that its selector collides with a known grant's is that grant.
//!
//! This crate is data: the checker decides from it what a call grants and how to revoke
//! it; the dry run reads grants back with it; the book's reference is checked against it.

use alloy_primitives::keccak256;

mod found;
pub use found::{is_revocation_call, EventGrant, Grant, LogArg, EVENT_GRANTS};
use std::sync::OnceLock;

/// An argument of a revoking call or of a read-back query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// The granting call's argument with this index, as it was at the grant.
    Param(usize),
    /// Zero (`0`, `false`).
    Zero,
    /// The owner of the permission: the vault (the granting call's sender).
    Owner,
}

/// A call: a function's canonical signature and its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// `name(type,…)`, canonical ABI form.
    pub signature: &'static str,
    /// One per parameter of `signature`.
    pub args: &'static [Arg],
}

impl Call {
    /// The function's 4-byte selector.
    pub fn selector(&self) -> [u8; 4] {
        selector(self.signature)
    }

    /// The function's name (before the parenthesis).
    pub fn name(&self) -> &'static str {
        name_of(self.signature)
    }
}

/// When the word(s) a read-back query returns mean the permission is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// The first returned word is non-zero (an amount, a `bool`, a flag).
    NonZero,
    /// The first returned word equals the granting call's argument with this index (an
    /// ERC-721 `getApproved(id) == spender`).
    EqualsParam(usize),
    /// The first word is a non-zero amount and the second an expiry not yet past
    /// (Permit2's `allowance` returns `(amount, expiration, nonce)`).
    NonZeroUnexpired,
}

/// How to read a grant back from chain state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    /// The view function, called on the granting call's target.
    pub call: Call,
    /// How to read its answer.
    pub live: Live,
}

/// A function that grants a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Granting {
    /// Canonical signature, e.g. `approve(address,uint256)`.
    pub signature: &'static str,
    /// Which argument names who receives the permission (spender, operator, delegatee…).
    pub grantee: usize,
    /// The canonical revocation, called on the same target.
    pub revoke: Call,
    /// How to read the grant back, where the family has a view for it.
    pub read: Option<Read>,
}

impl Granting {
    /// The function's 4-byte selector.
    pub fn selector(&self) -> [u8; 4] {
        selector(self.signature)
    }

    /// The function's name (before the parenthesis).
    pub fn name(&self) -> &'static str {
        name_of(self.signature)
    }

    /// The family this function belongs to.
    pub fn family(&self) -> &'static Family {
        FAMILIES
            .iter()
            .find(|f| f.functions.iter().any(|g| g.signature == self.signature))
            .expect("a granting function belongs to a family")
    }
}

/// An event that announces a grant: which topics name the owner and the grantee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Canonical event signature, e.g. `Approval(address,address,uint256)`.
    pub signature: &'static str,
    /// How many topics the log has (topic 0, the signature hash, included).
    pub topics: usize,
    /// The topic holding the owner (the vault).
    pub owner: usize,
    /// The topic holding the grantee.
    pub grantee: usize,
}

impl Event {
    /// `keccak256(signature)`: the log's topic 0.
    pub fn topic(&self) -> [u8; 32] {
        keccak256(self.signature.as_bytes()).0
    }
}

/// A family of permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// Stable identifier, as the dry-run report's `kind` spells it: `erc20-allowance`.
    pub id: &'static str,
    /// What it grants, in words: "an ERC-20 allowance".
    pub what: &'static str,
    /// The functions that grant it (empty for a family Nest refuses to grant, which the
    /// dry run still watches).
    pub functions: &'static [Granting],
    /// The events that announce a grant.
    pub events: &'static [Event],
}

use Arg::{Owner, Param as P, Zero};

const fn call(signature: &'static str, args: &'static [Arg]) -> Call {
    Call { signature, args }
}

const fn read(signature: &'static str, args: &'static [Arg], live: Live) -> Option<Read> {
    Some(Read {
        call: call(signature, args),
        live,
    })
}

const ERC20_REVOKE: Call = call("approve(address,uint256)", &[P(0), Zero]);
const ERC20_READ: Option<Read> = read("allowance(address,address)", &[Owner, P(0)], Live::NonZero);

/// Every family Nest knows.
pub static FAMILIES: &[Family] = &[
    Family {
        id: "erc20-allowance",
        what: "an ERC-20 allowance",
        functions: &[
            Granting {
                signature: "approve(address,uint256)",
                grantee: 0,
                revoke: ERC20_REVOKE,
                read: ERC20_READ,
            },
            Granting {
                signature: "increaseAllowance(address,uint256)",
                grantee: 0,
                revoke: ERC20_REVOKE,
                read: ERC20_READ,
            },
            Granting {
                signature: "increaseApproval(address,uint256)",
                grantee: 0,
                revoke: ERC20_REVOKE,
                read: ERC20_READ,
            },
            Granting {
                signature: "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
                grantee: 1,
                revoke: call("approve(address,uint256)", &[P(1), Zero]),
                read: read("allowance(address,address)", &[P(0), P(1)], Live::NonZero),
            },
        ],
        events: &[Event {
            signature: "Approval(address,address,uint256)",
            topics: 3,
            owner: 1,
            grantee: 2,
        }],
    },
    Family {
        id: "erc721-approval",
        what: "an ERC-721 per-token approval",
        // `approve(address to, uint256 tokenId)` has the ERC-20 selector: the checker
        // refuses it on interfaces that are ERC-721s, and the dry run watches its event.
        functions: &[],
        events: &[Event {
            signature: "Approval(address,address,uint256)",
            topics: 4,
            owner: 1,
            grantee: 2,
        }],
    },
    Family {
        id: "operator-approval",
        what: "an operator approval over all tokens (ERC-721, ERC-1155)",
        functions: &[Granting {
            signature: "setApprovalForAll(address,bool)",
            grantee: 0,
            revoke: call("setApprovalForAll(address,bool)", &[P(0), Zero]),
            read: read(
                "isApprovedForAll(address,address)",
                &[Owner, P(0)],
                Live::NonZero,
            ),
        }],
        events: &[Event {
            signature: "ApprovalForAll(address,address,bool)",
            topics: 3,
            owner: 1,
            grantee: 2,
        }],
    },
    Family {
        id: "permit2-allowance",
        what: "a Permit2 allowance",
        functions: &[Granting {
            signature: "approve(address,address,uint160,uint48)",
            grantee: 1,
            revoke: call(
                "approve(address,address,uint160,uint48)",
                &[P(0), P(1), Zero, Zero],
            ),
            read: read(
                "allowance(address,address,address)",
                &[Owner, P(0), P(1)],
                Live::NonZeroUnexpired,
            ),
        }],
        events: &[Event {
            signature: "Approval(address,address,address,uint160,uint48)",
            topics: 4,
            owner: 1,
            grantee: 3,
        }],
    },
    Family {
        id: "credit-delegation",
        what: "an Aave credit delegation",
        functions: &[Granting {
            signature: "approveDelegation(address,uint256)",
            grantee: 0,
            revoke: call("approveDelegation(address,uint256)", &[P(0), Zero]),
            read: read(
                "borrowAllowance(address,address)",
                &[Owner, P(0)],
                Live::NonZero,
            ),
        }],
        events: &[Event {
            signature: "BorrowAllowanceDelegated(address,address,address,uint256)",
            topics: 4,
            owner: 1,
            grantee: 2,
        }],
    },
    Family {
        id: "authorization",
        what: "a Morpho authorization",
        functions: &[Granting {
            signature: "setAuthorization(address,bool)",
            grantee: 0,
            revoke: call("setAuthorization(address,bool)", &[P(0), Zero]),
            read: read(
                "isAuthorized(address,address)",
                &[Owner, P(0)],
                Live::NonZero,
            ),
        }],
        events: &[Event {
            signature: "SetAuthorization(address,address,address,bool)",
            topics: 4,
            owner: 2,
            grantee: 3,
        }],
    },
    Family {
        id: "erc777-operator",
        what: "an ERC-777 operator",
        functions: &[Granting {
            signature: "authorizeOperator(address)",
            grantee: 0,
            revoke: call("revokeOperator(address)", &[P(0)]),
            read: read(
                "isOperatorFor(address,address)",
                &[P(0), Owner],
                Live::NonZero,
            ),
        }],
        events: &[Event {
            signature: "AuthorizedOperator(address,address)",
            topics: 3,
            owner: 2,
            grantee: 1,
        }],
    },
    Family {
        id: "comet-manager",
        what: "a Compound III manager permission",
        functions: &[Granting {
            signature: "allow(address,bool)",
            grantee: 0,
            revoke: call("allow(address,bool)", &[P(0), Zero]),
            read: read("isAllowed(address,address)", &[Owner, P(0)], Live::NonZero),
        }],
        // Comet announces `allow` with an ERC-20 `Approval` of the maximum amount.
        events: &[],
    },
    Family {
        id: "balancer-relayer",
        what: "a Balancer relayer approval",
        functions: &[Granting {
            signature: "setRelayerApproval(address,address,bool)",
            grantee: 1,
            revoke: call(
                "setRelayerApproval(address,address,bool)",
                &[P(0), P(1), Zero],
            ),
            read: read(
                "hasApprovedRelayer(address,address)",
                &[P(0), P(1)],
                Live::NonZero,
            ),
        }],
        events: &[Event {
            signature: "RelayerApprovalChanged(address,address,bool)",
            topics: 3,
            owner: 2,
            grantee: 1,
        }],
    },
    Family {
        id: "operator",
        what: "an operator permission",
        functions: &[Granting {
            signature: "updateOperator(address,bool)",
            grantee: 0,
            revoke: call("updateOperator(address,bool)", &[P(0), Zero]),
            read: None,
        }],
        events: &[],
    },
    Family {
        id: "erc6909-operator",
        what: "an ERC-6909 operator",
        functions: &[Granting {
            signature: "setOperator(address,bool)",
            grantee: 0,
            revoke: call("setOperator(address,bool)", &[P(0), Zero]),
            read: read("isOperator(address,address)", &[Owner, P(0)], Live::NonZero),
        }],
        events: &[Event {
            signature: "OperatorSet(address,address,bool)",
            topics: 3,
            owner: 1,
            grantee: 2,
        }],
    },
    Family {
        id: "erc6909-allowance",
        what: "an ERC-6909 allowance",
        functions: &[Granting {
            signature: "approve(address,uint256,uint256)",
            grantee: 0,
            revoke: call("approve(address,uint256,uint256)", &[P(0), P(1), Zero]),
            read: read(
                "allowance(address,address,uint256)",
                &[Owner, P(0), P(1)],
                Live::NonZero,
            ),
        }],
        events: &[Event {
            signature: "Approval(address,address,uint256,uint256)",
            topics: 4,
            owner: 1,
            grantee: 2,
        }],
    },
    Family {
        id: "maker-hope",
        what: "a Maker `hope` (the grantee may move the vault's internal balances)",
        functions: &[Granting {
            signature: "hope(address)",
            grantee: 0,
            revoke: call("nope(address)", &[P(0)]),
            read: read("can(address,address)", &[Owner, P(0)], Live::NonZero),
        }],
        events: &[],
    },
    Family {
        id: "evc-operator",
        what: "an Ethereum Vault Connector account operator",
        functions: &[Granting {
            signature: "setAccountOperator(address,address,bool)",
            grantee: 1,
            revoke: call(
                "setAccountOperator(address,address,bool)",
                &[P(0), P(1), Zero],
            ),
            read: read(
                "isAccountOperatorAuthorized(address,address)",
                &[P(0), P(1)],
                Live::NonZero,
            ),
        }],
        events: &[],
    },
    Family {
        id: "router-plugin",
        what: "a router plugin approval (the plugin may move the vault's positions)",
        functions: &[Granting {
            signature: "approvePlugin(address)",
            grantee: 0,
            revoke: call("denyPlugin(address)", &[P(0)]),
            read: read(
                "approvedPlugins(address,address)",
                &[Owner, P(0)],
                Live::NonZero,
            ),
        }],
        events: &[],
    },
];

/// How an ERC-721 per-token approval (`approve(address to, uint256 tokenId)`, the ERC-20
/// selector) is read back: `getApproved(tokenId) == to`.
pub const ERC721_APPROVED_READ: Read = Read {
    call: Call {
        signature: "getApproved(uint256)",
        args: &[P(1)],
    },
    live: Live::EqualsParam(0),
};

/// The 4-byte selector of a canonical signature.
pub fn selector(signature: &str) -> [u8; 4] {
    let h = keccak256(signature.as_bytes());
    [h[0], h[1], h[2], h[3]]
}

fn name_of(signature: &'static str) -> &'static str {
    signature.split('(').next().unwrap_or(signature)
}

/// Every granting function with its selector, computed once.
fn table() -> &'static [([u8; 4], &'static Granting)] {
    static TABLE: OnceLock<Vec<([u8; 4], &'static Granting)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        FAMILIES
            .iter()
            .flat_map(|f| f.functions.iter())
            .map(|g| (g.selector(), g))
            .collect()
    })
}

/// The known granting function with this selector, whatever the called function is
/// named.
pub fn granting(selector: [u8; 4]) -> Option<&'static Granting> {
    table()
        .iter()
        .find(|(s, _)| *s == selector)
        .map(|(_, g)| *g)
}

/// The family with this identifier.
pub fn family(id: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| f.id == id)
}

/// Every granting function of every family, in table order.
pub fn all_granting() -> impl Iterator<Item = &'static Granting> {
    FAMILIES.iter().flat_map(|f| f.functions.iter())
}

/// The number of parameters of a canonical signature (top-level commas, tuples counted
/// once).
pub fn arity(signature: &str) -> usize {
    let inner = signature
        .split_once('(')
        .map(|(_, rest)| rest.strip_suffix(')').unwrap_or(rest))
        .unwrap_or("");
    if inner.is_empty() {
        return 0;
    }
    let mut depth = 0i32;
    let mut n = 1;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => n += 1,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_selectors_and_topics() {
        // Published values (the ERC texts and the protocols' ABIs).
        assert_eq!(
            selector("approve(address,uint256)"),
            [0x09, 0x5e, 0xa7, 0xb3]
        );
        assert_eq!(
            selector("setApprovalForAll(address,bool)"),
            [0xa2, 0x2c, 0xb4, 0x65]
        );
        assert_eq!(
            granting([0x09, 0x5e, 0xa7, 0xb3]).map(|g| g.signature),
            Some("approve(address,uint256)")
        );
        let approval = FAMILIES[0].events[0];
        assert_eq!(
            alloy_primitives::hex::encode(approval.topic()),
            "8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925"
        );
    }

    #[test]
    fn every_revocation_and_read_fits_its_signature() {
        for g in all_granting() {
            let n = arity(g.signature);
            assert!(g.grantee < n, "{}", g.signature);
            assert_eq!(
                g.revoke.args.len(),
                arity(g.revoke.signature),
                "{}",
                g.signature
            );
            // A revocation is never the grant again: some argument is a constant zero,
            // or the revoking function is another function.
            assert!(
                g.revoke.signature != g.signature || g.revoke.args.contains(&Arg::Zero),
                "{}",
                g.signature
            );
            for a in g
                .revoke
                .args
                .iter()
                .chain(g.read.iter().flat_map(|r| r.call.args))
            {
                if let Arg::Param(i) = a {
                    assert!(*i < n, "{}", g.signature);
                }
            }
            if let Some(r) = g.read {
                assert_eq!(
                    r.call.args.len(),
                    arity(r.call.signature),
                    "{}",
                    g.signature
                );
            }
            assert!(g.family().functions.contains(g), "{}", g.signature);
        }
    }

    #[test]
    fn no_selector_twice_and_ids_unique() {
        let mut sels: Vec<[u8; 4]> = all_granting().map(Granting::selector).collect();
        let n = sels.len();
        sels.sort();
        sels.dedup();
        assert_eq!(sels.len(), n);
        let mut ids: Vec<&str> = FAMILIES.iter().map(|f| f.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), FAMILIES.len());
    }

    #[test]
    fn arity_counts_top_level_parameters() {
        assert_eq!(arity("f()"), 0);
        assert_eq!(arity("f(address)"), 1);
        assert_eq!(arity("f((address,uint256),bool)"), 2);
    }
}
