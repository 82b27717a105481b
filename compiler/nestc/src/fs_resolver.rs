//! Imports from the file system, relative to the importing file.

use nest_driver::Resolver;

/// Reads `use "./x.ns"` files from disk, relative to the importing file's name.
pub struct FsResolver;

impl Resolver for FsResolver {
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String> {
        let name = nest_driver::join_path(importer, path);
        std::fs::read_to_string(&name)
            .map(|t| (name.clone(), t))
            .map_err(|e| format!("cannot read `{name}`: {e}"))
    }
}
