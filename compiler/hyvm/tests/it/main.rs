//! The HyVM's tests, in one test binary (issue 16): a module per topic, run one with
//! `cargo test -p nest-hyvm --test it <module>::`. `common` is the test world they share;
//! the conformance vectors stay in `tests/conformance/`.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

mod common;
mod conformance;
mod environment;
mod execution;
mod gas_model;
