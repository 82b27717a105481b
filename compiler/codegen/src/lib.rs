//! nest-codegen
