//! `nestc test [PATH…]`: the tests strategy authors write next to their scripts
//! (`*.test.toml`), run on the embedded devnet.
//!
//! A test file has an optional `[scenario]` (the keys `nestc run --scenario` takes, or
//! `file = "s.toml"`), and `[[test]]`s made of `[[test.step]]`s: a script, its params, an
//! optional clock advance, and what the step must do — succeed or revert (with a reason),
//! move the vault's assets by exact amounts or within bounds, return values, spend at most
//! so much gas. That no permission is left (and no vault storage written) is always checked.
//! A test may fuzz parameters over ranges (`fuzz = { amount = ["1 USDC", "1_000 USDC"] }`):
//! each run checks the same expectations; a failure shrinks to the smallest failing value
//! and prints the seed and the value to replay it. Every test of a file starts from a copy
//! of the same deployed devnet; no run redeploys it.

mod expect;
mod fuzz;
mod positions;
mod report;
use report::{json, junit, print_human};

use crate::output::{self, INPUT_ERROR};
use alloy_primitives::I256;
use expect::{parse_spec, Spec};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Fuzz runs when a test does not say.
const DEFAULT_RUNS: usize = 64;

/// The compiler settings of this run (`-O`, `--disable`, `--strict`), set once by `main`.
static SETTINGS: std::sync::OnceLock<(nest_driver::Options, bool)> = std::sync::OnceLock::new();

/// Records the optimisation settings and `--strict` for the tests' compilations.
pub(crate) fn set_options(options: nest_driver::Options, strict: bool) {
    let _ = SETTINGS.set((options, strict));
}

/// What `nestc test` was asked for.
pub(crate) struct Args<'a> {
    pub paths: &'a [PathBuf],
    pub json: bool,
    pub junit: Option<&'a Path>,
    /// Replaces every fuzzed test's seed (to replay a failure).
    pub seed: Option<u64>,
    /// Replaces every fuzzed test's number of runs.
    pub runs: Option<usize>,
    /// Runs only the tests whose name contains this.
    pub filter: Option<&'a str>,
    pub hyvm_build: nest_hyvm::HyvmBuild,
}

// ---------------------------------------------------------------------------------------
// The file format.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    scenario: Option<toml::Table>,
    #[serde(rename = "test", default)]
    tests: Vec<RawTest>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    name: String,
    #[serde(rename = "step", default)]
    steps: Vec<RawStep>,
    fuzz: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    script: String,
    #[serde(default)]
    params: BTreeMap<String, toml::Value>,
    advance: Option<String>,
    expect: Option<toml::Value>,
    #[serde(default)]
    assets: BTreeMap<String, String>,
    returns: Option<Vec<toml::Value>>,
    max_gas: Option<u64>,
    #[serde(default)]
    positions: Vec<toml::Table>,
    health_factor: Option<toml::Table>,
}

/// What a step must do.
#[derive(Clone, Debug)]
enum Outcome {
    Success,
    /// A revert whose reason contains this (any revert when empty).
    Revert(String),
}

#[derive(Clone, Debug)]
struct Step {
    script: PathBuf,
    /// The script as the test file names it.
    shown: String,
    params: Vec<(String, String)>,
    advance: Option<u64>,
    outcome: Outcome,
    /// Symbol and expectation text (`$param` replaced when run).
    assets: Vec<(String, String)>,
    returns: Vec<String>,
    max_gas: Option<u64>,
    /// Expected position changes (amounts may hold `$param`).
    positions: Vec<positions::Expected>,
    health: positions::Health,
}

#[derive(Clone, Debug)]
struct Fuzz {
    ranges: Vec<fuzz::Range>,
    runs: usize,
    seed: u64,
}

#[derive(Clone, Debug)]
struct Test {
    name: String,
    steps: Vec<Step>,
    fuzz: Option<Fuzz>,
}

/// A loaded test file.
struct File {
    shown: String,
    scenario_text: Option<String>,
    tests: Vec<Test>,
}

