use super::*;
use crate::{selector, FAMILIES};
use alloy_primitives::address;

const VAULT: Address = address!("0x1111111111111111111111111111111111111111");
const OTHER: Address = address!("0x2222222222222222222222222222222222222222");
const SPENDER: Address = address!("0x3333333333333333333333333333333333333333");
const TOKEN: Address = address!("0x4444444444444444444444444444444444444444");
const HOLDER: Address = address!("0x5555555555555555555555555555555555555555");

fn w(a: Address) -> B256 {
    a.into_word()
}

fn n(v: u64) -> B256 {
    B256::from(U256::from(v))
}

fn topic(sig: &str) -> B256 {
    keccak256(sig.as_bytes())
}

fn data(words: &[B256]) -> Vec<u8> {
    words.iter().flat_map(|x| x.0).collect()
}

/// `selector(sig) ‖ words`.
fn call(sig: &str, words: &[B256]) -> Vec<u8> {
    let mut c = selector(sig).to_vec();
    c.extend(data(words));
    c
}

/// Decodes the log, checks the family, grantee and read-back calldata, and reads back an
/// answer `yes` (in force) and `no` (not).
#[allow(clippy::too_many_arguments)]
fn check_event(
    family: &str,
    topics: &[B256],
    log_data: &[B256],
    grantee: Address,
    read: Vec<u8>,
    yes: Vec<B256>,
    no: Vec<B256>,
    level: U256,
) -> Grant {
    let g = Grant::from_log(HOLDER, topics, &data(log_data), VAULT)
        .unwrap_or_else(|| panic!("{family}: not decoded"));
    assert_eq!(g.family.id, family);
    assert_eq!(g.contract, HOLDER);
    assert_eq!(g.grantee(), grantee, "{family}");
    assert_eq!(g.read_calldata(VAULT), Some(read), "{family}");
    assert_eq!(g.level(&data(&yes), 1_000), Some(level), "{family}");
    assert_eq!(g.level(&data(&no), 1_000), Some(U256::ZERO), "{family}");
    // Another owner's log is not the vault's grant.
    let mut others = topics.to_vec();
    let owner_at = topics
        .iter()
        .position(|t| *t == w(VAULT))
        .expect("owner topic");
    others[owner_at] = w(OTHER);
    assert_eq!(
        Grant::from_log(HOLDER, &others, &data(log_data), VAULT),
        None
    );
    g
}

#[test]
fn erc20_approval_decodes_reads_and_revokes() {
    let g = check_event(
        "erc20-allowance",
        &[
            topic("Approval(address,address,uint256)"),
            w(VAULT),
            w(SPENDER),
        ],
        &[n(500)],
        SPENDER,
        call("allowance(address,address)", &[w(VAULT), w(SPENDER)]),
        vec![n(500)],
        vec![n(0)],
        U256::from(500),
    );
    assert!(g.is_amount());
    assert_eq!(g.subject(), HOLDER);
    let (c, args) = g.revocation(VAULT).expect("revocable");
    assert_eq!(c.signature, "approve(address,uint256)");
    assert_eq!(args, vec![w(SPENDER), B256::ZERO]);
}

#[test]
fn erc721_approval_is_told_by_its_fourth_topic() {
    let g = check_event(
        "erc721-approval",
        &[
            topic("Approval(address,address,uint256)"),
            w(VAULT),
            w(SPENDER),
            n(7),
        ],
        &[],
        SPENDER,
        call("getApproved(uint256)", &[n(7)]),
        vec![w(SPENDER)],
        vec![w(OTHER)],
        U256::from(1),
    );
    assert_eq!(g.token_id(), Some(U256::from(7)));
    assert_eq!(g.revocation(VAULT), None);
    assert!(!g.is_amount());
}

#[test]
fn operator_approval_decodes_reads_and_revokes() {
    let g = check_event(
        "operator-approval",
        &[
            topic("ApprovalForAll(address,address,bool)"),
            w(VAULT),
            w(SPENDER),
        ],
        &[n(1)],
        SPENDER,
        call("isApprovedForAll(address,address)", &[w(VAULT), w(SPENDER)]),
        vec![n(1)],
        vec![n(0)],
        U256::from(1),
    );
    let (c, args) = g.revocation(VAULT).expect("revocable");
    assert_eq!(c.signature, "setApprovalForAll(address,bool)");
    assert_eq!(args, vec![w(SPENDER), B256::ZERO]);
}

