//! The Nest compiler as a library: sources and parameters in, an artifact (or
//! diagnostics) out. No file system, terminal or network: files that scripts import
//! come through a [`Resolver`]. The CLI and the language server are thin layers on
//! top of this crate.
//!
//! ```
//! use nest_driver::{compile, CompileRequest, MemoryResolver};
//!
//! let resolver = MemoryResolver::new();
//! let src = "use std::ethereum::{USDC}\nreturn balance(USDC)\n";
//! let out = compile(&CompileRequest { name: "probe.ns", text: src, resolver: &resolver, params: &[] }).unwrap();
//! assert!(out.artifact.bytecode.starts_with("0x"));
//! assert_eq!(out.artifact.return_types, vec!["uint256".to_string()]);
//! ```
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

mod artifact;
mod fingerprint;
pub mod sign;

pub use nest_artifact::{
    Artifact, CallInfo, CompilerInfo, ErrorInfo, FunctionEntry, GrantManifest, ParamInfo,
    SourceMapEntry, UnclassifiedInfo, UnitInfo,
};
pub use nest_check::{index, join as join_path, CheckOutput, MemoryResolver, Resolver};
pub use sign::{provenance, sign_payload, Provenance, SignError, SigningKey};

use nest_diagnostics::{Diagnostic, SourceMap};

/// The compiler's name, as recorded in artifacts and fingerprints.
pub const COMPILER_NAME: &str = "nestc";
/// The compiler's version.
pub const COMPILER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What to compile.
pub struct CompileRequest<'a> {
    /// The entry file's name as shown in diagnostics and source maps.
    pub name: &'a str,
    /// The entry file's text.
    pub text: &'a str,
    /// Loads imported files.
    pub resolver: &'a dyn Resolver,
    /// `--param NAME=VALUE` overrides.
    pub params: &'a [(String, String)],
}

/// How much the compiler optimises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum OptLevel {
    /// `-O0`: only the mandatory `insert_revokes` pass and straightforward code.
    O0,
    /// `-O1` (the default): every IR pass and code-generation optimisation.
    #[default]
    O1,
}

impl std::str::FromStr for OptLevel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "0" => Ok(OptLevel::O0),
            "1" => Ok(OptLevel::O1),
            other => Err(format!(
                "unknown optimisation level `{other}`: expected 0 or 1"
            )),
        }
    }
}

/// Optimisation settings of a compilation (the default optimises fully).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The optimisation level.
    pub opt_level: OptLevel,
    /// Optimisations (IR passes or code-generation switches) turned off by name; names
    /// not in [`optimisation_names`] are ignored, so callers validate them first.
    pub disabled: Vec<String>,
}

/// Every optimisation that can be disabled by name: IR passes first, then
/// code-generation switches.
pub fn optimisation_names() -> Vec<&'static str> {
    nest_passes::OPTIMISATIONS
        .iter()
        .copied()
        .chain(nest_codegen::OPTIMISATIONS.iter().map(|(n, _)| *n))
        .collect()
}

/// A successful compilation, with every intermediate form the CLI can print.
pub struct Compiled {
    /// The artifact (bytecode, fingerprint, manifest).
    pub artifact: Artifact,
    /// The IR after all passes.
    pub ir: nest_ir::Module,
    /// The assembled program (code, data, source map).
    pub assembled: nest_evm::Assembled,
    /// Every source read.
    pub sources: SourceMap,
    /// Warnings (compilation succeeded).
    pub warnings: Vec<Diagnostic>,
    /// The payload: code, data, `0x00`, trailer.
    pub bytes: Vec<u8>,
}

impl Compiled {
    /// Signs the payload with `key` (see [`sign`]): `bytes` and the artifact's `bytecode`
    /// become the signed payload, and the artifact names the `signer`.
    pub fn sign(&mut self, key: &SigningKey) -> Result<(), SignError> {
        let signed = sign_payload(&self.bytes, key)?;
        self.artifact.bytecode = format!("0x{}", alloy_primitives::hex::encode(&signed));
        self.artifact.signer = Some(key.address().to_checksum(None));
        self.bytes = signed;
        Ok(())
    }
}

