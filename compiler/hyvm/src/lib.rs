//! `nest-hyvm`: runs HyVM guest bytecode inside revm as if the HyVM were deployed.
//!
//! A vault DELEGATECALLs the HyVM with a guest program as calldata; the HyVM interprets it
//! opcode by opcode in the vault's context. This crate makes revm behave that way: a
//! DELEGATECALL to the HyVM's address runs the payload as code with empty calldata, the HyVM's
//! refusals and jump rules apply to guest frames, and its dispatch costs are charged on top of
//! the EVM's own gas (see `gas.rs` and the README). It knows nothing of Nest.
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

mod config;
mod error;
mod execute;
pub mod gas;
mod guest_step;
mod inspector;
pub mod opcodes;
mod taint;
mod trace;
mod vault;

pub use config::{
    Env, HyvmBuild, HyvmConfig, Transaction, Variant, DEFAULT_HYVM_ADDRESS, DEFAULT_PRIORITY_FEE,
};
pub use error::HyvmError;
pub use execute::{execute, intrinsic_calldata, Execution, GasReport};
pub use taint::{EnvironmentDependence, EnvironmentUse, ENVIRONMENT_OPCODES};
pub use trace::{CallKind, CallNode, GuestExit};
pub use vault::{bare_world, forwarding_vault_code, hyvm_placeholder_code};
