//! Grants found on a chain: decoded from a family's event or from a granting call's input,
//! read back from state, and revoked.
//!
//! `nestc audit` finds the permissions a vault has granted from the families' events (with
//! the vault as the owner) and from the granting calls its transactions made; each is a
//! [`Grant`]: the contract that holds it and the arguments of the granting call that would
//! have made it. From those, the family's read-back view says whether it is still in force
//! ([`Grant::read_calldata`], [`Grant::level`]) and its canonical revocation undoes it
//! ([`Grant::revocation`]).

use alloy_primitives::{keccak256, Address, B256, U256};

use crate::{
    arity, family, granting, Arg, Call, Family, Granting, Live, Read, ERC721_APPROVED_READ,
};

/// Where a granting call's argument is found in a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogArg {
    /// The topic with this index (0 is the event's hash).
    Topic(usize),
    /// The data's word with this index.
    Data(usize),
}

/// An event that announces a grant, and how it maps onto the granting call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventGrant {
    /// The family's identifier.
    pub family: &'static str,
    /// Canonical event signature.
    pub event: &'static str,
    /// The log's number of topics (topic 0 included).
    pub topics: usize,
    /// The topic holding the owner (the vault).
    pub owner: usize,
    /// The granting function whose read-back and revocation apply (`None` for ERC-721
    /// per-token approvals, read with [`ERC721_APPROVED_READ`]).
    pub function: Option<&'static str>,
    /// The granting call's arguments, one each.
    pub args: &'static [LogArg],
}

impl EventGrant {
    /// The log's topic 0.
    pub fn topic(&self) -> B256 {
        keccak256(self.event.as_bytes())
    }
}

use LogArg::{Data as D, Topic as T};

/// Every event Nest decodes into a grant. The families' own events ([`Family::events`]),
/// plus Permit2's `Permit` (a signed allowance, which the vault's owner may have signed
/// for it), keyed by topic 0 and the number of topics (ERC-20 and ERC-721 `Approval` share
/// a hash and differ by whether the third argument is indexed).
pub static EVENT_GRANTS: &[EventGrant] = &[
    EventGrant {
        family: "erc20-allowance",
        event: "Approval(address,address,uint256)",
        topics: 3,
        owner: 1,
        function: Some("approve(address,uint256)"),
        args: &[T(2), D(0)],
    },
    EventGrant {
        family: "erc721-approval",
        event: "Approval(address,address,uint256)",
        topics: 4,
        owner: 1,
        function: None,
        args: &[T(2), T(3)],
    },
    EventGrant {
        family: "operator-approval",
        event: "ApprovalForAll(address,address,bool)",
        topics: 3,
        owner: 1,
        function: Some("setApprovalForAll(address,bool)"),
        args: &[T(2), D(0)],
    },
    EventGrant {
        family: "permit2-allowance",
        event: "Approval(address,address,address,uint160,uint48)",
        topics: 4,
        owner: 1,
        function: Some("approve(address,address,uint160,uint48)"),
        args: &[T(2), T(3), D(0), D(1)],
    },
    EventGrant {
        family: "permit2-allowance",
        event: "Permit(address,address,address,uint160,uint48,uint48)",
        topics: 4,
        owner: 1,
        function: Some("approve(address,address,uint160,uint48)"),
        args: &[T(2), T(3), D(0), D(1)],
    },
    EventGrant {
        family: "credit-delegation",
        event: "BorrowAllowanceDelegated(address,address,address,uint256)",
        topics: 4,
        owner: 1,
        function: Some("approveDelegation(address,uint256)"),
        args: &[T(2), D(0)],
    },
    EventGrant {
        family: "authorization",
        event: "SetAuthorization(address,address,address,bool)",
        topics: 4,
        owner: 2,
        function: Some("setAuthorization(address,bool)"),
        args: &[T(3), D(0)],
    },
    EventGrant {
        family: "erc777-operator",
        event: "AuthorizedOperator(address,address)",
        topics: 3,
        owner: 2,
        function: Some("authorizeOperator(address)"),
        args: &[T(1)],
    },
    EventGrant {
        family: "balancer-relayer",
        event: "RelayerApprovalChanged(address,address,bool)",
        topics: 3,
        owner: 2,
        function: Some("setRelayerApproval(address,address,bool)"),
        args: &[T(2), T(1), D(0)],
    },
    EventGrant {
        family: "erc6909-operator",
        event: "OperatorSet(address,address,bool)",
        topics: 3,
        owner: 1,
        function: Some("setOperator(address,bool)"),
        args: &[T(2), D(0)],
    },
    EventGrant {
        family: "erc6909-allowance",
        event: "Approval(address,address,uint256,uint256)",
        topics: 4,
        owner: 1,
        function: Some("approve(address,uint256,uint256)"),
        args: &[T(2), T(3), D(0)],
    },
];

