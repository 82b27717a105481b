//! nest-ir
