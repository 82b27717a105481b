//! The deployed devnet behaves like the mainnet protocols it stands in for.

use crate::support::*;
use nest_devnet::{
    addresses::{TOKENS, UNISWAP_V2_FACTORY, UNISWAP_V2_ROUTER, VAULT_OWNER},
    deploy::{DeployError, BLOCK_TIMESTAMP},
};
use revm::{bytecode::Bytecode, state::AccountInfo};

sol! {
    interface IPair {
        function getReserves() external view returns (uint112, uint112, uint32);
        function token0() external view returns (address);
    }
    interface IRouter {
        function factory() external view returns (address);
        function WETH() external view returns (address);
        function pairFor(address a, address b) external view returns (address);
        function getAmountsOut(uint256 amountIn, address[] path) external view returns (uint256[] amounts);
        function getAmountsIn(uint256 amountOut, address[] path) external view returns (uint256[] amounts);
        function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)
            external returns (uint256[] amounts);
        function swapExactETHForTokens(uint256 amountOutMin, address[] path, address to, uint256 deadline)
            external payable returns (uint256[] amounts);
    }
}

/// The V2 reserves of the pair of `from` and `to`, in that order.
fn reserves(world: &World, from: Address, to: Address) -> (U256, U256) {
    let r = view(world, v2_pair(world, from, to), IPair::getReservesCall {});
    let (r0, r1) = (U256::from(r._0), U256::from(r._1));
    if from < to {
        (r0, r1)
    } else {
        (r1, r0)
    }
}

/// Uniswap V2's output for an exact input, written out independently of the router.
fn amount_out(amount_in: U256, reserve_in: U256, reserve_out: U256) -> U256 {
    let with_fee = amount_in * U256::from(997);
    with_fee * reserve_out / (reserve_in * U256::from(1000) + with_fee)
}

#[test]
fn tokens_sit_at_their_mainnet_addresses_with_their_metadata() {
    let world = world();
    for token in TOKENS {
        let symbol = view(&world, token.address, IToken::symbolCall {});
        let decimals = view(&world, token.address, IToken::decimalsCall {});
        assert_eq!((symbol.as_str(), decimals), (token.symbol, token.decimals));
    }
    assert_eq!(
        view(&world, UNISWAP_V2_ROUTER, IRouter::factoryCall {}),
        UNISWAP_V2_FACTORY
    );
    assert_eq!(view(&world, UNISWAP_V2_ROUTER, IRouter::WETHCall {}), WETH);
}

#[test]
fn every_two_tokens_have_a_pool_where_the_router_expects_it() {
    let world = world();
    assert_eq!(world.layout.pairs.len(), 6);
    for pair in &world.layout.pairs {
        let computed = view(
            &world,
            UNISWAP_V2_ROUTER,
            IRouter::pairForCall {
                a: pair.token1,
                b: pair.token0,
            },
        );
        assert_eq!(computed, pair.address);
        assert_eq!(
            view(&world, pair.address, IPair::token0Call {}),
            pair.token0
        );
    }
    let (usdc, weth) = reserves(&world, USDC, WETH);
    assert_eq!(usdc, units(50_000_000, 6));
    assert_eq!(weth, units(50_000_000, 18) / U256::from(3_000));
    let (dai, usdt) = reserves(&world, DAI, USDT);
    assert_eq!((dai, usdt), (units(50_000_000, 18), units(50_000_000, 6)));
}

#[test]
fn the_vault_and_its_owner_are_funded() {
    let world = world();
    assert_eq!(balance(&world, USDC, VAULT), units(1_000_000, 6));
    assert_eq!(balance(&world, USDT, VAULT), units(1_000_000, 6));
    assert_eq!(balance(&world, DAI, VAULT), units(1_000_000, 18));
    assert_eq!(balance(&world, WETH, VAULT), units(1_000, 18));
    assert_eq!(world.balance(VAULT), units(1_000, 18));
    assert_eq!(world.balance(VAULT_OWNER), units(100, 18));
}

#[test]
fn get_amounts_out_prices_usdc_in_weth_at_three_thousand_less_the_fee() {
    let world = world();
    let amount_in = units(1_000, 6);
    let amounts = view(
        &world,
        UNISWAP_V2_ROUTER,
        IRouter::getAmountsOutCall {
            amountIn: amount_in,
            path: vec![USDC, WETH],
        },
    );
    let (reserve_in, reserve_out) = reserves(&world, USDC, WETH);
    assert_eq!(
        amounts,
        vec![amount_in, amount_out(amount_in, reserve_in, reserve_out)]
    );
    // 1,000 USDC at 3,000 USD/ETH is 0.3333 WETH; the fee and the price impact leave ~0.3323.
    let out = amounts[1];
    assert!(
        out > U256::from(332_000_000_000_000_000u128)
            && out < U256::from(332_400_000_000_000_000u128),
        "{out}"
    );
}

