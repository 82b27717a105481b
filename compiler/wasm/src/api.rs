//! The package's functions as plain Rust: options in as JSON text, results out as JSON text.
//!
//! Every text a result carries that `nestc` also prints (the artifact, the `--emit asm`
//! listing, `check --json`, `run --json`, `explain`) is built by the same library call and
//! serialised the same way as the CLI does, so it is the same bytes. The JavaScript side only
//! parses the envelope.

use nest_devnet::{Devnet, RunContext, Scenario};
use nest_diagnostics::{Diagnostic, SourceMap};
use nest_driver::{CompileRequest, Compiled, MemoryResolver};
use serde::Deserialize;
use serde_json::{json, Value};

/// The name a script has in diagnostics and source maps when the caller gives none.
pub const DEFAULT_NAME: &str = "main.ns";

/// The options `compile`, `check` and `run` take (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Options {
    /// The script's name (`examples/swap.ns`): shown in diagnostics, recorded in the
    /// artifact's source map, and the base imports are resolved against.
    pub name: Option<String>,
    /// `--param NAME=VALUE` values, written as in source (`"2500 USDC"`), in order.
    pub params: Vec<(String, String)>,
    /// `false` or `0` is `-O0`; anything else (the default) optimises fully.
    pub optimize: Option<Value>,
    /// Optimisations turned off by name (`--disable NAME`).
    pub disable: Vec<String>,
    /// `--strict`: calls the compiler cannot vouch for (W0401) are errors.
    pub strict: bool,
    /// Imported files: path (relative to the script's directory, as written in `use`, or
    /// the joined name) → text.
    pub files: std::collections::BTreeMap<String, String>,
    /// The devnet's starting state, as the text of a scenario TOML file (`run`).
    pub scenario: Option<String>,
    /// `paris` (default) or `shanghai`: the HyVM build gas is charged for (`run`).
    pub hyvm_build: Option<String>,
}

/// An error in the options themselves (not in the script): the JavaScript side throws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Options {
    /// Reads the options' JSON text (`""` or `null`: the defaults).
    pub fn parse(json: &str) -> Result<Options, UsageError> {
        if json.trim().is_empty() || json.trim() == "null" {
            return Ok(Options::default());
        }
        serde_json::from_str(json).map_err(|e| UsageError(format!("invalid options: {e}")))
    }

    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_NAME)
    }

    fn driver_options(&self) -> Result<nest_driver::Options, UsageError> {
        let opt_level = match &self.optimize {
            None | Some(Value::Null) | Some(Value::Bool(true)) => nest_driver::OptLevel::O1,
            Some(Value::Bool(false)) => nest_driver::OptLevel::O0,
            Some(Value::Number(n)) if n.as_u64() == Some(0) => nest_driver::OptLevel::O0,
            Some(Value::Number(n)) if n.as_u64() == Some(1) => nest_driver::OptLevel::O1,
            Some(other) => {
                return Err(UsageError(format!(
                    "`optimize` is true, false, 0 or 1, not {other}"
                )))
            }
        };
        let known = nest_driver::optimisation_names();
        if let Some(bad) = self.disable.iter().find(|d| !known.contains(&d.as_str())) {
            return Err(UsageError(format!(
                "unknown optimisation `{bad}`; the optimisations are: {}",
                known.join(", ")
            )));
        }
        Ok(nest_driver::Options {
            opt_level,
            disabled: self.disable.clone(),
        })
    }

    fn resolver(&self) -> MemoryResolver {
        let mut resolver = MemoryResolver::new();
        let name = self.name();
        for (path, text) in &self.files {
            // Under the name the import resolves to from the script, and as given.
            resolver.add(nest_driver::join_path(name, path), text.clone());
            resolver.add(path.clone(), text.clone());
        }
        resolver
    }

    fn hyvm_build(&self) -> Result<nest_hyvm::HyvmBuild, UsageError> {
        match self.hyvm_build.as_deref() {
            None => Ok(nest_hyvm::HyvmBuild::default()),
            Some(b) => b
                .parse()
                .map_err(|e| UsageError(format!("`hyvmBuild`: {e}"))),
        }
    }

    fn params(&self) -> Result<Vec<(String, String)>, UsageError> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (n, v) in &self.params {
            let name = n.trim().to_string();
            if name.is_empty() {
                return Err(UsageError("a parameter needs a name".into()));
            }
            if out.iter().any(|(seen, _)| *seen == name) {
                return Err(UsageError(format!(
                    "the parameter `{name}` is given twice: give each parameter once"
                )));
            }
            out.push((name, v.trim().to_string()));
        }
        Ok(out)
    }
}

