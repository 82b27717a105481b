//! `position_changes`: the vault's Aave V3, Compound III and Morpho Blue positions read before
//! and after a dry run. The payloads make the calls of `examples/aave_supply_borrow.ns`,
//! `examples/compound_v3_supply.ns` and `examples/morpho_borrow.ns` (with their default
//! parameters) directly: the devnet's tests do not depend on the compiler.

use crate::support::*;

use nest_devnet::PositionChange;

/// A guest that makes each call in turn (calldata of any length copied from a data section
/// after the code, no value) and stops; a call that fails makes the whole run revert.
fn payload(calls: &[(Address, Vec<u8>)]) -> Vec<u8> {
    // PUSH2 len, PUSH2 offset, PUSH0, CODECOPY, PUSH1 32, PUSH0, PUSH2 len, PUSH0, PUSH0,
    // PUSH20 target, GAS, CALL, ISZERO, PUSH2 fail, JUMPI.
    const PER_CALL: usize = 3 + 3 + 1 + 1 + 2 + 1 + 3 + 1 + 1 + 21 + 1 + 1 + 1 + 3 + 1;
    // STOP, then `fail`: JUMPDEST, PUSH0, PUSH0, REVERT.
    let fail = calls.len() * PER_CALL + 1;
    let code_len = fail + 4;
    let (mut code, mut data) = (Vec::new(), Vec::new());
    let word = |n: usize| u16::try_from(n).unwrap_or_else(|_| panic!("payload too long"));
    for (target, calldata) in calls {
        let len = word(calldata.len()).to_be_bytes();
        let offset = word(code_len + data.len()).to_be_bytes();
        code.extend_from_slice(&[0x61, len[0], len[1], 0x61, offset[0], offset[1], 0x5f, 0x39]);
        code.extend_from_slice(&[0x60, 0x20, 0x5f, 0x61, len[0], len[1], 0x5f, 0x5f, 0x73]);
        code.extend_from_slice(target.as_slice());
        let fail = word(fail).to_be_bytes();
        code.extend_from_slice(&[0x5a, 0xf1, 0x15, 0x61, fail[0], fail[1], 0x57]);
        data.extend_from_slice(calldata);
    }
    code.extend_from_slice(&[0x00, 0x5b, 0x5f, 0x5f, 0xfd]);
    assert_eq!(code.len(), code_len);
    code.extend_from_slice(&data);
    code
}

fn approve(token: Address, spender: Address, amount: U256) -> (Address, Vec<u8>) {
    (token, approve_calldata(spender, amount))
}

/// `(protocol, asset, kind, before, after, delta)` of each change, in report order.
fn changes(report: &Report) -> Vec<(&str, &str, &str, &str, &str, &str)> {
    report
        .position_changes
        .iter()
        .map(|c| {
            (
                c.protocol.as_str(),
                c.asset.as_str(),
                c.kind.as_str(),
                c.before.as_str(),
                c.after.as_str(),
                c.delta.as_str(),
            )
        })
        .collect()
}

const TEN_WETH: &str = "10000000000000000000";

fn weth(n: u64) -> U256 {
    units(n, 18)
}

fn usdc(n: u64) -> U256 {
    units(n, 6)
}

/// The Aave account data of the vault after `payload` ran and was kept.
fn aave_account_after(payload: &[u8]) -> IAave::getUserAccountDataReturn {
    let mut devnet = devnet().clone();
    let report = devnet
        .run_and_commit(payload, &RunContext::default())
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(report.success, "{}", report.render(false));
    aave_account(devnet.world(), devnet.vault())
}

