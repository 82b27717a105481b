//! The audit's event decoding (`nest_permissions::Grant::from_log`) against the events the
//! devnet's real fixture contracts emit: a raw payload grants in four families (an ERC-20
//! allowance, an operator approval, an ERC-721 per-token approval, a Permit2 allowance), and
//! every grant the dry run measures as left behind is decoded from the run's events with the
//! same family, contract, token, grantee and token id. No node needed.

use alloy_primitives::{hex, keccak256, Address, B256, U256};
use nest_devnet::addresses::{DEVNFT, PERMIT2, USDC, VAULT};
use nest_devnet::fork::audit::Grant;
use nest_devnet::{Devnet, RunContext, Scenario};

const SPENDER: Address = Address::repeat_byte(0x51);
const OPERATOR: Address = Address::repeat_byte(0x52);
const APPROVED: Address = Address::repeat_byte(0x53);

fn calldata(sig: &str, words: &[B256]) -> Vec<u8> {
    let mut c = keccak256(sig.as_bytes())[..4].to_vec();
    for w in words {
        c.extend_from_slice(w.as_slice());
    }
    c
}

fn n(v: u64) -> B256 {
    B256::from(U256::from(v))
}

/// A raw payload: each call in turn (reverting if one fails), then STOP.
fn raw_calls(calls: &[(Address, Vec<u8>)]) -> Vec<u8> {
    let push = |code: &mut Vec<u8>, bytes: &[u8]| {
        code.push(0x5f + bytes.len() as u8);
        code.extend_from_slice(bytes);
    };
    let mut code = Vec::new();
    let mut patches = Vec::new();
    for (target, data) in calls {
        for (i, chunk) in data.chunks(32).enumerate() {
            let mut padded = [0u8; 32];
            padded[..chunk.len()].copy_from_slice(chunk);
            push(&mut code, &padded);
            push(&mut code, &[(i * 32) as u8]);
            code.push(0x52);
        }
        code.extend_from_slice(&[0x5f, 0x5f]);
        push(&mut code, &[data.len() as u8]);
        code.extend_from_slice(&[0x5f, 0x5f]);
        push(&mut code, target.as_slice());
        code.extend_from_slice(&[0x5a, 0xf1, 0x15, 0x61, 0, 0, 0x57]);
        patches.push(code.len() - 3);
    }
    code.push(0x00);
    let at = u16::try_from(code.len()).unwrap_or(u16::MAX).to_be_bytes();
    code.extend_from_slice(&[0x5b, 0x5f, 0x5f, 0xfd]);
    for p in patches {
        code[p..p + 2].copy_from_slice(&at);
    }
    code
}

#[test]
fn grants_left_on_fixture_contracts_decode_from_their_events() {
    let devnet = Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("{e}"));
    let payload = raw_calls(&[
        (
            USDC,
            calldata(
                "approve(address,uint256)",
                &[SPENDER.into_word(), n(5_000_000)],
            ),
        ),
        (
            DEVNFT,
            calldata(
                "setApprovalForAll(address,bool)",
                &[OPERATOR.into_word(), n(1)],
            ),
        ),
        (
            DEVNFT,
            calldata("approve(address,uint256)", &[APPROVED.into_word(), n(2)]),
        ),
        (
            PERMIT2,
            calldata(
                "approve(address,address,uint160,uint48)",
                &[
                    USDC.into_word(),
                    SPENDER.into_word(),
                    n(700),
                    n(u64::from(u32::MAX)),
                ],
            ),
        ),
    ]);
    let report = devnet
        .dry_run(&payload, &RunContext::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.success, "{}", report.render(false));
    assert_eq!(report.allowances_left.len(), 4, "{}", report.render(false));

    let decoded: Vec<Grant> = report
        .events
        .iter()
        .filter_map(|e| {
            let topics: Vec<B256> = e
                .topics
                .iter()
                .map(|t| t.parse().unwrap_or_else(|_| panic!("a topic: {t}")))
                .collect();
            let data = hex::decode(&e.data).unwrap_or_else(|_| panic!("data: {}", e.data));
            let address: Address = e
                .address
                .parse()
                .unwrap_or_else(|_| panic!("{}", e.address));
            Grant::from_log(address, &topics, &data, VAULT)
        })
        .collect();
    for left in &report.allowances_left {
        let found = decoded.iter().any(|g| {
            g.family.id == left.kind
                && g.subject().to_checksum(None) == left.token
                && g.grantee().to_checksum(None) == left.spender
                && g.token_id().map(|i| i.to_string()) == left.token_id
        });
        assert!(found, "{left:?} not decoded from {decoded:#?}");
    }
    // Each decoded grant reads back with the family's view on its contract.
    let reads: Vec<(String, Vec<u8>)> = decoded
        .iter()
        .map(|g| {
            (
                g.family.id.to_string(),
                g.read_calldata(VAULT).unwrap_or_default(),
            )
        })
        .collect();
    let selector = |sig: &str| keccak256(sig.as_bytes())[..4].to_vec();
    for (family, read) in reads {
        let want = match family.as_str() {
            "erc20-allowance" => selector("allowance(address,address)"),
            "operator-approval" => selector("isApprovedForAll(address,address)"),
            "erc721-approval" => selector("getApproved(uint256)"),
            "permit2-allowance" => selector("allowance(address,address,address)"),
            other => panic!("unexpected family {other}"),
        };
        assert_eq!(read[..4], want[..], "{family}");
    }
}
