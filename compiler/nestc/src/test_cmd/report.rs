//! What `nestc test` prints: one line per test for people, JSON, and JUnit XML.

use super::*;

fn values_text(v: &[(String, String)]) -> String {
    v.iter()
        .map(|(n, x)| format!("{n} = {x}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a fuzz failure tells: the run, its values, the shrunk values and how to replay.
fn fuzz_lines(r: &Outcomes, test: Option<&Test>) -> Vec<String> {
    let Some(f) = &r.fuzz else { return vec![] };
    let Some((run, first, shrunk)) = &f.failed else {
        return vec![];
    };
    let mut lines = vec![
        format!("fuzz run {run} failed with {}", values_text(first)),
        format!("shrunk to {}", values_text(shrunk)),
        format!(
            "replay: nestc test {} --seed {} (or set {} in the step's params)",
            r.file,
            f.seed,
            values_text(shrunk)
        ),
    ];
    if let Some(t) = test.filter(|t| t.steps.len() == 1) {
        let s = &t.steps[0];
        let mut cmd = format!("nestc run {}", s.script.to_string_lossy());
        for (n, v) in &s.params {
            let v = shrunk
                .iter()
                .find(|(sn, _)| sn == n)
                .map_or(v.as_str(), |(_, x)| x.as_str());
            let _ = write!(cmd, " --param '{n}={v}'");
        }
        lines.push(format!("or: {cmd}"));
    }
    lines
}

pub(super) fn print_human(r: &Outcomes, test: &Test) {
    let ok = r.failures.is_empty();
    let mut head = format!("{} {} › {}", if ok { "✓" } else { "✗" }, r.file, r.name);
    let steps = test.steps.len();
    let _ = write!(head, " ({steps} step{}", if steps == 1 { "" } else { "s" });
    if let Some(f) = &r.fuzz {
        let _ = write!(
            head,
            ", {} fuzz run{}, seed {}",
            f.runs,
            if f.runs == 1 { "" } else { "s" },
            f.seed
        );
    }
    let _ = write!(head, ", {:.0} ms)", r.seconds * 1000.0);
    println!("{}", output::inert(&head));
    for line in fuzz_lines(r, Some(test)).iter().chain(&r.failures) {
        println!("    {}", output::inert(line));
    }
}

pub(super) fn json(results: &[Outcomes], file_errors: &[(String, String)], seconds: f64) -> String {
    let tests: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let mut v = serde_json::json!({
                "file": r.file,
                "name": r.name,
                "status": if r.failures.is_empty() { "pass" } else { "fail" },
                "failures": r.failures,
                "seconds": r.seconds,
            });
            if let Some(f) = &r.fuzz {
                let obj = |vals: &[(String, String)]| {
                    serde_json::Value::Object(
                        vals.iter()
                            .map(|(n, x)| (n.clone(), serde_json::Value::String(x.clone())))
                            .collect(),
                    )
                };
                let mut fz = serde_json::json!({ "runs": f.runs, "seed": f.seed });
                if let Some((run, first, shrunk)) = &f.failed {
                    fz["failed_run"] = serde_json::json!(run);
                    fz["failing"] = obj(first);
                    fz["shrunk"] = obj(shrunk);
                }
                v["fuzz"] = fz;
            }
            v
        })
        .collect();
    let passed = results.iter().filter(|r| r.failures.is_empty()).count();
    let errors: Vec<serde_json::Value> = file_errors
        .iter()
        .map(|(f, e)| serde_json::json!({ "file": f, "error": e }))
        .collect();
    serde_json::json!({
        "passed": passed,
        "failed": results.len() - passed,
        "errors": errors,
        "seconds": seconds,
        "tests": tests,
    })
    .to_string()
}

/// XML text and attribute escaping; control characters (not allowed in XML 1.0) dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn junit(
    results: &[Outcomes],
    file_errors: &[(String, String)],
    seconds: f64,
) -> String {
    let mut by_file: BTreeMap<&str, Vec<&Outcomes>> = BTreeMap::new();
    for r in results {
        by_file.entry(&r.file).or_default().push(r);
    }
    let failed = results.iter().filter(|r| !r.failures.is_empty()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"nestc test\" tests=\"{}\" failures=\"{failed}\" errors=\"{}\" time=\"{seconds:.3}\">",
        results.len(),
        file_errors.len()
    );
    for (file, rs) in &by_file {
        let f = rs.iter().filter(|r| !r.failures.is_empty()).count();
        let t: f64 = rs.iter().map(|r| r.seconds).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"0\" time=\"{t:.3}\">",
            xml(file),
            rs.len()
        );
        for r in rs {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
                xml(&r.name),
                xml(file),
                r.seconds
            );
            if r.failures.is_empty() {
                out.push_str("/>\n");
            } else {
                let mut body = fuzz_lines(r, None);
                body.extend(r.failures.iter().cloned());
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml(&r.failures[0]),
                    xml(&body.join("\n"))
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    for (file, e) in file_errors {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{0}\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0\">\n    <testcase name=\"(file)\" classname=\"{0}\" time=\"0\">\n      <error message=\"{1}\">{1}</error>\n    </testcase>\n  </testsuite>",
            xml(file),
            xml(e)
        );
    }
    out.push_str("</testsuites>\n");
    out
}
