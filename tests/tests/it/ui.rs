//! UI tests: each case must report exactly the diagnostics its markers announce, and
//! its rendered diagnostics must match the snapshot in `tests/ui/snapshots/` (bless
//! with `INSTA_UPDATE=always cargo test -p nest-tests --test it ui::`, or `cargo insta review`).
//!
//! A case is a file `tests/ui/NAME.ns`, or a folder `tests/ui/NAME/` whose `main.ns`
//! is compiled and whose other `.ns` files it imports. In any file of a case:
//!
//! - `//~ CODE` expects a diagnostic `CODE` whose primary label starts on that line
//!   (`//~ CODE1 CODE2` expects two, which may be the same code twice);
//! - `//~? CODE` expects a diagnostic `CODE` with no primary label in the case's
//!   files (no label at all, or one in a `--param` value or a standard module);
//! - `//@ param NAME=VALUE` (in the compiled file) passes `--param NAME=VALUE`.
//!
//! Every diagnostic reported must be expected, and every expectation met. A case
//! whose markers are all warnings (`W…`) must compile; any other must fail.
//! `tests/ui/pending/` holds reproducers of known compiler bugs and is skipped.

use nest_diagnostics::{Diagnostic, SourceMap};
use nest_tests::{compile_file, files, root};

/// One UI case: the file compiled, every file of the case, and the snapshot name.
struct Case {
    name: String,
    main: String,
    files: Vec<String>,
}

/// What a marker expects: a code, and the file and line of its primary label
/// (`None` for `//~?`).
#[derive(Debug, Clone, PartialEq)]
struct Expected {
    code: String,
    at: Option<(String, usize)>,
}

/// Every case under `tests/ui`, sorted by name; `snapshots/` and `pending/` are skipped.
fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = files("tests/ui", "ns")
        .into_iter()
        .map(|f| Case {
            name: stem(&f),
            main: f.clone(),
            files: vec![f],
        })
        .collect();
    let dirs = std::fs::read_dir(root().join("tests/ui")).expect("tests/ui is listable");
    for entry in dirs.flatten() {
        let dir_name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_dir() || dir_name == "snapshots" || dir_name == "pending" {
            continue;
        }
        let dir = format!("tests/ui/{dir_name}");
        let main = format!("{dir}/main.ns");
        assert!(
            root().join(&main).is_file(),
            "{dir}: a multi-file case needs a `main.ns`"
        );
        out.push(Case {
            name: dir_name,
            main,
            files: files(&dir, "ns"),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn stem(path: &str) -> String {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".ns")
        .to_string()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// The markers of one file.
fn markers(file: &str, text: &str) -> Vec<Expected> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (codes, at) = if let Some((_, rest)) = line.split_once("//~? ") {
            (rest, None)
        } else if let Some((_, rest)) = line.split_once("//~ ") {
            (rest, Some((file.to_string(), i + 1)))
        } else {
            continue;
        };
        out.extend(codes.split_whitespace().map(|code| Expected {
            code: code.to_string(),
            at: at.clone(),
        }));
    }
    out
}

/// The `//@ param NAME=VALUE` headers of the compiled file.
fn params(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("//@ param "))
        .filter_map(|p| {
            p.split_once('=')
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

/// Where a diagnostic's primary label is, if it is in one of the case's files.
fn located(d: &Diagnostic, sources: &SourceMap, case: &Case) -> Expected {
    let at = d.primary_span().and_then(|s| {
        let f = sources.get(s.file);
        case.files
            .contains(&f.name)
            .then(|| (f.name.clone(), f.line_col(s.start as usize).0))
    });
    Expected {
        code: d.code.to_string(),
        at,
    }
}

/// Compiles one case and returns its rendered diagnostics, or what is wrong with it.
fn run(case: &Case) -> Result<String, String> {
    let expected: Vec<Expected> = case
        .files
        .iter()
        .flat_map(|f| markers(f, &read(f)))
        .collect();
    if expected.is_empty() {
        return Err(format!("{}: no `//~ CODE` marker", case.name));
    }
    let must_fail = expected.iter().any(|e| !e.code.starts_with('W'));
    let (diagnostics, sources) = match compile_file(&case.main, &params(&read(&case.main))) {
        Ok(_) if must_fail => {
            return Err(format!(
                "{}: compiled, but it must fail with {expected:?}",
                case.name
            ))
        }
        Ok(c) => (c.warnings, c.sources),
        Err(f) if !must_fail => {
            return Err(format!(
                "{}: must compile with warnings only, got:\n{f}",
                case.name
            ));
        }
        Err(f) => (f.diagnostics, f.sources),
    };
    let rendered = nest_diagnostics::render_plain(&diagnostics, &sources);
    let mut unmet = expected.clone();
    let mut unexpected = Vec::new();
    for d in &diagnostics {
        let found = located(d, &sources, case);
        match unmet.iter().position(|e| *e == found) {
            Some(i) => {
                unmet.remove(i);
            }
            None => unexpected.push(found),
        }
    }
    if unmet.is_empty() && unexpected.is_empty() {
        Ok(rendered)
    } else {
        Err(format!("{}: expected but not reported {unmet:?}; reported but not expected {unexpected:?}; got:\n{rendered}", case.name))
    }
}

#[test]
fn ui() {
    let cases = cases();
    assert!(
        cases.len() >= 60,
        "expected the UI cases, found {}",
        cases.len()
    );
    let mut snapshots = Vec::new();
    let mut wrong = Vec::new();
    for case in &cases {
        match run(case) {
            Ok(rendered) => snapshots.push((case.name.clone(), rendered)),
            Err(why) => wrong.push(why),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} UI cases are wrong:\n\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n\n")
    );
    for (name, rendered) in snapshots {
        insta::with_settings!({ snapshot_path => "../../ui/snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

/// Every code the compiler can report has a case named after it, except internal
/// errors (`E0599`) and codes that are no longer reported.
#[test]
fn every_code_has_a_case() {
    let names: Vec<String> = cases().into_iter().map(|c| c.name).collect();
    let missing: Vec<&str> = nest_diagnostics::codes::all()
        .filter(|c| c.code != "E0599" && !c.title.contains("no longer reported"))
        .map(|c| c.code)
        .filter(|code| !names.iter().any(|n| n.starts_with(code)))
        .collect();
    assert!(missing.is_empty(), "codes without a UI case: {missing:?}");
}
