//! The Morpho Blue fixture lends against collateral within the market's LLTV, needs
//! authorization to act for someone else, and round-trips supply; dry runs measure the
//! Morpho and Comet permissions left behind.

use crate::support::*;

use alloy_primitives::{keccak256, B256};
use alloy_sol_types::SolValue;

/// The devnet's WETH-collateral, USDC-loan Morpho market.
fn weth_usdc_market(world: &World) -> (B256, MarketParams) {
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
    (info.id, params)
}

#[test]
fn morpho_borrows_need_collateral_and_authorization() {
    let mut world = world();
    let morpho = world.layout.morpho;
    let (id, params) = weth_usdc_market(&world);
    assert_eq!(id, keccak256(params.abi_encode()));
    let stored = view(&world, morpho, IMorpho::idToMarketParamsCall { id });
    assert_eq!(
        (stored._0, stored._1, stored._2, stored._3, stored._4),
        (
            params.loanToken,
            params.collateralToken,
            params.oracle,
            params.irm,
            params.lltv
        )
    );
    assert_eq!(params.lltv, units(86, 16));
    let totals = view(&world, morpho, IMorpho::marketCall { id });
    assert_eq!(totals._0, 50_000_000u128 * 1_000_000);

    let borrow = |assets: U256| IMorpho::borrowCall {
        marketParams: params.clone(),
        assets,
        shares: U256::ZERO,
        onBehalf: TRADER,
        receiver: TRADER,
    };
    let data = revert_data(&mut world, TRADER, morpho, borrow(units(1, 6)));
    assert_eq!(reason(&data), "insufficient collateral");

    // 10 WETH at 3,000 USD and an 86% LLTV: at most 25,800 USDC.
    let eth = units(10, 18);
    fund_weth(&mut world, TRADER, eth, morpho);
    send(
        &mut world,
        TRADER,
        morpho,
        U256::ZERO,
        IMorpho::supplyCollateralCall {
            marketParams: params.clone(),
            assets: eth,
            onBehalf: TRADER,
            data: Bytes::new(),
        },
    );
    let data = revert_data(&mut world, TRADER, morpho, borrow(units(25_801, 6)));
    assert_eq!(reason(&data), "insufficient collateral");
    let (assets, shares) = {
        let r = send(
            &mut world,
            TRADER,
            morpho,
            U256::ZERO,
            borrow(units(20_000, 6)),
        );
        (r._0, r._1)
    };
    assert_eq!(assets, units(20_000, 6));
    assert_eq!(balance(&world, USDC, TRADER), assets);
    let position = view(&world, morpho, IMorpho::positionCall { id, user: TRADER });
    assert_eq!(
        (position._1, position._2),
        (shares.to::<u128>(), 10u128 * ETHER)
    );
    // Virtual shares: a million shares per unit of an empty side.
    assert_eq!(shares, assets * U256::from(1_000_000));

    // FRIEND may not borrow against TRADER's collateral until authorized.
    let on_behalf = IMorpho::borrowCall {
        marketParams: params.clone(),
        assets: units(1_000, 6),
        shares: U256::ZERO,
        onBehalf: TRADER,
        receiver: FRIEND,
    };
    let data = revert_data(&mut world, FRIEND, morpho, on_behalf.clone());
    assert_eq!(reason(&data), "unauthorized");
    send(
        &mut world,
        TRADER,
        morpho,
        U256::ZERO,
        IMorpho::setAuthorizationCall {
            authorized: FRIEND,
            newIsAuthorized: true,
        },
    );
    assert!(view(
        &world,
        morpho,
        IMorpho::isAuthorizedCall {
            authorizer: TRADER,
            authorized: FRIEND
        }
    ));
    send(&mut world, FRIEND, morpho, U256::ZERO, on_behalf);
    assert_eq!(balance(&world, USDC, FRIEND), units(1_000, 6));

    // Repay all by shares, then the collateral is free again.
    fund(&mut world, USDC, TRADER, units(1_000, 6), morpho);
    let all_shares =
        U256::from(view(&world, morpho, IMorpho::positionCall { id, user: TRADER })._1);
    send(
        &mut world,
        TRADER,
        morpho,
        U256::ZERO,
        IMorpho::accrueInterestCall {
            marketParams: params.clone(),
        },
    );
    let repaid = send(
        &mut world,
        TRADER,
        morpho,
        U256::ZERO,
        IMorpho::repayCall {
            marketParams: params.clone(),
            assets: U256::ZERO,
            shares: all_shares,
            onBehalf: TRADER,
            data: Bytes::new(),
        },
    );
    assert_eq!(repaid._0, units(21_000, 6));
    send(
        &mut world,
        TRADER,
        morpho,
        U256::ZERO,
        IMorpho::withdrawCollateralCall {
            marketParams: params.clone(),
            assets: eth,
            onBehalf: TRADER,
            receiver: TRADER,
        },
    );
    assert_eq!(balance(&world, WETH, TRADER), eth);
}

