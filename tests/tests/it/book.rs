//! Every ```ns block in the book compiles: a plain block must compile, a block
//! fenced ```ns,fail(E0302) must fail with that code, and ```ns,ignore is skipped.
//! The README's example is held to the same rule.

use nest_driver::{compile, CompileRequest};
use nest_tests::{root, RepoResolver};

struct Block {
    file: String,
    line: usize,
    info: String,
    text: String,
}

fn blocks(file: &str, md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for (i, line) in md.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(b) = current.as_mut() {
            if trimmed.starts_with("```") {
                out.push(current.take().unwrap());
            } else {
                b.text.push_str(line);
                b.text.push('\n');
            }
        } else if let Some(info) = trimmed.strip_prefix("```") {
            let info = info.trim();
            if info == "ns" || info.starts_with("ns,") {
                current = Some(Block {
                    file: file.into(),
                    line: i + 1,
                    info: info.into(),
                    text: String::new(),
                });
            } else if !info.is_empty() || trimmed == "```" {
                // Skip other fenced blocks entirely.
                current = None;
                let _ = info;
            }
        }
    }
    out
}

fn md_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            md_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

#[test]
fn book_and_readme_examples_compile() {
    let mut files = Vec::new();
    md_files(&root().join("book/src"), &mut files);
    files.push(root().join("README.md"));
    files.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in files {
        let md = std::fs::read_to_string(&path).unwrap();
        let rel = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        // Skip code fences inside other fences: only top-level blocks are collected.
        for b in blocks(&rel, &md) {
            if b.info.contains("ignore") {
                continue;
            }
            checked += 1;
            let name = format!("{}:{}.ns", b.file, b.line);
            let result = compile(&CompileRequest {
                name: &name,
                text: &b.text,
                resolver: &RepoResolver,
                params: &[],
            });
            let expected = b
                .info
                .split("fail(")
                .nth(1)
                .map(|s| s.trim_end_matches(')').to_string());
            match (result, expected) {
                (Ok(_), None) => {}
                (Err(f), None) => failures.push(format!("{name}: must compile:\n{f}")),
                (Ok(_), Some(code)) => {
                    failures.push(format!("{name}: must fail with {code}, but compiled"))
                }
                (Err(f), Some(code)) => {
                    if !f.diagnostics.iter().any(|d| d.code == code) {
                        failures.push(format!("{name}: must fail with {code}, got:\n{f}"));
                    }
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} blocks found");
    assert!(
        failures.is_empty(),
        "{} of {checked} book blocks are wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
