//! The Curve 3pool fixture behaves as `ICurvePool` promises (the StableSwap invariant,
//! quotes, swaps, liquidity in all four ways), driven from a funded EOA, and a dry run
//! names the pool.

use crate::support::*;

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
