//! The protocol fixtures behave as their interfaces promise, driven from a funded
//! EOA: sDAI (ERC-4626), Aave V3 and Lido.

use crate::support::*;

#[test]
fn sdai_is_an_erc4626_vault_at_one_point_one_dai() {
    let mut world = world();
    let assets = units(11_000, 18);
    fund(&mut world, DAI, TRADER, assets, SDAI);
    let preview = view(&world, SDAI, I4626::previewDepositCall { assets });
    assert!(
        preview > units(9_999, 18) && preview <= units(10_000, 18),
        "{preview}"
    );
    let total_before = view(&world, SDAI, I4626::totalAssetsCall {});
    let shares = send(
        &mut world,
        TRADER,
        SDAI,
        U256::ZERO,
        I4626::depositCall {
            assets,
            receiver: TRADER,
        },
    );
    assert_eq!(shares, preview);
    assert_eq!(balance(&world, SDAI, TRADER), shares);
    assert_eq!(
        view(&world, SDAI, I4626::totalAssetsCall {}),
        total_before + assets
    );

    let worth = view(&world, SDAI, I4626::convertToAssetsCall { shares });
    let back = send(
        &mut world,
        TRADER,
        SDAI,
        U256::ZERO,
        I4626::redeemCall {
            shares,
            receiver: TRADER,
            owner: TRADER,
        },
    );
    assert_eq!(back, worth);
    assert!(back <= assets && assets - back <= U256::from(2), "{back}");
    assert_eq!(balance(&world, DAI, TRADER), back);
    assert_eq!(balance(&world, SDAI, TRADER), U256::ZERO);
}

#[test]
fn aave_supplies_borrows_delegates_repays_and_withdraws() {
    let mut world = world();
    let eth = units(10, 18);
    fund_weth(&mut world, TRADER, eth, AAVE_V3_POOL);
    let supply = aave_supply(WETH, eth, TRADER);
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, supply);
    let (a_weth, debt_weth) = aave_reserve_tokens(&world, WETH);
    assert_eq!(balance(&world, a_weth, TRADER), eth);
    assert!(debt_weth != Address::ZERO);

    // 10 WETH at 3,000 USD: 30,000 USD of collateral, 80.5% LTV, 83% liquidation threshold.
    let data = aave_account(&world, TRADER);
    assert_eq!(
        (data._0, data._1, data._2),
        (
            U256::from(30_000u64 * 100_000_000),
            U256::ZERO,
            U256::from(24_150u64 * 100_000_000)
        )
    );
    assert_eq!(
        (data._3, data._4, data._5),
        (U256::from(8_300), U256::from(8_050), U256::MAX)
    );

    let borrow = aave_borrow(USDC, units(10_000, 6), TRADER);
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, borrow);
    assert_eq!(balance(&world, USDC, TRADER), units(10_000, 6));
    let data = aave_account(&world, TRADER);
    assert_eq!(data._1, U256::from(10_000u64 * 100_000_000));
    assert_eq!(data._5, U256::from(2_490_000_000_000_000_000u128)); // 24,900 / 10,000

    let too_much = aave_borrow(USDC, units(15_000, 6), TRADER);
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, too_much);
    assert_eq!(reason(&data), "COLLATERAL_CANNOT_COVER_NEW_BORROW");

    // Credit delegation: FRIEND borrows 1,000 USDC against TRADER's collateral.
    let (_, debt_usdc) = aave_reserve_tokens(&world, USDC);
    let on_behalf = aave_borrow(USDC, units(1_000, 6), TRADER);
    let data = revert_data(&mut world, FRIEND, AAVE_V3_POOL, on_behalf.clone());
    assert_eq!(reason(&data), "INSUFFICIENT_BORROW_ALLOWANCE");
    send(
        &mut world,
        TRADER,
        debt_usdc,
        U256::ZERO,
        IDebtToken::approveDelegationCall {
            delegatee: FRIEND,
            amount: units(1_500, 6),
        },
    );
    send(&mut world, FRIEND, AAVE_V3_POOL, U256::ZERO, on_behalf);
    assert_eq!(balance(&world, USDC, FRIEND), units(1_000, 6));
    assert_eq!(balance(&world, debt_usdc, TRADER), units(11_000, 6));
    assert_eq!(balance(&world, debt_usdc, FRIEND), U256::ZERO);
    assert_eq!(
        view(
            &world,
            debt_usdc,
            IDebtToken::borrowAllowanceCall {
                fromUser: TRADER,
                toUser: FRIEND
            }
        ),
        units(500, 6)
    );

    // Repay everything (max), then withdraw everything (max).
    fund(&mut world, USDC, TRADER, units(1_000, 6), AAVE_V3_POOL);
    let repaid = send(
        &mut world,
        TRADER,
        AAVE_V3_POOL,
        U256::ZERO,
        IAave::repayCall {
            asset: USDC,
            amount: U256::MAX,
            interestRateMode: U256::from(2),
            onBehalfOf: TRADER,
        },
    );
    assert_eq!(repaid, units(11_000, 6));
    assert_eq!(balance(&world, USDC, TRADER), U256::ZERO);
    let user = aave_user_reserve(&world, WETH, TRADER);
    assert_eq!((user._0, user._8), (eth, true));
    let taken = send(
        &mut world,
        TRADER,
        AAVE_V3_POOL,
        U256::ZERO,
        IAave::withdrawCall {
            asset: WETH,
            amount: U256::MAX,
            to: TRADER,
        },
    );
    assert_eq!(taken, eth);
    assert_eq!(balance(&world, WETH, TRADER), eth);
    assert_eq!(balance(&world, a_weth, TRADER), U256::ZERO);
}

