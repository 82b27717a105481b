//! Where the report places what the compiler adds: the revocations at the end of a
//! script are attributed to a statement that ran, never to one in a branch that did not.

use nest_tests::dry_run_text;

#[test]
fn end_of_script_revocations_are_not_placed_in_a_skipped_branch() {
    // No `return`: the revocation runs after the `if`, whose `else` never runs.
    let text = "use std::ethereum::{USDC, UNISWAP_V2_ROUTER}\nlet t = block.timestamp\n\napprove(USDC, UNISWAP_V2_ROUTER, 5 USDC)\nif t > 5 {\n    let a = 1\n} else {\n    revert(\"not taken\")\n}\n";
    let r = dry_run_text(text);
    assert!(r.success, "{:?}", r.revert);
    let revoke = r.calls.last().expect("the revocation");
    assert_eq!(
        revoke.signature.as_deref(),
        Some("approve(address,uint256)")
    );
    assert_eq!(
        revoke.location.as_deref(),
        Some("test.ns:5:1"),
        "{revoke:?}"
    );
}
