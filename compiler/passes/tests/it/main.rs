//! The passes' tests, in one test binary (issue 16): a module per topic, run one with
//! `cargo test -p nest-passes --test it <module>::`. The IR cases stay in `tests/cases/`.

mod const_fold;
mod dce;
mod ir_cases;
