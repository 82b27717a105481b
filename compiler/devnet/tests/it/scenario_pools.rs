//! Scenario files: pools with reserves of their own, and funding the vault with any devnet
//! token by name.

use crate::support::*;
use nest_devnet::addresses::all_tokens;

/// The devnet a scenario describes, with the test EOAs funded.
fn world_of(scenario: &Scenario) -> World {
    world_with(&scenario.funding())
}

/// What 10,000 USDC buys in WETH on the 0.05% V3 pool and the V2 pair of `world`.
fn usdc_to_weth(world: &World) -> (U256, U256) {
    let (r0, r1) = pool_reserves(world, v3_pool(world, USDC, WETH, 500));
    let net = units(10_000, 6) * U256::from(999_500) / U256::from(1_000_000);
    let v3 = net * r1 / (r0 + net);
    let pair = v2_pair(world, USDC, WETH);
    let (usdc, weth) = (balance(world, USDC, pair), balance(world, WETH, pair));
    let net = units(10_000, 6) * U256::from(997);
    let v2 = net * weth / (usdc * U256::from(1_000) + net);
    (v3, v2)
}

#[test]
fn a_thin_pool_moves_the_price_more() {
    let thin = world_of(&scenario(include_str!("../../scenarios/thin-pool.toml")));
    let deep = world_of(&Scenario::default());
    let (usdc, weth) = pool_reserves(&thin, v3_pool(&thin, USDC, WETH, 500));
    assert_eq!(usdc, units(100_000, 6));
    assert_eq!(weth, U256::from(33_333_333_333_333_333_333u128));
    // Other pools keep the default depth.
    let other = v3_pool(&thin, USDC, WETH, 3_000);
    assert_eq!(pool_reserves(&thin, other).0, units(50_000_000, 6));

    let (thin_v3, thin_v2) = usdc_to_weth(&thin);
    let (deep_v3, deep_v2) = usdc_to_weth(&deep);
    // 10,000 USDC is 3.333 WETH at 3,000 USD: the deep pools give nearly that, the thin
    // ones about 9% less (10% of their depth moves their price that much).
    assert!(
        deep_v3 > units(3_330, 15) && deep_v2 > units(3_320, 15),
        "{deep_v3} {deep_v2}"
    );
    assert!(
        thin_v3 < units(3_040, 15) && thin_v2 < units(3_040, 15),
        "{thin_v3} {thin_v2}"
    );

    // The real swap agrees with the reserves.
    let mut thin = thin;
    fund(&mut thin, USDC, TRADER, units(10_000, 6), UNISWAP_V3_ROUTER);
    let params = exact_input_single(USDC, WETH, 500, TRADER, units(10_000, 6));
    let call = IRouter02::exactInputSingleCall { params };
    let out = send(&mut thin, TRADER, UNISWAP_V3_ROUTER, U256::ZERO, call);
    assert_eq!(out, thin_v3);
}

#[test]
fn a_scenario_pool_the_devnet_lacks_is_created() {
    let text = r#"
        [[pool]]
        kind = "v3"
        tokens = ["wbtc", "usdt"]
        fee = 100
        reserves = ["1.5", 90000]
    "#;
    let world = world_of(&scenario(text));
    let pool = world.layout.v3_pool(WBTC, USDT, 100);
    let Some(pool) = pool else {
        panic!("no 0.01% WBTC/USDT pool");
    };
    let (r0, r1) = pool_reserves(&world, pool.address);
    // WBTC (0x2260…) sorts before USDT (0xdAC1…).
    assert_eq!((r0, r1), (U256::from(150_000_000u64), units(90_000, 6)));
}

#[test]
fn the_vault_is_funded_with_any_devnet_token_by_name() {
    let text = r#"
        [vault.tokens]
        WBTC = "2.5"
        stETH = 3
        WSTETH = 4
        sdai = 5000
        USDC = 10
    "#;
    let parsed = scenario(text);
    let world = world_of(&parsed);
    assert_eq!(balance(&world, WBTC, VAULT), U256::from(250_000_000u64));
    let steth = balance(&world, STETH, VAULT);
    // stETH balances come from shares: at most a wei off.
    assert!(
        steth >= units(3, 18) && steth <= units(3, 18) + U256::from(1),
        "{steth}"
    );
    assert_eq!(balance(&world, WSTETH, VAULT), units(4, 18));
    assert_eq!(balance(&world, SDAI, VAULT), units(5_000, 18));
    assert_eq!(balance(&world, USDC, VAULT), units(10, 6));
    // Tokens the table leaves out start at zero.
    for token in [USDT, DAI, WETH, FALSY, FOT] {
        assert_eq!(balance(&world, token, VAULT), U256::ZERO, "{token}");
    }

    let devnet = Devnet::new(&parsed).unwrap_or_else(|e| panic!("{e}"));
    let transfer = transfer_calldata(TRADER, U256::from(100_000_000u64));
    let payload = calls_payload(&[(WBTC, transfer)]);
    let report = run_on(&devnet, &payload, &RunContext::default());
    assert!(report.success);
    let wbtc = asset_change(&report, "WBTC");
    assert_eq!(
        (wbtc.before.as_str(), wbtc.after.as_str()),
        ("250000000", "150000000")
    );
}