/// A failed compilation: the diagnostics and the sources they point into.
pub struct Failed {
    /// Every source read.
    pub sources: SourceMap,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// `--strict`: the calls of functions the compiler cannot vouch for (warning `W0401`)
/// become errors. Returns whether any did.
pub fn deny_unclassified(diagnostics: &mut [Diagnostic]) -> bool {
    let mut any = false;
    for d in diagnostics.iter_mut().filter(|d| d.code == "W0401") {
        d.severity = nest_diagnostics::Severity::Error;
        any = true;
    }
    any
}

/// Parses and typechecks only (`nestc check`); parameters without values are fine.
pub fn check(req: &CompileRequest<'_>) -> (SourceMap, Vec<Diagnostic>) {
    let out = nest_check::check(&nest_check::CheckInput {
        name: req.name,
        text: req.text,
        resolver: req.resolver,
        params: req.params,
        require_params: false,
        index: false,
    });
    (out.sources, out.diagnostics)
}

/// Checks a script and returns everything an editor needs: sources, diagnostics and
/// the semantic index (hover, definitions, interfaces).
pub fn analyze(req: &CompileRequest<'_>) -> nest_check::CheckOutput {
    nest_check::check(&nest_check::CheckInput {
        name: req.name,
        text: req.text,
        resolver: req.resolver,
        params: req.params,
        require_params: false,
        index: true,
    })
}

/// Compiles a script to a HyVM payload, fully optimised.
pub fn compile(req: &CompileRequest<'_>) -> Result<Compiled, Failed> {
    compile_with(req, &Options::default())
}

/// Compiles a script to a HyVM payload with the given optimisation settings.
pub fn compile_with(req: &CompileRequest<'_>, options: &Options) -> Result<Compiled, Failed> {
    let checked = nest_check::check(&nest_check::CheckInput {
        name: req.name,
        text: req.text,
        resolver: req.resolver,
        params: req.params,
        require_params: true,
        index: false,
    });
    let sources = checked.sources;
    let mut warnings = checked.diagnostics;
    let Some(program) = checked.program else {
        return Err(Failed {
            sources,
            diagnostics: warnings,
        });
    };
    let (ir, assembled) = match nest_lower::lower(&program, &sources)
        .and_then(|ir| back_end(ir, options, &sources).map_err(|d| vec![d]))
    {
        Ok(done) => done,
        Err(d) => {
            warnings.extend(d);
            return Err(Failed {
                sources,
                diagnostics: warnings,
            });
        }
    };
    let source_hash = fingerprint::source_hash(&sources);
    let fp = fingerprint::fingerprint(&source_hash, &program.params, &assembled.bytes);
    let mut bytes = assembled.bytes.clone();
    bytes.extend(nest_evm::trailer::encode(fp));
    let artifact = artifact::build(&program, &ir, &assembled, &bytes, fp, source_hash);
    Ok(Compiled {
        artifact,
        ir,
        assembled,
        sources,
        warnings,
        bytes,
    })
}

/// The back end, from lowered IR to checked code: the passes (verified), the journal's
/// size, code generation, assembly and the safety check. Returns the IR after the passes
/// and the assembled program, or the one diagnostic that stopped it (`E0505`, or `E0599`
/// for an internal failure).
fn back_end(
    mut ir: nest_ir::Module,
    options: &Options,
    sources: &SourceMap,
) -> Result<(nest_ir::Module, nest_evm::Assembled), Diagnostic> {
    let optimise = options.opt_level > OptLevel::O0;
    let pass_options = nest_passes::PassOptions {
        optimise,
        disabled: options.disabled.clone(),
    };
    let mut codegen_options = if optimise {
        nest_codegen::Options::optimised()
    } else {
        nest_codegen::Options::none()
    };
    for name in &options.disabled {
        codegen_options.disable(name);
    }
    nest_passes::run_with(&mut ir, &pass_options).map_err(|(pass, e)| {
        internal(format!(
            "the IR verifier rejected the output of `{pass}`: {e}"
        ))
    })?;
    if let Some(over) = nest_codegen::journal_overflow(&ir) {
        return Err(journal_too_big(&over, sources));
    }
    let asm = nest_codegen::generate_with(&ir, &codegen_options)
        .map_err(|why| internal(format!("code generation failed: {why}")))?;
    let assembled =
        nest_evm::assemble(&asm).map_err(|e| internal(format!("assembling failed: {e:?}")))?;
    if let Err(violations) = nest_evm::check(&assembled.bytes, assembled.code_len) {
        let list: Vec<String> = violations.iter().map(|v| format!("{v:?}")).collect();
        return Err(internal(format!(
            "the generated code failed the safety check: {}",
            list.join("; ")
        )));
    }
    Ok((ir, assembled))
}

fn internal(msg: String) -> Diagnostic {
    Diagnostic::error("E0599", format!("internal compiler error: {msg}"))
        .with_note("this is a bug in nestc; no bytecode was produced")
        .with_help("please report it with the script that triggered it")
}

/// The `--emit asm` listing: each instruction with its HyVM overhead (dispatch, PUSH
/// immediate, memory offsets, jump; a JUMPI as not taken; blank for a JUMPDEST, which
/// costs 65 only when execution falls into it) and its source location.
pub fn asm_listing(c: &Compiled) -> String {
    let mut ann = nest_evm::Annotations::of(&c.assembled);
    let files: Vec<String> = c.ir.files.clone();
    ann.files = &files;
    let cost = |i: &nest_evm::Instr<'_>| {
        (i.op != nest_evm::Opcode::JUMPDEST).then(|| nest_evm::hyvm_overhead(i.op))
    };
    ann.cost = Some(&cost);
    nest_evm::listing(&c.assembled.bytes, c.assembled.code_len, &ann)
}

impl std::fmt::Debug for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&nest_diagnostics::render_plain(
            &self.diagnostics,
            &self.sources,
        ))
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&nest_diagnostics::render_plain(
            &self.diagnostics,
            &self.sources,
        ))
    }
}

impl std::error::Error for Failed {}

/// `E0505`: the grant journal would need more entries than it may hold; points at the
/// grant recorded the most times.
fn journal_too_big(over: &nest_codegen::JournalOverflow, sources: &SourceMap) -> Diagnostic {
    let d = Diagnostic::error("E0505", format!("too many grants to revoke: {over}"))
        .with_help("lower the loop bounds around the grants, or grant once before the loop");
    let span = over.at.and_then(|l| {
        // `l.file` counts files in the source map's order (see `nest_lower`).
        let (file, source) = sources.files().nth(l.file as usize)?;
        source.rest_of_line(file, l.line as usize, l.col as usize)
    });
    match span {
        Some(s) => d.with_primary(
            s,
            "granted again on every iteration, each recorded to be revoked",
        ),
        None => d,
    }
}
