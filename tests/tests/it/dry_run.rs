//! Dry runs of every example on the devnet: the outcome, the asset changes, and
//! the safety property — no permission left behind — plus the gas snapshot.

use nest_devnet::{Devnet, Report, RunContext, Scenario};
use nest_tests::{compile_file, dry_run_text, files, root};
use std::collections::BTreeMap;

fn dry_run(file: &str, params: &[(&str, &str)]) -> Report {
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    let c = compile_file(file, &params).unwrap_or_else(|f| panic!("{file}:\n{f}"));
    let devnet = Devnet::new(&Scenario::default()).expect("devnet");
    run_compiled(file, &c, &devnet)
}

/// Dry-runs a compiled script with everything its artifact tells the devnet: the source
/// map, the functions it calls, its interfaces' custom errors and its return types.
fn run_compiled(file: &str, c: &nest_driver::Compiled, devnet: &Devnet) -> Report {
    nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
        .unwrap_or_else(|v| panic!("{file}: unsafe: {v:?}"));
    let ctx = nest_tests::run_context(c);
    devnet.dry_run(&c.bytes, &ctx).expect("dry run")
}

fn delta(r: &Report, symbol: &str) -> String {
    r.asset_changes
        .iter()
        .find(|a| a.symbol == symbol)
        .map(|a| a.delta.clone())
        .unwrap_or_else(|| "0".into())
}

fn assert_clean(file: &str, r: &Report) {
    assert!(
        r.success,
        "{file} reverted: {:?}\n{}",
        r.revert,
        r.render(false)
    );
    assert!(
        r.allowances_left.is_empty(),
        "{file} left permissions: {:?}",
        r.allowances_left
    );
}

#[test]
fn swap_moves_exactly_the_amount() {
    let r = dry_run("examples/swap.ns", &[]);
    assert_clean("swap", &r);
    assert_eq!(delta(&r, "USDC"), "-1000000000");
    let weth: i128 = delta(&r, "WETH").parse().unwrap();
    assert!(weth > 250_000_000_000_000_000, "WETH delta {weth}");
    // Calls made inside shared code (the force-approve subroutine) are attributed to
    // the statement that made them: the approve at line 7, the revocation at the return.
    assert_eq!(r.calls[0].location.as_deref(), Some("examples/swap.ns:7:1"));
    assert_eq!(
        r.calls.last().unwrap().location.as_deref(),
        Some("examples/swap.ns:17:1")
    );
    // The return value is the WETH received.
    assert_eq!(
        r.return_values.as_ref().unwrap()[0]
            .to_string()
            .trim_matches('"'),
        weth.to_string()
    );
}

#[test]
fn swap_param_override_changes_the_amount() {
    let r = dry_run("examples/swap.ns", &[("amount", "2500 USDC")]);
    assert_clean("swap", &r);
    assert_eq!(delta(&r, "USDC"), "-2500000000");
}

#[test]
fn swap_reverts_on_slippage_with_reason_and_line() {
    let r = dry_run("examples/swap.ns", &[("min_out", "1000 WETH")]);
    assert!(!r.success);
    let revert = r.revert.expect("revert info");
    assert!(
        revert.reason.contains("INSUFFICIENT_OUTPUT_AMOUNT"),
        "{}",
        revert.reason
    );
    assert_eq!(
        revert.location.as_deref(),
        Some("examples/swap.ns:8:1"),
        "{revert:?}"
    );
    // A revert undoes everything: nothing changes, nothing is left.
    assert!(r.asset_changes.is_empty());
    assert!(r.allowances_left.is_empty());
}

#[test]
fn usdt_to_dai_handles_usdt_quirks() {
    let r = dry_run("examples/usdt_to_dai.ns", &[]);
    assert_clean("usdt_to_dai", &r);
    assert_eq!(delta(&r, "USDT"), "-5000000000");
    let dai: u128 = delta(&r, "DAI").parse().unwrap();
    assert!(dai > 4_950 * 10u128.pow(18), "DAI delta {dai}");
}

#[test]
fn route_via_weth_checks_balances() {
    let r = dry_run("examples/route_via_weth.ns", &[]);
    assert_clean("route_via_weth", &r);
    assert_eq!(delta(&r, "USDC"), "-20000000000");
    let dai: u128 = delta(&r, "DAI").parse().unwrap();
    assert!(dai >= 19_000 * 10u128.pow(18));
    assert_eq!(delta(&r, "WETH"), "0");
}

