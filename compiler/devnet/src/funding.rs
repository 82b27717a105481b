//! What a devnet is built with: the vault's, its owner's and the pools' starting balances
//! ([`Funding`], with the reserves of single pools), and the positions a scenario opens for
//! the vault ([`SeededPositions`]).

use alloy_primitives::{Address, U256};

use crate::addresses::{TokenKind, TOKENS};
use crate::chain::ETHER;

/// The USD price of one WBTC the devnet seeds its pools and the Aave oracle at.
pub const WBTC_PRICE_USD: u64 = 60_000;

/// The fee tiers the V3 factory has, in hundredths of a bip.
pub(crate) const V3_FEE_TIERS: [u32; 4] = [100, 500, 3_000, 10_000];

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

/// The positions a scenario seeds, amounts in base units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeededPositions {
    /// Aave V3: assets supplied by the vault.
    pub aave_supply: Vec<(Address, U256)>,
    /// Aave V3: variable debt of the vault.
    pub aave_borrow: Vec<(Address, U256)>,
    /// Aave V3: supplied assets the vault does not use as collateral (every supplied asset is
    /// collateral unless listed here).
    pub aave_not_collateral: Vec<Address>,
    /// Compound III, one entry per market.
    pub comet: Vec<CometSeed>,
    /// Morpho Blue, one entry per market.
    pub morpho: Vec<MorphoSeed>,
    /// Uniswap V2 liquidity added for the vault.
    pub v2_liquidity: Vec<LiquiditySeed>,
}

impl SeededPositions {
    /// Whether the scenario seeds nothing.
    pub fn is_empty(&self) -> bool {
        *self == SeededPositions::default()
    }
}

/// A Compound III position: the market (by its base token), collateral, and base supply or
/// borrow (a Comet account has one signed base balance, so not both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CometSeed {
    /// The market's base token (USDC for cUSDCv3, WETH for cWETHv3).
    pub base: Address,
    /// Collateral supplied for the vault.
    pub collateral: Vec<(Address, U256)>,
    /// Base token supplied for the vault.
    pub supply: U256,
    /// Base token borrowed by the vault.
    pub borrow: U256,
}

/// A Morpho Blue position in the market of `loan` against `collateral`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MorphoSeed {
    /// The loan token.
    pub loan: Address,
    /// The collateral token.
    pub collateral_token: Address,
    /// Loan tokens supplied (lent) for the vault.
    pub supply: U256,
    /// Collateral supplied for the vault.
    pub collateral: U256,
    /// Loan tokens borrowed by the vault.
    pub borrow: U256,
}

/// Liquidity added to a Uniswap V2 pair, the LP shares minted to the vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiquiditySeed {
    /// One token and the amount of it added.
    pub token_a: (Address, U256),
    /// The other token and the amount of it added (the router takes the pair's ratio, so
    /// one side may be used only in part).
    pub token_b: (Address, U256),
}
