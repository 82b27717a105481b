//! `nestc snapshot`: the bytecode snapshot a platform keeps in its repository, as
//! `forge snapshot` does for gas.
//!
//! Every script given (files, or directories searched recursively for `*.ns`) is compiled
//! with its default parameters and dry-run once on the embedded devnet's default scenario;
//! one line per script records its fingerprint, code size, HyVM execution gas and calldata
//! gas. The file (default `.nest-snapshot`, or `DIR/.nest-snapshot` when a single directory
//! is given) is sorted by path, and its paths are relative to the file's own directory with
//! `/` separators, so the same sources give the same file on any machine:
//!
//! ```text
//! # nestc snapshot: PATH STATUS fingerprint= code_size= exec_gas= calldata_gas=
//! swap.ns ok fingerprint=0x… code_size=298 exec_gas=118034 calldata_gas=5148
//! broken.ns compile-error errors=E0301
//! ```
//!
//! `--check` compares with the file and fails with a diff; `--diff` prints the diff only.

use crate::output::{self, INPUT_ERROR};
use nest_devnet::snapshot::{diff, escape, Entry, Snapshot};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The snapshot file's name when none is given.
pub(crate) const DEFAULT_FILE: &str = ".nest-snapshot";

/// Directories a search does not enter (besides hidden ones).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// The settings of this run (`-O`, `--disable`, `--strict`), set once by `main`.
static SETTINGS: std::sync::OnceLock<(nest_driver::Options, bool)> = std::sync::OnceLock::new();

/// Records the optimisation settings and `--strict` for the snapshot's compilations.
pub(crate) fn set_options(options: nest_driver::Options, strict: bool) {
    let _ = SETTINGS.set((options, strict));
}

/// What `nestc snapshot` does with the file.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Write (bless) the snapshot.
    Write,
    /// Compare; a difference fails (exit 1).
    Check,
    /// Compare and print the difference; only failing scripts fail.
    Diff,
}

/// Runs `nestc snapshot`; returns the exit status.
pub(crate) fn run(paths: &[PathBuf], file: Option<&Path>, mode: Mode) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => return output::usage(&format!("cannot read the current directory: {e}")),
    };
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let file = match file {
        Some(f) => f.to_path_buf(),
        None if paths.len() == 1 && paths[0].is_dir() => paths[0].join(DEFAULT_FILE),
        None => PathBuf::from(DEFAULT_FILE),
    };
    let base = normalise(&cwd, file.parent().unwrap_or(Path::new("")));
    if !base.is_dir() {
        return output::usage(&format!(
            "the snapshot's directory `{}` does not exist",
            base.display()
        ));
    }
    let scripts = match find_scripts(&paths) {
        Ok(s) => s,
        Err(e) => return output::usage(&e),
    };
    let (options, strict) = SETTINGS.get().cloned().unwrap_or_default();
    let devnet = match nest_devnet::Devnet::new(&nest_devnet::Scenario::default()) {
        Ok(d) => d,
        Err(e) => {
            output::error(&format!("cannot start the devnet: {e}"));
            return INPUT_ERROR;
        }
    };
    let mut new = Snapshot {
        options: options_line(&options, strict),
        entries: BTreeMap::new(),
    };
    let mut failing = Vec::new();
    for script in &scripts {
        let key = escape(&relative(&base, &normalise(&cwd, script)));
        let entry = snapshot_one(script, &devnet, &options, strict);
        if entry.status != "ok" {
            failing.push(format!("{key} ({})", entry.status));
        }
        new.entries.insert(key, entry);
    }
    let shown = file.to_string_lossy().replace('\\', "/");
    let shown = shown.strip_prefix("./").unwrap_or(&shown).to_string();
    let old_text = match std::fs::read_to_string(&file) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return output::usage(&format!("cannot read `{shown}`: {e}")),
    };
    let old = match old_text.as_deref().map(Snapshot::parse) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            if mode == Mode::Write {
                Snapshot::default()
            } else {
                return output::usage(&format!("`{shown}` is not a snapshot: {e}"));
            }
        }
        None => Snapshot::default(),
    };
    if !failing.is_empty() {
        output::error(&format!(
            "{} of {} script(s) fail (listed in the snapshot with their status): {}",
            failing.len(),
            scripts.len(),
            failing.join(", ")
        ));
    }
    let text = new.render();
    let changes = diff(&old, &new);
    let status = if failing.is_empty() { 0 } else { INPUT_ERROR };
    match mode {
        Mode::Write => {
            if old_text.as_deref() != Some(text.as_str()) {
                if let Some(why) = refuse_output(&file, &scripts) {
                    return output::usage(&why);
                }
                if let Err(e) = std::fs::write(&file, &text) {
                    return output::usage(&format!("cannot write `{shown}`: {e}"));
                }
            }
            println!(
                "wrote `{}`: {} script{}, {}",
                output::inert(&shown),
                new.entries.len(),
                if new.entries.len() == 1 { "" } else { "s" },
                changes.summary()
            );
            status
        }
        Mode::Check | Mode::Diff => {
            if old_text.is_none() {
                println!(
                    "no snapshot at `{}` yet: create it with `nestc snapshot`",
                    output::inert(&shown)
                );
            }
            if changes.is_empty() {
                println!(
                    "snapshot `{}` is up to date ({} script{})",
                    output::inert(&shown),
                    new.entries.len(),
                    if new.entries.len() == 1 { "" } else { "s" }
                );
                return status;
            }
            // Inert line by line, uncut: the old file's text is outside text.
            print!(
                "{}",
                nest_devnet::escape::inert_lines(&changes.text, usize::MAX)
            );
            println!(
                "snapshot `{}` differs: {}",
                output::inert(&shown),
                changes.summary()
            );
            if mode == Mode::Check {
                println!(
                    "help: if the change is intended, bless it with `nestc snapshot` (the same \
                     paths and flags) and commit the file"
                );
                INPUT_ERROR
            } else {
                status
            }
        }
    }
}

