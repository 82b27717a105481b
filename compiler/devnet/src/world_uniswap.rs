//! The devnet's Uniswap: V2 (factory, Router02, a pair for every two scenario tokens and a
//! few more) and V3 (factory, SwapRouter02, QuoterV2, pools in three fee tiers), seeded
//! from the deployer.

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolValue};

use crate::addresses::{
    token, TokenInfo, DAI, DEPLOYER, FALSY, FOT, SDAI, STETH, TOKENS, UNISWAP_V2_FACTORY,
    UNISWAP_V2_ROUTER, UNISWAP_V3_FACTORY, UNISWAP_V3_QUOTER, UNISWAP_V3_ROUTER, USDC, USDT, WBTC,
    WETH, WSTETH,
};
use crate::deploy::{DeployError, PairInfo, V3PoolInfo, World, BLOCK_TIMESTAMP};
use crate::fixtures::{fixture, Contract};
use crate::world_tokens::{approve_max, credit, Prices};

/// The Uniswap V2 pairs of the tokens outside [`TOKENS`].
const OTHER_V2_PAIRS: [(Address, Address); 4] =
    [(WBTC, WETH), (WBTC, USDC), (FALSY, USDC), (FOT, WETH)];

/// The tokens with a 0.3% V3 pool for every two of them.
const V3_MAIN_TOKENS: [Address; 5] = [USDC, USDT, DAI, WETH, WBTC];

/// The other V3 pools: two tokens and a fee tier.
const OTHER_V3_POOLS: [(Address, Address, u32); 10] = [
    (USDC, WETH, 500),
    (USDC, USDT, 500),
    (DAI, USDC, 500),
    (WBTC, WETH, 500),
    (WSTETH, WETH, 500),
    (SDAI, DAI, 500),
    (WBTC, USDC, 10_000),
    (STETH, WETH, 10_000),
    (FALSY, WETH, 10_000),
    (FOT, WETH, 10_000),
];

sol! {
    interface IV2Factory {
        function getPair(address a, address b) external view returns (address);
    }
    interface IV2Router {
        function addLiquidity(
            address tokenA, address tokenB,
            uint256 amountADesired, uint256 amountBDesired,
            uint256 amountAMin, uint256 amountBMin,
            address to, uint256 deadline
        ) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);
    }
    interface IV3Factory {
        function createPool(address tokenA, address tokenB, uint24 fee) external returns (address);
    }
    interface IV3Pool {
        function addLiquidity(uint256 amount0, uint256 amount1) external;
    }
}

/// Deploys both factories and the routers and quoter at their mainnet addresses.
pub(crate) fn deploy_uniswap(world: &mut World) -> Result<(), DeployError> {
    world.deploy_at(Contract::UniswapV2Factory, &[], UNISWAP_V2_FACTORY)?;
    let pair_code_hash = keccak256(fixture(Contract::UniswapV2Pair)?.creation_code());
    let router_args = (UNISWAP_V2_FACTORY, WETH, pair_code_hash).abi_encode_params();
    world.deploy_at(Contract::UniswapV2Router02, &router_args, UNISWAP_V2_ROUTER)?;

    world.deploy_at(
        Contract::UniswapV3Factory,
        &DEPLOYER.abi_encode(),
        UNISWAP_V3_FACTORY,
    )?;
    let periphery_args = (UNISWAP_V3_FACTORY, WETH).abi_encode_params();
    world.deploy_at(Contract::SwapRouter02, &periphery_args, UNISWAP_V3_ROUTER)?;
    world.deploy_at(Contract::QuoterV2, &periphery_args, UNISWAP_V3_QUOTER)
}

fn info(address: Address) -> Result<&'static TokenInfo, DeployError> {
    token(address).ok_or(DeployError::UnknownToken(address))
}

/// A V2 pair for every two of [`TOKENS`] (in [`crate::deploy::Layout::pairs`]) and the
/// [`OTHER_V2_PAIRS`], each side worth `side_usd`.
pub(crate) fn seed_v2(
    world: &mut World,
    prices: &Prices,
    side_usd: u64,
) -> Result<(), DeployError> {
    let mut approved: Vec<Address> = Vec::new();
    for (i, a) in TOKENS.iter().enumerate() {
        for b in &TOKENS[i + 1..] {
            let pair = seed_v2_pair(world, &mut approved, prices, side_usd, a, b)?;
            world.layout.pairs.push(pair);
        }
    }
    for (a, b) in OTHER_V2_PAIRS {
        let pair = seed_v2_pair(world, &mut approved, prices, side_usd, info(a)?, info(b)?)?;
        world.layout.other_pairs.push(pair);
    }
    Ok(())
}