/// A TOML scalar as text: strings as they are, numbers written out.
fn scalar(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Replaces `$name` with the value of parameter `name`.
fn substitute(text: &str, params: &[(String, String)]) -> String {
    let mut out = text.to_string();
    // Longest names first, so `$amount_in` is not read as `$amount` + `_in`.
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    for (n, v) in sorted {
        out = out.replace(&format!("${n}"), v);
    }
    out
}

/// Reads and checks a test file; errors name the file and the key.
fn load(path: &Path, units: expect::Units) -> Result<File, String> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    let raw: RawFile =
        toml::from_str(&text).map_err(|e| format!("`{shown}`: {}", e.to_string().trim_end()))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let scenario_text = match raw.scenario {
        None => None,
        Some(table) => match table.get("file") {
            Some(toml::Value::String(f)) if table.len() == 1 => {
                let p = dir.join(f);
                Some(std::fs::read_to_string(&p).map_err(|e| {
                    format!(
                        "`{shown}`: scenario.file: cannot read `{}`: {e}",
                        p.display()
                    )
                })?)
            }
            Some(_) => {
                return Err(format!(
                    "`{shown}`: scenario.file: a path (string), and no other key beside it"
                ))
            }
            None => Some(toml::to_string(&table).map_err(|e| format!("`{shown}`: scenario: {e}"))?),
        },
    };
    if let Some(t) = &scenario_text {
        nest_devnet::Scenario::from_toml(t).map_err(|e| format!("`{shown}`: scenario: {e}"))?;
    }
    if raw.tests.is_empty() {
        return Err(format!("`{shown}`: no [[test]] in the file"));
    }
    let mut tests = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (ti, t) in raw.tests.iter().enumerate() {
        let at = format!("`{shown}`: test {} (`{}`)", ti + 1, t.name);
        if names.contains(&t.name.as_str()) {
            return Err(format!("{at}: two tests have this name"));
        }
        names.push(&t.name);
        if t.steps.is_empty() {
            return Err(format!("{at}: no [[test.step]]"));
        }
        let mut steps = Vec::new();
        for (si, s) in t.steps.iter().enumerate() {
            let at = format!("{at}, step {}", si + 1);
            let mut params = Vec::new();
            for (k, v) in &s.params {
                let v = scalar(v).ok_or_else(|| {
                    format!("{at}: params.{k}: a value as written in source (`\"1_000 USDC\"`)")
                })?;
                params.push((k.clone(), v));
            }
            let advance = match &s.advance {
                None => None,
                Some(a) => {
                    Some(crate::duration::parse(a).map_err(|e| format!("{at}: advance: {e}"))?)
                }
            };
            let outcome = match &s.expect {
                None => Outcome::Success,
                Some(toml::Value::String(s)) if s == "success" => Outcome::Success,
                Some(toml::Value::String(s)) if s == "revert" => Outcome::Revert(String::new()),
                Some(toml::Value::Table(tb)) if tb.len() == 1 => match tb.get("revert") {
                    Some(toml::Value::String(r)) => Outcome::Revert(r.clone()),
                    _ => {
                        return Err(format!(
                            "{at}: expect: \"success\", \"revert\" or {{ revert = \"reason\" }}"
                        ))
                    }
                },
                Some(_) => {
                    return Err(format!(
                        "{at}: expect: \"success\", \"revert\" or {{ revert = \"reason\" }}"
                    ))
                }
            };
            let assets: Vec<(String, String)> = s
                .assets
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (sym, spec) in &assets {
                if units(sym).is_none() {
                    return Err(format!("{at}: assets.{sym}: no devnet token `{sym}`"));
                }
                asset_spec(sym, &substitute(spec, &params), units)
                    .map_err(|e| format!("{at}: assets.{sym}: {e}"))?;
            }
            let mut returns = Vec::new();
            for (i, r) in s.returns.iter().flatten().enumerate() {
                let r = scalar(r)
                    .ok_or_else(|| format!("{at}: returns[{i}]: an expectation such as \"> 0\""))?;
                parse_spec(&substitute(&r, &params), None, units)
                    .map_err(|e| format!("{at}: returns[{i}]: {e}"))?;
                returns.push(r);
            }
            let mut expected_positions = Vec::new();
            for (i, table) in s.positions.iter().enumerate() {
                let e = positions::parse_expected(table, units)
                    .map_err(|e| format!("{at}: positions[{i}]: {e}"))?;
                for text in [&e.delta, &e.after].into_iter().flatten() {
                    positions::amount_spec(&e.asset, &substitute(text, &params), units)
                        .map_err(|err| format!("{at}: positions[{i}]: {err}"))?;
                }
                expected_positions.push(e);
            }
            let health = match &s.health_factor {
                None => positions::Health::default(),
                Some(table) => {
                    let h = positions::parse_health(table)
                        .map_err(|e| format!("{at}: health_factor: {e}"))?;
                    for text in [&h.before, &h.after].into_iter().flatten() {
                        positions::health_spec(text)
                            .map_err(|e| format!("{at}: health_factor: {e}"))?;
                    }
                    h
                }
            };
            steps.push(Step {
                script: dir.join(&s.script),
                shown: s.script.clone(),
                params,
                advance,
                outcome,
                assets,
                returns,
                max_gas: s.max_gas,
                positions: expected_positions,
                health,
            });
        }
        let fuzz = match &t.fuzz {
            None => None,
            Some(table) => {
                let mut ranges = Vec::new();
                let mut runs = DEFAULT_RUNS;
                let mut seed = 1;
                for (k, v) in table {
                    let key = format!("{at}: fuzz.{k}");
                    match (k.as_str(), v) {
                        ("runs", toml::Value::Integer(n)) if *n > 0 => runs = *n as usize,
                        ("runs", _) => return Err(format!("{key}: a positive number of runs")),
                        ("seed", toml::Value::Integer(n)) if *n >= 0 => seed = *n as u64,
                        ("seed", _) => return Err(format!("{key}: a non-negative integer")),
                        (name, toml::Value::Array(bounds)) if bounds.len() == 2 => {
                            let (Some(lo), Some(hi)) = (scalar(&bounds[0]), scalar(&bounds[1]))
                            else {
                                return Err(format!(
                                    "{key}: two bounds, e.g. [\"1 USDC\", \"1_000 USDC\"]"
                                ));
                            };
                            if !steps
                                .iter()
                                .any(|s| s.params.iter().any(|(n, _)| n == name))
                            {
                                return Err(format!(
                                    "{key}: no step sets a parameter `{name}`: list it in the \
                                     params of the steps it goes to"
                                ));
                            }
                            ranges.push(
                                fuzz::Range::parse(name, &lo, &hi, units)
                                    .map_err(|e| format!("{key}: {e}"))?,
                            );
                        }
                        _ => {
                            return Err(format!(
                                "{key}: a range [LOW, HIGH] of a parameter, `runs` or `seed`"
                            ))
                        }
                    }
                }
                if ranges.is_empty() {
                    return Err(format!("{at}: fuzz: no parameter range"));
                }
                Some(Fuzz { ranges, runs, seed })
            }
        };
        tests.push(Test {
            name: t.name.clone(),
            steps,
            fuzz,
        });
    }
    Ok(File {
        shown,
        scenario_text,
        tests,
    })
}

