//! The HyVM's tests, in one test binary (issue 16): a module per topic, run one with
//! `cargo test -p nest-hyvm --test it <module>::`. `common` is the test world they share;
//! the conformance vectors stay in `tests/conformance/`.

mod common;
mod conformance;
mod environment;
mod execution;
mod gas_model;
