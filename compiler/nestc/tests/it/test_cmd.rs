//! `nestc test`: test files next to scripts — expectations, reverts, sequences, JUnit and
//! fuzzed parameters that find a planted slippage bug.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory for one test's files.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nestc-test-cmd-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn write(d: &Path, file: &str, text: &str) -> PathBuf {
    let p = d.join(file);
    std::fs::write(&p, text).expect("write");
    p
}

fn nestc(d: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nestc"))
        .args(args)
        .current_dir(d)
        .env("NO_COLOR", "1")
        .output()
        .expect("nestc runs")
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// USDC → WETH on Uniswap V2 with a slippage guard.
const SWAP: &str = r#"use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}

param amount: USDC = 1_000 USDC
param min_out: WETH = 0.25 WETH

approve(USDC, UNISWAP_V2_ROUTER, amount)
let amounts = UNISWAP_V2_ROUTER.swapExactTokensForTokens(amount, min_out, [USDC, WETH], self, block.timestamp + 600)
let out = amounts[1] as WETH
require(out >= min_out, "slippage")
return out
"#;

/// WETH → USDC, the way back.
const SWAP_BACK: &str = r#"use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}

param amount: WETH = 0.3 WETH

approve(WETH, UNISWAP_V2_ROUTER, amount)
let amounts = UNISWAP_V2_ROUTER.swapExactTokensForTokens(amount, 0 USDC, [WETH, USDC], self, block.timestamp + 600)
return amounts[1] as USDC
"#;

/// The planted bug: a slippage guard written against a fixed bound on the amount, so every
/// swap above 250,000 USDC reverts "slippage".
const BUGGY: &str = r#"use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}

param amount: USDC = 1_000 USDC

approve(USDC, UNISWAP_V2_ROUTER, amount)
let amounts = UNISWAP_V2_ROUTER.swapExactTokensForTokens(amount, 0 WETH, [USDC, WETH], self, block.timestamp + 600)
require(amount <= 250_000 USDC, "slippage")
return amounts[1] as WETH
"#;

#[test]
fn a_passing_file_passes() {
    let d = dir("pass");
    write(&d, "swap.ns", SWAP);
    write(
        &d,
        "swap.test.toml",
        r#"
[[test]]
name = "swap 1,000 USDC"
[[test.step]]
script = "swap.ns"
params = { amount = "1_000 USDC" }
assets = { USDC = "-1000 USDC", WETH = ">= 0.25 WETH" }
returns = ["> 0.25 WETH"]
max_gas = 200_000
"#,
    );
    let o = nestc(&d, &["test"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("✓ ./swap.test.toml › swap 1,000 USDC"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("1 passed, 0 failed"), "{}", out(&o));
}

#[test]
fn a_wrong_asset_delta_shows_expected_and_got() {
    let d = dir("wrong-delta");
    write(&d, "swap.ns", SWAP);
    let t = write(
        &d,
        "swap.test.toml",
        r#"
[[test]]
name = "off by one USDC"
[[test.step]]
script = "swap.ns"
params = { amount = "1_000 USDC" }
assets = { USDC = "-999 USDC" }
max_gas = 1000
"#,
    );
    let o = nestc(&d, &["test", t.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("✗ "), "{text}");
    assert!(
        text.contains("step 1 (swap.ns): asset USDC: expected -999 USDC, got -1000 USDC"),
        "{text}"
    );
    assert!(text.contains("gas: expected at most 1000, got "), "{text}");
    // The same in JSON.
    let o = nestc(&d, &["test", "--json", t.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["failed"], 1);
    assert_eq!(v["tests"][0]["status"], "fail");
    assert!(v["tests"][0]["failures"][0]
        .as_str()
        .unwrap()
        .contains("expected -999 USDC, got -1000 USDC"));
}

#[test]
fn revert_expectations() {
    let d = dir("revert");
    write(&d, "swap.ns", SWAP);
    write(
        &d,
        "swap.test.toml",
        r#"
[[test]]
name = "a minimum above the price reverts"
[[test.step]]
script = "swap.ns"
params = { min_out = "1 WETH" }
expect = { revert = "INSUFFICIENT_OUTPUT_AMOUNT" }
assets = { USDC = "0" }

[[test]]
name = "the wrong reason fails"
[[test.step]]
script = "swap.ns"
params = { min_out = "1 WETH" }
expect = { revert = "deadline" }

[[test]]
name = "a success where a revert was expected fails"
[[test.step]]
script = "swap.ns"
expect = "revert"
"#,
    );
    let o = nestc(&d, &["test", "swap.test.toml"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✓ swap.test.toml › a minimum above the price reverts"),
        "{text}"
    );
    assert!(
        text.contains("expected a revert with \"deadline\", got a revert: ")
            && text.contains("INSUFFICIENT_OUTPUT_AMOUNT"),
        "{text}"
    );
    assert!(text.contains("expected a revert, got success"), "{text}");
    assert!(text.contains("1 passed, 2 failed"), "{text}");
}

#[test]
fn a_sequence_of_two_steps_shares_the_chain() {
    let d = dir("sequence");
    write(&d, "swap.ns", SWAP);
    write(&d, "swap_back.ns", SWAP_BACK);
    // The vault starts without WETH: the second step can only swap what the first bought.
    write(
        &d,
        "seq.test.toml",
        r#"
[scenario.vault.tokens]
USDC = 5000

[[test]]
name = "there and back"
[[test.step]]
script = "swap.ns"
params = { amount = "1_000 USDC" }
assets = { USDC = "-1000", WETH = "> 0.3 WETH" }
[[test.step]]
script = "swap_back.ns"
advance = "1h"
params = { amount = "0.3 WETH" }
assets = { WETH = "-0.3 WETH", USDC = "800..1000 USDC" }

[[test]]
name = "alone, the way back has nothing to swap"
[[test.step]]
script = "swap_back.ns"
params = { amount = "0.3 WETH" }
expect = "revert"
"#,
    );
    let o = nestc(&d, &["test", "."]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.contains("there and back (2 steps"), "{text}");
}

/// The minimal well-formedness a CI system needs: one root, every tag closed in order,
/// attributes quoted, and the counts it reports.
fn check_xml(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .expect("XML declaration");
    let mut stack: Vec<String> = Vec::new();
    let mut elements = Vec::new();
    let mut rest = body;
    let mut roots = 0;
    while let Some(open) = rest.find('<') {
        assert!(!rest[..open].contains('>'), "stray `>` in text");
        let close = rest[open..].find('>').expect("tag closed") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "closing tag in order");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut attrs = Vec::new();
        loop {
            attrs_text = attrs_text.trim_start();
            if attrs_text.is_empty() {
                break;
            }
            let (k, v) = attrs_text.split_once("=\"").expect("attribute quoted");
            let end = v.find('"').expect("attribute closed");
            assert!(!v[..end].contains('<') && !v[..end].contains('&') || v[..end].contains(';'));
            attrs.push((k.to_string(), v[..end].to_string()));
            attrs_text = &v[end + 1..];
        }
        if stack.is_empty() {
            roots += 1;
        }
        elements.push((name.to_string(), attrs));
        if !self_closing {
            stack.push(name.to_string());
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert_eq!(roots, 1);
    elements
}

#[test]
fn junit_output_is_well_formed() {
    let d = dir("junit");
    write(&d, "swap.ns", SWAP);
    write(
        &d,
        "swap.test.toml",
        r#"
[[test]]
name = "passes <&> \"quoted\""
[[test.step]]
script = "swap.ns"

[[test]]
name = "fails"
[[test.step]]
script = "swap.ns"
assets = { USDC = "-1 USDC" }
"#,
    );
    let o = nestc(&d, &["test", "--junit", "report.xml"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let xml = std::fs::read_to_string(d.join("report.xml")).expect("report.xml");
    let elements = check_xml(&xml);
    let attr = |e: &(String, Vec<(String, String)>), k: &str| {
        e.1.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    };
    let root = &elements[0];
    assert_eq!(root.0, "testsuites");
    assert_eq!(attr(root, "tests").as_deref(), Some("2"));
    assert_eq!(attr(root, "failures").as_deref(), Some("1"));
    let cases: Vec<_> = elements.iter().filter(|e| e.0 == "testcase").collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(
        attr(cases[0], "name").as_deref(),
        Some("passes &lt;&amp;&gt; &quot;quoted&quot;")
    );
    assert_eq!(elements.iter().filter(|e| e.0 == "failure").count(), 1);
    assert!(xml.contains("expected -1 USDC, got -1000 USDC"), "{xml}");
}

#[test]
fn fuzzing_finds_the_planted_slippage_bug_and_shrinks_it() {
    let d = dir("fuzz");
    write(&d, "buggy.ns", BUGGY);
    write(
        &d,
        "buggy.test.toml",
        r#"
[[test]]
name = "any amount swaps"
fuzz = { amount = ["1 USDC", "1_000_000 USDC"], runs = 64, seed = 7 }
[[test.step]]
script = "buggy.ns"
params = { amount = "1_000 USDC" }
assets = { USDC = "-$amount", WETH = "> 0" }
"#,
    );
    let o = nestc(&d, &["test"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("✗ ./buggy.test.toml › any amount swaps"),
        "{text}"
    );
    assert!(text.contains("seed 7"), "{text}");
    // The smallest failing amount: one base unit above the planted bound.
    assert!(
        text.contains("shrunk to amount = 250000.000001 USDC"),
        "{text}"
    );
    assert!(
        text.contains("expected success, got a revert: slippage"),
        "{text}"
    );
    assert!(
        text.contains("replay: nestc test ./buggy.test.toml --seed 7"),
        "{text}"
    );
    assert!(
        text.contains("nestc run ./buggy.ns --param 'amount=250000.000001 USDC'"),
        "{text}"
    );
    // Replaying the printed value fails the same way; one unit less passes.
    let o = nestc(
        &d,
        &["run", "buggy.ns", "--param", "amount=250000.000001 USDC"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let o = nestc(&d, &["run", "buggy.ns", "--param", "amount=250000 USDC"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // The seed replays: the same runs, the same failure.
    let again = out(&nestc(&d, &["test", "--seed", "7"]));
    let first_line = |t: &str| {
        t.lines()
            .find(|l| l.contains("failed with"))
            .map(str::to_string)
    };
    assert_eq!(first_line(&again), first_line(&text));
    // Below the bug, every run passes.
    let o = nestc(&d, &["test", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["tests"][0]["fuzz"]["seed"], 7);
    assert_eq!(
        v["tests"][0]["fuzz"]["shrunk"]["amount"],
        "250000.000001 USDC"
    );
}

#[test]
fn a_malformed_file_names_the_file_and_the_key() {
    let d = dir("malformed");
    write(&d, "swap.ns", SWAP);
    write(
        &d,
        "bad.test.toml",
        r#"
[[test]]
name = "typo"
[[test.step]]
script = "swap.ns"
asets = { USDC = "-1000" }
"#,
    );
    let o = nestc(&d, &["test"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("bad.test.toml") && text.contains("asets"),
        "{text}"
    );
    write(
        &d,
        "bad.test.toml",
        r#"
[[test]]
name = "bad amount"
[[test.step]]
script = "swap.ns"
assets = { USDC = "-1000 WETH" }
"#,
    );
    let text = out(&nestc(&d, &["test"]));
    assert!(
        text.contains("bad.test.toml") && text.contains("assets.USDC") && text.contains("WETH"),
        "{text}"
    );
    // No test files at all is a usage error.
    let empty = dir("empty");
    assert_eq!(nestc(&empty, &["test"]).status.code(), Some(2));
}
