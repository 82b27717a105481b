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
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

/// The snapshot file's name when none is given.
pub const DEFAULT_FILE: &str = ".nest-snapshot";

/// The first line of every snapshot file.
const HEADER: &str =
    "# nestc snapshot: PATH STATUS fingerprint= code_size= exec_gas= calldata_gas= \
                      (default params, default scenario); regenerate with `nestc snapshot`";

/// Directories a search does not enter (besides hidden ones).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// The settings of this run (`-O`, `--disable`, `--strict`), set once by `main`.
static SETTINGS: std::sync::OnceLock<(nest_driver::Options, bool)> = std::sync::OnceLock::new();

/// Records the optimisation settings and `--strict` for the snapshot's compilations.
pub fn set_options(options: nest_driver::Options, strict: bool) {
    let _ = SETTINGS.set((options, strict));
}

/// What `nestc snapshot` does with the file.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write (bless) the snapshot.
    Write,
    /// Compare; a difference fails (exit 1).
    Check,
    /// Compare and print the difference; only failing scripts fail.
    Diff,
}

/// One script's line.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    /// `ok`, `compile-error`, `reverted`, `permission-left`, `storage-written`,
    /// `dry-run-error` or `unreadable`.
    status: String,
    /// `key=value` fields, in the file's order.
    fields: Vec<(String, String)>,
}

/// A parsed snapshot: the options line (if any) and the entries by (escaped) path.
#[derive(Debug, Default, PartialEq, Eq)]
struct Snapshot {
    options: Option<String>,
    entries: BTreeMap<String, Entry>,
}

/// Runs `nestc snapshot`; returns the exit status.
pub fn run(paths: &[PathBuf], file: Option<&Path>, mode: Mode) -> u8 {
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
    let old = match old_text.as_deref().map(parse) {
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
    let text = render(&new);
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
            return Entry {
                status: "unreadable".into(),
                fields: vec![],
            };
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
            let mut codes: Vec<&str> = Vec::new();
            for d in diags.iter().filter(|d| d.is_error()) {
                if !codes.contains(&d.code) {
                    codes.push(d.code);
                }
            }
            return Entry {
                status: "compile-error".into(),
                fields: vec![("errors".into(), codes.join(","))],
            };
        }
    };
    let mut fields = vec![
        ("fingerprint".to_string(), c.artifact.fingerprint.clone()),
        ("code_size".to_string(), c.artifact.code_size.to_string()),
    ];
    let artifact = serde_json::to_value(&c.artifact).unwrap_or_default();
    let ctx = nest_devnet::RunContext::from_artifact(&artifact);
    let report = match devnet.dry_run(&c.bytes, &ctx) {
        Ok(r) => r,
        Err(e) => {
            output::error(&format!("`{name}`: dry run failed: {e}"));
            return Entry {
                status: "dry-run-error".into(),
                fields,
            };
        }
    };
    fields.push((
        "exec_gas".into(),
        (report.gas.execution + report.gas.hyvm_overhead).to_string(),
    ));
    fields.push(("calldata_gas".into(), report.gas.calldata.to_string()));
    let status = if let (false, reason) = (report.success, &report.revert) {
        let why = reason.as_ref().map_or("", |r| r.reason.as_str());
        output::error(&format!("`{name}`: the dry run reverted: {why}"));
        "reverted"
    } else if !report.allowances_left.is_empty() {
        let what: Vec<&str> = report
            .allowances_left
            .iter()
            .map(|a| a.what.as_str())
            .collect();
        output::error(&format!(
            "`{name}`: the dry run left a permission behind: {}",
            what.join("; ")
        ));
        "permission-left"
    } else if !report.vault_storage_changes.is_empty() {
        output::error(&format!(
            "`{name}`: the dry run wrote the vault's own storage ({} slot(s))",
            report.vault_storage_changes.len()
        ));
        "storage-written"
    } else {
        "ok"
    };
    Entry {
        status: status.into(),
        fields,
    }
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

