//! The language server's integration tests, one binary: `cargo test -p nest-lsp --test it`
//! (the Neovim test, ignored by default: `cargo test -p nest-lsp --test it -- --ignored nvim::`).

mod grammar;
mod lsp;
mod nvim;
