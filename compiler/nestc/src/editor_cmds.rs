//! `nestc fmt` and `nestc lsp`: the commands for editors.

use std::path::{Path, PathBuf};

use nest_diagnostics::SourceMap;

use crate::output::{self, INPUT_ERROR};

/// Folders a search does not enter (besides hidden ones).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Formats the scripts named by `paths` in place: files as given, folders searched
/// recursively for `*.ns` files (see [`scripts`]). With `check`, lists the files that
/// would change instead of writing them. A file with syntax errors is reported with its
/// diagnostics and left alone, and the others are still formatted. Returns 2 when a path
/// does not exist (then nothing is formatted) or a file cannot be read or written; else
/// 1 when a file has syntax errors or, with `check`, would change; else 0.
pub(crate) fn fmt(paths: &[PathBuf], check: bool) -> u8 {
    let files = match scripts(paths) {
        Ok(files) => files,
        Err(e) => return output::usage(&e),
    };
    let mut status = 0;
    for file in &files {
        status = status.max(fmt_file(file, check));
    }
    status
}

/// Formats one file; returns its exit status (see [`fmt`]).
fn fmt_file(file: &Path, check: bool) -> u8 {
    let name = file.display().to_string();
    let text = match crate::fs_resolver::read_script(file) {
        Ok(t) => t,
        Err(e) => return output::usage(&format!("cannot read `{name}`: {e}")),
    };
    let formatted = match nest_fmt::format(&text) {
        Ok(f) => f,
        Err(nest_fmt::FormatError::Syntax(diags)) => {
            let mut sources = SourceMap::new();
            sources.add(name.clone(), text);
            output::diagnostics(&diags, &sources, false);
            output::error(&format!("`{name}` was not formatted: it has syntax errors"));
            return INPUT_ERROR;
        }
        Err(e) => {
            output::error(&format!("`{name}` was not formatted: {e}"));
            return INPUT_ERROR;
        }
    };
    if formatted == text {
        0
    } else if check {
        println!("{name}");
        INPUT_ERROR
    } else if let Err(e) = std::fs::write(file, formatted) {
        output::usage(&format!("cannot write `{name}`: {e}"))
    } else {
        0
    }
}

/// The files named by `paths`, in order, each once: a file as given (whatever its
/// name), a folder as every `*.ns` file below it, sorted by path. A search skips hidden
/// entries, `target` and `node_modules`, and does not follow symbolic links. The error
/// names the first path that does not exist or a folder that cannot be read.
fn scripts(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out: Vec<PathBuf> = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("`{}` does not exist", path.display()),
            _ => format!("cannot read `{}`: {e}", path.display()),
        })?;
        let mut found = Vec::new();
        if meta.is_dir() {
            walk(path, &mut found)?;
            found.sort();
        } else {
            found.push(path.clone());
        }
        for file in found {
            if !out.contains(&file) {
                out.push(file);
            }
        }
    }
    Ok(out)
}

/// Adds the `*.ns` files below `dir` to `out`.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if kind.is_dir() && !SKIPPED_DIRS.contains(&name.as_ref()) {
            walk(&entry.path(), out)?;
        } else if kind.is_file() && name.ends_with(".ns") {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Runs the language server on stdin and stdout until the client exits.
pub(crate) fn lsp() -> u8 {
    match nest_lsp::run_stdio() {
        Ok(()) => 0,
        Err(e) => output::usage(&format!("language server: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fmt_check_lists_and_fmt_writes() {
        let dir = std::env::temp_dir().join(format!("nestc-fmt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let messy = dir.join("messy.ns");
        let clean = dir.join("clean.ns");
        let broken = dir.join("broken.ns");
        let write = |p: &PathBuf, t: &str| std::fs::write(p, t).unwrap_or_default();
        write(&messy, "let x=1\n");
        write(&clean, "let x = 1\n");
        write(&broken, "let x = (1\n");

        assert_eq!(fmt(std::slice::from_ref(&clean), true), 0);
        assert_eq!(fmt(&[messy.clone(), clean.clone()], true), INPUT_ERROR);
        assert_eq!(
            std::fs::read_to_string(&messy).unwrap_or_default(),
            "let x=1\n",
            "--check writes nothing"
        );
        assert_eq!(fmt(std::slice::from_ref(&messy), false), 0);
        assert_eq!(
            std::fs::read_to_string(&messy).unwrap_or_default(),
            "let x = 1\n"
        );
        assert_eq!(fmt(std::slice::from_ref(&broken), false), INPUT_ERROR);
        assert_eq!(
            std::fs::read_to_string(&broken).unwrap_or_default(),
            "let x = (1\n",
            "broken files are left alone"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
