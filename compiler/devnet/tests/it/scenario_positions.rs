//! Scenario-seeded positions and prices: `[aave]`, `[[compound]]`, `[[morpho]]`,
//! `[[liquidity]]` and `[prices]` open the vault's positions and price the devnet's oracles
//! and pools before any run, and a payload repays a seeded debt.

use crate::support::*;

sol! {
    interface IComet {
        function borrowBalanceOf(address account) external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function collateralBalanceOf(address account, address asset) external view returns (uint128);
        function getPrice(address asset) external view returns (uint256);
    }
    interface IMorphoReads {
        function position(bytes32 id, address user) external view returns (uint256, uint128, uint128);
    }
    interface IPool {
        function isUsingAsCollateral(address user, address asset) external view returns (bool);
    }
}

const COMET_USDC: Address = address!("c3d688B66703497DAA19211EEdff47f25384cdc3");

fn devnet_with(text: &str) -> Devnet {
    Devnet::new(&scenario(text)).unwrap_or_else(|e| panic!("{e}"))
}

fn open_error(text: &str) -> String {
    match Devnet::new(&scenario(text)) {
        Err(DevnetError::Scenario(message)) => message,
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("opened an impossible position: {text}"),
    }
}

#[test]
fn an_aave_position_is_the_vaults_and_the_loan_is_not_in_its_balance() {
    let text = "[aave]\nsupply = { WETH = 10 }\nborrow = { USDC = 15_000 }\n";
    let devnet = devnet_with(text);
    let world = devnet.world();
    // 10 WETH at 3,000 USD and 15,000 USD of debt, in Aave's base currency (8 decimals).
    let account = aave_account(world, VAULT);
    assert_eq!(
        account._0,
        U256::from(30_000u64) * U256::from(100_000_000u64)
    );
    assert_eq!(
        account._1,
        U256::from(15_000u64) * U256::from(100_000_000u64)
    );
    // Health factor: 30,000 × 83% / 15,000 = 1.66.
    assert_eq!(account._5, U256::from(1_660_000_000_000_000_000u64));
    // The vault's balances are the scenario's (the default ones here): the loan went to the
    // deployer, the supplied WETH was not the vault's.
    let default = Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("{e}"));
    for token in [USDC, WETH] {
        assert_eq!(
            balance(world, token, VAULT),
            balance(default.world(), token, VAULT)
        );
    }
    // Nothing of the vault's is left approved to the pool.
    for token in [USDC, WETH] {
        let allowance = view(
            world,
            token,
            IToken::allowanceCall {
                owner: VAULT,
                spender: AAVE_V3_POOL,
            },
        );
        assert_eq!(allowance, U256::ZERO);
    }
}

