//! What a platform checking a payload must see in the report, in JSON and in the human
//! form: text from contracts printed inert, each kind of permission left behind in its own
//! words, writes to the vault's own storage, value the vault could not pay, and NFTs that
//! left the vault.

use crate::support::*;

/// A guest that sends `wei` to `to` with no calldata and reverts (no data) if the call
/// failed.
fn value_call_payload(to: Address, wei: u128) -> Vec<u8> {
    let mut code = vec![0x5f, 0x5f, 0x5f, 0x5f, 0x6f]; // 4 × PUSH0, PUSH16 value
    code.extend_from_slice(&wei.to_be_bytes());
    code.push(0x73); // PUSH20 to
    code.extend_from_slice(to.as_slice());
    let fail = u8::try_from(code.len() + 7).unwrap_or_else(|_| panic!("too long"));
    // GAS CALL ISZERO PUSH1 fail JUMPI STOP JUMPDEST PUSH0 PUSH0 REVERT
    code.extend_from_slice(&[
        0x5a, 0xf1, 0x15, 0x60, fail, 0x57, 0x00, 0x5b, 0x5f, 0x5f, 0xfd,
    ]);
    code
}

#[test]
fn a_payload_writing_the_vaults_storage_is_flagged() {
    // PUSH2 0xdead PUSH1 0 SSTORE
    let report = run(
        &[0x61, 0xde, 0xad, 0x60, 0x00, 0x55],
        &RunContext::default(),
    );
    assert!(report.success, "{}", report.render(false));
    let changes = &report.vault_storage_changes;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].slot, format!("0x{}", "0".repeat(64)));
    assert_eq!(changes[0].before, format!("0x{}", "0".repeat(64)));
    assert_eq!(changes[0].after, format!("0x{}dead", "0".repeat(60)));
    let json = report.to_json();
    assert_eq!(json["vault_storage_changes"][0]["after"], changes[0].after);
    let text = report.render(false);
    assert!(
        text.contains("⚠ the payload wrote the vault's own storage (1 slot(s))"),
        "{text}"
    );
    assert!(text.contains("slot 0x0: 0x0 → 0xdead"), "{text}");
}

