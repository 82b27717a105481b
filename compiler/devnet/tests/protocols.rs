//! The protocol fixtures behave as their interfaces promise, driven from a funded EOA.

use std::time::Instant;

use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use nest_devnet::{
    addresses::{
        AAVE_V3_DATA_PROVIDER, AAVE_V3_POOL, DAI, DEVNFT, FALSY, FOT, PERMIT2, SDAI, STETH,
        UNISWAP_V3_QUOTER, UNISWAP_V3_ROUTER, USDC, VAULT, VAULT_NFT_IDS, WBTC, WETH, WSTETH,
    },
    deploy::{deploy, Funding, World},
    Devnet, RunContext, Scenario,
};
use revm::context_interface::result::ExecutionResult;

sol! {
    interface IToken {
        function balanceOf(address owner) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function decimals() external view returns (uint8);
        function approve(address spender, uint256 amount) external returns (bool);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function mint(address to, uint256 amount) external;
    }
    interface IWeth {
        function deposit() external payable;
    }
    interface IV3Pool {
        function reserve0() external view returns (uint256);
        function reserve1() external view returns (uint256);
        function slot0() external view returns (uint160, int24, uint16, uint16, uint16, uint8, bool);
    }
    interface IRouter02 {
        struct ExactInputSingleParams {
            address tokenIn; address tokenOut; uint24 fee; address recipient;
            uint256 amountIn; uint256 amountOutMinimum; uint160 sqrtPriceLimitX96;
        }
        struct ExactInputParams { bytes path; address recipient; uint256 amountIn; uint256 amountOutMinimum; }
        function exactInputSingle(ExactInputSingleParams params) external payable returns (uint256 amountOut);
        function exactInput(ExactInputParams params) external payable returns (uint256 amountOut);
    }
    interface IQuoter {
        struct QuoteExactInputSingleParams {
            address tokenIn; address tokenOut; uint256 amountIn; uint24 fee; uint160 sqrtPriceLimitX96;
        }
        function quoteExactInputSingle(QuoteExactInputSingleParams params)
            external returns (uint256 amountOut, uint160 sqrtPriceX96After, uint32 initializedTicksCrossed, uint256 gasEstimate);
        function quoteExactInput(bytes path, uint256 amountIn)
            external returns (uint256 amountOut, uint160[] sqrtPriceX96AfterList, uint32[] initializedTicksCrossedList, uint256 gasEstimate);
    }
    interface I4626 {
        function deposit(uint256 assets, address receiver) external returns (uint256 shares);
        function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
        function previewDeposit(uint256 assets) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
        function totalAssets() external view returns (uint256);
    }
    interface IAave {
        function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
        function withdraw(address asset, uint256 amount, address to) external returns (uint256);
        function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf) external;
        function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf) external returns (uint256);
        function getUserAccountData(address user) external view returns (uint256, uint256, uint256, uint256, uint256, uint256);
    }
    interface IDataProvider {
        function getReserveTokensAddresses(address asset) external view returns (address, address, address);
        function getUserReserveData(address asset, address user) external view
            returns (uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint40, bool);
    }
    interface IDebtToken {
        function approveDelegation(address delegatee, uint256 amount) external;
        function borrowAllowance(address fromUser, address toUser) external view returns (uint256);
    }
    interface IStEth {
        function submit(address referral) external payable returns (uint256);
        function sharesOf(address account) external view returns (uint256);
        function getPooledEthByShares(uint256 shares) external view returns (uint256);
        function getSharesByPooledEth(uint256 eth) external view returns (uint256);
    }
    interface IWstEth {
        function wrap(uint256 stETHAmount) external returns (uint256);
        function unwrap(uint256 wstETHAmount) external returns (uint256);
        function stEthPerToken() external view returns (uint256);
        function getWstETHByStETH(uint256 stETHAmount) external view returns (uint256);
    }
    interface INft {
        function ownerOf(uint256 id) external view returns (address);
        function mint(address to, uint256 id) external;
        function approve(address to, uint256 id) external;
        function getApproved(uint256 id) external view returns (address);
        function setApprovalForAll(address operator, bool approved) external;
        function isApprovedForAll(address owner, address operator) external view returns (bool);
        function safeTransferFrom(address from, address to, uint256 id) external;
    }
    interface IPermit2 {
        function approve(address token, address spender, uint160 amount, uint48 expiration) external;
        function allowance(address user, address token, address spender) external view returns (uint160, uint48, uint48);
        function transferFrom(address from, address to, uint160 amount, address token) external;
        error AllowanceExpired(uint256 deadline);
        error InsufficientAllowance(uint256 amount);
    }
}

