//! Permissions left behind, measured: every permission the vault may have granted during the
//! run is read back on the post-run state and compared with the pre-run state.
//!
//! The families are those of `nest-permissions` (the compiler's own table). A grant is a
//! candidate when
//! - a log announces it: one of a family's events naming the vault as the owner (in frames
//!   that later reverted too), or
//! - the vault called one of the table's granting functions (matched by selector, at any
//!   depth, whether or not the call succeeded).
//!
//! Each candidate is read back with its family's view (`allowance`, `isApprovedForAll`, …)
//! after the run and before it: it is listed when it is in force after the run and was not
//! (or was smaller) before. A read that fails after the run cannot show the permission gone:
//! it is listed with `after` `unknown`. A family without a view (`operator`) is judged from
//! the vault's calls: its last successful grant or revocation of each grantee decides.

use alloy_primitives::{Address, Log, B256, U256};
use nest_hyvm::{CallKind, CallNode};
use nest_permissions::{
    arity, granting, selector, Arg, Family, Granting, Live, Read, ERC721_APPROVED_READ, FAMILIES,
};

use super::known::Known;
use super::reads;
use super::types::AllowanceLeft;
use crate::deploy::World;

/// The family of ERC-721 per-token approvals, read with [`ERC721_APPROVED_READ`].
const ERC721_APPROVAL: &str = "erc721-approval";
/// The family of Permit2 allowances, whose subject is the token (the granting call's first
/// argument), not Permit2 itself.
const PERMIT2_ALLOWANCE: &str = "permit2-allowance";
/// Families whose read-back is an amount (the others' is yes or no).
const AMOUNT_FAMILIES: [&str; 4] = [
    "erc20-allowance",
    PERMIT2_ALLOWANCE,
    "credit-delegation",
    "erc6909-allowance",
];
/// Families whose amounts are in units of the token they are over.
const TOKEN_UNIT_FAMILIES: [&str; 3] = ["erc20-allowance", PERMIT2_ALLOWANCE, "credit-delegation"];
/// Families whose grant names a token id (the granting call's second argument).
const TOKEN_ID_FAMILIES: [&str; 2] = [ERC721_APPROVAL, "erc6909-allowance"];

/// Where a candidate was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// The vault called the granting function.
    Call,
    /// An event announced the grant.
    Event,
}

/// A permission the vault may have granted during the run.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Candidate {
    family: &'static Family,
    /// The granting function, when the vault's call was seen (or the family's function whose
    /// read an event's grant is read with).
    function: Option<&'static Granting>,
    /// The contract that holds the permission.
    contract: Address,
    /// The granting call's arguments, a word each (from an event: what its topics tell, and
    /// the vault for the rest).
    params: Vec<B256>,
    /// Who receives the permission.
    grantee: Address,
    /// How to read it back (`None`: the family has no view).
    read: Option<Read>,
    source: Source,
}

/// Every candidate grant by `vault` in the run, each once: the vault's granting calls in
/// call order, then the grants only events announce.
fn candidates(trace: &CallNode, logs: &[&Log], vault: Address) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut calls = Vec::new();
    vault_calls(trace, vault, true, true, &mut calls);
    for (node, _) in &calls {
        let Some(g) = selector_of(&node.input).and_then(granting) else {
            continue;
        };
        let params = words(&node.input[4..], arity(g.signature));
        if is_revocation(g, &params) {
            continue;
        }
        push_unique(
            &mut found,
            Candidate {
                family: g.family(),
                function: Some(g),
                contract: node.to,
                grantee: Address::from_word(params[g.grantee]),
                params,
                read: g.read,
                source: Source::Call,
            },
        );
    }
    let vault_word = vault.into_word();
    for log in logs {
        let topics = log.data.topics();
        for family in FAMILIES {
            for event in family.events {
                let matches = topics.len() == event.topics
                    && topics[0] == B256::from(event.topic())
                    && topics.get(event.owner) == Some(&vault_word);
                if !matches {
                    continue;
                }
                let grantee = Address::from_word(topics[event.grantee]);
                // The vault's own call already stands for this grant (Compound III announces
                // `allow` as an ERC-20 `Approval`).
                let called = found.iter().any(|c| {
                    c.source == Source::Call && c.contract == log.address && c.grantee == grantee
                });
                if called {
                    continue;
                }
                let (function, read, grantee_param, n) = match event_read(family) {
                    Some(r) => r,
                    None => (None, None, 0, 1),
                };
                // The grantee where the function takes it; the event's other indexed
                // arguments, in order, in the other places; the vault in the rest.
                let mut params = vec![vault_word; n.max(grantee_param + 1)];
                params[grantee_param] = topics[event.grantee];
                let others = (1..topics.len()).filter(|i| *i != event.owner && *i != event.grantee);
                let places = (0..params.len()).filter(|i| *i != grantee_param);
                for (place, topic) in places.zip(others) {
                    params[place] = topics[topic];
                }
                push_unique(
                    &mut found,
                    Candidate {
                        family,
                        function,
                        contract: log.address,
                        grantee,
                        params,
                        read,
                        source: Source::Event,
                    },
                );
            }
        }
    }
    found
}