#[test]
fn the_default_scenario_names_every_token() {
    let default = Scenario::default();
    for token in all_tokens() {
        assert!(
            default
                .vault_tokens
                .iter()
                .any(|(a, u)| *a == token.address && !u.is_zero()),
            "{}",
            token.symbol
        );
    }
}

#[test]
fn bad_pools_and_unknown_tokens_are_clear_errors() {
    let known = "USDC, USDT, DAI, WETH, WBTC, FALSY, FOT, stETH, wstETH, sDAI, steakUSDC";
    assert_eq!(
        scenario_error("[vault.tokens]\nPEPE = 1\n"),
        format!("unknown token `PEPE` in `[vault.tokens]`; the devnet has {known}")
    );
    assert_eq!(
        scenario_error("[vault.tokens]\nWBTC = 1\nwbtc = 2\n"),
        "`[vault.tokens]` names WBTC twice"
    );
    let pool = |body: &str| scenario_error(&format!("[[pool]]\n{body}\n"));
    assert_eq!(
        pool("kind = \"v3\"\ntokens = [\"USDC\", \"PEPE\"]\nfee = 500\nreserves = [1, 1]"),
        format!("unknown token `PEPE` in `pool[0].tokens`; the devnet has {known}")
    );
    assert_eq!(
        pool("kind = \"v3\"\ntokens = [\"USDC\", \"WETH\"]\nfee = 300\nreserves = [1, 1]"),
        "`pool[0].fee` = 300 is not a V3 fee tier (100, 500, 3000 or 10000)"
    );
    assert_eq!(
        pool("kind = \"v3\"\ntokens = [\"USDC\", \"WETH\"]\nreserves = [1, 1]"),
        "`pool[0].fee` is missing: a V3 pool needs a fee tier (100, 500, 3000 or 10000)"
    );
    assert_eq!(
        pool("kind = \"v2\"\ntokens = [\"USDC\", \"WETH\"]\nfee = 500\nreserves = [1, 1]"),
        "`pool[0].fee`: a V2 pair has no fee tier"
    );
    assert_eq!(
        pool("kind = \"v4\"\ntokens = [\"USDC\", \"WETH\"]\nreserves = [1, 1]"),
        "`pool[0].kind` = `v4` is not a pool kind (\"v2\" or \"v3\")"
    );
    assert_eq!(
        pool("kind = \"v2\"\ntokens = [\"USDC\", \"usdc\"]\nreserves = [1, 1]"),
        "`pool[0].tokens` names USDC twice"
    );
    assert_eq!(
        pool("kind = \"v2\"\ntokens = [\"USDC\"]\nreserves = [1, 1]"),
        "`pool[0].tokens` must name two tokens"
    );
    assert_eq!(
        pool("kind = \"v2\"\ntokens = [\"USDC\", \"WETH\"]\nreserves = [1, 0]"),
        "`pool[0].reserves[1]` must not be zero"
    );
    assert_eq!(
        pool("kind = \"v2\"\ntokens = [\"USDC\", \"WETH\"]\nreserves = [1]"),
        "`pool[0].reserves` must be two amounts, in whole tokens in the order of `tokens`"
    );
    let twice = "[[pool]]\nkind = \"v2\"\ntokens = [\"USDC\", \"WETH\"]\nreserves = [1, 1]\n\
                 [[pool]]\nkind = \"v2\"\ntokens = [\"WETH\", \"USDC\"]\nreserves = [2, 2]\n";
    assert_eq!(
        scenario_error(twice),
        "`pool[1]` names the same pool as an earlier `[[pool]]`"
    );
}

#[test]
fn the_scenario_in_the_book_parses_and_builds() {
    let page = include_str!("../../../../book/src/reference/report.md");
    let Some(block) = page
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
    else {
        panic!("no toml block in the book's report page");
    };
    let parsed = scenario(block);
    assert_eq!(parsed.pools.len(), 1);
    let world = world_of(&parsed);
    assert_eq!(balance(&world, WBTC, VAULT), U256::from(10_000_000u64));
    assert_eq!(balance(&world, DAI, VAULT), U256::ZERO);
}

#[test]
fn the_vault_can_hold_more_eth_than_the_deployer_had() {
    // 10^12 ETH: the deployer is topped up to pay it, whatever its own balance.
    let scenario = scenario("[vault]\neth = \"1000000000000\"\n");
    let world = world_of(&scenario);
    let want = U256::from(10u64).pow(U256::from(30u64));
    assert_eq!(world.balance(world.layout.vault), want);
}

#[test]
fn an_owner_without_eth_for_gas_is_refused_with_a_reason() {
    let e = Scenario::from_toml("[owner]\neth = 0\n").expect_err("refused");
    assert!(
        e.to_string().contains("pays for the transaction's gas"),
        "{e}"
    );
}

#[test]
fn pool_reserves_beyond_what_a_pool_can_hold_are_refused() {
    let text = "[[pool]]\ntokens = [\"USDC\", \"WETH\"]\nkind = \"v2\"\nreserves = [\"1000000000000000000000000000000\", 100]\n";
    let e = Scenario::from_toml(text).expect_err("refused");
    assert!(e.to_string().contains("too large"), "{e}");
}
