//! Reading payloads and parameters from the command line; printing diagnostics.

use nest_diagnostics::{Diagnostic, SourceMap};
use std::io::IsTerminal;

/// Exit status for input errors.
pub(crate) const INPUT_ERROR: u8 = 1;
/// Exit status for usage and I/O errors.
pub(crate) const USAGE_ERROR: u8 = 2;

/// Parses `NAME=VALUE` parameters.
pub(crate) fn params(raw: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for p in raw {
        match p.split_once('=') {
            Some((n, v)) if !n.trim().is_empty() => {
                let name = n.trim().to_string();
                if out.iter().any(|(seen, _)| *seen == name) {
                    return Err(format!(
                        "`--param {name}` is given twice: give each parameter once"
                    ));
                }
                out.push((name, v.trim().to_string()));
            }
            _ => {
                return Err(format!(
                    "`--param {p}`: expected NAME=VALUE, e.g. `--param 'amount=2500 USDC'`"
                ))
            }
        }
    }
    Ok(out)
}

/// A payload given as `0x…` hex, or as a file holding hex text (with or without `0x`,
/// over several lines) or raw bytes.
pub(crate) fn payload(arg: &str) -> Result<Vec<u8>, String> {
    let text = if arg.starts_with("0x") || arg.starts_with("0X") {
        arg.to_string()
    } else {
        match std::fs::read(arg) {
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Ok(s) if looks_like_hex(s) => s.to_string(),
                _ => return Ok(bytes),
            },
            Err(e) => {
                let shown: String = arg.chars().take(60).collect();
                let more = if arg.chars().count() > 60 { "…" } else { "" };
                return Err(format!(
                    "cannot read `{shown}{more}`: {e} (a payload is `0x…` hex, or a file)"
                ));
            }
        }
    };
    let hex: String = text.split_whitespace().collect();
    let hex = hex.trim_start_matches("0x").trim_start_matches("0X");
    alloy_primitives::hex::decode(hex).map_err(|e| format!("invalid hex payload: {e}"))
}

/// Whether a file's text is a hex payload: `0x…`, or only hex digits (an even number of
/// them), whitespace and line breaks aside.
fn looks_like_hex(s: &str) -> bool {
    let digits: String = s.split_whitespace().collect();
    let digits = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"));
    let (digits, prefixed) = match digits {
        Some(d) => (d.to_string(), true),
        None => (s.split_whitespace().collect(), false),
    };
    prefixed
        || (!digits.is_empty()
            && digits.len() % 2 == 0
            && digits.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Prints diagnostics as one JSON document on stdout, `{"diagnostics": []}` when none.
pub(crate) fn diagnostics_json(diags: &[Diagnostic], sources: &SourceMap) {
    let v = serde_json::json!({ "diagnostics": nest_diagnostics::render_json(diags, sources) });
    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
}

/// Prints diagnostics (if any) as one JSON document on stderr, for commands whose stdout
/// is their output.
pub(crate) fn diagnostics_json_stderr(diags: &[Diagnostic], sources: &SourceMap) {
    if diags.is_empty() {
        return;
    }
    let v = serde_json::json!({ "diagnostics": nest_diagnostics::render_json(diags, sources) });
    eprintln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
}

/// Prints diagnostics to stderr (or as JSON to stdout).
pub(crate) fn diagnostics(diags: &[Diagnostic], sources: &SourceMap, json: bool) {
    if diags.is_empty() {
        return;
    }
    if json {
        let v = serde_json::json!({ "diagnostics": nest_diagnostics::render_json(diags, sources) });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", nest_diagnostics::render(diags, sources, color));
    }
}

/// The most characters of one error, warning or note printed (outside text in it is cut
/// shorter where it is quoted).
const MAX_MESSAGE_CHARS: usize = 4_000;

/// `text` made inert for the terminal: every error, warning and note goes through here, since
/// most quote something from outside (a node's answer, a file name, a scenario key).
pub(crate) fn inert(text: &str) -> String {
    nest_devnet::escape::inert_lines(text, MAX_MESSAGE_CHARS)
}

/// Prints `error: MSG` on stderr, inert.
pub(crate) fn error(msg: &str) {
    eprintln!("error: {}", inert(msg));
}

/// Prints `warning: MSG` on stderr, inert.
pub(crate) fn warning(msg: &str) {
    eprintln!("warning: {}", inert(msg));
}

/// Prints `note: MSG` on stderr, inert.
pub(crate) fn note(msg: &str) {
    eprintln!("note: {}", inert(msg));
}

/// Prints a usage or I/O error and returns its status.
pub(crate) fn usage(msg: &str) -> u8 {
    error(msg);
    USAGE_ERROR
}
