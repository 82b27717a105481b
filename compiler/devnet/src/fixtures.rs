//! The devnet's compiled Solidity contracts, embedded from `fixtures/out/*.json`
//! (rebuilt with `npm run build` in `fixtures/`, see its README) and parsed on
//! first use.

use std::{fmt, sync::OnceLock};

use alloy_json_abi::JsonAbi;
use alloy_primitives::Bytes;
use serde::Deserialize;

/// One of the devnet's contracts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Contract {
    /// Plain ERC-20 with a public `mint` (USDC, DAI).
    DevToken,
    /// USDT look-alike: no return values, the approve race rule, a public `mint`.
    TetherToken,
    /// Wrapped ether.
    Weth9,
    /// Uniswap V2 factory.
    UniswapV2Factory,
    /// Uniswap V2 pair (created by the factory, never deployed directly).
    UniswapV2Pair,
    /// Uniswap V2 Router02.
    UniswapV2Router02,
    /// The vault that DELEGATECALLs the HyVM with its calldata.
    Vault,
}

impl Contract {
    /// Every fixture contract.
    pub const ALL: [Contract; 7] = [
        Contract::DevToken,
        Contract::TetherToken,
        Contract::Weth9,
        Contract::UniswapV2Factory,
        Contract::UniswapV2Pair,
        Contract::UniswapV2Router02,
        Contract::Vault,
    ];

    /// The contract's Solidity name, which is also its artifact's file stem.
    pub const fn name(self) -> &'static str {
        match self {
            Contract::DevToken => "DevToken",
            Contract::TetherToken => "TetherToken",
            Contract::Weth9 => "WETH9",
            Contract::UniswapV2Factory => "UniswapV2Factory",
            Contract::UniswapV2Pair => "UniswapV2Pair",
            Contract::UniswapV2Router02 => "UniswapV2Router02",
            Contract::Vault => "Vault",
        }
    }

    /// The contract with this Solidity name, if it is a fixture.
    pub fn from_name(name: &str) -> Option<Contract> {
        Contract::ALL.into_iter().find(|c| c.name() == name)
    }

    const fn artifact_json(self) -> &'static str {
        match self {
            Contract::DevToken => include_str!("../fixtures/out/DevToken.json"),
            Contract::TetherToken => include_str!("../fixtures/out/TetherToken.json"),
            Contract::Weth9 => include_str!("../fixtures/out/WETH9.json"),
            Contract::UniswapV2Factory => include_str!("../fixtures/out/UniswapV2Factory.json"),
            Contract::UniswapV2Pair => include_str!("../fixtures/out/UniswapV2Pair.json"),
            Contract::UniswapV2Router02 => include_str!("../fixtures/out/UniswapV2Router02.json"),
            Contract::Vault => include_str!("../fixtures/out/Vault.json"),
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A compiled contract: its ABI, creation code and runtime code.
#[derive(Clone, Debug)]
pub struct Fixture {
    contract: Contract,
    abi: JsonAbi,
    creation_code: Bytes,
    runtime_code: Bytes,
}

impl Fixture {
    /// Which contract this is.
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// The contract's ABI.
    pub fn abi(&self) -> &JsonAbi {
        &self.abi
    }

    /// The init code a CREATE runs (constructor arguments are appended by the caller).
    pub fn creation_code(&self) -> &Bytes {
        &self.creation_code
    }

    /// The deployed code, with immutables left as zero placeholders.
    pub fn runtime_code(&self) -> &Bytes {
        &self.runtime_code
    }
}

/// An embedded artifact could not be parsed; the committed `fixtures/out` is broken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixtureError {
    /// The contract whose artifact is broken.
    pub contract: Contract,
    /// What was wrong with it.
    pub message: String,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the embedded artifact of `{}` is invalid: {}",
            self.contract, self.message
        )
    }
}

impl std::error::Error for FixtureError {}

/// The compiled artifact of `contract`, parsed once and then shared.
pub fn fixture(contract: Contract) -> Result<&'static Fixture, FixtureError> {
    static PARSED: [OnceLock<Result<Fixture, FixtureError>>; Contract::ALL.len()] =
        [const { OnceLock::new() }; Contract::ALL.len()];
    PARSED[contract.index()]
        .get_or_init(|| parse(contract))
        .as_ref()
        .map_err(Clone::clone)
}

/// The artifact format `fixtures/build.js` writes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    abi: JsonAbi,
    bytecode: Bytes,
    deployed_bytecode: Bytes,
}

fn parse(contract: Contract) -> Result<Fixture, FixtureError> {
    let artifact: Artifact =
        serde_json::from_str(contract.artifact_json()).map_err(|e| FixtureError {
            contract,
            message: e.to_string(),
        })?;
    if artifact.bytecode.is_empty() || artifact.deployed_bytecode.is_empty() {
        return Err(FixtureError {
            contract,
            message: "empty bytecode".to_owned(),
        });
    }
    Ok(Fixture {
        contract,
        abi: artifact.abi,
        creation_code: artifact.bytecode,
        runtime_code: artifact.deployed_bytecode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_artifact_parses_with_code_and_abi() {
        for contract in Contract::ALL {
            let fixture = fixture(contract).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(fixture.contract(), contract);
            assert!(
                fixture.creation_code().len() > fixture.runtime_code().len(),
                "{contract}"
            );
            assert_eq!(Contract::from_name(contract.name()), Some(contract));
        }
    }

    #[test]
    fn abis_carry_the_expected_functions() {
        let router = fixture(Contract::UniswapV2Router02).unwrap_or_else(|e| panic!("{e}"));
        for name in [
            "swapExactTokensForTokens",
            "getAmountsOut",
            "addLiquidity",
            "factory",
            "WETH",
        ] {
            assert!(router.abi().function(name).is_some(), "router lacks {name}");
        }
        let vault = fixture(Contract::Vault).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            vault.abi().functions.is_empty(),
            "the vault must have no selectors"
        );
        assert!(vault.abi().fallback.is_some() && vault.abi().receive.is_some());
    }
}
