//! The cost comparison of `tests/compare/`, run once: every variant of every strategy the
//! devnet can run succeeds, all three end with the same balances, and none leaves an
//! allowance behind. The cost targets are tracked by the benchmark, not asserted here.

// Shared with the benchmark, which uses parts the test does not.
#[allow(dead_code)]
#[path = "../../compare/measure.rs"]
mod measure;
#[allow(dead_code)]
#[path = "../../compare/profile.rs"]
mod profile;

use alloy_primitives::{Address, U256};
use measure::{Comparison, Strategy, Variant};
use nest_devnet::addresses::{DAI, USDC, WETH};
use nest_devnet::RunContext;

fn compare(strategy: &Strategy) -> Option<Comparison> {
    let (devnet, env) = measure::devnet().unwrap_or_else(|e| panic!("{e}"));
    if !measure::available(&devnet, strategy) {
        eprintln!(
            "{}: skipped, the devnet lacks a contract it needs",
            strategy.name
        );
        return None;
    }
    let comparison = measure::compare(&devnet, &env, strategy).unwrap_or_else(|e| panic!("{e}"));
    eprint!("{}", measure::render(std::slice::from_ref(&comparison)));
    Some(comparison)
}

fn assert_same_outcome(c: &Comparison) {
    let name = c.strategy.name;
    assert_eq!(c.runs.len(), 3);
    for run in &c.runs {
        assert!(
            run.success,
            "{name}, {}: {:?}",
            run.variant.name(),
            run.failure
        );
        assert!(
            run.allowances_left.is_empty(),
            "{name}, {}: {:?}",
            run.variant.name(),
            run.allowances_left
        );
    }
    let native = c
        .run(Variant::Native)
        .unwrap_or_else(|| panic!("no native run"));
    for run in &c.runs {
        assert_eq!(
            run.balances,
            native.balances,
            "{name}: {} ends with other balances than native Solidity",
            run.variant.name()
        );
    }
    // The HyVM variants ran in the HyVM; the native one did not.
    assert_eq!(native.guest_instructions, 0);
    assert_eq!(native.gas.hyvm_overhead, 0);
    for variant in [Variant::SolcInHyvm, Variant::Nest] {
        let run = c
            .run(variant)
            .unwrap_or_else(|| panic!("no {variant:?} run"));
        assert!(
            run.guest_instructions > 0 && run.gas.hyvm_overhead > 0,
            "{name}, {variant:?} did not run in the HyVM"
        );
    }
}

fn balance(c: &Comparison, token: Address) -> U256 {
    let native = c
        .run(Variant::Native)
        .unwrap_or_else(|| panic!("no native run"));
    native
        .balances
        .iter()
        .find(|(t, _)| *t == token)
        .map(|(_, b)| *b)
        .unwrap_or_else(|| panic!("no balance of {token}"))
}

/// `whole` tokens of `decimals` decimals, in base units.
fn units(whole: u64, decimals: u64) -> U256 {
    U256::from(whole) * U256::from(10u64).pow(U256::from(decimals))
}

#[test]
fn two_swaps_agree_across_variants() {
    let Some(c) = compare(&measure::TWO_SWAPS) else {
        return;
    };
    assert_same_outcome(&c);
    // 10,000 USDC went out, all the WETH bought was sold, and at least the minimum of DAI came in.
    assert_eq!(balance(&c, USDC), units(1_000_000 - 10_000, 6));
    assert_eq!(balance(&c, WETH), units(1_000, 18));
    assert!(
        balance(&c, DAI) >= units(1_000_000 + 9_900, 18),
        "DAI {}",
        balance(&c, DAI)
    );
}

#[test]
fn deposit_agrees_across_variants() {
    let Some(c) = compare(&measure::DEPOSIT) else {
        return;
    };
    assert_same_outcome(&c);
    // The whole DAI balance went into the ERC-4626 vault, and shares came back.
    assert!(balance(&c, DAI).is_zero(), "DAI left: {}", balance(&c, DAI));
    assert!(!balance(&c, measure::SDAI).is_zero(), "no shares");
}

/// The harness measures what the devnet's own dry run measures.
#[test]
fn nest_run_matches_the_dry_run() {
    let (devnet, env) = measure::devnet().unwrap_or_else(|e| panic!("{e}"));
    let c = measure::compare(&devnet, &env, &measure::TWO_SWAPS).unwrap_or_else(|e| panic!("{e}"));
    let payload =
        measure::compile_script(measure::TWO_SWAPS.script).unwrap_or_else(|e| panic!("{e}"));
    let report = devnet
        .dry_run(&payload, &RunContext::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let nest = c
        .run(Variant::Nest)
        .unwrap_or_else(|| panic!("no Nest run"));
    assert_eq!(report.gas.total, nest.gas.total);
    assert_eq!(report.guest_instructions, nest.guest_instructions);
    assert!(report.success && report.allowances_left.is_empty());
}

/// The instruction profile the benchmark prints counts what the HyVM dispatches.
#[test]
fn profile_counts_what_the_hyvm_dispatches() {
    let (devnet, env) = measure::devnet().unwrap_or_else(|e| panic!("{e}"));
    let strategy = measure::TWO_SWAPS;
    let c = measure::compare(&devnet, &env, &strategy).unwrap_or_else(|e| panic!("{e}"));
    let solc = measure::runtime_code(strategy.solidity).unwrap_or_else(|e| panic!("{e}"));
    let nest = measure::compile_script(strategy.script).unwrap_or_else(|e| panic!("{e}"));
    for (variant, payload) in [(Variant::SolcInHyvm, solc), (Variant::Nest, nest)] {
        let p = profile::profile(&devnet, &payload).unwrap_or_else(|e| panic!("{e}"));
        let run = c
            .run(variant)
            .unwrap_or_else(|| panic!("no {variant:?} run"));
        assert!(p.success, "{variant:?}: the replay failed");
        assert_eq!(p.dispatched(), run.guest_instructions, "{variant:?}");
        let by_category: u64 = p.by_category().iter().map(|(_, n)| n).sum();
        assert_eq!(
            by_category,
            p.dispatched(),
            "{variant:?}: every opcode has a category"
        );
    }
}
