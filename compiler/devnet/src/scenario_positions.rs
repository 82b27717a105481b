//! The scenario sections that price tokens and open positions for the vault: `[prices]`,
//! `[aave]`, `[[compound]]`, `[[morpho]]` and `[[liquidity]]`, read into base units.

use alloy_primitives::{Address, U256};
use serde::Deserialize;

use crate::addresses::{TokenInfo, TokenKind};
use crate::error::DevnetError;
use crate::escape::inert;
use crate::funding::{CometSeed, LiquiditySeed, MorphoSeed, SeededPositions};

/// `[aave]`: whole tokens by symbol.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AaveSection {
    supply: Option<toml::Table>,
    borrow: Option<toml::Table>,
    collateral: Option<toml::Table>,
}

/// One `[[compound]]`: a market by its base token.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompoundEntry {
    market: String,
    collateral: Option<toml::Table>,
    supply: Option<toml::Value>,
    borrow: Option<toml::Value>,
}

/// One `[[morpho]]`: a market by its collateral and loan tokens.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MorphoEntry {
    market: String,
    supply: Option<toml::Value>,
    collateral: Option<toml::Value>,
    borrow: Option<toml::Value>,
}

/// One `[[liquidity]]`: Uniswap V2 liquidity whose LP shares the vault holds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LiquidityEntry {
    tokens: Vec<String>,
    amounts: Vec<toml::Value>,
}

/// The sections of a scenario file this module reads.
pub(crate) struct Sections {
    pub aave: Option<AaveSection>,
    pub compound: Option<Vec<CompoundEntry>>,
    pub morpho: Option<Vec<MorphoEntry>>,
    pub liquidity: Option<Vec<LiquidityEntry>>,
}

/// How the scenario module reads a token name and an amount.
pub(crate) struct Readers<'a> {
    pub token: &'a dyn Fn(&str, &str) -> Result<&'static TokenInfo, DevnetError>,
    pub amount: &'a dyn Fn(&toml::Value, u8, &str) -> Result<U256, DevnetError>,
}

fn error<T>(message: String) -> Result<T, DevnetError> {
    Err(DevnetError::Scenario(message))
}

/// `[prices]`: USD per whole token, as millionths of a USD.
pub(crate) fn prices(
    table: &toml::Table,
    read: &Readers<'_>,
) -> Result<Vec<(Address, U256)>, DevnetError> {
    let mut out: Vec<(Address, U256)> = Vec::new();
    for (symbol, value) in table {
        let place = format!("prices.{symbol}");
        let token = (read.token)(symbol, "[prices]")?;
        if matches!(
            token.kind,
            TokenKind::StEth | TokenKind::WstEth | TokenKind::SavingsDai | TokenKind::UsdcVault
        ) {
            return error(format!(
                "`{}`: the price of {} follows its exchange rate (and ether's, for stETH and \
                 wstETH); price WETH or DAI instead",
                inert(&place),
                token.symbol
            ));
        }
        let micro = (read.amount)(value, 6, &place)?;
        if micro.is_zero() {
            return error(format!("`{}` must not be zero", inert(&place)));
        }
        if micro > U256::from(u64::MAX) {
            return error(format!("`{}` is too large", inert(&place)));
        }
        if out.iter().any(|(a, _)| *a == token.address) {
            return error(format!("`[prices]` names {} twice", token.symbol));
        }
        out.push((token.address, micro));
    }
    Ok(out)
}