/// `{"diagnostics": [...]}` pretty-printed with a final newline: `nestc check --json`'s
/// stdout (and `compile --json`'s on failure).
pub fn diagnostics_document(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let v = json!({ "diagnostics": nest_diagnostics::render_json(diags, sources) });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}

/// A compilation as `nestc` runs it: `Ok` with the warnings, or `Err` with the diagnostics
/// document (errors, and warnings made errors by `strict`).
fn build(source: &str, opts: &Options) -> Result<Result<Compiled, String>, UsageError> {
    let params = opts.params()?;
    let options = opts.driver_options()?;
    let resolver = opts.resolver();
    let req = CompileRequest {
        name: opts.name(),
        text: source,
        resolver: &resolver,
        params: &params,
    };
    Ok(match nest_driver::compile_with(&req, &options) {
        Ok(mut c) => {
            if opts.strict && nest_driver::deny_unclassified(&mut c.warnings) {
                Err(diagnostics_document(&c.warnings, &c.sources))
            } else {
                Ok(c)
            }
        }
        Err(f) => Err(diagnostics_document(&f.diagnostics, &f.sources)),
    })
}

/// `compile`: `{ok, bytecode, artifact, asm, diagnostics}`; `artifact` is the text of
/// `nestc compile --emit artifact`, `asm` that of `--emit asm`, `diagnostics` the JSON
/// document of the warnings (on success) or of the errors.
pub fn compile(source: &str, opts: &Options) -> Result<String, UsageError> {
    let out = match build(source, opts)? {
        Ok(c) => json!({
            "ok": true,
            "bytecode": c.artifact.bytecode,
            "artifact": format!("{}\n", serde_json::to_string_pretty(&c.artifact).unwrap_or_default()),
            "asm": nest_driver::asm_listing(&c),
            "diagnostics": diagnostics_document(&c.warnings, &c.sources),
        }),
        Err(document) => json!({
            "ok": false,
            "bytecode": Value::Null,
            "artifact": Value::Null,
            "asm": Value::Null,
            "diagnostics": document,
        }),
    };
    Ok(out.to_string())
}

/// `check`: `{ok, diagnostics}`, `diagnostics` being `nestc check --json`'s stdout.
pub fn check(source: &str, opts: &Options) -> Result<String, UsageError> {
    let params = opts.params()?;
    let resolver = opts.resolver();
    let (sources, mut diags) = nest_driver::check(&CompileRequest {
        name: opts.name(),
        text: source,
        resolver: &resolver,
        params: &params,
    });
    if opts.strict {
        nest_driver::deny_unclassified(&mut diags);
    }
    Ok(json!({
        "ok": !nest_diagnostics::has_errors(&diags),
        "diagnostics": diagnostics_document(&diags, &sources),
    })
    .to_string())
}

/// `format`: `{ok, text, diagnostics}`: the canonical layout, or the syntax errors that
/// prevent it (`nestc fmt` leaves such a file alone).
pub fn format(source: &str) -> String {
    match nest_fmt::format(source) {
        Ok(text) => json!({ "ok": true, "text": text, "diagnostics": Value::Null }),
        Err(nest_fmt::FormatError::Syntax(diags)) => {
            let mut sources = SourceMap::new();
            sources.add(DEFAULT_NAME.to_string(), source.to_string());
            json!({ "ok": false, "text": Value::Null,
                    "diagnostics": diagnostics_document(&diags, &sources) })
        }
        Err(e) => json!({ "ok": false, "text": Value::Null, "error": e.to_string(),
                          "diagnostics": Value::Null }),
    }
    .to_string()
}

/// `explain`: `nestc explain CODE`'s stdout, or `None` for an unknown code.
pub fn explain(code: &str) -> Option<String> {
    nest_diagnostics::codes::lookup(code).map(|info| {
        format!(
            "{}: {}\n\n{}\n",
            info.code,
            info.title,
            info.explanation.trim_end()
        )
    })
}