const HYVM: Address = address!("00000000000000000000000000000000000abc01");
const TRADER: Address = address!("00000000000000000000000000000000000beef1");
const FRIEND: Address = address!("00000000000000000000000000000000000beef2");
const ETHER: u128 = 1_000_000_000_000_000_000;

fn world() -> World {
    let mut world = deploy(HYVM, &Funding::default()).unwrap_or_else(|e| panic!("deploy: {e}"));
    world.set_balance(TRADER, U256::from(1_000_000 * ETHER));
    world.set_balance(FRIEND, U256::from(10 * ETHER));
    world
}

fn units(amount: u64, decimals: u8) -> U256 {
    U256::from(amount) * U256::from(10u64).pow(U256::from(decimals))
}

fn view<C: SolCall>(world: &World, to: Address, call: C) -> C::Return {
    let output = world
        .view(to, call.abi_encode())
        .unwrap_or_else(|e| panic!("{e}"));
    C::abi_decode_returns(&output).unwrap_or_else(|e| panic!("cannot decode: {e}"))
}

fn balance(world: &World, token: Address, owner: Address) -> U256 {
    view(world, token, IToken::balanceOfCall { owner })
}

fn send<C: SolCall>(
    world: &mut World,
    from: Address,
    to: Address,
    value: U256,
    call: C,
) -> C::Return {
    match world
        .send(from, to, value, call.abi_encode())
        .unwrap_or_else(|e| panic!("{e}"))
    {
        ExecutionResult::Success { output, .. } => {
            C::abi_decode_returns(output.data()).unwrap_or_else(|e| panic!("cannot decode: {e}"))
        }
        other => panic!("transaction failed: {other:?}"),
    }
}

fn revert_data<C: SolCall>(world: &mut World, from: Address, to: Address, call: C) -> Bytes {
    match world
        .send(from, to, U256::ZERO, call.abi_encode())
        .unwrap_or_else(|e| panic!("{e}"))
    {
        ExecutionResult::Revert { output, .. } => output,
        other => panic!("expected a revert, got {other:?}"),
    }
}

fn reason(data: &Bytes) -> String {
    alloy_sol_types::Revert::abi_decode(data).map_or_else(|_| format!("{data}"), |r| r.reason)
}

/// Mints `amount` of a mintable token to `to` and lets `spender` take all of it.
fn fund(world: &mut World, token: Address, to: Address, amount: U256, spender: Address) {
    send(
        world,
        to,
        token,
        U256::ZERO,
        IToken::mintCall { to, amount },
    );
    send(
        world,
        to,
        token,
        U256::ZERO,
        IToken::approveCall {
            spender,
            amount: U256::MAX,
        },
    );
}

#[test]
fn the_world_builds_in_well_under_a_second() {
    let start = Instant::now();
    Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    eprintln!("Devnet::new took {elapsed:?}");
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");
}

/// Bytes of one call in [`calls_payload`].
const CALL_CODE_LEN: usize = 2 + 3 + 1 + 1 + 2 + 1 + 2 + 1 + 1 + 21 + 1 + 1 + 1;

