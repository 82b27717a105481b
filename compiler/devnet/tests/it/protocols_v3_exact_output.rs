//! Uniswap V3 exact output on the devnet: SwapRouter02's `exactOutputSingle` and
//! `exactOutput` (backwards path) give exactly the amount asked, take no more than the
//! maximum and no more than the pools need, and match QuoterV2; and every two devnet tokens
//! have their pools.

use crate::support::*;
use nest_devnet::addresses::all_tokens;

sol! {
    interface IExactOut {
        struct ExactOutputSingleParams {
            address tokenIn; address tokenOut; uint24 fee; address recipient;
            uint256 amountOut; uint256 amountInMaximum; uint160 sqrtPriceLimitX96;
        }
        struct ExactOutputParams { bytes path; address recipient; uint256 amountOut; uint256 amountInMaximum; }
        function exactOutputSingle(ExactOutputSingleParams params) external payable returns (uint256 amountIn);
        function exactOutput(ExactOutputParams params) external payable returns (uint256 amountIn);
        function refundETH() external payable;
    }
    interface IQuoteOut {
        struct QuoteExactOutputSingleParams {
            address tokenIn; address tokenOut; uint256 amount; uint24 fee; uint160 sqrtPriceLimitX96;
        }
        function quoteExactOutputSingle(QuoteExactOutputSingleParams params)
            external returns (uint256 amountIn, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate);
        function quoteExactOutput(bytes path, uint256 amountOut)
            external returns (uint256 amountIn, uint160[] sqrtPriceX96AfterList, uint32[] initializedTicksCrossedList, uint256 gasEstimate);
    }
}

fn ceil_div(a: U256, b: U256) -> U256 {
    a.div_ceil(b)
}

#[test]
fn exact_output_single_gives_exactly_the_amount_and_matches_the_quoter() {
    let mut world = world();
    let budget = units(20_000, 6);
    fund(&mut world, USDC, TRADER, budget, UNISWAP_V3_ROUTER);
    let pool = v3_pool(&world, USDC, WETH, 500);
    let (usdc_reserve, weth_reserve) = pool_reserves(&world, pool);
    let amount_out = units(3, 18);

    let call = IQuoteOut::quoteExactOutputSingleCall {
        params: IQuoteOut::QuoteExactOutputSingleParams {
            tokenIn: USDC,
            tokenOut: WETH,
            amount: amount_out,
            fee: fee(500),
            sqrtPriceLimitX96: Default::default(),
        },
    };
    let quoted = quote(&world, call);
    // x * y = k: the input after the fee, rounded up, then the fee on top, rounded up.
    let net = ceil_div(amount_out * usdc_reserve, weth_reserve - amount_out);
    let expected = ceil_div(net * U256::from(1_000_000), U256::from(999_500));
    assert_eq!(quoted.amountIn, expected);
    // 3 WETH at 3,000 USD is 9,000 USDC; the fee and the impact add a little.
    assert!(
        expected > units(9_000, 6) && expected < units(9_010, 6),
        "{expected}"
    );

    let mut params = IExactOut::ExactOutputSingleParams {
        tokenIn: USDC,
        tokenOut: WETH,
        fee: fee(500),
        recipient: TRADER,
        amountOut: amount_out,
        amountInMaximum: expected - U256::from(1),
        sqrtPriceLimitX96: Default::default(),
    };
    let stingy = IExactOut::exactOutputSingleCall {
        params: params.clone(),
    };
    let data = revert_data(&mut world, TRADER, UNISWAP_V3_ROUTER, stingy);
    assert_eq!(reason(&data), "Too much requested");

    params.amountInMaximum = budget;
    let call = IExactOut::exactOutputSingleCall { params };
    let paid = send(&mut world, TRADER, UNISWAP_V3_ROUTER, U256::ZERO, call);
    assert_eq!(paid, expected);
    assert_eq!(balance(&world, WETH, TRADER), amount_out);
    // Only what the pool needed was pulled; the rest of the allowance is unused.
    assert_eq!(balance(&world, USDC, TRADER), budget - paid);
    assert_eq!(balance(&world, USDC, UNISWAP_V3_ROUTER), U256::ZERO);
    assert_eq!(
        pool_reserves(&world, pool),
        (usdc_reserve + paid, weth_reserve - amount_out)
    );
}

#[test]
fn exact_output_follows_a_backwards_path_and_matches_the_quoter() {
    let mut world = world();
    let budget = units(100_000, 6);
    fund(&mut world, USDC, TRADER, budget, UNISWAP_V3_ROUTER);
    // Buy exactly 0.5 WBTC with USDC through WETH: the path starts with the output.
    let amount_out = U256::from(50_000_000u64);
    let backwards = path(&[WBTC, WETH, USDC], &[500, 3_000]);
    let call = IQuoteOut::quoteExactOutputCall {
        path: backwards.clone(),
        amountOut: amount_out,
    };
    let quoted = quote(&world, call);
    assert_eq!(quoted.sqrtPriceX96AfterList.len(), 2);
    // 0.5 BTC at 60,000 USD is 30,000 USDC; two fees and the impact add a little.
    assert!(
        quoted.amountIn > units(30_000, 6) && quoted.amountIn < units(30_200, 6),
        "{}",
        quoted.amountIn
    );

    let params = IExactOut::ExactOutputParams {
        path: backwards,
        recipient: TRADER,
        amountOut: amount_out,
        amountInMaximum: budget,
    };
    let call = IExactOut::exactOutputCall { params };
    let paid = send(&mut world, TRADER, UNISWAP_V3_ROUTER, U256::ZERO, call);
    assert_eq!(paid, quoted.amountIn);
    assert_eq!(balance(&world, WBTC, TRADER), amount_out);
    assert_eq!(balance(&world, USDC, TRADER), budget - paid);
    for token in [USDC, WETH, WBTC] {
        assert_eq!(balance(&world, token, UNISWAP_V3_ROUTER), U256::ZERO);
    }
}

