//! The command line as a user meets it: exit codes, output formats, and no panics.

use crate::common::{nestc, stderr, stdout};
use std::process::{Command, Output};

#[test]
fn compile_prints_hex_and_is_deterministic() {
    let a = nestc(&["compile", "examples/swap.ns"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let hex = stdout(&a);
    assert!(hex.starts_with("0x") && hex.trim().len() > 100, "{hex}");
    let b = nestc(&["compile", "./examples/../examples/swap.ns"]);
    assert_eq!(
        stdout(&b),
        hex,
        "the path's spelling must not change the bytes"
    );
}

#[test]
fn param_override_changes_bytes() {
    let a = stdout(&nestc(&["compile", "examples/swap.ns"]));
    let b = nestc(&["compile", "examples/swap.ns", "--param", "amount=2500 USDC"]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert_ne!(stdout(&b), a);
    let bare = nestc(&["compile", "examples/swap.ns", "--param", "amount=2500"]);
    assert_eq!(bare.status.code(), Some(1));
    assert!(stderr(&bare).contains("E0310"), "{}", stderr(&bare));
}

#[test]
fn run_bytecode_json_reports_success_and_return_data() {
    let o = nestc(&[
        "run",
        "--bytecode",
        "0x600360040160005260206000f3",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json report");
    assert_eq!(v["success"], true);
    assert_eq!(v["return_data"], format!("0x{:064x}", 7));
}

#[test]
fn run_swap_human_report() {
    let o = nestc(&["run", "examples/swap.ns"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("-1,000.000000"), "{out}");
    assert!(out.contains("no permission left behind"), "{out}");
}

#[test]
fn run_json_has_the_documented_fields() {
    let o = nestc(&["run", "examples/swap.ns", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for field in [
        "success",
        "gas",
        "calls",
        "asset_changes",
        "position_changes",
        "allowances_left",
        "return",
        "return_data",
        "events",
    ] {
        assert!(v.get(field).is_some(), "missing `{field}`");
    }
    for g in ["total", "execution", "calldata", "hyvm_overhead"] {
        assert!(v["gas"][g].is_u64(), "gas.{g}");
    }
    assert_eq!(v["allowances_left"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["position_changes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn malformed_script_gets_a_coded_diagnostic() {
    let dir = std::env::temp_dir().join("nestc-cli-test");
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.ns");
    std::fs::write(
        &f,
        "use std::ethereum::{USDC}\nlet x = (1 + \nreturn balance(USDC\n",
    )
    .unwrap();
    let o = nestc(&["compile", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("[E01"), "{err}");
    assert!(
        err.contains("let x = (1 +"),
        "the source line is shown: {err}"
    );
    assert!(!err.contains("panicked"));
    let j = nestc(&["check", f.to_str().unwrap(), "--json"]);
    assert_eq!(j.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    assert!(v["diagnostics"][0]["code"]
        .as_str()
        .unwrap()
        .starts_with("E01"));
    assert!(v["diagnostics"][0]["line"].is_u64());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        nestc(&["compile", "does/not/exist.ns"]).status.code(),
        Some(2)
    );
    assert_eq!(nestc(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(nestc(&["run", "--bytecode", "0xzz"]).status.code(), Some(2));
}

#[test]
fn verify_and_inspect_round_trip_and_catch_tampering() {
    let hex = stdout(&nestc(&["compile", "examples/swap.ns"]))
        .trim()
        .to_string();
    let ok = nestc(&["verify", &hex, "--source", "examples/swap.ns"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let other = nestc(&[
        "verify",
        &hex,
        "--source",
        "examples/swap.ns",
        "--param",
        "amount=2 USDC",
    ]);
    assert_eq!(other.status.code(), Some(1));
    // Flip one byte of the code.
    let mut bytes: Vec<char> = hex.chars().collect();
    bytes[10] = if bytes[10] == '0' { '1' } else { '0' };
    let tampered: String = bytes.into_iter().collect();
    let bad = nestc(&["verify", &tampered, "--source", "examples/swap.ns"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("differ"), "{}", stderr(&bad));
    let inspect = nestc(&["inspect", &hex, "--json"]);
    assert_eq!(inspect.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&inspect)).unwrap();
    let art = nestc(&["compile", "examples/swap.ns", "--emit", "artifact"]);
    let a: serde_json::Value = serde_json::from_str(&stdout(&art)).unwrap();
    assert_eq!(v["fingerprint"], a["fingerprint"]);
}

#[test]
fn emits_every_kind() {
    for kind in ["bytecode", "asm", "ir", "ast", "artifact"] {
        let o = nestc(&["compile", "examples/swap.ns", "--emit", kind]);
        assert_eq!(o.status.code(), Some(0), "{kind}: {}", stderr(&o));
        assert!(!stdout(&o).is_empty(), "{kind}");
    }
    let art: serde_json::Value = serde_json::from_str(&stdout(&nestc(&[
        "compile",
        "examples/swap.ns",
        "--emit",
        "artifact",
    ])))
    .unwrap();
    for field in [
        "bytecode",
        "code_size",
        "fingerprint",
        "compiler",
        "source_hash",
        "params",
        "grants",
        "calls",
        "max_value",
        "return_types",
        "source_map",
    ] {
        assert!(art.get(field).is_some(), "artifact lacks `{field}`");
    }
    assert_eq!(art["grants"][0]["kind"], "erc20-allowance");
}

#[test]
fn explain_knows_codes() {
    let o = nestc(&["explain", "E0101"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("E0101"));
    assert_eq!(nestc(&["explain", "E9999"]).status.code(), Some(1));
}

#[test]
fn same_sources_in_two_folders_give_the_same_bytes() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/route_via_weth.ns"
    ))
    .unwrap();
    let base = std::env::temp_dir().join(format!("nestc-two-folders-{}", std::process::id()));
    let mut outputs = Vec::new();
    for dir in ["a/deeper/folder", "b"] {
        let d = base.join(dir);
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("strategy.ns");
        std::fs::write(&f, &src).unwrap();
        let o = nestc(&["compile", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        outputs.push(stdout(&o));
    }
    let _ = std::fs::remove_dir_all(&base);
    assert_eq!(
        outputs[0], outputs[1],
        "the folder must not change the bytes"
    );
}

/// A scratch folder of this test binary's own, emptied first.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("nestc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn output_onto_the_script_itself_is_refused() {
    let dir = scratch("overwrite");
    let script = dir.join("s.ns");
    std::fs::copy("../../examples/swap.ns", &script)
        .or_else(|_| std::fs::copy("examples/swap.ns", &script))
        .expect("copy");
    let before = std::fs::read_to_string(&script).unwrap();
    let path = script.to_string_lossy().into_owned();
    let o = nestc(&["compile", &path, "-o", &path]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is the same file as the input"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&script).unwrap(), before);
}

#[test]
fn a_parameter_given_twice_is_refused() {
    let o = nestc(&[
        "compile",
        "examples/swap.ns",
        "--param",
        "amount=1 USDC",
        "--param",
        "amount=2 USDC",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("given twice"), "{}", stderr(&o));
}

#[test]
fn check_json_is_one_document_even_with_warnings() {
    let dir = scratch("warn");
    let script = dir.join("w.ns");
    std::fs::write(&script, "require(false, \"nope\")\n").unwrap();
    let o = nestc(&["check", &script.to_string_lossy(), "--json"]);
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    assert!(!v["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn hex_payload_files_without_0x_are_read_as_hex() {
    let hex = stdout(&nestc(&["compile", "examples/swap.ns"]))
        .trim()
        .to_string();
    let dir = scratch("hex");
    let file = dir.join("p.hex");
    // No `0x`, wrapped over lines of 64 digits.
    let digits = &hex[2..];
    let wrapped: Vec<&str> = digits
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    std::fs::write(&file, wrapped.join("\n")).unwrap();
    let o = nestc(&["inspect", &file.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bad = nestc(&["inspect", "0x00"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        !stderr(&bad).contains('{'),
        "no debug formatting: {}",
        stderr(&bad)
    );
}

#[test]
fn a_payload_writing_the_vaults_storage_fails_the_run() {
    // PUSH2 0xdead PUSH1 0 SSTORE: runs in the vault's context and rewrites its slot 0.
    let o = nestc(&["run", "--bytecode", "0x61dead600055"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("vault's own storage"), "{}", stdout(&o));
}

/// Runs `nestc` with `args`, killed if it has not finished within `secs`: the output,
/// or `None` when it had to be killed.
fn nestc_within(args: &[&str], secs: u64) -> Option<Output> {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = Command::new(env!("CARGO_BIN_EXE_nestc"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nestc runs");
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().expect("wait").is_some() {
            return Some(child.wait_with_output().expect("output"));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A script importing `./evil.ns`, and the path of `evil.ns` (not created).
fn importer(dir: &std::path::Path) -> (String, std::path::PathBuf) {
    let main = dir.join("main.ns");
    std::fs::write(
        &main,
        "use \"./evil.ns\"::{X}\ninterface I = abi(\"./evil.json\")\nreturn X\n",
    )
    .expect("write");
    (main.to_string_lossy().into_owned(), dir.join("evil.ns"))
}

#[cfg(unix)]
#[test]
fn an_import_of_a_symlink_to_dev_zero_is_refused_promptly() {
    let dir = scratch("dev-zero");
    let (main, evil) = importer(&dir);
    std::os::unix::fs::symlink("/dev/zero", &evil).expect("symlink");
    std::os::unix::fs::symlink("/dev/zero", dir.join("evil.json")).expect("symlink");
    let o = nestc_within(&["compile", &main], 30).expect("nestc returns promptly");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E0602"), "{err}");
    assert!(
        err.contains("a character device, not a regular file"),
        "{err}"
    );
    assert!(
        err.contains("evil.ns") && err.contains("evil.json"),
        "{err}"
    );
    // The script named on the command line is read the same way.
    let o = nestc_within(&["compile", &evil.to_string_lossy()], 30).expect("promptly");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let o = nestc_within(&["fmt", &evil.to_string_lossy()], 30).expect("promptly");
    assert_eq!(o.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn an_import_of_a_fifo_is_refused_promptly() {
    let dir = scratch("fifo");
    let (main, evil) = importer(&dir);
    let made = Command::new("mkfifo").arg(&evil).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    std::fs::write(dir.join("evil.json"), "[]").expect("write");
    let o = nestc_within(&["check", &main], 30).expect("nestc returns promptly");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("E0602"), "{err}");
    assert!(
        err.contains("a named pipe (FIFO), not a regular file"),
        "{err}"
    );
    let o = nestc_within(&["compile", &evil.to_string_lossy()], 30).expect("promptly");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("FIFO"), "{}", stderr(&o));
}

#[test]
fn a_directory_or_an_oversized_import_is_refused() {
    let dir = scratch("big-import");
    let (main, evil) = importer(&dir);
    std::fs::create_dir(dir.join("evil.json")).expect("dir");
    let mut big = b"const X = 1\n".to_vec();
    big.resize(4 * 1024 * 1024 + 1, b'\n');
    std::fs::write(&evil, big).expect("write");
    let o = nestc_within(&["check", &main], 60).expect("nestc returns promptly");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("larger than the 4 MiB"), "{err}");
    assert!(
        err.contains("a directory") || err.contains("directory"),
        "{err}"
    );
}

#[test]
fn twenty_nested_array_loops_are_refused_not_unrolled() {
    let dir = scratch("unroll-bomb");
    let mut s = String::from("let mut x = 0\n");
    for i in 0..20 {
        s += &format!("for a{i} in [1, 2] {{\n");
    }
    s += "x = x + a0\n";
    s += &"}\n".repeat(20);
    s += "return x\n";
    let file = dir.join("bomb.ns");
    std::fs::write(&file, s).expect("write");
    // A generous deadline: what is checked is the diagnostic (before the budget, this
    // took 1.4 GB of memory and printed 23 MB of hex; 26 levels aborted).
    let o = nestc_within(&["compile", &file.to_string_lossy()], 120).expect("returns");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.contains("E0506"), "{err}");
    assert!(
        err.contains("bomb.ns:2:1"),
        "points at the outermost loop: {err}"
    );
}

#[test]
fn a_lone_cr_script_is_refused_and_fmt_normalises_it() {
    let dir = scratch("lone-cr");
    let file = dir.join("cr.ns");
    std::fs::write(&file, "let mut x = 1 // note\rx = 2\rreturn x\r").expect("write");
    let path = file.to_string_lossy().into_owned();
    let o = nestc(&["compile", &path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0114"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`nestc fmt` normalises them"),
        "{}",
        stderr(&o)
    );
    let o = nestc(&["fmt", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "let mut x = 1 // note\nx = 2\nreturn x\n"
    );
    let o = nestc(&["compile", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn output_onto_a_hard_link_of_the_script_or_a_dangling_symlink_is_refused() {
    let dir = scratch("links");
    let script = dir.join("s.ns");
    std::fs::copy("../../examples/swap.ns", &script)
        .or_else(|_| std::fs::copy("examples/swap.ns", &script))
        .expect("copy");
    let before = std::fs::read_to_string(&script).unwrap();
    let link = dir.join("hard.ns");
    std::fs::hard_link(&script, &link).expect("hard link");
    let path = script.to_string_lossy().into_owned();
    let o = nestc(&["compile", &path, "-o", &link.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("same file as the input"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&script).unwrap(), before);

    let dangling = dir.join("out.bin");
    let target = dir.join("missing").join("created.bin");
    std::os::unix::fs::symlink(&target, &dangling).expect("symlink");
    let o = nestc(&["compile", &path, "-o", &dangling.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("symlink"), "{}", stderr(&o));
    assert!(!target.exists() && !dir.join("missing").exists());

    // An ordinary output path still works.
    let out = dir.join("ok.hex");
    let o = nestc(&["compile", &path, "-o", &out.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("0x"));
}

#[test]
fn a_fork_url_with_an_invalid_port_is_an_error_that_hides_the_path() {
    let o = nestc(&[
        "run",
        "--bytecode",
        "0x00",
        "--fork-url",
        "http://127.0.0.1:84082/v2/SECRET-KEY",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("84082") && err.contains("not a port"), "{err}");
    assert!(!err.contains("SECRET-KEY"), "{err}");
}

#[test]
fn fork_bounds_are_flags_with_checked_values() {
    for bad in [
        ["--fork-timeout", "0s"],
        ["--fork-timeout", "soon"],
        ["--fork-max-requests", "0"],
    ] {
        let o = nestc(&[
            "run",
            "--bytecode",
            "0x00",
            "--fork-url",
            "http://127.0.0.1:9",
            bad[0],
            bad[1],
        ]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
}

#[test]
fn a_nodes_escape_sequences_never_reach_the_terminal() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("port").port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\
                \"\\u001b[2K\\r\\u001b[32m\\u2713 success\\u001b[0m\\u001b]52;c;cHduZWQ=\\u0007\"}}";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let url = format!("http://127.0.0.1:{port}/");
    let o = nestc(&["run", "--bytecode", "0x00", "--fork-url", &url]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}[32m✓ success"), "{err}");
}

#[test]
fn an_inexact_float_in_a_scenario_is_refused_with_a_hint() {
    let dir = scratch("float");
    let scenario = dir.join("s.toml");
    std::fs::write(
        &scenario,
        "[vault.tokens]\nWETH = 12345678901234567.123456789123\n",
    )
    .expect("write");
    let o = nestc(&[
        "run",
        "--bytecode",
        "0x00",
        "--scenario",
        &scenario.to_string_lossy(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("quote the amount"), "{}", stderr(&o));
}

#[test]
fn fmt_formats_every_script_below_a_folder() {
    let dir = scratch("fmt-folder");
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    };
    write("b.ns", "let b=1\n");
    write("a/nested/deep.ns", "let d=1\n");
    write("a/clean.ns", "let c = 1\n");
    write("a/broken.ns", "let x = (1\n");
    write("a/notes.txt", "let t=1\n");
    for skipped in [".hidden/h.ns", "target/t.ns", "node_modules/n.ns"] {
        write(skipped, "let s=1\n");
    }
    let root = dir.to_string_lossy().into_owned();
    let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).expect("read");

    // --check lists the files that would change, sorted, and writes nothing; the file
    // with a syntax error is reported with its diagnostic and the others still checked.
    let o = nestc(&["fmt", "--check", &root]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let listed: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    let expected: Vec<String> = ["a/nested/deep.ns", "b.ns"]
        .iter()
        .map(|rel| dir.join(rel).display().to_string())
        .collect();
    assert_eq!(listed, expected);
    assert!(stderr(&o).contains("E0102"), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken.ns"), "{}", stderr(&o));
    assert_eq!(read("b.ns"), "let b=1\n", "--check writes nothing");

    // Without --check the same files are written; the exit status still says that one
    // file could not be formatted.
    let o = nestc(&["fmt", &root]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(read("b.ns"), "let b = 1\n");
    assert_eq!(read("a/nested/deep.ns"), "let d = 1\n");
    assert_eq!(read("a/broken.ns"), "let x = (1\n");
    assert_eq!(read("a/notes.txt"), "let t=1\n");
    for skipped in [".hidden/h.ns", "target/t.ns", "node_modules/n.ns"] {
        assert_eq!(read(skipped), "let s=1\n", "{skipped} is not searched");
    }
    std::fs::remove_file(dir.join("a/broken.ns")).expect("remove");
    let nested = dir.join("a").to_string_lossy().into_owned();
    let o = nestc(&["fmt", "--check", &nested, &root]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn fmt_refuses_a_path_that_does_not_exist_before_formatting_anything() {
    let dir = scratch("fmt-missing");
    let script = dir.join("s.ns");
    std::fs::write(&script, "let x=1\n").expect("write");
    let missing = dir.join("missing");
    let o = nestc(&["fmt", &script.to_string_lossy(), &missing.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("`{}` does not exist", missing.display())),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&script).expect("read"),
        "let x=1\n",
        "nothing is formatted"
    );
}
