//! `nest-devnet`: an in-memory chain with the protocols Nest scripts use, and dry runs of HyVM
//! payloads on it.
//!
//! [`Devnet::new`] deploys the world a [`Scenario`] describes; [`Devnet::dry_run`] runs a
//! payload through the vault on a copy of it and returns a [`Report`]: success or the revert
//! and where, gas, the decoded call tree, the vault's balance changes, the permissions left
//! behind, return values and events. It knows nothing of Nest syntax.

pub mod addresses;
pub mod amount;
pub mod deploy;
pub mod fixtures;

mod allowances;
mod assets;
mod calls;
mod error;
mod events;
mod known;
mod reads;
mod render;
mod report;
mod revert;
mod run;
mod scenario;
mod values;

pub use error::DevnetError;
pub use report::{
    AllowanceLeft, AssetChange, CallReport, EventReport, GasBreakdown, Report, RevertInfo,
};
pub use run::{Devnet, RunContext};
pub use scenario::Scenario;
pub use values::NamedValue;
