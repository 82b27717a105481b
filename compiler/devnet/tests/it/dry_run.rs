//! Dry runs of hand-assembled payloads on the devnet, and scenario files.

use crate::support::*;
use alloy_primitives::hex;
use nest_devnet::addresses::UNISWAP_V2_ROUTER;

const RECIPIENT: Address = address!("00000000000000000000000000000000000beef1");

/// `approve(spender, amount)` calldata.
fn approve(spender: Address, amount: u64) -> Vec<u8> {
    approve_calldata(spender, U256::from(amount))
}

/// `transfer(to, amount)` calldata.
fn transfer(to: Address, amount: u64) -> Vec<u8> {
    transfer_calldata(to, U256::from(amount))
}

#[test]
fn a_returned_word_is_decoded_with_the_return_types() {
    // PUSH1 3, PUSH1 4, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
    let payload = hex::decode("600360040160005260206000f3").unwrap_or_default();
    let ctx = RunContext {
        return_types: vec!["uint256".into()],
        ..RunContext::default()
    };
    let report = run(&payload, &ctx);
    assert!(report.success);
    assert!(report.revert.is_none());
    assert_eq!(report.return_values, Some(vec![serde_json::json!("7")]));
    assert_eq!(report.return_data, format!("0x{}", "0".repeat(62) + "07"));
    assert!(report.calls.is_empty());
    assert!(report.asset_changes.is_empty());
    assert!(report.allowances_left.is_empty());
    assert_eq!(report.guest_instructions, 8);

    let g = report.gas;
    assert_eq!(g.base, 21_000);
    assert_eq!(g.calldata, 11 * 16 + 2 * 4); // two zero bytes among thirteen
    assert_eq!(
        g.base + g.calldata + g.vault_overhead + g.execution + g.hyvm_overhead - g.refund
            + g.calldata_floor_topup,
        g.total
    );

    let json = report.to_json();
    assert_eq!(json["return"], serde_json::json!(["7"]));
    assert_eq!(json["success"], serde_json::json!(true));
    let text = report.render(false);
    assert!(text.starts_with("✓ success"), "{text}");
    assert!(text.contains("return 7"), "{text}");
    assert!(text.contains("no permission left behind"), "{text}");
    assert!(!text.contains('\x1b'), "no colour was asked for");
    assert!(report.render(true).contains('\x1b'));
}

#[test]
fn without_return_types_the_raw_data_is_shown() {
    let payload = hex::decode("600360040160005260206000f3").unwrap_or_default();
    let report = run(&payload, &RunContext::default());
    assert_eq!(report.return_values, None);
    assert!(report.render(false).contains("return data 0x0000"));
}

/// A guest that jumps from pc 2 to a stub at pc 4 which reverts with `Error(message)` copied
/// from the data section.
fn error_payload(message: &str) -> Vec<u8> {
    let blob = alloy_sol_types::Revert::from(message).abi_encode();
    let len = u16::try_from(blob.len()).unwrap_or_else(|_| panic!("message too long"));
    let mut code = vec![0x60, 0x04, 0x56, 0x00, 0x5b, 0x61];
    code.extend_from_slice(&len.to_be_bytes());
    code.extend_from_slice(&[0x61, 0x00, 18, 0x5f, 0x39, 0x61]);
    code.extend_from_slice(&len.to_be_bytes());
    code.extend_from_slice(&[0x5f, 0xfd]);
    assert_eq!(code.len(), 18);
    code.extend_from_slice(&blob);
    code
}

#[test]
fn an_error_string_is_decoded_and_located_at_the_jump_into_the_stub() {
    let ctx = RunContext {
        source_map: vec![
            (0, "t.ns:1:1".into()),
            (2, "t.ns:2:5".into()),
            (4, "t.ns:9:1".into()),
        ],
        ..RunContext::default()
    };
    let report = run(&error_payload("slippage too high"), &ctx);
    assert!(!report.success);
    let revert = report
        .revert
        .clone()
        .unwrap_or_else(|| panic!("no revert info"));
    assert_eq!(revert.reason, "slippage too high");
    assert_eq!(revert.pc, Some(2));
    assert_eq!(revert.location.as_deref(), Some("t.ns:2:5"));
    assert_eq!(revert.call, None);
    assert!(report.events.is_empty());
    let text = report.render(false);
    assert!(
        text.starts_with("✗ reverted: slippage too high\n  at t.ns:2:5 (pc 2)"),
        "{text}"
    );
}

