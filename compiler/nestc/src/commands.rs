//! The subcommands.

use crate::fs_resolver::FsResolver;
use crate::output::{self, INPUT_ERROR};
use crate::Emit;
use nest_driver::{CompileRequest, Compiled};
use std::path::{Path, PathBuf};

/// Reads a script; its display name is the path as the user wrote it.
fn read_source(file: &Path) -> Result<(String, String), u8> {
    let name = file.to_string_lossy().replace('\\', "/");
    match crate::fs_resolver::read_script(file) {
        Ok(t) => Ok((name, t)),
        Err(e) => Err(output::usage(&format!("cannot read `{name}`: {e}"))),
    }
}

/// The optimisation settings of this run (`-O`, `--disable`), set once by `main`.
static OPTIONS: std::sync::OnceLock<nest_driver::Options> = std::sync::OnceLock::new();

/// Records the optimisation settings every compilation of this run uses.
pub fn set_options(options: nest_driver::Options) {
    let _ = OPTIONS.set(options);
}

/// Whether `--strict` was given: unclassified calls (`W0401`) are errors.
static STRICT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records `--strict` for every compilation and check of this run.
pub fn set_strict(strict: bool) {
    STRICT.store(strict, std::sync::atomic::Ordering::Relaxed);
}

fn strict() -> bool {
    STRICT.load(std::sync::atomic::Ordering::Relaxed)
}

/// Compiles, printing diagnostics; returns the compilation or an exit status.
fn build(file: &Path, raw_params: &[String], json: bool) -> Result<Compiled, u8> {
    let (name, text) = read_source(file)?;
    let params = output::params(raw_params).map_err(|e| output::usage(&e))?;
    let options = OPTIONS.get().cloned().unwrap_or_default();
    let req = CompileRequest {
        name: &name,
        text: &text,
        resolver: &FsResolver::default(),
        params: &params,
    };
    match nest_driver::compile_with(&req, &options) {
        Ok(mut c) => {
            if strict() && nest_driver::deny_unclassified(&mut c.warnings) {
                output::diagnostics(&c.warnings, &c.sources, json);
                return Err(INPUT_ERROR);
            }
            // Stdout carries the output: with `--json`, warnings go to stderr as JSON.
            if json {
                output::diagnostics_json_stderr(&c.warnings, &c.sources);
            } else {
                output::diagnostics(&c.warnings, &c.sources, false);
            }
            Ok(c)
        }
        Err(f) => {
            output::diagnostics(&f.diagnostics, &f.sources, json);
            Err(INPUT_ERROR)
        }
    }
}

/// Whether two paths name the same file: the same device and inode (a hard link or a
/// symlink to the script is the script), or, where there are no inodes, the same canonical
/// path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Why `out` must not be written, given the files read (`None`: it may be): it is one of
/// them, or a symlink whose target does not exist (writing would create a file wherever the
/// link points).
fn refuse_output(out: &Path, inputs: &[&Path]) -> Option<String> {
    if let Some(input) = inputs.iter().find(|input| same_file(out, input)) {
        return Some(format!(
            "`-o {}` is the same file as the input `{}`: writing there would replace it; \
             choose another output path",
            out.display(),
            input.display()
        ));
    }
    let is_link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && std::fs::metadata(out).is_err() {
        return Some(format!(
            "`-o {}` is a symlink to a file that does not exist: refusing to create its \
             target; remove the link or choose another output path",
            out.display()
        ));
    }
    None
}

fn write_out(out: Option<&Path>, text: &str, inputs: &[&Path]) -> u8 {
    match out {
        Some(p) => {
            // Checked again right before writing: the inputs are all known by now.
            if let Some(why) = refuse_output(p, inputs) {
                return output::usage(&why);
            }
            match std::fs::write(p, text) {
                Ok(()) => 0,
                Err(e) => output::usage(&format!("cannot write `{}`: {e}", p.display())),
            }
        }
        None => {
            print!("{text}");
            0
        }
    }
}

