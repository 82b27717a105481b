//! `nestc`: the Nest compiler's command line. Everything here is a thin layer over
//! `nest-driver` (compiling) and `nest-devnet` (dry runs): argument parsing, files,
//! terminal output and exit codes.

mod commands;
mod doctor;
mod duration;
mod editor_cmds;
mod fs_resolver;
mod output;
mod sign;
mod snapshot;
mod test_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// The Nest compiler: safe-by-construction HyVM scripts for DeFi vaults.
#[derive(Parser, Debug)]
#[command(name = "nestc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Optimisation level: 0 runs only the mandatory revocation pass and emits
    /// straightforward code; 1 (the default) runs every optimisation.
    #[arg(
        short = 'O',
        long = "opt-level",
        value_name = "LEVEL",
        global = true,
        default_value = "1"
    )]
    opt_level: nest_driver::OptLevel,
    /// Turns one optimisation off by name (repeatable), e.g. `--disable fused_reads`.
    #[arg(long = "disable", value_name = "NAME", global = true)]
    disable: Vec<String>,
    /// Refuse calls of functions the compiler cannot vouch for (warning W0401 becomes
    /// an error): every called function must be a revoked grant, `#[grants(none)]`, or
    /// `view`/`pure` (compile, check, run).
    #[arg(long, global = true)]
    strict: bool,
}

