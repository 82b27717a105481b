//! The devnet's fixed addresses: the mainnet addresses of the protocols the
//! standard library names, and the devnet's own accounts.

use alloy_primitives::{address, Address};

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

/// Every token on the devnet, in a fixed order.
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

/// The devnet token at `address`, if there is one.
pub fn token(address: Address) -> Option<&'static TokenInfo> {
    TOKENS.iter().find(|t| t.address == address)
}

/// The devnet token with this symbol (case-sensitive), if there is one.
pub fn token_by_symbol(symbol: &str) -> Option<&'static TokenInfo> {
    TOKENS.iter().find(|t| t.symbol == symbol)
}

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
    }

    #[test]
    fn tokens_are_found_by_address_and_symbol() {
        assert_eq!(token(USDT).map(|t| t.decimals), Some(6));
        assert_eq!(token_by_symbol("WETH").map(|t| t.address), Some(WETH));
        assert!(token(VAULT).is_none());
    }
}
