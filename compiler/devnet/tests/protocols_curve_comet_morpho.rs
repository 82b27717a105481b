//! The Curve 3pool, Compound III and Morpho Blue fixtures behave as their interfaces
//! promise, driven from a funded EOA, and the grants they take are measured in dry runs.

mod support;
use support::*;

use alloy_primitives::{keccak256, B256};
use alloy_sol_types::SolValue;

sol! {
    interface ICurve {
        function coins(uint256 i) external view returns (address);
        function balances(uint256 i) external view returns (uint256);
        function get_virtual_price() external view returns (uint256);
        function A() external view returns (uint256);
        function get_dy(int128 i, int128 j, uint256 dx) external view returns (uint256);
        function exchange(int128 i, int128 j, uint256 dx, uint256 min_dy) external;
        function calc_token_amount(uint256[3] amounts, bool deposit) external view returns (uint256);
        function add_liquidity(uint256[3] amounts, uint256 min_mint_amount) external;
        function remove_liquidity(uint256 _amount, uint256[3] min_amounts) external;
        function remove_liquidity_imbalance(uint256[3] amounts, uint256 max_burn_amount) external;
        function calc_withdraw_one_coin(uint256 _token_amount, int128 i) external view returns (uint256);
        function remove_liquidity_one_coin(uint256 _token_amount, int128 i, uint256 min_amount) external;
    }
    interface IComet {
        function baseToken() external view returns (address);
        function supply(address asset, uint256 amount) external;
        function supplyTo(address dst, address asset, uint256 amount) external;
        function withdraw(address asset, uint256 amount) external;
        function withdrawTo(address to, address asset, uint256 amount) external;
        function withdrawFrom(address src, address to, address asset, uint256 amount) external;
        function balanceOf(address account) external view returns (uint256);
        function borrowBalanceOf(address account) external view returns (uint256);
        function collateralBalanceOf(address account, address asset) external view returns (uint128);
        function allow(address manager, bool isAllowed) external;
        function isAllowed(address owner, address manager) external view returns (bool);
        function hasPermission(address owner, address manager) external view returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function isBorrowCollateralized(address account) external view returns (bool);
        function isLiquidatable(address account) external view returns (bool);
        function getUtilization() external view returns (uint256);
        function getSupplyRate(uint256 utilization) external view returns (uint64);
        function getBorrowRate(uint256 utilization) external view returns (uint64);
        function symbol() external view returns (string);
        error NotCollateralized();
        error BorrowTooSmall();
        error Unauthorized();
    }
    struct MarketParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }
    interface IMorpho {
        function supply(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, bytes data)
            external returns (uint256, uint256);
        function withdraw(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, address receiver)
            external returns (uint256, uint256);
        function borrow(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, address receiver)
            external returns (uint256, uint256);
        function repay(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, bytes data)
            external returns (uint256, uint256);
        function supplyCollateral(MarketParams marketParams, uint256 assets, address onBehalf, bytes data) external;
        function withdrawCollateral(MarketParams marketParams, uint256 assets, address onBehalf, address receiver) external;
        function accrueInterest(MarketParams marketParams) external;
        function setAuthorization(address authorized, bool newIsAuthorized) external;
        function isAuthorized(address authorizer, address authorized) external view returns (bool);
        function position(bytes32 id, address user) external view returns (uint256, uint128, uint128);
        function market(bytes32 id) external view returns (uint128, uint128, uint128, uint128, uint128, uint128);
        function idToMarketParams(bytes32 id) external view returns (address, address, address, address, uint256);
    }
}

const DAI_I: i128 = 0;
const USDC_I: i128 = 1;
const USDT_I: i128 = 2;

fn curve(world: &World) -> Address {
    world.layout.curve_3pool
}

/// The pool's balances normalised to 18 decimals, as f64.
fn normalised(world: &World) -> [f64; 3] {
    let pool = curve(world);
    let scale = [1e18, 1e6, 1e6];
    let mut xp = [0.0; 3];
    for (k, x) in xp.iter_mut().enumerate() {
        let held = view(world, pool, ICurve::balancesCall { i: U256::from(k) });
        *x = to_f64(held) / scale[k];
    }
    xp
}

/// How far the StableSwap invariant is from holding for balances `xp` (whole units) and
/// `d`, in Curve's convention where the stored `A` stands for `A·n^(n−1)`:
/// |A·n·S + D − A·n·D − D^(n+1)/(n^n·P)| relative to D.
fn invariant_error(a: f64, xp: [f64; 3], d: f64) -> f64 {
    let n: f64 = 3.0;
    let nn = n.powi(3);
    let sum: f64 = xp.iter().sum();
    let product: f64 = xp.iter().product();
    let lhs = a * n * sum + d;
    let rhs = a * n * d + d.powi(4) / (nn * product);
    (lhs - rhs).abs() / d
}

