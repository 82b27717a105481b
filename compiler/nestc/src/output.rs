//! Reading payloads and parameters from the command line; printing diagnostics.

use nest_diagnostics::{Diagnostic, SourceMap};
use std::io::IsTerminal;

/// Exit status for input errors.
pub const INPUT_ERROR: u8 = 1;
/// Exit status for usage and I/O errors.
pub const USAGE_ERROR: u8 = 2;

/// Parses `NAME=VALUE` parameters.
pub fn params(raw: &[String]) -> Result<Vec<(String, String)>, String> {
    raw.iter()
        .map(|p| match p.split_once('=') {
            Some((n, v)) if !n.trim().is_empty() => {
                Ok((n.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(format!(
                "`--param {p}`: expected NAME=VALUE, e.g. `--param 'amount=2500 USDC'`"
            )),
        })
        .collect()
}

/// A payload given as `0x…` hex or as a file holding hex (or raw bytes).
pub fn payload(arg: &str) -> Result<Vec<u8>, String> {
    let text = if arg.starts_with("0x") || arg.starts_with("0X") {
        arg.to_string()
    } else {
        match std::fs::read(arg) {
            Ok(bytes) => match std::str::from_utf8(&bytes) {
                Ok(s) if s.trim().starts_with("0x") => s.trim().to_string(),
                _ => return Ok(bytes),
            },
            Err(e) => return Err(format!("cannot read `{arg}`: {e}")),
        }
    };
    let hex = text
        .trim()
        .trim_start_matches("0x")
        .trim_start_matches("0X");
    alloy_primitives::hex::decode(hex).map_err(|e| format!("invalid hex payload: {e}"))
}

/// Prints diagnostics to stderr (or as JSON to stdout).
pub fn diagnostics(diags: &[Diagnostic], sources: &SourceMap, json: bool) {
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

/// Prints a usage or I/O error and returns its status.
pub fn usage(msg: &str) -> u8 {
    eprintln!("error: {msg}");
    USAGE_ERROR
}
