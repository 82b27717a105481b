//! The generated code's memory cannot be turned against it: the grant journal has its
//! own region (reserved even when no run can record an entry, and bounds-checked), a
//! revocation's constant operands come from code, fused reads never write over live
//! heap data, and a call target known only at run time cannot be the vault itself.
//! Regressions for findings of the issue "Safe by construction, for real".

use nest_driver::{compile_with, CompileRequest, OptLevel, Options};
use nest_tests::{dry_run_text, run_context, RepoResolver};

/// `-O0` and the default level.
fn levels() -> [Options; 2] {
    [
        Options {
            opt_level: OptLevel::O0,
            disabled: Vec::new(),
        },
        Options::default(),
    ]
}

/// Compiles `text` at `opts`.
fn compile(text: &str, opts: &Options) -> nest_driver::Compiled {
    let req = CompileRequest {
        name: "test.ns",
        text,
        resolver: &RepoResolver,
        params: &[],
    };
    compile_with(&req, opts).unwrap_or_else(|f| panic!("{text}\n{f}"))
}

/// Dry-runs `text` at -O0 and the default level under the default scenario and one at
/// a later block, and returns the reports (each must leave no permission behind).
fn run_everywhere(text: &str) -> Vec<nest_devnet::Report> {
    let mut reports = Vec::new();
    for opts in levels() {
        let c = compile(text, &opts);
        for block in [None, Some(30_000_000u64)] {
            let mut scenario = nest_devnet::Scenario::default();
            if let Some(b) = block {
                scenario.block_number = b;
                scenario.timestamp += 1_000_000;
            }
            let devnet = nest_devnet::Devnet::new(&scenario).expect("devnet");
            let r = devnet.dry_run(&c.bytes, &run_context(&c)).expect("dry run");
            assert!(
                r.allowances_left.is_empty(),
                "{text}\npermission left: {:?}",
                r.allowances_left
            );
            reports.push(r);
        }
    }
    reports
}

const NFT_HEAD: &str = "interface INft {
    #[grants(revoke = setApprovalForAll(operator, false))]
    function setApprovalForAll(address operator, bool approved);
}
const NFT = INft(0x5555555555555555555555555555555555555555)
";

#[test]
fn a_grant_loop_that_runs_zero_times_keeps_its_own_journal() {
    // The journal used to be sized for zero entries and overlap the heap: the exit then
    // "revoked" whatever the array held (and an honest script reverted at its exit).
    let text = "use std::ethereum::{USDC, UNISWAP_V2_ROUTER}
for i in 0..0 {
    approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)
}
let xs = [1, 2, 3]
return xs[1]
";
    for r in run_everywhere(text) {
        assert!(r.success, "{:?}", r.revert);
        assert!(r.return_data.ends_with("02"), "{}", r.return_data);
    }
}

#[test]
fn heap_data_shaped_like_a_journal_entry_is_never_replayed() {
    // Arrays that spell a journal length, a grant id and an operator (with the constant
    // `true` an attacker wants the "revocation" to pass), behind a grant loop that runs
    // zero times and a granting helper that is never called, gated on the block number.
    let attacker = "0x00000000000000000000000000000000000000a7";
    let text = format!(
        "{NFT_HEAD}fn grant(op: address) {{
    NFT.setApprovalForAll(op, true)
}}
let n = 0
for i in 0..0 {{
    NFT.setApprovalForAll({attacker}, true)
}}
let forged = [1, 0, 0, 1, 0, 1]
let again = [{attacker}, {attacker}, {attacker}]
if block.number > 25_000_000 {{
    return forged[0] + forged[3], again[2]
}}
return forged[5], again[0]
"
    );
    for r in run_everywhere(&text) {
        assert!(r.success, "{:?}", r.revert);
        assert!(
            r.calls.is_empty(),
            "no call may be made, revocation or otherwise: {:?}",
            r.calls
        );
    }
}

#[test]
fn a_fused_array_read_does_not_overwrite_an_earlier_result() {
    let text = "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}
let a = UNISWAP_V2_ROUTER.getAmountsOut(1000 USDC, [USDC, WETH])
let x = UNISWAP_V2_ROUTER.getAmountsOut(2000 USDC, [USDC, WETH])[1]
let i = 1
let y = UNISWAP_V2_ROUTER.getAmountsOut(3000 USDC, [USDC, WETH])[i]
return a[0], a[1], x, y
";
    let reports = run_everywhere(text);
    let data = reports[0].return_data.clone();
    for r in &reports {
        assert!(r.success, "{:?}", r.revert);
    }
    // -O0 (no fused reads) and the default level agree, run for run.
    assert_eq!(reports[0].return_data, reports[2].return_data);
    assert_eq!(reports[1].return_data, reports[3].return_data);
    // a[0] is still the 1,000 USDC asked.
    let words: Vec<&str> = data
        .trim_start_matches("0x")
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    assert_eq!(
        u128::from_str_radix(words[0], 16).unwrap(),
        1_000_000_000,
        "{data}"
    );
}

#[test]
fn every_example_has_disjoint_memory_regions() {
    for path in nest_tests::files("examples", "ns") {
        let c = nest_tests::compile_file(&path, &[]).unwrap_or_else(|f| panic!("{path}: {f}"));
        for opts in [
            nest_codegen::Options::none(),
            nest_codegen::Options::optimised(),
        ] {
            let layout = nest_codegen::Layout::of(&c.ir, &opts);
            assert_eq!(layout.overlaps(), None, "{path}: {layout:?}");
            let journal = layout
                .regions()
                .into_iter()
                .find(|r| r.owner == "journal")
                .expect("a journal region");
            // A module that uses the journal reserves it, however many entries it needs.
            if c.ir.to_string().contains("journal") {
                assert!(journal.end > journal.start, "{path}");
            }
        }
    }
}

#[test]
fn journal_counting_is_linear_in_call_depth() {
    // 40 helpers, each calling the next twice: counting journal entries by walking a
    // callee's body at every call site took 2^40 steps.
    let mut text = String::from(
        "use std::ethereum::{USDC, UNISWAP_V2_ROUTER}\nfn f40() {\n    if block.number > 1 {\n        approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)\n    }\n}\n",
    );
    for i in (0..40).rev() {
        text.push_str(&format!(
            "fn f{i}() {{\n    f{}()\n    f{}()\n}}\n",
            i + 1,
            i + 1
        ));
    }
    text.push_str("f0()\n");
    let req = CompileRequest {
        name: "test.ns",
        text: &text,
        resolver: &RepoResolver,
        params: &[],
    };
    // 2^40 grants may be recorded: refused with the journal's limit, promptly.
    let Err(err) = compile_with(&req, &Options::default()) else {
        panic!("2^40 grants compiled");
    };
    assert!(
        err.diagnostics.iter().any(|d| d.code == "E0505"),
        "{:?}",
        err.diagnostics
    );
}

#[test]
fn a_run_time_target_that_is_the_vault_reverts() {
    // `self` reaches the call only through an array, so the target is known only at
    // run time: the guard stops the call before it is made.
    let text = "interface IThing {
    #[grants(none)]
    function poke(uint256 x);
}
let targets = [self]
IThing(targets[0]).poke(1)
";
    let r = dry_run_text(text);
    assert!(!r.success);
    let revert = r.revert.expect("a revert");
    assert_eq!(revert.reason, nest_codegen::SELF_CALL);
}
