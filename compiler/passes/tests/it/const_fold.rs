//! `const_fold`, from IR text: constants fold, failing checked arithmetic stays for
//! run time, constant conditions pick their branch.

use nest_passes::{ConstFold, Pass};

fn run(text: &str) -> String {
    let mut m = nest_ir::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    ConstFold.run(&mut m);
    nest_ir::verify(&m, true).unwrap_or_else(|e| panic!("{e}"));
    let out = m.to_string();
    out[out.find("---\n").map_or(0, |i| i + 4)..].to_string()
}

#[test]
fn folds_words_and_safe_checked_arithmetic() {
    let out = run("var %0 x\nvar %1 y\n---\n%0 = add(mul(2, 3), shl(1, 4))\n%1 = checked_add256(7, 8)\nstop\n");
    assert!(out.contains("%1 = 15\n"), "{out}");
    assert!(out.starts_with("%0 = 22\n"), "{out}");
}

#[test]
fn leaves_failing_arithmetic_to_run_time() {
    let text = "var %0 x\n---\n%0 = checked_sub256(1, 2)\nstop\n";
    let out = run(text);
    assert!(out.contains("checked_sub256(1, 2)"), "{out}");
}

#[test]
fn constant_conditions_pick_a_branch() {
    let out = run("var %0 x\n---\n%0 = 1\nif lt(1, 2) {\n  check eq(1, 1) else error \"never\"\n  stop\n} else {\n  return %0\n}\n");
    assert_eq!(out, "%0 = 1\nstop\n");
}

#[test]
fn a_check_that_always_fails_becomes_fail() {
    let out = run("---\ncheck iszero(1) else error \"always\"\nstop\n");
    assert!(out.starts_with("fail error \"always\"\n"), "{out}");
}

#[test]
fn triple_negation_collapses() {
    let out = run("var %0 x\n---\n%0 = timestamp\ncheck iszero(iszero(iszero(%0))) else error \"zero\"\nstop\n");
    assert!(
        out.contains("check iszero(%0) else error \"zero\""),
        "{out}"
    );
}
