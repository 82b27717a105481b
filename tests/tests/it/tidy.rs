//! The tidy test: every crate's README agrees with its `tests/` folder and its Cargo.toml
//! (issue 16).
//!
//! The crates are every folder of `compiler/` holding a `Cargo.toml`, plus the end-to-end
//! suite `tests/` when it has a README. For each:
//!
//! - `README.md` exists and has a `**Tests:**` paragraph and a `**Must not know about:**`
//!   paragraph. A paragraph starts at the line beginning with its heading and runs until
//!   the next blank line or the next line beginning with a bold heading (`**…:**`).
//! - **Tests.** Every top-level entry of the crate's `tests/` folder (files and folders;
//!   hidden entries are skipped) is named in the Tests paragraph by a backticked path
//!   `tests/<entry>` or `tests/<entry>/…` (`tests/it/main.rs`, `tests/cases/`). Every
//!   backticked path starting with `tests/` exists, relative to the crate; a path holding a
//!   glob or a placeholder (`tests/cases/<pass>/*.ir`) is checked up to the component
//!   before the first `*`, `<` or `{`.
//! - A crate without a `tests/` folder names no `tests/…` path, and its Tests paragraph
//!   says what it has instead: it contains "unit test" or "doctest", or begins with
//!   "none".
//! - **Must not know about.** No crate named there in backticks is a normal dependency of
//!   the crate. Crate names are those of the form `nest-…`, `revm`, `revm-…`, `alloy…`, and
//!   `chumsky`, `ariadne`, `clap`, `ureq`, `serde_json`, `wasm-bindgen`. A normal
//!   dependency is a key (or the `package =` it renames) of `[dependencies]` or of a
//!   `[target.'…'.dependencies]` table. Dev- and build-dependencies are not checked: a
//!   crate's tests may drive it with what the crate itself must not know.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TESTS: &str = "**Tests:**";
const MUST_NOT_KNOW: &str = "**Must not know about:**";

/// Crate names outside `nest-…` that a Must-not-know-about paragraph may name.
const OTHER_CRATES: &[&str] = &[
    "revm",
    "chumsky",
    "ariadne",
    "clap",
    "ureq",
    "serde_json",
    "wasm-bindgen",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The crates the test reads: a display name (`compiler/nestc`) and its folder.
fn crates() -> Vec<(String, PathBuf)> {
    let root = root();
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root.join("compiler"))
        .expect("compiler/ is listable")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            (format!("compiler/{name}"), p)
        })
        .collect();
    if root.join("tests/README.md").is_file() {
        out.push(("tests".to_string(), root.join("tests")));
    }
    out.sort();
    out
}

/// The paragraph of `text` that begins with the line starting with `heading`, its lines
/// joined by spaces, heading removed; `None` without one.
fn paragraph(text: &str, heading: &str) -> Option<String> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(heading));
    let first = lines.next()?;
    let mut out = first[heading.len()..].trim().to_string();
    for line in lines {
        if line.trim().is_empty() || is_heading(line) {
            break;
        }
        out.push(' ');
        out.push_str(line.trim());
    }
    Some(out)
}

/// A line beginning with a bold heading: `**…:**`.
fn is_heading(line: &str) -> bool {
    line.strip_prefix("**")
        .and_then(|rest| rest.split_once("**"))
        .is_some_and(|(inside, _)| inside.ends_with(':'))
}

/// The backticked spans of a paragraph.
fn backticked(par: &str) -> Vec<&str> {
    par.split('`').skip(1).step_by(2).collect()
}

/// The backticked paths starting with `tests/`.
fn test_paths(par: &str) -> Vec<&str> {
    backticked(par)
        .into_iter()
        .filter(|s| s.starts_with("tests/"))
        .collect()
}

/// The part of a path before a glob or placeholder component.
fn fixed_prefix(path: &str) -> String {
    path.split('/')
        .take_while(|c| !c.contains(['*', '<', '{']))
        .collect::<Vec<_>>()
        .join("/")
}

fn is_crate_name(s: &str) -> bool {
    s.starts_with("nest-")
        || s.starts_with("revm-")
        || s.starts_with("alloy")
        || OTHER_CRATES.contains(&s)
}

