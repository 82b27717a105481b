//! The protocol fixtures behave as their interfaces promise, driven from a funded
//! EOA: tokens, the vault's holdings, and Uniswap V3.

use crate::support::*;

#[test]
fn the_world_builds_in_well_under_a_second() {
    let start = Instant::now();
    Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    eprintln!("Devnet::new took {elapsed:?}");
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");
}

#[test]
fn the_vault_holds_every_token_and_its_nfts() {
    let world = world();
    assert_eq!(view(&world, WBTC, IToken::decimalsCall {}), 8);
    assert_eq!(balance(&world, WBTC, VAULT), units(100, 8));
    assert_eq!(balance(&world, FALSY, VAULT), units(1_000_000, 18));
    assert_eq!(balance(&world, FOT, VAULT), units(1_000_000, 18));
    assert_eq!(balance(&world, STETH, VAULT), units(1_000, 18));
    assert_eq!(balance(&world, WSTETH, VAULT), units(1_000, 18));
    assert_eq!(balance(&world, SDAI, VAULT), units(1_000_000, 18));
    for id in VAULT_NFT_IDS {
        let owner = view(&world, DEVNFT, INft::ownerOfCall { id: U256::from(id) });
        assert_eq!(owner, VAULT);
    }
}

#[test]
fn the_falsy_token_returns_false_and_the_fee_token_burns_one_percent() {
    let mut world = world();
    fund(&mut world, FALSY, TRADER, U256::from(100), FRIEND);
    let too_much = IToken::transferCall {
        to: FRIEND,
        amount: U256::from(101),
    };
    assert!(!send(&mut world, TRADER, FALSY, U256::ZERO, too_much));
    assert_eq!(balance(&world, FALSY, TRADER), U256::from(100));
    let pull = IToken::transferFromCall {
        from: TRADER,
        to: FRIEND,
        amount: U256::from(200),
    };
    assert!(!send(&mut world, FRIEND, FALSY, U256::ZERO, pull));
    let ok = IToken::transferCall {
        to: FRIEND,
        amount: U256::from(40),
    };
    assert!(send(&mut world, TRADER, FALSY, U256::ZERO, ok));
    assert_eq!(balance(&world, FALSY, FRIEND), U256::from(40));

    fund(&mut world, FOT, TRADER, units(1_000, 18), FRIEND);
    let supply = view(&world, FOT, IToken::totalSupplyCall {});
    let pay = IToken::transferFromCall {
        from: TRADER,
        to: FRIEND,
        amount: units(1_000, 18),
    };
    assert!(send(&mut world, FRIEND, FOT, U256::ZERO, pay));
    assert_eq!(balance(&world, FOT, FRIEND), units(990, 18));
    assert_eq!(balance(&world, FOT, TRADER), U256::ZERO);
    assert_eq!(
        view(&world, FOT, IToken::totalSupplyCall {}),
        supply - units(10, 18)
    );
}

#[test]
fn v3_exact_input_single_pays_the_fee_and_matches_the_quoter() {
    let mut world = world();
    let amount_in = units(10_000, 6);
    fund(&mut world, USDC, TRADER, amount_in, UNISWAP_V3_ROUTER);
    let pool = v3_pool(&world, USDC, WETH, 500);
    let (usdc_before, weth_before) = pool_reserves(&world, pool);
    let call = IQuoter::quoteExactInputSingleCall {
        params: IQuoter::QuoteExactInputSingleParams {
            tokenIn: USDC,
            tokenOut: WETH,
            amountIn: amount_in,
            fee: fee(500),
            sqrtPriceLimitX96: Default::default(),
        },
    };
    let quoted = quote(&world, call);
    // x * y = k after a 0.05% fee on the input.
    let net = amount_in * U256::from(999_500) / U256::from(1_000_000);
    let expected = net * weth_before / (usdc_before + net);
    assert_eq!(quoted.amountOut, expected);
    assert!(!quoted.sqrtPriceX96After.is_zero());

    let mut params = exact_input_single(USDC, WETH, 500, TRADER, amount_in);
    params.amountOutMinimum = expected + U256::from(1);
    let greedy = IRouter02::exactInputSingleCall {
        params: params.clone(),
    };
    let data = revert_data(&mut world, TRADER, UNISWAP_V3_ROUTER, greedy);
    assert_eq!(reason(&data), "Too little received");

    params.amountOutMinimum = expected;
    let out = send(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        U256::ZERO,
        IRouter02::exactInputSingleCall { params },
    );
    assert_eq!(out, expected);
    assert_eq!(balance(&world, WETH, TRADER), expected);
    assert_eq!(balance(&world, USDC, TRADER), U256::ZERO);
    assert_eq!(
        pool_reserves(&world, pool),
        (usdc_before + amount_in, weth_before - expected)
    );
    assert_eq!(balance(&world, USDC, pool), usdc_before + amount_in);
    // 10,000 USDC at 3,000 USD/ETH is 3.333 WETH; fee and impact leave a little less.
    assert!(
        expected > units(3_330, 15) && expected < units(3_333, 15),
        "{expected}"
    );
}

#[test]
fn v3_exact_input_follows_a_packed_path_and_matches_the_quoter() {
    let mut world = world();
    let amount_in = units(50_000, 6);
    fund(&mut world, USDC, TRADER, amount_in, UNISWAP_V3_ROUTER);
    let path = path(&[USDC, WETH, WBTC], &[3_000, 500]);
    let call = IQuoter::quoteExactInputCall {
        path: path.clone(),
        amountIn: amount_in,
    };
    let quoted = quote(&world, call);
    assert_eq!(quoted.sqrtPriceX96AfterList.len(), 2);

    let params = IRouter02::ExactInputParams {
        path,
        recipient: TRADER,
        amountIn: amount_in,
        amountOutMinimum: quoted.amountOut,
    };
    let out = send(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        U256::ZERO,
        IRouter02::exactInputCall { params },
    );
    assert_eq!(out, quoted.amountOut);
    assert_eq!(balance(&world, WBTC, TRADER), out);
    assert_eq!(balance(&world, WETH, UNISWAP_V3_ROUTER), U256::ZERO);
    // 50,000 USD is 0.8333 BTC at 60,000; two fees and impact leave a little less.
    assert!(
        out > U256::from(82_500_000u64) && out < U256::from(83_333_333u64),
        "{out}"
    );
}

#[test]
fn v3_pools_refuse_fee_on_transfer_input() {
    let mut world = world();
    fund(&mut world, FOT, TRADER, units(100, 18), UNISWAP_V3_ROUTER);
    let params = exact_input_single(FOT, WETH, 10_000, TRADER, units(100, 18));
    let data = revert_data(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        IRouter02::exactInputSingleCall { params },
    );
    assert_eq!(reason(&data), "IIA");
}
