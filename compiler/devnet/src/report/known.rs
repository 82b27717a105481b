//! What the devnet knows about the contracts a run touches: their names (`USDC`,
//! `UniswapV2Pair USDC/WETH`) and their ABIs, to decode calls, events and revert data.

use std::collections::HashMap;

use alloy_json_abi::{Error, Event, Function};
use alloy_primitives::{Address, Selector, B256};

use crate::addresses::{a_token_symbol, debt_token_symbol, token_contract, DEPLOYER, FEEDS};
use crate::fixtures::{fixture, Contract, FixtureError};
use crate::layout::Layout;

/// Standard ERC-20 and ERC-721 items, so that tokens outside the fixtures decode too.
const STANDARD_ITEMS: [&str; 16] = [
    "function name() view returns (string)",
    "function symbol() view returns (string)",
    "function decimals() view returns (uint8)",
    "function totalSupply() view returns (uint256)",
    "function balanceOf(address owner) view returns (uint256)",
    "function allowance(address owner, address spender) view returns (uint256)",
    "function approve(address spender, uint256 amount) returns (bool)",
    "function transfer(address to, uint256 amount) returns (bool)",
    "function transferFrom(address from, address to, uint256 amount) returns (bool)",
    "function setApprovalForAll(address operator, bool approved)",
    "function isApprovedForAll(address owner, address operator) view returns (bool)",
    "function getApproved(uint256 tokenId) view returns (address)",
    "function safeTransferFrom(address from, address to, uint256 tokenId)",
    "event Transfer(address indexed from, address indexed to, uint256 value)",
    "event Approval(address indexed owner, address indexed spender, uint256 value)",
    "event ApprovalForAll(address indexed owner, address indexed operator, bool approved)",
];

/// ERC-721's `Approval`, whose third argument is indexed (four topics instead of three).
const ERC721_APPROVAL: &str =
    "event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)";

/// Names and ABIs of the devnet's contracts, built once per devnet.
#[derive(Clone, Debug)]
pub(crate) struct Known {
    names: HashMap<Address, String>,
    contracts: HashMap<Address, Contract>,
    functions: HashMap<Selector, Function>,
    events: Vec<Event>,
    errors: HashMap<Selector, Error>,
}

