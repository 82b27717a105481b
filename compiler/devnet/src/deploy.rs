//! Builds the devnet's world with plain revm: deploys each fixture from a deployer
//! account, etches it at its mainnet address, seeds Uniswap V2 and V3 pools, the Aave
//! market, Lido and sDAI, deploys the vault and funds it. The steps live in the `world*`
//! modules; this one holds the parameters, the [`Layout`] and the order of the steps.

use std::fmt;

use alloy_primitives::{Address, Bytes, U256};
use revm::{
    context::{BlockEnv, CfgEnv},
    context_interface::block::BlobExcessGasAndPrice,
    database::InMemoryDB,
    primitives::{eip4844::BLOB_BASE_FEE_UPDATE_FRACTION_CANCUN, hardfork::SpecId},
};

pub use crate::world::World;
pub use crate::world_protocols::MorphoMarketInfo;
use crate::{
    addresses::{
        all_tokens, TokenInfo, TokenKind, AAVE_V3_DATA_PROVIDER, AAVE_V3_POOL, DEPLOYER, DEVNFT,
        PERMIT2, TOKENS, UNISWAP_V2_FACTORY, UNISWAP_V2_ROUTER, UNISWAP_V3_FACTORY,
        UNISWAP_V3_QUOTER, UNISWAP_V3_ROUTER, VAULT, VAULT_OWNER,
    },
    fixtures::FixtureError,
    world_feeds, world_lending, world_protocols, world_tokens, world_uniswap,
};

/// The hard fork the devnet runs (the fixtures are compiled for it too).
pub const SPEC: SpecId = SpecId::CANCUN;
/// The devnet's chain id: mainnet's, since its contracts sit at mainnet addresses.
pub const CHAIN_ID: u64 = 1;
/// The devnet block's number.
pub const BLOCK_NUMBER: u64 = 21_000_000;
/// The devnet block's timestamp (late October 2024).
pub const BLOCK_TIMESTAMP: u64 = 1_730_000_000;
/// The devnet block's gas limit.
pub const BLOCK_GAS_LIMIT: u64 = 30_000_000;
/// The devnet block's base fee (10 gwei); the devnet's own transactions pay exactly this.
pub const BASE_FEE: u64 = 10_000_000_000;
/// The priority fee (tip) a dry run's transaction pays on top of the base fee (1 gwei): its
/// GASPRICE is above BASEFEE, as on chain, so a payload cannot tell a dry run by their
/// equality.
pub const PRIORITY_FEE: u64 = nest_hyvm::DEFAULT_PRIORITY_FEE;
/// The devnet block's builder (COINBASE): beaverbuild's address, a well-known mainnet
/// builder, so a payload cannot tell a dry run by a zero coinbase.
pub const COINBASE: Address =
    alloy_primitives::address!("0x95222290DD7278Aa3Ddd389Cc1E1d165CC4BAfe5");
/// The gas limit of each transaction the devnet sends (EIP-7825's cap).
pub const TX_GAS_LIMIT: u64 = 1 << 24;

/// The USD price of one WBTC the devnet seeds its pools and the Aave oracle at.
pub const WBTC_PRICE_USD: u64 = 60_000;

/// Ether held by the deployer, enough to wrap every pool's WETH and stake Lido's.
const DEPLOYER_ETH: u128 = 1_000_000_000 * ETHER;
pub(crate) const ETHER: u128 = 1_000_000_000_000_000_000;

/// The block the devnet's transactions run in.
pub fn block_env() -> BlockEnv {
    BlockEnv {
        number: U256::from(BLOCK_NUMBER),
        timestamp: U256::from(BLOCK_TIMESTAMP),
        gas_limit: BLOCK_GAS_LIMIT,
        basefee: BASE_FEE,
        beneficiary: COINBASE,
        blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new(
            0,
            BLOB_BASE_FEE_UPDATE_FRACTION_CANCUN,
        )),
        ..BlockEnv::default()
    }
}

/// The devnet's chain configuration: [`SPEC`] with mainnet gas parameters, [`CHAIN_ID`].
pub fn cfg_env() -> CfgEnv {
    CfgEnv::new_with_spec(SPEC).with_chain_id(CHAIN_ID)
}

/// What the vault, its owner and the pools start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Funding {
    /// Token balances credited to the vault, in base units, by token address.
    pub vault_tokens: Vec<(Address, U256)>,
    /// Wei sent to the vault.
    pub vault_eth: U256,
    /// Wei held by the vault's owner, for gas.
    pub owner_eth: U256,
    /// The USD price of one ether, used to seed the WETH pools (stablecoins are 1 USD).
    pub eth_price_usd: u64,
    /// The USD value of each side of every pool.
    pub pool_side_usd: u64,
    /// Pools seeded with these reserves instead of `pool_side_usd` (created if the devnet
    /// has no such pool).
    pub pools: Vec<PoolReserves>,
    /// Tokens priced by the scenario, in millionths of a USD per whole token (a WETH price
    /// replaces `eth_price_usd`); pools, oracles and markets are seeded at these prices.
    pub prices: Vec<(Address, U256)>,
}

