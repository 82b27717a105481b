//! `revoke(CALL)`: a permission an earlier transaction granted, revoked explicitly — a plain
//! call (no new grant for the compiler to revoke), without the `W0402` a hand-written
//! revocation of the script's own grant gets; anything but a known revocation is `E0412`.

use nest_check::hir::{Program, StmtKind};
use nest_check::{check, CheckInput, CheckOutput, MemoryResolver};

fn check_text(text: &str) -> CheckOutput {
    check(&CheckInput {
        name: "main.ns",
        text,
        resolver: &MemoryResolver::new(),
        params: &[],
        require_params: true,
        index: false,
    })
}

fn codes(text: &str) -> Vec<&'static str> {
    check_text(text)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

fn program(text: &str) -> Program {
    let out = check_text(text);
    let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.is_empty(), "{codes:?}");
    out.program
        .unwrap_or_else(|| panic!("does not compile:\n{text}"))
}

const HEAD: &str = "use std::erc20::IERC20
use std::erc721::IERC721
const T = IERC20(0x0000000000000000000000000000000000000003)
const NFT = IERC721(0x0000000000000000000000000000000000000001)
";

#[test]
fn revoking_an_earlier_grant_is_a_plain_call_without_w0402() {
    let p = program(&format!(
        "{HEAD}revoke(T.approve(0x0000000000000000000000000000000000000004, 0))
revoke(NFT.setApprovalForAll(0x0000000000000000000000000000000000000002, false))
"
    ));
    assert_eq!(p.body.len(), 2);
    for s in &p.body {
        assert!(matches!(s.kind, StmtKind::Expr(_)), "{:?}", s.kind);
    }
    // The same call without `revoke` is the W0402 a redundant revocation gets.
    assert_eq!(
        codes(&format!(
            "{HEAD}T.approve(0x0000000000000000000000000000000000000004, 0)\n"
        )),
        ["W0402"]
    );
}

#[test]
fn a_family_revocation_by_another_function_is_accepted() {
    // ERC-777's `revokeOperator`, declared to grant nothing: the family's revocation.
    program(
        "#[grants(none)]
interface I777 {
    function revokeOperator(address operator);
}
revoke(I777(0x0000000000000000000000000000000000000005).revokeOperator(0x0000000000000000000000000000000000000002))
",
    );
}

#[test]
fn anything_but_a_known_revocation_is_e0412() {
    // A grant, not its revocation.
    assert_eq!(
        codes(&format!(
            "{HEAD}revoke(T.approve(0x0000000000000000000000000000000000000004, 5))\n"
        )),
        ["E0412"]
    );
    // A function that revokes nothing.
    assert_eq!(
        codes(&format!(
            "{HEAD}revoke(T.transfer(0x0000000000000000000000000000000000000004, 0))\n"
        )),
        ["E0412"]
    );
    // Not a call.
    assert_eq!(codes(&format!("{HEAD}revoke(1)\n")), ["E0412"]);
    // One argument only.
    assert_eq!(codes(&format!("{HEAD}revoke()\n")), ["E0314"]);
}
