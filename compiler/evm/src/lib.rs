//! nest-evm