#[test]
fn aave_supply_and_borrow_show_supply_debt_and_the_health_factor() {
    let vault = devnet().vault();
    // examples/aave_supply_borrow.ns: 10 WETH supplied, 12,000 USDC borrowed.
    let calls = [
        approve(WETH, AAVE_V3_POOL, weth(10)),
        (
            AAVE_V3_POOL,
            aave_supply(WETH, weth(10), vault).abi_encode(),
        ),
        approve(WETH, AAVE_V3_POOL, U256::ZERO),
        (
            AAVE_V3_POOL,
            aave_borrow(USDC, usdc(12_000), vault).abi_encode(),
        ),
    ];
    let payload = payload(&calls);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    // The devnet lists its reserves USDC, USDT, DAI, WETH, WBTC.
    assert_eq!(
        changes(&report),
        [
            ("aave-v3", "USDC", "debt", "0", "12000000000", "12000000000"),
            ("aave-v3", "WETH", "supply", "0", TEN_WETH, TEN_WETH),
        ]
    );
    let expected = aave_account_after(&payload)._5;
    assert!(expected > weth(1) && expected < U256::MAX, "{expected}");
    for change in &report.position_changes {
        assert_eq!(change.health_factor_before, Some(None), "{change:?}");
        assert_eq!(
            change.health_factor_after,
            Some(Some(expected.to_string())),
            "{change:?}"
        );
        assert_eq!(change.unit, "assets");
        assert_eq!(change.market, AAVE_V3_POOL.to_checksum(None));
    }
    let usdc_debt: &PositionChange = &report.position_changes[0];
    assert_eq!(usdc_debt.decimals, Some(6));
    assert_eq!(usdc_debt.asset_address, USDC.to_checksum(None));

    let json = report.to_json();
    let first = &json["position_changes"][0];
    assert_eq!(first["kind"], "debt");
    assert_eq!(first["health_factor_before"], serde_json::Value::Null);
    assert!(first.get("health_factor_before").is_some(), "{first}");
    assert_eq!(first["health_factor_after"], expected.to_string());

    let text = report.render(false);
    assert!(text.contains("position changes"), "{text}");
    assert!(text.contains("Aave V3 USDC debt"), "{text}");
    assert!(text.contains("+12,000.000000"), "{text}");
    assert!(text.contains("Aave V3 WETH supply"), "{text}");
    assert!(text.contains("health factor none (no debt) → "), "{text}");
}

#[test]
fn repaying_on_a_kept_state_shows_the_debt_falling() {
    let vault = devnet().vault();
    let open = payload(&[
        approve(WETH, AAVE_V3_POOL, weth(10)),
        (
            AAVE_V3_POOL,
            aave_supply(WETH, weth(10), vault).abi_encode(),
        ),
        (
            AAVE_V3_POOL,
            aave_borrow(USDC, usdc(12_000), vault).abi_encode(),
        ),
    ]);
    let mut devnet = devnet().clone();
    let first = devnet
        .run_and_commit(&open, &RunContext::default())
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(first.success, "{}", first.render(false));
    let repay = payload(&[
        approve(USDC, AAVE_V3_POOL, usdc(2_000)),
        (
            AAVE_V3_POOL,
            IAave::repayCall {
                asset: USDC,
                amount: usdc(2_000),
                interestRateMode: U256::from(2),
                onBehalfOf: vault,
            }
            .abi_encode(),
        ),
    ]);
    let report = devnet
        .dry_run(&repay, &RunContext::default())
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(report.success, "{}", report.render(false));
    assert_eq!(
        changes(&report),
        [(
            "aave-v3",
            "USDC",
            "debt",
            "12000000000",
            "10000000000",
            "-2000000000"
        )]
    );
    let change = &report.position_changes[0];
    let parse = |h: &Option<Option<String>>| -> U256 {
        h.clone()
            .flatten()
            .and_then(|h| h.parse().ok())
            .unwrap_or_else(|| panic!("a health factor: {h:?}"))
    };
    assert!(parse(&change.health_factor_after) > parse(&change.health_factor_before));
}

