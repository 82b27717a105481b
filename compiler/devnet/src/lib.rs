//! nest-devnet
