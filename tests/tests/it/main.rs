//! The end-to-end suites of the Nest compiler, in one test binary (issue 16: one
//! integration-test binary per crate, so revm and alloy are linked once). Each module was a
//! test binary of its own; run one with `cargo test -p nest-tests --test it <module>::`
//! (for example `ui::`, `import_cycles::`, `dry_run::`). `fuzz::` also matches
//! `grant_fuzz::`; add `--skip grant_fuzz` to run the parser fuzz test alone.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

mod addresses;
mod book;
mod codegen;
mod compare;
mod devnet_usdc_vault_comet;
mod doc_spans;
mod dry_run;
mod examples;
mod fuzz;
mod grant_fuzz;
mod import_cycles;
mod language;
mod locations;
mod memory_safety;
mod no_code;
mod opt_levels;
mod permissions;
mod tidy;
mod ui;
mod values;
