//! Codegen's tests, in one test binary (issue 16): a module per topic, run one with
//! `cargo test -p nest-codegen --test it <module>::`. `common` holds what both run code
//! with.

mod abi_roundtrip;
mod common;
mod optimised_equivalence;
