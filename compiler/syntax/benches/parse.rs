//! Parser throughput: generated scripts of 200, 2,000 and 20,000 lines, and every
//! file in `stdlib/std/` and `examples/`, parsed on a 256 MiB-stack thread as in
//! `nestc`. Prints the median time per parse and per line. Run with
//! `cargo bench -p nest-syntax --bench parse`.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use std::path::Path;
use std::time::{Duration, Instant};

use nest_diagnostics::FileId;

/// A script of about `lines` lines: interfaces, `let`s with calls and arithmetic,
/// compound assignments, `if` blocks with `require`.
fn generated_script(lines: usize) -> String {
    let mut out = String::from(
        "use std::ethereum::{USDC, WETH}\n\
         interface IRouter {\n    \
         function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);\n\
         }\n\
         const ROUTER: IRouter = IRouter(0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D)\n\
         param amount: USDC = 1_000 USDC\n\
         let mut total = 0\n",
    );
    let mut count = out.lines().count();
    let mut i = 0;
    while count < lines {
        if i % 50 == 49 {
            out.push_str(&format!(
                "interface IPool{i} {{\n    function swap(address to, uint256 amount{i}) external returns (uint256 out);\n}}\n"
            ));
            count += 3;
        }
        out.push_str(&format!(
            "let q{i} = ROUTER.getAmountsOut(amount + {i} USDC, [USDC, WETH])[1]\n"
        ));
        out.push_str(&format!("total += q{i} / ({i} + 1)\n"));
        out.push_str(&format!(
            "if total > {i} {{ require(q{i} > 0, \"zero quote {i}\") }}\n"
        ));
        count += 3;
        i += 1;
    }
    out
}

/// The median wall time of parsing `text`, over enough runs to take about `budget`.
fn median_parse_time(text: &str, budget: Duration) -> Duration {
    let start = Instant::now();
    let mut times = Vec::new();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 1000) {
        let t = Instant::now();
        let parsed = nest_syntax::parse(FileId(0), text);
        times.push(t.elapsed());
        std::hint::black_box(parsed);
    }
    times.sort();
    times[times.len() / 2]
}

fn report(name: &str, text: &str, budget: Duration) {
    let lines = text.lines().count().max(1);
    let median = median_parse_time(text, budget);
    let per_line = median.as_secs_f64() * 1e6 / lines as f64;
    println!(
        "{name:<40} {lines:>6} lines {:>10.1} µs {per_line:>8.2} µs/line",
        median.as_secs_f64() * 1e6
    );
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
    // On a thread with a 256 MiB stack, as `nestc` and the language server parse:
    // on a smaller one, every parse would map a fresh stack (`nest_syntax::with_stack`).
    let bench = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(run)
        .expect("a bench thread");
    if let Err(panic) = bench.join() {
        std::panic::resume_unwind(panic);
    }
}

fn run() {
    // `cargo test --benches` passes `--bench`-less args; a quick smoke run then.
    let quick = !std::env::args().any(|a| a == "--bench");
    // `cargo bench -p nest-syntax --bench parse -- NAME` runs only the rows whose name
    // contains NAME (handy under a profiler).
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let budget = if quick {
        Duration::from_millis(1)
    } else {
        Duration::from_secs(1)
    };
    if "empty file".contains(&filter) {
        report("empty file", "", budget / 10);
    }
    for lines in [200, 2_000, 20_000] {
        if !format!("generated {lines}").contains(&filter) {
            continue;
        }
        let script = generated_script(lines);
        let (_, diags) = nest_syntax::parse(FileId(0), &script);
        assert!(
            diags.is_empty(),
            "the generated script should parse cleanly: {diags:?}"
        );
        report(&format!("generated {lines}"), &script, budget);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut total_lines = 0;
    let mut total = Duration::ZERO;
    for dir in ["stdlib/std", "examples"] {
        for path in ns_files(&root.join(dir)) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let name = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            if !name.contains(&filter) {
                continue;
            }
            report(&name, &text, budget / 10);
            total_lines += text.lines().count();
            total += median_parse_time(&text, budget / 10);
        }
    }
    if total_lines > 0 {
        let per_line = total.as_secs_f64() * 1e6 / total_lines as f64;
        println!(
            "{:<40} {total_lines:>6} lines {:>10.1} µs {per_line:>8.2} µs/line",
            "stdlib + examples",
            total.as_secs_f64() * 1e6
        );
    }
}
