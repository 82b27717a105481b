//! Shared by the devnet's integration tests: the interfaces they call and helpers that
//! build a world, send transactions, read balances, assemble payloads and dry-run them.
#![allow(dead_code, unused_imports)]

pub(crate) use std::time::Instant;

use std::sync::OnceLock;

pub(crate) mod node;
mod protocols;
pub(crate) use protocols::*;

pub(crate) use alloy_primitives::{address, aliases::U24, Address, Bytes, U256};
pub(crate) use alloy_sol_types::{sol, SolCall, SolError};
pub(crate) use nest_devnet::{
    addresses::{
        AAVE_V3_DATA_PROVIDER, AAVE_V3_POOL, DAI, DEVNFT, FALSY, FOT, PERMIT2, SDAI, STETH,
        UNISWAP_V3_QUOTER, UNISWAP_V3_ROUTER, USDC, USDT, VAULT, VAULT_NFT_IDS, WBTC, WETH, WSTETH,
    },
    deploy::{deploy, Funding, World},
    AssetChange, Devnet, DevnetError, Report, RunContext, Scenario,
};
pub(crate) use revm::context_interface::result::ExecutionResult;

sol! {
    interface IToken {
        function balanceOf(address owner) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function symbol() external view returns (string);
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

/// Where the tests deploy the HyVM.
pub(crate) const HYVM: Address = address!("00000000000000000000000000000000000abc01");

/// The EOA that drives the protocols; [`world`] gives it 1,000,000 ETH.
pub(crate) const TRADER: Address = address!("00000000000000000000000000000000000beef1");

/// A second EOA, for delegation, operators and transfers; [`world`] gives it 10 ETH.
pub(crate) const FRIEND: Address = address!("00000000000000000000000000000000000beef2");

/// One ether in wei.
pub(crate) const ETHER: u128 = 1_000_000_000_000_000_000;

/// The devnet deployed with `funding`, with [`TRADER`] and [`FRIEND`] given ETH for gas.
pub(crate) fn world_with(funding: &Funding) -> World {
    let mut world = deploy(HYVM, funding).unwrap_or_else(|e| panic!("deploy: {e}"));
    world.set_balance(TRADER, U256::from(1_000_000 * ETHER));
    world.set_balance(FRIEND, U256::from(10 * ETHER));
    world
}

/// The default devnet, with [`TRADER`] and [`FRIEND`] given ETH for gas.
pub(crate) fn world() -> World {
    world_with(&Funding::default())
}

/// `amount` whole tokens in the base units of a token with `decimals`.
pub(crate) fn units(amount: u64, decimals: u8) -> U256 {
    U256::from(amount) * U256::from(10u64).pow(U256::from(decimals))
}

/// The decoded result of a read-only `call` to `to`.
pub(crate) fn view<C: SolCall>(world: &World, to: Address, call: C) -> C::Return {
    let output = world
        .view(to, call.abi_encode())
        .unwrap_or_else(|e| panic!("{e}"));
    C::abi_decode_returns(&output).unwrap_or_else(|e| panic!("cannot decode: {e}"))
}

/// `token.balanceOf(owner)`.
pub(crate) fn balance(world: &World, token: Address, owner: Address) -> U256 {
    view(world, token, IToken::balanceOfCall { owner })
}

/// Sends raw calldata and returns the outcome, whatever it is.
pub(crate) fn transact(
    world: &mut World,
    from: Address,
    to: Address,
    value: U256,
    data: Vec<u8>,
) -> ExecutionResult {
    world
        .send(from, to, value, data)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Sends raw calldata, asserts the transaction succeeded and returns its output as is
/// (for calls whose output is not ABI-encoded, or empty where the ABI says otherwise).
pub(crate) fn send_raw(
    world: &mut World,
    from: Address,
    to: Address,
    value: U256,
    data: Vec<u8>,
) -> Bytes {
    match transact(world, from, to, value, data) {
        ExecutionResult::Success { output, .. } => output.into_data(),
        other => panic!("transaction failed: {other:?}"),
    }
}

/// Sends `call`, asserts the transaction succeeded and decodes what it returned.
pub(crate) fn send<C: SolCall>(
    world: &mut World,
    from: Address,
    to: Address,
    value: U256,
    call: C,
) -> C::Return {
    let output = send_raw(world, from, to, value, call.abi_encode());
    C::abi_decode_returns(&output).unwrap_or_else(|e| panic!("cannot decode: {e}"))
}

/// Sends raw calldata, asserts the transaction reverted and returns the revert data.
pub(crate) fn revert_raw(
    world: &mut World,
    from: Address,
    to: Address,
    value: U256,
    data: Vec<u8>,
) -> Bytes {
    match transact(world, from, to, value, data) {
        ExecutionResult::Revert { output, .. } => output,
        other => panic!("expected a revert, got {other:?}"),
    }
}

/// Sends `call` with no ETH, asserts the transaction reverted and returns the revert data.
pub(crate) fn revert_data<C: SolCall>(
    world: &mut World,
    from: Address,
    to: Address,
    call: C,
) -> Bytes {
    revert_raw(world, from, to, U256::ZERO, call.abi_encode())
}

/// The message of an `Error(string)` revert, or the data in hex when it is not one.
pub(crate) fn reason(data: &Bytes) -> String {
    alloy_sol_types::Revert::abi_decode(data).map_or_else(|_| format!("{data}"), |r| r.reason)
}

/// Lets `spender` take all of `owner`'s `token`; the result is not decoded, so tokens whose
/// `approve` returns nothing (USDT) work too.
pub(crate) fn approve_max(world: &mut World, owner: Address, token: Address, spender: Address) {
    let approve = IToken::approveCall {
        spender,
        amount: U256::MAX,
    };
    send_raw(world, owner, token, U256::ZERO, approve.abi_encode());
}

/// Mints `amount` of a mintable token to `to` and lets `spender` take all of it.
pub(crate) fn fund(world: &mut World, token: Address, to: Address, amount: U256, spender: Address) {
    send(
        world,
        to,
        token,
        U256::ZERO,
        IToken::mintCall { to, amount },
    );
    approve_max(world, to, token, spender);
}

/// Wraps `amount` of `owner`'s ETH into WETH and lets `spender` take all of it.
pub(crate) fn fund_weth(world: &mut World, owner: Address, amount: U256, spender: Address) {
    send(world, owner, WETH, amount, IWeth::depositCall {});
    approve_max(world, owner, WETH, spender);
}

/// Calldata of `approve(spender, amount)`.
pub(crate) fn approve_calldata(spender: Address, amount: U256) -> Vec<u8> {
    IToken::approveCall { spender, amount }.abi_encode()
}

/// Calldata of `transfer(to, amount)`.
pub(crate) fn transfer_calldata(to: Address, amount: U256) -> Vec<u8> {
    IToken::transferCall { to, amount }.abi_encode()
}

/// A Uniswap V3 fee tier in hundredths of a bip (500 is 0.05%).
pub(crate) fn fee(tier: u32) -> U24 {
    U24::from(tier)
}

/// The packed V3 path `tokens[0] fees[0] tokens[1] …`.
pub(crate) fn path(tokens: &[Address], fees: &[u32]) -> Bytes {
    let mut path = tokens[0].to_vec();
    for (token, fee) in tokens[1..].iter().zip(fees) {
        path.extend_from_slice(&fee.to_be_bytes()[1..]);
        path.extend_from_slice(token.as_slice());
    }
    path.into()
}

/// SwapRouter02 `exactInputSingle` parameters with no minimum output and no price limit.
pub(crate) fn exact_input_single(
    token_in: Address,
    token_out: Address,
    tier: u32,
    recipient: Address,
    amount_in: U256,
) -> IRouter02::ExactInputSingleParams {
    IRouter02::ExactInputSingleParams {
        tokenIn: token_in,
        tokenOut: token_out,
        fee: fee(tier),
        recipient,
        amountIn: amount_in,
        amountOutMinimum: U256::ZERO,
        sqrtPriceLimitX96: Default::default(),
    }
}

/// The address of the V3 pool of `a` and `b` at `tier`.
pub(crate) fn v3_pool(world: &World, a: Address, b: Address, tier: u32) -> Address {
    world
        .layout
        .v3_pool(a, b, tier)
        .unwrap_or_else(|| panic!("no {tier} V3 pool {a}/{b}"))
        .address
}

/// The address of the V2 pair of `a` and `b`.
pub(crate) fn v2_pair(world: &World, a: Address, b: Address) -> Address {
    world
        .layout
        .pair(a, b)
        .unwrap_or_else(|| panic!("no V2 pair {a}/{b}"))
        .address
}

/// A V3 pool's `(reserve0, reserve1)`.
pub(crate) fn pool_reserves(world: &World, pool: Address) -> (U256, U256) {
    (
        view(world, pool, IV3Pool::reserve0Call {}),
        view(world, pool, IV3Pool::reserve1Call {}),
    )
}

/// Asks QuoterV2 (which quotes by running the swap, so it is sent, not viewed) from
/// [`TRADER`] on a copy of `world`, which is left as it was.
pub(crate) fn quote<C: SolCall>(world: &World, call: C) -> C::Return {
    send(
        &mut world.clone(),
        TRADER,
        UNISWAP_V3_QUOTER,
        U256::ZERO,
        call,
    )
}

/// An Aave supply of `amount` of `asset` credited to `on_behalf_of`, with no referral code.
pub(crate) fn aave_supply(
    asset: Address,
    amount: U256,
    on_behalf_of: Address,
) -> IAave::supplyCall {
    IAave::supplyCall {
        asset,
        amount,
        onBehalfOf: on_behalf_of,
        referralCode: 0,
    }
}

/// An Aave borrow of `amount` of `asset` at the variable rate (mode 2) against
/// `on_behalf_of`'s collateral, with no referral code.
pub(crate) fn aave_borrow(
    asset: Address,
    amount: U256,
    on_behalf_of: Address,
) -> IAave::borrowCall {
    IAave::borrowCall {
        asset,
        amount,
        interestRateMode: U256::from(2),
        referralCode: 0,
        onBehalfOf: on_behalf_of,
    }
}

/// Aave's `getUserAccountData(user)`: collateral, debt, borrowing room (in 8-decimal USD),
/// liquidation threshold, LTV (in bips) and health factor.
pub(crate) fn aave_account(world: &World, user: Address) -> IAave::getUserAccountDataReturn {
    view(world, AAVE_V3_POOL, IAave::getUserAccountDataCall { user })
}

/// The aToken and the variable debt token of an Aave reserve.
pub(crate) fn aave_reserve_tokens(world: &World, asset: Address) -> (Address, Address) {
    let tokens = view(
        world,
        AAVE_V3_DATA_PROVIDER,
        IDataProvider::getReserveTokensAddressesCall { asset },
    );
    (tokens._0, tokens._2)
}

/// The data provider's `getUserReserveData(asset, user)`: `_0` is the aToken balance,
/// `_8` whether the reserve is used as collateral.
pub(crate) fn aave_user_reserve(
    world: &World,
    asset: Address,
    user: Address,
) -> IDataProvider::getUserReserveDataReturn {
    view(
        world,
        AAVE_V3_DATA_PROVIDER,
        IDataProvider::getUserReserveDataCall { asset, user },
    )
}

/// Bytes of one call in [`calls_payload`]: PUSH1 len, PUSH2 offset, PUSH0, CODECOPY, PUSH1 32,
/// PUSH0, PUSH1 len, PUSH0, PUSH0, PUSH20 target, GAS, CALL, POP.
pub(crate) const CALL_CODE_LEN: usize = 2 + 3 + 1 + 1 + 2 + 1 + 2 + 1 + 1 + 21 + 1 + 1 + 1;

/// A guest that makes each call in turn (calldata copied from a data section after the code,
/// no value, result ignored) and stops.
pub(crate) fn calls_payload(calls: &[(Address, Vec<u8>)]) -> Vec<u8> {
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
    assert_eq!(code.len(), code_len);
    code.extend_from_slice(&data);
    code
}

/// The default devnet, built once for all the tests of a binary (each dry run starts from a
/// copy).
pub(crate) fn devnet() -> &'static Devnet {
    static DEVNET: OnceLock<Devnet> = OnceLock::new();
    DEVNET
        .get_or_init(|| Devnet::new(&Scenario::default()).unwrap_or_else(|e| panic!("devnet: {e}")))
}

/// The report of a dry run of `payload` on `devnet`.
pub(crate) fn run_on(devnet: &Devnet, payload: &[u8], ctx: &RunContext) -> Report {
    devnet
        .dry_run(payload, ctx)
        .unwrap_or_else(|e| panic!("dry run: {e}"))
}

/// The report of a dry run of `payload` on the default [`devnet`].
pub(crate) fn run(payload: &[u8], ctx: &RunContext) -> Report {
    run_on(devnet(), payload, ctx)
}

/// The report's asset changes as `(symbol, delta)`, in report order.
pub(crate) fn deltas(report: &Report) -> Vec<(&str, &str)> {
    report
        .asset_changes
        .iter()
        .map(|c| (c.symbol.as_str(), c.delta.as_str()))
        .collect()
}

/// The report's change of the token `symbol`, which must be there.
pub(crate) fn asset_change<'a>(report: &'a Report, symbol: &str) -> &'a AssetChange {
    report
        .asset_changes
        .iter()
        .find(|c| c.symbol == symbol)
        .unwrap_or_else(|| panic!("no {symbol} change: {}", report.render(false)))
}

/// A scenario parsed from TOML text that must be valid.
pub(crate) fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text).unwrap_or_else(|e| panic!("{e}"))
}

/// The message a bad scenario file is refused with.
pub(crate) fn scenario_error(text: &str) -> String {
    match Scenario::from_toml(text) {
        Err(DevnetError::Scenario(message)) => message,
        Err(other) => panic!("wrong error: {other}"),
        Ok(_) => panic!("accepted a bad scenario: {text}"),
    }
}