/// A path as one inert ASCII token: `%` and every character but printable ASCII as `%XX`
/// (its UTF-8 bytes).
fn escape(path: &str) -> String {
    let mut out = String::new();
    for ch in path.chars() {
        if ch == '%' || !ch.is_ascii_graphic() {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// The options line recorded when the settings are not the defaults.
fn options_line(options: &nest_driver::Options, strict: bool) -> Option<String> {
    let mut flags = Vec::new();
    if options.opt_level != nest_driver::OptLevel::default() {
        flags.push(match options.opt_level {
            nest_driver::OptLevel::O0 => "-O0".to_string(),
            nest_driver::OptLevel::O1 => "-O1".to_string(),
        });
    }
    let mut disabled = options.disabled.clone();
    disabled.sort();
    disabled.dedup();
    flags.extend(disabled.iter().map(|d| format!("--disable {d}")));
    if strict {
        flags.push("--strict".into());
    }
    (!flags.is_empty()).then(|| flags.join(" "))
}

fn entry_text(e: &Entry) -> String {
    let mut s = e.status.clone();
    for (k, v) in &e.fields {
        let _ = write!(s, " {k}={v}");
    }
    s
}

/// The file's text: the header, the options line if any, then one line per script.
fn render(s: &Snapshot) -> String {
    let mut out = format!("{HEADER}\n");
    if let Some(o) = &s.options {
        let _ = writeln!(out, "# options: {o}");
    }
    for (path, e) in &s.entries {
        let _ = writeln!(out, "{path} {}", entry_text(e));
    }
    out
}

/// Reads a snapshot file back; `#` lines are comments (`# options: …` excepted).
fn parse(text: &str) -> Result<Snapshot, String> {
    let mut s = Snapshot::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if let Some(o) = line.strip_prefix("# options: ") {
            s.options = Some(o.to_string());
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut tokens = line.split(' ');
        let (Some(path), Some(status)) = (tokens.next(), tokens.next()) else {
            return Err(format!("line {}: expected `PATH STATUS key=value…`", n + 1));
        };
        let mut fields = Vec::new();
        for t in tokens {
            let Some((k, v)) = t.split_once('=') else {
                return Err(format!("line {}: `{t}` is not `key=value`", n + 1));
            };
            fields.push((k.to_string(), v.to_string()));
        }
        s.entries.insert(
            path.to_string(),
            Entry {
                status: status.to_string(),
                fields,
            },
        );
    }
    Ok(s)
}

/// The differences between two snapshots, as text for people.
struct Changes {
    text: String,
    changed: usize,
    added: usize,
    removed: usize,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn summary(&self) -> String {
        format!(
            "{} changed, {} added, {} removed",
            self.changed, self.added, self.removed
        )
    }
}

fn diff(old: &Snapshot, new: &Snapshot) -> Changes {
    let mut c = Changes {
        text: String::new(),
        changed: 0,
        added: 0,
        removed: 0,
    };
    if old.options != new.options {
        let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "(defaults)".into());
        let _ = writeln!(
            c.text,
            "options  {} → {}",
            show(&old.options),
            show(&new.options)
        );
    }
    for (path, n) in &new.entries {
        match old.entries.get(path) {
            None => {
                c.added += 1;
                let _ = writeln!(c.text, "added    {path} {}", entry_text(n));
            }
            Some(o) if o != n => {
                c.changed += 1;
                let _ = writeln!(c.text, "changed  {path}");
                if o.status != n.status {
                    let _ = writeln!(c.text, "    {:<13} {} → {}", "status", o.status, n.status);
                }
                let mut keys: Vec<&str> = o.fields.iter().map(|(k, _)| k.as_str()).collect();
                for (k, _) in &n.fields {
                    if !keys.contains(&k.as_str()) {
                        keys.push(k);
                    }
                }
                let get = |e: &'_ Entry, k: &str| {
                    e.fields
                        .iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.clone())
                };
                for k in keys {
                    let (a, b) = (get(o, k), get(n, k));
                    if a == b {
                        continue;
                    }
                    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                    let _ = write!(c.text, "    {k:<13} {} → {}", show(&a), show(&b));
                    if let (Some(Ok(x)), Some(Ok(y))) = (
                        a.as_deref().map(str::parse::<i128>),
                        b.as_deref().map(str::parse::<i128>),
                    ) {
                        let delta = y - x;
                        let _ = write!(c.text, "  ({delta:+}");
                        if x != 0 {
                            let _ = write!(c.text, ", {:+.2}%", delta as f64 * 100.0 / x as f64);
                        }
                        c.text.push(')');
                    }
                    c.text.push('\n');
                }
            }
            Some(_) => {}
        }
    }
    for (path, o) in &old.entries {
        if !new.entries.contains_key(path) {
            c.removed += 1;
            let _ = writeln!(c.text, "removed  {path} {}", entry_text(o));
        }
    }
    c
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
