//! The Compound III (Comet) fixture lends within collateral factors, repays, and lets
//! managers act only when allowed, driven from a funded EOA.

use crate::support::*;

#[test]
fn comet_lends_within_collateral_and_repays() {
    let mut world = world();
    let comet = world.layout.comet_usdc;
    assert_eq!(view(&world, comet, IComet::baseTokenCall {}), USDC);
    assert_eq!(view(&world, comet, IComet::symbolCall {}), "cUSDCv3");
    assert_eq!(
        view(&world, comet, IComet::getUtilizationCall {}),
        U256::ZERO
    );

    // 10 WETH at 3,000 USD with an 82.5% borrow factor: 24,750 USDC of capacity.
    let eth = units(10, 18);
    fund_weth(&mut world, TRADER, eth, comet);
    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::supplyCall {
            asset: WETH,
            amount: eth,
        },
    );
    assert_eq!(
        view(
            &world,
            comet,
            IComet::collateralBalanceOfCall {
                account: TRADER,
                asset: WETH
            }
        ),
        10u128 * ETHER
    );

    let too_much = IComet::withdrawCall {
        asset: USDC,
        amount: units(24_751, 6),
    };
    let data = revert_data(&mut world, TRADER, comet, too_much);
    assert_eq!(data.as_ref(), IComet::NotCollateralized::SELECTOR);
    let tiny = IComet::withdrawCall {
        asset: USDC,
        amount: units(50, 6),
    };
    let data = revert_data(&mut world, TRADER, comet, tiny);
    assert_eq!(data.as_ref(), IComet::BorrowTooSmall::SELECTOR);

    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::withdrawCall {
            asset: USDC,
            amount: units(24_750, 6),
        },
    );
    assert_eq!(balance(&world, USDC, TRADER), units(24_750, 6));
    assert_eq!(
        view(
            &world,
            comet,
            IComet::borrowBalanceOfCall { account: TRADER }
        ),
        units(24_750, 6)
    );
    assert!(view(
        &world,
        comet,
        IComet::isBorrowCollateralizedCall { account: TRADER }
    ));
    assert!(!view(
        &world,
        comet,
        IComet::isLiquidatableCall { account: TRADER }
    ));
    let utilization = view(&world, comet, IComet::getUtilizationCall {});
    assert!(utilization > U256::ZERO);
    let (low, high) = (
        view(&world, comet, IComet::getBorrowRateCall { utilization }),
        view(
            &world,
            comet,
            IComet::getBorrowRateCall {
                utilization: units(95, 16),
            },
        ),
    );
    assert!(high > low && low > 0, "{low} {high}");
    assert!(
        view(
            &world,
            comet,
            IComet::getSupplyRateCall {
                utilization: units(95, 16)
            }
        ) < high
    );

    // The collateral cannot leave while the debt needs it.
    let pull = IComet::withdrawCall {
        asset: WETH,
        amount: units(1, 18),
    };
    let data = revert_data(&mut world, TRADER, comet, pull);
    assert_eq!(data.as_ref(), IComet::NotCollateralized::SELECTOR);

    // Supplying the maximum repays exactly the debt; then the collateral comes back.
    fund(&mut world, USDC, TRADER, units(1_000, 6), comet);
    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::supplyCall {
            asset: USDC,
            amount: U256::MAX,
        },
    );
    assert_eq!(balance(&world, USDC, TRADER), units(1_000, 6));
    assert_eq!(
        view(
            &world,
            comet,
            IComet::borrowBalanceOfCall { account: TRADER }
        ),
        U256::ZERO
    );
    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::withdrawCall {
            asset: WETH,
            amount: eth,
        },
    );
    assert_eq!(balance(&world, WETH, TRADER), eth);

    // Base supplied is a balance, and withdrawing the maximum takes it all.
    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::supplyCall {
            asset: USDC,
            amount: units(1_000, 6),
        },
    );
    assert_eq!(
        view(&world, comet, IComet::balanceOfCall { account: TRADER }),
        units(1_000, 6)
    );
    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::withdrawToCall {
            to: FRIEND,
            asset: USDC,
            amount: U256::MAX,
        },
    );
    assert_eq!(balance(&world, USDC, FRIEND), units(1_000, 6));
    assert_eq!(
        view(&world, comet, IComet::balanceOfCall { account: TRADER }),
        U256::ZERO
    );
}

#[test]
fn comet_managers_act_only_when_allowed() {
    let mut world = world();
    let comet = world.layout.comet_usdc;
    fund(&mut world, USDC, TRADER, units(5_000, 6), comet);
    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::supplyToCall {
            dst: TRADER,
            asset: USDC,
            amount: units(5_000, 6),
        },
    );
    let take = IComet::withdrawFromCall {
        src: TRADER,
        to: FRIEND,
        asset: USDC,
        amount: units(1_000, 6),
    };
    let data = revert_data(&mut world, FRIEND, comet, take.clone());
    assert_eq!(data.as_ref(), IComet::Unauthorized::SELECTOR);
    send(
        &mut world,
        TRADER,
        comet,
        U256::ZERO,
        IComet::allowCall {
            manager: FRIEND,
            isAllowed: true,
        },
    );
    assert!(view(
        &world,
        comet,
        IComet::isAllowedCall {
            owner: TRADER,
            manager: FRIEND
        }
    ));
    assert_eq!(
        view(
            &world,
            comet,
            IComet::allowanceCall {
                owner: TRADER,
                spender: FRIEND
            }
        ),
        U256::MAX
    );
    send(&mut world, FRIEND, comet, U256::ZERO, take);
    assert_eq!(balance(&world, USDC, FRIEND), units(1_000, 6));
    assert!(view(
        &world,
        comet,
        IComet::hasPermissionCall {
            owner: TRADER,
            manager: TRADER
        }
    ));
}