/// A guest that makes each call in turn (calldata copied from a data section after the code,
/// no value, result ignored) and stops.
fn calls_payload(calls: &[(Address, Vec<u8>)]) -> Vec<u8> {
    let code_len = calls.len() * CALL_CODE_LEN + 1;
    let mut code = Vec::new();
    let mut data = Vec::new();
    for (target, calldata) in calls {
        let len = u8::try_from(calldata.len()).unwrap_or_else(|_| panic!("calldata too long"));
        let offset = u16::try_from(code_len + data.len()).unwrap_or_else(|_| panic!("too long"));
        code.extend_from_slice(&[0x60, len, 0x61]);
        code.extend_from_slice(&offset.to_be_bytes());
        code.extend_from_slice(&[0x5f, 0x39, 0x60, 0x20, 0x5f, 0x60, len, 0x5f, 0x5f, 0x73]);
        code.extend_from_slice(target.as_slice());
        code.extend_from_slice(&[0x5a, 0xf1, 0x50]);
        data.extend_from_slice(calldata);
    }
    code.push(0x00);
    code.extend_from_slice(&data);
    code
}

#[test]
fn dry_run_reports_name_v3_and_aave_contracts() {
    let devnet = Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("{e}"));
    let one_weth = units(1, 18);
    let swap = IRouter02::exactInputSingleCall {
        params: IRouter02::ExactInputSingleParams {
            tokenIn: WETH,
            tokenOut: USDC,
            fee: alloy_primitives::aliases::U24::from(500u32),
            recipient: VAULT,
            amountIn: one_weth,
            amountOutMinimum: U256::ZERO,
            sqrtPriceLimitX96: Default::default(),
        },
    };
    let supply = IAave::supplyCall {
        asset: DAI,
        amount: units(1_000, 18),
        onBehalfOf: VAULT,
        referralCode: 0,
    };
    let payload = calls_payload(&[
        (
            WETH,
            IToken::approveCall {
                spender: UNISWAP_V3_ROUTER,
                amount: one_weth,
            }
            .abi_encode(),
        ),
        (UNISWAP_V3_ROUTER, swap.abi_encode()),
        (
            DAI,
            IToken::approveCall {
                spender: AAVE_V3_POOL,
                amount: units(1_000, 18),
            }
            .abi_encode(),
        ),
        (AAVE_V3_POOL, supply.abi_encode()),
    ]);
    let report = devnet
        .dry_run(&payload, &RunContext::default())
        .unwrap_or_else(|e| panic!("{e}"));
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
    let changes: Vec<(&str, &str)> = report
        .asset_changes
        .iter()
        .map(|c| (c.symbol.as_str(), c.delta.as_str()))
        .collect();
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
fn the_vault_holds_every_token_and_its_nfts() {
    let world = world();
    assert_eq!(view(&world, WBTC, IToken::decimalsCall {}), 8);
    assert_eq!(balance(&world, WBTC, VAULT), units(100, 8));
    assert_eq!(balance(&world, FALSY, VAULT), units(1_000_000, 18));
    assert_eq!(balance(&world, FOT, VAULT), units(1_000_000, 18));
    assert_eq!(balance(&world, STETH, VAULT), units(1_000, 18));
    assert_eq!(balance(&world, WSTETH, VAULT), units(1_000, 18));
    assert_eq!(balance(&world, SDAI, VAULT), units(1_000_000, 18));
    for id in VAULT_NFT_IDS {
        let owner = view(&world, DEVNFT, INft::ownerOfCall { id: U256::from(id) });
        assert_eq!(owner, VAULT);
    }
}

