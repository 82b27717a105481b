//! Shared helpers of the end-to-end suites: compiling files of the repository with
//! the same resolver as the CLI, relative to the repository root.
// This crate meets the outside world (the end-to-end suites: examples and fixtures on disk):
// it may use the file system, network and environment that clippy.toml keeps out of the
// pipeline.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

use nest_driver::{CompileRequest, Compiled, Failed, Resolver};
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads imports relative to the repository root (names are root-relative).
pub struct RepoResolver;

impl Resolver for RepoResolver {
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String> {
        let name = nest_driver::join_path(importer, path);
        std::fs::read_to_string(root().join(&name))
            .map(|t| (name.clone(), t))
            .map_err(|e| format!("cannot read `{name}`: {e}"))
    }
}

/// Compiles a file named relative to the repository root.
pub fn compile_file(rel: &str, params: &[(String, String)]) -> Result<Compiled, Failed> {
    let text = std::fs::read_to_string(root().join(rel))
        .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"));
    nest_driver::compile(&CompileRequest {
        name: rel,
        text: &text,
        resolver: &RepoResolver,
        params,
    })
}

/// The root-relative names of files matching `dir/*.ext`, sorted.
pub fn files(dir: &str, ext: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| {
            format!(
                "{dir}/{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            )
        })
        .collect();
    out.sort();
    out
}

/// What a compiled script's artifact tells the devnet's dry run (see
/// `nest_devnet::RunContext`'s `From<&Artifact>`).
pub fn run_context(c: &Compiled) -> nest_devnet::RunContext {
    nest_devnet::RunContext::from(&c.artifact)
}

/// Compiles a script given as text (named `test.ns`, imports relative to the repository
/// root) at the default level, checks its safety, and dry-runs it on a fresh default
/// devnet with everything its artifact tells the report.
pub fn dry_run_text(text: &str) -> nest_devnet::Report {
    dry_run_at(text, nest_driver::OptLevel::default())
}

/// [`dry_run_text`] at optimisation level `level`.
pub fn dry_run_at(text: &str, level: nest_driver::OptLevel) -> nest_devnet::Report {
    let req = CompileRequest {
        name: "test.ns",
        text,
        resolver: &RepoResolver,
        params: &[],
    };
    let options = nest_driver::Options {
        opt_level: level,
        disabled: Vec::new(),
    };
    let c = nest_driver::compile_with(&req, &options)
        .unwrap_or_else(|f| panic!("{text}\nat {level:?}:\n{f}"));
    nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
        .unwrap_or_else(|v| panic!("unsafe: {v:?}"));
    let devnet = nest_devnet::Devnet::new(&nest_devnet::Scenario::default())
        .unwrap_or_else(|e| panic!("devnet: {e}"));
    devnet
        .dry_run(&c.bytes, &run_context(&c))
        .unwrap_or_else(|e| panic!("dry run: {e}"))
}

/// SplitMix64: a tiny deterministic generator for the randomised suites (seeded, so a
/// failure replays from its seed).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// An index into something of length `n` (`n > 0`).
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `xs` (not empty).
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.index(xs.len())]
    }
}