#[test]
fn an_ordinary_payload_leaves_the_vaults_storage_alone() {
    let payload = calls_payload(&[(USDC, transfer_calldata(FRIEND, U256::from(5)))]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert!(report.vault_storage_changes.is_empty());
    assert!(!report.render(false).contains("vault's own storage"));
}

#[test]
fn a_value_call_the_vault_cannot_pay_is_not_blamed_on_the_callee() {
    // The default vault holds 1,000 ETH.
    let report = run(
        &value_call_payload(WETH, 2_000 * ETHER),
        &RunContext::default(),
    );
    assert!(!report.success);
    let revert = report.revert.clone().expect("a revert");
    assert_eq!(revert.call.as_deref(), Some("WETH"));
    let note = revert.note.clone().expect("a note");
    assert_eq!(
        note,
        "the vault's balance (1,000 ETH) is below the 2,000 ETH sent: WETH never ran"
    );
    assert!(report.render(false).contains(&note));

    // A call the vault can pay that fails gets no such note.
    let report = run(&value_call_payload(DEVNFT, ETHER), &RunContext::default());
    assert!(!report.success, "{}", report.render(false));
    assert_eq!(report.revert.expect("a revert").note, None);
}

#[test]
fn an_nft_leaving_the_vault_is_an_asset_change() {
    let id = U256::from(VAULT_NFT_IDS[0]);
    let send = INft::safeTransferFromCall {
        from: VAULT,
        to: FRIEND,
        id,
    };
    let report = run(
        &calls_payload(&[(DEVNFT, send.abi_encode())]),
        &RunContext::default(),
    );
    assert!(report.success, "{}", report.render(false));
    let change = report
        .asset_changes
        .iter()
        .find(|c| c.token_id.is_some())
        .unwrap_or_else(|| panic!("no NFT change: {}", report.render(false)));
    assert_eq!(change.token, DEVNFT.to_checksum(None));
    assert_eq!(change.token_id.as_deref(), Some(id.to_string().as_str()));
    assert_eq!(
        (
            change.before.as_str(),
            change.after.as_str(),
            change.delta.as_str()
        ),
        ("1", "0", "-1")
    );
    let json = report.to_json();
    assert_eq!(json["asset_changes"][0]["token_id"], id.to_string());
    let text = report.render(false);
    assert!(
        text.contains(&format!("{} #{id}  -1  (left the vault)", change.symbol)),
        "{text}"
    );
    // ERC-20 changes carry no `token_id` in JSON.
    let payload = calls_payload(&[(USDC, transfer_calldata(FRIEND, U256::from(5)))]);
    let json = run(&payload, &RunContext::default()).to_json();
    assert!(json["asset_changes"][0].get("token_id").is_none(), "{json}");
}

#[test]
fn an_nft_the_vault_sends_to_itself_is_no_change() {
    // The `Transfer` names the vault, but its ownership is measured, not read off the log.
    let id = U256::from(VAULT_NFT_IDS[1]);
    let send = INft::safeTransferFromCall {
        from: VAULT,
        to: VAULT,
        id,
    };
    let report = run(
        &calls_payload(&[(DEVNFT, send.abi_encode())]),
        &RunContext::default(),
    );
    assert!(report.success, "{}", report.render(false));
    assert!(
        report.asset_changes.is_empty(),
        "{:?}",
        report.asset_changes
    );
}

/// The human line of the only permission left behind by `payload`.
fn permission_line(payload: &[u8]) -> String {
    let report = run(payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    assert_eq!(report.allowances_left.len(), 1, "{}", report.render(false));
    let text = report.render(false);
    let mut lines = text
        .lines()
        .skip_while(|l| !l.contains("permission(s) left behind"));
    lines.nth(1).unwrap_or_default().trim().to_string()
}

#[test]
fn each_kind_of_permission_is_rendered_in_its_own_words() {
    let permit2 = IPermit2::approveCall {
        token: USDC,
        spender: FRIEND,
        amount: alloy_primitives::aliases::U160::from(5_000_000u64),
        expiration: alloy_primitives::aliases::U48::from(4_000_000_000u64),
    };
    assert_eq!(
        permission_line(&calls_payload(&[(PERMIT2, permit2.abi_encode())])),
        format!("Permit2 allowance of {FRIEND} over the vault's USDC: 5 USDC (was 0 USDC)")
    );
    assert_eq!(
        permission_line(&calls_payload(&[(
            USDC,
            approve_calldata(FRIEND, U256::from(1))
        )])),
        format!("USDC allowance of {FRIEND}: 0.000001 USDC (was 0 USDC)")
    );
    assert_eq!(
        permission_line(&calls_payload(&[(
            USDC,
            approve_calldata(FRIEND, U256::MAX)
        )])),
        format!("USDC allowance of {FRIEND}: unlimited (was 0 USDC)")
    );
    let nft = INft::approveCall {
        to: FRIEND,
        id: U256::from(VAULT_NFT_IDS[0]),
    };
    assert_eq!(
        permission_line(&calls_payload(&[(DEVNFT, nft.abi_encode())])),
        format!(
            "DevNFT #{} approved to {FRIEND} (was not approved to it)",
            VAULT_NFT_IDS[0]
        )
    );
    let all = INft::setApprovalForAllCall {
        operator: FRIEND,
        approved: true,
    };
    assert_eq!(
        permission_line(&calls_payload(&[(DEVNFT, all.abi_encode())])),
        format!(
            "{FRIEND} is an operator of every DevNFT token the vault holds (was not an operator)"
        )
    );
    let debt = devnet()
        .world()
        .layout
        .aave_reserve(USDC)
        .expect("USDC reserve")
        .variable_debt_token;
    let delegate = IDebtToken::approveDelegationCall {
        delegatee: FRIEND,
        amount: U256::from(7_000_000),
    };
    assert_eq!(
        permission_line(&calls_payload(&[(debt, delegate.abi_encode())])),
        format!(
            "{FRIEND} may borrow 7 in variableDebtEthUSDC units on the vault's credit \
             (Aave credit delegation, variableDebtEthUSDC) (was 0)"
        )
    );
}
