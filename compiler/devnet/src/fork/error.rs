//! Why fork mode could not read the chain, or could not set a dry run up on it.

use std::fmt;

use alloy_primitives::{Address, B256};

use crate::escape::inert;

/// A node that could not be reached or answered wrongly, or a fork a dry run cannot be set up
/// on. URLs are shown without their path and query, which often hold an API key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForkError {
    /// The URL is not an `http://` or `https://` URL with a host.
    BadUrl {
        /// The URL as given.
        url: String,
    },
    /// The URL's port is not a number from 1 to 65535.
    BadPort {
        /// The URL's scheme and host.
        node: String,
        /// The port as written.
        port: String,
    },
    /// The fork's total deadline passed (`--fork-timeout`).
    Deadline {
        /// The deadline.
        timeout: std::time::Duration,
        /// The requests sent by then.
        requests: u64,
    },
    /// The fork needed more requests than its budget (`--fork-max-requests`).
    Budget {
        /// The budget.
        max: u64,
    },
    /// One answer was larger than anything the request can legitimately need.
    AnswerTooLarge {
        /// The method called.
        method: String,
        /// The cap, in bytes.
        limit: u64,
    },
    /// The node answered for `--block` with another block's header.
    WrongBlock {
        /// The block asked for.
        asked: u64,
        /// The block the header is of.
        got: u64,
        /// That header's hash.
        hash: B256,
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
            // Everything the user or the node wrote goes through `inert`: escaped, cut short.
            ForkError::BadUrl { url } => write!(
                f,
                "`{}` is not an http:// or https:// URL of a node",
                inert(url)
            ),
            ForkError::BadPort { node, port } => write!(
                f,
                "the URL `{}:…` has the port `{}`, which is not a port (1 to 65535): check the URL",
                inert(node),
                inert(port)
            ),
            ForkError::Deadline { timeout, requests } => write!(
                f,
                "the node did not answer in time: the fork's deadline of {}s passed after \
                 {requests} requests (raise it with `--fork-timeout`, or use a faster node)",
                timeout.as_secs_f64()
            ),
            ForkError::Budget { max } => write!(
                f,
                "the dry run needed more than {max} requests to the node (raise the budget \
                 with `--fork-max-requests`)"
            ),
            ForkError::AnswerTooLarge { method, limit } => write!(
                f,
                "the node's answer to `{}` is larger than {} MiB, more than the request can \
                 need: refused (is the URL a JSON-RPC node?)",
                inert(method),
                limit >> 20
            ),
            ForkError::WrongBlock { asked, got, hash } => write!(
                f,
                "asked for block {asked}, the node answered with block {got} ({hash}): \
                 refusing to run at another block than the one asked for"
            ),
            ForkError::Unreachable { node, reason } => {
                write!(
                    f,
                    "cannot reach the node at {}: {}",
                    inert(node),
                    inert(reason)
                )
            }
            ForkError::Http { node, status } => {
                write!(
                    f,
                    "the node at {} answered with HTTP status {status}",
                    inert(node)
                )
            }
            ForkError::Rpc {
                method,
                code,
                message,
            } => write!(
                f,
                "the node refused `{}`: {} (code {code})",
                inert(method),
                inert(message)
            ),
            ForkError::BadResponse { method, reason } => write!(
                f,
                "unexpected answer to `{}`: {}",
                inert(method),
                inert(reason)
            ),
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
            ForkError::Setup(message) => {
                write!(f, "cannot set the fork up: {}", inert(message))
            }
        }
    }
}

impl std::error::Error for ForkError {}

impl revm::database_interface::DBErrorMarker for ForkError {}