pub fn compile(
    file: &Path,
    out: Option<&Path>,
    params: &[String],
    emit: Emit,
    json: bool,
    sign_key_file: Option<&Path>,
) -> u8 {
    let mut read: Vec<&Path> = vec![file];
    read.extend(sign_key_file);
    if let Some(why) = out.and_then(|o| refuse_output(o, &read)) {
        return output::usage(&why);
    }
    let key = match sign_key_file {
        Some(_) if !matches!(emit, Emit::Bytecode | Emit::Artifact) => {
            return output::usage(
                "`--sign-key-file` signs the payload: use it with `--emit bytecode` (the \
                 default) or `--emit artifact`",
            )
        }
        Some(path) => match crate::sign::read_key_file(path) {
            Ok(k) => Some(k),
            Err(e) => return output::usage(&e),
        },
        None => None,
    };
    if emit == Emit::Ast {
        let (name, text) = match read_source(file) {
            Ok(x) => x,
            Err(c) => return c,
        };
        let mut sources = nest_diagnostics::SourceMap::new();
        let id = sources.add(name, text);
        let (ast, diags) = nest_syntax::parse(id, &sources.get(id).text);
        output::diagnostics(&diags, &sources, json);
        if nest_diagnostics::has_errors(&diags) {
            return INPUT_ERROR;
        }
        return write_out(out, &format!("{ast:#?}\n"), &[file]);
    }
    let mut c = match build(file, params, json) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(key) = &key {
        if let Err(e) = c.sign(key) {
            output::error(&format!("cannot sign the payload: {e}"));
            return INPUT_ERROR;
        }
    }
    let text = match emit {
        Emit::Bytecode => format!("{}\n", c.artifact.bytecode),
        Emit::Asm => nest_driver::asm_listing(&c),
        Emit::Ir => c.ir.to_string(),
        Emit::Artifact => format!(
            "{}\n",
            serde_json::to_string_pretty(&c.artifact).unwrap_or_default()
        ),
        Emit::Ast => unreachable_ast(),
    };
    // The imports are inputs too.
    let imports: Vec<std::path::PathBuf> = c
        .sources
        .files()
        .map(|(_, source)| std::path::PathBuf::from(&source.name))
        .filter(|path| path.is_file())
        .collect();
    let mut inputs: Vec<&Path> = read;
    inputs.extend(imports.iter().map(|p| p.as_path()));
    write_out(out, &text, &inputs)
}

fn unreachable_ast() -> String {
    String::new()
}

pub fn check(file: &Path, raw_params: &[String], json: bool) -> u8 {
    let (name, text) = match read_source(file) {
        Ok(x) => x,
        Err(c) => return c,
    };
    let params = match output::params(raw_params) {
        Ok(p) => p,
        Err(e) => return output::usage(&e),
    };
    let (sources, mut diags) = nest_driver::check(&CompileRequest {
        name: &name,
        text: &text,
        resolver: &FsResolver::default(),
        params: &params,
    });
    if strict() {
        nest_driver::deny_unclassified(&mut diags);
    }
    // With `--json`, exactly one document: `{"diagnostics": [...]}`, empty or not.
    if json {
        output::diagnostics_json(&diags, &sources);
    } else {
        output::diagnostics(&diags, &sources, false);
    }
    if nest_diagnostics::has_errors(&diags) {
        INPUT_ERROR
    } else {
        0
    }
}