#[test]
fn exact_output_refuses_more_than_the_maximum_and_a_forward_path_fails() {
    let mut world = world();
    fund(
        &mut world,
        USDC,
        TRADER,
        units(100_000, 6),
        UNISWAP_V3_ROUTER,
    );
    let backwards = path(&[WBTC, WETH, USDC], &[500, 3_000]);
    let params = IExactOut::ExactOutputParams {
        path: backwards,
        recipient: TRADER,
        amountOut: U256::from(50_000_000u64),
        amountInMaximum: units(29_000, 6),
    };
    let data = revert_data(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        IExactOut::exactOutputCall { params },
    );
    assert_eq!(reason(&data), "Too much requested");
    assert_eq!(balance(&world, WBTC, TRADER), U256::ZERO);

    // Written forwards (input first), the path asks for USDC and would pay in WBTC,
    // which the trader does not have.
    let forwards = path(&[USDC, WETH, WBTC], &[3_000, 500]);
    let params = IExactOut::ExactOutputParams {
        path: forwards,
        recipient: TRADER,
        amountOut: units(1_000, 6),
        amountInMaximum: U256::MAX,
    };
    let data = revert_data(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        IExactOut::exactOutputCall { params },
    );
    assert_eq!(reason(&data), "TRANSFER_FROM_FAILED");
}

#[test]
fn exact_output_paid_in_eth_refunds_the_rest() {
    let mut world = world();
    let amount_out = units(1_000, 6);
    let params = IExactOut::ExactOutputSingleParams {
        tokenIn: WETH,
        tokenOut: USDT,
        fee: fee(3_000),
        recipient: TRADER,
        amountOut: amount_out,
        amountInMaximum: U256::from(ETHER),
        sqrtPriceLimitX96: Default::default(),
    };
    let eth_before = world.balance(TRADER);
    let call = IExactOut::exactOutputSingleCall { params };
    let paid = send(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        U256::from(ETHER),
        call,
    );
    assert_eq!(balance(&world, USDT, TRADER), amount_out);
    assert_eq!(world.balance(UNISWAP_V3_ROUTER), U256::from(ETHER) - paid);
    send(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        U256::ZERO,
        IExactOut::refundETHCall {},
    );
    assert_eq!(world.balance(UNISWAP_V3_ROUTER), U256::ZERO);
    let spent = eth_before - world.balance(TRADER);
    // What the pool took, plus gas.
    assert!(
        spent > paid && spent < paid + U256::from(ETHER / 100),
        "{spent}"
    );
}

#[test]
fn every_two_devnet_tokens_have_a_v2_pair_and_v3_pools_at_five_and_thirty_bips() {
    let world = world();
    let tokens: Vec<Address> = all_tokens().map(|t| t.address).collect();
    for (i, a) in tokens.iter().enumerate() {
        for b in &tokens[i + 1..] {
            let pair = world.layout.pair(*a, *b);
            assert!(pair.is_some(), "no V2 pair {a}/{b}");
            for tier in [500, 3_000] {
                let pool = world.layout.v3_pool(*a, *b, tier);
                let Some(pool) = pool else {
                    panic!("no {tier} V3 pool {a}/{b}");
                };
                let (r0, r1) = pool_reserves(&world, pool.address);
                assert!(!r0.is_zero() && !r1.is_zero(), "{a}/{b} {tier} is empty");
            }
        }
    }
    for (a, b) in [(WBTC, USDC), (STETH, WETH), (FALSY, WETH), (FOT, WETH)] {
        assert!(world.layout.v3_pool(a, b, 10_000).is_some());
    }
}

#[test]
fn a_new_pair_is_priced_from_both_sides() {
    let world = world();
    // wstETH for WBTC at 0.3%: 1 wstETH = 1.175 * 3,000 USD, 1 WBTC = 60,000 USD.
    let amount_out = U256::from(1_000_000u64); // 0.01 WBTC
    let call = IQuoteOut::quoteExactOutputSingleCall {
        params: IQuoteOut::QuoteExactOutputSingleParams {
            tokenIn: WSTETH,
            tokenOut: WBTC,
            amount: amount_out,
            fee: fee(3_000),
            sqrtPriceLimitX96: Default::default(),
        },
    };
    let quoted = quote(&world, call);
    // 600 USD of wstETH is 0.1702 wstETH; the fee adds 0.3%.
    assert!(
        quoted.amountIn > units(1_702, 14) && quoted.amountIn < units(1_708, 14),
        "{}",
        quoted.amountIn
    );
}
