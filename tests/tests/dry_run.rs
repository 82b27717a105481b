//! Dry runs of every example on the devnet: the outcome, the asset changes, and
//! the safety property — no permission left behind — plus the gas snapshot.

use nest_devnet::{Devnet, Report, RunContext, Scenario};
use nest_tests::{compile_file, files, root};
use std::collections::BTreeMap;

fn dry_run(file: &str, params: &[(&str, &str)]) -> Report {
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let c = compile_file(file, &params).unwrap_or_else(|f| panic!("{file}:\n{f}"));
    nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
        .unwrap_or_else(|v| panic!("{file}: unsafe: {v:?}"));
    let ctx = RunContext {
        source_map: c
            .artifact
            .source_map
            .iter()
            .map(|e| (e.pc, e.location.clone()))
            .collect(),
        signatures: c
            .artifact
            .calls
            .iter()
            .map(|k| k.signature.clone())
            .collect(),
        return_types: c.artifact.return_types.clone(),
    };
    let devnet = Devnet::new(&Scenario::default()).expect("devnet");
    devnet.dry_run(&c.bytes, &ctx).expect("dry run")
}

fn delta(r: &Report, symbol: &str) -> String {
    r.asset_changes
        .iter()
        .find(|a| a.symbol == symbol)
        .map(|a| a.delta.clone())
        .unwrap_or_else(|| "0".into())
}

fn assert_clean(file: &str, r: &Report) {
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
}

#[test]
fn swap_moves_exactly_the_amount() {
    let r = dry_run("examples/swap.ns", &[]);
    assert_clean("swap", &r);
    assert_eq!(delta(&r, "USDC"), "-1000000000");
    let weth: i128 = delta(&r, "WETH").parse().unwrap();
    assert!(weth > 250_000_000_000_000_000, "WETH delta {weth}");
    // Calls made inside shared code (the force-approve subroutine) are attributed to
    // the statement that made them: the approve at line 7, the revocation at the return.
    assert_eq!(r.calls[0].location.as_deref(), Some("examples/swap.ns:7:1"));
    assert_eq!(
        r.calls.last().unwrap().location.as_deref(),
        Some("examples/swap.ns:17:1")
    );
    // The return value is the WETH received.
    assert_eq!(
        r.return_values.as_ref().unwrap()[0]
            .to_string()
            .trim_matches('"'),
        weth.to_string()
    );
}

#[test]
fn swap_param_override_changes_the_amount() {
    let r = dry_run("examples/swap.ns", &[("amount", "2500 USDC")]);
    assert_clean("swap", &r);
    assert_eq!(delta(&r, "USDC"), "-2500000000");
}

#[test]
fn swap_reverts_on_slippage_with_reason_and_line() {
    let r = dry_run("examples/swap.ns", &[("min_out", "1000 WETH")]);
    assert!(!r.success);
    let revert = r.revert.expect("revert info");
    assert!(
        revert.reason.contains("INSUFFICIENT_OUTPUT_AMOUNT"),
        "{}",
        revert.reason
    );
    assert_eq!(
        revert.location.as_deref(),
        Some("examples/swap.ns:8:1"),
        "{revert:?}"
    );
    // A revert undoes everything: nothing changes, nothing is left.
    assert!(r.asset_changes.is_empty());
    assert!(r.allowances_left.is_empty());
}

#[test]
fn usdt_to_dai_handles_usdt_quirks() {
    let r = dry_run("examples/usdt_to_dai.ns", &[]);
    assert_clean("usdt_to_dai", &r);
    assert_eq!(delta(&r, "USDT"), "-5000000000");
    let dai: u128 = delta(&r, "DAI").parse().unwrap();
    assert!(dai > 4_950 * 10u128.pow(18), "DAI delta {dai}");
}

#[test]
fn route_via_weth_checks_balances() {
    let r = dry_run("examples/route_via_weth.ns", &[]);
    assert_clean("route_via_weth", &r);
    assert_eq!(delta(&r, "USDC"), "-20000000000");
    let dai: u128 = delta(&r, "DAI").parse().unwrap();
    assert!(dai >= 19_000 * 10u128.pow(18));
    assert_eq!(delta(&r, "WETH"), "0");
}

#[test]
fn every_example_and_codegen_case_runs_clean() {
    for f in files("examples", "ns")
        .into_iter()
        .chain(files("tests/codegen", "ns"))
    {
        let r = dry_run(&f, &[]);
        assert!(
            r.allowances_left.is_empty(),
            "{f} left permissions: {:?}",
            r.allowances_left
        );
        assert!(r.success, "{f} reverted: {:?}", r.revert);
    }
}

/// Foundry-style gas snapshot: `tests/.gas-snapshot`, one line per program.
/// A change in cost fails this test; bless with `UPDATE_GAS_SNAPSHOT=1 cargo test`.
#[test]
fn gas_snapshot() {
    let mut lines = BTreeMap::new();
    for f in files("examples", "ns")
        .into_iter()
        .chain(files("tests/codegen", "ns"))
    {
        let c = compile_file(&f, &[]).unwrap();
        let r = dry_run(&f, &[]);
        // The trailer's fingerprint changes with any source byte (a doc comment in
        // the stdlib): the snapshot counts the code and data only, so that it moves
        // only when generated code does.
        let code = &c.bytes[..c.artifact.code_size];
        let code_calldata: u64 = code.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
        lines.insert(
            f.clone(),
            format!(
                "{f} execution={} hyvm_overhead={} code_calldata={} code_bytes={} instructions={}",
                r.gas.execution,
                r.gas.hyvm_overhead,
                code_calldata,
                code.len(),
                r.guest_instructions
            ),
        );
    }
    let text: String = lines.values().map(|l| format!("{l}\n")).collect();
    let path = root().join("tests/.gas-snapshot");
    if std::env::var_os("UPDATE_GAS_SNAPSHOT").is_some() || !path.exists() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        old, text,
        "gas changed; review and bless with UPDATE_GAS_SNAPSHOT=1 cargo test -p nest-tests"
    );
}

#[test]
fn require_failure_points_at_its_line() {
    let r = dry_run("examples/dca_slice.ns", &[("max_price", "2900 USDC")]);
    assert!(!r.success);
    let revert = r.revert.expect("revert");
    assert_eq!(revert.reason, "price above max");
    let location = revert.location.expect("a location");
    let text = std::fs::read_to_string(root().join("examples/dca_slice.ns")).unwrap();
    let line: usize = location.split(':').nth(1).unwrap().parse().unwrap();
    assert!(
        text.lines().nth(line - 1).unwrap().contains("require("),
        "{location} is not the require"
    );
}
