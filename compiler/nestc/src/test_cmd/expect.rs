//! Expectations on amounts: `-1000 USDC`, `>= 0.2 WETH`, `0.2..0.4 WETH`, `> 0`.

use alloy_primitives::{I256, U256};

/// The decimals of a unit (`USDC`, `ETH`), from the devnet's tokens.
pub(super) type Units<'a> = &'a dyn Fn(&str) -> Option<u8>;

/// A bound on a signed amount in base units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Bound {
    Exact(I256),
    AtLeast(I256),
    AtMost(I256),
    Above(I256),
    Below(I256),
    Between(I256, I256),
}

/// A parsed expectation, with the unit it is shown in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Spec {
    pub bound: Bound,
    /// The unit and its decimals the amounts are written in (none: raw integers).
    pub unit: Option<(String, u8)>,
}

impl Spec {
    /// Whether `value` (base units) meets the expectation.
    pub(super) fn holds(&self, value: I256) -> bool {
        match &self.bound {
            Bound::Exact(x) => value == *x,
            Bound::AtLeast(x) => value >= *x,
            Bound::AtMost(x) => value <= *x,
            Bound::Above(x) => value > *x,
            Bound::Below(x) => value < *x,
            Bound::Between(a, b) => value >= *a && value <= *b,
        }
    }

    /// An amount in base units, written in this expectation's unit.
    pub(super) fn show(&self, value: I256) -> String {
        match &self.unit {
            Some((unit, decimals)) => format!("{} {unit}", signed_units(value, *decimals)),
            None => value.to_string(),
        }
    }

    /// The expectation, written back out.
    pub(super) fn describe(&self) -> String {
        let s = |v: &I256| self.show(*v);
        match &self.bound {
            Bound::Exact(x) => s(x),
            Bound::AtLeast(x) => format!(">= {}", s(x)),
            Bound::AtMost(x) => format!("<= {}", s(x)),
            Bound::Above(x) => format!("> {}", s(x)),
            Bound::Below(x) => format!("< {}", s(x)),
            Bound::Between(a, b) => format!("{} .. {}", s(a), s(b)),
        }
    }
}

/// Formats signed base units in whole units, trailing zeros trimmed: `-1000`, `0.25`.
pub(super) fn signed_units(value: I256, decimals: u8) -> String {
    let (negative, magnitude) = (value.is_negative(), value.unsigned_abs());
    let text = plain_units(magnitude, decimals);
    if negative {
        format!("-{text}")
    } else {
        text
    }
}

/// Formats base units as a plain decimal (no separators): `1000.5`.
pub(super) fn plain_units(value: U256, decimals: u8) -> String {
    let digits = value.to_string();
    let d = usize::from(decimals);
    if d == 0 {
        return digits;
    }
    let padded = format!("{digits:0>width$}", width = d + 1);
    let (whole, fraction) = padded.split_at(padded.len() - d);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    }
}