#[test]
fn a_payload_repays_a_seeded_aave_debt_and_the_report_shows_it() {
    let devnet = devnet_with("[aave]\nsupply = { WETH = 10 }\nborrow = { USDC = 15_000 }\n");
    let amount = U256::from(5_000_000_000u64);
    let repay = IAave::repayCall {
        asset: USDC,
        amount,
        interestRateMode: U256::from(2),
        onBehalfOf: VAULT,
    };
    let payload = calls_payload(&[
        (USDC, approve_calldata(AAVE_V3_POOL, amount)),
        (AAVE_V3_POOL, repay.abi_encode()),
        (USDC, approve_calldata(AAVE_V3_POOL, U256::ZERO)),
    ]);
    let report = run_on(&devnet, &payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    let debt = report
        .position_changes
        .iter()
        .find(|c| c.protocol == "aave-v3" && c.asset == "USDC" && c.kind == "debt")
        .unwrap_or_else(|| panic!("no debt change: {}", report.render(false)));
    assert_eq!(
        (
            debt.before.as_str(),
            debt.after.as_str(),
            debt.delta.as_str()
        ),
        ("15000000000", "10000000000", "-5000000000")
    );
    assert_eq!(
        (&debt.health_factor_before, &debt.health_factor_after),
        (
            &Some(Some("1660000000000000000".to_string())),
            &Some(Some("2490000000000000000".to_string()))
        )
    );
}

#[test]
fn aave_collateral_flags_are_set() {
    let text = "[aave]\nsupply = { WETH = 10, USDC = 1_000 }\ncollateral = { USDC = false }\n";
    let world = devnet_with(text).world().clone();
    let using = |asset| {
        view(
            &world,
            AAVE_V3_POOL,
            IPool::isUsingAsCollateralCall { user: VAULT, asset },
        )
    };
    assert!(using(WETH));
    assert!(!using(USDC));
    // Only the WETH counts as collateral.
    assert_eq!(
        aave_account(&world, VAULT)._0,
        U256::from(30_000u64) * U256::from(100_000_000u64)
    );
}

#[test]
fn a_compound_position_has_collateral_and_a_borrow() {
    let text = "[[compound]]\nmarket = \"USDC\"\ncollateral = { WETH = 5 }\nborrow = 4_000\n";
    let world = devnet_with(text).world().clone();
    let borrowed = view(
        &world,
        COMET_USDC,
        IComet::borrowBalanceOfCall { account: VAULT },
    );
    assert_eq!(borrowed, U256::from(4_000_000_000u64));
    let collateral = view(
        &world,
        COMET_USDC,
        IComet::collateralBalanceOfCall {
            account: VAULT,
            asset: WETH,
        },
    );
    assert_eq!(collateral, 5_000_000_000_000_000_000u128);
}

#[test]
fn a_morpho_position_has_supply_collateral_and_a_borrow() {
    let text = "[[morpho]]\nmarket = \"WETH/USDC\"\nsupply = 100\ncollateral = 5\nborrow = 4_000\n";
    let devnet = devnet_with(text);
    let world = devnet.world();
    let market = world
        .layout
        .morpho_markets
        .iter()
        .find(|m| m.loan_token == USDC && m.collateral_token == WETH)
        .expect("the WETH/USDC market");
    let position = view(
        world,
        world.layout.morpho,
        IMorphoReads::positionCall {
            id: market.id,
            user: VAULT,
        },
    );
    // Morpho's virtual shares: a million shares per unit of asset at the start.
    assert_eq!(
        position._0,
        U256::from(100_000_000u64) * U256::from(1_000_000u64)
    );
    assert_eq!(position._1, 4_000_000_000u128 * 1_000_000);
    assert_eq!(position._2, 5_000_000_000_000_000_000u128);
}

#[test]
fn liquidity_mints_lp_shares_to_the_vault() {
    let text = "[[liquidity]]\ntokens = [\"USDC\", \"WETH\"]\namounts = [30_000, 10]\n";
    let world = devnet_with(text).world().clone();
    let pair = v2_pair(&world, USDC, WETH);
    assert!(balance(&world, pair, VAULT) > U256::ZERO);
    let default = Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(balance(default.world(), pair, VAULT), U256::ZERO);
}

#[test]
fn prices_move_oracles_and_pools() {
    let text = "[prices]\nWETH = 2_000\nWBTC = \"50000.5\"\n[aave]\nsupply = { WETH = 1 }\n";
    let world = devnet_with(text).world().clone();
    // Aave's oracle: 1 WETH is 2,000 USD of collateral.
    assert_eq!(
        aave_account(&world, VAULT)._0,
        U256::from(2_000u64) * U256::from(100_000_000u64)
    );
    // Comet's price feed: WBTC at 50,000.5 USD (8 decimals).
    let wbtc = view(&world, COMET_USDC, IComet::getPriceCall { asset: WBTC });
    assert_eq!(wbtc, U256::from(5_000_050_000_000u64));
    // The USDC/WETH 0.05% pool holds 2,000 USDC per WETH.
    let (r0, r1) = pool_reserves(&world, v3_pool(&world, USDC, WETH, 500));
    let (usdc, weth) = if USDC < WETH { (r0, r1) } else { (r1, r0) };
    let price = usdc * U256::from(10u64).pow(U256::from(12)) / weth;
    assert_eq!(price, U256::from(2_000u64));
}

#[test]
fn an_impossible_position_names_the_scenario_key_and_the_protocols_reason() {
    let message = open_error("[aave]\nsupply = { WETH = 1 }\nborrow = { USDC = 10_000 }\n");
    assert!(message.contains("`aave.borrow.USDC`"), "{message}");
    assert!(
        message.contains("COLLATERAL_CANNOT_COVER_NEW_BORROW"),
        "{message}"
    );
    let message = open_error("[[morpho]]\nmarket = \"WETH/USDC\"\nborrow = 10\n");
    assert!(message.contains("morpho.WETH/USDC.borrow"), "{message}");
}

#[test]
fn bad_position_sections_are_refused() {
    for (text, expected) in [
        ("[aave]\nsupply = { DOGE = 1 }\n", "unknown token `DOGE`"),
        (
            "[aave]\nsupply = { WETH = 1 }\ncollateral = { USDC = false }\n",
            "supplies no USDC to Aave",
        ),
        (
            "[[compound]]\nmarket = \"USDC\"\nsupply = 1\nborrow = 1\n",
            "not both",
        ),
        ("[[morpho]]\nmarket = \"WETH-USDC\"\n", "COLLATERAL/LOAN"),
        (
            "[[liquidity]]\ntokens = [\"USDC\"]\namounts = [1]\n",
            "two `tokens`",
        ),
        ("[prices]\nSDAI = 2\n", "follows its exchange rate"),
        ("[prices]\nUSDC = 0\n", "must not be zero"),
    ] {
        let message = scenario_error(text);
        assert!(message.contains(expected), "{text}: {message}");
    }
    let message = open_error("[[morpho]]\nmarket = \"WBTC/USDC\"\ncollateral = 1\n");
    assert!(message.contains("no Morpho market"), "{message}");
}

sol! {
    struct AccrueParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }
    interface IMorphoAccrue {
        function accrueInterest(AccrueParams marketParams) external;
    }
}

