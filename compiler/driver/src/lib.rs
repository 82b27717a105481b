//! nest-driver
