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

#[test]
fn a_failure_inside_a_helper_function_names_the_call_that_led_there() {
    // `checked` is called twice; the second call (line 7) fails inside it (line 2).
    let text = "fn checked(v: uint256) -> uint256 {\n    require(v > 100, \"too small\")\n    return v\n}\nlet t = block.timestamp\nlet x = checked(t)\nlet y = checked(t - t)\nreturn x + y\n";
    let r = dry_run_text(text);
    let revert = r.revert.clone().expect("a revert");
    assert_eq!(revert.reason, "too small");
    assert_eq!(revert.location.as_deref(), Some("test.ns:2:5"));
    let f = revert.in_function.expect("the function");
    assert_eq!(f.name, "checked");
    assert_eq!(f.called_at.as_deref(), Some("test.ns:7:1"));
    assert!(
        r.render(false)
            .contains("in fn `checked`, called at test.ns:7:1"),
        "{}",
        r.render(false)
    );
    // A failure in the script's own code names no function.
    let r = dry_run_text("fn one() -> uint256 {\n    return 1\n}\nlet t = block.timestamp\nrequire(t < one(), \"late\")\n");
    let revert = r.revert.expect("a revert");
    assert_eq!(revert.location.as_deref(), Some("test.ns:5:1"));
    assert!(revert.in_function.is_none(), "{revert:?}");
}
