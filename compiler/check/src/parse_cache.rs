//! Parses each standard-library module once per process.
//!
//! Every script that imports `std::ethereum` loads about ten stdlib modules; parsing
//! them dominated the time of compiling a small script. Their text is built into the
//! compiler, so a parse can be reused: the cache is keyed by the module's name, its
//! text and the `FileId` it was given (spans carry the file id, and the id depends on
//! the order a script imports modules), so a cached tree is exactly the tree a fresh
//! parse would give. Other files (the script, `use "./x.ns"`) are parsed every time.

use nest_diagnostics::{Diagnostic, FileId};
use nest_syntax::ast;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// At most this many trees are kept (18 modules at a few different file ids each).
const CAPACITY: usize = 512;

type Key = (&'static str, FileId);
type Parsed = (Arc<ast::SourceFile>, Vec<Diagnostic>);

fn cache() -> &'static Mutex<HashMap<Key, Parsed>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Parsed>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Parses `text` as file `file`, reusing an earlier parse when `name` is a stdlib
/// module (`std::…`) and `text` is that module's built-in source.
#[cfg(test)]
fn parse(name: &str, file: FileId, text: &str) -> Parsed {
    parse_module(stdlib_module(name, text), file, text)
}

/// Parses `text` as file `file`, reusing an earlier parse when `module` is the stdlib
/// module `text` is the built-in source of (see [`stdlib_module`]).
pub(crate) fn parse_module(module: Option<&'static str>, file: FileId, text: &str) -> Parsed {
    let Some(module) = module else {
        let (tree, diags) = nest_syntax::parse(file, text);
        return (Arc::new(tree), diags);
    };
    let key = (module, file);
    // A poisoned lock only means another thread panicked mid-insert; the map is
    // still a valid map of finished parses.
    if let Some(hit) = lock().get(&key) {
        return hit.clone();
    }
    let (tree, diags) = nest_syntax::parse(file, text);
    let parsed = (Arc::new(tree), diags);
    let mut map = lock();
    if map.len() < CAPACITY {
        map.insert(key, parsed.clone());
    }
    parsed
}

fn lock() -> std::sync::MutexGuard<'static, HashMap<Key, Parsed>> {
    cache()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The stdlib module path (`erc20`, …) when `name` is `std::<path>` and `text` is its
/// built-in source.
pub(crate) fn stdlib_module(name: &str, text: &str) -> Option<&'static str> {
    let path = name.strip_prefix("std::")?;
    crate::stdlib::MODULES
        .iter()
        .find(|(p, source)| *p == path && *source == text)
        .map(|(p, _)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_tree_equals_a_fresh_parse_at_every_file_id() {
        let (_, text) = crate::stdlib::MODULES[0];
        let name = format!("std::{}", crate::stdlib::MODULES[0].0);
        for id in [FileId(1), FileId(4), FileId(1)] {
            let (cached, diags) = parse(&name, id, text);
            let (fresh, fresh_diags) = nest_syntax::parse(id, text);
            assert_eq!(*cached, fresh);
            assert_eq!(diags, fresh_diags);
            assert_eq!(cached.span.file, id);
        }
    }

    #[test]
    fn user_files_are_not_cached() {
        let (a, _) = parse("std::erc20", FileId(0), "let x = 1\n");
        let (b, _) = parse("std::erc20", FileId(0), "let y = 2\n");
        assert_ne!(*a, *b);
    }
}
