//! No two modules of a crate import each other, directly or in a circle (issue 16).
//!
//! Reads each crate's `src/` files, finds every `crate::` path outside comments and string
//! literals (in `use` lines and in expressions alike) and `super::` path, maps it to the
//! module file it names, and looks for cycles in that file-level graph. The crate root
//! (`lib.rs`, `main.rs`), which declares the modules, is left out: importing from it is
//! importing what it re-exports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path (`["journal", "size"]` for `src/journal/size.rs`) for each file.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let mut parts: Vec<String> = rel
                .iter()
                .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
                parts.clear();
            }
            out.insert(parts, path);
        }
    }
    out
}

/// The text of a Rust file with comments and string literals blanked out.
fn code_only(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            i += end;
            out.push(' ');
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() {
                match rest.as_bytes()[j] {
                    b'\\' => j += 2,
                    b'"' => break,
                    _ => j += 1,
                }
            }
            i += (j + 1).min(rest.len());
            out.push_str("\"\"");
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Paths after `prefix` (`crate::` or `super::`), expanded over `{…}` groups: for
/// `crate::{a::X, b::{c, d}}`, `["a::X", "b::c", "b::d"]`.
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find(prefix) {
        let start = from + at;
        from = start + prefix.len();
        // Part of a longer identifier (`my_crate::`) or path (`super::super::`)?
        if start > 0 {
            let before = code[..start].chars().next_back().unwrap();
            if before.is_alphanumeric() || before == '_' || before == ':' {
                continue;
            }
        }
        expand(&code[from..], String::new(), &mut out);
    }
    out
}

/// Reads one path (with groups) from the start of `s`, each leaf prefixed by `base`.
fn expand(s: &str, base: String, out: &mut Vec<String>) -> usize {
    let s_trim = s.trim_start();
    let skipped = s.len() - s_trim.len();
    if let Some(inner) = s_trim.strip_prefix('{') {
        let mut i = 0;
        loop {
            let rest = &inner[i..];
            let rest_trim = rest.trim_start();
            i += rest.len() - rest_trim.len();
            if rest_trim.starts_with('}') || rest_trim.is_empty() {
                return skipped + 1 + i + 1;
            }
            i += expand(&inner[i..], base.clone(), out);
            let rest = &inner[i..];
            let rest_trim = rest.trim_start();
            i += rest.len() - rest_trim.len();
            if rest_trim.starts_with(',') {
                i += 1;
            }
        }
    }
    let len = s_trim
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(s_trim.len());
    let path = &s_trim[..len];
    let full = format!("{base}{path}");
    if path.ends_with("::") && s_trim[len..].starts_with('{') {
        return skipped + len + expand(&s_trim[len..], full, out);
    }
    out.push(full);
    skipped + len
}

/// The module file a path names: its longest prefix that is a module.
fn target(path: &[String], mods: &BTreeMap<Vec<String>, PathBuf>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| mods.contains_key(p))
}

/// The file-level import graph of a crate's `src/`: module → modules it names.
fn graph(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mods = modules(src);
    let mut edges = BTreeMap::new();
    for (module, file) in &mods {
        if module.is_empty() {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        // Unit tests at the end of a file (`#[cfg(test)] mod tests`) import their parent
        // with `super::`, which is not an import between files.
        let code = match code.find("#[cfg(test)]") {
            Some(at) => code[..at].to_string(),
            None => code,
        };
        let mut to = BTreeSet::new();
        let split = |p: &str| -> Vec<String> {
            p.split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        for p in paths_after(&code, "crate::") {
            if let Some(t) = target(&split(&p), &mods) {
                to.insert(t);
            }
        }
        // `super::x` from `a/b.rs` (module a::b) names `a::x`; from `a.rs`, the root's x.
        for p in paths_after(&code, "super::") {
            let mut full = module[..module.len() - 1].to_vec();
            for segment in split(&p) {
                if segment == "super" {
                    full.pop();
                } else {
                    full.push(segment);
                }
            }
            if let Some(t) = target(&full, &mods) {
                to.insert(t);
            }
        }
        to.retain(|t| t != module && !t.is_empty());
        edges.insert(module.clone(), to);
    }
    edges
}

/// The import cycles: strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<String>> {
    struct Tarjan<'g> {
        edges: &'g BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'g Vec<String>, usize>,
        low: BTreeMap<&'g Vec<String>, usize>,
        stack: Vec<&'g Vec<String>>,
        on_stack: BTreeSet<&'g Vec<String>>,
        out: Vec<Vec<String>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g Vec<String>) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.edges.contains_key(w) {
                    continue;
                }
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                loop {
                    let w = self.stack.pop().unwrap();
                    self.on_stack.remove(w);
                    component.push(w.join("::"));
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.out.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.out.sort();
    t.out
}

fn compiler_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../compiler")
}

fn crate_cycles(name: &str) -> Vec<Vec<String>> {
    cycles(&graph(&compiler_dir().join(name).join("src")))
}

#[test]
fn the_scanner_finds_cycles_through_use_lines_paths_and_super() {
    let dir = std::env::temp_dir().join(format!("nest-import-cycles-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("a")).unwrap();
    let write = |p: &str, t: &str| std::fs::write(src.join(p), t).unwrap();
    write("lib.rs", "mod a; mod b; mod c; mod d;\n");
    // a → b and d (grouped use), b → c (an expression path), c → a; a::x → d (through
    // `super::super`); d names a, b and c only in a comment, a string and a test module.
    write("a/mod.rs", "pub mod x;\nuse crate::{b::{B, C}, d};\n");
    write("b.rs", "fn f() { crate::c::g(); }\n");
    write("c.rs", "use crate::a::A;\n");
    write("a/x.rs", "use super::super::d::D;\n");
    write(
        "d.rs",
        "// use crate::a::A;\nconst S: &str = \"crate::b::B\";\n/* crate::c */\n\
         #[cfg(test)]\nmod tests { use crate::a::A; }\n",
    );
    let found = cycles(&graph(&src));
    assert_eq!(found, [vec!["a", "b", "c"]], "{:?}", graph(&src));
    // Breaking one edge breaks the cycle.
    write("c.rs", "use crate::d::D;\n");
    assert!(cycles(&graph(&src)).is_empty());
    // `super::` from a child to its parent's sibling closes a cycle too.
    write("d.rs", "use crate::a::x;\n");
    write("a/x.rs", "use super::super::d::D;\n");
    assert_eq!(cycles(&graph(&src)), [vec!["a::x", "d"]]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every crate under `compiler/`, by folder name.
fn crates() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(compiler_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("src").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn no_crate_has_an_import_cycle() {
    let names = crates();
    // The pipeline's crates are all found (a moved folder must not empty the check).
    for expected in [
        "syntax", "check", "lower", "passes", "codegen", "devnet", "nestc",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
    }
    let cyclic: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let found = crate_cycles(name);
            (!found.is_empty()).then(|| format!("{name}: modules import each other: {found:?}"))
        })
        .collect();
    assert!(cyclic.is_empty(), "{}", cyclic.join("\n"));
}