/// What `--emit` prints.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Emit {
    /// The payload as `0x…` hex (code, data, `0x00`, trailer).
    Bytecode,
    /// Disassembly annotated with source locations.
    Asm,
    /// The IR's text form after all passes.
    Ir,
    /// The syntax tree.
    Ast,
    /// The artifact JSON: bytecode, fingerprint, manifest, source map.
    Artifact,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a stdlib chain module's addresses against a node: code, decimals, symbols, identifying calls (exit 1 on a mismatch, 2 on node errors).
    Doctor {
        /// The node's JSON-RPC URL.
        #[arg(long = "fork-url", value_name = "URL")]
        fork_url: String,
        /// The chain module (ethereum, arbitrum, optimism, polygon, base); the node's chain id by default.
        #[arg(long, value_name = "NAME")]
        chain: Option<String>,
    },
    /// Compile a script; prints the bytecode as 0x… hex by default.
    Compile {
        /// The script.
        file: PathBuf,
        /// Write the output to this file instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Set a parameter: NAME=VALUE, the value written as in source (`2500 USDC`).
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// What to print.
        #[arg(long, value_enum, default_value = "bytecode")]
        emit: Emit,
        /// Diagnostics as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Sign the payload (EIP-191) with the private key in this file (64 hex digits).
        #[arg(long, value_name = "KEY")]
        sign_key_file: Option<PathBuf>,
    },
    /// Parse and typecheck only.
    Check {
        /// The script.
        file: PathBuf,
        /// Set a parameter: NAME=VALUE.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Diagnostics as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Compile and dry-run on the embedded devnet (or dry-run a payload with --bytecode).
    /// Several scripts run one after another on the same devnet, a report per step.
    Run {
        /// The script, or scripts run in sequence (omit with --bytecode).
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Dry-run this payload instead: 0x… hex, or a file holding it.
        #[arg(long, value_name = "HEX_OR_FILE", conflicts_with = "files")]
        bytecode: Option<String>,
        /// Set a parameter: NAME=VALUE, or FILE:NAME=VALUE for one script of a sequence.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// In a sequence, move the clock (and the block number, one block per 12 s) on
        /// before each step after the first: `1h`, `30m`, `2d`; FILE:DURATION before that
        /// script's step only.
        #[arg(long, value_name = "[FILE:]DURATION")]
        advance: Vec<String>,
        /// The devnet's starting state (TOML).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// The report (or diagnostics) as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Dry-run on a real chain's state instead, read from this JSON-RPC node (only reads
        /// are sent).
        #[arg(long, value_name = "URL")]
        fork_url: Option<String>,
        /// The block whose state the fork starts from (default: the latest).
        #[arg(long, value_name = "N", requires = "fork_url")]
        block: Option<u64>,
        /// Run as this vault, deployed on the fork (needs --hyvm).
        #[arg(long, value_name = "ADDRESS", requires_all = ["fork_url", "hyvm"])]
        vault: Option<alloy_primitives::Address>,
        /// The sender (the vault's owner) when the vault has no `owner()`.
        #[arg(long, value_name = "ADDRESS", requires = "fork_url")]
        from: Option<alloy_primitives::Address>,
        /// The HyVM's address on the fork; the chain's own HyVM runs when it has code there
        /// (checked with a probe payload first).
        #[arg(long, value_name = "ADDRESS", requires = "fork_url")]
        hyvm: Option<alloy_primitives::Address>,
        /// Run the code at the HyVM address even when it fails the probe (not recognised
        /// as a HyVM).
        #[arg(long, requires = "fork_url")]
        hyvm_unchecked: bool,
        /// The most time fork mode may spend talking to the node, e.g. `120s`, `2m`, `90`
        /// (seconds).
        #[arg(long, value_name = "DURATION", default_value = "120s", value_parser = parse_duration)]
        fork_timeout: std::time::Duration,
        /// The most requests fork mode may send to the node.
        #[arg(long, value_name = "N", default_value_t = nest_devnet::fork::DEFAULT_MAX_REQUESTS,
              value_parser = clap::value_parser!(u64).range(1..))]
        fork_max_requests: u64,
        /// Which HyVM build to charge gas for: `paris` (default, as upstream's tests deploy
        /// it) or `shanghai` (PUSH0 inside the interpreter: dispatch 63 instead of 65).
        #[arg(long, value_name = "BUILD", default_value = "paris")]
        hyvm_build: nest_hyvm::HyvmBuild,
    },
    /// Recompile a script and check that a payload is exactly its output.
    Verify {
        /// The payload: 0x… hex, or a file holding it.
        bytecode: String,
        /// The script it claims to come from.
        #[arg(long)]
        source: PathBuf,
        /// The parameters it was compiled with.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// The result as JSON.
        #[arg(long)]
        json: bool,
        /// Require the payload to be signed by this address.
        #[arg(long, value_name = "ADDRESS")]
        signer: Option<alloy_primitives::Address>,
    },
    /// Decode a payload's provenance trailer.
    Inspect {
        /// The payload: 0x… hex, or a file holding it.
        bytecode: String,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Explain a diagnostic code, e.g. `nestc explain E0302`.
    Explain {
        /// The code.
        code: String,
    },
    /// Format scripts in place in the one canonical layout.
    Fmt {
        /// List the files that would change and exit with 1 instead of writing them.
        #[arg(long)]
        check: bool,
        /// The scripts.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run the language server on stdin and stdout.
    Lsp,
    /// Record each script's fingerprint, code size and dry-run gas in a sorted snapshot file
    /// (default `.nest-snapshot`, or `DIR/.nest-snapshot` for one directory); exit 1 when a
    /// script fails.
    Snapshot {
        /// Scripts, or directories searched for `*.ns` (default: the current directory).
        paths: Vec<PathBuf>,
        /// The snapshot file.
        #[arg(short = 'o', long = "snapshot", value_name = "FILE")]
        snapshot: Option<PathBuf>,
        /// Compare with the file instead of writing it; any difference fails (exit 1).
        #[arg(long, conflicts_with = "diff")]
        check: bool,
        /// Print the differences from the file without writing it or failing.
        #[arg(long)]
        diff: bool,
    },
    /// Run the test files (`*.test.toml`: scenario, steps, expectations, fuzzed params);
    /// exit 1 unless every test passes.
    Test {
        /// Test files, or directories searched for `*.test.toml` (default: `.`).
        paths: Vec<PathBuf>,
        /// The results as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// Also write the results as JUnit XML to this file.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Replace every fuzzed test's seed (replays a failure).
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        /// Replace every fuzzed test's number of runs.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        runs: Option<u64>,
        /// Run only the tests whose name contains this.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// The HyVM build to charge gas for (`paris` or `shanghai`).
        #[arg(long, value_name = "BUILD", default_value = "paris")]
        hyvm_build: nest_hyvm::HyvmBuild,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let known = nest_driver::optimisation_names();
    if let Some(bad) = cli.disable.iter().find(|d| !known.contains(&d.as_str())) {
        eprintln!(
            "error: unknown optimisation `{bad}`; the optimisations are: {}",
            known.join(", ")
        );
        return ExitCode::from(2);
    }
    commands::set_options(nest_driver::Options {
        opt_level: cli.opt_level,
        disabled: cli.disable.clone(),
    });
    commands::set_strict(cli.strict);
    snapshot::set_options(
        nest_driver::Options {
            opt_level: cli.opt_level,
            disabled: cli.disable.clone(),
        },
        cli.strict,
    );
    test_cmd::set_options(
        nest_driver::Options {
            opt_level: cli.opt_level,
            disabled: cli.disable.clone(),
        },
        cli.strict,
    );
    // The compiler walks trees recursively; give it a stack that no accepted input
    // (nesting is bounded by E0325) can exhaust.
    let worker = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || dispatch(cli.command));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            eprintln!(
                "error: internal compiler error (the worker thread failed); please report it"
            );
            ExitCode::from(101)
        }
    }
}

