//! Shared helpers of the end-to-end suites: compiling files of the repository with
//! the same resolver as the CLI, relative to the repository root.

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
/// `nest_devnet::RunContext::from_artifact`).
pub fn run_context(c: &Compiled) -> nest_devnet::RunContext {
    nest_devnet::RunContext::from_artifact(&serde_json::to_value(&c.artifact).unwrap_or_default())
}

/// Compiles a script given as text (named `test.ns`, imports relative to the repository
/// root) at the default level, checks its safety, and dry-runs it on a fresh default
/// devnet with everything its artifact tells the report.
pub fn dry_run_text(text: &str) -> nest_devnet::Report {
    let req = CompileRequest {
        name: "test.ns",
        text,
        resolver: &RepoResolver,
        params: &[],
    };
    let c = nest_driver::compile_with(&req, &nest_driver::Options::default())
        .unwrap_or_else(|f| panic!("{text}\n{f}"));
    nest_evm::check(&c.assembled.bytes, c.assembled.code_len)
        .unwrap_or_else(|v| panic!("unsafe: {v:?}"));
    let devnet = nest_devnet::Devnet::new(&nest_devnet::Scenario::default())
        .unwrap_or_else(|e| panic!("devnet: {e}"));
    devnet
        .dry_run(&c.bytes, &run_context(&c))
        .unwrap_or_else(|e| panic!("dry run: {e}"))
}
