//! The strategies of `examples/`, each dry-run on the default devnet: its asset changes
//! (exact where they do not depend on prices, bounded where they do), its return values,
//! and no permission left behind. `dry_run.rs` checks every example for success and
//! gas; this file checks what each one does.

use alloy_primitives::{Address, Bytes, U256};
use nest_devnet::deploy::{World, SPEC, TX_GAS_LIMIT};
use nest_devnet::{Devnet, Report, RunContext, Scenario};
use nest_hyvm::{execute, Env, HyvmConfig, Transaction};
use nest_tests::compile_file;

/// 10^n, for amounts in base units.
fn e(n: u32) -> i128 {
    10i128.pow(n)
}

fn compile(file: &str, params: &[(&str, &str)]) -> (Vec<u8>, RunContext) {
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let c = compile_file(file, &params).unwrap_or_else(|f| panic!("{file}:\n{f}"));
    nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
        .unwrap_or_else(|v| panic!("{file}: unsafe: {v:?}"));
    let ctx = nest_tests::run_context(&c);
    (c.bytes, ctx)
}

fn dry_run(file: &str, params: &[(&str, &str)]) -> Report {
    let (bytes, ctx) = compile(file, params);
    let devnet = Devnet::new(&Scenario::default()).expect("devnet");
    devnet.dry_run(&bytes, &ctx).expect("dry run")
}

/// Runs `file` and asserts it succeeded and left no permission behind.
fn run_clean(file: &str, params: &[(&str, &str)]) -> Report {
    let r = dry_run(file, params);
    assert!(
        r.success,
        "{file} reverted: {:?}\n{}",
        r.revert,
        r.render(false)
    );
    assert!(
        r.allowances_left.is_empty(),
        "{file} left permissions: {:?}",
        r.allowances_left
    );
    r
}

/// Runs `file`, asserts it reverted and left the vault as it was (no asset change, no
/// permission left), and returns the revert reason.
fn revert_reason(file: &str, params: &[(&str, &str)]) -> String {
    let r = dry_run(file, params);
    assert!(!r.success, "{file} did not revert:\n{}", r.render(false));
    assert!(
        r.asset_changes.is_empty() && r.allowances_left.is_empty(),
        "{file} reverted yet reports changes {:?} and permissions {:?}",
        r.asset_changes,
        r.allowances_left
    );
    r.revert.expect("revert info").reason
}

/// The vault's change in `symbol`, in base units (0 when it did not change).
fn delta(r: &Report, symbol: &str) -> i128 {
    r.asset_changes
        .iter()
        .find(|a| a.symbol == symbol)
        .map(|a| {
            a.delta
                .parse()
                .unwrap_or_else(|_| panic!("delta of {symbol}: {}", a.delta))
        })
        .unwrap_or(0)
}

/// The symbols whose balance changed, in report order.
fn changed(r: &Report) -> Vec<&str> {
    r.asset_changes.iter().map(|a| a.symbol.as_str()).collect()
}

/// The script's return values as integers.
fn returns(r: &Report) -> Vec<i128> {
    let values = r.return_values.as_ref().expect("typed return values");
    values
        .iter()
        .map(|v| {
            let text = v.to_string();
            let text = text.trim_matches('"');
            text.parse()
                .unwrap_or_else(|_| panic!("return value {text}"))
        })
        .collect()
}

/// Whether `to` is a precompile (the code generator may copy memory with the identity
/// precompile, 0x04): not one of the protocol calls a script is written to make.
fn is_precompile(to: &str) -> bool {
    to.parse::<Address>()
        .is_ok_and(|a| a.as_slice()[..19].iter().all(|b| *b == 0) && a.as_slice()[19] <= 0x11)
}

/// The calls the script made itself, as `Name.function` (`USDC.approve`), precompiles
/// left out.
fn top_calls(r: &Report) -> Vec<String> {
    r.calls
        .iter()
        .filter(|c| !is_precompile(&c.to))
        .map(|c| {
            let name = c.name.clone().unwrap_or_else(|| c.to.clone());
            let function = c
                .signature
                .as_deref()
                .and_then(|s| s.split('(').next())
                .unwrap_or("?");
            format!("{name}.{function}")
        })
        .collect()
}

