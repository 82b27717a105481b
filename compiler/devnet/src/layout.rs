//! Where everything is on a deployed devnet (or a fork): the [`Layout`] and the pools,
//! reserves and markets it lists. The devnet's build fills it in; the report and the seeding
//! of a scenario's positions read it.

use alloy_primitives::{Address, B256, U256};

use crate::addresses::{
    TokenInfo, AAVE_V3_DATA_PROVIDER, AAVE_V3_POOL, COMPOUND_V3_USDC, COMPOUND_V3_WETH,
    CURVE_3POOL, CURVE_3POOL_LP, DEPLOYER, DEVNFT, MORPHO_BLUE, PERMIT2, UNISWAP_V2_FACTORY,
    UNISWAP_V2_ROUTER, UNISWAP_V3_FACTORY, UNISWAP_V3_QUOTER, UNISWAP_V3_ROUTER,
};

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
    /// The HyVM address the vault DELEGATECALLs (nothing is deployed there by
    /// [`crate::deploy::deploy`]).
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
    /// Every devnet token: [`crate::addresses::TOKENS`], then [`crate::addresses::EXTRA_TOKENS`].
    pub tokens: Vec<TokenInfo>,
    /// One Uniswap V2 pair for every two of [`crate::addresses::TOKENS`].
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
            curve_3pool: CURVE_3POOL,
            curve_3pool_lp: CURVE_3POOL_LP,
            comet_usdc: COMPOUND_V3_USDC,
            comet_weth: COMPOUND_V3_WETH,
            morpho: MORPHO_BLUE,
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

/// A market of the devnet's Morpho Blue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MorphoMarketInfo {
    /// `keccak256(abi.encode(loanToken, collateralToken, oracle, irm, lltv))`.
    pub id: B256,
    /// The token lent and borrowed.
    pub loan_token: Address,
    /// The token pledged.
    pub collateral_token: Address,
    /// Its fixed-price oracle.
    pub oracle: Address,
    /// Its interest rate model ([`MORPHO_IRM`](crate::addresses::MORPHO_IRM)).
    pub irm: Address,
    /// The liquidation LTV, 18 decimals.
    pub lltv: U256,
}
