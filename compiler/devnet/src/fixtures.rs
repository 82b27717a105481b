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
    /// Plain ERC-20 with a public `mint` (USDC, DAI, WBTC).
    DevToken,
    /// USDT look-alike: no return values, the approve race rule, a public `mint`.
    TetherToken,
    /// Wrapped ether.
    Weth9,
    /// Devnet ERC-20 whose `transfer*` return `false` instead of reverting.
    FalsyToken,
    /// Devnet ERC-20 burning 1% of every transfer.
    FeeOnTransferToken,
    /// Uniswap V2 factory.
    UniswapV2Factory,
    /// Uniswap V2 pair (created by the factory, never deployed directly).
    UniswapV2Pair,
    /// Uniswap V2 Router02.
    UniswapV2Router02,
    /// Uniswap V3 factory.
    UniswapV3Factory,
    /// Uniswap V3 pool, one full-range position (created by the factory).
    UniswapV3Pool,
    /// Uniswap SwapRouter02 (V3 exact-input swaps).
    SwapRouter02,
    /// Uniswap QuoterV2 (exact-input quotes).
    QuoterV2,
    /// ERC-4626 vault over DAI (sDAI).
    SavingsDai,
    /// Lido stETH (rebasing shares).
    StEth,
    /// Lido wstETH.
    WstEth,
    /// Aave V3 Pool.
    AavePool,
    /// Aave V3 aToken (deployed per reserve).
    AToken,
    /// Aave V3 variable debt token (deployed per reserve).
    VariableDebtToken,
    /// Aave V3 AaveProtocolDataProvider.
    AaveProtocolDataProvider,
    /// Devnet ERC-721 collection with a public `mint`.
    DevNft,
    /// Uniswap Permit2 (allowance transfers).
    Permit2,
    /// The vault that DELEGATECALLs the HyVM with its calldata.
    Vault,
    /// Curve StableSwap 3-coin pool (the 3pool).
    CurvePool,
    /// A Curve pool's LP token (3Crv).
    CurveLpToken,
    /// Compound III market (Comet).
    Comet,
    /// Morpho Blue.
    Morpho,
    /// A Morpho oracle with a fixed price.
    MorphoFixedPriceOracle,
    /// A Morpho interest rate model with a fixed rate.
    MorphoFixedRateIrm,
    /// A Chainlink-style price feed (one per feed address).
    ChainlinkFeed,
}

impl Contract {
    /// Every fixture contract.
    pub const ALL: [Contract; 29] = [
        Contract::DevToken,
        Contract::TetherToken,
        Contract::Weth9,
        Contract::FalsyToken,
        Contract::FeeOnTransferToken,
        Contract::UniswapV2Factory,
        Contract::UniswapV2Pair,
        Contract::UniswapV2Router02,
        Contract::UniswapV3Factory,
        Contract::UniswapV3Pool,
        Contract::SwapRouter02,
        Contract::QuoterV2,
        Contract::SavingsDai,
        Contract::StEth,
        Contract::WstEth,
        Contract::AavePool,
        Contract::AToken,
        Contract::VariableDebtToken,
        Contract::AaveProtocolDataProvider,
        Contract::DevNft,
        Contract::Permit2,
        Contract::Vault,
        Contract::CurvePool,
        Contract::CurveLpToken,
        Contract::Comet,
        Contract::Morpho,
        Contract::MorphoFixedPriceOracle,
        Contract::MorphoFixedRateIrm,
        Contract::ChainlinkFeed,
    ];