pub fn run(
    file: Option<&Path>,
    bytecode: Option<&str>,
    params: &[String],
    scenario: Option<&Path>,
    json: bool,
    fork: Option<nest_devnet::ForkOptions>,
    hyvm_build: nest_hyvm::HyvmBuild,
) -> u8 {
    let (payload, ctx) = match (file, bytecode) {
        (Some(f), None) => {
            let c = match build(f, params, json) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let artifact = serde_json::to_value(&c.artifact).unwrap_or_default();
            let ctx = nest_devnet::RunContext::from_artifact(&artifact);
            (c.bytes, ctx)
        }
        (None, Some(b)) => match output::payload(b) {
            Ok(p) => (p, nest_devnet::RunContext::default()),
            Err(e) => return output::usage(&e),
        },
        _ => return output::usage("give a script, or a payload with `--bytecode`"),
    };
    let scenario = match scenario {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => match nest_devnet::Scenario::from_toml(&t) {
                Ok(s) => s,
                Err(e) => {
                    output::error(&format!("scenario `{}`: {e}", p.display()));
                    return INPUT_ERROR;
                }
            },
            Err(e) => return output::usage(&format!("cannot read `{}`: {e}", p.display())),
        },
        None => nest_devnet::Scenario::default(),
    };
    let mut unrecognised_hyvm = false;
    let report = match fork {
        Some(options) => {
            let progress = Progress::start(options.progress.clone());
            let forked = nest_devnet::ForkDevnet::new(&options, &scenario).and_then(|mut fork| {
                fork.set_hyvm_build(hyvm_build);
                let report = fork.dry_run(&payload, &ctx)?;
                Ok((fork, report))
            });
            progress.stop();
            match forked {
                Ok((fork, report)) => {
                    for note in fork.notes() {
                        output::note(note);
                    }
                    if let nest_devnet::fork::HyvmCheck::Unrecognised(why) = fork.hyvm_check() {
                        output::warning(why);
                        unrecognised_hyvm = true;
                    }
                    Ok(report)
                }
                Err(e @ nest_devnet::DevnetError::Fork(_)) => {
                    output::error(&format!("cannot fork the chain: {e}"));
                    return INPUT_ERROR;
                }
                Err(e) => Err(e),
            }
        }
        None => match nest_devnet::Devnet::new(&scenario) {
            Ok(mut devnet) => {
                devnet.set_hyvm_build(hyvm_build);
                devnet.dry_run(&payload, &ctx)
            }
            Err(e) => {
                output::error(&format!("cannot start the devnet: {e}"));
                return INPUT_ERROR;
            }
        },
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            output::error(&format!("dry run failed: {e}"));
            return INPUT_ERROR;
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).unwrap_or_default()
        );
    } else {
        use std::io::IsTerminal;
        print!(
            "{}",
            report
                .render(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        );
    }
    // A payload that leaves a permission or writes the vault's own storage fails the run.
    if report.success
        && !unrecognised_hyvm
        && report.allowances_left.is_empty()
        && report.vault_storage_changes.is_empty()
    {
        0
    } else {
        INPUT_ERROR
    }
}

/// A sequence of scripts for `nestc run a.ns b.ns …`: the files in order, the raw
/// `--param`s (`NAME=VALUE` for every script that declares NAME, `FILE:NAME=VALUE` for one
/// script) and the raw `--advance`s (`DURATION` before every step after the first,
/// `FILE:DURATION` before that script's step).
pub struct Sequence<'a> {
    pub files: &'a [PathBuf],
    pub params: &'a [String],
    pub advance: &'a [String],
}

/// Whether `scope` (the part before `:` in a scoped option) names `file`: its path as given,
/// or its file name.
fn names_file(scope: &str, file: &Path) -> bool {
    let given = file.to_string_lossy().replace('\\', "/");
    scope == given
        || file
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == scope)
}

/// Splits `FILE:REST` when FILE names one of `files`; otherwise the option is unscoped.
fn split_scope<'t>(text: &'t str, files: &[PathBuf]) -> (Option<&'t str>, &'t str) {
    // A scope never contains `=`: only look before the first one (values may hold `:`).
    let head = text.split_once('=').map_or(text, |(h, _)| h);
    match head.rsplit_once(':') {
        Some((scope, _)) if files.iter().any(|f| names_file(scope, f)) => {
            (Some(scope), &text[scope.len() + 1..])
        }
        _ => (None, text),
    }
}