/// Which Uniswap a pool belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolKind {
    /// A Uniswap V2 pair.
    V2,
    /// A Uniswap V3 pool of a fee tier (hundredths of a bip: 100, 500, 3000 or 10000).
    V3 {
        /// The fee tier.
        fee: u32,
    },
}

/// The reserves one pool is seeded with, in base units of each token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolReserves {
    /// V2 pair or V3 pool (and its fee tier).
    pub kind: PoolKind,
    /// One token and its reserve.
    pub token_a: (Address, U256),
    /// The other token and its reserve.
    pub token_b: (Address, U256),
}

impl Default for Funding {
    /// 1M of each stablecoin, 1,000 WETH and 1,000 ETH in the vault, 100 ETH for the owner,
    /// pools 50M USD deep on each side (100M per pool) at 3,000 USD per ETH.
    fn default() -> Self {
        let vault_tokens = TOKENS
            .iter()
            .map(|t| {
                let units = if t.kind == TokenKind::Weth {
                    1_000u64
                } else {
                    1_000_000
                };
                (
                    t.address,
                    U256::from(units) * U256::from(10u64).pow(U256::from(t.decimals)),
                )
            })
            .collect();
        Funding {
            vault_tokens,
            vault_eth: U256::from(1_000 * ETHER),
            owner_eth: U256::from(100 * ETHER),
            eth_price_usd: 3_000,
            pool_side_usd: 50_000_000,
            pools: Vec::new(),
            prices: Vec::new(),
        }
    }
}

/// A Uniswap V2 pair created on the devnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairInfo {
    /// The pair's address (CREATE2 from the factory).
    pub address: Address,
    /// The lower token address.
    pub token0: Address,
    /// The higher token address.
    pub token1: Address,
}

/// A Uniswap V3 pool created on the devnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct V3PoolInfo {
    /// The pool's address (CREATE2 from the V3 factory).
    pub address: Address,
    /// The lower token address.
    pub token0: Address,
    /// The higher token address.
    pub token1: Address,
    /// The fee tier, in hundredths of a basis point (500 = 0.05%).
    pub fee: u32,
}

/// A reserve of the devnet's Aave V3 market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AaveReserveInfo {
    /// The underlying token.
    pub asset: Address,
    /// Its aToken (`aEth…`).
    pub a_token: Address,
    /// Its variable debt token (`variableDebtEth…`).
    pub variable_debt_token: Address,
}

/// Where everything is on a deployed devnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The HyVM address the vault DELEGATECALLs (nothing is deployed there by [`deploy`]).
    pub hyvm: Address,
    /// The vault.
    pub vault: Address,
    /// The vault's owner.
    pub vault_owner: Address,
    /// The account that deployed and seeded the fixtures; it holds the LP shares.
    pub deployer: Address,
    /// The Uniswap V2 factory.
    pub factory: Address,
    /// The Uniswap V2 router.
    pub router: Address,
    /// Every devnet token: [`TOKENS`], then [`crate::addresses::EXTRA_TOKENS`].
    pub tokens: Vec<TokenInfo>,
    /// One Uniswap V2 pair for every two of [`TOKENS`].
    pub pairs: Vec<PairInfo>,
    /// The other Uniswap V2 pairs: one for every other two devnet tokens.
    pub other_pairs: Vec<PairInfo>,
    /// The Uniswap V3 factory.
    pub v3_factory: Address,
    /// Uniswap SwapRouter02.
    pub v3_router: Address,
    /// Uniswap QuoterV2.
    pub v3_quoter: Address,
    /// The Uniswap V3 pools: 0.05% and 0.3% for every two devnet tokens, a few at 1%, and
    /// any other a scenario names.
    pub v3_pools: Vec<V3PoolInfo>,
    /// The Aave V3 Pool.
    pub aave_pool: Address,
    /// The Aave V3 data provider.
    pub aave_data_provider: Address,
    /// The Aave V3 reserves.
    pub aave_reserves: Vec<AaveReserveInfo>,
    /// Permit2.
    pub permit2: Address,
    /// The `DEVNFT` ERC-721 collection.
    pub nft: Address,
    /// Curve's DAI/USDC/USDT 3pool.
    pub curve_3pool: Address,
    /// The 3pool's LP token (3Crv).
    pub curve_3pool_lp: Address,
    /// Compound III's USDC market.
    pub comet_usdc: Address,
    /// Compound III's WETH market.
    pub comet_weth: Address,
    /// Morpho Blue.
    pub morpho: Address,
    /// The Morpho markets (WETH/USDC, wstETH/WETH).
    pub morpho_markets: Vec<MorphoMarketInfo>,
}

