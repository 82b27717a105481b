//! Where things are on a fork: the vault and its owner found or placed there, the protocols at
//! their mainnet addresses (named only on mainnet, where they are real), and no devnet pools.

use alloy_primitives::Address;

use crate::addresses::{
    TokenInfo, AAVE_V3_DATA_PROVIDER, AAVE_V3_POOL, DEPLOYER, DEVNFT, PERMIT2, TOKENS,
    UNISWAP_V2_FACTORY, UNISWAP_V2_ROUTER, UNISWAP_V3_FACTORY, UNISWAP_V3_QUOTER,
    UNISWAP_V3_ROUTER,
};
use crate::deploy::Layout;

/// Mainnet's chain id: only there do the devnet's token addresses hold those tokens.
const MAINNET: u64 = 1;

/// The layout of a fork of chain `chain_id` whose runs go from `owner` through `vault` to the
/// HyVM at `hyvm`. Keep in step with the literal in `deploy::deploy`.
pub(crate) fn fork_layout(chain_id: u64, hyvm: Address, vault: Address, owner: Address) -> Layout {
    let tokens: Vec<TokenInfo> = if chain_id == MAINNET {
        TOKENS.to_vec()
    } else {
        Vec::new()
    };
    Layout {
        hyvm,
        vault,
        vault_owner: owner,
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
    }
}