/// An asset expectation; amounts without a unit are in the asset's own.
fn asset_spec(symbol: &str, text: &str, units: expect::Units) -> Result<Spec, String> {
    let spec = parse_spec(text, Some(symbol), units)?;
    if let Some((u, _)) = &spec.unit {
        if u != symbol {
            return Err(format!("`{text}` is in {u}, not {symbol}"));
        }
    }
    Ok(spec)
}

// ---------------------------------------------------------------------------------------
// Running.

/// Parameter names and values, as written in source.
type Params = Vec<(String, String)>;
/// A compiled script and what the dry run needs to name things, or why it does not compile.
type Built = Result<(Vec<u8>, nest_devnet::RunContext), String>;

/// Compiled scripts by (path, params): fuzz runs recompile only what their values change.
#[derive(Default)]
struct Cache {
    compiled: HashMap<(PathBuf, Params), Built>,
}

impl Cache {
    fn get(
        &mut self,
        script: &Path,
        params: &[(String, String)],
    ) -> Result<(Vec<u8>, nest_devnet::RunContext), String> {
        let key = (script.to_path_buf(), params.to_vec());
        if let Some(c) = self.compiled.get(&key) {
            return c.clone();
        }
        let c = compile(script, params);
        self.compiled.insert(key, c.clone());
        c
    }
}