#[test]
fn get_amounts_in_inverts_get_amounts_out() {
    let world = world();
    let amounts = view(
        &world,
        UNISWAP_V2_ROUTER,
        IRouter::getAmountsInCall {
            amountOut: units(1, 18),
            path: vec![DAI, WETH],
        },
    );
    let back = view(
        &world,
        UNISWAP_V2_ROUTER,
        IRouter::getAmountsOutCall {
            amountIn: amounts[0],
            path: vec![DAI, WETH],
        },
    );
    assert!(back[1] >= units(1, 18), "{back:?}");
    assert!(
        amounts[0] > units(3_009, 18) && amounts[0] < units(3_010, 18),
        "{amounts:?}"
    );
}

#[test]
fn a_two_hop_swap_moves_balances_and_reserves_as_the_constant_product_says() {
    let mut world = world();
    let amount_in = units(10_000, 6);
    fund(&mut world, USDC, TRADER, amount_in, UNISWAP_V2_ROUTER);
    let (usdc_in, weth_out) = reserves(&world, USDC, WETH);
    let (weth_in, dai_out) = reserves(&world, WETH, DAI);
    let weth_mid = amount_out(amount_in, usdc_in, weth_out);
    let dai_expected = amount_out(weth_mid, weth_in, dai_out);

    let swap = IRouter::swapExactTokensForTokensCall {
        amountIn: amount_in,
        amountOutMin: dai_expected,
        path: vec![USDC, WETH, DAI],
        to: TRADER,
        deadline: U256::from(BLOCK_TIMESTAMP),
    };
    let amounts = send(&mut world, TRADER, UNISWAP_V2_ROUTER, U256::ZERO, swap);

    assert_eq!(amounts, vec![amount_in, weth_mid, dai_expected]);
    assert_eq!(balance(&world, USDC, TRADER), U256::ZERO);
    assert_eq!(balance(&world, DAI, TRADER), dai_expected);
    assert_eq!(balance(&world, WETH, TRADER), U256::ZERO);
    assert_eq!(
        reserves(&world, USDC, WETH),
        (usdc_in + amount_in, weth_out - weth_mid)
    );
    assert_eq!(
        reserves(&world, WETH, DAI),
        (weth_in + weth_mid, dai_out - dai_expected)
    );
}

#[test]
fn a_swap_asking_too_much_or_too_late_reverts_with_uniswaps_reason() {
    let mut world = world();
    let amount_in = units(1_000, 6);
    fund(&mut world, USDC, TRADER, amount_in, UNISWAP_V2_ROUTER);
    let (reserve_in, reserve_out) = reserves(&world, USDC, DAI);
    let fair = amount_out(amount_in, reserve_in, reserve_out);
    let mut swap = IRouter::swapExactTokensForTokensCall {
        amountIn: amount_in,
        amountOutMin: fair + U256::from(1),
        path: vec![USDC, DAI],
        to: TRADER,
        deadline: U256::from(BLOCK_TIMESTAMP),
    };
    let data = revert_data(&mut world, TRADER, UNISWAP_V2_ROUTER, swap.clone());
    assert!(String::from_utf8_lossy(&data).contains("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"));

    swap.amountOutMin = fair;
    swap.deadline = U256::from(BLOCK_TIMESTAMP - 1);
    let data = revert_data(&mut world, TRADER, UNISWAP_V2_ROUTER, swap);
    assert!(String::from_utf8_lossy(&data).contains("UniswapV2Router: EXPIRED"));
    assert_eq!(balance(&world, USDC, TRADER), amount_in);
}

#[test]
fn eth_swaps_wrap_through_weth() {
    let mut world = world();
    world.set_balance(TRADER, U256::from(10 * ETHER));
    let value = units(1, 18);
    let (reserve_in, reserve_out) = reserves(&world, WETH, USDC);
    let expected = amount_out(value, reserve_in, reserve_out);
    let swap = IRouter::swapExactETHForTokensCall {
        amountOutMin: expected,
        path: vec![WETH, USDC],
        to: TRADER,
        deadline: U256::from(BLOCK_TIMESTAMP),
    };
    send(&mut world, TRADER, UNISWAP_V2_ROUTER, value, swap);
    assert_eq!(balance(&world, USDC, TRADER), expected);
    assert!(
        expected > units(2_980, 6) && expected < units(2_992, 6),
        "{expected}"
    );
    assert!(world.balance(TRADER) < U256::from(9 * ETHER));
}