impl Layout {
    /// The protocols at their mainnet addresses, the given vault, owner and HyVM, and
    /// no pools or reserves yet (the devnet fills them in as it deploys them; a fork
    /// has none of its own).
    pub fn at_mainnet_addresses(
        hyvm: Address,
        vault: Address,
        vault_owner: Address,
        tokens: Vec<TokenInfo>,
    ) -> Layout {
        Layout {
            hyvm,
            vault,
            vault_owner,
            deployer: DEPLOYER,
            factory: UNISWAP_V2_FACTORY,
            router: UNISWAP_V2_ROUTER,
            tokens,
            pairs: Vec::new(),
            other_pairs: Vec::new(),
            v3_factory: UNISWAP_V3_FACTORY,
            v3_router: UNISWAP_V3_ROUTER,
            v3_quoter: UNISWAP_V3_QUOTER,
            v3_pools: Vec::new(),
            aave_pool: AAVE_V3_POOL,
            aave_data_provider: AAVE_V3_DATA_PROVIDER,
            aave_reserves: Vec::new(),
            permit2: PERMIT2,
            nft: DEVNFT,
            curve_3pool: world_protocols::CURVE_3POOL,
            curve_3pool_lp: world_protocols::CURVE_3POOL_LP,
            comet_usdc: world_protocols::COMPOUND_V3_USDC,
            comet_weth: world_protocols::COMPOUND_V3_WETH,
            morpho: world_protocols::MORPHO_BLUE,
            morpho_markets: Vec::new(),
        }
    }

    /// The Uniswap V2 pair of two tokens, in either order.
    pub fn pair(&self, a: Address, b: Address) -> Option<&PairInfo> {
        self.pairs
            .iter()
            .chain(&self.other_pairs)
            .find(|p| (p.token0, p.token1) == (a, b) || (p.token0, p.token1) == (b, a))
    }

    /// The Uniswap V3 pool of two tokens (in either order) and a fee tier.
    pub fn v3_pool(&self, a: Address, b: Address, fee: u32) -> Option<&V3PoolInfo> {
        let (token0, token1) = if a < b { (a, b) } else { (b, a) };
        self.v3_pools
            .iter()
            .find(|p| (p.token0, p.token1, p.fee) == (token0, token1, fee))
    }

    /// The Aave V3 reserve of `asset`.
    pub fn aave_reserve(&self, asset: Address) -> Option<&AaveReserveInfo> {
        self.aave_reserves.iter().find(|r| r.asset == asset)
    }
}

/// Why the devnet could not be built, or a devnet transaction could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeployError {
    /// An embedded fixture artifact is broken.
    Fixture(FixtureError),
    /// The funding names a token the devnet does not have.
    UnknownToken(Address),
    /// The funding is unusable (for example a zero ETH price).
    InvalidFunding(&'static str),
    /// revm refused to run the transaction (bad nonce, not enough ETH for gas, …).
    Evm {
        /// What the transaction was for.
        step: String,
        /// revm's error.
        message: String,
    },
    /// The transaction reverted.
    Reverted {
        /// What the transaction was for.
        step: String,
        /// The revert data.
        output: Bytes,
    },
    /// The transaction halted (out of gas, invalid opcode, …).
    Halted {
        /// What the transaction was for.
        step: String,
        /// revm's halt reason.
        reason: String,
    },
    /// A contract creation returned no address.
    NoCreatedAddress(String),
    /// A call's output could not be decoded.
    Decode {
        /// What the call was for.
        step: String,
        /// The decoder's error.
        message: String,
    },
}

impl fmt::Display for DeployError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeployError::Fixture(e) => e.fmt(f),
            DeployError::UnknownToken(a) => write!(f, "`{a}` is not a devnet token"),
            DeployError::InvalidFunding(why) => write!(f, "invalid devnet funding: {why}"),
            DeployError::Evm { step, message } => {
                write!(f, "{step}: transaction rejected: {message}")
            }
            DeployError::Reverted { step, output } => write!(f, "{step}: reverted with {output}"),
            DeployError::Halted { step, reason } => write!(f, "{step}: halted: {reason}"),
            DeployError::Decode { step, message } => write!(f, "{step}: cannot decode: {message}"),
            DeployError::NoCreatedAddress(step) => {
                write!(f, "{step}: the creation returned no address")
            }
        }
    }
}

impl std::error::Error for DeployError {}

impl From<FixtureError> for DeployError {
    fn from(e: FixtureError) -> Self {
        DeployError::Fixture(e)
    }
}

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

    world_tokens::deploy_tokens(&mut world)?;
    world_uniswap::deploy_uniswap(&mut world)?;
    world_lending::deploy_lending(&mut world)?;
    world_protocols::deploy_protocols(&mut world)?;
    world_tokens::deploy_vault_and_extras(&mut world, hyvm)?;

    let prices = world_tokens::Prices::with_overrides(funding.eth_price_usd, &funding.prices);
    world_uniswap::seed(&mut world, &prices, funding)?;
    world_lending::seed_aave(&mut world, &prices, funding.pool_side_usd)?;
    world_protocols::seed_protocols(&mut world, &prices, funding.pool_side_usd)?;
    world_feeds::deploy_feeds(&mut world, &prices)?;
    world_tokens::fund_vault(&mut world, funding)?;
    Ok(world)
}
