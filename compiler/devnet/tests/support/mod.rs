//! Shared by the protocol fixture tests: the interfaces they call and helpers that
//! build a world, send transactions and read balances.
#![allow(dead_code, unused_imports)]

pub use std::time::Instant;

pub use alloy_primitives::{address, Address, Bytes, U256};
pub use alloy_sol_types::{sol, SolCall, SolError};
pub use nest_devnet::{
    addresses::{
        AAVE_V3_DATA_PROVIDER, AAVE_V3_POOL, DAI, DEVNFT, FALSY, FOT, PERMIT2, SDAI, STETH,
        UNISWAP_V3_QUOTER, UNISWAP_V3_ROUTER, USDC, VAULT, VAULT_NFT_IDS, WBTC, WETH, WSTETH,
    },
    deploy::{deploy, Funding, World},
    Devnet, RunContext, Scenario,
};
pub use revm::context_interface::result::ExecutionResult;

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

pub const HYVM: Address = address!("00000000000000000000000000000000000abc01");

pub const TRADER: Address = address!("00000000000000000000000000000000000beef1");

pub const FRIEND: Address = address!("00000000000000000000000000000000000beef2");

pub const ETHER: u128 = 1_000_000_000_000_000_000;

pub fn world() -> World {
    let mut world = deploy(HYVM, &Funding::default()).unwrap_or_else(|e| panic!("deploy: {e}"));
    world.set_balance(TRADER, U256::from(1_000_000 * ETHER));
    world.set_balance(FRIEND, U256::from(10 * ETHER));
    world
}

pub fn units(amount: u64, decimals: u8) -> U256 {
    U256::from(amount) * U256::from(10u64).pow(U256::from(decimals))
}

pub fn view<C: SolCall>(world: &World, to: Address, call: C) -> C::Return {
    let output = world
        .view(to, call.abi_encode())
        .unwrap_or_else(|e| panic!("{e}"));
    C::abi_decode_returns(&output).unwrap_or_else(|e| panic!("cannot decode: {e}"))
}

pub fn balance(world: &World, token: Address, owner: Address) -> U256 {
    view(world, token, IToken::balanceOfCall { owner })
}

pub fn send<C: SolCall>(
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

pub fn revert_data<C: SolCall>(world: &mut World, from: Address, to: Address, call: C) -> Bytes {
    match world
        .send(from, to, U256::ZERO, call.abi_encode())
        .unwrap_or_else(|e| panic!("{e}"))
    {
        ExecutionResult::Revert { output, .. } => output,
        other => panic!("expected a revert, got {other:?}"),
    }
}

pub fn reason(data: &Bytes) -> String {
    alloy_sol_types::Revert::abi_decode(data).map_or_else(|_| format!("{data}"), |r| r.reason)
}

/// Mints `amount` of a mintable token to `to` and lets `spender` take all of it.
pub fn fund(world: &mut World, token: Address, to: Address, amount: U256, spender: Address) {
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

/// Bytes of one call in [`calls_payload`].
pub const CALL_CODE_LEN: usize = 2 + 3 + 1 + 1 + 2 + 1 + 2 + 1 + 1 + 21 + 1 + 1 + 1;

/// A guest that makes each call in turn (calldata copied from a data section after the code,
/// no value, result ignored) and stops.
pub fn calls_payload(calls: &[(Address, Vec<u8>)]) -> Vec<u8> {
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

pub fn pool_reserves(world: &World, pool: Address) -> (U256, U256) {
    (
        view(world, pool, IV3Pool::reserve0Call {}),
        view(world, pool, IV3Pool::reserve1Call {}),
    )
}
