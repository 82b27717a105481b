//! Text helpers of the grant fuzzer's generator: indentation, the markers of loops that
//! never run, and amounts written in their unit.

pub(super) fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("    {l}\n")
            }
        })
        .collect()
}

/// The markers around a loop that never runs (comments, so the program is unchanged).
pub(super) const ZERO_BEGIN: &str = "// zero-trip {";
pub(super) const ZERO_END: &str = "// } zero-trip";

/// `text` without the marked loops that never run.
pub(super) fn strip_zero_trip(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for line in text.lines() {
        match line.trim() {
            ZERO_BEGIN => depth += 1,
            ZERO_END => depth -= 1,
            _ if depth == 0 => {
                out.push_str(line);
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// `n` base units of `token` written as an amount (`123456` USDC → `0.123456 USDC`): a
/// bound amount (`#[units]`) takes no bare number.
pub(super) fn base_units(n: u64, token: &str) -> String {
    let decimals = if matches!(token, "USDC" | "USDT") {
        6
    } else {
        18
    };
    let digits = format!("{n:0>width$}", width = decimals + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals);
    format!("{int}.{frac} {token}")
}
