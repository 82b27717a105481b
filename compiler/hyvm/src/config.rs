//! What a run is given: where the HyVM lives, which variant it is, the block and the transaction.

use alloy_primitives::{address, Address, Bytes, B256, U256};
use revm::primitives::hardfork::SpecId;

pub use nest_hyvm_spec::gas::HyvmBuild;

/// The address the devnet deploys the HyVM at (an arbitrary, easily recognised address).
pub const DEFAULT_HYVM_ADDRESS: Address = address!("0x00000000000000000000000000000000000048a5");

/// The priority fee a run's transaction pays by default: 1 gwei, a common wallet default.
pub const DEFAULT_PRIORITY_FEE: u64 = 1_000_000_000;

/// Which HyVM build the vault delegates to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Variant {
    /// The upstream HyVM.
    #[default]
    Standard,
    /// The Mass fork, which also refuses SSTORE, CREATE, CREATE2 and DELEGATECALL.
    Mass,
    /// Whatever HyVM is deployed at the address, run from its own code (fork mode, against a
    /// chain's HyVM): nothing is emulated, the guest frame is still found and traced, and its
    /// gas is all reported as guest execution (no separate HyVM overhead, no guest pc).
    Deployed,
}

impl Variant {
    /// Whether the interpreter emulates this variant (swaps the payload in as the frame's code
    /// and applies the HyVM's rules), rather than running the code at the HyVM's address.
    pub fn is_emulated(self) -> bool {
        self != Variant::Deployed
    }
}

/// Where the HyVM is deployed and which variant answers there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HyvmConfig {
    /// The address a vault DELEGATECALLs to run a guest.
    pub address: Address,
    /// The variant deployed at `address`.
    pub variant: Variant,
    /// Which build of it (Paris or Shanghai): the two differ in dispatch cost only. Ignored
    /// for [`Variant::Deployed`], whose code runs as it is.
    pub build: HyvmBuild,
}

impl Default for HyvmConfig {
    fn default() -> Self {
        Self {
            address: DEFAULT_HYVM_ADDRESS,
            variant: Variant::Standard,
            build: HyvmBuild::Paris,
        }
    }
}

/// The block a run executes in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Env {
    /// Block number (NUMBER).
    pub block_number: u64,
    /// Block timestamp in seconds (TIMESTAMP).
    pub timestamp: u64,
    /// Chain id (CHAINID); the transaction is signed for it.
    pub chain_id: u64,
    /// Base fee per gas (BASEFEE).
    pub basefee: u64,
    /// The priority fee (tip) per gas the transaction pays on top of the base fee: its gas
    /// price (GASPRICE) is `basefee + priority_fee`, as on a chain where builders include
    /// only transactions that tip. A payload cannot tell a dry run by `GASPRICE == BASEFEE`.
    pub priority_fee: u64,
    /// PREVRANDAO (opcode 0x44).
    pub prevrandao: B256,
    /// Block beneficiary (COINBASE).
    pub coinbase: Address,
    /// Block gas limit (GASLIMIT).
    pub gas_limit: u64,
    /// The hard fork whose rules apply.
    pub spec: SpecId,
}

impl Default for Env {
    fn default() -> Self {
        Self {
            block_number: 1,
            timestamp: 1_700_000_000,
            chain_id: 1,
            basefee: 0,
            priority_fee: DEFAULT_PRIORITY_FEE,
            prevrandao: B256::ZERO,
            coinbase: Address::ZERO,
            gas_limit: 30_000_000,
            spec: SpecId::OSAKA,
        }
    }
}

/// One transaction: `from` calls `vault` with `payload` as calldata, and the vault DELEGATECALLs
/// the HyVM with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// The sender: the vault's owner (ORIGIN, and CALLER inside the guest).
    pub from: Address,
    /// The contract called; it forwards its calldata to the HyVM.
    pub vault: Address,
    /// The guest bytecode, sent as the transaction's calldata.
    pub payload: Bytes,
    /// Wei sent along with the transaction (CALLVALUE inside the guest).
    pub value: U256,
    /// The transaction's gas limit.
    pub gas_limit: u64,
}
