//! Parameters get their values whatever the declaration order: a constant or another
//! parameter may use a parameter declared after it, `--param` values may use
//! constants and other parameters, and a parameter that depends on itself is an error
//! (never a silent 0).

use alloy_primitives::U256;
use nest_check::hir::{ExprKind, Program, StmtKind};
use nest_check::{check, CheckInput, CheckOutput, MemoryResolver};
use nest_diagnostics::render_plain;

/// Checks a script as `compile` does (every parameter needs a value).
fn compile(text: &str, params: &[(&str, &str)]) -> CheckOutput {
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let resolver = MemoryResolver::new();
    check(&CheckInput {
        name: "params_test.ns",
        text,
        resolver: &resolver,
        params: &params,
        require_params: true,
        index: false,
    })
}

/// The program of a script that must check cleanly.
fn program(text: &str, params: &[(&str, &str)]) -> Program {
    let out = compile(text, params);
    let rendered = render_plain(&out.diagnostics, &out.sources);
    match out.program {
        Some(p) if !nest_diagnostics::has_errors(&out.diagnostics) => p,
        _ => panic!("{text}\nwith {params:?} does not check:\n{rendered}"),
    }
}

/// The constant words the script's last `return` returns.
fn returned(text: &str, params: &[(&str, &str)]) -> Vec<U256> {
    let p = program(text, params);
    let Some(StmtKind::Return(values)) = p.body.last().map(|s| &s.kind) else {
        panic!("{text}: does not end with `return`");
    };
    values
        .iter()
        .map(|v| match v.kind {
            ExprKind::Word(w) => w,
            ref other => panic!("{text}: returns a non-constant {other:?}"),
        })
        .collect()
}

/// The value of parameter `name`.
fn param(text: &str, params: &[(&str, &str)], name: &str) -> U256 {
    let p = program(text, params);
    p.params
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("{text}: no value for `{name}`"))
        .value
}

/// The codes of the errors of a script that must fail, with their rendering.
fn errors(text: &str, params: &[(&str, &str)]) -> (Vec<String>, String) {
    let out = compile(text, params);
    let rendered = render_plain(&out.diagnostics, &out.sources);
    let codes = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == nest_diagnostics::Severity::Error)
        .map(|d| d.code.to_string())
        .collect();
    (codes, rendered)
}

fn u(v: u64) -> U256 {
    U256::from(v)
}

#[test]
fn a_constant_uses_a_parameter() {
    let src = "use std::ethereum::{USDC}\n\
               param amount: USDC = 1_000 USDC\n\
               const HALF: USDC = amount / 2\n\
               return HALF";
    assert_eq!(returned(src, &[]), vec![u(500_000_000)]);
    assert_eq!(returned(src, &[("amount", "10 USDC")]), vec![u(5_000_000)]);
}

#[test]
fn a_constant_declared_first_uses_a_later_parameter() {
    let src = "const DOUBLE = n * 2\nparam n: uint256 = 21\nreturn DOUBLE";
    assert_eq!(returned(src, &[]), vec![u(42)]);
}

#[test]
fn a_parameter_uses_a_later_parameter() {
    let src = "param a: uint256 = b\nparam b: uint256 = 7\nreturn a, b";
    assert_eq!(returned(src, &[]), vec![u(7), u(7)]);
    assert_eq!(param(src, &[], "a"), u(7));
    assert_eq!(param(src, &[("b", "9")], "a"), u(9));
}

#[test]
fn an_override_uses_constants_and_other_parameters() {
    let src = "const K = 5\nparam a: uint256 = 1\nparam b: uint256 = 7\nreturn a";
    assert_eq!(returned(src, &[("a", "b")]), vec![u(7)]);
    assert_eq!(returned(src, &[("a", "b * K")]), vec![u(35)]);
    // `a` takes `b`'s final value, its override included.
    assert_eq!(returned(src, &[("a", "b + 1"), ("b", "100")]), vec![u(101)]);
}

#[test]
fn a_parameter_that_depends_on_itself_is_an_error() {
    let (codes, text) = errors("param a: uint256 = a\nreturn a", &[]);
    assert_eq!(codes, vec!["E0204"], "{text}");
    assert!(text.contains("parameter `a` depends on itself"), "{text}");

    let (codes, text) = errors("param a: uint256 = a + a * 2\nreturn a", &[]);
    assert_eq!(codes, vec!["E0204"], "one cycle, one error:\n{text}");

    let (codes, text) = errors(
        "param a: uint256 = b + 1\nparam b: uint256 = a\nreturn a",
        &[],
    );
    assert_eq!(codes, vec!["E0204"], "{text}");

    let (codes, text) = errors("param a: uint256 = 1\nreturn a", &[("a", "a")]);
    assert_eq!(codes, vec!["E0204"], "{text}");
    assert!(
        text.contains("--param a"),
        "the error points at the override:\n{text}"
    );

    let (codes, text) = errors(
        "param a: uint256 = 1\nparam b: uint256 = 2\nreturn a",
        &[("a", "b"), ("b", "a")],
    );
    assert_eq!(codes, vec!["E0204"], "{text}");
}

#[test]
fn a_constant_and_a_parameter_in_a_cycle_is_an_error() {
    let (codes, text) = errors("const C = p\nparam p: uint256 = C\nreturn C", &[]);
    assert!(!codes.is_empty(), "{text}");
    assert!(codes.iter().all(|c| c == "E0204"), "{text}");
}

#[test]
fn an_override_of_another_token_is_a_type_error_not_zero() {
    let src = "use std::ethereum::{USDC, WETH}\n\
               param amount: USDC = 1_000 USDC\n\
               param min_out: WETH = 0.25 WETH\n\
               return amount";
    let (codes, text) = errors(src, &[("amount", "min_out")]);
    assert!(!codes.is_empty(), "{text}");
}

#[test]
fn a_missing_value_used_by_a_constant_is_reported_once() {
    let (codes, text) = errors("param n: uint256\nconst C = n + 1\nreturn C", &[]);
    assert_eq!(codes, vec!["E0606"], "{text}");
}

/// `nestc check` accepts a parameter without a value: its value is unknown, not 0,
/// so arithmetic on it is not folded (no false division by zero), while its type
/// is still checked.
#[test]
fn checking_without_a_value_is_not_checking_with_zero() {
    let check_only = |text: &str| {
        let resolver = MemoryResolver::new();
        let out = check(&CheckInput {
            name: "params_test.ns",
            text,
            resolver: &resolver,
            params: &[],
            require_params: false,
            index: false,
        });
        let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
        (codes, render_plain(&out.diagnostics, &out.sources))
    };
    let (codes, text) = check_only(
        "param d: uint256\nparam e: uint256 = d * 2\nconst Q = 100 / d\n\
         let x = 100 / d\nfor i in 0..d { }\nreturn Q, x, e",
    );
    assert!(codes.is_empty(), "{text}");
    let (codes, text) = check_only("param d: uint256\nlet a: address = d\nreturn a");
    assert_eq!(codes, vec!["E0302"], "{text}");
}
