//! Why a devnet could not be built or started, a devnet transaction could not run, or a dry
//! run could not be carried out (a payload that reverts is a report, not an error). This
//! module imports no module that imports it.

use std::fmt;

use alloy_primitives::{Address, Bytes};
use nest_hyvm::HyvmError;

use crate::fixtures::FixtureError;
#[cfg(feature = "fork")]
use crate::fork::error::ForkError;

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

/// A devnet that could not be built, a scenario that could not be read, or a run that could not
/// be carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DevnetError {
    /// The scenario file is not valid TOML or says something the devnet cannot do.
    Scenario(String),
    /// Building the world failed.
    Deploy(DeployError),
    /// The interpreter could not run the transaction (not the same as a revert).
    Run(HyvmError),
    /// Fork mode could not read the chain or set the run up on it.
    #[cfg(feature = "fork")]
    Fork(ForkError),
}

impl fmt::Display for DevnetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DevnetError::Scenario(message) => write!(f, "invalid scenario: {message}"),
            DevnetError::Deploy(e) => write!(f, "cannot build the devnet: {e}"),
            DevnetError::Run(e) => write!(f, "cannot run the payload: {e}"),
            #[cfg(feature = "fork")]
            DevnetError::Fork(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DevnetError {}

impl From<DeployError> for DevnetError {
    fn from(e: DeployError) -> Self {
        DevnetError::Deploy(e)
    }
}

#[cfg(feature = "fork")]
impl From<ForkError> for DevnetError {
    fn from(e: ForkError) -> Self {
        DevnetError::Fork(e)
    }
}

impl From<HyvmError> for DevnetError {
    fn from(e: HyvmError) -> Self {
        DevnetError::Run(e)
    }
}
