//! Addresses spelled for the artifact: EIP-55 checksums, each computed once.

use alloy_primitives::{Address, B256, U256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Checksummed spellings of addresses, each computed once (a script names the same
/// few contracts again and again, and a checksum is a keccak256).
#[derive(Default)]
pub(super) struct Addresses(Vec<(U256, String)>);

impl Addresses {
    pub(super) fn name(&mut self, v: U256) -> String {
        if let Some((_, name)) = self.0.iter().find(|(w, _)| *w == v) {
            return name.clone();
        }
        let name = checksum(Address::from_word(B256::from(v)));
        self.0.push((v, name.clone()));
        name
    }

    /// A constant address checksummed, anything else `dynamic`.
    pub(super) fn spell(&mut self, v: Option<U256>) -> String {
        match v {
            Some(v) => self.name(v),
            None => "dynamic".to_string(),
        }
    }
}

/// The EIP-55 spelling of an address, remembered for the process (scripts name the
/// same stdlib contracts compile after compile; at most [`CHECKSUMS_KEPT`] are kept).
fn checksum(a: Address) -> String {
    static CHECKSUMS: OnceLock<Mutex<HashMap<Address, String>>> = OnceLock::new();
    let memo = CHECKSUMS.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked mid-insert; the map still
    // holds finished results.
    if let Some(hit) = memo.lock().unwrap_or_else(PoisonError::into_inner).get(&a) {
        return hit.clone();
    }
    let spelled = a.to_checksum(None);
    let mut map = memo.lock().unwrap_or_else(PoisonError::into_inner);
    if map.len() < CHECKSUMS_KEPT {
        map.insert(a, spelled.clone());
    }
    spelled
}

/// The most checksums [`checksum`] remembers.
const CHECKSUMS_KEPT: usize = 4096;
