//! The formatter's integration tests, one binary: `cargo test -p nest-fmt --test it`.

mod bounds;
mod corpus;
mod layout;
mod tricky;
