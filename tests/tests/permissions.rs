//! `allowances_left` is measured for every kind of permission the devnet knows —
//! ERC-20 allowances, operator approvals, Permit2 allowances, Aave credit delegation —
//! and Nest scripts that grant them leave nothing behind.

use alloy_primitives::{Address, U256};
use nest_devnet::addresses::{DEVNFT, PERMIT2, UNISWAP_V2_ROUTER, USDC};
use nest_devnet::{Devnet, Report, RunContext, Scenario};
use nest_evm::{AsmItem, Opcode, Program};

/// A payload that makes one call with `calldata` to `to`, ignores the result, stops.
fn one_call(to: Address, calldata: Vec<u8>) -> Vec<u8> {
    let len = calldata.len() as u64;
    let mut p = Program::default();
    let data = p.add_data(calldata);
    let push = |p: &mut Program, v: U256| p.items.push(AsmItem::Push(v));
    push(&mut p, U256::from(len));
    p.items.push(AsmItem::PushData(data));
    push(&mut p, U256::ZERO);
    p.items.push(AsmItem::Op(Opcode::CODECOPY));
    for v in [
        U256::ZERO,
        U256::ZERO,
        U256::from(len),
        U256::ZERO,
        U256::ZERO,
    ] {
        push(&mut p, v);
    }
    push(&mut p, U256::from_be_slice(to.as_slice()));
    p.items.push(AsmItem::Op(Opcode::GAS));
    p.items.push(AsmItem::Op(Opcode::CALL));
    p.items.push(AsmItem::Op(Opcode::POP));
    p.items.push(AsmItem::Op(Opcode::STOP));
    nest_evm::assemble(&p).expect("assembles").bytes
}

fn word(a: Address) -> Vec<u8> {
    let mut w = vec![0u8; 12];
    w.extend_from_slice(a.as_slice());
    w
}

fn calldata(selector: [u8; 4], words: &[Vec<u8>]) -> Vec<u8> {
    let mut d = selector.to_vec();
    for w in words {
        d.extend(std::iter::repeat_n(0u8, 32 - w.len()));
        d.extend(w);
    }
    d
}

fn run(payload: &[u8]) -> Report {
    let devnet = Devnet::new(&Scenario::default()).unwrap();
    devnet.dry_run(payload, &RunContext::default()).unwrap()
}

fn selector(sig: &str) -> [u8; 4] {
    let h = alloy_primitives::keccak256(sig.as_bytes());
    [h[0], h[1], h[2], h[3]]
}

#[test]
fn a_permit2_allowance_left_behind_is_caught() {
    let d = calldata(
        selector("approve(address,address,uint160,uint48)"),
        &[
            word(USDC),
            word(UNISWAP_V2_ROUTER),
            vec![100],
            vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ],
    );
    let r = run(&one_call(PERMIT2, d));
    assert!(r.success, "{:?}", r.revert);
    assert_eq!(r.allowances_left.len(), 1, "{:?}", r.allowances_left);
    assert_eq!(r.allowances_left[0].kind, "permit2-allowance");
    assert_eq!(r.allowances_left[0].after, "100");
}

#[test]
fn an_operator_approval_left_behind_is_caught() {
    let d = calldata(
        selector("setApprovalForAll(address,bool)"),
        &[word(UNISWAP_V2_ROUTER), vec![1]],
    );
    let r = run(&one_call(DEVNFT, d));
    assert!(r.success, "{:?}", r.revert);
    assert_eq!(r.allowances_left.len(), 1, "{:?}", r.allowances_left);
    assert_eq!(r.allowances_left[0].kind, "operator-approval");
}

#[test]
fn a_credit_delegation_left_behind_is_caught() {
    let devnet = Devnet::new(&Scenario::default()).unwrap();
    let debt = devnet
        .world()
        .layout
        .aave_reserve(USDC)
        .expect("USDC reserve")
        .variable_debt_token;
    let d = calldata(
        selector("approveDelegation(address,uint256)"),
        &[word(UNISWAP_V2_ROUTER), vec![7]],
    );
    let r = devnet
        .dry_run(&one_call(debt, d), &RunContext::default())
        .unwrap();
    assert!(r.success, "{:?}", r.revert);
    assert_eq!(r.allowances_left.len(), 1, "{:?}", r.allowances_left);
    assert_eq!(r.allowances_left[0].kind, "credit-delegation");
}

#[test]
fn nest_scripts_granting_these_leave_nothing() {
    let src = r#"
use std::ethereum::{USDC, PERMIT2, UNISWAP_V2_ROUTER}
use std::erc721::IERC721
PERMIT2.approve(USDC, UNISWAP_V2_ROUTER, 100, 4_000_000_000)
IERC721(0xcd394391aEa1EC56d7b423B487C7c25347eb9606).setApprovalForAll(UNISWAP_V2_ROUTER, true)
"#;
    let r = nest_driver::MemoryResolver::new();
    let c = nest_driver::compile(&nest_driver::CompileRequest {
        name: "grants.ns",
        text: src,
        resolver: &r,
        params: &[],
    })
    .unwrap_or_else(|f| panic!("{f}"));
    let report = run(&c.bytes);
    assert!(report.success, "{:?}", report.revert);
    assert!(
        report.allowances_left.is_empty(),
        "{:?}",
        report.allowances_left
    );
    // Both were granted, then revoked: the trace shows the revocations.
    assert!(report.calls.len() >= 4, "{}", report.render(false));
}