fn compile(
    script: &Path,
    params: &[(String, String)],
) -> Result<(Vec<u8>, nest_devnet::RunContext), String> {
    let name = script.to_string_lossy().replace('\\', "/");
    let text = crate::fs_resolver::read_script(script)
        .map_err(|e| format!("cannot read `{name}`: {e}"))?;
    let (options, strict) = SETTINGS.get().cloned().unwrap_or_default();
    let resolver = crate::fs_resolver::FsResolver::default();
    let req = nest_driver::CompileRequest {
        name: &name,
        text: &text,
        resolver: &resolver,
        params,
    };
    let diags = match nest_driver::compile_with(&req, &options) {
        Ok(mut c) => {
            if strict && nest_driver::deny_unclassified(&mut c.warnings) {
                c.warnings
            } else {
                return Ok((c.bytes, nest_devnet::RunContext::from(&c.artifact)));
            }
        }
        Err(f) => f.diagnostics,
    };
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    Err(format!("does not compile: {}", errors.join("; ")))
}

/// Runs a test once with `values` replacing its fuzzed parameters; what went wrong.
fn run_once(
    base: &nest_devnet::Devnet,
    test: &Test,
    values: &[(String, String)],
    cache: &mut Cache,
    units: expect::Units,
) -> Vec<String> {
    let mut failures = Vec::new();
    let single = test.steps.len() == 1 && test.steps[0].advance.is_none();
    let mut devnet = if single { None } else { Some(base.clone()) };
    for (i, step) in test.steps.iter().enumerate() {
        let at = format!("step {} ({})", i + 1, step.shown);
        let params: Vec<(String, String)> = step
            .params
            .iter()
            .map(|(n, v)| {
                let v = values
                    .iter()
                    .find(|(vn, _)| vn == n)
                    .map_or(v.clone(), |(_, fv)| fv.clone());
                (n.clone(), v)
            })
            .collect();
        let (payload, ctx) = match cache.get(&step.script, &params) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{at}: {e}"));
                return failures;
            }
        };
        let report = match devnet.as_mut() {
            None => base.dry_run(&payload, &ctx),
            Some(d) => {
                if let Some(s) = step.advance {
                    d.advance(s, crate::duration::blocks(s));
                }
                d.run_and_commit(&payload, &ctx)
            }
        };
        let report = match report {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{at}: the dry run failed: {e}"));
                return failures;
            }
        };
        let before = failures.len();
        check_step(step, &params, &report, units, &at, &mut failures);
        if failures.len() > before && i + 1 < test.steps.len() {
            failures.push(format!(
                "(steps after step {} not run: a failed step leaves no state worth testing)",
                i + 1
            ));
            return failures;
        }
    }
    failures
}