impl Known {
    /// Everything deployed on the devnet described by `layout`.
    pub(crate) fn new(layout: &Layout) -> Result<Known, FixtureError> {
        let mut names = HashMap::new();
        let mut contracts = HashMap::new();
        for token in &layout.tokens {
            names.insert(token.address, token.symbol.to_string());
            contracts.insert(token.address, token_contract(token.kind));
        }
        let symbol = |a: Address| {
            layout
                .tokens
                .iter()
                .find(|t| t.address == a)
                .map_or_else(|| a.to_checksum(None), |t| t.symbol.to_string())
        };
        for pair in layout.pairs.iter().chain(&layout.other_pairs) {
            let name = format!(
                "UniswapV2Pair {}/{}",
                symbol(pair.token0),
                symbol(pair.token1)
            );
            names.insert(pair.address, name);
            contracts.insert(pair.address, Contract::UniswapV2Pair);
        }
        for pool in &layout.v3_pools {
            let name = format!(
                "UniswapV3Pool {}/{} {}",
                symbol(pool.token0),
                symbol(pool.token1),
                fee_percent(pool.fee)
            );
            names.insert(pool.address, name);
            contracts.insert(pool.address, Contract::UniswapV3Pool);
        }
        for reserve in &layout.aave_reserves {
            let asset = symbol(reserve.asset);
            names.insert(reserve.a_token, a_token_symbol(&asset));
            contracts.insert(reserve.a_token, Contract::AToken);
            names.insert(reserve.variable_debt_token, debt_token_symbol(&asset));
            contracts.insert(reserve.variable_debt_token, Contract::VariableDebtToken);
        }
        for (address, contract) in [
            (layout.factory, Contract::UniswapV2Factory),
            (layout.router, Contract::UniswapV2Router02),
            (layout.v3_factory, Contract::UniswapV3Factory),
            (layout.v3_router, Contract::SwapRouter02),
            (layout.v3_quoter, Contract::QuoterV2),
            (layout.aave_pool, Contract::AavePool),
            (
                layout.aave_data_provider,
                Contract::AaveProtocolDataProvider,
            ),
            (layout.permit2, Contract::Permit2),
            (layout.nft, Contract::DevNft),
            (layout.vault, Contract::Vault),
        ] {
            names.insert(address, contract.name().to_string());
            contracts.insert(address, contract);
        }
        for (address, contract, name) in [
            (layout.curve_3pool, Contract::CurvePool, "Curve3Pool"),
            (layout.curve_3pool_lp, Contract::CurveLpToken, "3Crv"),
            (layout.comet_usdc, Contract::Comet, "CometUSDC"),
            (layout.comet_weth, Contract::Comet, "CometWETH"),
            (layout.morpho, Contract::Morpho, "MorphoBlue"),
        ] {
            names.insert(address, name.to_string());
            contracts.insert(address, contract);
        }
        for feed in &FEEDS {
            let pair = feed.description.replace(' ', "");
            names.insert(feed.address, format!("Chainlink {pair}"));
            contracts.insert(feed.address, Contract::ChainlinkFeed);
        }
        for market in &layout.morpho_markets {
            let pair = format!(
                "{}/{}",
                symbol(market.collateral_token),
                symbol(market.loan_token)
            );
            names.insert(market.oracle, format!("MorphoOracle {pair}"));
            contracts.insert(market.oracle, Contract::MorphoFixedPriceOracle);
            names.insert(market.irm, "MorphoIrm".to_string());
            contracts.insert(market.irm, Contract::MorphoFixedRateIrm);
        }
        names.insert(layout.hyvm, "HyVM".to_string());
        // Precompiles (generated code copies memory through the identity precompile).
        for (i, name) in [
            "ecrecover",
            "sha256",
            "ripemd160",
            "identity",
            "modexp",
            "ecadd",
            "ecmul",
            "ecpairing",
            "blake2f",
            "point_evaluation",
        ]
        .iter()
        .enumerate()
        {
            names.insert(
                Address::with_last_byte(i as u8 + 1),
                format!("precompile {name}"),
            );
        }
        names.insert(layout.vault_owner, "owner".to_string());
        names.insert(DEPLOYER, "deployer".to_string());

        let mut functions = HashMap::new();
        let mut events = Vec::new();
        let mut errors = HashMap::new();
        for contract in Contract::ALL {
            let abi = fixture(contract)?.abi();
            for f in abi.functions() {
                functions.entry(f.selector()).or_insert_with(|| f.clone());
            }
            for e in abi.events() {
                push_event(&mut events, e.clone());
            }
            for e in abi.errors() {
                errors.entry(e.selector()).or_insert_with(|| e.clone());
            }
        }
        for item in STANDARD_ITEMS {
            if let Ok(f) = Function::parse(item) {
                functions.entry(f.selector()).or_insert(f);
            } else if let Ok(e) = Event::parse(item) {
                push_event(&mut events, e);
            }
        }
        if let Ok(e) = Event::parse(ERC721_APPROVAL) {
            push_event(&mut events, e);
        }
        Ok(Known {
            names,
            contracts,
            functions,
            events,
            errors,
        })
    }

    /// The known name of an address.
    pub(crate) fn name(&self, address: Address) -> Option<&str> {
        self.names.get(&address).map(String::as_str)
    }

    /// Every known name, by checksummed address.
    pub(crate) fn names(&self) -> std::collections::BTreeMap<String, String> {
        self.names
            .iter()
            .map(|(a, n)| (a.to_checksum(None), n.clone()))
            .collect()
    }

    /// Names `address` (a token found during a run), unless it already has a name.
    pub(crate) fn add_name(&mut self, address: Address, name: String) {
        self.names.entry(address).or_insert(name);
    }

    /// The function a call to `target` with `selector` runs: from the target's own ABI first,
    /// then `extra` (signatures the compiler passed), then any fixture or standard ABI.
    pub(crate) fn function(
        &self,
        target: Address,
        selector: Selector,
        extra: &[Function],
    ) -> Option<Function> {
        let own = self
            .contracts
            .get(&target)
            .and_then(|c| fixture(*c).ok())
            .and_then(|f| f.abi().functions().find(|f| f.selector() == selector));
        own.or_else(|| extra.iter().find(|f| f.selector() == selector))
            .or_else(|| self.functions.get(&selector))
            .cloned()
    }

