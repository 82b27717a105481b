//! The devnet's fixed addresses: the mainnet addresses of the protocols the
//! standard library names (Chainlink's feeds among them), and the devnet's own accounts;
//! the devnet's tokens, the fixture behind each kind, and the names of Aave's tokens.

use alloy_primitives::{address, Address};

use crate::fixtures::Contract;

/// Circle's USD Coin (6 decimals).
pub const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
/// Tether USD (6 decimals; `transfer`, `transferFrom` and `approve` return nothing).
pub const USDT: Address = address!("dAC17F958D2ee523a2206206994597C13D831ec7");
/// Maker's Dai (18 decimals).
pub const DAI: Address = address!("6B175474E89094C44Da98b954EedeAC495271d0F");
/// Wrapped Ether, WETH9 (18 decimals).
pub const WETH: Address = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
/// Uniswap V2 factory.
pub const UNISWAP_V2_FACTORY: Address = address!("5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f");
/// Uniswap V2 Router02.
pub const UNISWAP_V2_ROUTER: Address = address!("7a250d5630B4cF539739dF2C5dAcb4c659F2488D");
/// Wrapped BTC (8 decimals).
pub const WBTC: Address = address!("2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599");
/// Lido's stETH (18 decimals, balances from shares).
pub const STETH: Address = address!("ae7ab96520DE3A18E5e111B5EaAb095312D7fE84");
/// Lido's wstETH (18 decimals).
pub const WSTETH: Address = address!("7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0");
/// Savings Dai, an ERC-4626 vault over DAI (18 decimals).
pub const SDAI: Address = address!("83F20F44975D03b1b09e64809B757c47f942BEeA");
/// Steakhouse USDC (steakUSDC), Morpho's MetaMorpho ERC-4626 vault over USDC (18 decimals).
pub const STEAKUSDC: Address = address!("BEEF01735c132Ada46AA9aA4c54623cAA92A64CB");
/// Uniswap V3 factory.
pub const UNISWAP_V3_FACTORY: Address = address!("1F98431c8aD98523631AE4a59f267346ea31F984");
/// Uniswap SwapRouter02 (V3 swaps).
pub const UNISWAP_V3_ROUTER: Address = address!("68b3465833fb72A70ecDF485E0e4C7bD8665Fc45");
/// Uniswap QuoterV2.
pub const UNISWAP_V3_QUOTER: Address = address!("61fFE014bA17989E743c5F6cB21bF9697530B21e");
/// Aave V3 Pool (Ethereum market).
pub const AAVE_V3_POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
/// Aave V3 AaveProtocolDataProvider (Ethereum market, the Aave 3.2+ one of `std::ethereum`).
pub const AAVE_V3_DATA_PROVIDER: Address = address!("0a16f2FCC0D44FaE41cc54e079281D84A363bECD");
/// Uniswap Permit2.
pub const PERMIT2: Address = address!("000000000022D473030F116dDEE9F6B43aC78BA3");

/// Curve's DAI/USDC/USDT 3pool.
pub const CURVE_3POOL: Address = address!("bEbc44782C7dB0a1A60Cb6fe97d0b483032FF1C7");
/// The 3pool's LP token (3Crv).
pub const CURVE_3POOL_LP: Address = address!("6c3F90f043a72FA612cbac8115EE7e52BDe6E490");
/// Compound III's USDC market (cUSDCv3).
pub const COMPOUND_V3_USDC: Address = address!("c3d688B66703497DAA19211EEdff47f25384cdc3");
/// Compound III's WETH market (cWETHv3).
pub const COMPOUND_V3_WETH: Address = address!("A17581A9E3356d9A858b789D68B4d866e593aE94");
/// Morpho Blue.
pub const MORPHO_BLUE: Address = address!("BBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb");
/// Morpho's AdaptiveCurveIrm on mainnet; on the devnet a fixed-rate model stands there.
pub const MORPHO_IRM: Address = address!("870aC11D48B15DB9a138Cf899d20F13F79Ba00BC");
/// Devnet-only fixed-price oracle of the WETH-collateral, USDC-loan Morpho market:
/// `keccak256("nest.devnet.morpho.oracle.weth-usdc")[12..]`.
pub const MORPHO_ORACLE_WETH_USDC: Address = address!("28a91554F6Cd67F0201cE3c2019a914d7e48c29D");
/// Devnet-only fixed-price oracle of the wstETH-collateral, WETH-loan Morpho market:
/// `keccak256("nest.devnet.morpho.oracle.wsteth-weth")[12..]`.
pub const MORPHO_ORACLE_WSTETH_WETH: Address = address!("AF524BA55b7739969fB3Dc656c8ebf789B190C58");

