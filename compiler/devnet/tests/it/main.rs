//! nest-devnet's integration tests, one binary: a module per topic (`cargo test -p
//! nest-devnet --test it dry_run::` runs one). `support` holds the helpers they share and
//! the local node (`support/node.rs`) of the `#[ignore]`d `fork::` and `doctor::` tests,
//! which `tests/fork/run.sh` runs against Hardhat.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

mod support;

mod audit_families;
mod audit_node;
mod chainlink_feeds;
mod deploy;
mod doctor;
mod dry_run;
mod evasion;
mod fork;
mod hostile_node;
mod missing_functions;
mod positions;
mod protocols_aave_options;
mod protocols_approvals;
mod protocols_comet;
mod protocols_coverage;
mod protocols_curve;
mod protocols_lending_staking;
mod protocols_morpho;
mod protocols_tokens_swaps;
mod protocols_v3_exact_output;
mod report_hazards;
mod scenario_pools;
mod scenario_positions;
mod session;
mod usdc_vault;
