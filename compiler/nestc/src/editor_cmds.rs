//! `nestc fmt` and `nestc lsp`: the commands for editors.

use std::path::PathBuf;

use nest_diagnostics::SourceMap;

use crate::output::{self, INPUT_ERROR};

/// Formats `files` in place; with `check`, lists the files that would change and
/// returns 1 if any would. A file with syntax errors is reported and left alone.
pub(crate) fn fmt(files: &[PathBuf], check: bool) -> u8 {
    let mut status = 0;
    for file in files {
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
                crate::output::error(&format!("`{name}` was not formatted: it has syntax errors"));
                status = INPUT_ERROR;
                continue;
            }
            Err(e) => {
                crate::output::error(&format!("`{name}` was not formatted: {e}"));
                status = INPUT_ERROR;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if check {
            println!("{name}");
            status = INPUT_ERROR;
        } else if let Err(e) = std::fs::write(file, formatted) {
            return output::usage(&format!("cannot write `{name}`: {e}"));
        }
    }
    status
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