/// The read an event's grant is read back with: that of the family's first function that
/// has one (its grantee's place and its number of parameters), or for ERC-721 approvals
/// (granted by the ERC-20 `approve` selector) [`ERC721_APPROVED_READ`].
fn event_read(
    family: &'static Family,
) -> Option<(Option<&'static Granting>, Option<Read>, usize, usize)> {
    if family.id == ERC721_APPROVAL {
        return Some((None, Some(ERC721_APPROVED_READ), 0, 2));
    }
    let g = family.functions.iter().find(|g| g.read.is_some())?;
    Some((Some(g), g.read, g.grantee, arity(g.signature)))
}

fn push_unique(found: &mut Vec<Candidate>, candidate: Candidate) {
    if !found.contains(&candidate) {
        found.push(candidate);
    }
}

/// The calls `vault` made (CALLs, below `node`), depth first in call order, each with
/// whether it and every frame above it succeeded.
fn vault_calls<'a>(
    node: &'a CallNode,
    vault: Address,
    is_root: bool,
    ok: bool,
    out: &mut Vec<(&'a CallNode, bool)>,
) {
    let ok = ok && node.success;
    if !is_root && node.kind == CallKind::Call && node.from == vault {
        out.push((node, ok));
    }
    for child in &node.children {
        vault_calls(child, vault, false, ok, out);
    }
}

fn selector_of(input: &[u8]) -> Option<[u8; 4]> {
    input.get(..4)?.try_into().ok()
}

/// `n` words of ABI-encoded arguments, zero where the data is short.
fn words(data: &[u8], n: usize) -> Vec<B256> {
    (0..n)
        .map(|i| {
            let mut word = [0u8; 32];
            let start = (32 * i).min(data.len());
            let chunk = &data[start..(start + 32).min(data.len())];
            word[..chunk.len()].copy_from_slice(chunk);
            B256::from(word)
        })
        .collect()
}

/// Whether a call to the granting function `g` with `params` is its own revocation (the
/// revoking call is the same function with a zero where the grant had its amount or flag).
fn is_revocation(g: &Granting, params: &[B256]) -> bool {
    g.revoke.signature == g.signature
        && g.revoke.args.iter().enumerate().all(|(j, a)| match a {
            Arg::Zero => params.get(j).is_some_and(|w| w.is_zero()),
            Arg::Param(i) => *i == j,
            Arg::Owner => false,
        })
}

/// The calldata of `read` for a grant with `params` held by `owner`.
fn read_calldata(read: &Read, params: &[B256], owner: Address) -> Vec<u8> {
    let mut data = read.call.selector().to_vec();
    for arg in read.call.args {
        let word = match arg {
            Arg::Param(i) => params.get(*i).copied().unwrap_or_default(),
            Arg::Zero => B256::ZERO,
            Arg::Owner => owner.into_word(),
        };
        data.extend_from_slice(word.as_slice());
    }
    data
}

/// How much of the permission is in force on `world`: the amount, or 1 for yes and 0 for
/// no. `None` when the read fails (or its answer is too short).
fn level(
    world: &World,
    contract: Address,
    read: &Read,
    params: &[B256],
    owner: Address,
) -> Option<U256> {
    let output = world
        .view(contract, read_calldata(read, params, owner))
        .ok()?;
    let word = |i: usize| output.get(32 * i..32 * (i + 1)).map(U256::from_be_slice);
    let first = word(0)?;
    Some(match read.live {
        Live::NonZero => first,
        Live::EqualsParam(i) => {
            let expected = Address::from_word(params.get(i).copied().unwrap_or_default());
            let holder = Address::from_word(B256::from(first));
            U256::from(u8::from(!expected.is_zero() && holder == expected))
        }
        Live::NonZeroUnexpired => {
            let expiration = word(1)?;
            if expiration >= world.block.timestamp {
                first
            } else {
                U256::ZERO
            }
        }
    })
}

