//! Remembers, once per process, what a standard-library module's tokens and
//! interfaces resolve to.
//!
//! A script that imports `std::ethereum` loads about ten stdlib modules and their few
//! hundred interface functions; resolving them (ABI types, signatures, selectors,
//! `#[grants]`, custom errors) cost more than checking a 200-line script. What they
//! resolve to depends only on the module's built-in text, the modules it imports
//! (stdlib too, so also fixed) and the `FileId` it was given (every span carries it;
//! the id depends on the order a script imports modules). The cache is keyed by the
//! module and that id, so a hit is exactly what a fresh resolution makes.
//!
//! Only clean resolutions are kept: a module whose resolution reported anything is
//! resolved afresh every time, so its diagnostics are too. Token and interface ids are
//! not stored: they are the ones the current check gave the module's items.

use crate::hir::{ErrorDef, FunctionDef};
use alloy_primitives::Address;
use nest_diagnostics::FileId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

/// At most this many resolutions are kept (18 modules at a few file ids each).
const CAPACITY: usize = 512;

/// What a module's tokens and interfaces resolved to, in the order of its items.
#[derive(Default)]
pub(crate) struct Resolved {
    /// Each `token` item that resolved: its address (if valid) and decimals; `None`
    /// for an item whose name is not a token in the module's scope (a duplicate).
    pub tokens: Vec<Option<(Option<Address>, u8)>>,
    /// Each `interface` item's functions and custom errors.
    pub interfaces: Vec<(Arc<[FunctionDef]>, Vec<ErrorDef>)>,
}

type Key = (&'static str, FileId);

fn cache() -> MutexGuard<'static, HashMap<Key, Arc<Resolved>>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Resolved>>>> = OnceLock::new();
    // A poisoned lock only means another thread panicked mid-insert; the map still
    // holds finished resolutions.
    CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// The remembered resolution of stdlib module `module` loaded as file `file`.
pub(crate) fn get(module: &'static str, file: FileId) -> Option<Arc<Resolved>> {
    cache().get(&(module, file)).cloned()
}

/// Remembers a clean resolution of stdlib module `module` loaded as file `file`.
pub(crate) fn put(module: &'static str, file: FileId, resolved: Resolved) {
    let mut map = cache();
    if map.len() < CAPACITY {
        map.insert((module, file), Arc::new(resolved));
    }
}

#[cfg(test)]
mod tests {
    use crate::{check, CheckInput, MemoryResolver};

    /// The interfaces, tokens and diagnostics of checking `text`.
    fn resolved(text: &str, index: bool) -> String {
        let resolver = MemoryResolver::new();
        let out = check(&CheckInput {
            name: "t.ns",
            text,
            resolver: &resolver,
            params: &[],
            require_params: true,
            index,
        });
        let program = out
            .program
            .map(|p| format!("{:?}\n{:?}", p.interfaces, p.tokens));
        format!("{program:?}\n{:?}", out.diagnostics)
    }

    #[test]
    fn a_cached_resolution_equals_a_fresh_one_at_every_file_id() {
        // Different import orders give the stdlib modules different file ids.
        for text in [
            "use std::ethereum::{USDC, UNISWAP_V2_ROUTER}\nreturn 1 USDC\n",
            "use std::erc20::IERC20\nuse std::base::{USDC}\nreturn 1 USDC\n",
        ] {
            // Checking with the index never uses the cache.
            let fresh = resolved(text, true);
            assert!(fresh.starts_with("Some("), "{fresh}");
            assert_eq!(resolved(text, false), fresh);
            assert_eq!(resolved(text, false), fresh);
        }
    }
}
