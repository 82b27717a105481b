//! The devnet's Uniswap: V2 (factory, Router02, a pair for every two devnet tokens) and V3
//! (factory, SwapRouter02, QuoterV2, a 0.05% and a 0.3% pool for every two devnet tokens and
//! a few 1% pools), seeded from the deployer `pool_side_usd` deep on each side, or with the
//! reserves the funding gives a pool.

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolValue};

use super::tokens::{approve_max, credit, Prices};
use super::World;
use crate::addresses::{
    all_tokens, token, TokenInfo, DEPLOYER, FALSY, FOT, STETH, TOKENS, UNISWAP_V2_FACTORY,
    UNISWAP_V2_ROUTER, UNISWAP_V3_FACTORY, UNISWAP_V3_QUOTER, UNISWAP_V3_ROUTER, USDC, WBTC, WETH,
};
use crate::chain::BLOCK_TIMESTAMP;
use crate::error::DeployError;
use crate::fixtures::{fixture, Contract};
use crate::funding::{Funding, PoolKind, PoolReserves, V3_FEE_TIERS};
use crate::layout::{PairInfo, V3PoolInfo};

/// The V3 fee tiers every two devnet tokens have a pool in.
const V3_TIERS: [u32; 2] = [500, 3_000];

/// The 1% V3 pools, beside [`V3_TIERS`].
const ONE_PERCENT_POOLS: [(Address, Address); 4] =
    [(WBTC, USDC), (STETH, WETH), (FALSY, WETH), (FOT, WETH)];

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

/// One pool to seed: two tokens and the reserve of each.
struct Seed {
    kind: PoolKind,
    a: &'static TokenInfo,
    b: &'static TokenInfo,
    amount_a: U256,
    amount_b: U256,
}

impl Seed {
    fn is(&self, kind: PoolKind, a: Address, b: Address) -> bool {
        self.kind == kind
            && ((self.a.address, self.b.address) == (a, b)
                || (self.a.address, self.b.address) == (b, a))
    }
}

/// Seeds every pool: the default ones `funding.pool_side_usd` deep at `prices`, those
/// `funding.pools` names with the reserves it gives. The deployer is credited once per
/// token with what all the pools need.
pub(crate) fn seed(
    world: &mut World,
    prices: &Prices,
    funding: &Funding,
) -> Result<(), DeployError> {
    let seeds = plan(prices, funding)?;
    for token in all_tokens() {
        let needed = seeds
            .iter()
            .flat_map(|s| [(s.a, s.amount_a), (s.b, s.amount_b)])
            .filter(|(t, _)| t.address == token.address)
            .fold(U256::ZERO, |sum, (_, amount)| sum + amount);
        if !needed.is_zero() {
            credit(world, token, DEPLOYER, needed)?;
            approve_max(world, token.address, UNISWAP_V2_ROUTER)?;
        }
    }
    for seed in &seeds {
        match seed.kind {
            PoolKind::V2 => {
                let pair = seed_v2_pair(world, seed)?;
                let main = |t: &TokenInfo| TOKENS.iter().any(|m| m.address == t.address);
                if main(seed.a) && main(seed.b) {
                    world.layout.pairs.push(pair);
                } else {
                    world.layout.other_pairs.push(pair);
                }
            }
            PoolKind::V3 { fee } => {
                let pool = seed_v3_pool(world, seed, fee)?;
                world.layout.v3_pools.push(pool);
            }
        }
    }
    Ok(())
}

