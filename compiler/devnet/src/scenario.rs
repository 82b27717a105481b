//! The chain a dry run starts from, and its TOML form.

use alloy_primitives::{Address, U256};
use serde::Deserialize;

use crate::addresses::{token_by_symbol, TOKENS};
use crate::amount::parse_units;
use crate::deploy::{Funding, BLOCK_NUMBER, BLOCK_TIMESTAMP, CHAIN_ID};
use crate::error::DevnetError;

/// The chain a dry run starts from: the vault's balances, its owner's gas money, the block, and
/// the depth and price of the Uniswap V2 pools. Amounts are in base units (wei, or the token's
/// smallest unit); the TOML form writes them in whole units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Block number (NUMBER).
    pub block_number: u64,
    /// Block timestamp in seconds (TIMESTAMP).
    pub timestamp: u64,
    /// Chain id (CHAINID).
    pub chain_id: u64,
    /// Wei held by the vault.
    pub vault_eth: U256,
    /// Token balances of the vault, in base units, by token address (devnet tokens only).
    pub vault_tokens: Vec<(Address, U256)>,
    /// Wei held by the vault's owner, who pays for gas.
    pub owner_eth: U256,
    /// The USD price of one ether the WETH pools are seeded at (stablecoins are 1 USD).
    pub eth_price_usd: u64,
    /// The USD value of each side of every pool.
    pub pool_depth_usd: u64,
}

impl Default for Scenario {
    /// The devnet's default block, and [`Funding::default`]: 1M of each stablecoin, 1,000 WETH
    /// and 1,000 ETH in the vault, 100 ETH for the owner, pools 50M USD deep per side at
    /// 3,000 USD per ETH.
    fn default() -> Self {
        let funding = Funding::default();
        Scenario {
            block_number: BLOCK_NUMBER,
            timestamp: BLOCK_TIMESTAMP,
            chain_id: CHAIN_ID,
            vault_eth: funding.vault_eth,
            vault_tokens: funding.vault_tokens,
            owner_eth: funding.owner_eth,
            eth_price_usd: funding.eth_price_usd,
            pool_depth_usd: funding.pool_side_usd,
        }
    }
}

/// The TOML file, section by section; every field may be left out.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    block: Option<BlockSection>,
    vault: Option<VaultSection>,
    owner: Option<OwnerSection>,
    pools: Option<PoolsSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockSection {
    number: Option<u64>,
    timestamp: Option<u64>,
    chain_id: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VaultSection {
    eth: Option<toml::Value>,
    tokens: Option<toml::Table>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerSection {
    eth: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PoolsSection {
    eth_price_usd: Option<u64>,
    depth_usd: Option<u64>,
}

impl Scenario {
    /// Reads a scenario file. Every field is optional and falls back to [`Scenario::default`];
    /// a `[vault.tokens]` table replaces the default token balances entirely (tokens it leaves
    /// out start at zero).
    ///
    /// ```toml
    /// [block]
    /// number = 21000000
    /// timestamp = 1730000000
    /// chain_id = 1
    ///
    /// [vault]
    /// eth = 10                # whole ether
    /// [vault.tokens]          # whole tokens, by symbol
    /// USDC = 5000
    /// WETH = "2.5"
    ///
    /// [owner]
    /// eth = 100
    ///
    /// [pools]
    /// eth_price_usd = 3000
    /// depth_usd = 50000000    # each side of every pool
    /// ```
    pub fn from_toml(text: &str) -> Result<Self, DevnetError> {
        let file: File = toml::from_str(text).map_err(|e| DevnetError::Scenario(e.to_string()))?;
        let mut scenario = Scenario::default();
        if let Some(block) = file.block {
            scenario.block_number = block.number.unwrap_or(scenario.block_number);
            scenario.timestamp = block.timestamp.unwrap_or(scenario.timestamp);
            scenario.chain_id = block.chain_id.unwrap_or(scenario.chain_id);
        }
        if let Some(vault) = file.vault {
            if let Some(eth) = vault.eth {
                scenario.vault_eth = amount(&eth, 18, "vault.eth")?;
            }
            if let Some(tokens) = vault.tokens {
                scenario.vault_tokens = vault_tokens(&tokens)?;
            }
        }
        if let Some(eth) = file.owner.and_then(|o| o.eth) {
            scenario.owner_eth = amount(&eth, 18, "owner.eth")?;
        }
        if let Some(pools) = file.pools {
            scenario.eth_price_usd = pools.eth_price_usd.unwrap_or(scenario.eth_price_usd);
            scenario.pool_depth_usd = pools.depth_usd.unwrap_or(scenario.pool_depth_usd);
        }
        if scenario.eth_price_usd == 0 {
            return Err(DevnetError::Scenario(
                "`pools.eth_price_usd` must not be zero".into(),
            ));
        }
        if scenario.pool_depth_usd == 0 {
            return Err(DevnetError::Scenario(
                "`pools.depth_usd` must not be zero".into(),
            ));
        }
        Ok(scenario)
    }

    /// What the devnet is built with.
    pub fn funding(&self) -> Funding {
        Funding {
            vault_tokens: self.vault_tokens.clone(),
            vault_eth: self.vault_eth,
            owner_eth: self.owner_eth,
            eth_price_usd: self.eth_price_usd,
            pool_side_usd: self.pool_depth_usd,
        }
    }
}

/// The `[vault.tokens]` table: symbol = whole tokens.
fn vault_tokens(table: &toml::Table) -> Result<Vec<(Address, U256)>, DevnetError> {
    let mut balances = Vec::new();
    for (symbol, value) in table {
        let Some(token) = token_by_symbol(symbol) else {
            let known: Vec<&str> = TOKENS.iter().map(|t| t.symbol).collect();
            return Err(DevnetError::Scenario(format!(
                "unknown token `{symbol}` in `[vault.tokens]`; the devnet has {}",
                known.join(", ")
            )));
        };
        let units = amount(value, token.decimals, &format!("vault.tokens.{symbol}"))?;
        balances.push((token.address, units));
    }
    // Stable order whatever the file's order.
    balances.sort_by_key(|(a, _)| TOKENS.iter().position(|t| t.address == *a));
    Ok(balances)
}

/// A whole-unit amount written as an integer, a float or a decimal string.
fn amount(value: &toml::Value, decimals: u8, field: &str) -> Result<U256, DevnetError> {
    let text = match value {
        toml::Value::Integer(i) if *i >= 0 => i.to_string(),
        toml::Value::Float(f) if f.is_finite() && *f >= 0.0 => f.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            return Err(DevnetError::Scenario(format!(
                "`{field}` must be a non-negative amount in whole units, not `{other}`"
            )))
        }
    };
    parse_units(&text, decimals).ok_or_else(|| {
        DevnetError::Scenario(format!(
            "`{field}` = `{text}` is not an amount with at most {decimals} decimals"
        ))
    })
}
