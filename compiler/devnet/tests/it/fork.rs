//! Fork mode against a real node.
//!
//! The `#[ignore]`d tests need a local development node with unlocked, funded accounts
//! (Hardhat): `NEST_FORK_URL` names a running one, otherwise the test starts
//! `tests/fork/node_modules/.bin/hardhat node` on a free port of 127.0.0.1 (installed by
//! `tests/fork/run.sh`, which also runs them). They deploy the fixture token and vault with RPC
//! transactions, dry-run payloads in fork mode and check the report and that the node's state
//! did not change. The other tests need no node.

use crate::support::node::{free_port, rpc, Node};
use alloy_primitives::{address, hex, Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use nest_devnet::fixtures::{fixture, Contract};
use nest_devnet::{DevnetError, ForkDevnet, ForkError, ForkOptions, Report, RunContext, Scenario};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The HyVM address the test vaults delegate to; no code is deployed there.
const HYVM: Address = address!("0x00000000000000000000000000000000000048a5");
/// Whoever receives what the payloads send.
const RECIPIENT: Address = address!("0x000000000000000000000000000000000000bEEF");
/// Tokens minted to the vault, and sent by the payload (6 decimals).
const MINTED: u64 = 1_000_000_000;
const SENT: u64 = 250_000_000;
/// Wei sent to the vault, and by the payload.
const VAULT_WEI: u128 = 1_000_000_000_000_000_000;
const SENT_WEI: u64 = 100_000_000_000_000_000;

sol! {
    function mint(address to, uint256 amount);
    function balanceOf(address owner) returns (uint256);
    function transfer(address to, uint256 amount) returns (bool);
}

// ---------------------------------------------------------------- without a node

#[test]
fn a_url_that_is_not_http_is_refused() {
    let options = ForkOptions {
        url: "localhost:8545".into(),
        ..ForkOptions::default()
    };
    match ForkDevnet::new(&options, &Scenario::default()) {
        Err(DevnetError::Fork(ForkError::BadUrl { url })) => assert_eq!(url, "localhost:8545"),
        other => panic!("expected a bad URL, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn an_unreachable_node_is_an_error_that_hides_the_path() {
    let port = free_port();
    let options = ForkOptions {
        url: format!("http://127.0.0.1:{port}/v2/secret-key"),
        ..ForkOptions::default()
    };
    let error = match ForkDevnet::new(&options, &Scenario::default()) {
        Err(error) => error,
        Ok(_) => panic!("nothing listens on port {port}"),
    };
    assert!(matches!(
        error,
        DevnetError::Fork(ForkError::Unreachable { .. })
    ));
    let message = error.to_string();
    assert!(
        message.contains(&format!("http://127.0.0.1:{port}")),
        "{message}"
    );
    assert!(!message.contains("secret-key"), "{message}");
}

// ---------------------------------------------------------------- against a node

#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn a_real_vault_on_a_fork_reports_its_changes_and_leaves_the_node_alone() {
    let node = Node::start();
    let chain = Chain::deploy(&node.url);

    // The fixture vault has no `owner()`: without `--from` that is an error.
    let without_owner = ForkOptions {
        url: node.url.clone(),
        vault: Some(chain.vault),
        hyvm: Some(HYVM),
        ..ForkOptions::default()
    };
    match ForkDevnet::new(&without_owner, &Scenario::default()) {
        Err(DevnetError::Fork(ForkError::NoOwner(vault))) => assert_eq!(vault, chain.vault),
        other => panic!("expected no owner, got {:?}", other.map(|_| ())),
    }

    let state_before = chain.observe(&node.url);
    let options = ForkOptions {
        from: Some(chain.dev),
        ..without_owner
    };
    let fork = ok(ForkDevnet::new(&options, &Scenario::default()));
    assert_eq!(fork.vault(), chain.vault);
    assert_eq!(fork.owner(), chain.dev);
    assert!(!fork.runs_deployed_hyvm());
    let ctx = RunContext {
        return_types: vec!["uint256".into()],
        ..RunContext::default()
    };
    let payload = send_token_and_eth(chain.token);
    let report = ok(fork.dry_run(&payload, &ctx));

    assert!(report.success, "{}", report.render(false));
    assert_eq!(report.to_json()["return"], json!(["1"]));
    assert!(report.allowances_left.is_empty());
    assert_eq!(report.calls.len(), 2, "{}", report.render(false));
    assert_eq!(
        deltas(&report),
        [
            ("ETH".to_string(), format!("-{SENT_WEI}")),
            ("NUSD".to_string(), format!("-{SENT}")),
        ]
    );
    assert!(report.gas.total > 21_000 && report.gas.hyvm_overhead > 0);

    // A second run starts from the same state and says the same.
    let again = ok(fork.dry_run(&payload, &ctx));
    assert_eq!(again.to_json(), report.to_json());

    // Only reads reached the node.
    assert_eq!(chain.observe(&node.url), state_before);
}

#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn the_owner_is_read_from_the_vault() {
    let node = Node::start();
    let chain = Chain::deploy(&node.url);
    // A contract that answers every call with the dev account's address, as `owner()` would.
    let mut runtime = vec![0x73];
    runtime.extend_from_slice(chain.dev.as_slice());
    runtime.extend_from_slice(&[0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3]);
    let owned = chain.create(&node.url, init_code(&runtime));
    let options = ForkOptions {
        url: node.url.clone(),
        vault: Some(owned),
        hyvm: Some(HYVM),
        ..ForkOptions::default()
    };
    let fork = ok(ForkDevnet::new(&options, &Scenario::default()));
    assert_eq!(fork.owner(), chain.dev);
}

#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn without_a_vault_the_fixture_vault_is_placed_and_funded_with_eth() {
    let node = Node::start();
    let chain = Chain::deploy(&node.url);
    let options = ForkOptions {
        url: node.url.clone(),
        ..ForkOptions::default()
    };
    let fork = ok(ForkDevnet::new(&options, &Scenario::default()));
    assert!(fork
        .notes()
        .iter()
        .any(|n| n.contains("tokens cannot be minted")));
    let report = ok(fork.dry_run(&send_token_and_eth(chain.token), &RunContext::default()));
    assert!(report.success, "{}", report.render(false));
    // The placed vault holds the scenario's ETH but none of the token: its transfer fails.
    assert_eq!(
        deltas(&report),
        [("ETH".to_string(), format!("-{SENT_WEI}"))]
    );
    assert_eq!(report.calls.first().map(|c| c.success), Some(false));
}