/// Devnet-only ERC-20 whose `transfer`/`transferFrom`/`approve` return `false` on failure
/// instead of reverting (symbol `FALSY`): `keccak256("nest.devnet.token.falsy")[12..]`.
pub const FALSY: Address = address!("6869Cf306800396F7118d7610aB69a82aEC7DbbB");
/// Devnet-only ERC-20 that burns 1% of every transfer (symbol `FOT`):
/// `keccak256("nest.devnet.token.fee-on-transfer")[12..]`.
pub const FOT: Address = address!("64E781F2DD192cf45BF225764Bac3919BA49feD9");
/// Devnet-only ERC-721 collection `DEVNFT`: `keccak256("nest.devnet.nft")[12..]`.
pub const DEVNFT: Address = address!("cd394391aEa1EC56d7b423B487C7c25347eb9606");
/// The `DEVNFT` token ids the vault owns on a fresh devnet.
pub const VAULT_NFT_IDS: [u64; 3] = [1, 2, 3];

/// The devnet's vault: `keccak256("nest.devnet.vault")[12..]`.
pub const VAULT: Address = address!("D9daDc219A36a69686b02B1672D59f8cc3759C45");
/// The vault's owner, the EOA that sends scripts to it: `keccak256("nest.devnet.vault-owner")[12..]`.
pub const VAULT_OWNER: Address = address!("c3E1B4202024F9cd51505A71D21383F84c8184Bb");
/// The EOA that deploys and seeds the fixtures: `keccak256("nest.devnet.deployer")[12..]`.
pub const DEPLOYER: Address = address!("678817df589a0b1D80fDCb6c476dc473aa478007");

/// Which fixture contract implements a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A plain ERC-20 (`DevToken`).
    Standard,
    /// The USDT look-alike (`TetherToken`).
    Tether,
    /// Wrapped ether (`WETH9`).
    Weth,
    /// Returns `false` instead of reverting (`FalsyToken`).
    Falsy,
    /// Burns 1% of each transfer (`FeeOnTransferToken`).
    FeeOnTransfer,
    /// Lido's rebasing stETH (`StETH`).
    StEth,
    /// Lido's wstETH (`WstETH`).
    WstEth,
    /// The ERC-4626 vault over DAI (`SavingsDai`).
    SavingsDai,
    /// The ERC-4626 vault over USDC (the `SavingsDai` fixture, with steakUSDC's name,
    /// symbol and 18 decimals).
    UsdcVault,
}

/// A token the devnet deploys, with what a report needs to show amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TokenInfo {
    /// Its mainnet address.
    pub address: Address,
    /// Its `symbol()`.
    pub symbol: &'static str,
    /// Its `name()`.
    pub name: &'static str,
    /// Its `decimals()`.
    pub decimals: u8,
    /// The fixture contract behind it.
    pub kind: TokenKind,
}

