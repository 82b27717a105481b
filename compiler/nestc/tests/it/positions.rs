//! Issue 14's "done when", on the command line: a leverage loop opened by one script is
//! unwound by another in one `nestc run` and one `nestc test`, with the Aave debt and health
//! factor shown changing; a scenario-seeded Aave debt is repaid by a script; position
//! expectations that do not hold say what differed.

use crate::common::{nestc, nestc_in, stderr, stdout, ROOT};
use std::path::{Path, PathBuf};

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nestc-positions-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn example(name: &str) -> String {
    Path::new(ROOT)
        .join("examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The `position changes` lines of a human report (several reports: in order).
fn position_lines(text: &str, what: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.trim_start().starts_with(what))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_loop_and_its_unwind_in_one_run_show_the_debt_and_health_factor_changing() {
    let o = nestc(&[
        "run",
        "examples/aave_leverage_loop.ns",
        "examples/aave_leverage_unwind.ns",
    ]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    let debt = position_lines(&text, "Aave V3 USDC debt");
    assert_eq!(debt.len(), 2, "{text}");
    // The loop opens the debt: no debt before, a health factor above 1.2 after.
    assert!(debt[0].starts_with("Aave V3 USDC debt +"), "{}", debt[0]);
    assert!(
        debt[0].contains("health factor none (no debt) → 1.3"),
        "{}",
        debt[0]
    );
    // The unwind repays all of it.
    assert!(debt[1].starts_with("Aave V3 USDC debt -"), "{}", debt[1]);
    assert!(debt[1].contains("(now 0.000000)"), "{}", debt[1]);
    assert!(debt[1].ends_with("→ none (no debt)"), "{}", debt[1]);
    let opened = debt[0]
        .split(' ')
        .nth(4)
        .expect("delta")
        .trim_start_matches('+');
    let repaid = debt[1]
        .split(' ')
        .nth(4)
        .expect("delta")
        .trim_start_matches('-');
    assert_eq!(opened, repaid, "the unwind repays what the loop borrowed");
}

const LOOP_AND_UNWIND: &str = r#"
[[test]]
name = "loop, then unwind"
[[test.step]]
script = "LOOP"
params = { initial = "10 WETH", loops = 3 }
positions = [
  { protocol = "aave", asset = "USDC", kind = "debt", delta = "49_000..50_000 USDC" },
  { protocol = "aave", asset = "WETH", kind = "supply", delta = "> 26 WETH" },
]
health_factor = { before = "none", after = "1.3..1.4" }
[[test.step]]
script = "UNWIND"
advance = "1d"
positions = [{ protocol = "aave", asset = "USDC", kind = "debt", after = "0" }]
health_factor = { before = "HF_BEFORE", after = "none" }
"#;

fn loop_file(d: &Path, hf_before: &str) -> PathBuf {
    let text = LOOP_AND_UNWIND
        .replace("LOOP", &example("aave_leverage_loop.ns"))
        .replace("UNWIND", &example("aave_leverage_unwind.ns"))
        .replace("HF_BEFORE", hf_before);
    let p = d.join("loop.test.toml");
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn a_loop_and_its_unwind_in_one_test_expect_the_debt_and_health_factor() {
    let d = temp_dir("loop");
    loop_file(&d, "1.3..1.4");
    let o = nestc_in(&d, &["test", "loop.test.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("1 passed, 0 failed"), "{}", stdout(&o));

    // A wrong bound fails and says what the health factor was.
    loop_file(&d, ">= 2");
    let o = nestc_in(&d, &["test", "loop.test.toml"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains("step 2 (") && text.contains("health factor before: expected >= 2, got 1.3"),
        "{text}"
    );
}

#[test]
fn a_scenario_seeded_aave_debt_is_repaid_in_run_and_in_test() {
    let d = temp_dir("seeded");
    std::fs::write(
        d.join("seeded.toml"),
        "[aave]\nsupply = { WETH = 10 }\nborrow = { USDC = 15_000 }\n",
    )
    .expect("write");
    let o = nestc_in(
        &d,
        &[
            "run",
            &example("aave_repay.ns"),
            "--scenario",
            "seeded.toml",
            "--param",
            "amount=5_000 USDC",
        ],
    );
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    let debt = position_lines(&text, "Aave V3 USDC debt");
    assert_eq!(
        debt,
        ["Aave V3 USDC debt -5,000.000000 (now 10,000.000000) health factor 1.66 → 2.49"],
        "{text}"
    );
    // The example's own test file seeds the same position and expects the same.
    let o = nestc(&["test", "examples/aave_repay.test.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("4 passed, 0 failed"), "{}", stdout(&o));
}

#[test]
fn a_position_expectation_that_fails_lists_what_changed() {
    let d = temp_dir("wrong");
    let text = format!(
        "[scenario.aave]\nsupply = {{ WETH = 10 }}\nborrow = {{ USDC = 15_000 }}\n\
         [[test]]\nname = \"wrong asset\"\n[[test.step]]\nscript = \"{}\"\n\
         positions = [{{ protocol = \"compound\", asset = \"USDC\", kind = \"debt\", delta = \"< 0\" }}]\n",
        example("aave_repay.ns")
    );
    std::fs::write(d.join("wrong.test.toml"), text).expect("write");
    let o = nestc_in(&d, &["test"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "position compound-v3 USDC debt: expected delta < 0 USDC, got 0 USDC (the step \
             changed no such position; it changed: aave-v3 USDC debt -5000)"
        ),
        "{out}"
    );
}

#[test]
fn a_bad_position_key_is_refused_with_the_file_and_the_choices() {
    let d = temp_dir("bad");
    let text = format!(
        "[[test]]\nname = \"bad\"\n[[test.step]]\nscript = \"{}\"\n\
         positions = [{{ protocol = \"aave\", asset = \"USDC\", kind = \"borrow\", delta = \"0\" }}]\n",
        example("aave_repay.ns")
    );
    std::fs::write(d.join("bad.test.toml"), text).expect("write");
    let o = nestc_in(&d, &["test"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("bad.test.toml")
            && err.contains("positions[0]: kind `borrow`: one of supply, debt, collateral"),
        "{err}"
    );
}