#[test]
fn the_falsy_token_returns_false_and_the_fee_token_burns_one_percent() {
    let mut world = world();
    fund(&mut world, FALSY, TRADER, U256::from(100), FRIEND);
    let too_much = IToken::transferCall {
        to: FRIEND,
        amount: U256::from(101),
    };
    assert!(!send(&mut world, TRADER, FALSY, U256::ZERO, too_much));
    assert_eq!(balance(&world, FALSY, TRADER), U256::from(100));
    let pull = IToken::transferFromCall {
        from: TRADER,
        to: FRIEND,
        amount: U256::from(200),
    };
    assert!(!send(&mut world, FRIEND, FALSY, U256::ZERO, pull));
    let ok = IToken::transferCall {
        to: FRIEND,
        amount: U256::from(40),
    };
    assert!(send(&mut world, TRADER, FALSY, U256::ZERO, ok));
    assert_eq!(balance(&world, FALSY, FRIEND), U256::from(40));

    fund(&mut world, FOT, TRADER, units(1_000, 18), FRIEND);
    let supply = view(&world, FOT, IToken::totalSupplyCall {});
    let pay = IToken::transferFromCall {
        from: TRADER,
        to: FRIEND,
        amount: units(1_000, 18),
    };
    assert!(send(&mut world, FRIEND, FOT, U256::ZERO, pay));
    assert_eq!(balance(&world, FOT, FRIEND), units(990, 18));
    assert_eq!(balance(&world, FOT, TRADER), U256::ZERO);
    assert_eq!(
        view(&world, FOT, IToken::totalSupplyCall {}),
        supply - units(10, 18)
    );
}

fn pool_reserves(world: &World, pool: Address) -> (U256, U256) {
    (
        view(world, pool, IV3Pool::reserve0Call {}),
        view(world, pool, IV3Pool::reserve1Call {}),
    )
}

#[test]
fn v3_exact_input_single_pays_the_fee_and_matches_the_quoter() {
    let mut world = world();
    let amount_in = units(10_000, 6);
    fund(&mut world, USDC, TRADER, amount_in, UNISWAP_V3_ROUTER);
    let pool = world
        .layout
        .v3_pool(USDC, WETH, 500)
        .map(|p| p.address)
        .unwrap_or_default();
    let (usdc_before, weth_before) = pool_reserves(&world, pool);
    let quote = IQuoter::quoteExactInputSingleCall {
        params: IQuoter::QuoteExactInputSingleParams {
            tokenIn: USDC,
            tokenOut: WETH,
            amountIn: amount_in,
            fee: alloy_primitives::aliases::U24::from(500u32),
            sqrtPriceLimitX96: Default::default(),
        },
    };
    let quoted = send(
        &mut world.clone(),
        TRADER,
        UNISWAP_V3_QUOTER,
        U256::ZERO,
        quote,
    );
    // x * y = k after a 0.05% fee on the input.
    let net = amount_in * U256::from(999_500) / U256::from(1_000_000);
    let expected = net * weth_before / (usdc_before + net);
    assert_eq!(quoted.amountOut, expected);
    assert!(!quoted.sqrtPriceX96After.is_zero());

    let mut params = IRouter02::ExactInputSingleParams {
        tokenIn: USDC,
        tokenOut: WETH,
        fee: alloy_primitives::aliases::U24::from(500u32),
        recipient: TRADER,
        amountIn: amount_in,
        amountOutMinimum: expected + U256::from(1),
        sqrtPriceLimitX96: Default::default(),
    };
    let greedy = IRouter02::exactInputSingleCall {
        params: params.clone(),
    };
    let data = revert_data(&mut world, TRADER, UNISWAP_V3_ROUTER, greedy);
    assert_eq!(reason(&data), "Too little received");

    params.amountOutMinimum = expected;
    let out = send(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        U256::ZERO,
        IRouter02::exactInputSingleCall { params },
    );
    assert_eq!(out, expected);
    assert_eq!(balance(&world, WETH, TRADER), expected);
    assert_eq!(balance(&world, USDC, TRADER), U256::ZERO);
    assert_eq!(
        pool_reserves(&world, pool),
        (usdc_before + amount_in, weth_before - expected)
    );
    assert_eq!(balance(&world, USDC, pool), usdc_before + amount_in);
    // 10,000 USDC at 3,000 USD/ETH is 3.333 WETH; fee and impact leave a little less.
    assert!(
        expected > units(3_330, 15) && expected < units(3_333, 15),
        "{expected}"
    );
}

