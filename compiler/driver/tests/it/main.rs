//! The driver's integration tests, one binary: `cargo test -p nest-driver --test it`.

mod artifact_errors;
mod artifact_json;
mod smoke;
