//! `nestc doctor`'s checks (`nest_devnet::doctor`) against a local node (Hardhat): the
//! devnet's fixtures are copied, code and storage, to the node at the stdlib's Ethereum
//! addresses, and a fake chain module (every entry right but one token declared with the
//! wrong decimals) is checked over JSON-RPC. `#[ignore]`d like the fork tests:
//! `tests/fork/run.sh` runs them.

use alloy_primitives::Address;
use nest_devnet::addresses::{
    DAI, PERMIT2, UNISWAP_V2_FACTORY, UNISWAP_V2_ROUTER, UNISWAP_V3_FACTORY, UNISWAP_V3_QUOTER,
    UNISWAP_V3_ROUTER, USDC, USDT, WETH,
};
use nest_devnet::deploy::{deploy, Funding, World};
use nest_devnet::doctor::{self, Entry, Expect, NodeReader};
use serde_json::json;

use crate::support::node::{rpc, Node};

fn token(name: &str, address: Address, decimals: u8) -> Entry {
    Entry {
        name: name.into(),
        address,
        expect: Expect::Token {
            decimals,
            symbol: name.into(),
        },
    }
}

fn contract(name: &str, address: Address, interface: &str) -> Entry {
    Entry {
        name: name.into(),
        address,
        expect: Expect::Contract {
            interface: interface.into(),
        },
    }
}

/// Copies the account's code and storage from the in-memory devnet to the node.
fn copy(world: &World, url: &str, address: Address) {
    let account = world
        .db
        .cache
        .accounts
        .get(&address)
        .unwrap_or_else(|| panic!("the devnet has nothing at {address}"));
    let code = account
        .info
        .code
        .as_ref()
        .map(|c| c.original_bytes())
        .unwrap_or_default();
    rpc(url, "hardhat_setCode", json!([address, code]));
    for (slot, value) in &account.storage {
        rpc(
            url,
            "hardhat_setStorageAt",
            json!([
                address,
                format!("{:#066x}", slot),
                format!("{:#066x}", value)
            ]),
        );
    }
}

#[test]
#[ignore = "needs a local node: compiler/devnet/tests/fork/run.sh"]
fn doctor_finds_the_one_wrong_entry_on_a_node() {
    let node = Node::start();
    let world = deploy(nest_hyvm::DEFAULT_HYVM_ADDRESS, &Funding::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let placed = [
        USDC,
        USDT,
        DAI,
        WETH,
        UNISWAP_V2_FACTORY,
        UNISWAP_V2_ROUTER,
        UNISWAP_V3_FACTORY,
        UNISWAP_V3_ROUTER,
        UNISWAP_V3_QUOTER,
        PERMIT2,
    ];
    for address in placed {
        copy(&world, &node.url, address);
    }
    let book = vec![
        token("USDC", USDC, 6),
        token("USDT", USDT, 6),
        // Deliberately wrong: DAI has 18 decimals.
        token("DAI", DAI, 6),
        token("WETH", WETH, 18),
        contract(
            "UNISWAP_V2_FACTORY",
            UNISWAP_V2_FACTORY,
            "IUniswapV2Factory",
        ),
        contract("UNISWAP_V2_ROUTER", UNISWAP_V2_ROUTER, "IUniswapV2Router"),
        contract(
            "UNISWAP_V3_FACTORY",
            UNISWAP_V3_FACTORY,
            "IUniswapV3Factory",
        ),
        contract("UNISWAP_V3_ROUTER", UNISWAP_V3_ROUTER, "ISwapRouter02"),
        contract("UNISWAP_V3_QUOTER", UNISWAP_V3_QUOTER, "IQuoterV2"),
        contract("PERMIT2", PERMIT2, "IPermit2"),
        // Nothing was placed here.
        contract("NOWHERE", Address::repeat_byte(0x42), "IPool"),
    ];
    let reader = NodeReader::new(&node.url).unwrap_or_else(|e| panic!("{e}"));
    let findings = doctor::check(&book, &reader).unwrap_or_else(|e| panic!("{e}"));
    let text = doctor::render("test", &findings);
    let bad: Vec<(&str, &str)> = findings
        .iter()
        .filter(|f| !f.ok)
        .map(|f| (f.name.as_str(), f.detail.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            ("DAI", "`decimals()` is 18, the book says 6"),
            ("NOWHERE", "no code at this address"),
        ],
        "{text}"
    );
    assert!(text.contains("2 of 11 addresses do not match"), "{text}");
}

#[test]
#[ignore = "needs a local node: compiler/devnet/tests/fork/run.sh"]
fn the_node_chain_id_is_read() {
    let node = Node::start();
    let reader = NodeReader::new(&node.url).unwrap_or_else(|e| panic!("{e}"));
    // Hardhat's default chain id, unless NEST_FORK_URL names another node.
    let id = reader.chain_id().unwrap_or_else(|e| panic!("{e}"));
    assert!(id > 0);
}

#[test]
fn an_unreachable_node_is_an_error_not_a_mismatch() {
    let port = crate::support::node::free_port();
    let reader =
        NodeReader::new(&format!("http://127.0.0.1:{port}/KEY")).unwrap_or_else(|e| panic!("{e}"));
    let book = [token("USDC", USDC, 6)];
    let error = doctor::check(&book, &reader).err().map(|e| e.to_string());
    let error = error.unwrap_or_default();
    assert!(!error.is_empty() && !error.contains("KEY"), "{error}");
}
