//! The command line's tests, in one test binary (issue 16): a module per topic, run one
//! with `cargo test -p nestc --test it <module>::`. `common` runs the built `nestc`;
//! `audit_chain` is the local node the `#[ignore]`d `audit` tests need
//! (`compiler/devnet/tests/fork/run.sh` runs them).

mod audit;
mod audit_chain;
mod cli;
mod common;
mod positions;
mod sequences;
mod sign;
mod snapshot;
mod test_cmd;