/// The scenario tokens: a scenario's `[vault.tokens]` sets the vault's balance of each, and
/// every two of them share a Uniswap V2 pool (in [`crate::deploy::Layout::pairs`]).
pub const TOKENS: [TokenInfo; 4] = [
    TokenInfo {
        address: USDC,
        symbol: "USDC",
        name: "USD Coin",
        decimals: 6,
        kind: TokenKind::Standard,
    },
    TokenInfo {
        address: USDT,
        symbol: "USDT",
        name: "Tether USD",
        decimals: 6,
        kind: TokenKind::Tether,
    },
    TokenInfo {
        address: DAI,
        symbol: "DAI",
        name: "Dai Stablecoin",
        decimals: 18,
        kind: TokenKind::Standard,
    },
    TokenInfo {
        address: WETH,
        symbol: "WETH",
        name: "Wrapped Ether",
        decimals: 18,
        kind: TokenKind::Weth,
    },
];

/// The devnet's other tokens. The vault holds [`EXTRA_VAULT_UNITS`] of each unless the funding
/// names it; each has Uniswap pools (see `README.md`).
pub const EXTRA_TOKENS: [TokenInfo; 7] = [
    TokenInfo {
        address: WBTC,
        symbol: "WBTC",
        name: "Wrapped BTC",
        decimals: 8,
        kind: TokenKind::Standard,
    },
    TokenInfo {
        address: FALSY,
        symbol: "FALSY",
        name: "Falsy Dev Token",
        decimals: 18,
        kind: TokenKind::Falsy,
    },
    TokenInfo {
        address: FOT,
        symbol: "FOT",
        name: "Fee-on-Transfer Dev Token",
        decimals: 18,
        kind: TokenKind::FeeOnTransfer,
    },
    TokenInfo {
        address: STETH,
        symbol: "stETH",
        name: "Liquid staked Ether 2.0",
        decimals: 18,
        kind: TokenKind::StEth,
    },
    TokenInfo {
        address: WSTETH,
        symbol: "wstETH",
        name: "Wrapped liquid staked Ether 2.0",
        decimals: 18,
        kind: TokenKind::WstEth,
    },
    TokenInfo {
        address: SDAI,
        symbol: "sDAI",
        name: "Savings Dai",
        decimals: 18,
        kind: TokenKind::SavingsDai,
    },
    TokenInfo {
        address: STEAKUSDC,
        symbol: "steakUSDC",
        name: "Steakhouse USDC",
        decimals: 18,
        kind: TokenKind::UsdcVault,
    },
];

/// Whole units of each of [`EXTRA_TOKENS`] the vault starts with, in the same order.
pub const EXTRA_VAULT_UNITS: [u64; 7] = [
    100, 1_000_000, 1_000_000, 1_000, 1_000, 1_000_000, 1_000_000,
];

/// Every devnet token: [`TOKENS`], then [`EXTRA_TOKENS`].
pub fn all_tokens() -> impl Iterator<Item = &'static TokenInfo> {
    TOKENS.iter().chain(EXTRA_TOKENS.iter())
}

/// The devnet token at `address` (any of [`all_tokens`]), if there is one.
pub fn token(address: Address) -> Option<&'static TokenInfo> {
    all_tokens().find(|t| t.address == address)
}

/// The scenario token (one of [`TOKENS`]) with this symbol (case-sensitive), if there is one.
pub fn token_by_symbol(symbol: &str) -> Option<&'static TokenInfo> {
    TOKENS.iter().find(|t| t.symbol == symbol)
}

/// The fixture contract behind a kind of token.
pub(crate) fn token_contract(kind: TokenKind) -> Contract {
    match kind {
        TokenKind::Standard => Contract::DevToken,
        TokenKind::Tether => Contract::TetherToken,
        TokenKind::Weth => Contract::Weth9,
        TokenKind::Falsy => Contract::FalsyToken,
        TokenKind::FeeOnTransfer => Contract::FeeOnTransferToken,
        TokenKind::StEth => Contract::StEth,
        TokenKind::WstEth => Contract::WstEth,
        TokenKind::SavingsDai | TokenKind::UsdcVault => Contract::SavingsDai,
    }
}

/// The aToken symbol of an asset, as on Aave's Ethereum market (`aEthUSDC`).
pub(crate) fn a_token_symbol(asset_symbol: &str) -> String {
    format!("aEth{asset_symbol}")
}