#[test]
fn permit2_approval_and_permit_expire() {
    for event in [
        "Approval(address,address,address,uint160,uint48)",
        "Permit(address,address,address,uint160,uint48,uint48)",
    ] {
        let g = check_event(
            "permit2-allowance",
            &[topic(event), w(VAULT), w(TOKEN), w(SPENDER)],
            &[n(900), n(5_000), n(0)],
            SPENDER,
            call(
                "allowance(address,address,address)",
                &[w(VAULT), w(TOKEN), w(SPENDER)],
            ),
            vec![n(900), n(5_000), n(3)],
            // Expired before the head block's time.
            vec![n(900), n(999), n(3)],
            U256::from(900),
        );
        assert_eq!(g.subject(), TOKEN);
        let (c, args) = g.revocation(VAULT).expect("revocable");
        assert_eq!(c.signature, "approve(address,address,uint160,uint48)");
        assert_eq!(args, vec![w(TOKEN), w(SPENDER), B256::ZERO, B256::ZERO]);
        // An answer of one word cannot tell the expiry.
        assert_eq!(g.level(&data(&[n(900)]), 1_000), None);
    }
}

#[test]
fn credit_delegation_decodes_reads_and_revokes() {
    let g = check_event(
        "credit-delegation",
        &[
            topic("BorrowAllowanceDelegated(address,address,address,uint256)"),
            w(VAULT),
            w(SPENDER),
            w(TOKEN),
        ],
        &[n(42)],
        SPENDER,
        call("borrowAllowance(address,address)", &[w(VAULT), w(SPENDER)]),
        vec![n(42)],
        vec![n(0)],
        U256::from(42),
    );
    assert_eq!(
        g.revocation(VAULT).expect("revocable").1,
        vec![w(SPENDER), B256::ZERO]
    );
}

#[test]
fn morpho_authorization_owner_is_the_authorizer() {
    let g = check_event(
        "authorization",
        &[
            topic("SetAuthorization(address,address,address,bool)"),
            w(OTHER),
            w(VAULT),
            w(SPENDER),
        ],
        &[n(1)],
        SPENDER,
        call("isAuthorized(address,address)", &[w(VAULT), w(SPENDER)]),
        vec![n(1)],
        vec![n(0)],
        U256::from(1),
    );
    assert_eq!(
        g.revocation(VAULT).expect("revocable").0.signature,
        "setAuthorization(address,bool)"
    );
}

#[test]
fn erc777_operator_is_revoked_by_another_function() {
    let g = check_event(
        "erc777-operator",
        &[
            topic("AuthorizedOperator(address,address)"),
            w(SPENDER),
            w(VAULT),
        ],
        &[],
        SPENDER,
        call("isOperatorFor(address,address)", &[w(SPENDER), w(VAULT)]),
        vec![n(1)],
        vec![n(0)],
        U256::from(1),
    );
    let (c, args) = g.revocation(VAULT).expect("revocable");
    assert_eq!(c.signature, "revokeOperator(address)");
    assert_eq!(args, vec![w(SPENDER)]);
}

#[test]
fn balancer_relayer_names_sender_then_relayer() {
    let g = check_event(
        "balancer-relayer",
        &[
            topic("RelayerApprovalChanged(address,address,bool)"),
            w(SPENDER),
            w(VAULT),
        ],
        &[n(1)],
        SPENDER,
        call(
            "hasApprovedRelayer(address,address)",
            &[w(VAULT), w(SPENDER)],
        ),
        vec![n(1)],
        vec![n(0)],
        U256::from(1),
    );
    assert_eq!(
        g.revocation(VAULT).expect("revocable").1,
        vec![w(VAULT), w(SPENDER), B256::ZERO]
    );
}

#[test]
fn erc6909_operator_and_allowance() {
    check_event(
        "erc6909-operator",
        &[
            topic("OperatorSet(address,address,bool)"),
            w(VAULT),
            w(SPENDER),
        ],
        &[n(1)],
        SPENDER,
        call("isOperator(address,address)", &[w(VAULT), w(SPENDER)]),
        vec![n(1)],
        vec![n(0)],
        U256::from(1),
    );
    let g = check_event(
        "erc6909-allowance",
        &[
            topic("Approval(address,address,uint256,uint256)"),
            w(VAULT),
            w(SPENDER),
            n(9),
        ],
        &[n(77)],
        SPENDER,
        call(
            "allowance(address,address,uint256)",
            &[w(VAULT), w(SPENDER), n(9)],
        ),
        vec![n(77)],
        vec![n(0)],
        U256::from(77),
    );
    assert_eq!(g.token_id(), Some(U256::from(9)));
    assert_eq!(
        g.revocation(VAULT).expect("revocable").1,
        vec![w(SPENDER), n(9), B256::ZERO]
    );
}

/// (granting call, its arguments, the read's calldata, the revocation's signature)
type Case = (&'static str, Vec<B256>, Option<Vec<u8>>, &'static str);

