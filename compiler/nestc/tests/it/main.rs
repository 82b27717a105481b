//! The command line's tests, in one test binary (issue 16): a module per topic, run one
//! with `cargo test -p nestc --test it <module>::`. `common` runs the built `nestc`;
//! `audit_chain` is the local node the `#[ignore]`d `audit` tests need
//! (`compiler/devnet/tests/fork/run.sh` runs them).
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

mod audit;
mod audit_chain;
mod cli;
mod common;
mod positions;
mod sequences;
mod sign;
mod snapshot;
mod test_cmd;
