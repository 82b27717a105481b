//! Whole-pipeline compile time, in-process: every example, a realistic 200-line
//! strategy made of example scripts, and dense generated scripts of 200, 1,000 and
//! 10,000 lines (parse, check, lower, passes, codegen, assembly, safety check,
//! fingerprint). Prints the median µs per compile and µs per line, then the split by
//! stage of the 200-line cases. Run with `cargo bench -p nest-driver --bench compile`;
//! `cargo test --benches` runs it once quickly as a smoke test.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nest_driver::{compile, CompileRequest, MemoryResolver};

/// A strategy of about `lines` lines: an interface, `let`s with interface calls and
/// checked arithmetic, compound assignments, `if` blocks with `require`, and a helper
/// function every 50 statements.
fn generated_script(lines: usize) -> String {
    let mut out = String::from(
        "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}\n\
         param amount: USDC = 1_000 USDC\n\
         let mut total = 0 WETH\n",
    );
    let mut count = out.lines().count();
    let mut i = 0;
    while count + 2 < lines {
        if i % 50 == 49 {
            out.push_str(&format!(
                "fn scaled{i}(x: WETH) -> WETH {{\n    return x * {i} / 100\n}}\ntotal += scaled{i}(total)\n"
            ));
            count += 4;
        }
        out.push_str(&format!(
            "let q{i} = UNISWAP_V2_ROUTER.getAmountsOut(amount + {i} USDC, [USDC, WETH])[1]\n"
        ));
        out.push_str(&format!("total += q{i} / ({i} + 1)\n"));
        out.push_str(&format!(
            "if total > {i} WETH {{ require(q{i} > 0, \"zero quote {i}\") }}\n"
        ));
        count += 3;
        i += 1;
    }
    out.push_str("return total\n");
    out
}

/// A realistic strategy of at least `lines` lines: whole example scripts one after
/// another, with their doc comments and blank lines, `use`s merged, every name they
/// declare suffixed with the example's number, and each final `return` kept as a
/// `let` (only the last example returns).
fn concatenated_examples(examples: &[(String, String)], lines: usize) -> String {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut bodies: Vec<String> = Vec::new();
    let mut count = 0;
    for (k, (_, text)) in examples.iter().enumerate() {
        if count >= lines {
            break;
        }
        let declared = declared_names(text);
        let mut body = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("use ") {
                let (module, names) = match rest.split_once("::{") {
                    Some((m, n)) => (m.to_string(), n.trim_end_matches('}').to_string()),
                    None => match rest.rsplit_once("::") {
                        Some((m, n)) => (m.to_string(), n.to_string()),
                        None => continue,
                    },
                };
                let entry = uses.entry(module).or_default();
                entry.extend(names.split(',').map(|n| n.trim().to_string()));
                continue;
            }
            let line = line.replace("//!", "//");
            let line = match line.strip_prefix("return ") {
                Some(values) => format!("let returned = ({values})"),
                None => line,
            };
            body.push_str(&suffix_names(&line, &declared, k));
            body.push('\n');
        }
        count += body.lines().count();
        bodies.push(body);
    }
    let mut out = String::new();
    for (module, names) in &uses {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        out.push_str(&format!("use {module}::{{{}}}\n", names.join(", ")));
    }
    for body in &bodies {
        out.push_str(body);
    }
    let last = bodies.len().saturating_sub(1);
    out.push_str(&format!("return returned_{last}\n"));
    out
}

/// The names a script declares: parameters, constants, locals, loop variables,
/// functions and their parameters, interfaces and tokens.
fn declared_names(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::from(["returned".to_string()]);
    let code: Vec<&str> = text
        .lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect();
    let code = code.join("\n");
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let keyword = matches!(
            pair[0],
            "param" | "const" | "let" | "mut" | "for" | "fn" | "interface" | "token"
        );
        if keyword && pair[1] != "mut" {
            names.insert(pair[1].to_string());
        }
    }
    for line in text.lines().filter(|l| l.starts_with("fn ")) {
        let params = line.split_once('(').map_or("", |(_, p)| p);
        for part in params.split(',') {
            if let Some((name, _)) = part.split_once(':') {
                names.insert(name.trim().to_string());
            }
        }
    }
    names
}