#[test]
fn lido_stakes_at_shares_and_wsteth_wraps_them() {
    let mut world = world();
    let per_token = view(&world, WSTETH, IWstEth::stEthPerTokenCall {});
    assert_eq!(per_token, units(1_175, 15));
    // Shares are rounded down: 47 ETH buys 40 shares less at most a wei.
    let staked = units(47, 18);
    let expected_shares = view(
        &world,
        STETH,
        IStEth::getSharesByPooledEthCall { eth: staked },
    );
    assert!(
        units(40, 18) - expected_shares <= U256::from(1),
        "{expected_shares}"
    );
    let shares = send(
        &mut world,
        TRADER,
        STETH,
        staked,
        IStEth::submitCall {
            referral: Address::ZERO,
        },
    );
    assert_eq!(shares, expected_shares);
    assert_eq!(
        view(&world, STETH, IStEth::sharesOfCall { account: TRADER }),
        shares
    );
    let held = balance(&world, STETH, TRADER);
    assert_eq!(
        held,
        view(&world, STETH, IStEth::getPooledEthBySharesCall { shares })
    );
    assert!(staked - held <= U256::from(2), "{held}");

    approve_max(&mut world, TRADER, STETH, WSTETH);
    let expected = view(
        &world,
        WSTETH,
        IWstEth::getWstETHByStETHCall { stETHAmount: held },
    );
    let wrapped = send(
        &mut world,
        TRADER,
        WSTETH,
        U256::ZERO,
        IWstEth::wrapCall { stETHAmount: held },
    );
    assert_eq!(wrapped, expected);
    assert!(shares - wrapped <= U256::from(1), "{wrapped}");
    assert_eq!(balance(&world, WSTETH, TRADER), wrapped);
    assert!(balance(&world, STETH, TRADER) <= U256::from(2));
    let unwrapped = send(
        &mut world,
        TRADER,
        WSTETH,
        U256::ZERO,
        IWstEth::unwrapCall {
            wstETHAmount: wrapped,
        },
    );
    assert!(held - unwrapped <= U256::from(2), "{unwrapped}");
    assert_eq!(balance(&world, WSTETH, TRADER), U256::ZERO);
}
