//! "Did you mean …?": the closest name to a misspelt one.

/// The candidate closest to `name` by edit distance, if it is close enough to be a
/// likely typo (at most a third of the name's length, and at least one edit away).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.to_string()))
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbouring characters as one edit
/// (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// `a`, `b` and `c`, or the first `max` of them and how many more.
pub(crate) fn list(names: &[String], max: usize) -> String {
    let shown: Vec<String> = names.iter().take(max).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(max);
    match (shown.len(), more) {
        (0, _) => "nothing".to_string(),
        (_, 0) => shown.join(", "),
        _ => format!("{}, and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        assert_eq!(
            closest("getAmountOut", ["getAmountsOut", "getAmountsIn"]),
            Some("getAmountsOut")
        );
        assert_eq!(closest("USCD", ["USDC", "USDT", "DAI"]), Some("USDC"));
        assert_eq!(closest("zzz", ["USDC"]), None);
    }

    #[test]
    fn lists_are_bounded() {
        let names: Vec<String> = (0..5).map(|i| i.to_string()).collect();
        assert_eq!(list(&names, 3), "`0`, `1`, `2`, and 2 more");
        assert_eq!(list(&[], 3), "nothing");
    }
}