/// The crate's normal dependencies: `[dependencies]` and `[target.'…'.dependencies]`, by
/// key and by the `package` a key renames.
fn normal_dependencies(manifest: &str) -> BTreeSet<String> {
    let doc: toml::Table = manifest.parse().expect("Cargo.toml parses");
    let mut tables: Vec<&toml::Table> = Vec::new();
    if let Some(t) = doc.get("dependencies").and_then(|d| d.as_table()) {
        tables.push(t);
    }
    if let Some(targets) = doc.get("target").and_then(|t| t.as_table()) {
        for target in targets.values() {
            if let Some(t) = target.get("dependencies").and_then(|d| d.as_table()) {
                tables.push(t);
            }
        }
    }
    let mut out = BTreeSet::new();
    for table in tables {
        for (key, value) in table {
            out.insert(key.clone());
            if let Some(package) = value.get("package").and_then(|p| p.as_str()) {
                out.insert(package.to_string());
            }
        }
    }
    out
}

/// The top-level entries of a `tests/` folder, hidden ones left out; `None` without one.
fn test_entries(dir: &Path) -> Option<Vec<String>> {
    let entries = std::fs::read_dir(dir.join("tests")).ok()?;
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    out.sort();
    Some(out)
}

/// What is wrong with one crate's README, each problem a line naming the crate.
fn problems(name: &str, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(readme) = std::fs::read_to_string(dir.join("README.md")) else {
        return vec![format!("{name}: no README.md")];
    };
    let tests = paragraph(&readme, TESTS);
    let must_not = paragraph(&readme, MUST_NOT_KNOW);
    if tests.is_none() {
        out.push(format!("{name}: README.md has no `{TESTS}` paragraph"));
    }
    if must_not.is_none() {
        out.push(format!(
            "{name}: README.md has no `{MUST_NOT_KNOW}` paragraph"
        ));
    }
    if let Some(tests) = &tests {
        let named = test_paths(tests);
        match test_entries(dir) {
            Some(entries) => {
                for entry in entries {
                    let exact = format!("tests/{entry}");
                    let inside = format!("{exact}/");
                    if !named.iter().any(|p| *p == exact || p.starts_with(&inside)) {
                        out.push(format!(
                            "{name}: `{exact}` is not named in README.md's Tests paragraph"
                        ));
                    }
                }
            }
            None => {
                let lower = tests.to_lowercase();
                if !(lower.contains("unit test")
                    || lower.contains("doctest")
                    || lower.starts_with("none"))
                {
                    out.push(format!(
                        "{name}: no tests/ folder, and the Tests paragraph says neither \
                         \"unit test\", \"doctest\" nor \"none\""
                    ));
                }
            }
        }
        for path in named {
            let fixed = fixed_prefix(path);
            if !dir.join(&fixed).exists() {
                out.push(format!(
                    "{name}: README.md's Tests paragraph names `{path}`, but `{fixed}` does not exist"
                ));
            }
        }
    }
    if let Some(must_not) = &must_not {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
        let deps = normal_dependencies(&manifest);
        for krate in backticked(must_not)
            .into_iter()
            .filter(|s| is_crate_name(s))
        {
            if deps.contains(krate) {
                out.push(format!(
                    "{name}: README.md says it must not know about `{krate}`, \
                     but Cargo.toml's [dependencies] list it"
                ));
            }
        }
    }
    out
}

#[test]
fn every_readme_names_its_tests_and_no_dependency_it_must_not_know() {
    let all: Vec<String> = crates()
        .iter()
        .flat_map(|(name, dir)| problems(name, dir))
        .collect();
    assert!(
        all.is_empty(),
        "{} README problem(s) (see tests/tests/it/tidy.rs for the rules):\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn the_tidy_rules_catch_what_they_should() {
    let readme = "# x\n\n**Must not know about:** `revm`, `nest-ir` and\n`ureq`.\n\
                  **Tests:** `tests/it/main.rs` and\n`tests/cases/<pass>/*.ir`.\n\nMore.\n";
    let tests = paragraph(readme, TESTS).unwrap();
    assert_eq!(
        test_paths(&tests),
        ["tests/it/main.rs", "tests/cases/<pass>/*.ir"]
    );
    assert_eq!(fixed_prefix("tests/cases/<pass>/*.ir"), "tests/cases");
    let must_not = paragraph(readme, MUST_NOT_KNOW).unwrap();
    let names: Vec<&str> = backticked(&must_not)
        .into_iter()
        .filter(|s| is_crate_name(s))
        .collect();
    assert_eq!(names, ["revm", "nest-ir", "ureq"]);
    assert!(paragraph(readme, "**Input:**").is_none());
    let deps = normal_dependencies(
        "[dependencies]\nrevm.workspace = true\nx = { package = \"ureq\", version = \"3\" }\n\
         [dev-dependencies]\nnest-ir = \"1\"\n\
         [target.'cfg(unix)'.dependencies]\nclap = \"4\"\n",
    );
    assert_eq!(
        deps.into_iter().collect::<Vec<_>>(),
        ["clap", "revm", "ureq", "x"]
    );
}
