//! nest-devnet

pub mod addresses;
pub mod deploy;
pub mod fixtures;