#[test]
fn v3_exact_input_follows_a_packed_path_and_matches_the_quoter() {
    let mut world = world();
    let amount_in = units(50_000, 6);
    fund(&mut world, USDC, TRADER, amount_in, UNISWAP_V3_ROUTER);
    let mut path = Vec::new();
    path.extend_from_slice(USDC.as_slice());
    path.extend_from_slice(&3_000u32.to_be_bytes()[1..]);
    path.extend_from_slice(WETH.as_slice());
    path.extend_from_slice(&500u32.to_be_bytes()[1..]);
    path.extend_from_slice(WBTC.as_slice());
    let quote = IQuoter::quoteExactInputCall {
        path: path.clone().into(),
        amountIn: amount_in,
    };
    let quoted = send(
        &mut world.clone(),
        TRADER,
        UNISWAP_V3_QUOTER,
        U256::ZERO,
        quote,
    );
    assert_eq!(quoted.sqrtPriceX96AfterList.len(), 2);

    let params = IRouter02::ExactInputParams {
        path: path.into(),
        recipient: TRADER,
        amountIn: amount_in,
        amountOutMinimum: quoted.amountOut,
    };
    let out = send(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        U256::ZERO,
        IRouter02::exactInputCall { params },
    );
    assert_eq!(out, quoted.amountOut);
    assert_eq!(balance(&world, WBTC, TRADER), out);
    assert_eq!(balance(&world, WETH, UNISWAP_V3_ROUTER), U256::ZERO);
    // 50,000 USD is 0.8333 BTC at 60,000; two fees and impact leave a little less.
    assert!(
        out > U256::from(82_500_000u64) && out < U256::from(83_333_333u64),
        "{out}"
    );
}

#[test]
fn v3_pools_refuse_fee_on_transfer_input() {
    let mut world = world();
    fund(&mut world, FOT, TRADER, units(100, 18), UNISWAP_V3_ROUTER);
    let params = IRouter02::ExactInputSingleParams {
        tokenIn: FOT,
        tokenOut: WETH,
        fee: alloy_primitives::aliases::U24::from(10_000u32),
        recipient: TRADER,
        amountIn: units(100, 18),
        amountOutMinimum: U256::ZERO,
        sqrtPriceLimitX96: Default::default(),
    };
    let data = revert_data(
        &mut world,
        TRADER,
        UNISWAP_V3_ROUTER,
        IRouter02::exactInputSingleCall { params },
    );
    assert_eq!(reason(&data), "IIA");
}

#[test]
fn sdai_is_an_erc4626_vault_at_one_point_one_dai() {
    let mut world = world();
    let assets = units(11_000, 18);
    fund(&mut world, DAI, TRADER, assets, SDAI);
    let preview = view(&world, SDAI, I4626::previewDepositCall { assets });
    assert!(
        preview > units(9_999, 18) && preview <= units(10_000, 18),
        "{preview}"
    );
    let total_before = view(&world, SDAI, I4626::totalAssetsCall {});
    let shares = send(
        &mut world,
        TRADER,
        SDAI,
        U256::ZERO,
        I4626::depositCall {
            assets,
            receiver: TRADER,
        },
    );
    assert_eq!(shares, preview);
    assert_eq!(balance(&world, SDAI, TRADER), shares);
    assert_eq!(
        view(&world, SDAI, I4626::totalAssetsCall {}),
        total_before + assets
    );

    let worth = view(&world, SDAI, I4626::convertToAssetsCall { shares });
    let back = send(
        &mut world,
        TRADER,
        SDAI,
        U256::ZERO,
        I4626::redeemCall {
            shares,
            receiver: TRADER,
            owner: TRADER,
        },
    );
    assert_eq!(back, worth);
    assert!(back <= assets && assets - back <= U256::from(2), "{back}");
    assert_eq!(balance(&world, DAI, TRADER), back);
    assert_eq!(balance(&world, SDAI, TRADER), U256::ZERO);
}

