//! nest-hyvm