/// The variable debt token symbol of an asset (`variableDebtEthUSDC`).
pub(crate) fn debt_token_symbol(asset_symbol: &str) -> String {
    format!("variableDebtEth{asset_symbol}")
}

/// A feed: its address, its description (`ETH / USD`), its decimals, and what it prices:
/// one devnet token in USD, or in ether (`quote_eth`).
pub struct Feed {
    /// The mainnet proxy's address.
    pub address: Address,
    /// `BASE / QUOTE`, as the feed's `description()` says.
    pub description: &'static str,
    /// 8 for USD feeds, 18 for ETH feeds.
    pub decimals: u8,
    /// The devnet token it prices.
    pub token: Address,
    /// Priced in ether instead of USD.
    pub quote_eth: bool,
}

/// The feeds, with the mainnet proxy addresses Chainlink publishes for Ethereum (see
/// `stdlib/std/chainlink.ns` for each one's source). WBTC is priced by BTC / USD.
pub const FEEDS: [Feed; 7] = [
    Feed {
        address: address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"),
        description: "ETH / USD",
        decimals: 8,
        token: WETH,
        quote_eth: false,
    },
    Feed {
        address: address!("F4030086522a5bEEa4988F8cA5B36dbC97BeE88c"),
        description: "BTC / USD",
        decimals: 8,
        token: WBTC,
        quote_eth: false,
    },
    Feed {
        address: address!("8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"),
        description: "USDC / USD",
        decimals: 8,
        token: USDC,
        quote_eth: false,
    },
    Feed {
        address: address!("3E7d1eAB13ad0104d2750B8863b489D65364e32D"),
        description: "USDT / USD",
        decimals: 8,
        token: USDT,
        quote_eth: false,
    },
    Feed {
        address: address!("Aed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9"),
        description: "DAI / USD",
        decimals: 8,
        token: DAI,
        quote_eth: false,
    },
    Feed {
        address: address!("CfE54B5cD566aB89272946F602D76Ea879CAb4a8"),
        description: "STETH / USD",
        decimals: 8,
        token: STETH,
        quote_eth: false,
    },
    Feed {
        address: address!("86392dC19c0b719886221c78AB11eb8Cf5c52812"),
        description: "STETH / ETH",
        decimals: 18,
        token: STETH,
        quote_eth: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    fn derived(label: &str) -> Address {
        Address::from_slice(&keccak256(label.as_bytes())[12..])
    }

    #[test]
    fn own_addresses_are_derived_from_their_labels() {
        assert_eq!(
            VAULT,
            derived("nest.devnet.vault"),
            "{}",
            derived("nest.devnet.vault")
        );
        assert_eq!(
            VAULT_OWNER,
            derived("nest.devnet.vault-owner"),
            "{}",
            derived("nest.devnet.vault-owner")
        );
        assert_eq!(
            DEPLOYER,
            derived("nest.devnet.deployer"),
            "{}",
            derived("nest.devnet.deployer")
        );
        assert_eq!(FALSY, derived("nest.devnet.token.falsy"));
        assert_eq!(FOT, derived("nest.devnet.token.fee-on-transfer"));
        assert_eq!(DEVNFT, derived("nest.devnet.nft"));
    }

    #[test]
    fn every_token_has_one_address_and_one_symbol() {
        let tokens: Vec<&TokenInfo> = all_tokens().collect();
        for (i, a) in tokens.iter().enumerate() {
            for b in &tokens[i + 1..] {
                assert_ne!(a.address, b.address);
                assert_ne!(a.symbol, b.symbol);
            }
        }
        assert_eq!(token(WBTC).map(|t| t.decimals), Some(8));
        assert_eq!(token_by_symbol("WBTC"), None, "not a scenario token");
    }

    #[test]
    fn tokens_are_found_by_address_and_symbol() {
        assert_eq!(token(USDT).map(|t| t.decimals), Some(6));
        assert_eq!(token_by_symbol("WETH").map(|t| t.address), Some(WETH));
        assert!(token(VAULT).is_none());
    }
}
