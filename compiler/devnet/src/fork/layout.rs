//! Where things are on a fork: the vault and its owner found or placed there, the protocols at
//! their mainnet addresses (named only on mainnet, where they are real), and no devnet pools.

use alloy_primitives::Address;

use crate::addresses::{TokenInfo, TOKENS};
use crate::layout::Layout;

/// Mainnet's chain id: only there do the devnet's token addresses hold those tokens.
const MAINNET: u64 = 1;

/// The layout of a fork of chain `chain_id` whose runs go from `owner` through `vault` to the
/// HyVM at `hyvm`.
pub(crate) fn fork_layout(chain_id: u64, hyvm: Address, vault: Address, owner: Address) -> Layout {
    let tokens: Vec<TokenInfo> = if chain_id == MAINNET {
        TOKENS.to_vec()
    } else {
        Vec::new()
    };
    Layout::at_mainnet_addresses(hyvm, vault, owner, tokens)
}
