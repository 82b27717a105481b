//! The code registry (`nestc explain`) is complete and well formed: every code the
//! compiler's sources emit is registered, once, in code order, with an explanation
//! that shows an example.

use nest_diagnostics::codes::{self, CodeInfo};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Registered codes the compiler no longer emits, kept so that they can be explained.
const RETIRED: &[&str] = &["E0404", "E0501", "E0502", "E0503"];

/// Codes whose explanation need not show a script: an internal compiler error is a
/// bug in the compiler, which no script is meant to trigger.
const NO_EXAMPLE: &[&str] = &["E0599"];

/// The stage a code belongs to: the two digits after `E0`/`W0` (`E0302` → `03`).
fn stage(code: &str) -> &str {
    &code[1..3]
}

/// Whether `code` is a letter (`E` or `W`), `0` and three more digits.
fn well_formed(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && (b[0] == b'E' || b[0] == b'W')
        && b[1] == b'0'
        && b[2..].iter().all(u8::is_ascii_digit)
}

#[test]
fn codes_are_well_formed_and_unique() {
    let mut seen = BTreeSet::new();
    for c in codes::all() {
        assert!(well_formed(c.code), "malformed code `{}`", c.code);
        assert!(seen.insert(c.code), "`{}` is registered twice", c.code);
    }
}

#[test]
fn codes_are_in_order_within_each_stage_and_stages_in_order() {
    let all: Vec<&CodeInfo> = codes::all().collect();
    for pair in all.windows(2) {
        let (a, b) = (pair[0].code, pair[1].code);
        assert!(
            (stage(a), a) < (stage(b), b),
            "`{a}` is listed before `{b}`"
        );
    }
}

#[test]
fn every_code_has_a_title_and_an_explanation_with_an_example() {
    for c in codes::all() {
        let title = c.title.trim();
        assert!(!title.is_empty(), "`{}` has no title", c.code);
        assert!(
            !title.ends_with('.'),
            "`{}`: a title has no full stop",
            c.code
        );
        assert!(
            !c.explanation.trim().is_empty(),
            "`{}` has no explanation",
            c.code
        );
        if !NO_EXAMPLE.contains(&c.code) {
            assert!(
                c.explanation.contains("```ns"),
                "`{}`: the explanation has no ```ns example",
                c.code
            );
        }
        let fences = c
            .explanation
            .lines()
            .filter(|l| l.trim_start().starts_with("```"))
            .count();
        assert!(fences % 2 == 0, "`{}`: a code block is not closed", c.code);
    }
}

#[test]
fn lookup_is_case_insensitive_and_rejects_unknown_codes() {
    let first = codes::all().next().map(|c| c.code).unwrap_or_default();
    assert_eq!(
        codes::lookup(&first.to_ascii_lowercase()).map(|c| c.code),
        Some(first)
    );
    assert!(codes::lookup("E9999").is_none());
    assert!(codes::lookup("").is_none());
}

/// The `compiler/` folder: this crate's parent.
fn compiler_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, skipping build output.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "target") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The codes passed as string literals to `Diagnostic::error(` / `Diagnostic::warning(`
/// in `text`, allowing whitespace (a line break) before the literal.
fn emitted_codes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ctor in ["Diagnostic::error(", "Diagnostic::warning("] {
        for (at, _) in text.match_indices(ctor) {
            let rest = text[at + ctor.len()..].trim_start();
            let Some(lit) = rest.strip_prefix('"') else {
                continue;
            };
            let Some(end) = lit.find('"') else { continue };
            let code = &lit[..end];
            if code.starts_with(['E', 'W']) && code.len() == 5 {
                out.push(code.to_string());
            }
        }
    }
    out
}

/// Every code emitted anywhere in the compiler's sources.
fn all_emitted() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&compiler_dir(), &mut files);
    let mut codes = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        codes.extend(emitted_codes(&text));
    }
    codes
}

#[test]
fn the_scanner_finds_literals_on_the_next_line() {
    let src = "let a = Diagnostic::error(\"E0123\", \"x\");\nlet b = Diagnostic::warning(\n    \"W0456\",\n);\nDiagnostic::error(code, \"x\")";
    assert_eq!(
        emitted_codes(src),
        vec!["E0123".to_string(), "W0456".to_string()]
    );
}

#[test]
fn every_emitted_code_is_registered() {
    let emitted = all_emitted();
    // The scan must see the compiler: the parser's first code and the internal error.
    assert!(
        emitted.contains("E0101") && emitted.contains("E0599"),
        "the scan found only {emitted:?}"
    );
    let registered: BTreeSet<String> = codes::all().map(|c| c.code.to_string()).collect();
    let missing: Vec<&String> = emitted.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "emitted but not registered in `codes`: {missing:?}"
    );
}

#[test]
fn every_registered_code_is_emitted_unless_retired() {
    let emitted = all_emitted();
    let unused: Vec<&str> = codes::all()
        .map(|c| c.code)
        .filter(|c| !emitted.contains(*c))
        .collect();
    assert_eq!(
        unused, RETIRED,
        "registered codes the compiler does not emit (retired ones belong in RETIRED)"
    );
    for code in RETIRED {
        let info = codes::lookup(code);
        assert!(
            info.is_some_and(|i| i.explanation.contains("no longer")),
            "retired `{code}` must say that it is no longer reported"
        );
    }
}