/// The pools to seed, in order: a V2 pair for every two devnet tokens, V3 pools in
/// [`V3_TIERS`] for every two, the [`ONE_PERCENT_POOLS`], then the pools only
/// `funding.pools` names.
fn plan(prices: &Prices, funding: &Funding) -> Result<Vec<Seed>, DeployError> {
    let tokens: Vec<&'static TokenInfo> = all_tokens().collect();
    let mut pools: Vec<(PoolKind, &'static TokenInfo, &'static TokenInfo)> = Vec::new();
    for (i, a) in tokens.iter().enumerate() {
        for b in &tokens[i + 1..] {
            pools.push((PoolKind::V2, a, b));
        }
    }
    for (i, a) in tokens.iter().enumerate() {
        for b in &tokens[i + 1..] {
            for fee in V3_TIERS {
                pools.push((PoolKind::V3 { fee }, a, b));
            }
        }
    }
    for (a, b) in ONE_PERCENT_POOLS {
        pools.push((PoolKind::V3 { fee: 10_000 }, info(a)?, info(b)?));
    }
    let side = funding.pool_side_usd;
    let mut seeds: Vec<Seed> = pools
        .into_iter()
        .map(|(kind, a, b)| Seed {
            kind,
            a,
            b,
            amount_a: prices.units(a, side),
            amount_b: prices.units(b, side),
        })
        .collect();
    for (i, pool) in funding.pools.iter().enumerate() {
        check_pool(pool)?;
        let ((a, amount_a), (b, amount_b)) = (pool.token_a, pool.token_b);
        if funding.pools[..i]
            .iter()
            .any(|p| p.kind == pool.kind && same_pair(p, a, b))
        {
            return Err(DeployError::InvalidFunding(
                "a pool is given reserves twice",
            ));
        }
        match seeds.iter_mut().find(|s| s.is(pool.kind, a, b)) {
            Some(seed) if seed.a.address == a => {
                (seed.amount_a, seed.amount_b) = (amount_a, amount_b)
            }
            Some(seed) => (seed.amount_a, seed.amount_b) = (amount_b, amount_a),
            None => seeds.push(Seed {
                kind: pool.kind,
                a: info(a)?,
                b: info(b)?,
                amount_a,
                amount_b,
            }),
        }
    }
    Ok(seeds)
}

fn same_pair(pool: &PoolReserves, a: Address, b: Address) -> bool {
    let pair = (pool.token_a.0, pool.token_b.0);
    pair == (a, b) || pair == (b, a)
}

/// Refuses reserves for an impossible pool: unknown or identical tokens, a fee tier the V3
/// factory lacks, an empty side.
fn check_pool(pool: &PoolReserves) -> Result<(), DeployError> {
    let ((a, amount_a), (b, amount_b)) = (pool.token_a, pool.token_b);
    info(a)?;
    info(b)?;
    if a == b {
        return Err(DeployError::InvalidFunding(
            "a pool's two tokens are the same",
        ));
    }
    if amount_a.is_zero() || amount_b.is_zero() {
        return Err(DeployError::InvalidFunding("a pool's reserve is zero"));
    }
    if let PoolKind::V3 { fee } = pool.kind {
        if !V3_FEE_TIERS.contains(&fee) {
            return Err(DeployError::InvalidFunding(
                "a V3 pool's fee tier does not exist",
            ));
        }
    }
    Ok(())
}

fn info(address: Address) -> Result<&'static TokenInfo, DeployError> {
    token(address).ok_or(DeployError::UnknownToken(address))
}

/// Creates the V2 pair of `seed` through the router, with the deployer's tokens.
fn seed_v2_pair(world: &mut World, seed: &Seed) -> Result<PairInfo, DeployError> {
    let (a, b) = (seed.a, seed.b);
    let step = format!("seed the {}/{} V2 pool", a.symbol, b.symbol);
    let add = IV2Router::addLiquidityCall {
        tokenA: a.address,
        tokenB: b.address,
        amountADesired: seed.amount_a,
        amountBDesired: seed.amount_b,
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

/// Creates the V3 pool of `seed` at `fee` and adds the deployer's tokens to it.
fn seed_v3_pool(world: &mut World, seed: &Seed, fee: u32) -> Result<V3PoolInfo, DeployError> {
    let (a, b) = (seed.a, seed.b);
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
    let (amount0, amount1) = if a.address == token0 {
        (seed.amount_a, seed.amount_b)
    } else {
        (seed.amount_b, seed.amount_a)
    };
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