/// Families whose read-back is an amount (the others' is yes or no).
const AMOUNT_FAMILIES: [&str; 4] = [
    "erc20-allowance",
    "permit2-allowance",
    "credit-delegation",
    "erc6909-allowance",
];

/// A permission a vault may hold out: the contract that holds it and the arguments of the
/// call that grants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Its family.
    pub family: &'static Family,
    /// The granting function whose read-back and revocation apply (`None` for an ERC-721
    /// per-token approval).
    pub function: Option<&'static Granting>,
    /// The contract that holds it (the token, Permit2, the pool…).
    pub contract: Address,
    /// The granting call's arguments, a word each.
    pub params: Vec<B256>,
}

impl Grant {
    /// The grant a log announces when `owner` is its owner, or `None` when the log is no
    /// known grant event or names another owner. A log that announces a revocation (an
    /// amount of zero, `false`) is a grant too: reading it back says it is not in force.
    pub fn from_log(
        contract: Address,
        topics: &[B256],
        data: &[u8],
        owner: Address,
    ) -> Option<Grant> {
        let eg = EVENT_GRANTS
            .iter()
            .find(|e| e.topics == topics.len() && topics.first() == Some(&e.topic()))?;
        if topics[eg.owner] != owner.into_word() {
            return None;
        }
        let params = eg
            .args
            .iter()
            .map(|a| match a {
                LogArg::Topic(i) => topics[*i],
                LogArg::Data(i) => word(data, *i),
            })
            .collect();
        Some(Grant {
            family: family(eg.family)?,
            function: eg.function.and_then(|s| granting(crate::selector(s))),
            contract,
            params,
        })
    }

    /// The grant a call to `contract` with `input` makes, or `None` when it is no known
    /// granting function or is its own revocation (`approve(spender, 0)`).
    pub fn from_call(contract: Address, input: &[u8]) -> Option<Grant> {
        let selector: [u8; 4] = input.get(..4)?.try_into().ok()?;
        let g = granting(selector)?;
        let params: Vec<B256> = (0..arity(g.signature))
            .map(|i| word(&input[4..], i))
            .collect();
        let revokes = g.revoke.signature == g.signature
            && g.revoke.args.iter().enumerate().all(|(j, a)| match a {
                Arg::Zero => params[j].is_zero(),
                Arg::Param(i) => *i == j,
                Arg::Owner => false,
            });
        if revokes {
            return None;
        }
        Some(Grant {
            family: g.family(),
            function: Some(g),
            contract,
            params,
        })
    }

    /// The ERC-721 per-token approval that an ERC-20 `approve(address,uint256)` call is on a
    /// contract that is an ERC-721 (the selector is the same): the same arguments (approved
    /// address, token id), read with `getApproved`. `None` for any other grant.
    pub fn as_erc721_approval(&self) -> Option<Grant> {
        let g = self.function?;
        if g.signature != "approve(address,uint256)" {
            return None;
        }
        Some(Grant {
            family: family("erc721-approval")?,
            function: None,
            contract: self.contract,
            params: self.params.clone(),
        })
    }

    /// Who receives the permission.
    pub fn grantee(&self) -> Address {
        let at = self.function.map_or(0, |g| g.grantee);
        Address::from_word(self.params.get(at).copied().unwrap_or_default())
    }

    /// How it is read back: the function's read, or `getApproved` for an ERC-721 approval.
    pub fn read(&self) -> Option<Read> {
        match self.function {
            Some(g) => g.read,
            None => Some(ERC721_APPROVED_READ),
        }
    }