#[test]
fn morpho_supply_and_withdraw_round_trip() {
    let mut world = world();
    let morpho = world.layout.morpho;
    let (id, params) = weth_usdc_market(&world);
    let amount = units(100_000, 6);
    fund(&mut world, USDC, TRADER, amount, morpho);
    let (assets, shares) = {
        let r = send(
            &mut world,
            TRADER,
            morpho,
            U256::ZERO,
            IMorpho::supplyCall {
                marketParams: params.clone(),
                assets: amount,
                shares: U256::ZERO,
                onBehalf: TRADER,
                data: Bytes::new(),
            },
        );
        (r._0, r._1)
    };
    assert_eq!(assets, amount);
    assert_eq!(
        view(&world, morpho, IMorpho::positionCall { id, user: TRADER })._0,
        shares
    );
    let back = send(
        &mut world,
        TRADER,
        morpho,
        U256::ZERO,
        IMorpho::withdrawCall {
            marketParams: params,
            assets: U256::ZERO,
            shares,
            onBehalf: TRADER,
            receiver: TRADER,
        },
    );
    assert!(
        back._0 <= amount && amount - back._0 <= U256::from(1),
        "{}",
        back._0
    );
    assert_eq!(balance(&world, USDC, TRADER), back._0);
}

#[test]
fn dry_run_measures_morpho_and_comet_grants_left_behind() {
    let layout = &devnet().world().layout;
    let (morpho, comet) = (layout.morpho, layout.comet_usdc);
    let grant = |revoke: bool| {
        let mut calls = vec![
            (
                morpho,
                IMorpho::setAuthorizationCall {
                    authorized: FRIEND,
                    newIsAuthorized: true,
                }
                .abi_encode(),
            ),
            (
                comet,
                IComet::allowCall {
                    manager: FRIEND,
                    isAllowed: true,
                }
                .abi_encode(),
            ),
        ];
        if revoke {
            calls.push((
                morpho,
                IMorpho::setAuthorizationCall {
                    authorized: FRIEND,
                    newIsAuthorized: false,
                }
                .abi_encode(),
            ));
            calls.push((
                comet,
                IComet::allowCall {
                    manager: FRIEND,
                    isAllowed: false,
                }
                .abi_encode(),
            ));
        }
        calls_payload(&calls)
    };
    let report = run(&grant(false), &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(report.calls[0].name.as_deref(), Some("MorphoBlue"));
    assert_eq!(report.calls[1].name.as_deref(), Some("CometUSDC"));
    let left: Vec<(&str, Option<&str>, &str)> = report
        .allowances_left
        .iter()
        .map(|a| (a.kind.as_str(), a.symbol.as_deref(), a.after.as_str()))
        .collect();
    // Comet's `allow` reads back as an unlimited ERC-20 allowance, but it is a manager
    // right over the whole account, and is reported as one.
    assert_eq!(
        left,
        [
            ("authorization", Some("MorphoBlue"), "true"),
            ("comet-manager", Some("CometUSDC"), "true"),
        ]
    );
    let text = report.render(false);
    assert!(
        text.contains("manages the vault's whole CometUSDC account (Compound III `allow`)"),
        "{text}"
    );
    assert!(
        text.contains("is authorized to manage the vault's MorphoBlue positions"),
        "{text}"
    );

    let report = run(&grant(true), &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert!(
        report.allowances_left.is_empty(),
        "{:?}",
        report.allowances_left
    );
}