/// Compares a step's report with its expectations.
fn check_step(
    step: &Step,
    params: &[(String, String)],
    report: &nest_devnet::Report,
    units: expect::Units,
    at: &str,
    failures: &mut Vec<String>,
) {
    let reason = report.revert.as_ref().map(|r| {
        let mut s = r.reason.clone();
        if let Some(loc) = &r.location {
            let _ = write!(s, " (at {loc})");
        }
        s
    });
    match (&step.outcome, report.success) {
        (Outcome::Success, true) => {}
        (Outcome::Success, false) => failures.push(format!(
            "{at}: expected success, got a revert: {}",
            reason.as_deref().unwrap_or("(no reason)")
        )),
        (Outcome::Revert(want), true) => failures.push(format!(
            "{at}: expected a revert{}, got success",
            if want.is_empty() {
                String::new()
            } else {
                format!(" with \"{want}\"")
            }
        )),
        (Outcome::Revert(want), false) => {
            let got = report
                .revert
                .as_ref()
                .map(|r| r.reason.as_str())
                .unwrap_or("");
            if !got.contains(want.as_str()) {
                failures.push(format!(
                    "{at}: expected a revert with \"{want}\", got a revert: {}",
                    reason.as_deref().unwrap_or("(no reason)")
                ));
            }
        }
    }
    for (symbol, text) in &step.assets {
        let text = substitute(text, params);
        let spec = match asset_spec(symbol, &text, units) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{at}: assets.{symbol}: {e}"));
                continue;
            }
        };
        let got = report
            .asset_changes
            .iter()
            .filter(|c| c.symbol == *symbol && c.token_id.is_none())
            .filter_map(|c| I256::from_dec_str(&c.delta).ok())
            .fold(I256::ZERO, |a, b| a.saturating_add(b));
        if !spec.holds(got) {
            failures.push(format!(
                "{at}: asset {symbol}: expected {}, got {}",
                spec.describe(),
                spec.show(got)
            ));
        }
    }
    if !step.returns.is_empty() {
        let values = report.return_values.clone().unwrap_or_default();
        for (i, text) in step.returns.iter().enumerate() {
            let text = substitute(text, params);
            let spec = match parse_spec(&text, None, units) {
                Ok(s) => s,
                Err(e) => {
                    failures.push(format!("{at}: returns[{i}]: {e}"));
                    continue;
                }
            };
            let got = values.get(i);
            let number = got
                .and_then(|v| v.as_str())
                .and_then(|s| I256::from_dec_str(s).ok());
            match number {
                Some(n) if spec.holds(n) => {}
                Some(n) => failures.push(format!(
                    "{at}: return value {}: expected {}, got {}",
                    i + 1,
                    spec.describe(),
                    spec.show(n)
                )),
                None => failures.push(format!(
                    "{at}: return value {}: expected {}, got {}",
                    i + 1,
                    spec.describe(),
                    got.map_or("nothing".to_string(), |v| v.to_string())
                )),
            }
        }
    }
    if !step.positions.is_empty() || step.health.before.is_some() || step.health.after.is_some() {
        let expected: Vec<positions::Expected> = step
            .positions
            .iter()
            .map(|e| positions::Expected {
                delta: e.delta.as_ref().map(|t| substitute(t, params)),
                after: e.after.as_ref().map(|t| substitute(t, params)),
                ..e.clone()
            })
            .collect();
        let seen: Vec<positions::Seen> = report
            .position_changes
            .iter()
            .map(positions::Seen::from)
            .collect();
        positions::check(&seen, &expected, &step.health, units, at, failures);
    }
    if let Some(max) = step.max_gas {
        if report.gas.total > max {
            failures.push(format!(
                "{at}: gas: expected at most {max}, got {}",
                report.gas.total
            ));
        }
    }
    for a in &report.allowances_left {
        failures.push(format!("{at}: a permission is left: {}", a.what));
    }
    for s in &report.vault_storage_changes {
        failures.push(format!(
            "{at}: the vault's storage is written: slot {} ({} → {})",
            s.slot, s.before, s.after
        ));
    }
}

/// A test's result.
struct Outcomes {
    file: String,
    name: String,
    failures: Vec<String>,
    seconds: f64,
    /// Fuzz: runs done, seed, and on failure the run, its values and the shrunk values.
    fuzz: Option<FuzzResult>,
}

struct FuzzResult {
    runs: usize,
    seed: u64,
    failed: Option<(usize, Params, Params)>,
}

fn run_test(
    base: &nest_devnet::Devnet,
    file: &str,
    test: &Test,
    args: &Args<'_>,
    units: expect::Units,
) -> Outcomes {
    let start = Instant::now();
    let mut cache = Cache::default();
    let mut fuzz_result = None;
    let failures = match &test.fuzz {
        None => run_once(base, test, &[], &mut cache, units),
        Some(f) => {
            let runs = args.runs.unwrap_or(f.runs);
            let seed = args.seed.unwrap_or(f.seed);
            let named = |vals: &[u128]| -> Vec<(String, String)> {
                f.ranges
                    .iter()
                    .zip(vals)
                    .map(|(r, v)| (r.name.clone(), r.text(*v)))
                    .collect()
            };
            let mut result = FuzzResult {
                runs,
                seed,
                failed: None,
            };
            let mut failures = Vec::new();
            for (i, vals) in fuzz::plan(&f.ranges, runs, seed).into_iter().enumerate() {
                if run_once(base, test, &named(&vals), &mut cache, units).is_empty() {
                    continue;
                }
                // Shrink each parameter in turn toward its lower bound.
                let mut shrunk = vals.clone();
                for (j, r) in f.ranges.iter().enumerate() {
                    let found = fuzz::shrink(r.lo, shrunk[j], |x| {
                        let mut t = shrunk.clone();
                        t[j] = x;
                        !run_once(base, test, &named(&t), &mut cache, units).is_empty()
                    });
                    shrunk[j] = found;
                }
                failures = run_once(base, test, &named(&shrunk), &mut cache, units);
                result.runs = i + 1;
                result.failed = Some((i + 1, named(&vals), named(&shrunk)));
                break;
            }
            fuzz_result = Some(result);
            failures
        }
    };
    Outcomes {
        file: file.to_string(),
        name: test.name.clone(),
        failures,
        seconds: start.elapsed().as_secs_f64(),
        fuzz: fuzz_result,
    }
}

