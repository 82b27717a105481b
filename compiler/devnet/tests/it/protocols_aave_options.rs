//! The rest of the Aave V3 surface the stdlib exposes: repaying with aTokens, turning
//! collateral off, efficiency mode, and the data provider's reserve views.

use crate::support::*;

sol! {
    interface IAaveMore {
        function repayWithATokens(address asset, uint256 amount, uint256 interestRateMode) external returns (uint256);
        function setUserUseReserveAsCollateral(address asset, bool useAsCollateral) external;
        function setUserEMode(uint8 categoryId) external;
        function getUserEMode(address user) external view returns (uint256);
    }
    interface IProviderMore {
        function getReserveConfigurationData(address asset) external view returns (
            uint256 decimals, uint256 ltv, uint256 liquidationThreshold, uint256 liquidationBonus,
            uint256 reserveFactor, bool usageAsCollateralEnabled, bool borrowingEnabled,
            bool stableBorrowRateEnabled, bool isActive, bool isFrozen);
        function getReserveData(address asset) external view returns (
            uint256 unbacked, uint256 accruedToTreasuryScaled, uint256 totalAToken, uint256 totalStableDebt,
            uint256 totalVariableDebt, uint256 liquidityRate, uint256 variableBorrowRate, uint256 stableBorrowRate,
            uint256 averageStableBorrowRate, uint256 liquidityIndex, uint256 variableBorrowIndex,
            uint40 lastUpdateTimestamp);
        function getReserveCaps(address asset) external view returns (uint256 borrowCap, uint256 supplyCap);
        function getPaused(address asset) external view returns (bool isPaused);
        function getATokenTotalSupply(address asset) external view returns (uint256);
        function getTotalDebt(address asset) external view returns (uint256);
    }
}

/// A world where the trader supplied 10 WETH (30,000 USD) and borrowed `borrowed` USDC.
fn supplied_and_borrowed(borrowed: U256) -> World {
    let mut world = world();
    let eth = U256::from(10 * ETHER);
    fund_weth(&mut world, TRADER, eth, AAVE_V3_POOL);
    let supply = aave_supply(WETH, eth, TRADER);
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, supply);
    if !borrowed.is_zero() {
        let borrow = aave_borrow(USDC, borrowed, TRADER);
        send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, borrow);
    }
    world
}

#[test]
fn repay_with_atokens_burns_supply_and_debt_alike() {
    let mut world = world();
    fund(&mut world, USDC, TRADER, units(50_000, 6), AAVE_V3_POOL);
    let supply = aave_supply(USDC, units(50_000, 6), TRADER);
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, supply);
    let borrow = aave_borrow(USDC, units(10_000, 6), TRADER);
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, borrow);
    let (a_token, debt_token) = aave_reserve_tokens(&world, USDC);
    let held_by_reserve = balance(&world, USDC, a_token);

    let repay = IAaveMore::repayWithATokensCall {
        asset: USDC,
        amount: units(4_000, 6),
        interestRateMode: U256::from(2),
    };
    let paid = send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, repay);
    assert_eq!(paid, units(4_000, 6));
    assert_eq!(balance(&world, a_token, TRADER), units(46_000, 6));
    assert_eq!(balance(&world, debt_token, TRADER), units(6_000, 6));
    // The underlying never moves: the cash borrowed stays with the trader.
    assert_eq!(balance(&world, USDC, a_token), held_by_reserve);
    assert_eq!(balance(&world, USDC, TRADER), units(10_000, 6));

    let all = IAaveMore::repayWithATokensCall {
        asset: USDC,
        amount: U256::MAX,
        interestRateMode: U256::from(2),
    };
    let paid = send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, all);
    assert_eq!(paid, units(6_000, 6));
    assert_eq!(balance(&world, debt_token, TRADER), U256::ZERO);
    assert_eq!(balance(&world, a_token, TRADER), units(40_000, 6));

    let nothing_owed = IAaveMore::repayWithATokensCall {
        asset: USDC,
        amount: U256::MAX,
        interestRateMode: U256::from(2),
    };
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, nothing_owed);
    assert_eq!(reason(&data), "NO_DEBT_OF_SELECTED_TYPE");
}