/// A clock advance: `90` or `90s`, `30m`, `1h`, `2d`, `1w`, in whole units; seconds.
fn parse_advance(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let value: u64 = number.parse().map_err(|_| {
        format!("`--advance {text}`: expected a duration such as `90s`, `30m`, `1h` or `2d`")
    })?;
    let unit_seconds = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        other => {
            return Err(format!(
                "`--advance {text}`: unknown unit `{other}` (use `s`, `m`, `h`, `d` or `w`)"
            ))
        }
    };
    match value.checked_mul(unit_seconds) {
        Some(0) => Err(format!(
            "`--advance {text}`: advance the clock by at least 1s"
        )),
        Some(seconds) if seconds <= 10 * 365 * 86_400 => Ok(seconds),
        _ => Err(format!("`--advance {text}`: at most ten years")),
    }
}

/// Seconds per block when the clock advances: the block number grows by one per 12 s
/// (at least one block per advance).
const SECONDS_PER_BLOCK: u64 = 12;

/// The names of the parameters `file` declares (`param NAME: T`); empty when it cannot
/// be read (compiling it reports why).
fn declared_params(file: &Path) -> Vec<String> {
    let Ok((name, text)) = read_source(file) else {
        return Vec::new();
    };
    let mut sources = nest_diagnostics::SourceMap::new();
    let id = sources.add(name, text);
    let (ast, _) = nest_syntax::parse(id, &sources.get(id).text);
    ast.items
        .iter()
        .filter_map(|item| match &item.kind {
            nest_syntax::ast::ItemKind::Param(p) => Some(p.name.name.clone()),
            _ => None,
        })
        .collect()
}

/// Whether a report passes: success, no permission left, no vault storage written.
fn report_passes(report: &nest_devnet::Report) -> bool {
    report.success && report.allowances_left.is_empty() && report.vault_storage_changes.is_empty()
}