#[test]
fn a_refused_opcode_is_reported_with_its_pc() {
    // PUSH0 ×7, CALLCODE: the HyVM refuses it and reverts with no data.
    let report = run(
        &[0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0xf2],
        &RunContext::default(),
    );
    let revert = report.revert.unwrap_or_else(|| panic!("no revert info"));
    assert_eq!(revert.reason, "refused opcode CALLCODE at pc 7");
    assert_eq!(revert.pc, Some(7));
}

#[test]
fn an_approval_left_behind_is_caught() {
    let payload = calls_payload(&[(USDC, approve(UNISWAP_V2_ROUTER, 1))]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success);
    assert_eq!(
        report.allowances_left.len(),
        1,
        "{:?}",
        report.allowances_left
    );
    let left = &report.allowances_left[0];
    assert_eq!(left.kind, "erc20-allowance");
    assert_eq!(left.token, USDC.to_checksum(None));
    assert_eq!(left.symbol.as_deref(), Some("USDC"));
    assert_eq!(left.spender, UNISWAP_V2_ROUTER.to_checksum(None));
    assert_eq!(left.spender_name.as_deref(), Some("UniswapV2Router02"));
    assert_eq!((left.before.as_str(), left.after.as_str()), ("0", "1"));
    assert!(report.asset_changes.is_empty());

    assert_eq!(report.events.len(), 1);
    assert_eq!(
        report.events[0].event.as_deref(),
        Some("Approval(address,address,uint256)")
    );
    let text = report.render(false);
    assert!(text.contains("1 permission(s) left behind"), "{text}");
    assert!(
        text.contains("USDC allowance of UniswapV2Router02: 0.000001 USDC (was 0 USDC)"),
        "{text}"
    );
}

#[test]
fn an_approval_revoked_before_the_end_is_not_left_behind() {
    let payload = calls_payload(&[
        (USDC, approve(UNISWAP_V2_ROUTER, 1)),
        (USDT, approve(UNISWAP_V2_ROUTER, 5)),
        (USDC, approve(UNISWAP_V2_ROUTER, 0)),
    ]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success);
    let left: Vec<&str> = report
        .allowances_left
        .iter()
        .filter_map(|a| a.symbol.as_deref())
        .collect();
    assert_eq!(left, ["USDT"]);
    assert_eq!(report.calls.len(), 3);
    // USDT's approve returns nothing: decoded with no return values.
    assert_eq!(report.calls[1].returns, Some(vec![]));
}

#[test]
fn a_transfer_changes_the_vault_balance_by_exactly_its_amount() {
    let amount = 1_000_000_000; // 1,000 USDC
    let payload = calls_payload(&[(USDC, transfer(RECIPIENT, amount))]);
    let code_len = CALL_CODE_LEN + 1;
    let ctx = RunContext {
        source_map: vec![(0, "pay.ns:3:1".into()), (code_len, "pay.ns:99:1".into())],
        ..RunContext::default()
    };
    let report = run(&payload, &ctx);
    assert!(report.success);
    assert_eq!(report.asset_changes.len(), 1, "{:?}", report.asset_changes);
    let usdc = &report.asset_changes[0];
    assert_eq!(usdc.symbol, "USDC");
    assert_eq!(usdc.decimals, 6);
    assert_eq!(usdc.token, USDC.to_checksum(None));
    assert_eq!(usdc.before, "1000000000000");
    assert_eq!(usdc.after, "999000000000");
    assert_eq!(usdc.delta, "-1000000000");

    let call = &report.calls[0];
    assert_eq!(call.name.as_deref(), Some("USDC"));
    assert_eq!(call.kind, "call");
    assert_eq!(call.signature.as_deref(), Some("transfer(address,uint256)"));
    let args = call.args.clone().unwrap_or_default();
    assert_eq!(args.len(), 2);
    assert_eq!(
        args[0].value,
        serde_json::json!(RECIPIENT.to_checksum(None))
    );
    assert_eq!(args[1].value, serde_json::json!("1000000000"));
    let returns = call.returns.clone().unwrap_or_default();
    assert_eq!(returns.len(), 1);
    assert_eq!(returns[0].value, serde_json::json!(true));
    assert!(call.success);
    assert_eq!(call.location.as_deref(), Some("pay.ns:3:1"));
    assert!(call.pc.is_some_and(|pc| pc < code_len));

    let text = report.render(false);
    assert!(text.contains("USDC  -1,000.000000"), "{text}");
    assert!(text.contains("└─ USDC.transfer("), "{text}");
}

#[test]
fn dry_runs_start_from_the_same_state() {
    let payload = calls_payload(&[(USDC, transfer(RECIPIENT, 7))]);
    let first = run(&payload, &RunContext::default());
    let second = run(&payload, &RunContext::default());
    assert_eq!(first.asset_changes, second.asset_changes);
    assert_eq!(first.gas, second.gas);
    assert_eq!(first.render(false), second.render(false));
}

