//! The stdlib on disk, so that "go to definition" can open it.
//!
//! The compiler carries the stdlib's text inside it; definitions in it have spans
//! into files named `std::erc20` and so on. The server writes those exact texts to a
//! cache folder, `$XDG_CACHE_HOME/nest/stdlib/<version>/` (else `~/.cache/…`, else
//! the temporary directory), so the spans match the file the editor opens, whatever
//! the repository next to the binary holds.

use std::path::PathBuf;

/// The folder the stdlib is written to for this compiler version.
pub fn folder() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache
        .join("nest")
        .join("stdlib")
        .join(nest_driver::COMPILER_VERSION)
}

/// The file holding module `std::a::b` (written if missing or stale), or `None` when
/// the name is not a stdlib module or the file cannot be written.
pub fn file_for(source_name: &str) -> Option<PathBuf> {
    let module = source_name.strip_prefix("std::")?;
    let text = nest_check::stdlib::module(module)?;
    let path = folder().join(format!("{}.ns", module.replace("::", "/")));
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::create_dir_all(path.parent()?).ok()?;
        std::fs::write(&path, text).ok()?;
    }
    Some(path)
}
