//! The chain a dry run starts from, and its TOML form.

use crate::escape::inert;
use alloy_primitives::{Address, U256};
use serde::Deserialize;

use crate::addresses::{all_tokens, TokenInfo, EXTRA_TOKENS, EXTRA_VAULT_UNITS};
use crate::amount::parse_units;
use crate::chain::{BASE_FEE, BLOCK_NUMBER, BLOCK_TIMESTAMP, CHAIN_ID, COINBASE, PRIORITY_FEE};
use crate::error::DevnetError;
use crate::funding::{Funding, PoolKind, PoolReserves, SeededPositions, V3_FEE_TIERS};
use crate::scenario_positions::{
    self, AaveSection, CompoundEntry, LiquidityEntry, MorphoEntry, Readers, Sections,
};

/// The chain a dry run starts from: the vault's balances, its owner's gas money, the block, and
/// the depth and price of the Uniswap pools and the Aave market, with some pools' reserves set
/// one by one. Amounts are in base units (wei, or the token's smallest unit); the TOML form
/// writes them in whole units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Block number (NUMBER).
    pub block_number: u64,
    /// Block timestamp in seconds (TIMESTAMP).
    pub timestamp: u64,
    /// Chain id (CHAINID).
    pub chain_id: u64,
    /// The block's builder (COINBASE). On a fork, used only when the block names none.
    pub coinbase: Address,
    /// The block's base fee per gas, in wei (BASEFEE). Not applied on a fork.
    pub base_fee: u64,
    /// The tip per gas the transaction pays on top of the base fee, in wei: GASPRICE is
    /// `base_fee + priority_fee`. Applied on a fork too.
    pub priority_fee: u64,
    /// Wei held by the vault.
    pub vault_eth: U256,
    /// Token balances of the vault, in base units, by token address (devnet tokens only); a
    /// devnet token not listed gets its default balance (see [`Funding`]).
    pub vault_tokens: Vec<(Address, U256)>,
    /// Wei held by the vault's owner, who pays for gas.
    pub owner_eth: U256,
    /// The USD price of one ether the WETH pools are seeded at (stablecoins are 1 USD).
    pub eth_price_usd: u64,
    /// The USD value of each side of every pool, and of the deployer's supply in each Aave
    /// reserve.
    pub pool_depth_usd: u64,
    /// Pools seeded with their own reserves instead of `pool_depth_usd`.
    pub pools: Vec<PoolReserves>,
    /// Tokens the scenario prices itself, in millionths of a USD per whole token (a WETH
    /// price replaces `eth_price_usd`).
    pub prices: Vec<(Address, U256)>,
    /// Positions opened for the vault before any run.
    pub positions: SeededPositions,
}