/// Formats seconds for a heading: `1h`, `2d 3h`, `90s` → `1m 30s`.
fn human_seconds(seconds: u64) -> String {
    let units = [
        ("w", 604_800),
        ("d", 86_400),
        ("h", 3_600),
        ("m", 60),
        ("s", 1),
    ];
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (unit, size) in units {
        if rest >= size {
            parts.push(format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    if parts.is_empty() {
        parts.push("0s".to_string());
    }
    parts.join(" ")
}

/// `nestc run a.ns b.ns …`: compiles every script, then runs them one after another on one
/// devnet, each on the state the previous one left; one report per step (a JSON array with
/// `--json`). Exit 0 only if every step succeeds and leaves no permission.
pub fn run_sequence(
    seq: &Sequence<'_>,
    scenario: Option<&Path>,
    json: bool,
    hyvm_build: nest_hyvm::HyvmBuild,
) -> u8 {
    let files = seq.files;
    // Parameters: scoped ones go to their script; unscoped ones to every script declaring them.
    let mut scoped: Vec<Vec<String>> = vec![Vec::new(); files.len()];
    let mut unscoped: Vec<String> = Vec::new();
    for raw in seq.params {
        match split_scope(raw, files) {
            (Some(scope), rest) => {
                for (i, f) in files.iter().enumerate() {
                    if names_file(scope, f) {
                        scoped[i].push(rest.to_string());
                    }
                }
            }
            (None, rest) => {
                if let Some((scope, _)) = rest.split_once('=').and_then(|(n, _)| n.rsplit_once(':'))
                {
                    return output::usage(&format!(
                        "`--param {rest}`: `{scope}` is none of the scripts of the sequence"
                    ));
                }
                unscoped.push(rest.to_string());
            }
        }
    }
    let declared: Vec<Vec<String>> = files.iter().map(|f| declared_params(f)).collect();
    let param_name = |p: &str| p.split_once('=').map(|(n, _)| n.trim().to_string());
    for p in &unscoped {
        let Some(name) = param_name(p) else {
            return output::usage(&format!(
                "`--param {p}`: expected NAME=VALUE or FILE:NAME=VALUE"
            ));
        };
        if !declared.iter().any(|d| d.contains(&name)) {
            return output::usage(&format!(
                "`--param {p}`: no script of the sequence declares a parameter `{name}`"
            ));
        }
    }
    let step_params: Vec<Vec<String>> = (0..files.len())
        .map(|i| {
            let own: Vec<Option<String>> = scoped[i].iter().map(|p| param_name(p)).collect();
            let mut params = scoped[i].clone();
            params.extend(
                unscoped
                    .iter()
                    .filter(|p| {
                        param_name(p)
                            .is_some_and(|n| declared[i].contains(&n) && !own.contains(&Some(n)))
                    })
                    .cloned(),
            );
            params
        })
        .collect();
    // Clock advances: a scoped one for its step, else the unscoped one, before each step but
    // the first.
    let mut default_advance: Option<u64> = None;
    let mut step_advance: Vec<Option<u64>> = vec![None; files.len()];
    for raw in seq.advance {
        let (scope, rest) = match raw.rsplit_once(':') {
            Some((scope, rest)) => (Some(scope), rest),
            None => (None, raw.as_str()),
        };
        let seconds = match parse_advance(rest) {
            Ok(s) => s,
            Err(e) => return output::usage(&e),
        };
        match scope {
            None => default_advance = Some(seconds),
            Some(scope) => {
                let mut found = false;
                for (i, f) in files.iter().enumerate() {
                    if names_file(scope, f) {
                        step_advance[i] = Some(seconds);
                        found = true;
                    }
                }
                if !found {
                    return output::usage(&format!(
                        "`--advance {raw}`: `{scope}` is none of the scripts of the sequence"
                    ));
                }
            }
        }
    }
    // Compile everything before running anything.
    let mut payloads = Vec::with_capacity(files.len());
    for (file, params) in files.iter().zip(&step_params) {
        let c = match build(file, params, json) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let artifact = serde_json::to_value(&c.artifact).unwrap_or_default();
        payloads.push((c.bytes, nest_devnet::RunContext::from_artifact(&artifact)));
    }
    let scenario = match scenario {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => match nest_devnet::Scenario::from_toml(&t) {
                Ok(s) => s,
                Err(e) => {
                    output::error(&format!("scenario `{}`: {e}", p.display()));
                    return INPUT_ERROR;
                }
            },
            Err(e) => return output::usage(&format!("cannot read `{}`: {e}", p.display())),
        },
        None => nest_devnet::Scenario::default(),
    };
    let mut devnet = match nest_devnet::Devnet::new(&scenario) {
        Ok(d) => d,
        Err(e) => {
            output::error(&format!("cannot start the devnet: {e}"));
            return INPUT_ERROR;
        }
    };
    devnet.set_hyvm_build(hyvm_build);
    let color = {
        use std::io::IsTerminal;
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
    };
    let mut reports = Vec::with_capacity(files.len());
    let mut all_pass = true;
    for (i, (file, (payload, ctx))) in files.iter().zip(&payloads).enumerate() {
        let advanced = if i == 0 {
            None
        } else {
            step_advance[i].or(default_advance)
        };
        if let Some(seconds) = advanced {
            devnet.advance(seconds, (seconds / SECONDS_PER_BLOCK).max(1));
        }
        let report = match devnet.run_and_commit(payload, ctx) {
            Ok(r) => r,
            Err(e) => {
                output::error(&format!(
                    "step {} ({}): dry run failed: {e}",
                    i + 1,
                    file.display()
                ));
                return INPUT_ERROR;
            }
        };
        all_pass &= report_passes(&report);
        if !json {
            let (block, timestamp) = devnet.clock();
            let clock = match advanced {
                Some(s) => format!(
                    "{} later: block {block}, timestamp {timestamp}",
                    human_seconds(s)
                ),
                None => format!("block {block}, timestamp {timestamp}"),
            };
            if i > 0 {
                println!();
            }
            println!(
                "== step {} of {}: {} ({clock}) ==",
                i + 1,
                files.len(),
                file.display()
            );
            print!("{}", report.render(color));
        }
        reports.push(report);
    }
    if json {
        let array: Vec<serde_json::Value> = reports.iter().map(|r| r.to_json()).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::Value::Array(array)).unwrap_or_default()
        );
    }
    if all_pass {
        0
    } else {
        INPUT_ERROR
    }
}