/// The compiler's version (as `nestc --version` prints after `nestc `).
pub fn version() -> String {
    nest_driver::COMPILER_VERSION.to_string()
}

thread_local! {
    /// The last devnet built, with the scenario text it was built from (`None`: the
    /// default). Building one deploys every fixture (most of a dry run's time); a dry run
    /// starts from a copy of it and leaves it unchanged, so the next run with the same
    /// scenario reuses it and reports exactly what a fresh devnet would.
    static DEVNET: std::cell::RefCell<Option<(Option<String>, Devnet)>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` on the devnet of `opts`' scenario (built, or reused from the last run).
fn with_devnet<R>(opts: &Options, f: impl FnOnce(&mut Devnet) -> R) -> Result<R, String> {
    DEVNET.with(|cell| {
        let mut cached = cell.borrow_mut();
        let reusable = matches!(&*cached, Some((text, _)) if *text == opts.scenario);
        if !reusable {
            *cached = None;
            let scenario = match &opts.scenario {
                None => Scenario::default(),
                Some(text) => Scenario::from_toml(text).map_err(|e| format!("scenario: {e}"))?,
            };
            let devnet =
                Devnet::new(&scenario).map_err(|e| format!("cannot start the devnet: {e}"))?;
            *cached = Some((opts.scenario.clone(), devnet));
        }
        let (_, devnet) = cached.as_mut().expect("built above");
        Ok(f(devnet))
    })
}

/// Dry-runs a payload: `{ok, report, error}` where `report` is `nestc run --json`'s stdout
/// and `ok` is its exit status being 0 (success, no permission left, no vault storage
/// written).
fn dry_run(payload: &[u8], ctx: &RunContext, opts: &Options) -> Result<Value, UsageError> {
    let build = opts.hyvm_build()?;
    let failed = |error: String| json!({ "ok": false, "report": Value::Null, "error": error });
    let ran = with_devnet(opts, |devnet| {
        devnet.set_hyvm_build(build);
        devnet.dry_run(payload, ctx)
    });
    let report = match ran {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Ok(failed(format!("dry run failed: {e}"))),
        Err(e) => return Ok(failed(e)),
    };
    let ok = report.success
        && report.allowances_left.is_empty()
        && report.vault_storage_changes.is_empty();
    Ok(json!({
        "ok": ok,
        "report": format!("{}\n", serde_json::to_string_pretty(&report.to_json()).unwrap_or_default()),
        "text": report.render(false),
        "error": Value::Null,
    }))
}

/// `run`: compiles, then dry-runs on the embedded devnet: `{ok, bytecode, diagnostics,
/// report, text, error}` (`diagnostics` set when the compilation failed; `text` is the
/// report as `nestc run` prints it for people, without colour).
pub fn run(source: &str, opts: &Options) -> Result<String, UsageError> {
    let c = match build(source, opts)? {
        Ok(c) => c,
        Err(document) => {
            return Ok(
                json!({ "ok": false, "bytecode": Value::Null, "diagnostics": document,
                              "report": Value::Null, "error": Value::Null })
                .to_string(),
            )
        }
    };
    let ctx = RunContext::from(&c.artifact);
    let mut out = dry_run(&c.bytes, &ctx, opts)?;
    out["bytecode"] = json!(c.artifact.bytecode);
    out["diagnostics"] = json!(diagnostics_document(&c.warnings, &c.sources));
    Ok(out.to_string())
}

/// `runBytecode`: dry-runs a payload given as `0x…` hex (whitespace ignored), as
/// `nestc run --bytecode 0x… --json`.
pub fn run_bytecode(hex: &str, opts: &Options) -> Result<String, UsageError> {
    let digits: String = hex.split_whitespace().collect();
    let digits = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
        .unwrap_or(&digits);
    let payload = alloy_primitives::hex::decode(digits)
        .map_err(|e| UsageError(format!("invalid hex payload: {e}")))?;
    let mut out = dry_run(&payload, &RunContext::default(), opts)?;
    out["bytecode"] = Value::Null;
    out["diagnostics"] = Value::Null;
    Ok(out.to_string())
}