#[test]
fn every_example_and_codegen_case_runs_clean() {
    for f in files("examples", "ns")
        .into_iter()
        .chain(files("tests/codegen", "ns"))
    {
        let r = dry_run(&f, &[]);
        assert!(
            r.allowances_left.is_empty(),
            "{f} left permissions: {:?}",
            r.allowances_left
        );
        assert!(r.success, "{f} reverted: {:?}", r.revert);
    }
}

/// Foundry-style gas snapshot: `tests/.gas-snapshot`, one line per program.
/// A change in cost fails this test; bless with `UPDATE_GAS_SNAPSHOT=1 cargo test`.
#[test]
fn gas_snapshot() {
    let mut lines = BTreeMap::new();
    for f in files("examples", "ns")
        .into_iter()
        .chain(files("tests/codegen", "ns"))
    {
        let c = compile_file(&f, &[]).unwrap();
        let r = dry_run(&f, &[]);
        // The trailer's fingerprint changes with any source byte (a doc comment in
        // the stdlib): the snapshot counts the code and data only, so that it moves
        // only when generated code does.
        let code = &c.bytes[..c.artifact.code_size];
        let code_calldata: u64 = code.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum();
        lines.insert(
            f.clone(),
            format!(
                "{f} execution={} hyvm_overhead={} code_calldata={} code_bytes={} instructions={}",
                r.gas.execution,
                r.gas.hyvm_overhead,
                code_calldata,
                code.len(),
                r.guest_instructions
            ),
        );
    }
    let text: String = lines.values().map(|l| format!("{l}\n")).collect();
    let path = root().join("tests/.gas-snapshot");
    if std::env::var_os("UPDATE_GAS_SNAPSHOT").is_some() || !path.exists() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        old, text,
        "gas changed; review and bless with UPDATE_GAS_SNAPSHOT=1 cargo test -p nest-tests"
    );
}

#[test]
fn require_failure_points_at_its_line() {
    let r = dry_run("examples/dca_slice.ns", &[("max_price", "2900 USDC")]);
    assert!(!r.success);
    let revert = r.revert.expect("revert");
    assert_eq!(revert.reason, "price above max");
    let location = revert.location.expect("a location");
    let text = std::fs::read_to_string(root().join("examples/dca_slice.ns")).unwrap();
    let line: usize = location.split(':').nth(1).unwrap().parse().unwrap();
    assert!(
        text.lines().nth(line - 1).unwrap().contains("require("),
        "{location} is not the require"
    );
}

/// The line of `file` a `file:line:col` location points at.
fn line_at(location: &str, text: &str) -> String {
    let line: usize = location.split(':').nth(1).unwrap().parse().unwrap();
    text.lines().nth(line - 1).unwrap().to_string()
}

#[test]
fn comet_custom_error_is_named_at_its_line() {
    // 12,000 USDC is fine against 10 WETH; 100,000 USDC is not.
    let file = "examples/compound_v3_supply.ns";
    let r = dry_run(
        file,
        &[("borrow", "100_000 USDC"), ("max_debt", "200_000 USDC")],
    );
    assert!(!r.success);
    let revert = r.revert.clone().expect("revert");
    assert_eq!(revert.reason, "NotCollateralized()");
    let error = revert.error.expect("a decoded custom error");
    assert_eq!(error.signature, "NotCollateralized()");
    assert!(error.args.is_empty());
    let location = revert.location.expect("a location");
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    assert!(
        line_at(&location, &text).contains("COMPOUND_V3_USDC.withdraw(USDC, borrow)"),
        "{location} is not the borrow"
    );
    // The human report says it too, and JSON carries the error decoded.
    assert!(
        r.render(false).contains("NotCollateralized()"),
        "{}",
        r.render(false)
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["revert"]["error"]["name"], "NotCollateralized");
}

/// Runtime code that reverts with `Overdrawn(uint256 left, address who)` = (42, 0x…beef),
/// whatever it is called with: the selector in memory 0..4, the arguments after it.
fn overdrawn_reverter() -> Vec<u8> {
    let hash = alloy_primitives::keccak256(b"Overdrawn(uint256,address)");
    let mut code = vec![0x63]; // PUSH4 selector
    code.extend_from_slice(&hash[..4]);
    code.extend_from_slice(&[
        0x60, 0xe0, 0x1b, // PUSH1 224, SHL
        0x60, 0x00, 0x52, // PUSH1 0, MSTORE
        0x60, 0x2a, 0x60, 0x04, 0x52, // PUSH1 42, PUSH1 4, MSTORE
        0x61, 0xbe, 0xef, 0x60, 0x24, 0x52, // PUSH2 0xbeef, PUSH1 36, MSTORE
        0x60, 0x44, 0x60, 0x00, 0xfd, // PUSH1 68, PUSH1 0, REVERT
    ]);
    code
}

