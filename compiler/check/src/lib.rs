//! nest-check
