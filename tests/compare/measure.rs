//! The cost comparison of `tests/compare/`: each strategy run three ways on a fresh copy of the
//! devnet — a native Solidity contract the vault DELEGATECALLs, the same contract's runtime code
//! run as a HyVM guest, and the Nest script — with the gas, calldata and instructions of each,
//! the vault's balances and allowances afterwards, and the table the benchmark prints.
//!
//! Shared by `tests/benches/compare.rs` and `tests/tests/it/compare.rs` (`#[path]` module).

use std::fmt::Write as _;

use alloy_primitives::{address, hex, keccak256, Address, Bytes, U256};
use nest_devnet::addresses::{DAI, UNISWAP_V2_ROUTER, USDC, USDT, WETH};
use nest_devnet::deploy::{World, CHAIN_ID, SPEC, TX_GAS_LIMIT};
use nest_devnet::{Devnet, Scenario};
use nest_hyvm::{execute, Env, GasReport, HyvmConfig, Transaction};
use revm::bytecode::Bytecode;
use revm::state::AccountInfo;

/// The sDAI-like ERC-4626 vault the deposit strategy uses (its mainnet address).
pub(crate) const SDAI: Address = address!("83F20F44975D03b1b09e64809B757c47f942BEeA");

/// Where the native variant's vault would find a HyVM if it looked for one: no code lives here,
/// so the interpreter never takes over a frame of a native run.
const NO_HYVM: Address = address!("00000000000000000000000000000000000dead1");

/// One strategy, written three ways.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Strategy {
    /// Its name in the table.
    pub name: &'static str,
    /// The Nest script, relative to the repository root.
    pub script: &'static str,
    /// The solc artifact of the Solidity version (`out/<Contract>.json`).
    pub solidity: &'static str,
    /// The vault calldata of the hand-written HyVM payload it is measured against.
    pub hand_written_bytes: usize,
    /// The target for Nest's execution gas against native Solidity's (tracked, not asserted).
    pub target_vs_native: &'static str,
    /// The contracts that must be on the devnet for it to run.
    pub needs: &'static [Address],
}

/// approve → swap USDC→WETH → approve → swap WETH→DAI → check → revoke ×2.
pub(crate) const TWO_SWAPS: Strategy = Strategy {
    name: "two swaps",
    script: "tests/compare/two_swaps.ns",
    solidity: include_str!("out/TwoSwaps.json"),
    hand_written_bytes: 388,
    target_vs_native: "1.02",
    needs: &[UNISWAP_V2_ROUTER],
};

/// balanceOf → approve → ERC-4626 deposit → revoke.
pub(crate) const DEPOSIT: Strategy = Strategy {
    name: "4626 deposit",
    script: "tests/compare/deposit.ns",
    solidity: include_str!("out/Deposit.json"),
    hand_written_bytes: 356,
    target_vs_native: "1.06",
    needs: &[SDAI],
};

/// Every strategy of the comparison.
pub(crate) const STRATEGIES: [Strategy; 2] = [DEPOSIT, TWO_SWAPS];

/// How a strategy is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Variant {
    /// The Solidity contract, DELEGATECALLed by the vault with `run()`.
    Native,
    /// The same contract's runtime code as the HyVM guest (it enters through its fallback).
    SolcInHyvm,
    /// The compiled Nest script as the HyVM guest.
    Nest,
}

impl Variant {
    /// The three variants, in table order.
    pub(crate) const ALL: [Variant; 3] = [Variant::Native, Variant::SolcInHyvm, Variant::Nest];

    /// Its name in the table.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Variant::Native => "native Solidity",
            Variant::SolcInHyvm => "solc in HyVM",
            Variant::Nest => "Nest",
        }
    }
}

/// What one run did and cost.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    /// Which variant ran.
    pub variant: Variant,
    /// Whether the vault returned normally.
    pub success: bool,
    /// Why it failed, when it did (halt or revert data).
    pub failure: Option<String>,
    /// The transaction's gas, split as `nest_hyvm` splits it.
    pub gas: GasReport,
    /// Bytes of vault calldata: the payload, or `run()`'s selector for the native variant.
    pub calldata_bytes: usize,
    /// Guest instructions the HyVM dispatched (zero for the native variant).
    pub guest_instructions: u64,
    /// The vault's balance of each token of [`tokens`] afterwards.
    pub balances: Vec<(Address, U256)>,
    /// Every allowance the vault has granted to a spender of [`spenders`] afterwards, if non-zero.
    pub allowances_left: Vec<(Address, Address, U256)>,
}

impl Run {
    /// Gas beyond the transaction's intrinsic cost (21000 and the calldata): the vault, the
    /// strategy, its calls and the HyVM's overhead, less refunds.
    pub(crate) fn execution(&self) -> u64 {
        self.gas.total.saturating_sub(self.gas.intrinsic_calldata)
    }
}

