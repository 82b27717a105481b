//! The syntax crate's integration tests, one binary: `cargo test -p nest-syntax --test it`.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

mod common;
mod errors;
mod interface_errors;
mod language_md;
mod no_panic;
mod precedence;
mod tree;
