//! Parses each standard-library module once per process.
//!
//! Every script that imports `std::ethereum` loads about ten stdlib modules; parsing
//! them dominated the time of compiling a small script. Their text is built into the
//! compiler and each has its own fixed `FileId` ([`crate::stdlib::file_id`]), so the
//! tree (spans included) is the same in every compilation: it is parsed on first use
//! and shared after. Other files (the script, `use "./x.ns"`) are parsed every time.

use crate::stdlib::MODULES;
use nest_diagnostics::{Diagnostic, FileId};
use nest_syntax::ast;
use std::sync::{Arc, OnceLock};

type Parsed = (Arc<ast::SourceFile>, Vec<Diagnostic>);

/// Each stdlib module's parse, in the order of [`MODULES`].
static TREES: [OnceLock<Parsed>; MODULES.len()] = [const { OnceLock::new() }; MODULES.len()];

/// A stdlib module: its index in [`MODULES`] and its fixed file id.
#[derive(Clone, Copy)]
pub(crate) struct StdModule {
    pub index: usize,
    pub file: FileId,
}

/// Parses `text` as file `file` (a file that is not a built-in stdlib module).
pub(crate) fn parse(file: FileId, text: &str) -> Parsed {
    let (tree, diags) = nest_syntax::parse(file, text);
    (Arc::new(tree), diags)
}

/// The parse of a stdlib module's built-in text at its fixed file id, made once.
pub(crate) fn parse_std(module: StdModule) -> Parsed {
    TREES[module.index]
        .get_or_init(|| parse(module.file, MODULES[module.index].1))
        .clone()
}

/// The stdlib module `name` is when it is `std::<path>` and `text` is its built-in
/// source.
pub(crate) fn stdlib_module(name: &str, text: &str) -> Option<StdModule> {
    let path = name.strip_prefix("std::")?;
    let index = MODULES
        .iter()
        .position(|(p, source)| *p == path && *source == text)?;
    Some(StdModule {
        index,
        file: crate::stdlib::file_id(path)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_tree_equals_a_fresh_parse_at_the_module_s_file_id() {
        for (path, text) in MODULES {
            let module = stdlib_module(&format!("std::{path}"), text).unwrap();
            for _ in 0..2 {
                let (shared, diags) = parse_std(module);
                let (fresh, fresh_diags) = nest_syntax::parse(module.file, text);
                assert_eq!(*shared, fresh);
                assert_eq!(diags, fresh_diags);
                assert_eq!(shared.span.file, module.file);
            }
        }
    }

    #[test]
    fn only_a_built_in_text_is_a_stdlib_module() {
        assert!(stdlib_module("std::erc20", "let x = 1\n").is_none());
        assert!(stdlib_module("erc20.ns", MODULES[0].1).is_none());
        let ids: std::collections::BTreeSet<FileId> = MODULES
            .iter()
            .filter_map(|(p, _)| crate::stdlib::file_id(p))
            .collect();
        assert_eq!(ids.len(), MODULES.len());
        assert!(ids.iter().all(|id| id.0 >= FileId::FIXED));
    }
}
