//! nest-check's integration tests, one binary: `cargo test -p nest-check --test it`
//! (one module: `--test it stdlib::`).

mod index;
mod params;
mod permissions;
mod revoke;
mod stdlib;
mod units;
