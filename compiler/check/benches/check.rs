//! Checking time of a script that only imports the standard library's Ethereum address
//! book (so almost all of it is loading and resolving stdlib modules), and of every
//! example. Prints the median µs per check. Run with
//! `cargo bench -p nest-check --bench check [-- NAME]`.
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

use nest_check::{check, CheckInput, MemoryResolver};

/// The median wall time of checking `text`, over enough runs to take about `budget`.
fn median_check_time(name: &str, text: &str, budget: Duration) -> Duration {
    let resolver = MemoryResolver::new();
    let input = CheckInput {
        name,
        text,
        resolver: &resolver,
        params: &[],
        require_params: true,
        index: false,
    };
    let start = Instant::now();
    let mut times = Vec::new();
    while times.len() < 3 || (start.elapsed() < budget && times.len() < 5000) {
        let t = Instant::now();
        let out = check(&input);
        times.push(t.elapsed());
        assert!(out.program.is_some(), "{name} does not check");
        std::hint::black_box(out);
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let budget = if quick {
        Duration::from_millis(1)
    } else {
        Duration::from_secs(1)
    };
    let mut cases = vec![(
        "stdlib only".to_string(),
        "use std::ethereum::{USDC}\nreturn 1 USDC\n".to_string(),
    )];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "ns"));
    paths.sort();
    for path in paths {
        let (Some(name), Ok(text)) = (path.file_name(), std::fs::read_to_string(&path)) else {
            continue;
        };
        cases.push((name.to_string_lossy().to_string(), text));
    }
    for (name, text) in cases.iter().filter(|(n, _)| n.contains(&filter)) {
        let median = median_check_time(name, text, budget / 4);
        println!("{name:<40} {:>10.1} µs", median.as_secs_f64() * 1e6);
    }
}
