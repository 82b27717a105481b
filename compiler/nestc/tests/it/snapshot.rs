//! `nestc snapshot`: the committed snapshot of `examples/` is current, `--check` fails with a
//! diff, `--diff` does not, and failing scripts are listed with their status.

use std::path::{Path, PathBuf};

use crate::common::{nestc, nestc_in, stderr, stdout, ROOT};

/// A fresh, empty directory for one test.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nestc-snapshot-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("snapshot file")
}

/// The line of `path` in a snapshot file.
fn line_of<'a>(snapshot: &'a str, path: &str) -> Option<&'a str> {
    snapshot.lines().find(|l| l.split(' ').next() == Some(path))
}

#[test]
fn committed_examples_snapshot_is_current() {
    let o = nestc(&["snapshot", "--check", "examples/"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "examples/.nest-snapshot is stale; if the change is intended, bless it with \
         `cargo run -p nestc -- snapshot examples/` and commit the file.\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("is up to date (20 scripts)"),
        "{}",
        stdout(&o)
    );
    // Every example is in it, one line each, sorted, with relative `/` paths.
    let text = read(&Path::new(ROOT).join("examples/.nest-snapshot"));
    let paths: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.contains(&"swap.ns"), "{text}");
    let swap = line_of(&text, "swap.ns").unwrap_or_default();
    let fields: Vec<&str> = swap.split(' ').collect();
    assert_eq!(fields[1], "ok", "{swap}");
    for (field, key) in
        fields[2..]
            .iter()
            .zip(["fingerprint=0x", "code_size=", "exec_gas=", "calldata_gas="])
    {
        assert!(field.starts_with(key), "{swap}");
    }
}

