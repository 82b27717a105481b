//! Builds the devnet's world with plain revm: deploys each fixture from a deployer
//! account, etches it at its mainnet address, seeds Uniswap V2 and V3 pools, the Aave
//! market, Lido and sDAI, deploys the vault and funds it, and opens a scenario's positions.
//! The steps live in the `world` folder, which only this module drives; this one holds the
//! order of the steps and is the way in for everything else (the world, its layout, its
//! chain and its funding are re-exported here).

use alloy_primitives::{Address, U256};
use revm::database::InMemoryDB;

pub use crate::chain::{
    block_env, cfg_env, BASE_FEE, BLOCK_GAS_LIMIT, BLOCK_NUMBER, BLOCK_TIMESTAMP, CHAIN_ID,
    COINBASE, PRIORITY_FEE, SPEC, TX_GAS_LIMIT,
};
pub use crate::error::DeployError;
pub use crate::funding::{Funding, PoolKind, PoolReserves, WBTC_PRICE_USD};
pub use crate::layout::{AaveReserveInfo, Layout, MorphoMarketInfo, PairInfo, V3PoolInfo};
pub(crate) use crate::world::positions::seed_positions;
pub use crate::world::World;
use crate::{
    addresses::{all_tokens, DEPLOYER, VAULT, VAULT_OWNER},
    chain::ETHER,
    world::{feeds, lending, protocols, tokens, uniswap},
};

/// Ether held by the deployer, enough to wrap every pool's WETH and stake Lido's.
const DEPLOYER_ETH: u128 = 1_000_000_000 * ETHER;

/// Builds the devnet: every fixture at its mainnet (or devnet) address, the pools and
/// markets seeded `funding.pool_side_usd` deep, and the vault at [`VAULT`] (owned by
/// [`VAULT_OWNER`], delegating to `hyvm`) funded as `funding` says, plus the fixed
/// [`crate::addresses::EXTRA_VAULT_UNITS`] of each token `funding` does not name and the
/// [`crate::addresses::VAULT_NFT_IDS`]. Nothing is deployed at `hyvm`.
pub fn deploy(hyvm: Address, funding: &Funding) -> Result<World, DeployError> {
    if funding.eth_price_usd == 0 {
        return Err(DeployError::InvalidFunding("the ETH price is zero"));
    }
    if funding.pool_side_usd == 0 {
        return Err(DeployError::InvalidFunding("the pools are empty"));
    }
    if let Some((unknown, _)) = funding
        .vault_tokens
        .iter()
        .find(|(a, _)| !all_tokens().any(|t| t.address == *a))
    {
        return Err(DeployError::UnknownToken(*unknown));
    }
    let mut world = World {
        db: InMemoryDB::default(),
        block: block_env(),
        layout: Layout::at_mainnet_addresses(
            hyvm,
            VAULT,
            VAULT_OWNER,
            all_tokens().copied().collect(),
        ),
    };
    world.set_balance(DEPLOYER, U256::from(DEPLOYER_ETH));
    world.set_balance(VAULT_OWNER, funding.owner_eth);

    tokens::deploy_tokens(&mut world)?;
    uniswap::deploy_uniswap(&mut world)?;
    lending::deploy_lending(&mut world)?;
    protocols::deploy_protocols(&mut world)?;
    tokens::deploy_vault_and_extras(&mut world, hyvm)?;

    let prices = tokens::Prices::with_overrides(funding.eth_price_usd, &funding.prices);
    uniswap::seed(&mut world, &prices, funding)?;
    lending::seed_aave(&mut world, &prices, funding.pool_side_usd)?;
    protocols::seed_protocols(&mut world, &prices, funding.pool_side_usd)?;
    feeds::deploy_feeds(&mut world, &prices)?;
    tokens::fund_vault(&mut world, funding)?;
    Ok(world)
}