pub fn verify(
    bytecode: &str,
    source: &Path,
    params: &[String],
    json: bool,
    signer: Option<alloy_primitives::Address>,
) -> u8 {
    let (given, artifact) = match payload_or_artifact(bytecode) {
        Ok(p) => p,
        Err(e) => return output::usage(&e),
    };
    let c = match build(source, params, json) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut problems = Vec::new();
    // A signed payload is compared in its unsigned form: the bytes its signature covers.
    let mut compared = given.clone();
    let mut signed_by = None;
    match nest_evm::trailer::decode(&given) {
        Ok(t) => {
            let expected = format!("{}", t.fingerprint);
            if expected != c.artifact.fingerprint {
                problems.push(format!(
                    "fingerprint differs: payload has {expected}, the source gives {}",
                    c.artifact.fingerprint
                ));
            }
            match nest_driver::provenance(&t) {
                nest_driver::Provenance::Unsigned => {
                    if let Some(want) = signer {
                        problems.push(format!(
                            "the payload is not signed, but `--signer {want}` requires a \
                             signature by {want}"
                        ));
                    }
                }
                nest_driver::Provenance::Signed { signer: got, .. } => {
                    signed_by = Some(got);
                    if let Some(want) = signer.filter(|want| *want != got) {
                        problems.push(format!(
                            "signed by {got}, not by {want} as `--signer` requires (a damaged \
                             signature also recovers to another address)"
                        ));
                    }
                }
                nest_driver::Provenance::BadSignature { why, .. } => problems.push(format!(
                    "the payload's signature is not valid: {why}; re-sign the payload with \
                     `nestc compile --sign-key-file`"
                )),
            }
            compared = t.unsigned_payload();
        }
        Err(e) => problems.push(format!("the payload has no valid trailer: {e}")),
    }
    if compared != c.bytes {
        if let Some(why) = params_differ(artifact.as_ref(), &c) {
            problems.push(why);
        } else if artifact.is_none() {
            problems.push(
                "if the sources are the same, the parameters may differ: pass the artifact \
                 (`--emit artifact`) instead of the payload to compare them"
                    .to_string(),
            );
        }
        let n = compared.len().min(c.bytes.len());
        match (0..n).find(|&i| compared[i] != c.bytes[i]) {
            Some(i) => problems.push(format!("bytes differ first at offset {i} (0x{i:04x})")),
            None => problems.push(format!(
                "lengths differ: payload {} bytes, recompiled {} bytes",
                compared.len(),
                c.bytes.len()
            )),
        }
    }
    let signer_text = signed_by.map(|a| a.to_checksum(None));
    if json {
        let v = serde_json::json!({
            "verified": problems.is_empty(),
            "fingerprint": c.artifact.fingerprint,
            "signer": signer_text,
            "problems": problems,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else if problems.is_empty() {
        println!(
            "verified: the payload is exactly the compilation of `{}` (fingerprint {})",
            source.display(),
            c.artifact.fingerprint
        );
        match (&signer_text, signer) {
            (Some(s), Some(_)) => println!("signed by {s}, as required"),
            (Some(s), None) => println!(
                "signed by {s} (not compared with an expected signer: pass `--signer ADDRESS` \
                 to require one)"
            ),
            (None, _) => {}
        }
    } else {
        eprintln!("not verified:");
        for p in &problems {
            eprintln!("  - {}", output::inert(p));
        }
    }
    if problems.is_empty() {
        0
    } else {
        INPUT_ERROR
    }
}

/// An artifact (`--emit artifact`) given where a payload is expected: a JSON file
/// with a `bytecode` string. `None` for a payload (hex or binary) or anything else.
fn artifact_file(arg: &str) -> Option<serde_json::Value> {
    if arg.starts_with("0x") || arg.starts_with("0X") {
        return None;
    }
    let meta = std::fs::metadata(arg).ok()?;
    if !meta.is_file() || meta.len() > 32 << 20 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(arg).ok()?).ok()?;
    v.get("bytecode")?.as_str()?;
    Some(v)
}

/// The payload of a payload argument, or of an artifact file.
fn payload_or_artifact(arg: &str) -> Result<(Vec<u8>, Option<serde_json::Value>), String> {
    match artifact_file(arg) {
        Some(a) => {
            let hex = a["bytecode"].as_str().unwrap_or_default().to_string();
            Ok((output::payload(&hex)?, Some(a)))
        }
        None => Ok((output::payload(arg)?, None)),
    }
}

/// An artifact's parameters: `(name, type, value as written)`.
fn artifact_params(a: &serde_json::Value) -> Vec<(String, String, String)> {
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    a["params"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| (text(p, "name"), text(p, "type"), text(p, "value")))
                .collect()
        })
        .unwrap_or_default()
}

