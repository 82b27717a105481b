//! nest-lower