#[test]
fn snapshot_is_deterministic_and_independent_of_the_working_directory() {
    let dir = temp_dir("determinism");
    std::fs::create_dir_all(dir.join("sub dir")).expect("sub dir");
    std::fs::copy(
        Path::new(ROOT).join("examples/swap.ns"),
        dir.join("sub dir/swap.ns"),
    )
    .expect("copy");
    std::fs::copy(
        Path::new(ROOT).join("examples/lido_stake.ns"),
        dir.join("lido.ns"),
    )
    .expect("copy");
    let dir_arg = dir.to_string_lossy().into_owned();
    let a = nestc(&["snapshot", &dir_arg]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let first = read(&dir.join(".nest-snapshot"));
    assert!(line_of(&first, "sub%20dir/swap.ns").is_some(), "{first}");
    assert!(line_of(&first, "lido.ns").is_some(), "{first}");
    // The same sources give the same file, from anywhere, under any name.
    let b = nestc_in(&dir, &["snapshot", "-o", "other-snapshot"]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert_eq!(read(&dir.join("other-snapshot")), first);
    let c = nestc_in(&dir, &["snapshot", "--check", "."]);
    assert_eq!(c.status.code(), Some(0), "{}", stdout(&c));
    // Paths are relative to the snapshot file's directory.
    let d = nestc_in(
        &dir.join("sub dir"),
        &[
            "snapshot",
            "swap.ns",
            "../lido.ns",
            "--snapshot",
            "../third",
        ],
    );
    assert_eq!(d.status.code(), Some(0), "{}", stderr(&d));
    assert_eq!(read(&dir.join("third")), first);
}

#[test]
fn check_fails_with_a_diff_and_diff_does_not() {
    let dir = temp_dir("check");
    let swap = std::fs::read_to_string(Path::new(ROOT).join("examples/swap.ns")).expect("swap");
    std::fs::write(dir.join("swap.ns"), &swap).expect("write");
    std::fs::write(dir.join("seven.ns"), "return 7\n").expect("write");
    let dir_arg = dir.to_string_lossy().into_owned();
    let o = nestc(&["snapshot", &dir_arg]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let blessed = read(&dir.join(".nest-snapshot"));

    // One more check in the script: more gas, more code, another fingerprint.
    let changed = swap.replace(
        "return out",
        "require(out > min_out / 2, \"far too little\")\nreturn out",
    );
    assert_ne!(changed, swap, "the example still ends with `return out`");
    std::fs::write(dir.join("swap.ns"), &changed).expect("write");
    std::fs::remove_file(dir.join("seven.ns")).expect("remove");
    std::fs::write(dir.join("eight.ns"), "return 8\n").expect("write");

    let check = nestc(&["snapshot", "--check", &dir_arg]);
    let out = stdout(&check);
    assert_eq!(check.status.code(), Some(1), "{out}{}", stderr(&check));
    assert!(out.contains("changed  swap.ns"), "{out}");
    assert!(out.contains("added    eight.ns ok fingerprint=0x"), "{out}");
    assert!(out.contains("removed  seven.ns ok fingerprint=0x"), "{out}");
    assert!(out.contains("1 changed, 1 added, 1 removed"), "{out}");
    assert!(out.contains("help: if the change is intended"), "{out}");
    let old = line_of(&blessed, "swap.ns").unwrap_or_default();
    let old_gas: i128 = field(old, "exec_gas");
    let gas_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("exec_gas"))
        .unwrap_or_default();
    assert!(gas_line.contains(&format!("{old_gas} → ")), "{out}");
    assert!(gas_line.contains("(+"), "more checks cost more gas: {out}");
    assert!(out.contains("code_size"), "{out}");
    assert!(out.contains("fingerprint"), "{out}");
    assert_eq!(
        read(&dir.join(".nest-snapshot")),
        blessed,
        "--check must not write"
    );

    let diff = nestc(&["snapshot", "--diff", &dir_arg]);
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    assert_eq!(stdout(&diff).lines().next(), out.lines().next());
    assert!(stdout(&diff).contains("changed  swap.ns"));
    assert_eq!(
        read(&dir.join(".nest-snapshot")),
        blessed,
        "--diff must not write"
    );

    // Blessing makes the check pass again.
    let bless = nestc(&["snapshot", &dir_arg]);
    assert_eq!(bless.status.code(), Some(0), "{}", stderr(&bless));
    assert!(stdout(&bless).contains("1 changed, 1 added, 1 removed"));
    let again = nestc(&["snapshot", "--check", &dir_arg]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

fn field(line: &str, key: &str) -> i128 {
    line.split(' ')
        .find_map(|f| f.strip_prefix(&format!("{key}=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1)
}

#[test]
fn failing_scripts_are_listed_with_their_status_and_fail() {
    let dir = temp_dir("failing");
    std::fs::write(dir.join("good.ns"), "return 7\n").expect("write");
    std::fs::write(dir.join("broken.ns"), "let x: u256 = 1\nreturn x\n").expect("write");
    std::fs::write(
        dir.join("reverts.ns"),
        "require(block.number == 0, \"never\")\nreturn 1\n",
    )
    .expect("write");
    let dir_arg = dir.to_string_lossy().into_owned();
    let o = nestc(&["snapshot", &dir_arg]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E0301"), "the diagnostic is shown: {err}");
    assert!(err.contains("the dry run reverted: never"), "{err}");
    assert!(err.contains("broken.ns (compile-error)"), "{err}");
    let text = read(&dir.join(".nest-snapshot"));
    assert_eq!(
        line_of(&text, "broken.ns"),
        Some("broken.ns compile-error errors=E0301"),
        "{text}"
    );
    let reverts = line_of(&text, "reverts.ns").unwrap_or_default();
    assert!(
        reverts.starts_with("reverts.ns reverted fingerprint=0x") && reverts.contains("exec_gas="),
        "{text}"
    );
    assert!(
        line_of(&text, "good.ns").is_some_and(|l| l.starts_with("good.ns ok ")),
        "{text}"
    );
    // Unchanged but still failing: the check reports no difference and still fails.
    let check = nestc(&["snapshot", "--check", &dir_arg]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("is up to date (3 scripts)"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn usage_errors_exit_2() {
    let o = nestc(&["snapshot", "no/such/dir"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = nestc(&["snapshot", "--check", "--diff", "examples/"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let dir = temp_dir("garbage");
    std::fs::write(dir.join("a.ns"), "return 7\n").expect("write");
    std::fs::write(dir.join(".nest-snapshot"), "a.ns ok fingerprint\n").expect("write");
    let o = nestc(&["snapshot", "--check", &dir.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is not a snapshot"), "{}", stderr(&o));
}
