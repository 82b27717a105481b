//! Calls to an address without code revert, however the compiler avoids re-checking a
//! target it has already proven: a proof made in a branch that did not run proves
//! nothing after it.

use nest_tests::dry_run_text;

const HEAD: &str = "interface IThing {\n    function poke(uint256 x) external;\n}\nconst T = IThing(0x1111111111111111111111111111111111111111)\n";

fn reverts_at(body: &str, at: &str) {
    let r = dry_run_text(&format!("{HEAD}{body}"));
    assert!(!r.success, "{body}: succeeded");
    let revert = r.revert.expect("a revert");
    assert_eq!(revert.reason, nest_artifact::reasons::NO_CODE, "{body}");
    assert_eq!(
        revert.location.as_deref(),
        Some(format!("test.ns:{at}").as_str()),
        "{body}"
    );
}

#[test]
fn a_proof_in_a_skipped_branch_does_not_cover_the_call_after_it() {
    // The branch does not run (the devnet's timestamp is far above 10).
    reverts_at(
        "if block.timestamp < 10 {\n    T.poke(1)\n}\nT.poke(2)\n",
        "8:1",
    );
    reverts_at(
        "if block.timestamp < 10 {\n    T.poke(1)\n} else {\n    let a = 1\n}\nT.poke(2)\n",
        "10:1",
    );
}

#[test]
fn a_proof_in_a_loop_body_does_not_cover_its_first_iteration() {
    // The first call in the body is checked on every iteration, the first included.
    reverts_at("for i in 0..3 {\n    T.poke(i)\n    T.poke(i)\n}\n", "6:5");
}