#[test]
fn the_scripts_own_error_decodes_a_contract_the_devnet_does_not_know() {
    let text = "interface ILedger {\n    /// Not enough left for the caller.\n    error Overdrawn(uint256 left, address who);\n    function take(uint256 amount);\n}\nILedger(0x00000000000000000000000000000000000C0DE5).take(100)\n";
    let resolver = nest_driver::MemoryResolver::new();
    let req = nest_driver::CompileRequest {
        name: "ledger.ns",
        text,
        resolver: &resolver,
        params: &[],
    };
    let c = nest_driver::compile(&req).unwrap_or_else(|f| {
        panic!(
            "{}",
            nest_diagnostics::render_plain(&f.diagnostics, &f.sources)
        )
    });
    assert_eq!(
        c.artifact.errors[0].declaration,
        "error Overdrawn(uint256 left, address who)"
    );
    let mut devnet = Devnet::new(&Scenario::default()).expect("devnet");
    let ledger = alloy_primitives::address!("00000000000000000000000000000000000C0DE5");
    devnet.set_code(ledger, overdrawn_reverter().into());

    let r = run_compiled("ledger.ns", &c, &devnet);
    let revert = r.revert.clone().expect("revert");
    assert_eq!(
        revert.reason,
        "Overdrawn(left: 42, who: 0x000000000000000000000000000000000000bEEF)"
    );
    assert_eq!(revert.location.as_deref(), Some("ledger.ns:6:1"));
    let error = revert.error.expect("decoded");
    assert_eq!(error.args[0].name, "left");
    assert_eq!(error.args[0].value, "42");

    // Without the script's declarations the devnet can only show the data.
    let bare = RunContext {
        signatures: vec!["take(uint256)".into()],
        ..RunContext::default()
    };
    let r = devnet.dry_run(&c.bytes, &bare).expect("dry run");
    assert!(r.revert.expect("revert").reason.starts_with("0x"));
}

#[test]
fn a_call_to_an_address_without_code_is_named_at_its_line() {
    let interface = "interface IThing {\n    function get(address who) external view returns (uint256);\n    function poke(uint256 x) external;\n}\nconst T = IThing(0x1111111111111111111111111111111111111111)\n";
    // A result that is read (its validation fails) and a call without outputs (its code
    // check fails): either way the report names the call, its line and the missing code.
    for (statement, reason) in [
        (
            "let v = T.get(self)\nrequire(v > 0, \"zero\")",
            "nest: malformed return data",
        ),
        ("T.poke(1)", "nest: call to an address without code"),
    ] {
        let r = dry_run_text(&format!("{interface}{statement}\n"));
        assert!(!r.success, "{statement}: succeeded");
        let revert = r.revert.clone().expect("revert");
        assert_eq!(revert.reason, reason);
        assert_eq!(
            revert.location.as_deref(),
            Some("test.ns:6:1"),
            "{revert:?}"
        );
        let call = revert.call.clone().expect("the call");
        assert!(
            call.starts_with("0x1111111111111111111111111111111111111111."),
            "{call}"
        );
        let note = revert.note.clone().expect("a note");
        assert!(note.contains("has no code"), "{note}");
        assert!(r.render(false).contains(&note), "{}", r.render(false));
    }
}

#[test]
fn a_failure_early_in_a_script_is_located_at_its_own_line() {
    // The failure stubs sit after the script's last statement; the report must point at
    // the statement that jumped there, not at whatever the stub's code follows.
    let require = "param x: uint256 = 5\nrequire(block.timestamp < 10, \"too late\")\nlet y = x + 1\nlet z = y * 2\nreturn z\n";
    let index = "param x: uint256 = 5\nlet a = [1, 2, 3]\nlet y = a[block.timestamp % 7 + 3]\nlet z = y * x\nreturn z\n";
    for (text, reason, line) in [
        (require, "too late", "test.ns:2:1"),
        (
            index,
            "panic 0x32 (array index out of bounds)",
            "test.ns:3:1",
        ),
    ] {
        let r = dry_run_text(text);
        let revert = r.revert.expect("a revert");
        assert_eq!(revert.reason, reason);
        assert_eq!(revert.location.as_deref(), Some(line), "{text}");
    }
}

