//! Finding and loading the modules a script imports.

use std::collections::BTreeMap;

/// Loads files that a script refers to by path (`use "./x.ns"`, `abi("x.json")`).
/// Paths are resolved relative to the importing file's name; the resolver decides
/// what that means (a folder on disk, a map in memory, an editor's buffers).
pub trait Resolver {
    /// Returns the canonical display name and the text of `path` as seen from the
    /// file named `importer`, or a reason it could not be read.
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String>;
}

/// A resolver over files held in memory, keyed by normalised relative names.
#[derive(Debug, Default, Clone)]
pub struct MemoryResolver {
    files: BTreeMap<String, String>,
}

impl MemoryResolver {
    /// An empty resolver.
    pub fn new() -> Self {
        MemoryResolver::default()
    }

    /// Adds a file under a name such as `lib/common.ns`.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut Self {
        self.files.insert(normalize(&name.into()), text.into());
        self
    }
}

impl Resolver for MemoryResolver {
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String> {
        let name = join(importer, path);
        self.files
            .get(&name)
            .map(|t| (name.clone(), t.clone()))
            .ok_or_else(|| format!("no file `{name}`"))
    }
}

/// The path of `path` relative to the folder of `importer`, normalised
/// (`a/b.ns` + `../c.ns` → `c.ns`).
pub fn join(importer: &str, path: &str) -> String {
    if path.starts_with('/') {
        return normalize(path);
    }
    let dir = match importer.rfind('/') {
        Some(i) => &importer[..i + 1],
        None => "",
    };
    normalize(&format!("{dir}{path}"))
}

/// Removes `.` segments and folds `..` where possible.
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(seg),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join("examples/swap.ns", "./common.ns"),
            "examples/common.ns"
        );
        assert_eq!(join("examples/a/swap.ns", "../c.ns"), "examples/c.ns");
        assert_eq!(join("swap.ns", "./abi/x.json"), "abi/x.json");
    }
}
