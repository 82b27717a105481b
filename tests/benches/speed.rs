//! Speed of the compiler and the dry run (`cargo bench -p nest-tests --bench speed`).
//!
//! Prints medians: compiling each example in-process; compiling generated scripts
//! of 200, 1,000 and 10,000 lines (time should grow linearly); starting the devnet;
//! dry-running each example on a started devnet. Targets: a 200-line strategy
//! compiles in under 1 ms; a dry run takes under 20 ms once the devnet is up.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use nest_devnet::{Devnet, Scenario};
use nest_driver::{compile, CompileRequest, MemoryResolver};
use std::time::{Duration, Instant};

fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// A realistic script of about `lines` lines: quotes, arithmetic, checks, swaps.
fn generated(lines: usize) -> String {
    let mut s = String::from(
        "use std::ethereum::{USDC, WETH, DAI, UNISWAP_V2_ROUTER}\nparam amount: USDC = 10 USDC\nlet mut total = 0\n",
    );
    let mut i = 0;
    while s.lines().count() < lines {
        s.push_str(&format!(
            "let q{i} = UNISWAP_V2_ROUTER.getAmountsOut(amount + {i} USDC, [USDC, WETH])[1]\n\
             total += q{i} / ({i} + 1)\n\
             if total > {i} {{\n    require(q{i} > 0, \"zero quote {i}\")\n}}\n"
        ));
        i += 1;
    }
    s.push_str("return total\n");
    s
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let resolver = MemoryResolver::new();
    println!("compile (in-process, median)");
    let mut examples: Vec<_> = std::fs::read_dir(format!("{root}/examples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ns"))
        .collect();
    examples.sort();
    let mut payloads = Vec::new();
    for p in &examples {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(p).unwrap();
        let req = CompileRequest {
            name: &name,
            text: &text,
            resolver: &resolver,
            params: &[],
        };
        let Ok(c) = compile(&req) else {
            println!("  {name:<28} does not compile, skipped");
            continue;
        };
        let t = median(50, || {
            let _ = compile(&req);
        });
        println!(
            "  {name:<28} {:>9.3} ms  ({} lines)",
            t.as_secs_f64() * 1e3,
            text.lines().count()
        );
        let ctx = nest_tests::run_context(&c);
        payloads.push((name, c.bytes, ctx));
    }
    println!("compile generated scripts (median)");
    let mut per_line = Vec::new();
    for lines in [200, 1_000, 10_000] {
        let text = generated(lines);
        let n = text.lines().count();
        let req = CompileRequest {
            name: "generated.ns",
            text: &text,
            resolver: &resolver,
            params: &[],
        };
        if let Err(f) = compile(&req) {
            panic!("the generated script must compile:\n{f}");
        }
        let runs = if lines > 5_000 { 5 } else { 20 };
        let t = median(runs, || {
            let _ = compile(&req);
        });
        let us_per_line = t.as_secs_f64() * 1e6 / n as f64;
        per_line.push(us_per_line);
        println!(
            "  {n:>6} lines {:>10.3} ms  {us_per_line:>7.2} µs/line",
            t.as_secs_f64() * 1e3
        );
    }
    println!(
        "  growth (µs/line at 10,000 ÷ at 200): {:.2}",
        per_line[2] / per_line[0]
    );
    println!("devnet");
    let t = median(5, || {
        let _ = Devnet::new(&Scenario::default());
    });
    println!(
        "  start-up                     {:>9.3} ms",
        t.as_secs_f64() * 1e3
    );
    let devnet = Devnet::new(&Scenario::default()).unwrap();
    for (name, bytes, ctx) in &payloads {
        let t = median(20, || {
            let _ = devnet.dry_run(bytes, ctx);
        });
        println!("  dry run {name:<20} {:>9.3} ms", t.as_secs_f64() * 1e3);
    }
}