#[test]
fn advancing_the_clock_accrues_a_seeded_morpho_debt() {
    let text = "[[morpho]]\nmarket = \"WETH/USDC\"\ncollateral = 10\nborrow = 10_000\n";
    let mut devnet = devnet_with(text);
    let world = devnet.world().clone();
    let market = *world
        .layout
        .morpho_markets
        .iter()
        .find(|m| m.loan_token == USDC && m.collateral_token == WETH)
        .expect("the WETH/USDC market");
    let accrue = IMorphoAccrue::accrueInterestCall {
        marketParams: AccrueParams {
            loanToken: market.loan_token,
            collateralToken: market.collateral_token,
            oracle: market.oracle,
            irm: market.irm,
            lltv: market.lltv,
        },
    };
    let payload = calls_payload(&[(world.layout.morpho, accrue.abi_encode())]);
    let debt_delta = |devnet: &Devnet| {
        let report = run_on(devnet, &payload, &RunContext::default());
        assert!(report.success, "{}", report.render(false));
        report
            .position_changes
            .iter()
            .find(|c| c.protocol == "morpho-blue" && c.kind == "debt")
            .map(|c| c.delta.parse::<u128>().expect("a positive delta"))
    };
    // Nothing accrues within the block the position was opened in.
    assert_eq!(debt_delta(&devnet), None);
    // A year later, the fixed 5% a year (simple interest) is owed: 500 USDC, to a unit.
    devnet.advance(365 * 24 * 3600, 365 * 7200);
    let grown = debt_delta(&devnet).expect("the debt grew");
    assert!(
        (499_999_000..=500_000_000).contains(&grown),
        "debt grew by {grown}"
    );
}

#[test]
fn advancing_the_clock_accrues_a_seeded_aave_debt() {
    let mut devnet = devnet_with("[aave]\nsupply = { WETH = 10 }\nborrow = { USDC = 10_000 }\n");
    let (_, debt_token) = aave_reserve_tokens(devnet.world(), USDC);
    let debt = |devnet: &Devnet| balance(devnet.world(), debt_token, VAULT);
    assert_eq!(debt(&devnet), U256::from(10_000_000_000u64));
    // A year at the devnet's fixed 5% (simple interest): 10,500 USDC owed, to a unit (the
    // per-second rate is rounded down).
    devnet.advance(365 * 24 * 3600, 365 * 7200);
    let owed = debt(&devnet);
    assert!(
        (U256::from(10_499_999_999u64)..=U256::from(10_500_000_000u64)).contains(&owed),
        "{owed}"
    );
    // Repaying everything (type(uint256).max) clears the debt, interest included.
    let repay = IAave::repayCall {
        asset: USDC,
        amount: U256::MAX,
        interestRateMode: U256::from(2),
        onBehalfOf: VAULT,
    };
    let payload = calls_payload(&[
        (USDC, approve_calldata(AAVE_V3_POOL, U256::MAX)),
        (AAVE_V3_POOL, repay.abi_encode()),
        (USDC, approve_calldata(AAVE_V3_POOL, U256::ZERO)),
    ]);
    let report = devnet
        .run_and_commit(&payload, &RunContext::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.success, "{}", report.render(false));
    assert_eq!(asset_change(&report, "USDC").delta, format!("-{owed}"));
    assert_eq!(debt(&devnet), U256::ZERO);
}
