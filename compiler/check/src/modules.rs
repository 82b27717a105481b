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

/// Why a path written in a script may not be read, if it may not: paths are relative
/// to the importing file (an absolute path could read any file on the machine into
/// an error message) and name a file of the expected kind (`ns`, `json`). Returns
/// a label and a help line that shows `example`, a good path.
pub(crate) fn refused(path: &str, extension: &str, example: &str) -> Option<(String, String)> {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if path.starts_with('/') || path.starts_with('\\') || path.starts_with('~') || drive {
        return Some((
            "an absolute path".to_string(),
            format!("write the path relative to the importing file, e.g. `{example}`"),
        ));
    }
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if !file.ends_with(&format!(".{extension}")) {
        return Some((
            format!("not a `.{extension}` file"),
            format!("name a `.{extension}` file relative to the importing file, e.g. `{example}`"),
        ));
    }
    None
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

    #[test]
    fn refuses_absolute_paths_and_other_kinds_of_file() {
        for bad in ["/etc/passwd.ns", "\\\\server\\x.ns", "C:\\x.ns", "~/x.ns"] {
            assert!(refused(bad, "ns", "./x.ns").is_some(), "{bad}");
        }
        assert!(refused("./x.txt", "ns", "./x.ns").is_some());
        assert!(refused("./abi/pool.ns", "json", "./x.json").is_some());
        assert_eq!(refused("../lib/common.ns", "ns", "./x.ns"), None);
        assert_eq!(refused("abi/pool.json", "json", "./x.json"), None);
    }
}
