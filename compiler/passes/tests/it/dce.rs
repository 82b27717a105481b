//! `dce`, from IR text: unreachable statements and unread pure assignments go; calls,
//! checks, grants and revocations stay.

use nest_passes::{Dce, Pass};

fn run(text: &str) -> String {
    let mut m = nest_ir::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    Dce.run(&mut m);
    nest_ir::verify(&m, true).unwrap_or_else(|e| panic!("{e}"));
    let out = m.to_string();
    out[out.find("---\n").map_or(0, |i| i + 4)..].to_string()
}

#[test]
fn drops_code_after_an_exit() {
    let out = run("var %0 x\n---\nstop\n%0 = 1\nstop\n");
    assert_eq!(out, "stop\n");
}

#[test]
fn drops_unread_pure_assignments_but_not_calls() {
    let text = "var %0 unused\nvar %1 kept\n---\n%0 = add(timestamp, 1)\n%1 = word(staticcall 0x6b175474e89094c44da98b954eedeac495271d0f balanceOf(address)(address) -> (uint256), 0)\nstop\n";
    let out = run(text);
    assert!(!out.contains("%0 ="), "{out}");
    assert!(out.contains("%1 = word(staticcall"), "{out}");
}

#[test]
fn keeps_variables_a_revocation_reads() {
    let text = "var %0 spender\ngrant #0 erc20-allowance revoke force_approve(0x6b175474e89094c44da98b954eedeac495271d0f, %0, 0)\n---\n%0 = address\nforce_approve(0x6b175474e89094c44da98b954eedeac495271d0f, address, 1)\ngrant #0\nrevoke #0\nstop\n";
    let out = run(text);
    assert!(out.starts_with("%0 = address\n"), "{out}");
}
