//! The bytecode snapshot's file format (`nestc snapshot`, and `snapshot` in the npm
//! package): one line per script, sorted by path, with its status and `key=value` fields
//! (fingerprint, code size, HyVM execution gas and calldata gas of its default dry run).
//!
//! ```text
//! # nestc snapshot: PATH STATUS fingerprint= code_size= exec_gas= calldata_gas= …
//! swap.ns ok fingerprint=0x… code_size=298 exec_gas=118034 calldata_gas=5148
//! broken.ns compile-error errors=E0301
//! ```
//!
//! Here are the lines, the file's text, reading it back and the differences between two
//! snapshots; finding scripts, compiling them and writing the file are the caller's.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::types::Report;

/// The first line of every snapshot file.
pub const HEADER: &str =
    "# nestc snapshot: PATH STATUS fingerprint= code_size= exec_gas= calldata_gas= \
                      (default params, default scenario); regenerate with `nestc snapshot`";

/// One script's line (after its path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// `ok`, `compile-error`, `reverted`, `permission-left`, `storage-written`,
    /// `dry-run-error` or `unreadable`.
    pub status: String,
    /// `key=value` fields, in the file's order.
    pub fields: Vec<(String, String)>,
}

impl Entry {
    /// A script that could not be read.
    pub fn unreadable() -> Entry {
        Entry {
            status: "unreadable".into(),
            fields: vec![],
        }
    }

    /// A script that does not compile: its error codes, each once, in order.
    pub fn compile_error<'a>(codes: impl IntoIterator<Item = &'a str>) -> Entry {
        let mut seen: Vec<&str> = Vec::new();
        for c in codes {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
        Entry {
            status: "compile-error".into(),
            fields: vec![("errors".into(), seen.join(","))],
        }
    }

    /// A compiled script's line from its dry run (`Err`: why the run could not be carried
    /// out), and what went wrong for people when the status is not `ok`.
    pub fn of_run(
        fingerprint: &str,
        code_size: usize,
        run: Result<&Report, String>,
    ) -> (Entry, Option<String>) {
        let mut fields = vec![
            ("fingerprint".to_string(), fingerprint.to_string()),
            ("code_size".to_string(), code_size.to_string()),
        ];
        let report = match run {
            Ok(r) => r,
            Err(e) => {
                let entry = Entry {
                    status: "dry-run-error".into(),
                    fields,
                };
                return (entry, Some(format!("dry run failed: {e}")));
            }
        };
        fields.push((
            "exec_gas".into(),
            (report.gas.execution + report.gas.hyvm_overhead).to_string(),
        ));
        fields.push(("calldata_gas".into(), report.gas.calldata.to_string()));
        let (status, message) = if !report.success {
            let why = report.revert.as_ref().map_or("", |r| r.reason.as_str());
            ("reverted", Some(format!("the dry run reverted: {why}")))
        } else if !report.allowances_left.is_empty() {
            let what: Vec<&str> = report
                .allowances_left
                .iter()
                .map(|a| a.what.as_str())
                .collect();
            (
                "permission-left",
                Some(format!(
                    "the dry run left a permission behind: {}",
                    what.join("; ")
                )),
            )
        } else if !report.vault_storage_changes.is_empty() {
            (
                "storage-written",
                Some(format!(
                    "the dry run wrote the vault's own storage ({} slot(s))",
                    report.vault_storage_changes.len()
                )),
            )
        } else {
            ("ok", None)
        };
        let entry = Entry {
            status: status.into(),
            fields,
        };
        (entry, message)
    }

    /// The line after the path: `STATUS key=value …`.
    pub fn text(&self) -> String {
        let mut s = self.status.clone();
        for (k, v) in &self.fields {
            let _ = write!(s, " {k}={v}");
        }
        s
    }
}

/// A snapshot: the options line (if any) and the entries by (escaped) path.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The non-default compiler settings (`-O0 --disable x --strict`), if any.
    pub options: Option<String>,
    /// Every script's entry, by path.
    pub entries: BTreeMap<String, Entry>,
}

impl Snapshot {
    /// The file's text: the header, the options line if any, then one line per script.
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\n");
        if let Some(o) = &self.options {
            let _ = writeln!(out, "# options: {o}");
        }
        for (path, e) in &self.entries {
            let _ = writeln!(out, "{path} {}", e.text());
        }
        out
    }

    /// Reads a snapshot file back; `#` lines are comments (`# options: …` excepted).
    pub fn parse(text: &str) -> Result<Snapshot, String> {
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
}

