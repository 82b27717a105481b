//! nest-diagnostics' integration tests, one binary: `cargo test -p nest-diagnostics
//! --test it` (one module: `--test it render::`).

mod codes;
mod render;
