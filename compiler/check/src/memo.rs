//! Per-process memos of pure, costly computations the checker repeats on every
//! compilation: function selectors (a Keccak-256 each) and the EIP-55 checksum of
//! address literals. Every script that imports `std::ethereum` recomputes a few hundred
//! of them from the same stdlib text, which took about a tenth of a small script's
//! compile time. A memo returns exactly what the computation would.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, OnceLock, PoisonError};

/// At most this many entries per memo: the stdlib needs a few hundred; scripts that
/// declare many interfaces of their own still compute the rest directly.
const CAPACITY: usize = 8192;

/// A bounded map from inputs to results, shared by every thread.
struct Memo<K, V>(OnceLock<Mutex<HashMap<K, V>>>);

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    const fn new() -> Self {
        Memo(OnceLock::new())
    }

    /// The result for `key`, computing and remembering it when new. The lock is not
    /// held while computing.
    fn get_or<Q>(&self, key: &Q, compute: impl FnOnce() -> V) -> V
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        let map = self.0.get_or_init(Default::default);
        // A poisoned lock only means another thread panicked mid-insert; the map
        // still holds finished results.
        if let Some(hit) = map.lock().unwrap_or_else(PoisonError::into_inner).get(key) {
            return hit.clone();
        }
        let value = compute();
        let mut map = map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() < CAPACITY {
            map.insert(key.to_owned(), value.clone());
        }
        value
    }
}

/// The 4-byte selector of a function signature such as `transfer(address,uint256)`.
pub(crate) fn selector(signature: &str) -> [u8; 4] {
    static SELECTORS: Memo<String, [u8; 4]> = Memo::new();
    SELECTORS.get_or(signature, || {
        let hash = alloy_primitives::keccak256(signature.as_bytes());
        [hash[0], hash[1], hash[2], hash[3]]
    })
}

/// [`crate::literals::parse_address`] of `raw`, remembered.
pub(crate) fn parse_address(
    raw: &str,
    parse: impl FnOnce() -> Result<alloy_primitives::Address, String>,
) -> Result<alloy_primitives::Address, String> {
    static ADDRESSES: Memo<String, Result<alloy_primitives::Address, String>> = Memo::new();
    ADDRESSES.get_or(raw, parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_the_first_four_bytes_of_the_hash_every_time() {
        for _ in 0..2 {
            assert_eq!(
                selector("transfer(address,uint256)"),
                [0xa9, 0x05, 0x9c, 0xbb]
            );
            assert_eq!(
                selector("approve(address,uint256)"),
                [0x09, 0x5e, 0xa7, 0xb3]
            );
        }
    }

    #[test]
    fn a_remembered_address_is_what_parsing_gives() {
        let good = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
        let bad = "0xa0B86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
        for _ in 0..2 {
            assert!(crate::literals::parse_address(good).is_ok());
            assert_eq!(crate::literals::parse_address(bad), Err(good.to_string()));
        }
    }
}
