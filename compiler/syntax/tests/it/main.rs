//! The syntax crate's integration tests, one binary: `cargo test -p nest-syntax --test it`.

mod common;
mod errors;
mod interface_errors;
mod language_md;
mod no_panic;
mod precedence;
mod tree;
