//! Diagnostics latency after an edit: the time from a `didChange` of a generated
//! 2,000-line script to its `publishDiagnostics`, measured on the server's state
//! directly (no transport). Run with `cargo bench -p nest-lsp`; target < 30 ms.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use std::str::FromStr;
use std::time::{Duration, Instant};

fn script(lines: usize, edit: usize) -> String {
    let mut s = String::from(
        "use std::ethereum::{USDC, WETH}\nparam a: USDC = 10 USDC\nlet mut total = a\n",
    );
    for i in 0..lines {
        if i % 4 == 0 {
            s.push_str(&format!("total += a * {} / {}\n", i + 1, edit + 7));
        } else if i % 4 == 1 {
            s.push_str(&format!("let x{i} = min(total, a + {i} USDC)\n"));
        } else if i % 4 == 2 {
            s.push_str(&format!("require(x{} > 0 USDC, \"line {i}\")\n", i - 1));
        } else {
            s.push_str("// a comment line\n");
        }
    }
    s.push_str("return total\n");
    s
}

fn main() {
    let uri = match lsp_types::Uri::from_str("file:///bench/latency.ns") {
        Ok(u) => u,
        Err(e) => panic!("bad uri: {e:?}"),
    };
    let mut state = nest_lsp::State::default();
    let first = script(2_000, 0);
    let published = state.update(uri.clone(), first.clone(), Some(1));
    let diags = published
        .first()
        .map(|n| n.params["diagnostics"].clone())
        .unwrap_or_default();
    assert_eq!(
        diags,
        serde_json::json!([]),
        "the generated script must check cleanly: {diags}"
    );
    println!(
        "script: {} lines, {} bytes",
        first.lines().count(),
        first.len()
    );

    let mut times: Vec<Duration> = Vec::new();
    for round in 1..=30 {
        let text = script(2_000, round);
        let start = Instant::now();
        let out = state.update(uri.clone(), text, Some(round as i32 + 1));
        times.push(start.elapsed());
        assert_eq!(out.len(), 1);
    }
    times.sort();
    let mut parse_times: Vec<Duration> = (1..=30)
        .map(|round| {
            let text = script(2_000, round);
            let start = Instant::now();
            let _ = nest_syntax::parse(nest_diagnostics::FileId(0), &text);
            start.elapsed()
        })
        .collect();
    parse_times.sort();
    println!(
        "of which parsing alone: median {:.2?}",
        parse_times[parse_times.len() / 2]
    );
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    println!("diagnostics after an edit: median {median:.2?}, worst {worst:.2?} (target < 30 ms)");
}
