//! Shared by the CLI test files: running the built `nestc` and reading its output.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// The repository root, where the tests run `nestc` by default.
pub(crate) const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Runs `nestc` with `args` in `dir`, without colours.
pub(crate) fn nestc_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nestc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("nestc runs")
}

/// Runs `nestc` with `args` at the repository root.
pub(crate) fn nestc(args: &[&str]) -> Output {
    nestc_in(Path::new(ROOT), args)
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