/// One strategy's three runs.
#[derive(Clone, Debug)]
pub(crate) struct Comparison {
    /// The strategy.
    pub strategy: Strategy,
    /// Native, solc in HyVM, Nest (in [`Variant::ALL`] order).
    pub runs: Vec<Run>,
}

impl Comparison {
    /// The run of `variant`.
    pub(crate) fn run(&self, variant: Variant) -> Option<&Run> {
        self.runs.iter().find(|r| r.variant == variant)
    }
}

/// The devnet every run starts from: the default scenario (the vault holds 1M of each
/// stablecoin, 1,000 WETH and 1,000 ETH).
pub(crate) fn devnet() -> Result<(Devnet, Env), String> {
    let scenario = Scenario::default();
    let devnet = Devnet::new(&scenario).map_err(|e| format!("devnet: {e}"))?;
    let block = &devnet.world().block;
    let env = Env {
        block_number: scenario.block_number,
        timestamp: scenario.timestamp,
        chain_id: CHAIN_ID,
        basefee: block.basefee,
        coinbase: block.beneficiary,
        gas_limit: block.gas_limit,
        spec: SPEC,
        ..Env::default()
    };
    Ok((devnet, env))
}

/// Whether every contract `strategy` needs has code on the devnet.
pub(crate) fn available(devnet: &Devnet, strategy: &Strategy) -> bool {
    strategy.needs.iter().all(|a| has_code(devnet.world(), *a))
}

/// Runs `strategy` all three ways, each on a fresh copy of the devnet.
pub(crate) fn compare(
    devnet: &Devnet,
    env: &Env,
    strategy: &Strategy,
) -> Result<Comparison, String> {
    let nest = compile_script(strategy.script)?;
    let solc = runtime_code(strategy.solidity)?;
    let runs = Variant::ALL
        .iter()
        .map(|&variant| match variant {
            Variant::Native => run_native(devnet, env, &solc),
            Variant::SolcInHyvm => run_guest(devnet, env, variant, &solc),
            Variant::Nest => run_guest(devnet, env, variant, &nest),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Comparison {
        strategy: *strategy,
        runs,
    })
}

/// Compiles a Nest script of the repository (path relative to its root) with today's compiler;
/// the payload.
pub(crate) fn compile_script(path: &str) -> Result<Vec<u8>, String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"))?;
    let request = nest_driver::CompileRequest {
        name: path,
        text: &text,
        resolver: &nest_tests::RepoResolver,
        params: &[],
    };
    let compiled = nest_driver::compile(&request).map_err(|f| {
        let messages: Vec<String> = f.diagnostics.iter().map(|d| d.message.clone()).collect();
        format!("{path} does not compile: {}", messages.join("; "))
    })?;
    Ok(compiled.bytes)
}

/// The runtime code in a solc artifact of `out/`.
pub(crate) fn runtime_code(artifact: &str) -> Result<Vec<u8>, String> {
    let json: serde_json::Value =
        serde_json::from_str(artifact).map_err(|e| format!("artifact: {e}"))?;
    let code = json["deployedBytecode"]
        .as_str()
        .ok_or("artifact: no deployedBytecode")?;
    hex::decode(code).map_err(|e| format!("artifact: {e}"))
}

/// The vault DELEGATECALLs the strategy contract: it is placed where the vault's DELEGATECALL
/// goes, and no interpreter is attached there, so it runs as ordinary EVM code.
fn run_native(devnet: &Devnet, env: &Env, runtime: &[u8]) -> Result<Run, String> {
    let mut world = devnet.world().clone();
    let target = world.layout.hyvm;
    world.db.insert_account_info(
        target,
        AccountInfo::from_bytecode(Bytecode::new_legacy(Bytes::copy_from_slice(runtime))),
    );
    let cfg = HyvmConfig {
        address: NO_HYVM,
        ..HyvmConfig::default()
    };
    let calldata = keccak256("run()")[..4].to_vec();
    run_on(world, env, &cfg, Variant::Native, calldata)
}

/// The vault DELEGATECALLs the HyVM with `payload`, as `Devnet::dry_run` does.
fn run_guest(devnet: &Devnet, env: &Env, variant: Variant, payload: &[u8]) -> Result<Run, String> {
    let world = devnet.world().clone();
    let cfg = HyvmConfig {
        address: world.layout.hyvm,
        ..HyvmConfig::default()
    };
    run_on(world, env, &cfg, variant, payload.to_vec())
}

fn run_on(
    mut world: World,
    env: &Env,
    cfg: &HyvmConfig,
    variant: Variant,
    calldata: Vec<u8>,
) -> Result<Run, String> {
    let tx = Transaction {
        from: world.layout.vault_owner,
        vault: world.layout.vault,
        payload: Bytes::from(calldata),
        value: U256::ZERO,
        gas_limit: TX_GAS_LIMIT,
    };
    let execution = execute(&mut world.db, env, cfg, &tx, true)
        .map_err(|e| format!("{}: {e}", variant.name()))?;
    let failure = (!execution.success).then(|| match &execution.halt {
        Some(halt) => halt.clone(),
        None => format!("reverted with 0x{}", hex::encode(&execution.output)),
    });
    let vault = world.layout.vault;
    Ok(Run {
        variant,
        success: execution.success,
        failure,
        gas: execution.gas,
        calldata_bytes: tx.payload.len(),
        guest_instructions: execution.guest_instructions,
        balances: balances(&world, vault)?,
        allowances_left: allowances_left(&world, vault)?,
    })
}