#[test]
fn collateral_can_be_turned_off_only_while_it_is_not_needed() {
    let mut world = supplied_and_borrowed(units(20_000, 6));
    let off = IAaveMore::setUserUseReserveAsCollateralCall {
        asset: WETH,
        useAsCollateral: false,
    };
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, off.clone());
    assert_eq!(
        reason(&data),
        "HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD"
    );

    let mut world = supplied_and_borrowed(U256::ZERO);
    assert_eq!(
        aave_account(&world, TRADER)._0,
        U256::from(30_000u64) * U256::from(100_000_000u64)
    );
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, off);
    assert_eq!(aave_account(&world, TRADER)._0, U256::ZERO);
    let user = aave_user_reserve(&world, WETH, TRADER);
    assert_eq!(user._0, U256::from(10 * ETHER));
    assert!(!user._8, "collateral is off");
    let borrow = aave_borrow(USDC, units(1, 6), TRADER);
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, borrow);
    assert_eq!(reason(&data), "COLLATERAL_BALANCE_IS_ZERO");

    let on = IAaveMore::setUserUseReserveAsCollateralCall {
        asset: WETH,
        useAsCollateral: true,
    };
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, on);
    assert_eq!(
        aave_account(&world, TRADER)._0,
        U256::from(30_000u64) * U256::from(100_000_000u64)
    );

    let not_supplied = IAaveMore::setUserUseReserveAsCollateralCall {
        asset: DAI,
        useAsCollateral: true,
    };
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, not_supplied);
    assert_eq!(reason(&data), "UNDERLYING_BALANCE_ZERO");
}

#[test]
fn eth_emode_raises_the_ltv_of_weth_and_allows_only_its_borrows() {
    let mut world = supplied_and_borrowed(U256::ZERO);
    let data = aave_account(&world, TRADER);
    assert_eq!(data._4, U256::from(8_050));

    let unknown = IAaveMore::setUserEModeCall { categoryId: 7 };
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, unknown);
    assert_eq!(reason(&data), "INCONSISTENT_EMODE_CATEGORY");

    send(
        &mut world,
        TRADER,
        AAVE_V3_POOL,
        U256::ZERO,
        IAaveMore::setUserEModeCall { categoryId: 1 },
    );
    let mode = view(
        &world,
        AAVE_V3_POOL,
        IAaveMore::getUserEModeCall { user: TRADER },
    );
    assert_eq!(mode, U256::from(1));
    let data = aave_account(&world, TRADER);
    assert_eq!((data._3, data._4), (U256::from(9_500), U256::from(9_300)));

    let usdc = aave_borrow(USDC, units(1_000, 6), TRADER);
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, usdc);
    assert_eq!(reason(&data), "NOT_BORROWABLE_IN_EMODE");
    // 9.2 WETH against 10: over the normal 80.5% LTV, within e-mode's 93%.
    let weth = aave_borrow(WETH, U256::from(92 * ETHER / 10), TRADER);
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, weth);
    // Leaving e-mode would drop the health factor below 1.
    let leave = IAaveMore::setUserEModeCall { categoryId: 0 };
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, leave);
    assert_eq!(
        reason(&data),
        "HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD"
    );
}

#[test]
fn the_data_provider_reports_configuration_totals_caps_and_pause() {
    let world = supplied_and_borrowed(units(20_000, 6));
    let config = view(
        &world,
        AAVE_V3_DATA_PROVIDER,
        IProviderMore::getReserveConfigurationDataCall { asset: USDT },
    );
    assert_eq!(config.decimals, U256::from(6));
    assert_eq!(config.ltv, U256::from(7_500));
    assert_eq!(config.liquidationThreshold, U256::from(7_800));
    assert!(config.usageAsCollateralEnabled && config.borrowingEnabled && config.isActive);
    assert!(!config.stableBorrowRateEnabled && !config.isFrozen);

    let (a_token, debt_token) = aave_reserve_tokens(&world, USDC);
    let supplied = view(&world, a_token, IToken::totalSupplyCall {});
    let owed = view(&world, debt_token, IToken::totalSupplyCall {});
    assert_eq!(owed, units(20_000, 6));
    let data = view(
        &world,
        AAVE_V3_DATA_PROVIDER,
        IProviderMore::getReserveDataCall { asset: USDC },
    );
    assert_eq!(data.totalAToken, supplied);
    assert_eq!(data.totalVariableDebt, owed);
    let ray = U256::from(10u64).pow(U256::from(27));
    assert_eq!((data.liquidityIndex, data.variableBorrowIndex), (ray, ray));
    let total_supply = IProviderMore::getATokenTotalSupplyCall { asset: USDC };
    assert_eq!(view(&world, AAVE_V3_DATA_PROVIDER, total_supply), supplied);
    let total_debt = IProviderMore::getTotalDebtCall { asset: USDC };
    assert_eq!(view(&world, AAVE_V3_DATA_PROVIDER, total_debt), owed);
    let caps = view(
        &world,
        AAVE_V3_DATA_PROVIDER,
        IProviderMore::getReserveCapsCall { asset: USDC },
    );
    assert_eq!((caps.borrowCap, caps.supplyCap), (U256::ZERO, U256::ZERO));
    let paused = IProviderMore::getPausedCall { asset: WETH };
    assert!(!view(&world, AAVE_V3_DATA_PROVIDER, paused));

    let unlisted = IProviderMore::getTotalDebtCall { asset: FOT };
    let output = world.view(AAVE_V3_DATA_PROVIDER, unlisted.abi_encode());
    assert!(format!("{output:?}").contains("Reverted"), "{output:?}");
}
