//! `nestc run a.ns b.ns …`: scripts run one after another on one devnet, each on the state
//! the previous one left, with scoped and shared parameters and a clock that can move.

use crate::common::{nestc, stderr, stdout};
use std::process::Output;

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("JSON ({e}): {}", stdout(o)))
}

const SUPPLY: &str = "tests/sequences/aave_supply.ns";
const WITHDRAW: &str = "tests/sequences/aave_withdraw.ns";
const THREE_WETH: &str = "3000000000000000000";

#[test]
fn the_second_step_withdraws_what_the_first_supplied() {
    let o = nestc(&[
        "run",
        SUPPLY,
        WITHDRAW,
        "--param",
        "amount=3 WETH",
        "--param",
        "aave_withdraw.ns:at_least=3 WETH",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let steps = v.as_array().expect("a JSON array of reports");
    assert_eq!(steps.len(), 2);
    assert!(steps.iter().all(|s| s["success"] == true), "{v:#}");
    // Step 1 has no return values; step 2 found the 3 WETH step 1 supplied and withdrew them.
    assert!(
        steps[0]["return"].as_array().is_none_or(Vec::is_empty),
        "{v:#}"
    );
    assert_eq!(
        steps[1]["return"],
        serde_json::json!([THREE_WETH, THREE_WETH])
    );
    let changes = steps[1]["asset_changes"].to_string();
    assert!(changes.contains("aEthWETH"), "{changes}");
}

#[test]
fn alone_the_second_step_finds_nothing_supplied() {
    let o = nestc(&["run", WITHDRAW, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["return"], serde_json::json!(["0", "0"]));
}

#[test]
fn a_scoped_parameter_reaches_only_its_script_and_a_failing_step_fails_the_run() {
    // Step 2 expects 4 WETH; step 1 supplied 3 (its default is 5: `amount` is given).
    let o = nestc(&[
        "run",
        SUPPLY,
        WITHDRAW,
        "--param",
        "aave_supply.ns:amount=3 WETH",
        "--param",
        "tests/sequences/aave_withdraw.ns:at_least=4 WETH",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v[0]["success"], true);
    assert_eq!(v[1]["success"], false);
    assert!(
        v[1]["revert"]
            .to_string()
            .contains("less supplied than expected"),
        "{v:#}"
    );
}

#[test]
fn the_human_output_has_a_heading_per_step_and_the_clock_advances() {
    let o = nestc(&["run", SUPPLY, WITHDRAW, "--advance", "1h"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let first = out.find("== step 1 of 2: tests/sequences/aave_supply.ns (block ");
    let second = out.find("== step 2 of 2: tests/sequences/aave_withdraw.ns (1h later: block ");
    assert!(
        matches!((first, second), (Some(a), Some(b)) if a < b),
        "{out}"
    );
    assert_eq!(out.matches("✓ success").count(), 2, "{out}");
    // 5 WETH (the default) went in and came back out, printed in its unit.
    assert!(out.contains("return 5 WETH, 5 WETH"), "{out}");
    // One block per 12 s: 300 blocks in an hour.
    let number = |heading: Option<usize>| {
        let at = heading.unwrap_or(0);
        let rest = &out[at..];
        let from = rest.find("block ").map_or(0, |i| i + 6);
        rest[from..]
            .split(',')
            .next()
            .and_then(|n| n.trim().parse::<u64>().ok())
    };
    assert_eq!(
        number(second).zip(number(first)).map(|(b, a)| b - a),
        Some(300),
        "{out}"
    );
}

#[test]
fn an_aave_debt_opened_by_one_script_is_repaid_by_the_next() {
    let o = nestc(&[
        "run",
        "examples/aave_supply_borrow.ns",
        "examples/aave_leverage_unwind.ns",
        "--advance",
        "aave_leverage_unwind.ns:1d",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let repaid = v[1]["return"][0].as_str().unwrap_or("0").to_string();
    let withdrawn = v[1]["return"][1].as_str().unwrap_or("0").to_string();
    // 12,000 USDC borrowed (and at least that repaid), 10 WETH withdrawn.
    assert!(
        repaid.parse::<u128>().is_ok_and(|r| r >= 12_000_000_000),
        "{v:#}"
    );
    assert_eq!(withdrawn, "10000000000000000000", "{v:#}");
}

#[test]
fn misused_sequence_options_are_usage_errors() {
    for args in [
        // A parameter no script declares.
        vec!["run", SUPPLY, WITHDRAW, "--param", "amonut=1 WETH"],
        // A scope that is none of the scripts.
        vec!["run", SUPPLY, WITHDRAW, "--param", "swap.ns:amount=1 WETH"],
        // A clock advance in an unknown unit, or for one script.
        vec!["run", SUPPLY, WITHDRAW, "--advance", "1y"],
        vec!["run", SUPPLY, "--advance", "1h"],
        // A sequence against a fork.
        vec!["run", SUPPLY, WITHDRAW, "--fork-url", "http://127.0.0.1:9"],
    ] {
        let o = nestc(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
}

#[test]
fn the_hyvm_build_changes_only_the_overhead() {
    let run = |build: &str| {
        let o = nestc(&["run", "examples/swap.ns", "--json", "--hyvm-build", build]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        json(&o)
    };
    let (paris, shanghai) = (run("paris"), run("shanghai"));
    let instructions = paris["guest_instructions"].as_u64().unwrap_or(0);
    assert!(instructions > 0);
    assert_eq!(paris["asset_changes"], shanghai["asset_changes"]);
    assert_eq!(paris["return"], shanghai["return"]);
    let overhead = |v: &serde_json::Value| v["gas"]["hyvm_overhead"].as_u64().unwrap_or(0);
    assert_eq!(overhead(&paris) - overhead(&shanghai), 2 * instructions);
    assert_eq!(
        nestc(&["run", "examples/swap.ns", "--hyvm-build", "cancun"])
            .status
            .code(),
        Some(2)
    );
}