#[test]
fn usdt_refusing_a_non_zero_change_is_set_through_zero() {
    // The second approve changes a non-zero USDT allowance: USDT reverts, and the slow
    // path sets zero, then the amount (without asking for the refused amount again).
    let text = "use std::ethereum::{USDT, UNISWAP_V2_ROUTER}\nuse std::erc20::{IERC20}\napprove(USDT, UNISWAP_V2_ROUTER, 5 USDT)\napprove(USDT, UNISWAP_V2_ROUTER, 7 USDT)\nreturn IERC20(address(USDT)).allowance(self, UNISWAP_V2_ROUTER)\n";
    let r = dry_run_text(text);
    assert_clean("usdt", &r);
    // Each USDT approve: its amount (the input's last word) and whether it succeeded.
    let approves: Vec<(u64, bool)> = r
        .calls
        .iter()
        .filter(|c| c.name.as_deref() == Some("USDT"))
        .filter(|c| c.signature.as_deref() == Some("approve(address,uint256)"))
        .map(|c| {
            let amount = u64::from_str_radix(&c.input[c.input.len() - 16..], 16).unwrap();
            (amount, c.success)
        })
        .collect();
    assert_eq!(
        approves,
        [
            (5_000_000, true),
            (7_000_000, false),
            (0, true),
            (7_000_000, true),
            (0, true),
            (0, true),
        ]
    );
    assert_eq!(r.return_data, format!("0x{:064x}", 7_000_000));
}

#[test]
fn return_data_that_does_not_decode_is_blamed_on_the_call_at_its_line() {
    // USDT's `transfer` returns nothing; the interface declares a `bool`.
    let text = "use std::ethereum::{USDT}\nuse std::erc20::IERC20\nlet b = IERC20(USDT).transfer(0x000000000000000000000000000000000000dEaD, 0.000005 USDT)\nreturn 1\n";
    let r = dry_run_text(text);
    let revert = r.revert.clone().expect("a revert");
    assert_eq!(revert.reason, nest_artifact::reasons::MALFORMED_RETURN);
    assert_eq!(
        revert.call.as_deref(),
        Some("USDT.transfer(address,uint256)")
    );
    assert_eq!(revert.location.as_deref(), Some("test.ns:3:1"));
    let note = revert.note.clone().expect("a note");
    assert!(
        note.starts_with("USDT.transfer(address,uint256) returned 0 bytes"),
        "{note}"
    );
    assert!(r.render(false).contains(&note));
}

#[test]
fn an_approve_that_does_not_take_is_blamed_on_the_approve_at_its_line() {
    // A token whose every function answers `false`.
    let bad = "0x2222222222222222222222222222222222222222";
    let text = format!(
        "use std::ethereum::{{UNISWAP_V2_ROUTER}}\ntoken BAD = {bad}, decimals 18\nlet x = 1\napprove(BAD, UNISWAP_V2_ROUTER, 5 BAD)\nreturn x\n"
    );
    let req = nest_driver::CompileRequest {
        name: "test.ns",
        text: &text,
        resolver: &nest_tests::RepoResolver,
        params: &[],
    };
    let c = nest_driver::compile_with(&req, &nest_driver::Options::default())
        .unwrap_or_else(|f| panic!("{f}"));
    let mut devnet = Devnet::new(&Scenario::default()).expect("devnet");
    // PUSH0 PUSH0 MSTORE PUSH1 32 PUSH0 RETURN: 32 zero bytes.
    devnet.set_code(
        bad.parse().expect("address"),
        vec![0x5f, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3].into(),
    );
    let r = run_compiled("test.ns", &c, &devnet);
    let revert = r.revert.clone().expect("a revert");
    assert_eq!(revert.reason, nest_artifact::reasons::APPROVE_FAILED);
    let call = revert.call.clone().expect("the approve");
    assert!(call.ends_with(".approve(address,uint256)"), "{call}");
    assert_eq!(revert.location.as_deref(), Some("test.ns:4:1"));
    let note = revert.note.clone().expect("a note");
    assert!(note.ends_with("did not set the allowance"), "{note}");
}

