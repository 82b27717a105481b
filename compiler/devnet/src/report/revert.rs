//! Revert data in words: `Error(string)` gives its message, `Panic(uint256)` its code and
//! meaning, a known custom error its name and arguments, anything else its hex.

use alloy_dyn_abi::JsonAbiExt;
use alloy_primitives::{hex, Selector, U256};
use alloy_sol_types::{Panic, Revert, SolError};

use super::known::Known;
use super::types::CustomError;
use super::values::{display_list, named};

/// The decoded reason of revert data; `None` when the data is empty.
pub(crate) fn reason(data: &[u8], known: &Known) -> Option<String> {
    if data.is_empty() {
        return None;
    }
    if let Ok(revert) = Revert::abi_decode(data) {
        return Some(revert.reason);
    }
    if let Ok(panic) = Panic::abi_decode(data) {
        return Some(panic_text(panic.code));
    }
    if let Some(error) = custom_error(data, known) {
        let args = display_list(&error.args, known);
        return Some(format!("{}({args})", error.name));
    }
    Some(hex::encode_prefixed(data))
}

/// The custom error `data` encodes, when its selector is one `known` has and the arguments
/// decode with its types.
pub(crate) fn custom_error(data: &[u8], known: &Known) -> Option<CustomError> {
    let selector = Selector::from_slice(data.get(..4)?);
    let error = known.error(selector)?;
    let values = error.abi_decode_input(&data[4..]).ok()?;
    Some(CustomError {
        name: error.name.clone(),
        signature: error.signature(),
        args: named(&error.inputs, &values),
    })
}

/// `panic 0x11 (arithmetic overflow)`.
pub(crate) fn panic_text(code: U256) -> String {
    let meaning = match u64::try_from(code) {
        Ok(0x00) => Some("generic compiler panic"),
        Ok(0x01) => Some("assertion failed"),
        Ok(0x11) => Some("arithmetic overflow"),
        Ok(0x12) => Some("division or modulo by zero"),
        Ok(0x21) => Some("invalid enum value"),
        Ok(0x22) => Some("invalid storage byte array"),
        Ok(0x31) => Some("pop from an empty array"),
        Ok(0x32) => Some("array index out of bounds"),
        Ok(0x41) => Some("out of memory"),
        Ok(0x51) => Some("call to an uninitialised function"),
        _ => None,
    };
    let code = match u64::try_from(code) {
        Ok(small) => format!("{small:#04x}"),
        Err(_) => format!("{code:#x}"),
    };
    match meaning {
        Some(m) => format!("panic {code} ({m})"),
        None => format!("panic {code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_codes_are_named() {
        assert_eq!(
            panic_text(U256::from(0x11)),
            "panic 0x11 (arithmetic overflow)"
        );
        assert_eq!(panic_text(U256::from(0x99)), "panic 0x99");
    }
}