/// The test files among `paths`: `*.test.toml` files, directories searched recursively.
fn find_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    walk(&p, out)?;
                }
            } else if name.ends_with(".test.toml") {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(format!("`{}` does not exist", p.display()));
        }
    }
    Ok(out)
}

/// Runs `nestc test`; returns the exit status.
pub(crate) fn run(args: &Args<'_>) -> u8 {
    let start = Instant::now();
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.to_vec()
    };
    let files = match find_files(&paths) {
        Ok(f) => f,
        Err(e) => return output::usage(&e),
    };
    if files.is_empty() {
        return output::usage("no test files (`*.test.toml`) found");
    }
    // Devnets by scenario text: files on the same scenario share one deployment.
    let mut devnets: HashMap<Option<String>, nest_devnet::Devnet> = HashMap::new();
    let mut results: Vec<Outcomes> = Vec::new();
    let mut file_errors: Vec<(String, String)> = Vec::new();
    for path in &files {
        let shown = path.to_string_lossy().replace('\\', "/");
        // Units come from the default devnet's tokens (every scenario has the same tokens).
        let default = match devnet_for(&mut devnets, None, args) {
            Ok(d) => d.clone(),
            Err(e) => {
                output::error(&e);
                return INPUT_ERROR;
            }
        };
        let tokens: Vec<(String, u8)> = default
            .world()
            .layout
            .tokens
            .iter()
            .map(|t| (t.symbol.to_string(), t.decimals))
            .chain(std::iter::once(("ETH".to_string(), 18)))
            .collect();
        let units = |u: &str| tokens.iter().find(|(s, _)| s == u).map(|(_, d)| *d);
        let file = match load(path, &units) {
            Ok(f) => f,
            Err(e) => {
                file_errors.push((shown, e));
                continue;
            }
        };
        let base = match devnet_for(&mut devnets, file.scenario_text.clone(), args) {
            Ok(d) => d.clone(),
            Err(e) => {
                file_errors.push((shown, e));
                continue;
            }
        };
        for test in &file.tests {
            if args.filter.is_some_and(|f| !test.name.contains(f)) {
                continue;
            }
            let r = run_test(&base, &file.shown, test, args, &units);
            if !args.json {
                print_human(&r, test);
            }
            results.push(r);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let passed = results.iter().filter(|r| r.failures.is_empty()).count();
    let failed = results.len() - passed;
    for (f, e) in &file_errors {
        if !args.json {
            println!("✗ {}", output::inert(f));
        }
        output::error(e);
    }
    if args.json {
        println!("{}", json(&results, &file_errors, seconds));
    } else {
        println!(
            "{passed} passed, {failed} failed{} in {seconds:.2}s",
            if file_errors.is_empty() {
                String::new()
            } else {
                format!(", {} file(s) unreadable", file_errors.len())
            }
        );
    }
    if let Some(j) = args.junit {
        if let Err(e) = std::fs::write(j, junit(&results, &file_errors, seconds)) {
            return output::usage(&format!("cannot write `{}`: {e}", j.display()));
        }
    }
    if failed == 0 && file_errors.is_empty() {
        0
    } else {
        INPUT_ERROR
    }
}

fn devnet_for<'a>(
    devnets: &'a mut HashMap<Option<String>, nest_devnet::Devnet>,
    scenario: Option<String>,
    args: &Args<'_>,
) -> Result<&'a nest_devnet::Devnet, String> {
    if !devnets.contains_key(&scenario) {
        let s = match &scenario {
            Some(t) => nest_devnet::Scenario::from_toml(t).map_err(|e| format!("scenario: {e}"))?,
            None => nest_devnet::Scenario::default(),
        };
        let mut d =
            nest_devnet::Devnet::new(&s).map_err(|e| format!("cannot start the devnet: {e}"))?;
        d.set_hyvm_build(args.hyvm_build);
        devnets.insert(scenario.clone(), d);
    }
    devnets
        .get(&scenario)
        .ok_or_else(|| "the devnet is missing".to_string())
}

// ---------------------------------------------------------------------------------------
// Output.