/// Every seeded position of the file.
pub(crate) fn positions(
    sections: &Sections,
    read: &Readers<'_>,
) -> Result<SeededPositions, DevnetError> {
    let mut seed = SeededPositions::default();
    if let Some(aave) = &sections.aave {
        seed.aave_supply = token_amounts(aave.supply.as_ref(), "aave.supply", read)?;
        seed.aave_borrow = token_amounts(aave.borrow.as_ref(), "aave.borrow", read)?;
        for (symbol, value) in aave.collateral.iter().flatten() {
            let place = format!("aave.collateral.{symbol}");
            let token = (read.token)(symbol, "[aave.collateral]")?;
            match value {
                toml::Value::Boolean(true) => {}
                toml::Value::Boolean(false) => seed.aave_not_collateral.push(token.address),
                _ => {
                    return error(format!(
                        "`{}`: true or false (whether the supplied {} is collateral)",
                        inert(&place),
                        token.symbol
                    ))
                }
            }
            if !seed.aave_supply.iter().any(|(a, _)| *a == token.address) {
                return error(format!(
                    "`{}`: the scenario supplies no {} to Aave (add it to `[aave] supply`)",
                    inert(&place),
                    token.symbol
                ));
            }
        }
    }
    for (i, entry) in sections.compound.iter().flatten().enumerate() {
        let at = format!("compound[{i}]");
        let base = (read.token)(&entry.market, &format!("{at}.market"))?;
        let optional = |v: &Option<toml::Value>, name: &str| match v {
            Some(v) => (read.amount)(v, base.decimals, &format!("{at}.{name}")),
            None => Ok(U256::ZERO),
        };
        let seed_entry = CometSeed {
            base: base.address,
            collateral: token_amounts(
                entry.collateral.as_ref(),
                &format!("{at}.collateral"),
                read,
            )?,
            supply: optional(&entry.supply, "supply")?,
            borrow: optional(&entry.borrow, "borrow")?,
        };
        if !seed_entry.supply.is_zero() && !seed_entry.borrow.is_zero() {
            return error(format!(
                "`{at}`: a Compound III account either supplies or borrows the base token \
                 ({}), not both",
                base.symbol
            ));
        }
        if seed.comet.iter().any(|c| c.base == base.address) {
            return error(format!(
                "`{at}`: a second entry for the {} market",
                base.symbol
            ));
        }
        seed.comet.push(seed_entry);
    }
    for (i, entry) in sections.morpho.iter().flatten().enumerate() {
        let at = format!("morpho[{i}]");
        let Some((c, l)) = entry.market.split_once('/') else {
            return error(format!(
                "`{at}.market` = `{}`: write it COLLATERAL/LOAN, e.g. \"WETH/USDC\"",
                inert(&entry.market)
            ));
        };
        let place = format!("{at}.market");
        let (collateral, loan) = (
            (read.token)(c.trim(), &place)?,
            (read.token)(l.trim(), &place)?,
        );
        let amount = |v: &Option<toml::Value>, token: &TokenInfo, name: &str| match v {
            Some(v) => (read.amount)(v, token.decimals, &format!("{at}.{name}")),
            None => Ok(U256::ZERO),
        };
        seed.morpho.push(MorphoSeed {
            loan: loan.address,
            collateral_token: collateral.address,
            supply: amount(&entry.supply, loan, "supply")?,
            collateral: amount(&entry.collateral, collateral, "collateral")?,
            borrow: amount(&entry.borrow, loan, "borrow")?,
        });
    }
    for (i, entry) in sections.liquidity.iter().flatten().enumerate() {
        let at = format!("liquidity[{i}]");
        let ([a, b], [x, y]) = (entry.tokens.as_slice(), entry.amounts.as_slice()) else {
            return error(format!(
                "`{at}`: two `tokens` and two `amounts` (whole tokens, in the same order)"
            ));
        };
        let place = format!("{at}.tokens");
        let (a, b) = ((read.token)(a, &place)?, (read.token)(b, &place)?);
        if a.address == b.address {
            return error(format!("`{place}` names {} twice", a.symbol));
        }
        let (x, y) = (
            (read.amount)(x, a.decimals, &format!("{at}.amounts[0]"))?,
            (read.amount)(y, b.decimals, &format!("{at}.amounts[1]"))?,
        );
        if x.is_zero() || y.is_zero() {
            return error(format!("`{at}.amounts` must not be zero"));
        }
        seed.v2_liquidity.push(LiquiditySeed {
            token_a: (a.address, x),
            token_b: (b.address, y),
        });
    }
    Ok(seed)
}

/// A `{ SYMBOL = whole units }` table in base units, zero amounts refused.
fn token_amounts(
    table: Option<&toml::Table>,
    place: &str,
    read: &Readers<'_>,
) -> Result<Vec<(Address, U256)>, DevnetError> {
    let mut out: Vec<(Address, U256)> = Vec::new();
    for (symbol, value) in table.into_iter().flatten() {
        let token = (read.token)(symbol, &format!("[{place}]"))?;
        let field = format!("{place}.{symbol}");
        let units = (read.amount)(value, token.decimals, &field)?;
        if units.is_zero() {
            return error(format!("`{}` must not be zero", inert(&field)));
        }
        out.push((token.address, units));
    }
    Ok(out)
}