/// Parses an expectation. `default_unit` is the unit amounts without one are in (an asset's
/// symbol); without it, such amounts are raw integers (base units).
pub(super) fn parse_spec(
    text: &str,
    default_unit: Option<&str>,
    units: Units,
) -> Result<Spec, String> {
    let t = text.trim();
    let mut unit: Option<(String, u8)> = None;
    let mut amount = |s: &str| -> Result<I256, String> {
        let (value, u) = parse_amount(s, default_unit, units)?;
        if let Some(u) = u {
            if let Some((seen, _)) = &unit {
                if *seen != u.0 {
                    return Err(format!("`{text}` mixes units `{seen}` and `{}`", u.0));
                }
            }
            unit = Some(u);
        }
        Ok(value)
    };
    let bound = if let Some(rest) = t.strip_prefix(">=") {
        Bound::AtLeast(amount(rest)?)
    } else if let Some(rest) = t.strip_prefix("<=") {
        Bound::AtMost(amount(rest)?)
    } else if let Some(rest) = t.strip_prefix("==") {
        Bound::Exact(amount(rest)?)
    } else if let Some(rest) = t.strip_prefix('>') {
        Bound::Above(amount(rest)?)
    } else if let Some(rest) = t.strip_prefix('<') {
        Bound::Below(amount(rest)?)
    } else if let Some((a, b)) = t.split_once("..") {
        // `0.2..0.4 WETH`: a unit written once applies to both sides.
        let written = |s: &str| {
            s.trim()
                .split_once(char::is_whitespace)
                .map(|(_, u)| u.trim().to_string())
        };
        let range_unit = written(b).or_else(|| written(a));
        let default = range_unit.as_deref().or(default_unit);
        let (a_value, ua) = parse_amount(a, default, units)?;
        let (b_value, ub) = parse_amount(b, default, units)?;
        if let (Some(x), Some(y)) = (&ua, &ub) {
            if x.0 != y.0 {
                return Err(format!("`{text}` mixes units `{}` and `{}`", x.0, y.0));
            }
        }
        unit = ua.or(ub);
        if a_value > b_value {
            return Err(format!(
                "`{text}`: the lower bound is above the upper bound"
            ));
        }
        Bound::Between(a_value, b_value)
    } else {
        Bound::Exact(amount(t)?)
    };
    if unit.is_none() {
        if let Some(d) = default_unit {
            unit = units(d).map(|dec| (d.to_string(), dec));
        }
    }
    Ok(Spec { bound, unit })
}

/// Parses `-1_000.5 USDC`, `0`, `12345`: base units and the unit written (or the default).
pub(super) fn parse_amount(
    text: &str,
    default_unit: Option<&str>,
    units: Units,
) -> Result<(I256, Option<(String, u8)>), String> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t).trim_start()),
    };
    let (number, unit) = match t.split_once(char::is_whitespace) {
        Some((n, u)) => (n, Some(u.trim())),
        None => (t, None),
    };
    let unit = unit.or(default_unit);
    let (base, unit) = match unit {
        Some(u) => {
            let decimals =
                units(u).ok_or_else(|| format!("`{}`: unknown unit `{u}`", text.trim()))?;
            let v = nest_devnet::amount::parse_units(number, decimals).ok_or_else(|| {
                format!(
                    "`{}`: `{number}` is not an amount of {u} ({decimals} decimals)",
                    text.trim()
                )
            })?;
            (v, Some((u.to_string(), decimals)))
        }
        None => {
            let digits: String = number.chars().filter(|c| *c != '_').collect();
            let v = U256::from_str_radix(&digits, 10)
                .map_err(|_| format!("`{}` is not a whole number", text.trim()))?;
            (v, None)
        }
    };
    let value = I256::try_from(base).map_err(|_| format!("`{}` is too large", text.trim()))?;
    Ok((if negative { -value } else { value }, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(u: &str) -> Option<u8> {
        match u {
            "USDC" => Some(6),
            "WETH" | "ETH" => Some(18),
            _ => None,
        }
    }

    #[test]
    fn specs() {
        let s = parse_spec("-1000 USDC", Some("USDC"), &units).unwrap();
        assert!(s.holds(I256::try_from(-1_000_000_000i64).unwrap()));
        assert_eq!(s.describe(), "-1000 USDC");
        let s = parse_spec(">= 0.2 WETH", Some("WETH"), &units).unwrap();
        assert!(s.holds(I256::try_from(200_000_000_000_000_000i64).unwrap()));
        assert!(!s.holds(I256::ZERO));
        let s = parse_spec("0.2..0.4 WETH", Some("WETH"), &units).unwrap();
        assert!(s.holds(I256::try_from(300_000_000_000_000_000i64).unwrap()));
        assert!(!s.holds(I256::try_from(500_000_000_000_000_000i64).unwrap()));
        let s = parse_spec("> 0", None, &units).unwrap();
        assert!(s.holds(I256::ONE) && !s.holds(I256::ZERO));
        assert!(parse_spec("-1000 DAI", None, &units).is_err());
        assert!(parse_spec("5..1", None, &units).is_err());
        assert_eq!(plain_units(U256::from(1_000_500_000u64), 6), "1000.5");
    }
}