#[test]
fn usdt_approve_returns_nothing_and_refuses_non_zero_to_non_zero() {
    let mut world = world();
    let approve = |amount: u64| approve_calldata(UNISWAP_V2_ROUTER, U256::from(amount));
    let allowance = |world: &World| {
        let call = IToken::allowanceCall {
            owner: TRADER,
            spender: UNISWAP_V2_ROUTER,
        };
        view(world, USDT, call)
    };

    assert!(send_raw(&mut world, TRADER, USDT, U256::ZERO, approve(5)).is_empty());
    assert!(revert_raw(&mut world, TRADER, USDT, U256::ZERO, approve(7)).is_empty());
    assert_eq!(allowance(&world), U256::from(5));

    assert!(send_raw(&mut world, TRADER, USDT, U256::ZERO, approve(0)).is_empty());
    assert!(send_raw(&mut world, TRADER, USDT, U256::ZERO, approve(7)).is_empty());
    assert_eq!(allowance(&world), U256::from(7));

    // A bool-returning token answers the same call with 32 bytes.
    assert_eq!(
        send_raw(&mut world, TRADER, USDC, U256::ZERO, approve(5)).len(),
        32
    );
}

/// Puts raw EVM code at the HyVM address.
fn stub_hyvm(world: &mut World, code: &[u8]) {
    let code = Bytecode::new_raw(Bytes::copy_from_slice(code));
    world
        .db
        .insert_account_info(HYVM, AccountInfo::from_bytecode(code));
}

// CALLDATASIZE PUSH0 PUSH0 CALLDATACOPY CALLDATASIZE PUSH0, then RETURN or REVERT.
const ECHO: [u8; 7] = [0x36, 0x5f, 0x5f, 0x37, 0x36, 0x5f, 0xf3];
const ECHO_REVERT: [u8; 7] = [0x36, 0x5f, 0x5f, 0x37, 0x36, 0x5f, 0xfd];
// ADDRESS PUSH0 MSTORE PUSH1 32 PUSH0 RETURN
const SELF_ADDRESS: [u8; 7] = [0x30, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3];

#[test]
fn the_vault_forwards_its_owners_payload_and_returns_the_result_unchanged() {
    let mut world = world();
    stub_hyvm(&mut world, &ECHO);
    let payload: Vec<u8> = (0u8..=200).collect();
    let output = send_raw(&mut world, VAULT_OWNER, VAULT, U256::ZERO, payload.clone());
    assert_eq!(output.as_ref(), payload.as_slice());

    // Four bytes that could be a selector still reach the HyVM.
    let output = send_raw(
        &mut world,
        VAULT_OWNER,
        VAULT,
        U256::ZERO,
        vec![0x8d, 0xa5, 0xcb, 0x5b],
    );
    assert_eq!(output.as_ref(), &[0x8d, 0xa5, 0xcb, 0x5b]);

    stub_hyvm(&mut world, &ECHO_REVERT);
    let reverted = revert_raw(&mut world, VAULT_OWNER, VAULT, U256::ZERO, payload.clone());
    assert_eq!(reverted.as_ref(), payload.as_slice());
}

#[test]
fn the_vault_delegatecalls_so_the_hyvm_runs_as_the_vault() {
    let mut world = world();
    stub_hyvm(&mut world, &SELF_ADDRESS);
    let output = send_raw(&mut world, VAULT_OWNER, VAULT, U256::ZERO, vec![0x00]);
    assert_eq!(
        Address::from_word(alloy_primitives::B256::from_slice(&output)),
        VAULT
    );
}

#[test]
fn the_vault_rejects_anyone_but_its_owner_and_accepts_eth() {
    let mut world = world();
    stub_hyvm(&mut world, &ECHO);
    assert!(revert_raw(&mut world, TRADER, VAULT, U256::ZERO, vec![1, 2, 3]).is_empty());

    let before = world.balance(VAULT);
    send_raw(&mut world, TRADER, VAULT, U256::from(ETHER), Vec::new());
    assert_eq!(world.balance(VAULT), before + U256::from(ETHER));
}

#[test]
fn funding_an_unknown_token_is_an_error() {
    let stranger = address!("00000000000000000000000000000000000f00d1");
    let funding = Funding {
        vault_tokens: vec![(stranger, U256::from(1))],
        ..Funding::default()
    };
    assert_eq!(
        deploy(HYVM, &funding).err(),
        Some(DeployError::UnknownToken(stranger))
    );
}

#[test]
fn empty_pools_are_refused() {
    let funding = Funding {
        pool_side_usd: 0,
        ..Funding::default()
    };
    assert!(matches!(
        deploy(HYVM, &funding),
        Err(DeployError::InvalidFunding(_))
    ));
}
