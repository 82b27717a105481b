//! Runs that keep their state (`Devnet::run_and_commit`) and a clock that moves
//! (`Devnet::advance`): what a sequence of scripts is built on.

use alloy_primitives::{hex, U256};
use nest_devnet::{Devnet, RunContext, Scenario};

fn devnet() -> Devnet {
    Devnet::new(&Scenario::default()).expect("the devnet deploys")
}

fn word(report: &nest_devnet::Report) -> U256 {
    let data = hex::decode(report.return_data.trim_start_matches("0x")).unwrap_or_default();
    U256::from_be_slice(&data[..32.min(data.len())])
}

/// SSTORE(0, 42) in the vault's storage; then SLOAD(0) returned.
const STORE_42: &str = "602a5f5500";
const LOAD_0: &str = "5f545f5260205ff3";

#[test]
fn a_committed_run_is_seen_by_the_next_and_a_dry_run_is_not() {
    let store = hex::decode(STORE_42).unwrap_or_default();
    let load = hex::decode(LOAD_0).unwrap_or_default();
    let ctx = RunContext::default();
    let mut devnet = devnet();
    // A dry run leaves nothing behind.
    assert!(devnet.dry_run(&store, &ctx).expect("runs").success);
    assert_eq!(
        word(&devnet.dry_run(&load, &ctx).expect("runs")),
        U256::ZERO
    );
    // A committed one does.
    assert!(devnet.run_and_commit(&store, &ctx).expect("runs").success);
    let after = devnet.run_and_commit(&load, &ctx).expect("runs");
    assert!(after.success);
    assert_eq!(word(&after), U256::from(42));
}

#[test]
fn advancing_moves_timestamp_and_number() {
    // TIMESTAMP, PUSH0, MSTORE, NUMBER, PUSH1 32, MSTORE, PUSH1 64, PUSH0, RETURN.
    let payload = hex::decode("425f52436020526040_5ff3".replace('_', "")).unwrap_or_default();
    let ctx = RunContext::default();
    let mut devnet = devnet();
    let (block, time) = devnet.clock();
    devnet.advance(3_600, 300);
    assert_eq!(devnet.clock(), (block + 300, time + 3_600));
    let report = devnet.run_and_commit(&payload, &ctx).expect("runs");
    assert!(report.success);
    let data = hex::decode(report.return_data.trim_start_matches("0x")).unwrap_or_default();
    assert_eq!(data.len(), 64);
    assert_eq!(U256::from_be_slice(&data[..32]), U256::from(time + 3_600));
    assert_eq!(U256::from_be_slice(&data[32..]), U256::from(block + 300));
}
