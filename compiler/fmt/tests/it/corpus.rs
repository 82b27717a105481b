//! Every script in the repository that parses without errors — examples, stdlib
//! modules, UI tests and the book's code blocks — formats to text that parses to
//! the same tree (checked inside `format`) and formats to itself a second time.

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ns_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // `tests/ui/pending` holds known parser stack overflows, skipped by the UI harness too.
        if path.is_dir() && !path.ends_with("pending") {
            ns_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ns") {
            out.push(path);
        }
    }
}

fn md_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            md_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The ```ns blocks of a Markdown file (any info string starting with `ns`).
fn code_blocks(md: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
        let fence = line.trim_start().starts_with("```");
        match (&mut current, fence) {
            (None, true) if line.trim_start().trim_start_matches('`').starts_with("ns") => {
                current = Some(String::new())
            }
            (Some(block), false) => {
                block.push_str(line);
                block.push('\n');
            }
            (Some(_), true) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

fn corpus() -> Vec<(String, String)> {
    let root = repo();
    let mut files = Vec::new();
    for dir in ["examples", "stdlib", "tests/ui", "tests/codegen"] {
        ns_files(&root.join(dir), &mut files);
    }
    let mut out: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|p| {
            std::fs::read_to_string(&p)
                .ok()
                .map(|t| (p.display().to_string(), t))
        })
        .collect();
    let mut mds = Vec::new();
    md_files(&root.join("book"), &mut mds);
    for md in mds {
        let Ok(text) = std::fs::read_to_string(&md) else {
            continue;
        };
        for (i, block) in code_blocks(&text).into_iter().enumerate() {
            out.push((format!("{} block {i}", md.display()), block));
        }
    }
    out
}

/// Runs `f` on a thread with a large stack: the corpus holds scripts nested
/// hundreds of levels deep (the `E0325` cases), whose trees are deep too.
fn with_big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

#[test]
fn formatting_keeps_meaning_and_is_idempotent() {
    with_big_stack(formatting_keeps_meaning_and_is_idempotent_body);
}

fn formatting_keeps_meaning_and_is_idempotent_body() {
    let mut formatted = 0;
    let mut failures = Vec::new();
    for (name, text) in corpus() {
        if std::env::var_os("NEST_FMT_TRACE").is_some() {
            eprintln!("formatting {name}");
        }
        match nest_fmt::format(&text) {
            Ok(once) => {
                formatted += 1;
                match nest_fmt::format(&once) {
                    Ok(twice) if twice == once => {}
                    Ok(twice) => failures.push(format!(
                        "{name}: not idempotent\n--- once\n{once}--- twice\n{twice}"
                    )),
                    Err(e) => failures.push(format!("{name}: second pass failed: {e}\n{once}")),
                }
            }
            Err(nest_fmt::FormatError::Syntax(_)) => {}
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        formatted >= 10,
        "only {formatted} files formatted: is the corpus where the test expects it?"
    );
}

#[test]
fn files_with_syntax_errors_are_refused() {
    let err = nest_fmt::format("let x = (1 +\n").unwrap_err();
    assert!(
        matches!(err, nest_fmt::FormatError::Syntax(ref d) if !d.is_empty()),
        "{err:?}"
    );
}

/// The text with its layout disturbed but its meaning kept: lines indented at random,
/// spaces doubled outside strings and comments, trailing spaces added.
fn disturb(text: &str, seed: usize) -> String {
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let indent = (n * 7 + seed) % 5;
        out.push_str(&" ".repeat(indent));
        let mut in_string = false;
        let mut chars = line.trim_start().chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '"' {
                in_string = !in_string;
            }
            if !in_string && c == '/' && matches!(chars.peek(), Some('/' | '*')) {
                out.extend(chars.by_ref());
                break;
            }
            if !in_string && c == ' ' {
                out.push(' ');
            }
        }
        if n % 3 == 0 {
            out.push_str("  ");
        }
        out.push('\n');
    }
    out
}

#[test]
fn layout_does_not_depend_on_spacing_or_indentation() {
    with_big_stack(layout_body);
}

fn layout_body() {
    let mut failures = Vec::new();
    for (seed, (name, text)) in corpus().into_iter().enumerate() {
        let Ok(canonical) = nest_fmt::format(&text) else {
            continue;
        };
        let disturbed = disturb(&text, seed);
        match nest_fmt::format(&disturbed) {
            Ok(again) if again == canonical => {}
            Ok(again) => failures.push(format!(
                "{name}: disturbed text formats differently\n{again}"
            )),
            Err(e) => failures.push(format!("{name}: disturbed text refused: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