/// When an artifact and the recompilation have the same sources and compiler but
/// other parameter values: which.
fn params_differ(artifact: Option<&serde_json::Value>, c: &Compiled) -> Option<String> {
    let a = artifact?;
    let same_sources = a["source_hash"].as_str() == Some(c.artifact.source_hash.as_str());
    let same_compiler =
        a["compiler"]["version"].as_str() == Some(c.artifact.compiler.version.as_str());
    if !same_sources || !same_compiler {
        return None;
    }
    let theirs = artifact_params(a);
    let ours: Vec<(String, String, String)> = c
        .artifact
        .params
        .iter()
        .map(|p| (p.name.clone(), p.ty.clone(), p.value.clone()))
        .collect();
    if theirs == ours {
        return None;
    }
    let mut diffs = Vec::new();
    for (name, _, value) in &ours {
        match theirs.iter().find(|(n, _, _)| n == name) {
            Some((_, _, v)) if v == value => {}
            Some((_, _, v)) => diffs.push(format!("`{name}` is {v} in the artifact, {value} here")),
            None => diffs.push(format!("`{name}` is not in the artifact")),
        }
    }
    Some(format!(
        "same sources and compiler, only the parameters differ: {}; pass the artifact's \
         values with `--param`",
        if diffs.is_empty() {
            "their order or types".to_string()
        } else {
            diffs.join(", ")
        }
    ))
}

