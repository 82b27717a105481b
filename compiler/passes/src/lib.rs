//! nest-passes
