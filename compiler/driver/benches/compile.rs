//! Whole-pipeline compile time, in-process: every example and generated scripts of
//! 200, 1,000 and 10,000 lines (parse, check, lower, passes, codegen, assembly, safety
//! check, fingerprint). Prints the median µs per compile and µs per line. Run with
//! `cargo bench -p nest-driver --bench compile`; `cargo test --benches` runs it once
//! quickly as a smoke test.

use std::path::Path;
use std::time::{Duration, Instant};

use nest_driver::{compile, CompileRequest, MemoryResolver};

/// A strategy of about `lines` lines: an interface, `let`s with interface calls and
/// checked arithmetic, compound assignments, `if` blocks with `require`, and a helper
/// function every 50 statements.
fn generated_script(lines: usize) -> String {
    let mut out = String::from(
        "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}\n\
         param amount: USDC = 1_000 USDC\n\
         let mut total = 0\n",
    );
    let mut count = out.lines().count();
    let mut i = 0;
    while count + 2 < lines {
        if i % 50 == 49 {
            out.push_str(&format!(
                "fn scaled{i}(x: uint256) -> uint256 {{\n    return x * {i} / 100\n}}\ntotal += scaled{i}(total)\n"
            ));
            count += 4;
        }
        out.push_str(&format!(
            "let q{i} = UNISWAP_V2_ROUTER.getAmountsOut(amount + {i} USDC, [USDC, WETH])[1]\n"
        ));
        out.push_str(&format!("total += q{i} / ({i} + 1)\n"));
        out.push_str(&format!(
            "if total > {i} {{ require(q{i} > 0, \"zero quote {i}\") }}\n"
        ));
        count += 3;
        i += 1;
    }
    out.push_str("return total\n");
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

fn ns_files(dir: &Path) -> Vec<std::path::PathBuf> {
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

fn main() {
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
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut total_lines = 0;
    let mut total = Duration::ZERO;
    for path in ns_files(&examples) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if !name.contains(&filter) {
            continue;
        }
        total += report(&name, &text, budget / 4);
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
    for lines in [200, 1_000, 10_000] {
        let name = format!("generated {lines}");
        if !name.contains(&filter) {
            continue;
        }
        report(&name, &generated_script(lines), budget * 2);
    }
}