/// A better read where the family's fails: the ERC-20 `approve` selector on an ERC-721 is
/// a per-token approval, read with `getApproved`.
fn fallback(candidate: &Candidate) -> Option<(&'static Family, Read)> {
    let erc20_approve = selector("approve(address,uint256)");
    let is_approve = candidate
        .function
        .is_some_and(|g| g.selector() == erc20_approve);
    if !is_approve {
        return None;
    }
    Some((
        nest_permissions::family(ERC721_APPROVAL)?,
        ERC721_APPROVED_READ,
    ))
}

/// The reads [`allowances_left`] may make after `trace` (with `logs`, its logs) for `vault`,
/// each `(contract, calldata)`: for fork mode's prefetching.
#[cfg(feature = "fork")]
pub(crate) fn read_calls(
    trace: &CallNode,
    logs: &[&Log],
    vault: Address,
) -> Vec<(Address, Vec<u8>)> {
    let mut calls = Vec::new();
    for c in candidates(trace, logs, vault) {
        let reads = c.read.into_iter().chain(fallback(&c).map(|(_, r)| r));
        for read in reads {
            calls.push((c.contract, read_calldata(&read, &c.params, vault)));
        }
        if let Some(token) = subject(&c).filter(|t| *t != c.contract) {
            calls.push((token, reads::decimals_call()));
            calls.push((token, reads::symbol_call()));
        }
    }
    calls
}

/// The contract the permission is over: the token of a Permit2 allowance, else the contract
/// that holds it.
fn subject(c: &Candidate) -> Option<Address> {
    if c.family.id == PERMIT2_ALLOWANCE {
        return c.params.first().map(|w| Address::from_word(*w));
    }
    Some(c.contract)
}

/// Whether a family without a view is still granted at the end: the last successful call of
/// the vault that grants or revokes it for this grantee on this contract decides.
fn granted_at_end(c: &Candidate, calls: &[(&CallNode, bool)]) -> bool {
    let mut granted = false;
    for (node, ok) in calls {
        if !ok || node.to != c.contract {
            continue;
        }
        let Some(sel) = selector_of(&node.input) else {
            continue;
        };
        for g in c.family.functions {
            if g.selector() == sel {
                let params = words(&node.input[4..], arity(g.signature));
                if Address::from_word(params[g.grantee]) == c.grantee {
                    granted = !is_revocation(g, &params);
                }
            } else if g.revoke.selector() == sel {
                // A separate revoking function: its arguments name the grant's.
                let args = words(&node.input[4..], g.revoke.args.len());
                let names_grantee = g.revoke.args.iter().zip(&args).any(|(a, w)| {
                    *a == Arg::Param(g.grantee) && Address::from_word(*w) == c.grantee
                });
                if names_grantee {
                    granted = false;
                }
            }
        }
    }
    granted
}

/// Every permission the vault granted during the run (its calls in `trace`, the events in
/// `logs`) that is in force on `after` and was not (or was smaller) on `before`, each once,
/// in the order the candidates were found. One function for every family: the table says
/// how to find and read each; [`measure`] reads a candidate back and [`entry`] shows it.
pub(crate) fn allowances_left(
    trace: &CallNode,
    logs: &[&Log],
    vault: Address,
    before: &World,
    after: &World,
    known: &Known,
) -> Vec<AllowanceLeft> {
    let mut calls = Vec::new();
    vault_calls(trace, vault, true, true, &mut calls);
    let mut left: Vec<AllowanceLeft> = Vec::new();
    for c in candidates(trace, logs, vault) {
        let Some(measured) = measure(&c, &calls, (before, after), vault) else {
            continue;
        };
        let entry = entry(&c, &measured, (before, after), known);
        if !left.iter().any(|a| same_permission(a, &entry)) {
            left.push(entry);
        }
    }
    left
}