pub fn inspect(bytecode: &str, json: bool) -> u8 {
    let (payload, artifact) = match payload_or_artifact(bytecode) {
        Ok(p) => p,
        Err(e) => return output::usage(&e),
    };
    match nest_evm::trailer::decode(&payload) {
        Ok(t) => {
            let provenance = nest_driver::provenance(&t);
            let hex = |b: &[u8]| alloy_primitives::hex::encode_prefixed(b);
            if json {
                let mut v = serde_json::json!({
                    "format_version": t.version,
                    "fingerprint": format!("{}", t.fingerprint),
                    "code_size": t.code.len().saturating_sub(1),
                    "payload_size": payload.len(),
                    "signed": t.signature.is_some(),
                });
                match &provenance {
                    nest_driver::Provenance::Unsigned => {}
                    nest_driver::Provenance::Signed { signer, signature } => {
                        v["signer"] = signer.to_checksum(None).into();
                        v["signature_valid"] = true.into();
                        v["signature"] = hex(signature).into();
                        v["signed_message"] = hex(&t.unsigned_payload()).into();
                    }
                    nest_driver::Provenance::BadSignature { why, signature } => {
                        v["signature_valid"] = false.into();
                        v["signature_error"] = why.clone().into();
                        v["signature"] = hex(signature).into();
                    }
                }
                if let Some(a) = &artifact {
                    v["params"] = a["params"].clone();
                    v["artifact_fingerprint_matches"] =
                        (a["fingerprint"].as_str() == Some(&format!("{}", t.fingerprint))).into();
                }
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                let kind = if t.signature.is_some() {
                    "signed"
                } else {
                    "unsigned"
                };
                println!("nest provenance trailer, format {} ({kind})", t.version);
                println!("fingerprint   {}", t.fingerprint);
                println!("code + data   {} bytes", t.code.len().saturating_sub(1));
                println!("payload       {} bytes", payload.len());
                match &provenance {
                    nest_driver::Provenance::Unsigned => {}
                    nest_driver::Provenance::Signed { signer, signature } => {
                        println!("signer        {}", signer.to_checksum(None));
                        println!("signature     valid (EIP-191 over the payload with the unsigned trailer; recovered signer shown)");
                        println!("              {}", hex(signature));
                    }
                    nest_driver::Provenance::BadSignature { why, signature } => {
                        println!("signature     INVALID: {why}");
                        println!("              {}", hex(signature));
                    }
                }
                if let Some(a) = &artifact {
                    let params = artifact_params(a);
                    if params.is_empty() {
                        println!("parameters    none");
                    }
                    for (i, (name, ty, value)) in params.iter().enumerate() {
                        let head = if i == 0 { "parameters" } else { "" };
                        println!(
                            "{head:<13} {} = {} ({})",
                            output::inert(name),
                            output::inert(value),
                            output::inert(ty)
                        );
                    }
                    if a["fingerprint"].as_str() != Some(&format!("{}", t.fingerprint)) {
                        println!("warning       the artifact's fingerprint is not the payload's: its manifest may describe another compilation");
                    }
                }
            }
            if matches!(provenance, nest_driver::Provenance::BadSignature { .. }) {
                if !json {
                    output::error("the payload's signature is not valid");
                    eprintln!("  help: the trailer or the signature was damaged, or it was not signed by `nestc compile --sign-key-file`; re-sign it");
                }
                return INPUT_ERROR;
            }
            0
        }
        Err(e) => {
            if json {
                let v = serde_json::json!({ "error": format!("no Nest provenance trailer: {e}") });
                println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                output::error(&format!("no Nest provenance trailer: {e}"));
                eprintln!("  help: a Nest payload ends with `NEST`, a version, its fingerprint and the trailer's length; was it cut short, or not made by nestc?");
            }
            INPUT_ERROR
        }
    }
}

pub fn explain(code: &str) -> u8 {
    match nest_diagnostics::codes::lookup(code) {
        Some(info) => {
            println!(
                "{}: {}\n\n{}",
                info.code,
                info.title,
                info.explanation.trim_end()
            );
            0
        }
        None => {
            output::error(&format!("unknown diagnostic code `{code}`"));
            INPUT_ERROR
        }
    }
}

/// A progress line on stderr while fork mode talks to the node: nothing for the first second,
/// then the requests sent and the time elapsed (rewritten in place on a terminal, a line every
/// ten seconds otherwise).
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(count: nest_devnet::fork::ForkProgress) -> Progress {
        use std::io::{IsTerminal, Write};
        use std::sync::atomic::Ordering;
        use std::time::{Duration, Instant};
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = done.clone();
        let thread = std::thread::Builder::new()
            .name("fork-progress".into())
            .spawn(move || {
                let started = Instant::now();
                let terminal = std::io::stderr().is_terminal();
                let every = if terminal {
                    Duration::from_millis(250)
                } else {
                    Duration::from_secs(10)
                };
                let mut next = Duration::from_secs(1);
                let mut shown = false;
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50));
                    let elapsed = started.elapsed();
                    if elapsed < next || flag.load(Ordering::Relaxed) {
                        continue;
                    }
                    next = elapsed + every;
                    let line = format!(
                        "fork: {} requests to the node, {:.0}s elapsed",
                        count.requests(),
                        elapsed.as_secs_f64()
                    );
                    let mut err = std::io::stderr().lock();
                    let _ = if terminal {
                        write!(err, "\r\x1b[2K{line}")
                    } else {
                        writeln!(err, "{line}")
                    };
                    let _ = err.flush();
                    shown = true;
                }
                if shown && terminal {
                    let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
                }
            })
            .ok();
        Progress { done, thread }
    }

    fn stop(self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread {
            let _ = thread.join();
        }
    }
}