#[test]
fn families_without_events_are_found_from_calls() {
    let cases: [Case; 5] = [
        (
            "allow(address,bool)",
            vec![w(SPENDER), n(1)],
            Some(call("isAllowed(address,address)", &[w(VAULT), w(SPENDER)])),
            "allow(address,bool)",
        ),
        (
            "updateOperator(address,bool)",
            vec![w(SPENDER), n(1)],
            None,
            "updateOperator(address,bool)",
        ),
        (
            "hope(address)",
            vec![w(SPENDER)],
            Some(call("can(address,address)", &[w(VAULT), w(SPENDER)])),
            "nope(address)",
        ),
        (
            "setAccountOperator(address,address,bool)",
            vec![w(VAULT), w(SPENDER), n(1)],
            Some(call(
                "isAccountOperatorAuthorized(address,address)",
                &[w(VAULT), w(SPENDER)],
            )),
            "setAccountOperator(address,address,bool)",
        ),
        (
            "approvePlugin(address)",
            vec![w(SPENDER)],
            Some(call(
                "approvedPlugins(address,address)",
                &[w(VAULT), w(SPENDER)],
            )),
            "denyPlugin(address)",
        ),
    ];
    for (sig, args, read, revoke) in cases {
        let g = Grant::from_call(HOLDER, &call(sig, &args)).unwrap_or_else(|| panic!("{sig}"));
        assert_eq!(g.grantee(), SPENDER, "{sig}");
        assert_eq!(g.read_calldata(VAULT), read, "{sig}");
        let (c, _) = g.revocation(VAULT).expect("revocable");
        assert_eq!(c.signature, revoke, "{sig}");
        if read.is_some() {
            assert_eq!(g.level(&data(&[n(1)]), 0), Some(U256::from(1)), "{sig}");
            assert_eq!(g.level(&[], 0), None, "{sig}");
        }
    }
}

#[test]
fn a_revoking_call_is_no_grant_but_is_a_revocation() {
    let revoke = call("approve(address,uint256)", &[w(SPENDER), B256::ZERO]);
    assert_eq!(Grant::from_call(TOKEN, &revoke), None);
    assert!(is_revocation_call(&revoke));
    let grant = call("approve(address,uint256)", &[w(SPENDER), n(1)]);
    assert!(Grant::from_call(TOKEN, &grant).is_some());
    assert!(!is_revocation_call(&grant));
    assert!(is_revocation_call(&call("nope(address)", &[w(SPENDER)])));
    assert!(!is_revocation_call(&call(
        "transfer(address,uint256)",
        &[w(SPENDER), n(1)]
    )));
    assert!(Grant::from_call(TOKEN, &[0x09, 0x5e]).is_none());
}

#[test]
fn every_family_event_is_decoded() {
    for f in FAMILIES {
        for e in f.events {
            assert!(
                EVENT_GRANTS.iter().any(|g| g.family == f.id
                    && g.event == e.signature
                    && g.topics == e.topics
                    && g.owner == e.owner),
                "{} {}",
                f.id,
                e.signature
            );
        }
    }
    for eg in EVENT_GRANTS {
        assert!(family(eg.family).is_some(), "{}", eg.family);
        if let Some(s) = eg.function {
            let g = granting(selector(s)).expect("a known granting function");
            assert_eq!(g.family().id, eg.family);
            assert_eq!(eg.args.len(), arity(s), "{}", eg.event);
        }
        for a in eg.args {
            match a {
                // The owner may be an argument too (Balancer's `sender`).
                LogArg::Topic(i) => assert!(*i < eg.topics && *i > 0),
                LogArg::Data(_) => {}
            }
        }
    }
}

#[test]
fn an_erc20_approve_call_on_an_nft_is_read_as_a_per_token_approval() {
    let input = call("approve(address,uint256)", &[w(SPENDER), n(7)]);
    let g = Grant::from_call(HOLDER, &input).expect("a grant");
    assert_eq!(g.family.id, "erc20-allowance");
    let nft = g.as_erc721_approval().expect("the ERC-721 reading");
    assert_eq!(nft.family.id, "erc721-approval");
    assert_eq!(
        nft.read_calldata(VAULT),
        Some(call("getApproved(uint256)", &[n(7)]))
    );
    assert_eq!(nft.token_id(), Some(U256::from(7)));
    assert_eq!(nft.level(&data(&[w(SPENDER)]), 0), Some(U256::from(1)));
    // The same approval announced by the NFT's event is the same permission.
    let logged = Grant::from_log(
        HOLDER,
        &[
            topic("Approval(address,address,uint256)"),
            w(VAULT),
            w(SPENDER),
            n(7),
        ],
        &[],
        VAULT,
    )
    .expect("decoded");
    assert_eq!(logged.key(VAULT), nft.key(VAULT));
    let op = Grant::from_call(
        HOLDER,
        &call("setApprovalForAll(address,bool)", &[w(SPENDER), n(1)]),
    );
    assert_eq!(op.and_then(|g| g.as_erc721_approval()), None);
}