/// A duration: a number of seconds, with an optional `s`, `m` or `ms` suffix.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write e.g. `120s`, `2m` or `90`"))?;
    let seconds = match unit {
        "s" => value,
        "m" => value * 60.0,
        "ms" => value / 1000.0,
        _ => return Err(format!("unknown unit `{unit}`: use `s`, `m` or `ms`")),
    };
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err("a duration from 1ms to 24h".to_string());
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// Runs one command; returns its exit status.
fn dispatch(command: Command) -> u8 {
    match command {
        Command::Compile {
            file,
            output,
            params,
            emit,
            json,
            sign_key_file,
        } => commands::compile(
            &file,
            output.as_deref(),
            &params,
            emit,
            json,
            sign_key_file.as_deref(),
        ),
        Command::Check { file, params, json } => commands::check(&file, &params, json),
        Command::Run {
            files,
            bytecode,
            params,
            advance,
            scenario,
            json,
            fork_url,
            block,
            vault,
            from,
            hyvm,
            hyvm_unchecked,
            fork_timeout,
            fork_max_requests,
            hyvm_build,
        } => {
            let fork = fork_url.map(|url| nest_devnet::ForkOptions {
                url,
                block,
                vault,
                from,
                hyvm,
                hyvm_unchecked,
                timeout: fork_timeout,
                max_requests: fork_max_requests,
                progress: nest_devnet::fork::ForkProgress::new(),
            });
            if files.len() > 1 {
                if fork.is_some() {
                    return output::usage(
                        "a sequence of scripts runs on the embedded devnet only: drop `--fork-url`",
                    );
                }
                let seq = commands::Sequence {
                    files: &files,
                    params: &params,
                    advance: &advance,
                };
                return commands::run_sequence(&seq, scenario.as_deref(), json, hyvm_build);
            }
            if !advance.is_empty() {
                return output::usage(
                    "`--advance` moves the clock between the steps of a sequence: give two scripts or more",
                );
            }
            commands::run(
                files.first().map(PathBuf::as_path),
                bytecode.as_deref(),
                &params,
                scenario.as_deref(),
                json,
                fork,
                hyvm_build,
            )
        }
        Command::Verify {
            bytecode,
            source,
            params,
            json,
            signer,
        } => commands::verify(&bytecode, &source, &params, json, signer),
        Command::Inspect { bytecode, json } => commands::inspect(&bytecode, json),
        Command::Explain { code } => commands::explain(&code),
        Command::Fmt { check, files } => editor_cmds::fmt(&files, check),
        Command::Lsp => editor_cmds::lsp(),
        Command::Snapshot {
            paths,
            snapshot,
            check,
            diff,
        } => {
            let mode = match (check, diff) {
                (true, _) => snapshot::Mode::Check,
                (_, true) => snapshot::Mode::Diff,
                _ => snapshot::Mode::Write,
            };
            snapshot::run(&paths, snapshot.as_deref(), mode)
        }
        Command::Test {
            paths,
            json,
            junit,
            seed,
            runs,
            filter,
            hyvm_build,
        } => test_cmd::run(&test_cmd::Args {
            paths: &paths,
            json,
            junit: junit.as_deref(),
            seed,
            runs: runs.map(|r| r as usize),
            filter: filter.as_deref(),
            hyvm_build,
        }),
        Command::Doctor { fork_url, chain } => doctor::run(&fork_url, chain.as_deref()),
    }
}
