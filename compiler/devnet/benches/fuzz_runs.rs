//! What a fuzz run costs on the devnet, apart from compiling: deploying the devnet once,
//! copying its deployed state (what every run starts from: `Devnet::dry_run` and
//! `Devnet::clone`), and 256 dry runs of a Uniswap V2 swap of varying amounts on one
//! deployed devnet. Prints the median of each. Run with
//! `cargo bench -p nest-devnet --bench fuzz_runs`; `cargo test --benches` runs it once.
// A test, benchmark or example target sees all of its crate's dependencies and
// dev-dependencies, so some go unused here (the lint is exact on the library and binary
// builds); and it may read fixtures and write results, which the pipeline may not.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)]

use std::time::{Duration, Instant};

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use nest_devnet::addresses::{UNISWAP_V2_ROUTER, USDC, VAULT, WETH};
use nest_devnet::{Devnet, RunContext, Scenario};

sol! {
    function approve(address spender, uint256 amount) external returns (bool);
    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path,
        address to, uint256 deadline) external returns (uint256[] amounts);
}

/// A guest that makes each call in turn (no value) and reverts if one fails.
fn payload(calls: &[(Address, Vec<u8>)]) -> Vec<u8> {
    // PUSH2 len, PUSH2 offset, PUSH0, CODECOPY, PUSH1 32, PUSH0, PUSH2 len, PUSH0, PUSH0,
    // PUSH20 target, GAS, CALL, ISZERO, PUSH2 fail, JUMPI.
    const PER_CALL: usize = 3 + 3 + 1 + 1 + 2 + 1 + 3 + 1 + 1 + 21 + 1 + 1 + 1 + 3 + 1;
    let fail = calls.len() * PER_CALL + 1;
    let code_len = fail + 4;
    let (mut code, mut data) = (Vec::new(), Vec::new());
    for (target, calldata) in calls {
        let len = (calldata.len() as u16).to_be_bytes();
        let offset = ((code_len + data.len()) as u16).to_be_bytes();
        code.extend_from_slice(&[0x61, len[0], len[1], 0x61, offset[0], offset[1], 0x5f, 0x39]);
        code.extend_from_slice(&[0x60, 0x20, 0x5f, 0x61, len[0], len[1], 0x5f, 0x5f, 0x73]);
        code.extend_from_slice(target.as_slice());
        let fail = (fail as u16).to_be_bytes();
        code.extend_from_slice(&[0x5a, 0xf1, 0x15, 0x61, fail[0], fail[1], 0x57]);
        data.extend_from_slice(calldata);
    }
    code.extend_from_slice(&[0x00, 0x5b, 0x5f, 0x5f, 0xfd]);
    code.extend_from_slice(&data);
    code
}

fn swap(amount: U256) -> Vec<u8> {
    let approve_to = |amount| {
        approveCall {
            spender: UNISWAP_V2_ROUTER,
            amount,
        }
        .abi_encode()
    };
    let swap = swapExactTokensForTokensCall {
        amountIn: amount,
        amountOutMin: U256::ZERO,
        path: vec![USDC, WETH],
        to: VAULT,
        deadline: U256::MAX,
    };
    payload(&[
        (USDC, approve_to(amount)),
        (UNISWAP_V2_ROUTER, swap.abi_encode()),
        (USDC, approve_to(U256::ZERO)),
    ])
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let samples = if quick { 1 } else { 5 };
    let deploy = median(
        (0..samples)
            .map(|_| {
                let start = Instant::now();
                Devnet::new(&Scenario::default()).expect("devnet");
                start.elapsed()
            })
            .collect(),
    );
    let devnet = Devnet::new(&Scenario::default()).expect("devnet");
    let copy = median(
        (0..samples.max(20))
            .map(|_| {
                let start = Instant::now();
                let copy = devnet.clone();
                let elapsed = start.elapsed();
                drop(copy);
                elapsed
            })
            .collect(),
    );
    let ctx = RunContext::default();
    let runs: Vec<Vec<u8>> = (0..256u64)
        .map(|i| swap(U256::from(1_000_000 + i * 39_062_500)))
        .collect();
    let fuzz = median(
        (0..samples)
            .map(|_| {
                let start = Instant::now();
                for p in &runs {
                    let report = devnet.dry_run(p, &ctx).expect("dry run");
                    assert!(report.success);
                }
                start.elapsed()
            })
            .collect(),
    );
    println!(
        "deploy the devnet           {:>10.2} ms",
        deploy.as_secs_f64() * 1e3
    );
    println!(
        "copy its deployed state     {:>10.2} ms",
        copy.as_secs_f64() * 1e3
    );
    println!(
        "256 swap dry runs           {:>10.2} ms ({:.2} ms a run)",
        fuzz.as_secs_f64() * 1e3,
        fuzz.as_secs_f64() * 1e3 / 256.0
    );
}