/// `line` with every declared name suffixed `_k`, except after `.` (a field or
/// member) and after `function ` (an interface member).
fn suffix_names(line: &str, declared: &BTreeSet<String>, k: usize) -> String {
    if line.trim_start().starts_with("//") {
        return line.to_string();
    }
    let mut out = String::new();
    let mut word = String::new();
    let mut in_string = false;
    let flush = |word: &mut String, out: &mut String| {
        let member = (out.ends_with('.') && !out.ends_with("..")) || out.ends_with("function ");
        out.push_str(word);
        if !member && declared.contains(word.as_str()) {
            out.push_str(&format!("_{k}"));
        }
        word.clear();
    };
    for c in line.chars() {
        if !in_string && (c.is_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if c == '"' {
            in_string = !in_string;
        }
        out.push(c);
    }
    flush(&mut word, &mut out);
    out
}

/// The median wall time of compiling `text`, over enough runs to take about `budget`.
fn median_compile_time(name: &str, text: &str, budget: Duration) -> Duration {
    let resolver = MemoryResolver::new();
    let req = CompileRequest {
        name,
        text,
        resolver: &resolver,
        params: &[],
    };
    let start = Instant::now();
    let mut times = Vec::new();
    while times.len() < 3 || (start.elapsed() < budget && times.len() < 1000) {
        let t = Instant::now();
        let out = compile(&req);
        times.push(t.elapsed());
        if let Err(failed) = &out {
            panic!("{name} does not compile:\n{failed}");
        }
        std::hint::black_box(out.ok());
    }
    times.sort();
    times[times.len() / 2]
}

/// Prints one row and returns the median time.
fn report(name: &str, text: &str, budget: Duration) -> Duration {
    let lines = text.lines().count().max(1);
    let median = median_compile_time(name, text, budget);
    let micros = median.as_secs_f64() * 1e6;
    println!(
        "{name:<36} {lines:>6} lines {micros:>10.1} µs {:>8.2} µs/line",
        micros / lines as f64
    );
    median
}

fn ns_files(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ns"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}

/// Prints the median time of each stage of compiling `text`, as the driver runs them.
fn stage_split(name: &str, text: &str, budget: Duration) {
    let resolver = MemoryResolver::new();
    let mut times: BTreeMap<usize, (&str, Vec<Duration>)> = BTreeMap::new();
    let mut record = |i: usize, stage: &'static str, t: Instant| {
        times
            .entry(i)
            .or_insert((stage, Vec::new()))
            .1
            .push(t.elapsed());
    };
    let start = Instant::now();
    let mut runs = 0;
    while runs < 3 || (start.elapsed() < budget && runs < 1000) {
        runs += 1;
        let t = Instant::now();
        let parsed = nest_syntax::parse(nest_diagnostics::FileId(0), text);
        record(0, "parse (the script alone)", t);
        std::hint::black_box(parsed);
        let t = Instant::now();
        let checked = nest_check::check(&nest_check::CheckInput {
            name,
            text,
            resolver: &resolver,
            params: &[],
            require_params: true,
            index: false,
        });
        record(1, "load + parse + check", t);
        let Some(program) = checked.program else {
            panic!("{name} does not check");
        };
        let t = Instant::now();
        let lowered = nest_lower::lower(&program, &checked.sources);
        record(2, "lower", t);
        let Ok(mut ir) = lowered else {
            panic!("{name} does not lower");
        };
        let t = Instant::now();
        let passed = nest_passes::run_with(&mut ir, &nest_passes::PassOptions::optimised());
        record(3, "passes + verifier", t);
        assert!(passed.is_ok(), "{name}: a pass failed");
        let t = Instant::now();
        let asm = nest_codegen::generate_with(&ir, &nest_codegen::Options::optimised());
        record(4, "codegen", t);
        let Ok(asm) = asm else {
            panic!("{name} does not generate");
        };
        let t = Instant::now();
        let assembled = nest_evm::assemble(&asm);
        record(5, "assemble", t);
        let Ok(assembled) = assembled else {
            panic!("{name} does not assemble");
        };
        let t = Instant::now();
        let safe = nest_evm::check(&assembled.bytes, assembled.code_len);
        record(6, "safety check", t);
        assert!(safe.is_ok(), "{name}: unsafe code");
        let req = CompileRequest {
            name,
            text,
            resolver: &resolver,
            params: &[],
        };
        let t = Instant::now();
        let compiled = compile(&req);
        record(7, "whole compile", t);
        std::hint::black_box(compiled.ok());
    }
    print_stages(name, times);
}

/// Prints each stage's median, and what the whole compile spends beyond the stages.
fn print_stages(name: &str, times: BTreeMap<usize, (&str, Vec<Duration>)>) {
    println!("{name}: stages (median µs)");
    let mut sum = Duration::ZERO;
    for (i, (stage, mut ts)) in times {
        ts.sort();
        let median = ts[ts.len() / 2];
        if i == 7 {
            let rest = median.saturating_sub(sum);
            println!(
                "    {:<32} {:>10.1}",
                "the rest (fingerprint, artifact)",
                rest.as_secs_f64() * 1e6
            );
        } else if i > 0 {
            sum += median;
        }
        println!("    {stage:<32} {:>10.1}", median.as_secs_f64() * 1e6);
    }
}

fn main() {
    // Compile where `nestc` and `nestc lsp` compile: on a thread with a 256 MiB stack, so
    // the front end needs no stack of its own (see `nest_syntax::with_stack`).
    let bench = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(run)
        .expect("spawn the benchmark thread");
    if bench.join().is_err() {
        std::process::exit(1);
    }
}

fn run() {
    let quick = !std::env::args().any(|a| a == "--bench");
    // `cargo bench -p nest-driver --bench compile -- NAME` runs only the rows whose
    // name contains NAME (handy under a profiler).
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let budget = if quick {
        Duration::from_millis(1)
    } else {
        Duration::from_secs(1)
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let examples: Vec<(String, String)> = ns_files(&dir)
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let name = path.file_name()?.to_string_lossy().to_string();
            Some((name, text))
        })
        .collect();
    let mut total_lines = 0;
    let mut total = Duration::ZERO;
    for (name, text) in &examples {
        if !name.contains(&filter) {
            continue;
        }
        total += report(name, text, budget / 4);
        total_lines += text.lines().count();
    }
    if total_lines > 0 {
        let micros = total.as_secs_f64() * 1e6;
        println!(
            "{:<36} {total_lines:>6} lines {micros:>10.1} µs {:>8.2} µs/line",
            "all examples",
            micros / total_lines as f64
        );
    }
    let realistic = concatenated_examples(&examples, 200);
    let name = "examples concatenated 200";
    if name.contains(&filter) {
        report(name, &realistic, budget * 2);
    }
    for lines in [200, 1_000, 10_000] {
        let name = format!("generated {lines}");
        if !name.contains(&filter) {
            continue;
        }
        report(&name, &generated_script(lines), budget * 2);
    }
    if std::env::args().any(|a| a == "--dump-realistic") {
        print!("{realistic}");
    }
    if "stages".contains(&filter) || filter == "stages" {
        stage_split("examples concatenated 200", &realistic, budget * 2);
        stage_split("generated 200", &generated_script(200), budget * 2);
        stage_split("generated 10000", &generated_script(10_000), budget * 2);
    }
}
