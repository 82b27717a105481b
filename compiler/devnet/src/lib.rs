//! `nest-devnet`: an in-memory chain with the protocols Nest scripts use, and dry runs of HyVM
//! payloads on it.
//!
//! [`Devnet::new`] deploys the world a [`Scenario`] describes; [`Devnet::dry_run`] runs a
//! payload through the vault on a copy of it and returns a [`Report`]: success or the revert
//! and where, gas, the decoded call tree, the vault's balance changes, the permissions left
//! behind, return values and events. It knows nothing of Nest syntax.
//!
//! [`ForkDevnet`] does the same on a real chain's state, read over JSON-RPC at one block
//! ([`fork`]).
//!
//! ```
//! use nest_devnet::{Devnet, RunContext, Scenario};
//!
//! let devnet = Devnet::new(&Scenario::default())?;
//! // PUSH1 3, PUSH1 4, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
//! let payload = [0x60, 3, 0x60, 4, 0x01, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3];
//! let ctx = RunContext { return_types: vec!["uint256".into()], ..RunContext::default() };
//! let report = devnet.dry_run(&payload, &ctx)?;
//! assert!(report.success && report.allowances_left.is_empty());
//! assert_eq!(report.to_json()["return"], serde_json::json!(["7"]));
//! # Ok::<(), nest_devnet::DevnetError>(())
//! ```

pub mod addresses;
pub mod amount;
pub mod deploy;
#[cfg(feature = "fork")]
// Fork mode and the doctor talk to a node over JSON-RPC: the only IO in the devnet.
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
pub mod doctor;
pub mod escape;
pub mod fixtures;
#[cfg(feature = "fork")]
// Fork mode and the doctor talk to a node over JSON-RPC: the only IO in the devnet.
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
pub mod fork;
pub mod snapshot;

mod chain;
mod context;
mod error;
mod funding;
mod layout;
mod report;
mod run;
mod scenario;
mod scenario_positions;
mod world;

pub use context::RunContext;
pub use error::DevnetError;
#[cfg(feature = "fork")]
pub use fork::{ForkDevnet, ForkError, ForkOptions};
pub use funding::{CometSeed, LiquiditySeed, MorphoSeed, SeededPositions};
pub use report::types::{
    AllowanceLeft, AssetChange, CallReport, ChainInfo, CustomError, EventReport, FunctionCall,
    GasBreakdown, PositionChange, Report, RevertInfo, StorageChange, Warning,
};
pub use report::values::NamedValue;
pub use run::Devnet;
pub use scenario::Scenario;
