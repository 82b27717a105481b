//! `snapshot`: `nestc snapshot` on scripts held in memory. Each script is compiled with its
//! default parameters and dry-run once on the default scenario; the lines, the file's text
//! and the diff against a previous snapshot are `nest_devnet::snapshot`'s, as `nestc`'s are.

use std::collections::BTreeMap;

use nest_devnet::snapshot::{diff, escape, options_line, Entry, Snapshot};
use nest_devnet::{Devnet, RunContext, Scenario};
use nest_driver::{CompileRequest, MemoryResolver};
use serde::Deserialize;
use serde_json::json;

use crate::api::UsageError;

/// The options of `snapshot`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SnapshotOptions {
    /// The previous snapshot file's text, to compare with.
    previous: Option<String>,
    /// `false` or `0`: `-O0`.
    optimize: Option<serde_json::Value>,
    /// `--disable NAME`.
    disable: Vec<String>,
    /// `--strict`.
    strict: bool,
}

/// `scripts` is a JSON object, path (relative to the snapshot file, `/` separators) →
/// text. Returns `{text, ok, failing, changed, diff, summary, messages}`: the file's text,
/// whether every script passed, the failing ones (`path (status)`), whether it differs from
/// `previous` (when given), the difference for people and one line per problem.
pub fn snapshot(scripts: &str, options: &str) -> Result<String, UsageError> {
    let scripts: BTreeMap<String, String> = serde_json::from_str(scripts)
        .map_err(|e| UsageError(format!("scripts: expected {{path: text}}: {e}")))?;
    let opts: SnapshotOptions = if options.trim().is_empty() || options.trim() == "null" {
        SnapshotOptions::default()
    } else {
        serde_json::from_str(options).map_err(|e| UsageError(format!("invalid options: {e}")))?
    };
    let o0 = match &opts.optimize {
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Bool(true)) => false,
        Some(serde_json::Value::Bool(false)) => true,
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(0) => true,
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(1) => false,
        Some(other) => {
            return Err(UsageError(format!(
                "`optimize` is true, false, 0 or 1, not {other}"
            )))
        }
    };
    let known = nest_driver::optimisation_names();
    if let Some(bad) = opts.disable.iter().find(|d| !known.contains(&d.as_str())) {
        return Err(UsageError(format!("unknown optimisation `{bad}`")));
    }
    let driver_options = nest_driver::Options {
        opt_level: if o0 {
            nest_driver::OptLevel::O0
        } else {
            nest_driver::OptLevel::O1
        },
        disabled: opts.disable.clone(),
    };
    let devnet = Devnet::new(&Scenario::default())
        .map_err(|e| UsageError(format!("cannot start the devnet: {e}")))?;
    // Scripts may import one another.
    let mut resolver = MemoryResolver::new();
    for (path, text) in &scripts {
        resolver.add(path.clone(), text.clone());
    }
    let mut new = Snapshot {
        options: options_line(o0, &opts.disable, opts.strict),
        entries: BTreeMap::new(),
    };
    let mut failing = Vec::new();
    let mut messages = Vec::new();
    for (path, text) in &scripts {
        let key = escape(path);
        let req = CompileRequest {
            name: path,
            text,
            resolver: &resolver,
            params: &[],
        };
        let errors = |diags: &[nest_diagnostics::Diagnostic]| {
            let codes: Vec<&str> = diags
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.code)
                .collect();
            Entry::compile_error(codes)
        };
        let entry = match nest_driver::compile_with(&req, &driver_options) {
            Ok(mut c) => {
                if opts.strict && nest_driver::deny_unclassified(&mut c.warnings) {
                    errors(&c.warnings)
                } else {
                    let ctx = RunContext::from(&c.artifact);
                    let run = devnet.dry_run(&c.bytes, &ctx).map_err(|e| e.to_string());
                    let (entry, trouble) = Entry::of_run(
                        &c.artifact.fingerprint,
                        c.artifact.code_size,
                        run.as_ref().map_err(Clone::clone),
                    );
                    messages.extend(trouble.map(|why| format!("`{path}`: {why}")));
                    entry
                }
            }
            Err(f) => errors(&f.diagnostics),
        };
        if entry.status != "ok" {
            failing.push(format!("{key} ({})", entry.status));
        }
        new.entries.insert(key, entry);
    }
    let old = match &opts.previous {
        Some(text) => Some(
            Snapshot::parse(text)
                .map_err(|e| UsageError(format!("`previous` is not a snapshot: {e}")))?,
        ),
        None => None,
    };
    let changes = old.as_ref().map(|o| diff(o, &new));
    Ok(json!({
        "text": new.render(),
        "ok": failing.is_empty(),
        "failing": failing,
        "changed": changes.as_ref().map(|c| !c.is_empty()),
        "diff": changes.as_ref().map(|c| c.text.clone()),
        "summary": changes.as_ref().map(|c| c.summary()),
        "messages": messages,
    })
    .to_string())
}
