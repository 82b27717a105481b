//! The protocol fixtures behave as their interfaces promise, driven from a funded
//! EOA: the ERC-721, Permit2, and dry-run reports naming the protocols.

use crate::support::*;

#[test]
fn dry_run_reports_name_v3_and_aave_contracts() {
    let one_weth = units(1, 18);
    let swap = IRouter02::exactInputSingleCall {
        params: exact_input_single(WETH, USDC, 500, VAULT, one_weth),
    };
    let supply = aave_supply(DAI, units(1_000, 18), VAULT);
    let payload = calls_payload(&[
        (WETH, approve_calldata(UNISWAP_V3_ROUTER, one_weth)),
        (UNISWAP_V3_ROUTER, swap.abi_encode()),
        (DAI, approve_calldata(AAVE_V3_POOL, units(1_000, 18))),
        (AAVE_V3_POOL, supply.abi_encode()),
    ]);
    let report = run(&payload, &RunContext::default());
    assert!(report.success, "{}", report.render(false));
    let swap_call = &report.calls[1];
    assert_eq!(swap_call.name.as_deref(), Some("SwapRouter02"));
    assert_eq!(
        swap_call.signature.as_deref(),
        Some("exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))")
    );
    let pool = swap_call
        .calls
        .iter()
        .find(|c| c.signature.as_deref() == Some("swap(address,bool,int256,uint160,bytes)"));
    assert_eq!(
        pool.and_then(|c| c.name.as_deref()),
        Some("UniswapV3Pool USDC/WETH 0.05%")
    );
    assert_eq!(report.calls[3].name.as_deref(), Some("AavePool"));
    let changes = deltas(&report);
    assert!(
        changes.contains(&("WETH", "-1000000000000000000")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&("DAI", "-1000000000000000000000")),
        "{changes:?}"
    );
    assert!(
        changes.contains(&("aEthDAI", "1000000000000000000000")),
        "{changes:?}"
    );
    assert!(
        changes.iter().any(|(s, d)| *s == "USDC" && d.len() == 10),
        "{changes:?}"
    );
    assert!(
        report.allowances_left.is_empty(),
        "{:?}",
        report.allowances_left
    );
    let text = report.render(false);
    assert!(text.contains("SwapRouter02.exactInputSingle("), "{text}");
}

#[test]
fn devnft_approves_operators_and_transfers_safely_to_the_vault() {
    let mut world = world();
    let id = U256::from(77);
    send(
        &mut world,
        TRADER,
        DEVNFT,
        U256::ZERO,
        INft::mintCall { to: TRADER, id },
    );
    send(
        &mut world,
        TRADER,
        DEVNFT,
        U256::ZERO,
        INft::approveCall { to: FRIEND, id },
    );
    assert_eq!(view(&world, DEVNFT, INft::getApprovedCall { id }), FRIEND);
    send(
        &mut world,
        TRADER,
        DEVNFT,
        U256::ZERO,
        INft::setApprovalForAllCall {
            operator: FRIEND,
            approved: true,
        },
    );
    assert!(view(
        &world,
        DEVNFT,
        INft::isApprovedForAllCall {
            owner: TRADER,
            operator: FRIEND
        }
    ));
    // The vault answers onERC721Received to anyone but its owner.
    send(
        &mut world,
        FRIEND,
        DEVNFT,
        U256::ZERO,
        INft::safeTransferFromCall {
            from: TRADER,
            to: VAULT,
            id,
        },
    );
    assert_eq!(view(&world, DEVNFT, INft::ownerOfCall { id }), VAULT);
    assert_eq!(
        view(&world, DEVNFT, INft::getApprovedCall { id }),
        Address::ZERO
    );
    // A contract that is not a receiver is refused.
    let refused = revert_data(
        &mut world,
        TRADER,
        DEVNFT,
        INft::mintCall {
            to: WETH,
            id: U256::from(78),
        },
    );
    assert_eq!(
        reason(&refused),
        "ERC721: transfer to non ERC721Receiver implementer"
    );
}

#[test]
fn permit2_moves_tokens_within_the_amount_and_before_the_expiration() {
    let mut world = world();
    fund(&mut world, USDC, TRADER, units(100, 6), PERMIT2);
    let until = world.block.timestamp.to::<u64>() + 60;
    let approve = IPermit2::approveCall {
        token: USDC,
        spender: FRIEND,
        amount: alloy_primitives::Uint::from(60_000_000u64),
        expiration: alloy_primitives::Uint::from(until),
    };
    send(&mut world, TRADER, PERMIT2, U256::ZERO, approve);
    let pull = |amount: u64| IPermit2::transferFromCall {
        from: TRADER,
        to: FRIEND,
        amount: alloy_primitives::Uint::from(amount),
        token: USDC,
    };
    send(&mut world, FRIEND, PERMIT2, U256::ZERO, pull(40_000_000));
    assert_eq!(balance(&world, USDC, FRIEND), units(40, 6));
    let left = view(
        &world,
        PERMIT2,
        IPermit2::allowanceCall {
            user: TRADER,
            token: USDC,
            spender: FRIEND,
        },
    );
    assert_eq!(left._0, alloy_primitives::Uint::from(20_000_000u64));
    assert_eq!(left._1, alloy_primitives::Uint::from(until));

    let data = revert_data(&mut world, FRIEND, PERMIT2, pull(30_000_000));
    let expected = IPermit2::InsufficientAllowance {
        amount: U256::from(20_000_000u64),
    }
    .abi_encode();
    assert_eq!(data.as_ref(), expected.as_slice());

    world.block.timestamp = U256::from(until + 1);
    let data = revert_data(&mut world, FRIEND, PERMIT2, pull(1));
    let expected = IPermit2::AllowanceExpired {
        deadline: U256::from(until),
    }
    .abi_encode();
    assert_eq!(data.as_ref(), expected.as_slice());
}
