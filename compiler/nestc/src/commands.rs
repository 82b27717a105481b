//! The subcommands.

use crate::fs_resolver::FsResolver;
use crate::output::{self, INPUT_ERROR};
use crate::Emit;
use nest_driver::{CompileRequest, Compiled};
use std::path::{Path, PathBuf};

mod provenance;
mod sequence;

pub(crate) use provenance::{inspect, verify};
pub(crate) use sequence::{run_sequence, Sequence};

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
pub(crate) fn set_options(options: nest_driver::Options) {
    let _ = OPTIONS.set(options);
}

/// Whether `--strict` was given: unclassified calls (`W0401`) are errors.
static STRICT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records `--strict` for every compilation and check of this run.
pub(crate) fn set_strict(strict: bool) {
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

pub(crate) fn compile(
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

pub(crate) fn check(file: &Path, raw_params: &[String], json: bool) -> u8 {
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

pub(crate) fn run(
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
            let ctx = nest_devnet::RunContext::from(&c.artifact);
            (c.bytes, ctx)
        }
        (None, Some(b)) => match output::payload(b) {
            Ok(p) => (p, nest_devnet::RunContext::default()),
            Err(e) => return output::usage(&e),
        },
        _ => return output::usage("give a script, or a payload with `--bytecode`"),
    };
    let scenario = match load_scenario(scenario) {
        Ok(s) => s,
        Err(code) => return code,
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

/// The scenario file given, or the default one; the exit code when it cannot be read.
fn load_scenario(path: Option<&Path>) -> Result<nest_devnet::Scenario, u8> {
    let Some(p) = path else {
        return Ok(nest_devnet::Scenario::default());
    };
    let text = std::fs::read_to_string(p)
        .map_err(|e| output::usage(&format!("cannot read `{}`: {e}", p.display())))?;
    nest_devnet::Scenario::from_toml(&text).map_err(|e| {
        output::error(&format!("scenario `{}`: {e}", p.display()));
        INPUT_ERROR
    })
}

pub(crate) fn explain(code: &str) -> u8 {
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