fn seed_v2_pair(
    world: &mut World,
    approved: &mut Vec<Address>,
    prices: &Prices,
    side_usd: u64,
    a: &TokenInfo,
    b: &TokenInfo,
) -> Result<PairInfo, DeployError> {
    for token in [a, b] {
        if !approved.contains(&token.address) {
            approve_max(world, token.address, UNISWAP_V2_ROUTER)?;
            approved.push(token.address);
        }
    }
    let amount_a = prices.units(a, side_usd);
    let amount_b = prices.units(b, side_usd);
    credit(world, a, DEPLOYER, amount_a)?;
    credit(world, b, DEPLOYER, amount_b)?;
    let step = format!("seed the {}/{} V2 pool", a.symbol, b.symbol);
    let add = IV2Router::addLiquidityCall {
        tokenA: a.address,
        tokenB: b.address,
        amountADesired: amount_a,
        amountBDesired: amount_b,
        amountAMin: U256::ZERO,
        amountBMin: U256::ZERO,
        to: DEPLOYER,
        deadline: U256::from(BLOCK_TIMESTAMP),
    };
    world.send_call(&step, DEPLOYER, UNISWAP_V2_ROUTER, U256::ZERO, add)?;
    let get_pair = IV2Factory::getPairCall {
        a: a.address,
        b: b.address,
    };
    let address = world.view_call(&step, UNISWAP_V2_FACTORY, get_pair)?;
    let (token0, token1) = sorted(a.address, b.address);
    Ok(PairInfo {
        address,
        token0,
        token1,
    })
}

/// A 0.3% V3 pool for every two of [`V3_MAIN_TOKENS`] and the [`OTHER_V3_POOLS`], each
/// side worth `side_usd`.
pub(crate) fn seed_v3(
    world: &mut World,
    prices: &Prices,
    side_usd: u64,
) -> Result<(), DeployError> {
    let mut pools = Vec::new();
    for (i, a) in V3_MAIN_TOKENS.iter().enumerate() {
        for b in &V3_MAIN_TOKENS[i + 1..] {
            pools.push((*a, *b, 3_000));
        }
    }
    pools.extend(OTHER_V3_POOLS);
    for (a, b, fee) in pools {
        let pool = seed_v3_pool(world, prices, side_usd, info(a)?, info(b)?, fee)?;
        world.layout.v3_pools.push(pool);
    }
    Ok(())
}

fn seed_v3_pool(
    world: &mut World,
    prices: &Prices,
    side_usd: u64,
    a: &TokenInfo,
    b: &TokenInfo,
    fee: u32,
) -> Result<V3PoolInfo, DeployError> {
    let step = format!("seed the {}/{} {fee} V3 pool", a.symbol, b.symbol);
    let create = IV3Factory::createPoolCall {
        tokenA: a.address,
        tokenB: b.address,
        fee: fee
            .try_into()
            .map_err(|_| DeployError::InvalidFunding("fee tier"))?,
    };
    let address = world.send_call(&step, DEPLOYER, UNISWAP_V3_FACTORY, U256::ZERO, create)?;
    let (token0, token1) = sorted(a.address, b.address);
    let (first, second) = if a.address == token0 { (a, b) } else { (b, a) };
    let amount0 = prices.units(first, side_usd);
    let amount1 = prices.units(second, side_usd);
    credit(world, first, DEPLOYER, amount0)?;
    credit(world, second, DEPLOYER, amount1)?;
    approve_max(world, token0, address)?;
    approve_max(world, token1, address)?;
    let add = IV3Pool::addLiquidityCall { amount0, amount1 };
    world.send_call(&step, DEPLOYER, address, U256::ZERO, add)?;
    Ok(V3PoolInfo {
        address,
        token0,
        token1,
        fee,
    })
}

fn sorted(a: Address, b: Address) -> (Address, Address) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}