#[test]
fn aave_supplies_borrows_delegates_repays_and_withdraws() {
    let mut world = world();
    let eth = units(10, 18);
    send(&mut world, TRADER, WETH, eth, IWeth::depositCall {});
    send(
        &mut world,
        TRADER,
        WETH,
        U256::ZERO,
        IToken::approveCall {
            spender: AAVE_V3_POOL,
            amount: U256::MAX,
        },
    );
    send(
        &mut world,
        TRADER,
        AAVE_V3_POOL,
        U256::ZERO,
        IAave::supplyCall {
            asset: WETH,
            amount: eth,
            onBehalfOf: TRADER,
            referralCode: 0,
        },
    );
    let tokens = view(
        &world,
        AAVE_V3_DATA_PROVIDER,
        IDataProvider::getReserveTokensAddressesCall { asset: WETH },
    );
    let (a_weth, debt_weth) = (tokens._0, tokens._2);
    assert_eq!(balance(&world, a_weth, TRADER), eth);
    assert!(debt_weth != Address::ZERO);

    // 10 WETH at 3,000 USD: 30,000 USD of collateral, 80.5% LTV, 83% liquidation threshold.
    let data = view(
        &world,
        AAVE_V3_POOL,
        IAave::getUserAccountDataCall { user: TRADER },
    );
    assert_eq!(
        (data._0, data._1, data._2),
        (
            U256::from(30_000u64 * 100_000_000),
            U256::ZERO,
            U256::from(24_150u64 * 100_000_000)
        )
    );
    assert_eq!(
        (data._3, data._4, data._5),
        (U256::from(8_300), U256::from(8_050), U256::MAX)
    );

    let borrow = IAave::borrowCall {
        asset: USDC,
        amount: units(10_000, 6),
        interestRateMode: U256::from(2),
        referralCode: 0,
        onBehalfOf: TRADER,
    };
    send(&mut world, TRADER, AAVE_V3_POOL, U256::ZERO, borrow);
    assert_eq!(balance(&world, USDC, TRADER), units(10_000, 6));
    let data = view(
        &world,
        AAVE_V3_POOL,
        IAave::getUserAccountDataCall { user: TRADER },
    );
    assert_eq!(data._1, U256::from(10_000u64 * 100_000_000));
    assert_eq!(data._5, U256::from(2_490_000_000_000_000_000u128)); // 24,900 / 10,000

    let too_much = IAave::borrowCall {
        asset: USDC,
        amount: units(15_000, 6),
        interestRateMode: U256::from(2),
        referralCode: 0,
        onBehalfOf: TRADER,
    };
    let data = revert_data(&mut world, TRADER, AAVE_V3_POOL, too_much);
    assert_eq!(reason(&data), "COLLATERAL_CANNOT_COVER_NEW_BORROW");

    // Credit delegation: FRIEND borrows 1,000 USDC against TRADER's collateral.
    let debt_usdc = view(
        &world,
        AAVE_V3_DATA_PROVIDER,
        IDataProvider::getReserveTokensAddressesCall { asset: USDC },
    )
    ._2;
    let on_behalf = IAave::borrowCall {
        asset: USDC,
        amount: units(1_000, 6),
        interestRateMode: U256::from(2),
        referralCode: 0,
        onBehalfOf: TRADER,
    };
    let data = revert_data(&mut world, FRIEND, AAVE_V3_POOL, on_behalf.clone());
    assert_eq!(reason(&data), "INSUFFICIENT_BORROW_ALLOWANCE");
    send(
        &mut world,
        TRADER,
        debt_usdc,
        U256::ZERO,
        IDebtToken::approveDelegationCall {
            delegatee: FRIEND,
            amount: units(1_500, 6),
        },
    );
    send(&mut world, FRIEND, AAVE_V3_POOL, U256::ZERO, on_behalf);
    assert_eq!(balance(&world, USDC, FRIEND), units(1_000, 6));
    assert_eq!(balance(&world, debt_usdc, TRADER), units(11_000, 6));
    assert_eq!(balance(&world, debt_usdc, FRIEND), U256::ZERO);
    assert_eq!(
        view(
            &world,
            debt_usdc,
            IDebtToken::borrowAllowanceCall {
                fromUser: TRADER,
                toUser: FRIEND
            }
        ),
        units(500, 6)
    );

    // Repay everything (max), then withdraw everything (max).
    fund(&mut world, USDC, TRADER, units(1_000, 6), AAVE_V3_POOL);
    let repaid = send(
        &mut world,
        TRADER,
        AAVE_V3_POOL,
        U256::ZERO,
        IAave::repayCall {
            asset: USDC,
            amount: U256::MAX,
            interestRateMode: U256::from(2),
            onBehalfOf: TRADER,
        },
    );
    assert_eq!(repaid, units(11_000, 6));
    assert_eq!(balance(&world, USDC, TRADER), U256::ZERO);
    let user = view(
        &world,
        AAVE_V3_DATA_PROVIDER,
        IDataProvider::getUserReserveDataCall {
            asset: WETH,
            user: TRADER,
        },
    );
    assert_eq!((user._0, user._8), (eth, true));
    let taken = send(
        &mut world,
        TRADER,
        AAVE_V3_POOL,
        U256::ZERO,
        IAave::withdrawCall {
            asset: WETH,
            amount: U256::MAX,
            to: TRADER,
        },
    );
    assert_eq!(taken, eth);
    assert_eq!(balance(&world, WETH, TRADER), eth);
    assert_eq!(balance(&world, a_weth, TRADER), U256::ZERO);
}