fn to_f64(x: U256) -> f64 {
    x.to_string().parse().unwrap_or(f64::NAN)
}

fn lp_supply(world: &World) -> U256 {
    view(
        world,
        world.layout.curve_3pool_lp,
        IToken::totalSupplyCall {},
    )
}

#[test]
fn curve_swap_gives_what_get_dy_said_and_keeps_the_invariant() {
    let mut world = world();
    let pool = curve(&world);
    assert_eq!(
        view(&world, pool, ICurve::coinsCall { i: U256::from(1) }),
        USDC
    );
    let a = view(&world, pool, ICurve::ACall {});
    assert_eq!(a, U256::from(2_000));
    let price_before = view(&world, pool, ICurve::get_virtual_priceCall {});
    assert_eq!(
        price_before,
        units(1, 18),
        "a balanced first deposit is worth par"
    );

    let dx = units(1_000_000, 6);
    fund(&mut world, USDC, TRADER, dx, pool);
    let quote = view(
        &world,
        pool,
        ICurve::get_dyCall {
            i: USDC_I,
            j: USDT_I,
            dx,
        },
    );
    // 1M into a 150M pool at A = 2000: all but the 0.04% fee and a little slippage.
    assert!(
        quote > units(999_500, 6) && quote < units(999_600, 6),
        "{quote}"
    );
    send(
        &mut world,
        TRADER,
        pool,
        U256::ZERO,
        ICurve::exchangeCall {
            i: USDC_I,
            j: USDT_I,
            dx,
            min_dy: quote,
        },
    );
    assert_eq!(balance(&world, USDT, TRADER), quote);
    assert_eq!(balance(&world, USDC, TRADER), U256::ZERO);
    assert_eq!(
        view(&world, pool, ICurve::balancesCall { i: U256::from(1) }),
        units(51_000_000, 6)
    );

    // The fee stays in the pool: the LP token is worth more, and D = price × supply
    // satisfies the invariant over the new balances.
    let price_after = view(&world, pool, ICurve::get_virtual_priceCall {});
    assert!(price_after > price_before, "{price_after}");
    let d = to_f64(price_after) / 1e18 * to_f64(lp_supply(&world)) / 1e18;
    let error = invariant_error(2_000.0, normalised(&world), d);
    assert!(error < 1e-12, "invariant off by {error}");

    // USDT (no return values) goes in as well as out; DAI comes out at 18 decimals.
    fund(&mut world, USDT, TRADER, U256::ZERO, pool);
    let usdt = balance(&world, USDT, TRADER);
    let dai_quote = view(
        &world,
        pool,
        ICurve::get_dyCall {
            i: USDT_I,
            j: DAI_I,
            dx: usdt,
        },
    );
    send(
        &mut world,
        TRADER,
        pool,
        U256::ZERO,
        ICurve::exchangeCall {
            i: USDT_I,
            j: DAI_I,
            dx: usdt,
            min_dy: dai_quote,
        },
    );
    assert_eq!(balance(&world, DAI, TRADER), dai_quote);
    assert!(dai_quote > units(999_000, 18), "{dai_quote}");
}

#[test]
fn curve_refuses_a_swap_below_min_dy_and_bad_indexes() {
    let mut world = world();
    let pool = curve(&world);
    let dx = units(1_000, 6);
    fund(&mut world, USDC, TRADER, dx, pool);
    let quote = view(
        &world,
        pool,
        ICurve::get_dyCall {
            i: USDC_I,
            j: DAI_I,
            dx,
        },
    );
    let greedy = ICurve::exchangeCall {
        i: USDC_I,
        j: DAI_I,
        dx,
        min_dy: quote + U256::from(1),
    };
    let data = revert_data(&mut world, TRADER, pool, greedy);
    assert_eq!(
        reason(&data),
        "Exchange resulted in fewer coins than expected"
    );
    let bad = ICurve::exchangeCall {
        i: USDC_I,
        j: 3,
        dx,
        min_dy: U256::ZERO,
    };
    assert_eq!(
        reason(&revert_data(&mut world, TRADER, pool, bad)),
        "bad index"
    );
}

