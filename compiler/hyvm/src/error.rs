//! Why a run could not produce an outcome at all (a guest that reverts is not an error).

use std::fmt;

/// A run that could not be carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HyvmError {
    /// The database failed to answer.
    Database(String),
    /// The transaction or block is invalid (gas limit below the intrinsic cost, over the cap, …).
    InvalidTransaction(String),
    /// Any other failure reported by revm.
    Evm(String),
}

impl fmt::Display for HyvmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HyvmError::Database(message) => write!(f, "database error: {message}"),
            HyvmError::InvalidTransaction(message) => write!(f, "invalid transaction: {message}"),
            HyvmError::Evm(message) => write!(f, "evm error: {message}"),
        }
    }
}

impl std::error::Error for HyvmError {}