    /// The read-back view's calldata for the permission `owner` holds out.
    pub fn read_calldata(&self, owner: Address) -> Option<Vec<u8>> {
        self.read().map(|r| calldata(&r.call, &self.params, owner))
    }

    /// How much of the permission is in force, from the read-back view's answer: the amount,
    /// or 1 for yes and 0 for no; `None` when the answer is too short to tell. `now` is the
    /// head block's timestamp (Permit2 allowances expire).
    pub fn level(&self, answer: &[u8], now: u64) -> Option<U256> {
        let read = self.read()?;
        let w = |i: usize| answer.get(32 * i..32 * (i + 1)).map(U256::from_be_slice);
        let first = w(0)?;
        Some(match read.live {
            Live::NonZero => first,
            Live::EqualsParam(i) => {
                let expected = Address::from_word(self.params.get(i).copied().unwrap_or_default());
                let holder = Address::from_word(B256::from(first));
                U256::from(u8::from(!expected.is_zero() && holder == expected))
            }
            Live::NonZeroUnexpired => {
                if w(1)? >= U256::from(now) {
                    first
                } else {
                    U256::ZERO
                }
            }
        })
    }

    /// Whether the level is an amount (an allowance) rather than yes or no.
    pub fn is_amount(&self) -> bool {
        AMOUNT_FAMILIES.contains(&self.family.id)
    }

    /// The contract the permission is over: Permit2's token, else the contract holding it.
    pub fn subject(&self) -> Address {
        if self.family.id == "permit2-allowance" {
            if let Some(token) = self.params.first() {
                return Address::from_word(*token);
            }
        }
        self.contract
    }

    /// The token id an ERC-721 approval or an ERC-6909 allowance is over.
    pub fn token_id(&self) -> Option<U256> {
        matches!(self.family.id, "erc721-approval" | "erc6909-allowance")
            .then(|| self.params.get(1).map(|w| U256::from_be_bytes(w.0)))
            .flatten()
    }

    /// The canonical revocation: the call, and its arguments a word each (`None` for an
    /// ERC-721 per-token approval, which Nest cannot call; a transfer clears it).
    pub fn revocation(&self, owner: Address) -> Option<(Call, Vec<B256>)> {
        let g = self.function?;
        let args = g
            .revoke
            .args
            .iter()
            .map(|a| arg_word(*a, &self.params, owner))
            .collect();
        Some((g.revoke, args))
    }

    /// Identity for de-duplication: the family, the contract and the read's arguments.
    pub fn key(&self, owner: Address) -> (&'static str, Address, Vec<u8>) {
        (
            self.family.id,
            self.contract,
            self.read_calldata(owner)
                .unwrap_or_else(|| self.params.iter().flat_map(|w| w.0).collect()),
        )
    }
}

/// The family-agnostic revocation for a call: whether `input`, sent to a contract, is a
/// known family's canonical revocation (a zero where the family's revocation has one).
pub fn is_revocation_call(input: &[u8]) -> bool {
    let Some(selector) = input.get(..4) else {
        return false;
    };
    crate::all_granting().any(|g| {
        g.revoke.selector() == selector
            && g.revoke.args.iter().enumerate().all(|(j, a)| match a {
                Arg::Zero => word(&input[4..], j).is_zero(),
                _ => true,
            })
    })
}

fn arg_word(arg: Arg, params: &[B256], owner: Address) -> B256 {
    match arg {
        Arg::Param(i) => params.get(i).copied().unwrap_or_default(),
        Arg::Zero => B256::ZERO,
        Arg::Owner => owner.into_word(),
    }
}

/// The calldata of `call` for a grant with `params` held out by `owner`.
fn calldata(call: &Call, params: &[B256], owner: Address) -> Vec<u8> {
    let mut data = call.selector().to_vec();
    for a in call.args {
        data.extend_from_slice(arg_word(*a, params, owner).as_slice());
    }
    data
}

/// The `i`-th 32-byte word of `data`, zero-padded where it is short.
fn word(data: &[u8], i: usize) -> B256 {
    let mut w = [0u8; 32];
    let start = (32 * i).min(data.len());
    let chunk = &data[start..(start + 32).min(data.len())];
    w[..chunk.len()].copy_from_slice(chunk);
    B256::from(w)
}

#[cfg(test)]
#[path = "found_tests.rs"]
mod tests;
