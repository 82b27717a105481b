//! Why a devnet could not be started or a dry run could not be carried out (a payload that
//! reverts is a report, not an error).

use std::fmt;

use nest_hyvm::HyvmError;

use crate::deploy::DeployError;
#[cfg(feature = "fork")]
use crate::fork::ForkError;

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