#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn the_chains_own_hyvm_runs_when_it_has_code() {
    let node = Node::start();
    let chain = Chain::deploy(&node.url);
    // A stand-in HyVM that returns 42 whatever the payload: PUSH1 42, PUSH0, MSTORE,
    // PUSH1 32, PUSH0, RETURN.
    let hyvm = chain.create(
        &node.url,
        init_code(&[0x60, 42, 0x5f, 0x52, 0x60, 32, 0x5f, 0xf3]),
    );
    let options = ForkOptions {
        url: node.url.clone(),
        hyvm: Some(hyvm),
        ..ForkOptions::default()
    };
    // It fails the probe: not recognised, and its run is not a success.
    let fork = ok(ForkDevnet::new(&options, &Scenario::default()));
    assert!(matches!(
        fork.hyvm_check(),
        nest_devnet::fork::HyvmCheck::Unrecognised(_)
    ));
    let report = ok(fork.dry_run(&[0x5f, 0x5f, 0xfd], &RunContext::default()));
    assert!(!report.success, "{}", report.render(false));
    // Unchecked, it runs.
    let options = ForkOptions {
        hyvm_unchecked: true,
        ..options
    };
    let fork = ok(ForkDevnet::new(&options, &Scenario::default()));
    assert!(fork.runs_deployed_hyvm());
    // Emulated, this payload (PUSH0 PUSH0 REVERT) would revert.
    let report = ok(fork.dry_run(&[0x5f, 0x5f, 0xfd], &RunContext::default()));
    assert!(report.success, "{}", report.render(false));
    assert_eq!(report.return_data, format!("0x{:064x}", 42));
    assert_eq!(
        (report.guest_instructions, report.gas.hyvm_overhead),
        (0, 0)
    );
}