/// Compiles and dry-runs one script.
fn snapshot_one(
    script: &Path,
    devnet: &nest_devnet::Devnet,
    options: &nest_driver::Options,
    strict: bool,
) -> Entry {
    let name = script.to_string_lossy().replace('\\', "/");
    let text = match crate::fs_resolver::read_script(script) {
        Ok(t) => t,
        Err(e) => {
            output::error(&format!("cannot read `{name}`: {e}"));
            return Entry::unreadable();
        }
    };
    // One resolver per script: its byte budget counts this script's imports.
    let resolver = crate::fs_resolver::FsResolver::default();
    let req = nest_driver::CompileRequest {
        name: &name,
        text: &text,
        resolver: &resolver,
        params: &[],
    };
    let compiled = match nest_driver::compile_with(&req, options) {
        Ok(mut c) => {
            if strict && nest_driver::deny_unclassified(&mut c.warnings) {
                Err((c.warnings, c.sources))
            } else {
                Ok(c)
            }
        }
        Err(f) => Err((f.diagnostics, f.sources)),
    };
    let c = match compiled {
        Ok(c) => c,
        Err((diags, sources)) => {
            output::diagnostics(&diags, &sources, false);
            return Entry::compile_error(diags.iter().filter(|d| d.is_error()).map(|d| d.code));
        }
    };
    let ctx = nest_devnet::RunContext::from(&c.artifact);
    let run = devnet.dry_run(&c.bytes, &ctx).map_err(|e| e.to_string());
    let (entry, trouble) = Entry::of_run(
        &c.artifact.fingerprint,
        c.artifact.code_size,
        run.as_ref().map_err(Clone::clone),
    );
    if let Some(why) = trouble {
        output::error(&format!("`{name}`: {why}"));
    }
    entry
}

/// The scripts named by `paths`: files as given, directories searched for `*.ns` (hidden
/// entries, `target` and `node_modules` skipped, symlinked directories not followed);
/// sorted, without duplicates.
fn find_scripts(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let meta =
            std::fs::metadata(p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_ref()) {
                walk(&path, out)?;
            }
        } else if name.ends_with(".ns") && !std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            out.push(path);
        }
    }
    Ok(())
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved by name (symlinks are
/// not followed: the path stays the one the user sees).
fn normalise(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base` (both normalised), with `/` separators and `..` where it lies
/// outside; absolute when they share no root.
fn relative(base: &Path, path: &Path) -> String {
    let b: Vec<_> = base.components().collect();
    let p: Vec<_> = path.components().collect();
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// The options line recorded when the settings are not the defaults.
fn options_line(options: &nest_driver::Options, strict: bool) -> Option<String> {
    let o0 = options.opt_level == nest_driver::OptLevel::O0;
    nest_devnet::snapshot::options_line(o0, &options.disabled, strict)
}

/// Why the snapshot must not be written to `out`: it is one of the scripts, or a symlink to
/// nothing.
fn refuse_output(out: &Path, scripts: &[PathBuf]) -> Option<String> {
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(s) = scripts.iter().find(|s| same(out, s)) {
        return Some(format!(
            "the snapshot file `{}` is the script `{}`: choose another file",
            out.display(),
            s.display()
        ));
    }
    let is_link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && std::fs::metadata(out).is_err() {
        return Some(format!(
            "the snapshot file `{}` is a symlink to a file that does not exist",
            out.display()
        ));
    }
    None
}
