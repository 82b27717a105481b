//! The devnet's chain: its hard fork, chain id and block, the gas every devnet transaction
//! may use, and the revm environment (`block_env`, `cfg_env`) built from them. The devnet's
//! world, its dry runs and fork mode all read these; this module reads nothing of the crate.

use alloy_primitives::{Address, U256};
use revm::{
    context::{BlockEnv, CfgEnv},
    context_interface::block::BlobExcessGasAndPrice,
    primitives::{eip4844::BLOB_BASE_FEE_UPDATE_FRACTION_CANCUN, hardfork::SpecId},
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

/// One ether in wei.
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