#[test]
#[ignore = "needs a local node: run compiler/devnet/tests/fork/run.sh"]
fn a_block_after_the_head_or_a_vault_without_code_is_an_error() {
    let node = Node::start();
    let chain = Chain::deploy(&node.url);
    let future = ForkOptions {
        url: node.url.clone(),
        block: Some(1_000_000),
        ..ForkOptions::default()
    };
    assert!(matches!(
        ForkDevnet::new(&future, &Scenario::default()),
        Err(DevnetError::Fork(ForkError::NoSuchBlock(1_000_000)))
    ));
    let no_code = ForkOptions {
        url: node.url.clone(),
        vault: Some(RECIPIENT),
        hyvm: Some(HYVM),
        from: Some(chain.dev),
        ..ForkOptions::default()
    };
    assert!(matches!(
        ForkDevnet::new(&no_code, &Scenario::default()),
        Err(DevnetError::Fork(ForkError::NotAVault(RECIPIENT)))
    ));
    let no_hyvm = ForkOptions {
        url: node.url.clone(),
        vault: Some(chain.vault),
        ..ForkOptions::default()
    };
    assert!(matches!(
        ForkDevnet::new(&no_hyvm, &Scenario::default()),
        Err(DevnetError::Fork(ForkError::HyvmRequired(_)))
    ));
}

// ---------------------------------------------------------------- payloads

/// `token.transfer(RECIPIENT, SENT)`, then `RECIPIENT.call{value: SENT_WEI}("")`, returning
/// whether both succeeded.
fn send_token_and_eth(token: Address) -> Vec<u8> {
    let mut code = Vec::new();
    let calldata = transferCall {
        to: RECIPIENT,
        amount: U256::from(SENT),
    }
    .abi_encode();
    // Lay the 68 bytes of calldata out in memory from 0, word by word (the last one padded).
    for (i, word) in calldata.chunks(32).enumerate() {
        let mut padded = [0u8; 32];
        padded[..word.len()].copy_from_slice(word);
        push(&mut code, &padded);
        push(&mut code, &[(i * 32) as u8]);
        code.push(0x52); // MSTORE
    }
    // CALL(gas, token, 0, 0, 68, 0, 32)
    push(&mut code, &[32]);
    code.push(0x5f);
    push(&mut code, &[calldata.len() as u8]);
    code.extend_from_slice(&[0x5f, 0x5f]);
    push(&mut code, token.as_slice());
    code.extend_from_slice(&[0x5a, 0xf1]);
    // CALL(gas, RECIPIENT, SENT_WEI, 0, 0, 0, 0)
    code.extend_from_slice(&[0x5f, 0x5f, 0x5f, 0x5f]);
    push(&mut code, &SENT_WEI.to_be_bytes());
    push(&mut code, RECIPIENT.as_slice());
    code.extend_from_slice(&[0x5a, 0xf1]);
    // AND, PUSH0, MSTORE, PUSH1 32, PUSH0, RETURN
    code.extend_from_slice(&[0x16, 0x5f, 0x52, 0x60, 32, 0x5f, 0xf3]);
    code
}

/// PUSHn of `bytes` (1 to 32 of them).
fn push(code: &mut Vec<u8>, bytes: &[u8]) {
    code.push(0x5f + bytes.len() as u8);
    code.extend_from_slice(bytes);
}

