//! `nestc test` speed, measured on the real command: 256 fuzz runs of a swap strategy
//! (`examples/swap.ns`, amount drawn between 1 and 10,000 USDC) and the whole
//! `nestc test examples/`. Prints the median wall time of a few runs of each against the
//! goals of issue 14 (under 5 s and under 10 s). Run with
//! `cargo bench -p nestc --bench test_suite`; `cargo test --benches` runs each once as a
//! smoke test.
//!
//! Every test of a file starts from a copy of one deployed devnet (`Devnet::dry_run` and
//! `Devnet::clone` copy the deployed state; nothing is redeployed per run), and a fuzz run
//! recompiles the script only for parameter values it has not compiled yet.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const NESTC: &str = env!("CARGO_BIN_EXE_nestc");

/// A directory holding `swap.ns` and a test fuzzing its amount `runs` times.
fn fuzz_dir(root: &Path, runs: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nestc-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(root.join("examples/swap.ns"), dir.join("swap.ns")).expect("copy swap.ns");
    let test = format!(
        "[[test]]\n\
         name = \"any amount swaps\"\n\
         fuzz = {{ amount = [\"1 USDC\", \"10_000 USDC\"], runs = {runs}, seed = 1 }}\n\
         [[test.step]]\n\
         script = \"swap.ns\"\n\
         params = {{ amount = \"1_000 USDC\", min_out = \"0 WETH\" }}\n\
         assets = {{ USDC = \"-$amount\", WETH = \"> 0\" }}\n"
    );
    std::fs::write(dir.join("swap.test.toml"), test).expect("write the test");
    dir
}

/// Runs `nestc test ARGS` in `dir`; its wall time. The tests must pass.
fn time_nestc_test(dir: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = Command::new(NESTC)
        .arg("test")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run nestc");
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "nestc test {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let samples = if quick { 1 } else { 5 };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = fuzz_dir(&root, 256);
    let rows: [(&str, &Path, Vec<&str>, f64); 2] = [
        (
            "256 fuzz runs of swap.ns",
            &dir,
            vec!["swap.test.toml"],
            5.0,
        ),
        ("nestc test examples/", &root, vec!["examples/"], 10.0),
    ];
    println!("{:<28} {:>10} {:>8}", "benchmark", "median", "goal");
    for (name, at, args, goal) in rows {
        let times = (0..samples).map(|_| time_nestc_test(at, &args)).collect();
        let m = median(times).as_secs_f64();
        let verdict = if m < goal { "ok" } else { "OVER" };
        println!("{name:<28} {m:>9.2}s {goal:>7.0}s {verdict}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