#[test]
fn comet_supply_and_borrow_show_collateral_and_debt() {
    let comet = devnet().world().layout.comet_usdc;
    // examples/compound_v3_supply.ns: 10 WETH of collateral, 12,000 USDC borrowed.
    let calls = [
        approve(WETH, comet, weth(10)),
        (
            comet,
            IComet::supplyCall {
                asset: WETH,
                amount: weth(10),
            }
            .abi_encode(),
        ),
        (
            comet,
            IComet::withdrawCall {
                asset: USDC,
                amount: usdc(12_000),
            }
            .abi_encode(),
        ),
    ];
    let report = run(&payload(&calls), &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(
        changes(&report),
        [
            (
                "compound-v3",
                "USDC",
                "debt",
                "0",
                "12000000000",
                "12000000000"
            ),
            ("compound-v3", "WETH", "collateral", "0", TEN_WETH, TEN_WETH),
        ]
    );
    for change in &report.position_changes {
        assert_eq!(change.market, comet.to_checksum(None));
        assert_eq!(change.health_factor_before, None);
    }
    let json = report.to_json();
    assert!(json["position_changes"][0]
        .get("health_factor_before")
        .is_none());
    let text = report.render(false);
    assert!(text.contains("Compound III WETH collateral"), "{text}");
}

#[test]
fn comet_base_supply_is_a_supply() {
    let comet = devnet().world().layout.comet_usdc;
    let calls = [
        approve(USDC, comet, usdc(1_000)),
        (
            comet,
            IComet::supplyCall {
                asset: USDC,
                amount: usdc(1_000),
            }
            .abi_encode(),
        ),
    ];
    let report = run(&payload(&calls), &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(
        changes(&report),
        [(
            "compound-v3",
            "USDC",
            "supply",
            "0",
            "1000000000",
            "1000000000"
        )]
    );
}

#[test]
fn morpho_collateral_and_borrow_show_in_assets() {
    let world = devnet().world();
    let vault = devnet().vault();
    let info = world
        .layout
        .morpho_markets
        .iter()
        .find(|m| m.loan_token == USDC && m.collateral_token == WETH)
        .unwrap_or_else(|| panic!("no WETH/USDC market"));
    let params = MarketParams {
        loanToken: info.loan_token,
        collateralToken: info.collateral_token,
        oracle: info.oracle,
        irm: info.irm,
        lltv: info.lltv,
    };
    let morpho = world.layout.morpho;
    // examples/morpho_borrow.ns: 10 WETH of collateral, 15,000 USDC borrowed.
    let calls = [
        approve(WETH, morpho, weth(10)),
        (
            morpho,
            IMorpho::supplyCollateralCall {
                marketParams: params.clone(),
                assets: weth(10),
                onBehalf: vault,
                data: Bytes::new(),
            }
            .abi_encode(),
        ),
        (
            morpho,
            IMorpho::borrowCall {
                marketParams: params,
                assets: usdc(15_000),
                shares: U256::ZERO,
                onBehalf: vault,
                receiver: vault,
            }
            .abi_encode(),
        ),
    ];
    let report = run(&payload(&calls), &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(
        changes(&report),
        [
            (
                "morpho-blue",
                "USDC",
                "debt",
                "0",
                "15000000000",
                "15000000000"
            ),
            ("morpho-blue", "WETH", "collateral", "0", TEN_WETH, TEN_WETH),
        ]
    );
    for change in &report.position_changes {
        assert_eq!(change.market, info.id.to_string());
        assert_eq!(change.unit, "assets");
    }
    let text = report.render(false);
    assert!(text.contains("Morpho Blue USDC debt"), "{text}");
}

#[test]
fn a_run_that_touches_no_protocol_has_no_position_changes() {
    let report = run(
        &payload(&[(USDC, transfer_calldata(FRIEND, usdc(1)))]),
        &RunContext::default(),
    );
    assert!(report.success, "{}", report.render(false));
    assert!(report.position_changes.is_empty());
    assert_eq!(report.to_json()["position_changes"], serde_json::json!([]));
    assert!(!report.render(false).contains("position changes"));
}

#[test]
fn a_reverted_run_changes_no_position() {
    let vault = devnet().vault();
    // Borrowing without collateral fails, and the whole run with it.
    let report = run(
        &payload(&[(AAVE_V3_POOL, aave_borrow(USDC, usdc(1), vault).abi_encode())]),
        &RunContext::default(),
    );
    assert!(!report.success);
    assert!(
        report.position_changes.is_empty(),
        "{:?}",
        report.position_changes
    );
}
