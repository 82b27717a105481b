//! Remembers, once per process, what a standard-library module's tokens and
//! interfaces resolve to.
//!
//! A script that imports `std::ethereum` loads about ten stdlib modules and their few
//! hundred interface functions; resolving them (ABI types, signatures, selectors,
//! `#[grants]`, custom errors) cost more than checking a 200-line script. What they
//! resolve to depends only on the module's built-in text, the modules it imports
//! (stdlib too, so also fixed) and its `FileId` (every span carries it), which is fixed
//! per module ([`crate::stdlib::file_id`]); so one resolution per module and process is
//! exactly what a fresh resolution makes.
//!
//! Only clean resolutions are kept: a module whose resolution reported anything is
//! resolved afresh every time, so its diagnostics are too. Token and interface ids are
//! not stored: they are the ones the current check gave the module's items.

use crate::hir::{ErrorDef, FunctionDef};
use crate::parse_cache::StdModule;
use crate::stdlib::MODULES;
use alloy_primitives::Address;
use std::sync::{Arc, OnceLock};

/// What a module's tokens and interfaces resolved to, in the order of its items.
#[derive(Default)]
pub(crate) struct Resolved {
    /// Each `token` item that resolved: its address (if valid) and decimals; `None`
    /// for an item whose name is not a token in the module's scope (a duplicate).
    pub tokens: Vec<Option<(Option<Address>, u8)>>,
    /// Each `interface` item's functions and custom errors.
    pub interfaces: Vec<(Arc<[FunctionDef]>, Vec<ErrorDef>)>,
}

/// Each stdlib module's clean resolution, in the order of [`MODULES`].
static RESOLVED: [OnceLock<Arc<Resolved>>; MODULES.len()] =
    [const { OnceLock::new() }; MODULES.len()];

/// The remembered resolution of a stdlib module.
pub(crate) fn get(module: StdModule) -> Option<Arc<Resolved>> {
    RESOLVED[module.index].get().cloned()
}

/// Remembers a clean resolution of a stdlib module (the first one, if two checks on
/// two threads made one each: they are equal).
pub(crate) fn put(module: StdModule, resolved: Resolved) {
    let _ = RESOLVED[module.index].set(Arc::new(resolved));
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