    /// The contract's Solidity name, which is also its artifact's file stem.
    pub const fn name(self) -> &'static str {
        match self {
            Contract::DevToken => "DevToken",
            Contract::TetherToken => "TetherToken",
            Contract::Weth9 => "WETH9",
            Contract::FalsyToken => "FalsyToken",
            Contract::FeeOnTransferToken => "FeeOnTransferToken",
            Contract::UniswapV2Factory => "UniswapV2Factory",
            Contract::UniswapV2Pair => "UniswapV2Pair",
            Contract::UniswapV2Router02 => "UniswapV2Router02",
            Contract::UniswapV3Factory => "UniswapV3Factory",
            Contract::UniswapV3Pool => "UniswapV3Pool",
            Contract::SwapRouter02 => "SwapRouter02",
            Contract::QuoterV2 => "QuoterV2",
            Contract::SavingsDai => "SavingsDai",
            Contract::StEth => "StETH",
            Contract::WstEth => "WstETH",
            Contract::AavePool => "AavePool",
            Contract::AToken => "AToken",
            Contract::VariableDebtToken => "VariableDebtToken",
            Contract::AaveProtocolDataProvider => "AaveProtocolDataProvider",
            Contract::DevNft => "DevNFT",
            Contract::Permit2 => "Permit2",
            Contract::Vault => "Vault",
            Contract::CurvePool => "CurvePool",
            Contract::CurveLpToken => "CurveLpToken",
            Contract::Comet => "Comet",
            Contract::Morpho => "Morpho",
            Contract::MorphoFixedPriceOracle => "MorphoFixedPriceOracle",
            Contract::MorphoFixedRateIrm => "MorphoFixedRateIrm",
            Contract::ChainlinkFeed => "ChainlinkFeed",
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
            Contract::FalsyToken => include_str!("../fixtures/out/FalsyToken.json"),
            Contract::FeeOnTransferToken => include_str!("../fixtures/out/FeeOnTransferToken.json"),
            Contract::UniswapV2Factory => include_str!("../fixtures/out/UniswapV2Factory.json"),
            Contract::UniswapV2Pair => include_str!("../fixtures/out/UniswapV2Pair.json"),
            Contract::UniswapV2Router02 => include_str!("../fixtures/out/UniswapV2Router02.json"),
            Contract::UniswapV3Factory => include_str!("../fixtures/out/UniswapV3Factory.json"),
            Contract::UniswapV3Pool => include_str!("../fixtures/out/UniswapV3Pool.json"),
            Contract::SwapRouter02 => include_str!("../fixtures/out/SwapRouter02.json"),
            Contract::QuoterV2 => include_str!("../fixtures/out/QuoterV2.json"),
            Contract::SavingsDai => include_str!("../fixtures/out/SavingsDai.json"),
            Contract::StEth => include_str!("../fixtures/out/StETH.json"),
            Contract::WstEth => include_str!("../fixtures/out/WstETH.json"),
            Contract::AavePool => include_str!("../fixtures/out/AavePool.json"),
            Contract::AToken => include_str!("../fixtures/out/AToken.json"),
            Contract::VariableDebtToken => include_str!("../fixtures/out/VariableDebtToken.json"),
            Contract::AaveProtocolDataProvider => {
                include_str!("../fixtures/out/AaveProtocolDataProvider.json")
            }
            Contract::DevNft => include_str!("../fixtures/out/DevNFT.json"),
            Contract::Permit2 => include_str!("../fixtures/out/Permit2.json"),
            Contract::Vault => include_str!("../fixtures/out/Vault.json"),
            Contract::CurvePool => include_str!("../fixtures/out/CurvePool.json"),
            Contract::CurveLpToken => include_str!("../fixtures/out/CurveLpToken.json"),
            Contract::Comet => include_str!("../fixtures/out/Comet.json"),
            Contract::Morpho => include_str!("../fixtures/out/Morpho.json"),
            Contract::MorphoFixedPriceOracle => {
                include_str!("../fixtures/out/MorphoFixedPriceOracle.json")
            }
            Contract::MorphoFixedRateIrm => include_str!("../fixtures/out/MorphoFixedRateIrm.json"),
            Contract::ChainlinkFeed => include_str!("../fixtures/out/ChainlinkFeed.json"),
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
    #[allow(clippy::disallowed_methods)] // a test reads the built fixtures on disk
    fn every_built_artifact_is_a_fixture() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/out");
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}"));
        let mut stems: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.path()
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .collect();
        stems.sort();
        let mut names: Vec<String> = Contract::ALL.iter().map(|c| c.name().to_owned()).collect();
        names.sort();
        assert_eq!(stems, names);
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
        for (contract, names) in [
            (
                Contract::SwapRouter02,
                &["exactInputSingle", "exactInput", "multicall"][..],
            ),
            (
                Contract::QuoterV2,
                &["quoteExactInputSingle", "quoteExactInput"][..],
            ),
            (
                Contract::AavePool,
                &[
                    "supply",
                    "withdraw",
                    "borrow",
                    "repay",
                    "getUserAccountData",
                ][..],
            ),
            (
                Contract::VariableDebtToken,
                &["approveDelegation", "borrowAllowance"][..],
            ),
            (
                Contract::Permit2,
                &["approve", "allowance", "transferFrom"][..],
            ),
            (
                Contract::WstEth,
                &["wrap", "unwrap", "stEthPerToken", "getWstETHByStETH"][..],
            ),
        ] {
            let abi = fixture(contract).unwrap_or_else(|e| panic!("{e}")).abi();
            for name in names {
                assert!(abi.function(name).is_some(), "{contract} lacks {name}");
            }
        }
        let vault = fixture(Contract::Vault).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            vault.abi().functions.is_empty(),
            "the vault must have no selectors"
        );
        assert!(vault.abi().fallback.is_some() && vault.abi().receive.is_some());
    }
}
