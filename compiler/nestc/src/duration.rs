//! Clock advances, as `nestc run --advance` and `nestc test`'s `advance` write them.

/// Seconds per block when the clock advances: the block number grows by one per 12 s.
const SECONDS_PER_BLOCK: u64 = 12;

/// A duration: `90` or `90s`, `30m`, `1h`, `2d`, `1w`, in whole units; seconds.
pub(crate) fn parse(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let value: u64 = number
        .parse()
        .map_err(|_| format!("`{text}`: expected a duration such as `90s`, `30m`, `1h` or `2d`"))?;
    let unit_seconds = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        other => {
            return Err(format!(
                "`{text}`: unknown unit `{other}` (use `s`, `m`, `h`, `d` or `w`)"
            ))
        }
    };
    value
        .checked_mul(unit_seconds)
        .ok_or_else(|| format!("`{text}` is too long"))
}

/// The blocks an advance of `seconds` moves: one per 12 s, at least one.
pub(crate) fn blocks(seconds: u64) -> u64 {
    (seconds / SECONDS_PER_BLOCK).max(1)
}
