//! Imports for the language server: open documents first (their unsaved text is
//! what the author sees), then the disk.

use std::collections::HashMap;

use nest_driver::Resolver;

/// Resolves `use "./x.ns"` against the open documents, then the file system.
pub struct DocumentResolver<'a> {
    /// Open documents by name (their path).
    pub open: &'a HashMap<String, String>,
}

impl Resolver for DocumentResolver<'_> {
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String> {
        let name = nest_driver::join_path(importer, path);
        if let Some(text) = self.open.get(&name) {
            return Ok((name, text.clone()));
        }
        std::fs::read_to_string(&name)
            .map(|t| (name.clone(), t))
            .map_err(|e| format!("cannot read `{name}`: {e}"))
    }
}
