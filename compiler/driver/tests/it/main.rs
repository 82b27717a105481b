//! The driver's integration tests, one binary: `cargo test -p nest-driver --test it`.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

mod artifact_errors;
mod artifact_json;
mod smoke;
