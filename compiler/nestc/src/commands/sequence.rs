//! `nestc run a.ns b.ns …`: scripts run one after another on one devnet, each step with
//! its own parameters and an optional advance of the clock.

use super::*;

/// A sequence of scripts for `nestc run a.ns b.ns …`: the files in order, the raw
/// `--param`s (`NAME=VALUE` for every script that declares NAME, `FILE:NAME=VALUE` for one
/// script) and the raw `--advance`s (`DURATION` before every step after the first,
/// `FILE:DURATION` before that script's step).
pub(crate) struct Sequence<'a> {
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
pub(crate) fn run_sequence(
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
        let seconds = match crate::duration::parse(rest) {
            Ok(0) => {
                return output::usage(&format!(
                    "`--advance {rest}`: advance the clock by at least 1s"
                ))
            }
            Ok(s) if s <= 10 * 365 * 86_400 => s,
            Ok(_) => return output::usage(&format!("`--advance {rest}`: at most ten years")),
            Err(e) => return output::usage(&format!("--advance: {e}")),
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
        payloads.push((c.bytes, nest_devnet::RunContext::from(&c.artifact)));
    }
    let scenario = match load_scenario(scenario) {
        Ok(s) => s,
        Err(code) => return code,
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
            devnet.advance(seconds, crate::duration::blocks(seconds));
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