    /// The devnet contract at `target` (its Solidity name), when it is one and its ABI has no
    /// function with `selector`: a call to it can only have reverted for want of the function.
    /// `code_len` is the length of the code at `target`: a fixture's (immutables change its
    /// bytes, not its length), not a fork's real contract at the same address.
    pub(crate) fn lacks(
        &self,
        target: Address,
        selector: Selector,
        code_len: Option<usize>,
    ) -> Option<&'static str> {
        let contract = *self.contracts.get(&target)?;
        let fixture = fixture(contract).ok()?;
        if code_len != Some(fixture.runtime_code().len()) {
            return None;
        }
        let abi = fixture.abi();
        (!abi.functions().any(|f| f.selector() == selector)).then(|| contract.name())
    }

    /// The event a log with these topics is an instance of (matched on the signature hash and
    /// on the number of indexed arguments).
    pub(crate) fn event(&self, topics: &[B256]) -> Option<&Event> {
        let (first, rest) = topics.split_first()?;
        self.events.iter().find(|e| {
            !e.anonymous
                && e.selector() == *first
                && e.inputs.iter().filter(|p| p.indexed).count() == rest.len()
        })
    }

    /// The custom error whose selector is `selector`.
    pub(crate) fn error(&self, selector: Selector) -> Option<&Error> {
        self.errors.get(&selector)
    }

    /// Adds custom errors (the script's interfaces declare them); an error a fixture's ABI
    /// already has keeps the fixture's parameter names.
    pub(crate) fn add_errors(&mut self, errors: impl IntoIterator<Item = Error>) {
        for e in errors {
            self.errors.entry(e.selector()).or_insert(e);
        }
    }
}

/// A V3 fee tier as a percentage: 500 → `0.05%`, 3000 → `0.3%`.
fn fee_percent(fee: u32) -> String {
    let whole = fee / 10_000;
    let fraction = format!("{:04}", fee % 10_000);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{whole}%")
    } else {
        format!("{whole}.{fraction}%")
    }
}

/// Adds `event` unless an event with the same signature and indexing is there already.
fn push_event(events: &mut Vec<Event>, event: Event) {
    let indexed = |e: &Event| e.inputs.iter().map(|p| p.indexed).collect::<Vec<_>>();
    if !events
        .iter()
        .any(|e| e.selector() == event.selector() && indexed(e) == indexed(&event))
    {
        events.push(event);
    }
}

/// Parses the compiler's function signatures (`transfer(address,uint256)` or
/// `function balanceOf(address) returns (uint256)`), skipping the ones that do not parse and
/// the custom errors (see [`parse_errors`]).
pub(crate) fn parse_signatures(signatures: &[String]) -> Vec<Function> {
    signatures
        .iter()
        .filter(|s| error_declaration(s).is_none())
        .filter_map(|s| Function::parse(s.trim()).ok())
        .collect()
}

/// Parses the custom errors among the compiler's signatures, those written
/// `error Name(uint256 amount)`; skips the ones that do not parse.
pub(crate) fn parse_errors(signatures: &[String]) -> Vec<Error> {
    signatures
        .iter()
        .filter_map(|s| error_declaration(s))
        .filter_map(|s| Error::parse(s).ok())
        .collect()
}

/// `s` trimmed, when it declares an error.
fn error_declaration(s: &str) -> Option<&str> {
    let s = s.trim();
    s.strip_prefix("error")
        .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        .then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_functions_are_told_apart() {
        let signatures = [
            "transfer(address,uint256)".to_string(),
            "error InsufficientAllowance(uint256 amount)".to_string(),
            " error Broke()".to_string(),
            "errorCount()".to_string(),
            "error Bad(uint256".to_string(),
        ];
        let functions: Vec<String> = parse_signatures(&signatures)
            .iter()
            .map(Function::signature)
            .collect();
        assert_eq!(functions, ["transfer(address,uint256)", "errorCount()"]);
        let errors = parse_errors(&signatures);
        let names: Vec<(String, String)> = errors
            .iter()
            .map(|e| {
                (
                    e.signature(),
                    e.inputs.first().map_or(String::new(), |p| p.name.clone()),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                (
                    "InsufficientAllowance(uint256)".to_string(),
                    "amount".to_string()
                ),
                ("Broke()".to_string(), String::new())
            ]
        );
    }
}
