//! The artifact lists the custom errors of the script's interfaces, sorted and deduplicated.

use alloy_primitives::{hex, keccak256};
use nest_driver::{compile, CompileRequest, MemoryResolver};

/// `0x` and the first four bytes of keccak256 of `signature`.
fn selector(signature: &str) -> String {
    hex::encode_prefixed(&keccak256(signature.as_bytes())[..4])
}

fn errors_of(text: &str) -> Vec<(String, String, String)> {
    errors_with(text, MemoryResolver::new())
}

fn errors_with(text: &str, r: MemoryResolver) -> Vec<(String, String, String)> {
    let req = CompileRequest {
        name: "main.ns",
        text,
        resolver: &r,
        params: &[],
    };
    let c = match compile(&req) {
        Ok(c) => c,
        Err(f) => panic!(
            "{}",
            nest_diagnostics::render_plain(&f.diagnostics, &f.sources)
        ),
    };
    c.artifact
        .errors
        .into_iter()
        .map(|e| (e.signature, e.selector, e.declaration))
        .collect()
}

#[test]
fn declared_errors_are_listed_once_in_order() {
    let errors = errors_of(
        "interface IA {\n    /// Too late.\n    error Expired(uint256 deadline);\n    error Broke();\n    function f();\n}\ninterface IB {\n    /// The same error, declared again.\n    error Expired(uint256 when);\n    function g();\n}\nIA(0x1111111111111111111111111111111111111111).f()\n",
    );
    assert_eq!(
        errors,
        vec![
            (
                "Broke()".into(),
                selector("Broke()"),
                "error Broke()".into()
            ),
            (
                "Expired(uint256)".into(),
                selector("Expired(uint256)"),
                "error Expired(uint256 deadline)".into()
            ),
        ]
    );
}

#[test]
fn standard_library_errors_come_with_its_interfaces() {
    let errors = errors_of(
        "use std::compound_v3::{IComet}\nIComet(0x1111111111111111111111111111111111111111).withdraw(0x1111111111111111111111111111111111111111, 1)\n",
    );
    let not_collateralized = errors
        .iter()
        .find(|e| e.0 == "NotCollateralized()")
        .expect("IComet declares NotCollateralized");
    assert_eq!(not_collateralized.1, selector("NotCollateralized()"));
    assert!(
        errors.windows(2).all(|w| w[0].0 < w[1].0),
        "sorted, no duplicates"
    );
}

#[test]
fn abi_files_bring_their_errors() {
    let mut r = MemoryResolver::new();
    r.add(
        "market.json",
        r#"[
            {"type":"function","name":"withdraw","stateMutability":"nonpayable",
             "inputs":[{"name":"amount","type":"uint256"}],"outputs":[]},
            {"type":"error","name":"TooLate","inputs":[{"name":"deadline","type":"uint256"}]},
            {"type":"error","name":"Broke","inputs":[]}
        ]"#,
    );
    let errors = errors_with(
        "interface IMarket = abi(\"market.json\")\nIMarket(0x1111111111111111111111111111111111111111).withdraw(1)\n",
        r,
    );
    let declarations: Vec<&str> = errors.iter().map(|e| e.2.as_str()).collect();
    assert_eq!(
        declarations,
        ["error Broke()", "error TooLate(uint256 deadline)"]
    );
}