impl Default for Scenario {
    /// The devnet's default block, and [`Funding::default`] with every token written out: 1M
    /// of each stablecoin, 1,000 WETH and 1,000 ETH in the vault, and
    /// [`EXTRA_VAULT_UNITS`] of each other token; 100 ETH for the owner, pools 50M USD deep
    /// per side at 3,000 USD per ETH.
    fn default() -> Self {
        let funding = Funding::default();
        let mut vault_tokens = funding.vault_tokens;
        for (token, whole) in EXTRA_TOKENS.iter().zip(EXTRA_VAULT_UNITS) {
            if !vault_tokens.iter().any(|(a, _)| *a == token.address) {
                let units = U256::from(whole) * U256::from(10u64).pow(U256::from(token.decimals));
                vault_tokens.push((token.address, units));
            }
        }
        Scenario {
            block_number: BLOCK_NUMBER,
            timestamp: BLOCK_TIMESTAMP,
            chain_id: CHAIN_ID,
            coinbase: COINBASE,
            base_fee: BASE_FEE,
            priority_fee: PRIORITY_FEE,
            vault_eth: funding.vault_eth,
            vault_tokens,
            owner_eth: funding.owner_eth,
            eth_price_usd: funding.eth_price_usd,
            pool_depth_usd: funding.pool_side_usd,
            pools: funding.pools,
            prices: Vec::new(),
            positions: SeededPositions::default(),
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
    pool: Option<Vec<PoolEntry>>,
    prices: Option<toml::Table>,
    aave: Option<AaveSection>,
    compound: Option<Vec<CompoundEntry>>,
    morpho: Option<Vec<MorphoEntry>>,
    liquidity: Option<Vec<LiquidityEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockSection {
    number: Option<u64>,
    timestamp: Option<u64>,
    chain_id: Option<u64>,
    coinbase: Option<String>,
    base_fee_gwei: Option<toml::Value>,
    priority_fee_gwei: Option<toml::Value>,
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

/// One `[[pool]]`: a pool and its reserves.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PoolEntry {
    kind: String,
    tokens: Vec<String>,
    fee: Option<u32>,
    reserves: Vec<toml::Value>,
}

impl Scenario {
    /// Reads a scenario file. Every field is optional and falls back to [`Scenario::default`];
    /// a `[vault.tokens]` table replaces the default token balances entirely (tokens it leaves
    /// out start at zero). Tokens are named by symbol, case-insensitively: any devnet token
    /// (USDC, USDT, DAI, WETH, WBTC, STETH, WSTETH, SDAI, STEAKUSDC, FALSY, FOT). Each `[[pool]]` gives
    /// one Uniswap pool its reserves, in whole tokens in the order of `tokens`; the devnet
    /// creates it if it has no such pool.
    ///
    /// ```toml
    /// [block]
    /// number = 21000000
    /// timestamp = 1730000000
    /// chain_id = 1
    /// coinbase = "0x95222290DD7278Aa3Ddd389Cc1E1d165CC4BAfe5"   # the builder
    /// base_fee_gwei = 10
    /// priority_fee_gwei = 1   # GASPRICE = base fee + this
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
    ///
    /// [[pool]]
    /// kind = "v3"             # or "v2" (no fee)
    /// tokens = ["USDC", "WETH"]
    /// fee = 500               # 100, 500, 3000 or 10000
    /// reserves = [300000, 100]
    ///
    /// [prices]                # USD per whole token (not stETH, wstETH, sDAI, steakUSDC)
    /// WETH = 3500
    ///
    /// [aave]                  # positions opened for the vault, whole tokens
    /// supply = { WETH = 10 }
    /// borrow = { USDC = 15000 }
    /// collateral = { WETH = true }
    ///
    /// [[compound]]
    /// market = "USDC"         # the market's base token
    /// collateral = { WETH = 5 }
    /// borrow = 4000           # or supply = …
    ///
    /// [[morpho]]
    /// market = "WETH/USDC"    # COLLATERAL/LOAN
    /// supply = 100
    /// collateral = 5
    /// borrow = 4000
    ///
    /// [[liquidity]]           # Uniswap V2 LP shares for the vault
    /// tokens = ["USDC", "WETH"]
    /// amounts = [30000, 10]
    /// ```
    pub fn from_toml(text: &str) -> Result<Self, DevnetError> {
        let file: File = toml::from_str(text).map_err(|e| DevnetError::Scenario(e.to_string()))?;
        refuse_inexact_floats(text)?;
        let mut scenario = Scenario::default();
        if let Some(block) = file.block {
            scenario.block_number = block.number.unwrap_or(scenario.block_number);
            scenario.timestamp = block.timestamp.unwrap_or(scenario.timestamp);
            scenario.chain_id = block.chain_id.unwrap_or(scenario.chain_id);
            if let Some(coinbase) = block.coinbase {
                scenario.coinbase = coinbase.parse().map_err(|_| {
                    DevnetError::Scenario(format!(
                        "`block.coinbase` = `{coinbase}` is not an address (0x and 40 hex digits)"
                    ))
                })?;
            }
            if let Some(fee) = block.base_fee_gwei {
                scenario.base_fee = gwei(&fee, "block.base_fee_gwei")?;
            }
            if let Some(fee) = block.priority_fee_gwei {
                scenario.priority_fee = gwei(&fee, "block.priority_fee_gwei")?;
            }
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
            if scenario.owner_eth.is_zero() {
                return Err(DevnetError::Scenario(
                    "`owner.eth` is 0, but the owner pays for the transaction's gas: give it \
                     some ETH (the default is 100)"
                        .into(),
                ));
            }
        }
        if let Some(pools) = file.pools {
            scenario.eth_price_usd = pools.eth_price_usd.unwrap_or(scenario.eth_price_usd);
            scenario.pool_depth_usd = pools.depth_usd.unwrap_or(scenario.pool_depth_usd);
        }
        for (i, entry) in file.pool.unwrap_or_default().iter().enumerate() {
            let pool = pool_reserves(entry, i)?;
            if scenario.pools.iter().any(|p| same_pool(p, &pool)) {
                return Err(DevnetError::Scenario(format!(
                    "`pool[{i}]` names the same pool as an earlier `[[pool]]`"
                )));
            }
            scenario.pools.push(pool);
        }
        let read = Readers {
            token: &token_named,
            amount: &amount,
        };
        if let Some(table) = &file.prices {
            scenario.prices = scenario_positions::prices(table, &read)?;
        }
        let sections = Sections {
            aave: file.aave,
            compound: file.compound,
            morpho: file.morpho,
            liquidity: file.liquidity,
        };
        scenario.positions = scenario_positions::positions(&sections, &read)?;
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
            pools: self.pools.clone(),
            prices: self.prices.clone(),
        }
    }
}

/// The `[vault.tokens]` table: symbol = whole tokens. Every devnet token it leaves out is
/// listed at zero.
fn vault_tokens(table: &toml::Table) -> Result<Vec<(Address, U256)>, DevnetError> {
    let mut named: Vec<(&'static TokenInfo, U256)> = Vec::new();
    for (symbol, value) in table {
        let token = token_named(symbol, "[vault.tokens]")?;
        if named.iter().any(|(t, _)| t.address == token.address) {
            return Err(DevnetError::Scenario(format!(
                "`[vault.tokens]` names {} twice",
                token.symbol
            )));
        }
        let units = amount(value, token.decimals, &format!("vault.tokens.{symbol}"))?;
        named.push((token, units));
    }
    // Every token, in the devnet's order whatever the file's order.
    Ok(all_tokens()
        .map(|t| {
            let units = named.iter().find(|(n, _)| n.address == t.address);
            (t.address, units.map_or(U256::ZERO, |(_, u)| *u))
        })
        .collect())
}

/// The devnet token whose symbol is `symbol`, ignoring case; an error listing them all
/// otherwise.
fn token_named(symbol: &str, place: &str) -> Result<&'static TokenInfo, DevnetError> {
    all_tokens()
        .find(|t| t.symbol.eq_ignore_ascii_case(symbol))
        .ok_or_else(|| {
            let known: Vec<&str> = all_tokens().map(|t| t.symbol).collect();
            DevnetError::Scenario(format!(
                "unknown token `{}` in `{}`; the devnet has {}",
                inert(symbol),
                inert(place),
                known.join(", ")
            ))
        })
}

/// One `[[pool]]` (the `index`-th) as reserves in base units.
fn pool_reserves(entry: &PoolEntry, index: usize) -> Result<PoolReserves, DevnetError> {
    let field = |name: &str| format!("pool[{index}].{name}");
    let error = |message: String| Err(DevnetError::Scenario(message));
    let kind = match (entry.kind.to_ascii_lowercase().as_str(), entry.fee) {
        ("v2", None) => PoolKind::V2,
        ("v2", Some(_)) => return error(format!("`{}`: a V2 pair has no fee tier", field("fee"))),
        ("v3", Some(fee)) if V3_FEE_TIERS.contains(&fee) => PoolKind::V3 { fee },
        ("v3", Some(fee)) => {
            return error(format!(
                "`{}` = {fee} is not a V3 fee tier (100, 500, 3000 or 10000)",
                field("fee")
            ))
        }
        ("v3", None) => {
            return error(format!(
                "`{}` is missing: a V3 pool needs a fee tier (100, 500, 3000 or 10000)",
                field("fee")
            ))
        }
        (other, _) => {
            return error(format!(
                "`{}` = `{other}` is not a pool kind (\"v2\" or \"v3\")",
                field("kind")
            ))
        }
    };
    let place = field("tokens");
    let [a, b] = entry.tokens.as_slice() else {
        return error(format!("`{place}` must name two tokens"));
    };
    let (a, b) = (token_named(a, &place)?, token_named(b, &place)?);
    if a.address == b.address {
        return error(format!("`{place}` names {} twice", a.symbol));
    }
    let [reserve_a, reserve_b] = entry.reserves.as_slice() else {
        return error(format!(
            "`{}` must be two amounts, in whole tokens in the order of `tokens`",
            field("reserves")
        ));
    };
    let reserve = |value: &toml::Value, token: &TokenInfo, at: usize| {
        let name = field(&format!("reserves[{at}]"));
        let units = amount(value, token.decimals, &name)?;
        if units.is_zero() {
            return Err(DevnetError::Scenario(format!("`{name}` must not be zero")));
        }
        // Uniswap keeps reserves in 112 bits (V2) and liquidity in 128 (V3); seeding more
        // overflows the pool's own arithmetic.
        if units >= U256::from(1u8) << 96 {
            return Err(DevnetError::Scenario(format!(
                "`{name}` is too large: at most {} whole {} (2^96 base units)",
                (U256::from(1u8) << 96) / U256::from(10u8).pow(U256::from(token.decimals)),
                token.symbol
            )));
        }
        Ok(units)
    };
    Ok(PoolReserves {
        kind,
        token_a: (a.address, reserve(reserve_a, a, 0)?),
        token_b: (b.address, reserve(reserve_b, b, 1)?),
    })
}

/// Whether two pool entries name the same pool (same kind and fee, tokens in either order).
fn same_pool(x: &PoolReserves, y: &PoolReserves) -> bool {
    let (xa, xb, ya, yb) = (x.token_a.0, x.token_b.0, y.token_a.0, y.token_b.0);
    x.kind == y.kind && ((xa, xb) == (ya, yb) || (xa, xb) == (yb, ya))
}

/// A fee per gas in gwei (decimals allowed, down to the wei) as wei.
fn gwei(value: &toml::Value, field: &str) -> Result<u64, DevnetError> {
    let wei = amount(value, 9, field)?;
    u64::try_from(wei).map_err(|_| {
        DevnetError::Scenario(format!(
            "`{field}` is too large: at most {} gwei",
            u64::MAX / 1_000_000_000
        ))
    })
}

/// A whole-unit amount written as an integer, a float or a decimal string.
fn amount(value: &toml::Value, decimals: u8, field: &str) -> Result<U256, DevnetError> {
    let text = match value {
        toml::Value::Integer(i) if *i >= 0 => i.to_string(),
        toml::Value::Float(f) if f.is_finite() && *f >= 0.0 => f.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            return Err(DevnetError::Scenario(format!(
                "`{}` must be a non-negative amount in whole units, not `{}`",
                inert(field),
                inert(&other.to_string())
            )))
        }
    };
    parse_units(&text, decimals).ok_or_else(|| {
        DevnetError::Scenario(format!(
            "`{}` = `{}` is not an amount with at most {decimals} decimals",
            inert(field),
            inert(&text)
        ))
    })
}

/// Refuses a float literal that a TOML float (an f64) does not hold exactly as written:
/// `12345678901234567.123456789123` would silently become `12345678901234568`. Floats whose
/// value is the number written (`2.5`, `0.1`, `1e3`) are fine; the others must be quoted.
fn refuse_inexact_floats(text: &str) -> Result<(), DevnetError> {
    for (line, literal) in float_literals(text) {
        let Ok(value) = literal.replace('_', "").parse::<f64>() else {
            continue;
        };
        if decimal_digits(&literal) != decimal_digits(&format!("{value:e}")) {
            return Err(DevnetError::Scenario(format!(
                "line {line}: `{}` has more digits than a TOML float holds exactly (it would be \
                 read as {value}); quote the amount as a string: \"{}\"",
                inert(&literal),
                inert(&literal.replace('_', ""))
            )));
        }
    }
    Ok(())
}

/// A decimal number's significant digits and power of ten (`12.50` → `("125", -1)`), sign
/// and underscores ignored; `None` when it is not one.
fn decimal_digits(number: &str) -> Option<(String, i64)> {
    let number = number.replace('_', "");
    let number = number.trim_start_matches(['+', '-']);
    let (mantissa, exponent) = match number.find(['e', 'E']) {
        Some(at) => (&number[..at], number[at + 1..].parse::<i64>().ok()?),
        None => (number, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let mut power = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    power += i64::try_from(digits.len() - trimmed.len()).ok()?;
    if trimmed.is_empty() {
        return Some((String::new(), 0));
    }
    Some((trimmed.to_string(), power))
}

/// The float literals among `text`'s values, with their line: numbers with a `.` or an
/// exponent, outside strings and comments.
fn float_literals(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    let mut after_equals = false;
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                line += 1;
                after_equals = false;
            }
            '#' => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
            }
            '"' | '\'' => {
                // Strings, multi-line ones included: skip to the closing quote(s).
                let triple = chars.clone().take(2).all(|d| d == c);
                if triple {
                    chars.next();
                    chars.next();
                }
                let mut quotes = 0;
                while let Some(d) = chars.next() {
                    if d == '\n' {
                        line += 1;
                    }
                    if d == '\\' && c == '"' {
                        chars.next();
                        quotes = 0;
                        continue;
                    }
                    quotes = if d == c { quotes + 1 } else { 0 };
                    if quotes == if triple { 3 } else { 1 } {
                        break;
                    }
                }
            }
            '=' => after_equals = true,
            c if after_equals && (c.is_ascii_digit() || c == '+' || c == '-' || c == '.') => {
                let mut token = String::from(c);
                while let Some(d) = chars.peek().copied() {
                    if d.is_ascii_alphanumeric() || matches!(d, '_' | '.' | '+' | '-' | ':') {
                        token.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let is_float = !token.starts_with("0x")
                    && (token.contains('.') || token.contains(['e', 'E']))
                    && decimal_digits(&token).is_some();
                if is_float {
                    found.push((line, token));
                }
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_that_lose_digits_are_refused_with_a_hint_to_quote() {
        let text = "[vault.tokens]\nWETH = 12345678901234567.123456789123\n";
        let message = match Scenario::from_toml(text) {
            Err(DevnetError::Scenario(message)) => message,
            other => panic!("expected an error, got {other:?}"),
        };
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("quote"), "{message}");
        assert!(
            message.contains("\"12345678901234567.123456789123\""),
            "{message}"
        );
        // Quoted, it is exact.
        let quoted = "[vault.tokens]\nWETH = \"12345678901234567.123456789123\"\n";
        assert!(Scenario::from_toml(quoted).is_ok());
    }

    #[test]
    fn exact_floats_stay() {
        for value in ["2.5", "0.1", "1e3", "1_000.25", "100.0", "0.000001"] {
            let text = format!("[vault.tokens]\nUSDC = {value} # 1.00000000000000000001\n");
            assert!(Scenario::from_toml(&text).is_ok(), "{value}");
        }
        assert_eq!(
            float_literals("a = \"1.00000000000000000001\"\nb = [1.5, 2]\nc = 1979-05-27"),
            vec![(2, "1.5".to_string())]
        );
        assert!(Scenario::from_toml("[vault.tokens]\nUSDC = 1.00000000000000000001\n").is_err());
    }

    #[test]
    fn an_unknown_token_name_is_shown_inert() {
        let text = "[vault.tokens]\n\"\\u001b]0;pwned\\u0007\" = 1\n";
        let message = match Scenario::from_toml(text) {
            Err(error) => error.to_string(),
            Ok(_) => panic!("an unknown token"),
        };
        assert!(
            !message.contains('\u{1b}') && !message.contains('\u{7}'),
            "{message}"
        );
        assert!(message.contains("\\u{1b}]0;pwned"), "{message}");
    }
}
