//! The wasm crate's functions, natively: their JSON envelopes carry what the libraries give
//! (the npm tests compare the WebAssembly build with `nestc` itself).
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use nest_wasm::api::{self, Options};
use serde_json::Value;

const SWAP: &str = include_str!("../../../examples/swap.ns");

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("the envelope is JSON")
}

#[test]
fn compile_carries_the_artifact_text_and_the_asm_listing() {
    let opts = Options::parse(r#"{"name": "examples/swap.ns"}"#).unwrap();
    let out = parse(&api::compile(SWAP, &opts).unwrap());
    assert_eq!(out["ok"], true);
    let artifact = out["artifact"].as_str().unwrap();
    assert!(artifact.ends_with("}\n"));
    let artifact: Value = serde_json::from_str(artifact).unwrap();
    assert_eq!(artifact["bytecode"], out["bytecode"]);
    assert!(out["asm"].as_str().unwrap().contains("examples/swap.ns:"));
    // -O0 gives a different, larger payload.
    let o0 = Options::parse(r#"{"name": "examples/swap.ns", "optimize": false}"#).unwrap();
    let o0 = parse(&api::compile(SWAP, &o0).unwrap());
    assert_ne!(o0["bytecode"], out["bytecode"]);
}

#[test]
fn a_unit_error_is_a_diagnostics_document_with_its_line() {
    let bad = "use std::ethereum::{USDC, WETH}\nlet a = 1 USDC + 1 WETH\nreturn a\n";
    let out = parse(&api::check(bad, &Options::default()).unwrap());
    assert_eq!(out["ok"], false);
    let doc = parse(out["diagnostics"].as_str().unwrap());
    let first = &doc["diagnostics"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["line"], 2);
    assert_eq!(first["file"], "main.ns");
    let compiled = parse(&api::compile(bad, &Options::default()).unwrap());
    assert_eq!(compiled["ok"], false);
    assert_eq!(compiled["bytecode"], Value::Null);
}

#[test]
fn run_reports_the_swap_and_no_permission_left() {
    let out = parse(&api::run(SWAP, &Options::default()).unwrap());
    assert_eq!(out["ok"], true, "{out}");
    let report = parse(out["report"].as_str().unwrap());
    assert_eq!(report["success"], true);
    assert_eq!(report["allowances_left"], serde_json::json!([]));
    assert!(!report["asset_changes"].as_array().unwrap().is_empty());
    assert!(out["text"]
        .as_str()
        .unwrap()
        .contains("no permission left behind"));
    let bare =
        parse(&api::run_bytecode(out["bytecode"].as_str().unwrap(), &Options::default()).unwrap());
    assert_eq!(parse(bare["report"].as_str().unwrap())["success"], true);
}

#[test]
fn imports_come_from_the_files_option() {
    let opts = Options::parse(
        r#"{"files": {"./lib.ns": "use std::ethereum::{USDC}\nconst FIVE = 5 USDC\n"}}"#,
    )
    .unwrap();
    let out = parse(&api::run("use \"./lib.ns\"::{FIVE}\nreturn FIVE\n", &opts).unwrap());
    assert_eq!(
        parse(out["report"].as_str().unwrap())["return"],
        serde_json::json!(["5000000"])
    );
}

#[test]
fn bad_options_are_usage_errors() {
    assert!(Options::parse(r#"{"optimise": 0}"#).is_err());
    let unknown = Options::parse(r#"{"disable": ["nope"]}"#).unwrap();
    assert!(api::compile("return 1\n", &unknown)
        .unwrap_err()
        .0
        .contains("unknown optimisation"));
    assert!(api::run_bytecode("0xzz", &Options::default()).is_err());
    let scenario = Options::parse(r#"{"scenario": "timestamp = \"soon\"\n"}"#).unwrap();
    let out = parse(&api::run("return 1\n", &scenario).unwrap());
    assert_eq!(out["ok"], false);
    assert!(out["error"].as_str().unwrap().contains("scenario"));
}

#[test]
fn explain_format_and_snapshot() {
    assert!(api::explain("E0302").unwrap().starts_with("E0302: "));
    assert_eq!(api::explain("E9999"), None);
    let formatted = parse(&api::format("let x=1\nreturn x\n"));
    assert_eq!(formatted["text"], "let x = 1\nreturn x\n");
    assert_eq!(parse(&api::format("let x = (1\n"))["ok"], false);
    let scripts = serde_json::json!({ "swap.ns": SWAP, "bad.ns": "return 1 USDC\n" }).to_string();
    let snap = parse(&nest_wasm::snapshot::snapshot(&scripts, "").unwrap());
    let text = snap["text"].as_str().unwrap();
    assert!(text.contains("\nbad.ns compile-error errors=E"), "{text}");
    assert!(text.contains("\nswap.ns ok fingerprint=0x"), "{text}");
    assert_eq!(snap["ok"], false);
    let again = nest_wasm::snapshot::snapshot(
        &scripts,
        &serde_json::json!({ "previous": text }).to_string(),
    )
    .unwrap();
    assert_eq!(parse(&again)["changed"], false);
}
