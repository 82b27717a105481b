//! Literal values: integers with units, token amounts, addresses with their
//! EIP-55 checksum.

use alloy_primitives::{Address, U256};

/// What a number literal denotes before typing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberValue {
    /// An integer (decimal or hex).
    Int(U256),
    /// A decimal with a fractional part: digits before and after the point.
    Decimal { int: String, frac: String },
    /// `0x` + 40 hex digits, as written.
    Address(String),
    /// `0x` + 64 hex digits.
    Bytes32(U256),
}

/// Why a number literal is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Larger than 2^256 - 1.
    TooLarge,
    /// Not a number at all.
    Malformed,
}

/// Classifies a number literal as written (underscores already removed).
pub fn parse_number(raw: &str) -> Result<NumberValue, NumberError> {
    let raw = raw.replace('_', "");
    if let Some(hex) = raw.strip_prefix("0x").or_else(|| raw.strip_prefix("0X")) {
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(NumberError::Malformed);
        }
        return match hex.len() {
            40 => Ok(NumberValue::Address(raw.clone())),
            64 => U256::from_str_radix(hex, 16)
                .map(NumberValue::Bytes32)
                .map_err(|_| NumberError::Malformed),
            n if n > 64 => Err(NumberError::TooLarge),
            _ => U256::from_str_radix(hex, 16)
                .map(NumberValue::Int)
                .map_err(|_| NumberError::TooLarge),
        };
    }
    if let Some((int, frac)) = raw.split_once('.') {
        let ok = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if int.is_empty() || frac.is_empty() || !ok(int) || !ok(frac) {
            return Err(NumberError::Malformed);
        }
        return Ok(NumberValue::Decimal {
            int: int.to_string(),
            frac: frac.to_string(),
        });
    }
    if raw.is_empty() || !raw.chars().all(|c| c.is_ascii_digit()) {
        return Err(NumberError::Malformed);
    }
    U256::from_str_radix(&raw, 10)
        .map(NumberValue::Int)
        .map_err(|_| NumberError::TooLarge)
}

/// Why scaling a number by decimals failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaleError {
    /// More fractional digits than the unit has decimals.
    TooPrecise {
        /// The unit's decimals.
        decimals: u8,
    },
    /// The scaled value does not fit in 256 bits.
    Overflow,
}

/// `int.frac × 10^decimals` as an exact integer.
pub fn scale(int: &str, frac: &str, decimals: u8) -> Result<U256, ScaleError> {
    let frac = frac.trim_end_matches('0');
    if frac.len() > decimals as usize {
        return Err(ScaleError::TooPrecise { decimals });
    }
    let digits = format!("{int}{frac}{}", "0".repeat(decimals as usize - frac.len()));
    U256::from_str_radix(&digits, 10).map_err(|_| ScaleError::Overflow)
}

/// Scales an integer by `10^decimals`.
pub fn scale_int(v: U256, decimals: u8) -> Result<U256, ScaleError> {
    v.checked_mul(U256::from(10u64).pow(U256::from(decimals)))
        .ok_or(ScaleError::Overflow)
}

/// Checks an address literal: all-lower or all-upper hex digits are accepted as
/// they are; mixed case must match the EIP-55 checksum. Returns the address and,
/// when the checksum is wrong, the correct spelling.
pub fn parse_address(raw: &str) -> Result<Address, String> {
    crate::memo::parse_address(raw, || parse_address_uncached(raw))
}

fn parse_address_uncached(raw: &str) -> Result<Address, String> {
    let hex = &raw[2..];
    let bytes = match alloy_primitives::hex::decode(hex) {
        Ok(b) if b.len() == 20 => b,
        _ => return Err(String::new()),
    };
    let addr = Address::from_slice(&bytes);
    let has_lower = hex.chars().any(|c| c.is_ascii_lowercase());
    let has_upper = hex.chars().any(|c| c.is_ascii_uppercase());
    if has_lower && has_upper {
        let good = addr.to_checksum(None);
        if good[2..] != *hex {
            return Err(good);
        }
    }
    Ok(addr)
}

/// Formats base units with decimals: `1000000000` with 6 → `1000.000000`.
pub fn format_units(v: U256, decimals: u8) -> String {
    let s = v.to_string();
    if decimals == 0 {
        return s;
    }
    let d = decimals as usize;
    let padded = if s.len() <= d {
        format!("{}{}", "0".repeat(d + 1 - s.len()), s)
    } else {
        s
    };
    let (i, f) = padded.split_at(padded.len() - d);
    format!("{i}.{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_classify() {
        assert_eq!(
            parse_number("1_000"),
            Ok(NumberValue::Int(U256::from(1000)))
        );
        assert_eq!(parse_number("0xff"), Ok(NumberValue::Int(U256::from(255))));
        assert!(matches!(
            parse_number("0.25"),
            Ok(NumberValue::Decimal { .. })
        ));
        assert!(matches!(
            parse_number("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"),
            Ok(NumberValue::Address(_))
        ));
        assert_eq!(parse_number("1.").unwrap_err(), NumberError::Malformed);
    }

    #[test]
    fn scaling_is_exact() {
        assert_eq!(
            scale("0", "25", 18).unwrap(),
            U256::from(250_000_000_000_000_000u128)
        );
        assert_eq!(scale("1000", "", 6).unwrap(), U256::from(1_000_000_000u64));
        assert_eq!(
            scale("1", "0000001", 6),
            Err(ScaleError::TooPrecise { decimals: 6 })
        );
        assert_eq!(scale("1", "500000", 6).unwrap(), U256::from(1_500_000u64));
    }

    #[test]
    fn checksums() {
        assert!(parse_address("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48").is_ok());
        assert!(parse_address("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48").is_ok());
        let err = parse_address("0xA0B86991c6218b36c1d19D4a2e9Eb0cE3606eB48").unwrap_err();
        assert_eq!(err, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    }

    #[test]
    fn units_format() {
        assert_eq!(format_units(U256::from(1_000_000_000u64), 6), "1000.000000");
        assert_eq!(format_units(U256::from(5u64), 6), "0.000005");
    }
}