#[test]
fn a_failing_call_is_named_in_the_revert() {
    // Transfer more USDC than the vault has, then bubble the callee's revert data:
    // RETURNDATASIZE PUSH0 PUSH0 RETURNDATACOPY RETURNDATASIZE PUSH0 REVERT.
    let mut payload = calls_payload(&[(USDC, transfer(RECIPIENT, u64::MAX))]);
    let code_len = CALL_CODE_LEN + 1;
    let data = payload.split_off(code_len - 1);
    payload.extend_from_slice(&[0x3d, 0x5f, 0x5f, 0x3e, 0x3d, 0x5f, 0xfd]);
    // The data section moved by 6 bytes: patch the PUSH2 offset.
    let offset = u16::try_from(payload.len())
        .unwrap_or_default()
        .to_be_bytes();
    payload[3..5].copy_from_slice(&offset);
    payload.extend_from_slice(&data[1..]);
    let ctx = RunContext {
        source_map: vec![(0, "t.ns:4:2".into())],
        ..RunContext::default()
    };
    let report = run(&payload, &ctx);
    assert!(!report.success);
    let revert = report.revert.clone().unwrap_or_else(|| panic!("no revert"));
    assert_eq!(
        revert.call.as_deref(),
        Some("USDC.transfer(address,uint256)")
    );
    assert_eq!(revert.location.as_deref(), Some("t.ns:4:2"));
    assert!(!report.calls[0].success);
    assert_eq!(
        report.calls[0].revert_reason.as_deref(),
        Some(revert.reason.as_str())
    );
    assert!(report.asset_changes.is_empty());
}

#[test]
fn tokens_outside_the_devnet_list_are_found_from_transfer_events() {
    // WETH is a devnet token: its deposit shows as ETH out and WETH in.
    let mut payload = vec![
        0x5f, 0x5f, 0x5f, 0x5f, // retSize retOffset argsSize argsOffset = 0
        0x6a, // PUSH11 value
    ];
    let wei = 5u128 * 10u128.pow(17); // 0.5 ETH
    payload.extend_from_slice(&wei.to_be_bytes()[5..]);
    payload.push(0x73);
    payload.extend_from_slice(WETH.as_slice());
    payload.extend_from_slice(&[0x5a, 0xf1, 0x00]); // GAS CALL STOP
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(
        deltas(&report),
        [
            ("ETH", "-500000000000000000"),
            ("WETH", "500000000000000000")
        ]
    );
    let text = report.render(false);
    assert!(text.contains("ETH   -0.500000000000000000"), "{text}");
    assert!(text.contains("{value: 0.5 ETH}"), "{text}");
}

#[test]
fn a_scenario_file_sets_the_block_and_balances() {
    let scenario = scenario(
        r#"
        [block]
        number = 22000000
        timestamp = 1750000000

        [vault]
        eth = "2.5"
        [vault.tokens]
        USDC = 5000
        WETH = "0.25"

        [pools]
        eth_price_usd = 2500
        "#,
    );
    assert_eq!(scenario.block_number, 22_000_000);
    assert_eq!(scenario.timestamp, 1_750_000_000);
    assert_eq!(scenario.chain_id, 1);
    assert_eq!(
        scenario.vault_eth,
        U256::from(25u64) * U256::from(10u64).pow(U256::from(17))
    );
    // Every token the table leaves out starts at zero.
    let named: Vec<(Address, U256)> = scenario
        .vault_tokens
        .iter()
        .copied()
        .filter(|(_, amount)| !amount.is_zero())
        .collect();
    assert_eq!(scenario.vault_tokens.len(), 11);
    assert_eq!(
        named,
        vec![
            (USDC, U256::from(5_000_000_000u64)),
            (
                WETH,
                U256::from(25u64) * U256::from(10u64).pow(U256::from(16))
            ),
        ]
    );
    assert_eq!(scenario.eth_price_usd, 2500);
    assert_eq!(scenario.pool_depth_usd, Scenario::default().pool_depth_usd);

    let devnet = Devnet::new(&scenario).unwrap_or_else(|e| panic!("{e}"));
    // NUMBER, PUSH0, MSTORE, TIMESTAMP, PUSH1 32, MSTORE, PUSH1 64, PUSH0, RETURN
    let payload = [
        0x43, 0x5f, 0x52, 0x42, 0x60, 0x20, 0x52, 0x60, 0x40, 0x5f, 0xf3,
    ];
    let ctx = RunContext {
        return_types: vec!["uint256".into(), "uint256".into()],
        ..RunContext::default()
    };
    let report = run_on(&devnet, &payload, &ctx);
    assert_eq!(
        report.return_values,
        Some(vec![
            serde_json::json!("22000000"),
            serde_json::json!("1750000000")
        ])
    );
    let payload = calls_payload(&[(USDC, transfer(RECIPIENT, 5_000_000_000))]);
    let report = run_on(&devnet, &payload, &RunContext::default());
    assert_eq!(report.asset_changes[0].before, "5000000000");
    assert_eq!(report.asset_changes[0].after, "0");
}