/// Init code that deploys `runtime` as it is.
fn init_code(runtime: &[u8]) -> Vec<u8> {
    // PUSH1 len, DUP1, PUSH1 12, PUSH0, CODECOPY, PUSH0, RETURN, then the runtime.
    let len = runtime.len() as u8;
    let mut code = vec![0x60, len, 0x80, 0x60, 12, 0x5f, 0x39, 0x5f, 0xf3];
    code.resize(12, 0x00);
    code.extend_from_slice(runtime);
    code
}

/// The report's asset changes as (symbol, delta).
fn deltas(report: &Report) -> Vec<(String, String)> {
    report
        .asset_changes
        .iter()
        .map(|c| (c.symbol.clone(), c.delta.clone()))
        .collect()
}

fn ok<T>(result: Result<T, DevnetError>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------- the node

/// What the test deployed.
struct Chain {
    /// The first unlocked account: deployer, the vault's owner, and the sender of everything.
    dev: Address,
    token: Address,
    vault: Address,
}

impl Chain {
    /// Deploys the fixture token (`NUSD`, 6 decimals) and the fixture vault (owned by the dev
    /// account, delegating to [`HYVM`]), mints the vault tokens and sends it ether.
    fn deploy(url: &str) -> Chain {
        let accounts = rpc(url, "eth_accounts", json!([]));
        let dev: Address = accounts[0]
            .as_str()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no dev account: {accounts}"));
        let chain = Chain {
            dev,
            token: Address::ZERO,
            vault: Address::ZERO,
        };
        let token = chain.create(
            url,
            with_args(
                Contract::DevToken,
                &("Nest USD".to_string(), "NUSD".to_string(), U256::from(6)).abi_encode_params(),
            ),
        );
        let vault = chain.create(
            url,
            with_args(Contract::Vault, &(dev, HYVM).abi_encode_params()),
        );
        let mint = mintCall {
            to: vault,
            amount: U256::from(MINTED),
        };
        chain.send(
            url,
            json!({ "to": token, "data": hex::encode_prefixed(mint.abi_encode()) }),
        );
        chain.send(
            url,
            json!({ "to": vault, "value": format!("{VAULT_WEI:#x}") }),
        );
        Chain {
            token,
            vault,
            ..chain
        }
    }

    /// Deploys `init` and returns the new contract's address.
    fn create(&self, url: &str, init: Vec<u8>) -> Address {
        let receipt = self.send(url, json!({ "data": hex::encode_prefixed(init) }));
        receipt["contractAddress"]
            .as_str()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no contract created: {receipt}"))
    }

    /// Sends a transaction from the dev account and returns its (successful) receipt.
    fn send(&self, url: &str, mut tx: Value) -> Value {
        tx["from"] = json!(self.dev);
        tx["gas"] = json!("0x1000000");
        let hash = rpc(url, "eth_sendTransaction", json!([tx]));
        let started = Instant::now();
        loop {
            let receipt = rpc(url, "eth_getTransactionReceipt", json!([hash]));
            if !receipt.is_null() {
                assert_eq!(receipt["status"], json!("0x1"), "{receipt}");
                return receipt;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "not mined");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The head block, the vault's and the recipient's ether, and their token balances.
    fn observe(&self, url: &str) -> Vec<Value> {
        let balance_of = |owner: Address| {
            let call = balanceOfCall { owner }.abi_encode();
            rpc(
                url,
                "eth_call",
                json!([{ "to": self.token, "data": hex::encode_prefixed(call) }, "latest"]),
            )
        };
        vec![
            rpc(url, "eth_blockNumber", json!([])),
            rpc(url, "eth_getBalance", json!([self.vault, "latest"])),
            rpc(url, "eth_getBalance", json!([RECIPIENT, "latest"])),
            balance_of(self.vault),
            balance_of(RECIPIENT),
        ]
    }
}

/// A fixture's creation code followed by its constructor arguments.
fn with_args(contract: Contract, args: &[u8]) -> Vec<u8> {
    let artifact = fixture(contract).unwrap_or_else(|e| panic!("{e}"));
    let mut code = artifact.creation_code().to_vec();
    code.extend_from_slice(args);
    code
}
