//! Pass tests from IR text. Each `cases/<pass>/<case>.ir` is a module in the IR's
//! text form; the harness parses it, verifies it, runs the pass named by its
//! folder, verifies the result, and snapshots the printed module beside the case
//! (`cases/<pass>/<case>.snap`). A case named `reject_*` must be rejected by the
//! verifier, before or after the pass: its snapshot records the verifier's message.
//! Bless with `INSTA_UPDATE=always cargo test -p nest-passes --test it ir_cases::`.

use nest_ir::{parse, verify, Module};
use nest_passes::{pipeline, Pass};
use std::path::{Path, PathBuf};

/// Sorted entries of a folder that satisfy `keep`.
fn entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| keep(p))
        .collect();
    out.sort();
    out
}

/// What happened to a case: the printed module, or the verifier's complaint.
enum Outcome {
    Passed(Module),
    InputRejected(String),
    OutputRejected(String, Module),
}

/// Verifies the input, runs the pass and verifies its output, as `run_all` does.
/// `revoked_before` says whether revocations are already in (a pass after `insert_revokes`).
fn run_case(pass: &dyn Pass, mut m: Module, revoked_before: bool) -> Outcome {
    if let Err(e) = verify(&m, revoked_before) {
        return Outcome::InputRejected(e.message);
    }
    pass.run(&mut m);
    let revoked_after = revoked_before || pass.name() == "insert_revokes";
    match verify(&m, revoked_after) {
        Ok(()) => Outcome::Passed(m),
        Err(e) => Outcome::OutputRejected(e.message, m),
    }
}

#[test]
fn ir_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut count = 0;
    for dir in entries(&root, Path::is_dir) {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let passes = pipeline();
        let Some(at) = passes.iter().position(|p| p.name() == name) else {
            panic!("tests/cases/{name}: no pass named `{name}` in the pipeline");
        };
        let revoked_before = passes[..at].iter().any(|p| p.name() == "insert_revokes");
        for case in entries(&dir, |p| p.extension().is_some_and(|x| x == "ir")) {
            let stem = case
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let shown = format!("tests/cases/{name}/{stem}.ir");
            let text = std::fs::read_to_string(&case)
                .unwrap_or_else(|e| panic!("cannot read {shown}: {e}"));
            let m = parse(&text).unwrap_or_else(|e| panic!("{shown}:{e}"));
            let must_reject = stem.starts_with("reject_");
            let snapshot = match run_case(passes[at].as_ref(), m, revoked_before) {
                Outcome::Passed(m) if !must_reject => m.to_string(),
                Outcome::Passed(m) => panic!("{shown}: the verifier accepted the output of `{name}`, but the case is named `reject_*`:\n{m}"),
                Outcome::InputRejected(e) if must_reject => format!("the verifier rejects the input: {e}\n"),
                Outcome::OutputRejected(e, m) if must_reject => format!("the verifier rejects the output of `{name}`: {e}\n\n{m}"),
                Outcome::InputRejected(e) => panic!("{shown}: the verifier rejects the input: {e}"),
                Outcome::OutputRejected(e, m) => panic!("{shown}: the verifier rejects the output of `{name}`: {e}\n{m}"),
            };
            insta::with_settings!({
                snapshot_path => dir.clone(),
                prepend_module_to_snapshot => false,
                omit_expression => true,
                input_file => case.clone(),
            }, {
                insta::assert_snapshot!(stem.clone(), snapshot);
            });
            count += 1;
        }
    }
    assert!(count > 0, "no cases under tests/cases");
}