#[test]
fn curve_liquidity_round_trips_within_fees() {
    let mut world = world();
    let pool = curve(&world);
    let lp = world.layout.curve_3pool_lp;
    let amounts = [units(10_000, 18), units(10_000, 6), units(10_000, 6)];
    fund(&mut world, DAI, TRADER, amounts[0], pool);
    fund(&mut world, USDC, TRADER, amounts[1], pool);
    fund(&mut world, USDT, TRADER, amounts[2], pool);

    // A balanced deposit pays no imbalance fee: it mints what calc_token_amount says.
    let expected = view(
        &world,
        pool,
        ICurve::calc_token_amountCall {
            amounts,
            deposit: true,
        },
    );
    send(
        &mut world,
        TRADER,
        pool,
        U256::ZERO,
        ICurve::add_liquidityCall {
            amounts,
            min_mint_amount: expected - U256::from(10),
        },
    );
    let minted = balance(&world, lp, TRADER);
    assert!(
        minted <= expected && expected - minted <= U256::from(10),
        "{minted} vs {expected}"
    );
    assert!(
        minted > units(29_999, 18) && minted <= units(30_000, 18),
        "{minted}"
    );

    // Half back proportionally: exactly the share of each balance.
    let half = minted / U256::from(2);
    send(
        &mut world,
        TRADER,
        pool,
        U256::ZERO,
        ICurve::remove_liquidityCall {
            _amount: half,
            min_amounts: [units(4_999, 18), units(4_999, 6), units(4_999, 6)],
        },
    );
    let usdc_back = balance(&world, USDC, TRADER);
    assert!(
        usdc_back >= units(4_999, 6) && usdc_back <= units(5_000, 6),
        "{usdc_back}"
    );

    // Exactly 1,000 USDT out: burns a little more than the balanced share (imbalance fee).
    let usdt_before = balance(&world, USDT, TRADER);
    let lp_before = balance(&world, lp, TRADER);
    send(
        &mut world,
        TRADER,
        pool,
        U256::ZERO,
        ICurve::remove_liquidity_imbalanceCall {
            amounts: [U256::ZERO, U256::ZERO, units(1_000, 6)],
            max_burn_amount: units(1_001, 18),
        },
    );
    assert_eq!(balance(&world, USDT, TRADER) - usdt_before, units(1_000, 6));
    let burned = lp_before - balance(&world, lp, TRADER);
    assert!(
        burned > units(1_000, 18) * U256::from(9_990) / U256::from(10_000),
        "{burned}"
    );
    assert!(burned < units(1_001, 18), "{burned}");

    // The rest into DAI alone: what calc_withdraw_one_coin promised, a little under par.
    let rest = balance(&world, lp, TRADER);
    let promised = view(
        &world,
        pool,
        ICurve::calc_withdraw_one_coinCall {
            _token_amount: rest,
            i: DAI_I,
        },
    );
    let dai_before = balance(&world, DAI, TRADER);
    send(
        &mut world,
        TRADER,
        pool,
        U256::ZERO,
        ICurve::remove_liquidity_one_coinCall {
            _token_amount: rest,
            i: DAI_I,
            min_amount: promised,
        },
    );
    let dai = balance(&world, DAI, TRADER) - dai_before;
    assert_eq!(dai, promised);
    assert!(
        dai < rest && dai > rest * U256::from(9_990) / U256::from(10_000),
        "{dai}"
    );
    assert_eq!(balance(&world, lp, TRADER), U256::ZERO);

    // Over the whole round trip the trader got back less than 30,000 dollars, more than
    // 29,950: only fees were lost.
    let total = to_f64(balance(&world, DAI, TRADER)) / 1e18
        + to_f64(balance(&world, USDC, TRADER)) / 1e6
        + to_f64(balance(&world, USDT, TRADER)) / 1e6;
    assert!(total < 30_000.0 && total > 29_950.0, "{total}");
}

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
    let max = U256::MAX.to_string();
    assert_eq!(
        left,
        [
            ("authorization", Some("MorphoBlue"), "true"),
            ("erc20-allowance", Some("CometUSDC"), max.as_str()),
        ]
    );

    let report = run(&grant(true), &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert!(
        report.allowances_left.is_empty(),
        "{:?}",
        report.allowances_left
    );
}

#[test]
fn dry_run_names_the_curve_pool_and_reports_the_swap() {
    let pool = devnet().world().layout.curve_3pool;
    let dx = units(10_000, 6);
    let payload = calls_payload(&[
        (USDC, approve_calldata(pool, dx)),
        (
            pool,
            ICurve::exchangeCall {
                i: USDC_I,
                j: USDT_I,
                dx,
                min_dy: units(9_990, 6),
            }
            .abi_encode(),
        ),
    ]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(report.calls[1].name.as_deref(), Some("Curve3Pool"));
    assert_eq!(
        report.calls[1].signature.as_deref(),
        Some("exchange(int128,int128,uint256,uint256)")
    );
    let usdt = asset_change(&report, "USDT");
    let got: i128 = usdt.delta.parse().unwrap_or_else(|e| panic!("{e}"));
    assert!(got > 9_990 * 1_000_000 && got < 10_000 * 1_000_000, "{got}");
    assert!(report.allowances_left.is_empty());
}