/// A candidate found left behind: the family it was read as (the ERC-721 approval when
/// [`fallback`] read it) and its level before and after the run (`None`: unknown).
struct Measured {
    family: &'static Family,
    was: Option<U256>,
    now: Option<U256>,
}

/// Whether the candidate `c` is left behind, and how much of it: read back on `before` and
/// `after` when its family has a view, else judged from the vault's `calls`.
fn measure(
    c: &Candidate,
    calls: &[(&CallNode, bool)],
    (before, after): (&World, &World),
    vault: Address,
) -> Option<Measured> {
    match c.read {
        Some(read) => read_back(c, read, (before, after), vault),
        None => granted_at_end(c, calls).then_some(Measured {
            family: c.family,
            was: None,
            now: None,
        }),
    }
}

/// A permission with a view, read back: listed when it is in force after the run and was not
/// (or was smaller) before, or when the read after the run fails (it cannot be shown gone).
fn read_back(
    c: &Candidate,
    read: Read,
    (before, after): (&World, &World),
    vault: Address,
) -> Option<Measured> {
    let now = level(after, c.contract, &read, &c.params, vault);
    let better = match (now, fallback(c)) {
        (None, Some((family, read))) => {
            level(after, c.contract, &read, &c.params, vault).map(|now| (family, read, now))
        }
        _ => None,
    };
    let (family, read, now) = match better {
        Some((family, read, now)) => (family, read, Some(now)),
        None => (c.family, read, now),
    };
    let was = level(before, c.contract, &read, &c.params, vault).unwrap_or_default();
    if now.is_some_and(|now| now.is_zero() || now <= was) {
        return None;
    }
    Some(Measured {
        family,
        was: Some(was),
        now,
    })
}

/// How the report shows a permission left behind: its family's amount or yes/no, the token
/// it is over and its decimals, the token id it names, the grantee, and the granting
/// function.
fn entry(
    c: &Candidate,
    m: &Measured,
    (before, after): (&World, &World),
    known: &Known,
) -> AllowanceLeft {
    let family = m.family;
    let name = |a: Address| known.name(a).map(str::to_string);
    let is_amount = AMOUNT_FAMILIES.contains(&family.id);
    let show = |v: U256| {
        if is_amount {
            v.to_string()
        } else {
            (!v.is_zero()).to_string()
        }
    };
    let token = subject(c).unwrap_or(c.contract);
    let token_id = TOKEN_ID_FAMILIES
        .contains(&family.id)
        .then(|| {
            c.params
                .get(1)
                .map(|w| U256::from_be_bytes(w.0).to_string())
        })
        .flatten();
    let decimals = TOKEN_UNIT_FAMILIES
        .contains(&family.id)
        .then(|| reads::decimals(after, token).or_else(|| reads::decimals(before, token)))
        .flatten();
    AllowanceLeft {
        kind: family.id.to_string(),
        token: token.to_checksum(None),
        symbol: name(token),
        spender: c.grantee.to_checksum(None),
        spender_name: name(c.grantee),
        token_id,
        decimals,
        before: m.was.map_or_else(|| "unknown".into(), show),
        after: m.now.map_or_else(|| "unknown".into(), show),
        what: family.what.to_string(),
        function: c.function.map(|g| g.signature.to_string()),
    }
}

/// Whether two entries are the same permission (kind, token, spender and token id).
fn same_permission(a: &AllowanceLeft, b: &AllowanceLeft) -> bool {
    (&a.kind, &a.token, &a.spender, &a.token_id) == (&b.kind, &b.token, &b.spender, &b.token_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revocations_are_told_from_grants() {
        let approve = granting(selector("approve(address,uint256)")).expect("known");
        let spender = B256::repeat_byte(1);
        assert!(is_revocation(approve, &[spender, B256::ZERO]));
        assert!(!is_revocation(approve, &[spender, B256::repeat_byte(2)]));
        // `hope` is revoked by another function (`nope`).
        let hope = granting(selector("hope(address)")).expect("known");
        assert!(!is_revocation(hope, &[spender]));
    }

    #[test]
    fn short_calldata_reads_as_zero_words() {
        let w = words(&[0xff; 40], 3);
        assert_eq!(w[0], B256::repeat_byte(0xff));
        assert_eq!(&w[1][..8], &[0xff; 8]);
        assert!(w[1][8..].iter().all(|b| *b == 0));
        assert_eq!(w[2], B256::ZERO);
    }
}