/// The options line recorded when the compiler settings are not the defaults: `-O0`, each
/// `--disable NAME` (sorted, once), `--strict`; `None` for the defaults.
pub fn options_line(o0: bool, disabled: &[String], strict: bool) -> Option<String> {
    let mut flags = Vec::new();
    if o0 {
        flags.push("-O0".to_string());
    }
    let mut disabled = disabled.to_vec();
    disabled.sort();
    disabled.dedup();
    flags.extend(disabled.iter().map(|d| format!("--disable {d}")));
    if strict {
        flags.push("--strict".into());
    }
    (!flags.is_empty()).then(|| flags.join(" "))
}

/// A path as one inert ASCII token: `%` and every character but printable ASCII as `%XX`
/// (its UTF-8 bytes).
pub fn escape(path: &str) -> String {
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

/// The differences between two snapshots, as text for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// One block per change (empty when nothing changed).
    pub text: String,
    /// Scripts whose line changed.
    pub changed: usize,
    /// Scripts only in the new snapshot.
    pub added: usize,
    /// Scripts only in the old one.
    pub removed: usize,
}

impl Changes {
    /// Whether the snapshots are the same.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// `N changed, N added, N removed`.
    pub fn summary(&self) -> String {
        format!(
            "{} changed, {} added, {} removed",
            self.changed, self.added, self.removed
        )
    }
}

/// What changed from `old` to `new`: added and removed scripts, and for a changed one each
/// field that differs (numbers with their difference and percentage).
pub fn diff(old: &Snapshot, new: &Snapshot) -> Changes {
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
                let _ = writeln!(c.text, "added    {path} {}", n.text());
            }
            Some(o) if o != n => {
                c.changed += 1;
                let _ = writeln!(c.text, "changed  {path}");
                field_changes(&mut c.text, o, n);
            }
            Some(_) => {}
        }
    }
    for (path, o) in &old.entries {
        if !new.entries.contains_key(path) {
            c.removed += 1;
            let _ = writeln!(c.text, "removed  {path} {}", o.text());
        }
    }
    c
}

fn field_changes(text: &mut String, o: &Entry, n: &Entry) {
    if o.status != n.status {
        let _ = writeln!(text, "    {:<13} {} → {}", "status", o.status, n.status);
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
        let _ = write!(text, "    {k:<13} {} → {}", show(&a), show(&b));
        if let (Some(Ok(x)), Some(Ok(y))) = (
            a.as_deref().map(str::parse::<i128>),
            b.as_deref().map(str::parse::<i128>),
        ) {
            let delta = y - x;
            let _ = write!(text, "  ({delta:+}");
            if x != 0 {
                let _ = write!(text, ", {:+.2}%", delta as f64 * 100.0 / x as f64);
            }
            text.push(')');
        }
        text.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(status: &str, fields: &[(&str, &str)]) -> Entry {
        Entry {
            status: status.into(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_rendered_snapshot_parses_back_to_itself() {
        let mut s = Snapshot {
            options: Some("-O0 --strict".into()),
            ..Snapshot::default()
        };
        s.entries.insert(
            "b.ns".into(),
            entry("ok", &[("code_size", "12"), ("exec_gas", "900")]),
        );
        s.entries.insert(
            "a.ns".into(),
            Entry::compile_error(["E0301", "E0302", "E0301"]),
        );
        let text = s.render();
        assert!(text.starts_with(HEADER));
        assert!(text.contains("\na.ns compile-error errors=E0301,E0302\nb.ns ok"));
        assert_eq!(Snapshot::parse(&text), Ok(s));
        assert!(Snapshot::parse("x.ns ok size").is_err());
    }

    #[test]
    fn the_diff_names_each_changed_field_with_its_delta() {
        let mut old = Snapshot::default();
        old.entries
            .insert("a.ns".into(), entry("ok", &[("exec_gas", "1000")]));
        old.entries.insert("gone.ns".into(), entry("ok", &[]));
        let mut new = Snapshot::default();
        new.entries
            .insert("a.ns".into(), entry("ok", &[("exec_gas", "1100")]));
        new.entries.insert("new.ns".into(), entry("reverted", &[]));
        let c = diff(&old, &new);
        assert_eq!(c.summary(), "1 changed, 1 added, 1 removed");
        assert!(
            c.text
                .contains("exec_gas      1000 → 1100  (+100, +10.00%)"),
            "{}",
            c.text
        );
        assert!(c.text.contains("added    new.ns reverted"));
        assert!(c.text.contains("removed  gone.ns ok"));
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn paths_are_escaped_to_one_ascii_token() {
        assert_eq!(escape("a b%é.ns"), "a%20b%25%C3%A9.ns");
    }
}
