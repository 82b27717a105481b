//! The cost comparison: each strategy of `tests/compare/` as native Solidity DELEGATECALLed by
//! the vault, as solc's output run in the HyVM, and as a Nest script, each run cold on a fresh
//! copy of the devnet. Prints the table, then where the guests' instructions go
//! (`cargo bench -p nest-tests --bench compare`). The targets are printed, not asserted.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

// The test reads parts of the runs the table does not show.
#[allow(dead_code)]
#[path = "../compare/measure.rs"]
mod measure;
#[path = "../compare/profile.rs"]
mod profile;

use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let (devnet, env) = measure::devnet()?;
    let mut comparisons = Vec::new();
    let mut profiles = String::new();
    for strategy in &measure::STRATEGIES {
        if !measure::available(&devnet, strategy) {
            println!(
                "{}: skipped, the devnet lacks a contract it needs",
                strategy.name
            );
            continue;
        }
        comparisons.push(
            measure::compare(&devnet, &env, strategy)
                .map_err(|e| format!("{}: {e}", strategy.name))?,
        );
        let solc = profile::profile(&devnet, &measure::runtime_code(strategy.solidity)?)?;
        let nest = profile::profile(&devnet, &measure::compile_script(strategy.script)?)?;
        profiles.push_str(&format!("\n{}:\n", strategy.name));
        profiles.push_str(&profile::render(&[
            ("solc in HyVM", &solc),
            ("Nest", &nest),
        ]));
    }
    print!("{}", measure::render(&comparisons));
    print!("{profiles}");
    Ok(())
}