#[test]
fn a_scripts_revert_reason_cannot_redraw_the_terminal() {
    let text = "require(block.timestamp < 10, \"\\u{1b}[2K\\r\\u{1b}[32m✓ success\\u{1b}[0m\")\nreturn 1\n";
    let r = dry_run_text(text);
    let reason = r.revert.clone().expect("a revert").reason;
    assert_eq!(reason, "\u{1b}[2K\r\u{1b}[32m✓ success\u{1b}[0m");
    let shown = r.render(false);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\r'),
        "{shown}"
    );
    assert!(
        shown.starts_with("✗ reverted: \\u{1b}[2K\\r\\u{1b}[32m✓ success\\u{1b}[0m\n"),
        "{shown}"
    );
}

/// A payload from outside the compiler that makes one call and stops: the call data is
/// copied from the end of the code, then sent to `to`.
fn raw_call_payload(to: [u8; 20], calldata: &[u8]) -> Vec<u8> {
    const CODE_LEN: u16 = 40;
    let len = (calldata.len() as u16).to_be_bytes();
    let mut p = vec![0x61, len[0], len[1], 0x61, 0, CODE_LEN as u8, 0x5f, 0x39];
    // CALL(gas, to, 0, 0, len, 0, 0), then STOP
    p.extend([0x5f, 0x5f, 0x61, len[0], len[1], 0x5f, 0x5f, 0x73]);
    p.extend(to);
    p.extend([0x5a, 0xf1, 0x50, 0x00]);
    assert_eq!(p.len(), CODE_LEN as usize);
    p.extend_from_slice(calldata);
    p
}

#[test]
fn a_permit2_allowance_left_behind_reads_as_one() {
    // The compiler cannot leave one (a `#[grants]` that does not revoke is E0408), so
    // the payload is written by hand: Permit2.approve(USDC, 0x…dEaD, 5, 2000000000).
    let word = |b: &[u8]| {
        let mut w = [0u8; 32];
        w[32 - b.len()..].copy_from_slice(b);
        w
    };
    let usdc = alloy_primitives::address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    let dead = alloy_primitives::address!("000000000000000000000000000000000000dEaD");
    let permit2 = alloy_primitives::address!("000000000022D473030F116dDEE9F6B43aC78BA3");
    let mut calldata =
        alloy_primitives::keccak256("approve(address,address,uint160,uint48)")[..4].to_vec();
    calldata.extend(word(usdc.as_slice()));
    calldata.extend(word(dead.as_slice()));
    calldata.extend(word(&[5]));
    calldata.extend(word(&2_000_000_000u32.to_be_bytes()));
    let payload = raw_call_payload(permit2.0 .0, &calldata);
    let devnet = Devnet::new(&Scenario::default()).expect("devnet");
    let r = devnet
        .dry_run(&payload, &RunContext::default())
        .expect("dry run");
    assert!(r.success, "{}", r.render(false));
    assert_eq!(r.allowances_left.len(), 1, "{}", r.render(false));
    assert_eq!(r.allowances_left[0].kind, "permit2-allowance");
    let shown = r.render(false);
    assert!(
        shown.contains("Permit2 allowance of 0x000000000000000000000000000000000000dEaD over the vault's USDC: 0.000005 USDC (was 0 USDC)"),
        "{shown}"
    );
    assert!(!shown.contains("operator"), "{shown}");
}

#[test]
fn a_value_the_vault_cannot_pay_is_said_so() {
    let text = "use std::weth::IWETH\nuse std::ethereum::{WETH}\nconst W = IWETH(WETH)\nW.deposit{value: 2_000 ether}()\nreturn eth_balance()\n";
    let r = dry_run_text(text);
    let revert = r.revert.clone().expect("a revert");
    assert_eq!(revert.location.as_deref(), Some("test.ns:4:1"));
    assert_eq!(
        revert.note.as_deref(),
        Some(
            "the vault's balance (1,000 ETH) is below the 2,000 ETH sent: WETH.deposit() never ran"
        )
    );
}

#[test]
fn an_nft_leaving_the_vault_is_an_asset_change() {
    let text = "use std::erc721::IERC721\nIERC721(0xcd394391aEa1EC56d7b423B487C7c25347eb9606).transferFrom(self, 0x000000000000000000000000000000000000dEaD, 1)\nreturn 1\n";
    let r = dry_run_text(text);
    assert!(r.success, "{}", r.render(false));
    let nft: Vec<(&str, Option<&str>, &str)> = r
        .asset_changes
        .iter()
        .map(|c| (c.symbol.as_str(), c.token_id.as_deref(), c.delta.as_str()))
        .collect();
    assert_eq!(nft, [("DEVNFT", Some("1"), "-1")]);
    assert!(
        r.render(false).contains("DEVNFT #1  -1  (left the vault)"),
        "{}",
        r.render(false)
    );
}
