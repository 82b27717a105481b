//! Amounts between base units and the decimal form people write and read (`2,500.5`).

use alloy_primitives::{I256, U256};
use serde::Serialize;

/// The token an amount is counted in: its name and decimals (a compiled script's
/// returned amounts carry one, from the artifact's `return_units`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// The token's name (`WETH`).
    pub token: String,
    /// Its decimals.
    pub decimals: u8,
}

impl Unit {
    /// A value in base units, as a decimal string, shown in whole tokens with the
    /// token's name: `332326706738800961000` with 18 decimals is
    /// `332.326706738800961 WETH`. `None` when `raw` is not a decimal integer.
    pub fn show(&self, raw: &str) -> Option<String> {
        if raw.is_empty() || !raw.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let v = U256::from_str_radix(raw, 10).ok()?;
        Some(format!(
            "{} {}",
            format_units_trimmed(v, self.decimals),
            self.token
        ))
    }
}

/// Parses a non-negative decimal amount in whole units (`2500`, `0.5`, `1_000_000`) into base
/// units with `decimals` decimals. `None` when it is not a number, has more fractional digits
/// than the unit allows, or overflows.
pub fn parse_units(text: &str, decimals: u8) -> Option<U256> {
    let text: String = text.trim().chars().filter(|c| *c != '_').collect();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text.as_str(), ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > usize::from(decimals) {
        return None;
    }
    let scale = U256::from(10u64).checked_pow(U256::from(decimals))?;
    let whole = if whole.is_empty() {
        U256::ZERO
    } else {
        U256::from_str_radix(whole, 10).ok()?
    };
    let mut padded = fraction.to_string();
    padded.extend(std::iter::repeat_n(
        '0',
        usize::from(decimals) - fraction.len(),
    ));
    let fraction = if padded.is_empty() {
        U256::ZERO
    } else {
        U256::from_str_radix(&padded, 10).ok()?
    };
    whole.checked_mul(scale)?.checked_add(fraction)
}

/// Formats base units as whole units with every decimal shown and thousands separated:
/// `1000000000` with 6 decimals is `1,000.000000`.
pub fn format_units(value: U256, decimals: u8) -> String {
    let digits = value.to_string();
    let decimals = usize::from(decimals);
    let padded = if digits.len() <= decimals {
        format!("{}{digits}", "0".repeat(decimals + 1 - digits.len()))
    } else {
        digits
    };
    let (whole, fraction) = padded.split_at(padded.len() - decimals);
    let whole = group_thousands(whole);
    if fraction.is_empty() {
        whole
    } else {
        format!("{whole}.{fraction}")
    }
}

/// Formats base units like [`format_units`] without the fraction's trailing zeros:
/// `2000000000000000000000` with 18 decimals is `2,000`, `1500000` with 6 is `1.5`.
pub fn format_units_trimmed(value: U256, decimals: u8) -> String {
    let text = format_units(value, decimals);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Formats a signed amount of base units like [`format_units`], with a `+` or `-` sign.
pub fn format_signed_units(value: I256, decimals: u8) -> String {
    let sign = if value.is_negative() { "-" } else { "+" };
    format!("{sign}{}", format_units(value.unsigned_abs(), decimals))
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `after - before` as a signed number (saturating at the ends of the signed range).
pub fn delta(before: U256, after: U256) -> I256 {
    if after >= before {
        I256::try_from(after - before).unwrap_or(I256::MAX)
    } else {
        I256::try_from(before - after)
            .map(|d| -d)
            .unwrap_or(I256::MIN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_show_amounts_in_whole_tokens() {
        let weth = Unit {
            token: "WETH".into(),
            decimals: 18,
        };
        assert_eq!(
            weth.show("332326706738800961000").as_deref(),
            Some("332.326706738800961 WETH")
        );
        assert_eq!(weth.show("0").as_deref(), Some("0 WETH"));
        assert_eq!(weth.show("-1"), None);
        assert_eq!(weth.show("0x10"), None);
    }

    #[test]
    fn parses_whole_and_fractional_amounts() {
        assert_eq!(parse_units("2500", 6), Some(U256::from(2_500_000_000u64)));
        assert_eq!(
            parse_units("0.5", 18),
            Some(U256::from(5u64) * U256::from(10u64).pow(U256::from(17)))
        );
        assert_eq!(parse_units("1_000.250", 2), Some(U256::from(100_025u64)));
        assert_eq!(parse_units(".5", 1), Some(U256::from(5u64)));
        assert_eq!(parse_units("0.0000001", 6), None);
        assert_eq!(parse_units("-1", 6), None);
        assert_eq!(parse_units("1e6", 6), None);
        assert_eq!(parse_units("", 6), None);
        assert_eq!(parse_units(".", 6), None);
    }

    #[test]
    fn formats_with_decimals_and_separators() {
        assert_eq!(
            format_units(U256::from(1_000_000_000u64), 6),
            "1,000.000000"
        );
        assert_eq!(format_units(U256::from(5u64), 6), "0.000005");
        assert_eq!(format_units_trimmed(U256::from(5u64), 6), "0.000005");
        assert_eq!(format_units_trimmed(U256::from(1_500_000u64), 6), "1.5");
        assert_eq!(format_units_trimmed(U256::from(2_000u64), 3), "2");
        assert_eq!(format_units_trimmed(U256::from(1_000u64), 0), "1,000");
        assert_eq!(format_units(U256::from(1_234_567u64), 0), "1,234,567");
        assert_eq!(
            format_signed_units(delta(U256::from(3u64), U256::ZERO), 2),
            "-0.03"
        );
        assert_eq!(
            format_signed_units(delta(U256::ZERO, U256::from(300u64)), 2),
            "+3.00"
        );
    }
}
