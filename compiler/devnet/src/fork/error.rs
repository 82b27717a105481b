//! Why fork mode could not read the chain, or could not set a dry run up on it.

use std::fmt;

use alloy_primitives::Address;

/// A node that could not be reached or answered wrongly, or a fork a dry run cannot be set up
/// on. URLs are shown without their path and query, which often hold an API key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForkError {
    /// The URL is not an `http://` or `https://` URL with a host.
    BadUrl {
        /// The URL as given.
        url: String,
    },
    /// The node could not be reached, or did not answer in time.
    Unreachable {
        /// The node's origin (scheme, host and port).
        node: String,
        /// What went wrong.
        reason: String,
    },
    /// The node answered with an HTTP error status.
    Http {
        /// The node's origin.
        node: String,
        /// The status code.
        status: u16,
    },
    /// The node answered a request with a JSON-RPC error.
    Rpc {
        /// The method called.
        method: String,
        /// The JSON-RPC error code.
        code: i64,
        /// The node's message.
        message: String,
    },
    /// The answer is not what the method returns.
    BadResponse {
        /// The method called.
        method: String,
        /// What was wrong with the answer.
        reason: String,
    },
    /// The block asked for is not on the chain (yet).
    NoSuchBlock(u64),
    /// `--vault` names an account without code.
    NotAVault(Address),
    /// The vault has no `owner()` to read its owner from, and no sender was given.
    NoOwner(Address),
    /// A vault was given without the HyVM it delegates to.
    HyvmRequired(Address),
    /// The fixture vault could not be placed on the fork.
    Setup(String),
}

impl fmt::Display for ForkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForkError::BadUrl { url } => {
                write!(f, "`{url}` is not an http:// or https:// URL of a node")
            }
            ForkError::Unreachable { node, reason } => {
                write!(f, "cannot reach the node at {node}: {reason}")
            }
            ForkError::Http { node, status } => {
                write!(f, "the node at {node} answered with HTTP status {status}")
            }
            ForkError::Rpc {
                method,
                code,
                message,
            } => write!(f, "the node refused `{method}`: {message} (code {code})"),
            ForkError::BadResponse { method, reason } => {
                write!(f, "unexpected answer to `{method}`: {reason}")
            }
            ForkError::NoSuchBlock(number) => write!(f, "the node has no block {number}"),
            ForkError::NotAVault(address) => {
                write!(f, "there is no contract at `{address}` to use as the vault")
            }
            ForkError::NoOwner(address) => write!(
                f,
                "cannot read the owner of the vault `{address}` (it has no `owner()`); \
                 give the sender with `--from ADDRESS`"
            ),
            ForkError::HyvmRequired(vault) => write!(
                f,
                "give the HyVM the vault `{vault}` delegates to with `--hyvm ADDRESS`"
            ),
            ForkError::Setup(message) => write!(f, "cannot set the fork up: {message}"),
        }
    }
}

impl std::error::Error for ForkError {}

impl revm::database_interface::DBErrorMarker for ForkError {}