/// The tokens whose balances a run is judged by.
pub(crate) fn tokens() -> [Address; 5] {
    [USDC, USDT, DAI, WETH, SDAI]
}

/// The spenders a strategy may grant allowances to.
pub(crate) fn spenders() -> [Address; 2] {
    [UNISWAP_V2_ROUTER, SDAI]
}

fn balances(world: &World, vault: Address) -> Result<Vec<(Address, U256)>, String> {
    tokens()
        .into_iter()
        .filter(|t| has_code(world, *t))
        .map(|token| {
            let data = with_words("balanceOf(address)", &[vault]);
            read_word(world, token, data).map(|b| (token, b))
        })
        .collect()
}

fn allowances_left(world: &World, vault: Address) -> Result<Vec<(Address, Address, U256)>, String> {
    let mut left = Vec::new();
    for token in tokens().into_iter().filter(|t| has_code(world, *t)) {
        for spender in spenders() {
            let data = with_words("allowance(address,address)", &[vault, spender]);
            let amount = read_word(world, token, data)?;
            if !amount.is_zero() {
                left.push((token, spender, amount));
            }
        }
    }
    Ok(left)
}

fn has_code(world: &World, address: Address) -> bool {
    let Some(account) = world.db.cache.accounts.get(&address) else {
        return false;
    };
    let code = match &account.info.code {
        Some(code) => Some(code),
        None => world.db.cache.contracts.get(&account.info.code_hash),
    };
    code.is_some_and(|c| !c.is_empty())
}

/// `signature`'s selector followed by the addresses as ABI words.
fn with_words(signature: &str, words: &[Address]) -> Vec<u8> {
    let mut data = keccak256(signature)[..4].to_vec();
    for word in words {
        data.extend_from_slice(&[0u8; 12]);
        data.extend_from_slice(word.as_slice());
    }
    data
}

fn read_word(world: &World, to: Address, data: Vec<u8>) -> Result<U256, String> {
    let output = world.view(to, data).map_err(|e| e.to_string())?;
    if output.len() < 32 {
        return Err(format!("{to}: short return data"));
    }
    Ok(U256::from_be_slice(&output[..32]))
}

/// The table the benchmark prints: per strategy and variant, the transaction's gas, the gas
/// beyond its intrinsic cost, the HyVM's share of it, the vault calldata, the guest
/// instructions, and each of those against native Solidity and against solc in the HyVM.
pub(crate) fn render(comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<13} {:<16} {:>8} {:>9} {:>7} {:>8} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "strategy",
        "variant",
        "total",
        "execution",
        "hyvm",
        "calldata",
        "instr",
        "exec/nat",
        "exec/slc",
        "tot/nat",
        "tot/slc",
    );
    for c in comparisons {
        let native = c.run(Variant::Native);
        let solc = c.run(Variant::SolcInHyvm);
        for run in &c.runs {
            let instructions = match run.variant {
                Variant::Native => "-".to_string(),
                _ => run.guest_instructions.to_string(),
            };
            let _ = writeln!(
                out,
                "{:<13} {:<16} {:>8} {:>9} {:>7} {:>8} {:>6} {:>8} {:>8} {:>8} {:>8}{}",
                c.strategy.name,
                run.variant.name(),
                run.gas.total,
                run.execution(),
                run.gas.hyvm_overhead,
                run.calldata_bytes,
                instructions,
                ratio(run.execution(), native.map(Run::execution)),
                ratio(run.execution(), solc.map(Run::execution)),
                ratio(run.gas.total, native.map(|r| r.gas.total)),
                ratio(run.gas.total, solc.map(|r| r.gas.total)),
                match &run.failure {
                    Some(why) => format!("  FAILED: {why}"),
                    None => String::new(),
                },
            );
        }
        if let Some(nest) = c.run(Variant::Nest) {
            let _ = writeln!(
                out,
                "{:<13} targets: exec/nat ≤ {} ({}), exec/slc ≤ 0.80 ({}), calldata ≤ {} ({})",
                "",
                c.strategy.target_vs_native,
                ratio(nest.execution(), native.map(Run::execution)),
                ratio(nest.execution(), solc.map(Run::execution)),
                c.strategy.hand_written_bytes,
                nest.calldata_bytes,
            );
        }
    }
    out
}

fn ratio(value: u64, base: Option<u64>) -> String {
    match base {
        Some(base) if base > 0 => format!("{:.3}", value as f64 / base as f64),
        _ => "-".to_string(),
    }
}
