//! Decoded ABI values, as JSON for tools and as short text for people.

use alloy_dyn_abi::DynSolValue;
use alloy_json_abi::Param;
use alloy_primitives::hex;
use serde::Serialize;
use serde_json::Value;

use super::known::Known;

/// One decoded argument, return value or event field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NamedValue {
    /// The parameter's name in the ABI (empty when it has none).
    pub name: String,
    /// Its Solidity type (`uint256`, `address[]`).
    #[serde(rename = "type")]
    pub ty: String,
    /// The value: integers as decimal strings, addresses checksummed, bytes as `0x` hex,
    /// arrays and tuples as JSON arrays.
    pub value: Value,
}

/// Pairs decoded values with their parameters.
pub(crate) fn named(params: &[Param], values: &[DynSolValue]) -> Vec<NamedValue> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| NamedValue {
            name: params.get(i).map(|p| p.name.clone()).unwrap_or_default(),
            ty: params
                .get(i)
                .map(|p| p.selector_type().into_owned())
                .or_else(|| v.sol_type_name().map(|n| n.into_owned()))
                .unwrap_or_default(),
            value: to_json(v),
        })
        .collect()
}

/// A decoded value as JSON (numbers as decimal strings: they rarely fit a JSON number).
pub(crate) fn to_json(value: &DynSolValue) -> Value {
    match value {
        DynSolValue::Bool(b) => Value::Bool(*b),
        DynSolValue::Int(i, _) => Value::String(i.to_string()),
        DynSolValue::Uint(u, _) => Value::String(u.to_string()),
        DynSolValue::FixedBytes(word, size) => {
            Value::String(hex::encode_prefixed(&word[..(*size).min(32)]))
        }
        DynSolValue::Address(a) => Value::String(a.to_checksum(None)),
        DynSolValue::Function(f) => Value::String(hex::encode_prefixed(f.as_slice())),
        DynSolValue::Bytes(b) => Value::String(hex::encode_prefixed(b)),
        DynSolValue::String(s) => Value::String(s.clone()),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            Value::Array(items.iter().map(to_json).collect())
        }
        #[allow(unreachable_patterns)]
        other => Value::String(format!("{other:?}")),
    }
}

/// A JSON value from [`to_json`] as text, with known addresses named: `0xA0b8…eB48 [USDC]`
/// becomes `USDC`, strings are quoted, arrays bracketed.
pub(crate) fn display(value: &Value, known: &Known) -> String {
    match value {
        Value::String(s) => {
            if let Some(name) = s
                .parse::<alloy_primitives::Address>()
                .ok()
                .filter(|_| s.len() == 42)
                .and_then(|a| known.name(a))
            {
                return name.to_string();
            }
            s.clone()
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(|v| display(v, known)).collect();
            format!("[{}]", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// A list of named values as text: `to: USDC, amount: 5`.
pub(crate) fn display_list(values: &[NamedValue], known: &Known) -> String {
    values
        .iter()
        .map(|v| {
            let text = display(&v.value, known);
            if v.name.is_empty() {
                text
            } else {
                format!("{}: {text}", v.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