#[test]
fn the_example_scenarios_parse() {
    for text in [
        include_str!("../../scenarios/default.toml"),
        include_str!("../../scenarios/small-vault.toml"),
    ] {
        scenario(text);
    }
    let default = scenario(include_str!("../../scenarios/default.toml"));
    assert_eq!(default, Scenario::default());
}

#[test]
fn bad_scenario_files_give_clear_errors() {
    let broken = scenario_error("[block\nnumber = 1\n");
    assert!(broken.contains("line 1"), "{broken}");

    let unknown_field = scenario_error("[block]\nheight = 5\n");
    assert!(
        unknown_field.contains("unknown field `height`"),
        "{unknown_field}"
    );
    assert!(unknown_field.contains("line 2"), "{unknown_field}");

    let unknown_token = scenario_error("[vault.tokens]\nFOO = 1\n");
    assert_eq!(
        unknown_token,
        "unknown token `FOO` in `[vault.tokens]`; the devnet has USDC, USDT, DAI, WETH, WBTC, \
         FALSY, FOT, stETH, wstETH, sDAI, steakUSDC"
    );

    let too_precise = scenario_error("[vault.tokens]\nUSDC = \"0.0000001\"\n");
    assert_eq!(
        too_precise,
        "`vault.tokens.USDC` = `0.0000001` is not an amount with at most 6 decimals"
    );

    let negative = scenario_error("[vault]\neth = -1\n");
    assert!(
        negative.contains("`vault.eth` must be a non-negative amount"),
        "{negative}"
    );

    let wrong_type = scenario_error("[block]\nnumber = \"soon\"\n");
    assert!(wrong_type.contains("invalid type"), "{wrong_type}");

    let zero_price = scenario_error("[pools]\neth_price_usd = 0\n");
    assert_eq!(zero_price, "`pools.eth_price_usd` must not be zero");

    let shown = DevnetError::Scenario(zero_price).to_string();
    assert_eq!(
        shown,
        "invalid scenario: `pools.eth_price_usd` must not be zero"
    );
}

#[test]
fn text_from_the_chain_is_printed_inert() {
    // A revert reason that would redraw the line as a green success.
    let fake = "\u{1b}[2K\r\u{1b}[32m✓ success\u{1b}[0m\nsecond line\u{202e}";
    let report = run(&error_payload(fake), &RunContext::default());
    let revert = report.revert.clone().expect("a revert");
    assert_eq!(revert.reason, fake, "JSON keeps the text raw");
    assert_eq!(report.to_json()["revert"]["reason"], fake);
    for color in [false, true] {
        let text = report.render(color);
        let first = text.lines().next().unwrap_or_default().to_string();
        assert!(
            first.ends_with("\\u{1b}[2K\\r\\u{1b}[32m✓ success\\u{1b}[0m\\nsecond line\\u{202e}"),
            "{first}"
        );
        assert!(!text.contains('\r') && !text.contains('\u{202e}'), "{text}");
        // Only the report's own colours are escape sequences.
        assert_eq!(text.contains('\u{1b}'), color, "{text}");
    }

    // An empty reason says so.
    let report = run(&error_payload(""), &RunContext::default());
    assert_eq!(report.revert.clone().expect("a revert").reason, "");
    let text = report.render(false);
    assert!(text.starts_with("✗ reverted: (empty reason)\n"), "{text}");

    // A decoded string argument is quoted and escaped.
    let to = Address::repeat_byte(0x11);
    sol! {
        interface INote {
            function note(string text) external;
        }
    }
    let calldata = INote::noteCall {
        text: "a\u{1b}[31m\nb".into(),
    }
    .abi_encode();
    let ctx = RunContext {
        signatures: vec!["function note(string text)".into()],
        ..RunContext::default()
    };
    let report = run(&calls_payload(&[(to, calldata)]), &ctx);
    let text = report.render(false);
    assert!(text.contains(".note(text: \"a\\u{1b}[31m\\nb\")"), "{text}");
}