#[test]
fn v3_multihop_swap_quotes_and_routes_through_weth() {
    let r = run_clean("examples/v3_multihop_swap.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "DAI"]);
    assert_eq!(delta(&r, "USDC"), -10_000 * e(6));
    let dai = delta(&r, "DAI");
    assert!(
        dai > 9_900 * e(18) && dai < 10_000 * e(18),
        "DAI delta {dai}"
    );
    // The quote is exact on an unchanged pool: the swap receives what QuoterV2 said.
    assert_eq!(returns(&r), [dai, dai]);
    // Two hops, one allowance revoked, WETH only passing through.
    assert_eq!(delta(&r, "WETH"), 0);
    assert_eq!(
        top_calls(&r),
        [
            "QuoterV2.quoteExactInput",
            "DAI.balanceOf",
            "USDC.approve",
            "SwapRouter02.exactInput",
            "USDC.approve",
            "DAI.balanceOf"
        ]
    );
}

#[test]
fn v3_multihop_swap_refuses_an_impossible_bound_when_compiling() {
    // Parameters are baked in, so a slippage allowance above 100% underflows at
    // compile time: the compiler refuses a script that would always revert.
    let params = vec![("max_slippage_bps".to_string(), "10001".to_string())];
    let failed = compile_file("examples/v3_multihop_swap.ns", &params)
        .err()
        .expect("must not compile");
    assert!(
        failed.diagnostics.iter().any(|d| d.code == "E0316"),
        "{failed}"
    );
}

#[test]
fn sdai_zap_swaps_then_deposits_at_the_vault_price() {
    let r = run_clean("examples/sdai_zap.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "sDAI"]);
    assert_eq!(delta(&r, "USDC"), -50_000 * e(6));
    // Every DAI bought is deposited.
    assert_eq!(delta(&r, "DAI"), 0);
    let [dai, shares] = returns(&r)[..] else {
        panic!("two return values")
    };
    assert!(dai >= 49_750 * e(18) && dai < 50_000 * e(18), "DAI {dai}");
    assert_eq!(delta(&r, "sDAI"), shares);
    // The devnet's sDAI is seeded at 1.1 DAI per share, rounding down.
    assert_eq!(shares, dai * 10 / 11);
}

#[test]
fn aave_supply_borrow_reports_the_pools_own_health_factor() {
    let r = run_clean("examples/aave_supply_borrow.ns", &[]);
    assert_eq!(delta(&r, "WETH"), -10 * e(18));
    assert_eq!(delta(&r, "aEthWETH"), 10 * e(18));
    assert_eq!(delta(&r, "USDC"), 12_000 * e(6));
    assert_eq!(delta(&r, "variableDebtEthUSDC"), 12_000 * e(6));
    // 10 WETH at 3,000 USD, 12,000 USD of debt (8 decimals), health factor
    // 30,000 × 0.83 / 12,000 = 2.075 (18 decimals).
    assert_eq!(returns(&r), [30_000 * e(8), 12_000 * e(8), 2_075 * e(15)]);
}

#[test]
fn aave_supply_borrow_refuses_a_thin_position() {
    let reason = revert_reason(
        "examples/aave_supply_borrow.ns",
        &[("borrow", "20000 USDC")],
    );
    assert_eq!(reason, "health factor too low");
}

#[test]
fn aave_leverage_loop_levers_up_within_its_health_floor() {
    let r = run_clean("examples/aave_leverage_loop.ns", &[]);
    assert_eq!(changed(&r), ["WETH", "aEthWETH", "variableDebtEthUSDC"]);
    assert_eq!(delta(&r, "WETH"), -10 * e(18));
    // Every USDC borrowed was swapped: none stays in the vault.
    assert_eq!(delta(&r, "USDC"), 0);
    let collateral = delta(&r, "aEthWETH");
    let debt = delta(&r, "variableDebtEthUSDC");
    // Three rounds at 80% of the room left: about 2.6× the initial WETH.
    assert!(
        collateral > 25 * e(18) && collateral < 28 * e(18),
        "aWETH {collateral}"
    );
    assert!(debt > 45_000 * e(6) && debt < 52_000 * e(6), "debt {debt}");
    let [collateral_base, debt_base, health] = returns(&r)[..] else {
        panic!("three return values")
    };
    assert_eq!(collateral_base, collateral * 3_000 / e(10));
    assert_eq!(debt_base, debt * 100);
    assert!(
        health >= 1_200 * e(15) && health < 1_500 * e(15),
        "health {health}"
    );
    // One supply to start, then borrow, swap and supply once per round.
    let calls = top_calls(&r);
    assert_eq!(
        calls.iter().filter(|c| *c == "AavePool.supply").count(),
        4,
        "{calls:?}"
    );
    assert_eq!(
        calls.iter().filter(|c| *c == "AavePool.borrow").count(),
        3,
        "{calls:?}"
    );
    assert_eq!(
        calls
            .iter()
            .filter(|c| *c == "SwapRouter02.exactInputSingle")
            .count(),
        3,
        "{calls:?}"
    );
}

#[test]
fn aave_leverage_unwind_is_a_no_op_without_a_position() {
    let r = run_clean("examples/aave_leverage_unwind.ns", &[]);
    assert!(r.asset_changes.is_empty(), "{:?}", r.asset_changes);
    assert_eq!(returns(&r), [0, 0]);
    assert_eq!(
        top_calls(&r),
        [
            "AaveProtocolDataProvider.getUserReserveData",
            "AaveProtocolDataProvider.getUserReserveData"
        ]
    );
}

/// The block the devnet's dry runs execute in.
fn env_of(devnet: &Devnet, scenario: &Scenario) -> Env {
    let block = &devnet.world().block;
    Env {
        block_number: scenario.block_number,
        timestamp: scenario.timestamp,
        chain_id: scenario.chain_id,
        basefee: block.basefee,
        coinbase: block.beneficiary,
        gas_limit: block.gas_limit,
        spec: SPEC,
        ..Env::default()
    }
}

/// Runs a payload as the owner would and keeps its effects in `world`.
fn send(world: &mut World, env: &Env, payload: &[u8]) -> bool {
    let cfg = HyvmConfig {
        address: world.layout.hyvm,
        ..HyvmConfig::default()
    };
    let tx = Transaction {
        from: world.layout.vault_owner,
        vault: world.layout.vault,
        payload: Bytes::copy_from_slice(payload),
        value: U256::ZERO,
        gas_limit: TX_GAS_LIMIT,
    };
    execute(&mut world.db, env, &cfg, &tx, true)
        .expect("execute")
        .success
}

/// `token.balanceOf(vault)` on `world`.
fn balance_of(world: &World, token: &str) -> U256 {
    let token: Address = token.parse().expect("token address");
    let mut data = vec![0x70, 0xa0, 0x82, 0x31];
    data.extend_from_slice(&[0u8; 12]);
    data.extend_from_slice(world.layout.vault.as_slice());
    let out = world.view(token, data).expect("balanceOf");
    U256::from_be_slice(&out)
}

#[test]
fn aave_leverage_unwind_closes_the_loops_position() {
    // The loop's report names the aToken and the debt token it touched.
    let lever = run_clean("examples/aave_leverage_loop.ns", &[]);
    let token_of = |symbol: &str| {
        lever
            .asset_changes
            .iter()
            .find(|a| a.symbol == symbol)
            .map(|a| a.token.clone())
            .expect(symbol)
    };
    let (a_weth, debt_usdc) = (token_of("aEthWETH"), token_of("variableDebtEthUSDC"));

    // Run the loop, then the unwind, on one chain.
    let scenario = Scenario::default();
    let devnet = Devnet::new(&scenario).expect("devnet");
    let env = env_of(&devnet, &scenario);
    let mut world = devnet.world().clone();
    let (loop_payload, _) = compile("examples/aave_leverage_loop.ns", &[]);
    let (unwind_payload, _) = compile("examples/aave_leverage_unwind.ns", &[]);
    assert!(send(&mut world, &env, &loop_payload), "the loop reverted");
    assert!(balance_of(&world, &debt_usdc) > U256::ZERO);
    assert!(
        send(&mut world, &env, &unwind_payload),
        "the unwind reverted"
    );
    assert_eq!(balance_of(&world, &a_weth), U256::ZERO, "collateral left");
    assert_eq!(balance_of(&world, &debt_usdc), U256::ZERO, "debt left");

    // A debt above `max_repay` stops the unwind before it touches anything.
    let mut world = devnet.world().clone();
    let (small, _) = compile(
        "examples/aave_leverage_unwind.ns",
        &[("max_repay", "1000 USDC")],
    );
    assert!(send(&mut world, &env, &loop_payload));
    assert!(
        !send(&mut world, &env, &small),
        "the unwind repaid above its cap"
    );
}

#[test]
fn rebalance_basket_trims_each_stablecoin_into_weth() {
    let r = run_clean("examples/rebalance_basket.ns", &[]);
    // 10% of each 1,000,000 balance, whatever the token's decimals.
    assert_eq!(delta(&r, "USDC"), -100_000 * e(6));
    assert_eq!(delta(&r, "USDT"), -100_000 * e(6));
    assert_eq!(delta(&r, "DAI"), -100_000 * e(18));
    let weth = delta(&r, "WETH");
    // 300,000 USD at 3,000 USD per ETH, less fees and price impact.
    assert!(weth > 98 * e(18) && weth < 100 * e(18), "WETH {weth}");
    assert_eq!(returns(&r), [3, weth]);
    // Each run-time allowance is revoked from the journal, newest first, at the end.
    let calls = top_calls(&r);
    let tail: Vec<&str> = calls.iter().rev().take(3).map(String::as_str).collect();
    assert_eq!(tail, ["USDC.approve", "USDT.approve", "DAI.approve"]);
}

#[test]
fn rebalance_basket_with_nothing_to_trim_changes_nothing() {
    let r = run_clean("examples/rebalance_basket.ns", &[("trim_bps", "0")]);
    assert!(r.asset_changes.is_empty(), "{:?}", r.asset_changes);
    assert_eq!(returns(&r), [0, 0]);
    assert!(!top_calls(&r).iter().any(|c| c.ends_with(".approve")));
}

#[test]
fn lido_stake_turns_weth_into_wsteth() {
    let r = run_clean("examples/lido_stake.ns", &[]);
    assert_eq!(delta(&r, "WETH"), -25 * e(18));
    // The ETH unwrapped is all staked.
    assert_eq!(delta(&r, "ETH"), 0);
    let [staked, wrapped] = returns(&r)[..] else {
        panic!("two return values")
    };
    // stETH rounds its balances down by a wei or two.
    assert!(
        staked <= 25 * e(18) && staked >= 25 * e(18) - 2,
        "staked {staked}"
    );
    assert_eq!(delta(&r, "wstETH"), wrapped);
    // 1.175 stETH per wstETH on the devnet.
    assert!(
        (wrapped - staked * 1_000 / 1_175).abs() <= 1,
        "wrapped {wrapped}"
    );
    assert!(
        delta(&r, "stETH").abs() <= 2,
        "stETH dust {}",
        delta(&r, "stETH")
    );
}

#[test]
fn v2_add_liquidity_mints_lp_tokens_at_the_pool_ratio() {
    let r = run_clean("examples/v2_add_liquidity.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "WETH", "UNI-V2"]);
    let [usdc, weth, lp] = returns(&r)[..] else {
        panic!("three return values")
    };
    assert_eq!(usdc, 30_000 * e(6));
    assert_eq!(delta(&r, "USDC"), -usdc);
    assert_eq!(delta(&r, "WETH"), -weth);
    // 30,000 USD of USDC is matched by 10 WETH at 3,000 USD.
    assert!(
        weth > 10 * e(18) - e(9) && weth <= 10 * e(18),
        "WETH {weth}"
    );
    assert!(lp > 0);
    assert_eq!(delta(&r, "UNI-V2"), lp);
}

#[test]
fn stable_swap_fills_near_par() {
    let r = run_clean("examples/stable_swap.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "USDT"]);
    assert_eq!(delta(&r, "USDC"), -50_000 * e(6));
    let usdt = delta(&r, "USDT");
    assert!(usdt >= 49_900 * e(6) && usdt < 50_000 * e(6), "USDT {usdt}");
    assert_eq!(returns(&r), [usdt]);
}

#[test]
fn stable_swap_refuses_a_rate_below_its_floor() {
    // 250,000 USDC moves the 50M-deep pool by about 0.5%, below the 99.8% floor.
    let reason = revert_reason("examples/stable_swap.ns", &[("amount", "250000 USDC")]);
    assert_eq!(reason, "Too little received");
}

#[test]
fn nft_operator_approval_is_revoked_at_the_end() {
    let r = run_clean("examples/nft_operator_approval.ns", &[]);
    assert!(r.asset_changes.is_empty());
    assert_eq!(returns(&r), [3]);
    assert_eq!(
        top_calls(&r),
        [
            "DevNFT.ownerOf",
            "DevNFT.setApprovalForAll",
            "DevNFT.isApprovedForAll",
            "DevNFT.balanceOf",
            "DevNFT.setApprovalForAll"
        ]
    );
    // Granted, then revoked by the compiler's call: both events are on the chain.
    let approvals: Vec<String> = r
        .events
        .iter()
        .filter(|e| {
            e.event
                .as_deref()
                .is_some_and(|s| s.starts_with("ApprovalForAll"))
        })
        .map(|e| {
            e.args
                .as_ref()
                .and_then(|a| a.last())
                .map(|v| format!("{:?}", v))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(approvals.len(), 2, "{approvals:?}");
    assert!(
        approvals[0].contains("true") && approvals[1].contains("false"),
        "{approvals:?}"
    );
}

#[test]
fn nft_operator_approval_checks_ownership() {
    // The vault owns ids 1 to 3 only.
    let r = dry_run("examples/nft_operator_approval.ns", &[("token_id", "4")]);
    assert!(!r.success);
    assert!(r.allowances_left.is_empty());
}

#[test]
fn dca_slice_buys_below_the_ceiling() {
    let r = run_clean("examples/dca_slice.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "WETH"]);
    assert_eq!(delta(&r, "USDC"), -2_000 * e(6));
    let [price, bought] = returns(&r)[..] else {
        panic!("two return values")
    };
    assert_eq!(delta(&r, "WETH"), bought);
    // 3,000 USD per ETH plus the 0.05% fee and a little impact.
    assert!(
        price > 3_000 * e(6) && price < 3_010 * e(6),
        "price {price}"
    );
    assert_eq!(price, 2_000 * e(6) * e(18) / bought);
}

#[test]
fn dca_slice_skips_when_eth_is_too_expensive() {
    let reason = revert_reason("examples/dca_slice.ns", &[("max_price", "2900 USDC")]);
    assert_eq!(reason, "price above max");
}

#[test]
fn permit2_payment_pulls_and_revokes_both_allowances() {
    let r = run_clean("examples/permit2_payment.ns", &[]);
    assert_eq!(changed(&r), ["USDC"]);
    assert_eq!(delta(&r, "USDC"), -1_500 * e(6));
    // 500 USDC of the 2,000 cap was still pullable before the revocations ran.
    assert_eq!(returns(&r), [500 * e(6)]);
    let calls = top_calls(&r);
    assert_eq!(
        calls[calls.len() - 2..],
        ["Permit2.approve", "USDC.approve"],
        "{calls:?}"
    );
}

#[test]
fn permit2_payment_refuses_more_than_the_cap() {
    let reason = revert_reason("examples/permit2_payment.ns", &[("amount", "2500 USDC")]);
    assert_eq!(reason, "amount above cap");
}

#[test]
fn best_fee_tier_swaps_in_the_better_pool() {
    let r = run_clean("examples/best_fee_tier.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "WETH"]);
    assert_eq!(delta(&r, "USDC"), -20_000 * e(6));
    let weth = delta(&r, "WETH");
    // Both pools are as deep; the 0.05% one charges less, so it wins.
    assert_eq!(returns(&r), [500, weth, weth]);
    let calls = top_calls(&r);
    assert_eq!(
        calls
            .iter()
            .filter(|c| *c == "QuoterV2.quoteExactInputSingle")
            .count(),
        2,
        "{calls:?}"
    );
}

#[test]
fn curve_3pool_swap_fills_at_the_pools_quote() {
    let r = run_clean("examples/curve_3pool_swap.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "USDT"]);
    assert_eq!(delta(&r, "USDC"), -250_000 * e(6));
    let usdt = delta(&r, "USDT");
    // 250,000 into a 150M-deep 3pool at A = 2000: all but the 0.04% fee and a sliver.
    assert!(
        usdt > 249_850 * e(6) && usdt < 249_900 * e(6),
        "USDT {usdt}"
    );
    // Nothing moved between quote and fill: the pool paid exactly what get_dy said.
    assert_eq!(returns(&r), [usdt, usdt]);
    assert_eq!(
        top_calls(&r),
        [
            "Curve3Pool.get_dy",
            "USDT.balanceOf",
            "USDC.approve",
            "Curve3Pool.exchange",
            "USDC.approve",
            "USDT.balanceOf"
        ]
    );
}

#[test]
fn compound_v3_supply_borrows_usdc_against_weth() {
    let r = run_clean("examples/compound_v3_supply.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "WETH"]);
    assert_eq!(delta(&r, "WETH"), -10 * e(18));
    assert_eq!(delta(&r, "USDC"), 12_000 * e(6));
    let values = returns(&r);
    assert_eq!(values[..2], [12_000 * e(6), 10 * e(18)]);
    // The borrow rate at the market's utilization: positive, under 10% a year per second.
    assert!(
        values[2] > 0 && values[2] < e(17) / 31_536_000,
        "rate {}",
        values[2]
    );
}

#[test]
fn compound_v3_supply_refuses_debt_beyond_the_collateral_or_the_cap() {
    // 10 WETH at 3,000 USD with an 82.5% borrow factor cover 24,750 USDC.
    let reason = revert_reason(
        "examples/compound_v3_supply.ns",
        &[("borrow", "25000 USDC"), ("max_debt", "30000 USDC")],
    );
    assert_eq!(reason, "NotCollateralized()");
    let reason = revert_reason(
        "examples/compound_v3_supply.ns",
        &[("borrow", "16000 USDC")],
    );
    assert_eq!(reason, "debt above the cap");
}

#[test]
fn morpho_borrow_pledges_weth_and_borrows_usdc() {
    let r = run_clean("examples/morpho_borrow.ns", &[]);
    assert_eq!(changed(&r), ["USDC", "WETH"]);
    assert_eq!(delta(&r, "WETH"), -10 * e(18));
    assert_eq!(delta(&r, "USDC"), 15_000 * e(6));
    // The position read back by the market id the script hashed holds the collateral.
    assert_eq!(returns(&r), [15_000 * e(6), 10 * e(18)]);
}

#[test]
fn morpho_borrow_refuses_a_high_ltv_and_an_uncovered_borrow() {
    // 20,000 USDC against 30,000 USD of WETH is 66.7%, above the 60% default.
    let reason = revert_reason("examples/morpho_borrow.ns", &[("borrow", "20000 USDC")]);
    assert_eq!(reason, "LTV too high");
    // Above the market's own 86% LLTV, Morpho refuses before the script's check.
    let reason = revert_reason(
        "examples/morpho_borrow.ns",
        &[("borrow", "26000 USDC"), ("max_ltv_bps", "9000")],
    );
    assert_eq!(reason, "insufficient collateral");
}

/// The complete scripts (```ns blocks) of a Markdown page.
fn ns_blocks(md: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
        if let Some(mut text) = current.take() {
            if line.trim_start().starts_with("```") {
                blocks.push(text);
            } else {
                text.push_str(line);
                text.push('\n');
                current = Some(text);
            }
        } else if line.trim() == "```ns" {
            current = Some(String::new());
        }
    }
    blocks
}

/// The strategies the cookbook walks through.
const COOKBOOK: [&str; 16] = [
    "v3_multihop_swap",
    "stable_swap",
    "best_fee_tier",
    "dca_slice",
    "sdai_zap",
    "lido_stake",
    "v2_add_liquidity",
    "aave_supply_borrow",
    "aave_leverage_loop",
    "aave_leverage_unwind",
    "rebalance_basket",
    "nft_operator_approval",
    "permit2_payment",
    "curve_3pool_swap",
    "compound_v3_supply",
    "morpho_borrow",
];

#[test]
fn cookbook_scripts_are_the_examples() {
    // The cookbook pastes each strategy whole: every complete script there must be an
    // example, byte for byte, so the book cannot drift from what the tests run.
    let examples: Vec<(String, String)> = nest_tests::files("examples", "ns")
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(nest_tests::root().join(&f)).expect("example");
            (f, text)
        })
        .collect();
    let mut shown = Vec::new();
    for page in nest_tests::files("book/src/cookbook", "md") {
        let md = std::fs::read_to_string(nest_tests::root().join(&page)).expect("page");
        for block in ns_blocks(&md) {
            let found = examples.iter().find(|(_, text)| *text == block);
            let (file, _) = found
                .unwrap_or_else(|| panic!("{page}: a script that is not in examples/:\n{block}"));
            shown.push(file.clone());
        }
    }
    for name in COOKBOOK {
        let path = format!("examples/{name}.ns");
        assert!(shown.contains(&path), "{path} is not in the cookbook");
    }
}
