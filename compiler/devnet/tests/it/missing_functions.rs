//! A call that reaches a devnet contract lacking the function called is reported as such
//! ("the devnet's CometUSDC (Comet) has no `getCollateralReserves`"), not as a revert without a reason;
//! a function the fixture has, or a contract that is not the devnet's, keeps the usual
//! reason.

use crate::support::*;

const COMET_USDC: Address = address!("c3d688B66703497DAA19211EEdff47f25384cdc3");

sol! {
    function getCollateralReserves(address asset) external view returns (uint256);
    function getPrice(address priceFeed) external view returns (uint256);
}

/// One CALL to `target` with `calldata`; on failure, REVERT with empty data.
fn call_or_revert(target: Address, calldata: &[u8]) -> Vec<u8> {
    let len = u8::try_from(calldata.len()).expect("short calldata");
    // PUSH1 len, PUSH1 offset, PUSH0, CODECOPY, PUSH0, PUSH0, PUSH1 len, PUSH0, PUSH0,
    // PUSH20 target, GAS, CALL, PUSH1 ok, JUMPI, PUSH0, PUSH0, REVERT, ok: JUMPDEST, STOP.
    let code_len = 2 + 2 + 1 + 1 + 1 + 1 + 2 + 1 + 1 + 21 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 1;
    let ok = code_len - 2;
    let mut code = vec![
        0x60,
        len,
        0x60,
        code_len as u8,
        0x5f,
        0x39,
        0x5f,
        0x5f,
        0x60,
        len,
    ];
    code.extend_from_slice(&[0x5f, 0x5f, 0x73]);
    code.extend_from_slice(target.as_slice());
    code.extend_from_slice(&[
        0x5a, 0xf1, 0x60, ok as u8, 0x57, 0x5f, 0x5f, 0xfd, 0x5b, 0x00,
    ]);
    assert_eq!(code.len(), code_len);
    code.extend_from_slice(calldata);
    code
}

fn reason(report: &Report) -> &str {
    assert!(!report.success, "{}", report.render(false));
    &report.revert.as_ref().expect("a revert").reason
}

#[test]
fn a_function_the_fixture_lacks_is_named_from_the_scripts_interface() {
    let payload = call_or_revert(
        COMET_USDC,
        &getCollateralReservesCall { asset: WETH }.abi_encode(),
    );
    let ctx = RunContext {
        signatures: vec![
            "function getCollateralReserves(address asset) view returns (uint256)".into(),
        ],
        ..RunContext::default()
    };
    let report = run(&payload, &ctx);
    assert_eq!(
        reason(&report),
        "the devnet's CometUSDC (Comet) has no `getCollateralReserves` (see the book's Devnet coverage)"
    );
    // Without the script's interface, the selector stands in for the name.
    let report = run(&payload, &RunContext::default());
    let selector = alloy_primitives::hex::encode_prefixed(getCollateralReservesCall::SELECTOR);
    assert_eq!(
        reason(&report),
        format!(
            "the devnet's CometUSDC (Comet) has no `function {selector}` (see the book's Devnet \
             coverage)"
        )
    );
}

#[test]
fn a_function_the_fixture_has_keeps_its_own_reason() {
    // Comet has getPrice(address); an unlisted asset reverts in the fixture itself.
    let stranger = address!("00000000000000000000000000000000000f00d1");
    let payload = call_or_revert(
        COMET_USDC,
        &getPriceCall {
            priceFeed: stranger,
        }
        .abi_encode(),
    );
    let report = run(&payload, &RunContext::default());
    assert!(!reason(&report).contains("has no"), "{}", reason(&report));
}

#[test]
fn an_address_that_is_not_the_devnets_is_not_blamed_on_the_devnet() {
    // An EOA-like address: the call succeeds (no code), nothing reverts.
    let stranger = address!("00000000000000000000000000000000000f00d1");
    let payload = call_or_revert(
        stranger,
        &getPriceCall {
            priceFeed: stranger,
        }
        .abi_encode(),
    );
    assert!(run(&payload, &RunContext::default()).success);
    // A token without the function: named as the token's contract.
    let payload = call_or_revert(
        USDC,
        &getPriceCall {
            priceFeed: stranger,
        }
        .abi_encode(),
    );
    assert_eq!(
        reason(&run(&payload, &RunContext::default())),
        "the devnet's USDC (DevToken) has no `function 0x41976e09` (see the book's Devnet coverage)"
    );
}
