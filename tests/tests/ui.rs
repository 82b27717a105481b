//! UI tests: every `tests/ui/*.ns` must fail to compile with the codes marked
//! `//~ CODE` on the lines where they are expected, and its rendered diagnostics
//! must match the snapshot (bless with `INSTA_UPDATE=always cargo test` or
//! `cargo insta review`).

use nest_tests::{compile_file, files};

#[test]
fn ui() {
    let cases = files("tests/ui", "ns");
    assert!(cases.len() >= 15, "expected the UI cases, found {}", cases.len());
    for case in cases {
        let text = std::fs::read_to_string(nest_tests::root().join(&case)).unwrap();
        let expected: Vec<(usize, String)> = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| l.split_once("//~ ").map(|(_, c)| (i + 1, c.trim().to_string())))
            .collect();
        assert!(!expected.is_empty(), "{case}: no `//~ CODE` marker");
        let failed = match compile_file(&case, &[]) {
            Ok(_) => panic!("{case}: compiled, but it must fail with {expected:?}"),
            Err(f) => f,
        };
        for (line, code) in &expected {
            let found = failed.diagnostics.iter().any(|d| {
                d.code == code
                    && d.primary_span().is_some_and(|s| {
                        let f = failed.sources.get(s.file);
                        f.name == case && f.line_col(s.start as usize).0 == *line
                    })
            });
            assert!(
                found,
                "{case}: expected {code} at line {line}, got:\n{}",
                nest_diagnostics::render_plain(&failed.diagnostics, &failed.sources)
            );
        }
        let rendered = nest_diagnostics::render_plain(&failed.diagnostics, &failed.sources);
        let name = case.trim_start_matches("tests/ui/").trim_end_matches(".ns").to_string();
        insta::with_settings!({ snapshot_path => "../ui/snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}