#[test]
fn lido_stakes_at_shares_and_wsteth_wraps_them() {
    let mut world = world();
    let per_token = view(&world, WSTETH, IWstEth::stEthPerTokenCall {});
    assert_eq!(per_token, units(1_175, 15));
    // Shares are rounded down: 47 ETH buys 40 shares less at most a wei.
    let staked = units(47, 18);
    let expected_shares = view(
        &world,
        STETH,
        IStEth::getSharesByPooledEthCall { eth: staked },
    );
    assert!(
        units(40, 18) - expected_shares <= U256::from(1),
        "{expected_shares}"
    );
    let shares = send(
        &mut world,
        TRADER,
        STETH,
        staked,
        IStEth::submitCall {
            referral: Address::ZERO,
        },
    );
    assert_eq!(shares, expected_shares);
    assert_eq!(
        view(&world, STETH, IStEth::sharesOfCall { account: TRADER }),
        shares
    );
    let held = balance(&world, STETH, TRADER);
    assert_eq!(
        held,
        view(&world, STETH, IStEth::getPooledEthBySharesCall { shares })
    );
    assert!(staked - held <= U256::from(2), "{held}");

    send(
        &mut world,
        TRADER,
        STETH,
        U256::ZERO,
        IToken::approveCall {
            spender: WSTETH,
            amount: U256::MAX,
        },
    );
    let expected = view(
        &world,
        WSTETH,
        IWstEth::getWstETHByStETHCall { stETHAmount: held },
    );
    let wrapped = send(
        &mut world,
        TRADER,
        WSTETH,
        U256::ZERO,
        IWstEth::wrapCall { stETHAmount: held },
    );
    assert_eq!(wrapped, expected);
    assert!(shares - wrapped <= U256::from(1), "{wrapped}");
    assert_eq!(balance(&world, WSTETH, TRADER), wrapped);
    assert!(balance(&world, STETH, TRADER) <= U256::from(2));
    let unwrapped = send(
        &mut world,
        TRADER,
        WSTETH,
        U256::ZERO,
        IWstEth::unwrapCall {
            wstETHAmount: wrapped,
        },
    );
    assert!(held - unwrapped <= U256::from(2), "{unwrapped}");
    assert_eq!(balance(&world, WSTETH, TRADER), U256::ZERO);
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
