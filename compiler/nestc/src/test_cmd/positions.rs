//! Expectations on the lending positions a step changes (`positions = [...]`) and on the
//! Aave health factor (`health_factor = { before = ..., after = ... }`), checked against the
//! report's `position_changes`.

use super::expect::{parse_spec, signed_units, Spec, Units};
use alloy_primitives::I256;
use nest_devnet::PositionChange;

/// What the checks read of a report's position change.
#[derive(Clone, Debug)]
pub(super) struct Seen {
    pub protocol: String,
    pub asset: String,
    pub kind: String,
    pub decimals: Option<u8>,
    /// Base units, signed.
    pub delta: String,
    pub after: String,
    /// Aave only (18 decimals; `None` inside: no debt).
    pub health_factor_before: Option<Option<String>>,
    pub health_factor_after: Option<Option<String>>,
}

impl From<&PositionChange> for Seen {
    fn from(c: &PositionChange) -> Seen {
        Seen {
            protocol: c.protocol.clone(),
            asset: c.asset.clone(),
            kind: c.kind.clone(),
            decimals: c.decimals,
            delta: c.delta.clone(),
            after: c.after.clone(),
            health_factor_before: c.health_factor_before.clone(),
            health_factor_after: c.health_factor_after.clone(),
        }
    }
}

/// One expected position change, as written (amounts may hold `$param`).
#[derive(Clone, Debug)]
pub(super) struct Expected {
    /// `aave-v3`, `compound-v3` or `morpho-blue`.
    pub protocol: String,
    pub asset: String,
    /// `supply`, `debt` or `collateral`.
    pub kind: String,
    pub delta: Option<String>,
    pub after: Option<String>,
}

/// Bounds on the Aave health factor before and after a step, as written.
#[derive(Clone, Debug, Default)]
pub(super) struct Health {
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The protocol names a test may use, and the report's name for each.
const PROTOCOLS: [(&str, &str); 6] = [
    ("aave-v3", "aave-v3"),
    ("aave", "aave-v3"),
    ("compound-v3", "compound-v3"),
    ("compound", "compound-v3"),
    ("morpho-blue", "morpho-blue"),
    ("morpho", "morpho-blue"),
];
const KINDS: [&str; 3] = ["supply", "debt", "collateral"];
/// The unit health factors are written in: plain numbers with 18 decimals.
const HF: &str = "health factor";

/// Reads one `positions` entry: `{ protocol, asset, kind, delta?, after? }`.
pub(super) fn parse_expected(table: &toml::Table, units: Units) -> Result<Expected, String> {
    let text = |key: &str| match table.get(key) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s.clone())),
        Some(toml::Value::Integer(i)) => Ok(Some(i.to_string())),
        Some(_) => Err(format!("`{key}`: a string")),
    };
    for key in table.keys() {
        if !["protocol", "asset", "kind", "delta", "after"].contains(&key.as_str()) {
            return Err(format!(
                "unknown key `{key}` (a position takes protocol, asset, kind, delta, after)"
            ));
        }
    }
    let required = |key: &str| {
        text(key)?.ok_or_else(|| format!("`{key}` is missing (protocol, asset and kind are)"))
    };
    let protocol = required("protocol")?;
    let protocol = PROTOCOLS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(&protocol))
        .map(|(_, p)| p.to_string())
        .ok_or_else(|| {
            format!("protocol `{protocol}`: one of aave-v3, compound-v3, morpho-blue")
        })?;
    let asset = required("asset")?;
    if units(&asset).is_none() {
        return Err(format!("asset `{asset}`: no devnet token of this symbol"));
    }
    let kind = required("kind")?;
    if !KINDS.contains(&kind.as_str()) {
        return Err(format!("kind `{kind}`: one of supply, debt, collateral"));
    }
    let expected = Expected {
        protocol,
        asset,
        kind,
        delta: text("delta")?,
        after: text("after")?,
    };
    if expected.delta.is_none() && expected.after.is_none() {
        return Err("give a `delta` or an `after` (e.g. delta = \"-5_000 USDC\")".into());
    }
    Ok(expected)
}

/// Reads `health_factor = { before = "...", after = "..." }`.
pub(super) fn parse_health(table: &toml::Table) -> Result<Health, String> {
    let mut health = Health::default();
    for (key, value) in table {
        let toml::Value::String(s) = value else {
            return Err(format!("`{key}`: a string such as \">= 1.5\" or \"none\""));
        };
        match key.as_str() {
            "before" => health.before = Some(s.clone()),
            "after" => health.after = Some(s.clone()),
            _ => return Err(format!("unknown key `{key}` (before, after)")),
        }
    }
    Ok(health)
}

/// Checks an expected amount written for `asset` (validation at load time too).
pub(super) fn amount_spec(asset: &str, text: &str, units: Units) -> Result<Spec, String> {
    let spec = parse_spec(text, Some(asset), units)?;
    if let Some((u, _)) = &spec.unit {
        if u != asset {
            return Err(format!("`{text}` is in {u}, not {asset}"));
        }
    }
    Ok(spec)
}

/// A health-factor bound (`>= 1.5`, `1.1..1.3`), or `None` for `"none"` (no debt).
pub(super) fn health_spec(text: &str) -> Result<Option<Spec>, String> {
    if text.trim() == "none" {
        return Ok(None);
    }
    let units = |u: &str| (u == HF).then_some(18);
    parse_spec(text, Some(HF), &units).map(Some)
}

/// Compares the report's position changes with `expected` (amounts already substituted)
/// and the health factor with `health`; what differed.
pub(super) fn check(
    changes: &[Seen],
    expected: &[Expected],
    health: &Health,
    units: Units,
    at: &str,
    failures: &mut Vec<String>,
) {
    for e in expected {
        let found = changes
            .iter()
            .find(|c| c.protocol == e.protocol && c.asset == e.asset && c.kind == e.kind);
        let name = format!("{} {} {}", e.protocol, e.asset, e.kind);
        let value = |text: Option<&String>| text.and_then(|t| I256::from_dec_str(t).ok());
        let (delta, after) = match found {
            Some(c) => (
                value(Some(&c.delta)).unwrap_or(I256::ZERO),
                value(Some(&c.after)),
            ),
            None => (I256::ZERO, None),
        };
        let compare = |what: &str, text: &str, got: Option<I256>, failures: &mut Vec<String>| {
            let spec = match amount_spec(&e.asset, text, units) {
                Ok(s) => s,
                Err(err) => return failures.push(format!("{at}: position {name}: {err}")),
            };
            match got {
                Some(v) if spec.holds(v) => {}
                Some(v) => failures.push(format!(
                    "{at}: position {name}: expected {what} {}, got {}{}",
                    spec.describe(),
                    spec.show(v),
                    if found.is_none() {
                        format!(" (the step changed no such position{})", others(changes))
                    } else {
                        String::new()
                    }
                )),
                None => failures.push(format!(
                    "{at}: position {name}: expected {what} {}, but the step changed no such \
                     position, so its value was not read{}",
                    spec.describe(),
                    others(changes)
                )),
            }
        };
        if let Some(text) = &e.delta {
            compare("delta", text, Some(delta), failures);
        }
        if let Some(text) = &e.after {
            compare("after", text, after, failures);
        }
    }
    let aave = changes.iter().find(|c| c.protocol == "aave-v3");
    for (when, text, value) in [
        (
            "before",
            &health.before,
            aave.and_then(|c| c.health_factor_before.clone()),
        ),
        (
            "after",
            &health.after,
            aave.and_then(|c| c.health_factor_after.clone()),
        ),
    ] {
        let Some(text) = text else { continue };
        let Some(value) = value else {
            failures.push(format!(
                "{at}: health factor {when}: expected {text}, but the step changed no Aave \
                 position, so it was not read"
            ));
            continue;
        };
        let got = value.as_deref().and_then(|v| I256::from_dec_str(v).ok());
        let shown = got.map_or("none (no debt)".to_string(), |v| signed_units(v, 18));
        match health_spec(text) {
            Err(e) => failures.push(format!("{at}: health factor {when}: {e}")),
            Ok(None) if got.is_none() => {}
            Ok(None) => failures.push(format!(
                "{at}: health factor {when}: expected none (no debt), got {shown}"
            )),
            Ok(Some(spec)) => {
                // No debt is an unbounded health factor: it meets a lower bound only.
                let holds = match got {
                    Some(v) => spec.holds(v),
                    None => spec.holds(I256::MAX),
                };
                if !holds {
                    let wanted = spec.describe().replace(&format!(" {HF}"), "");
                    failures.push(format!(
                        "{at}: health factor {when}: expected {wanted}, got {shown}"
                    ));
                }
            }
        }
    }
}

/// `; it changed: aave-v3 WETH supply +10, …` listing the changes the report has.
fn others(changes: &[Seen]) -> String {
    if changes.is_empty() {
        return "; it changed no position at all".to_string();
    }
    let list: Vec<String> = changes
        .iter()
        .map(|c| {
            let delta = I256::from_dec_str(&c.delta).unwrap_or(I256::ZERO);
            let shown = match c.decimals {
                Some(d) => signed_units(delta, d),
                None => delta.to_string(),
            };
            format!("{} {} {} {shown}", c.protocol, c.asset, c.kind)
        })
        .collect();
    format!("; it changed: {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(u: &str) -> Option<u8> {
        match u {
            "USDC" => Some(6),
            "WETH" => Some(18),
            _ => None,
        }
    }

    fn change(kind: &str, asset: &str, delta: &str, hf: (Option<&str>, Option<&str>)) -> Seen {
        Seen {
            protocol: "aave-v3".into(),
            asset: asset.into(),
            kind: kind.into(),
            decimals: Some(if asset == "USDC" { 6 } else { 18 }),
            after: delta.trim_start_matches('-').into(),
            delta: delta.into(),
            health_factor_before: Some(hf.0.map(str::to_string)),
            health_factor_after: Some(hf.1.map(str::to_string)),
        }
    }

    fn expected(text: &str) -> Expected {
        let table: toml::Table = toml::from_str(text).unwrap();
        parse_expected(&table, &units).unwrap()
    }

    #[test]
    fn a_debt_change_within_bounds_passes_and_outside_says_what_differed() {
        let changes = [change(
            "debt",
            "USDC",
            "-5000000000",
            (Some("1200000000000000000"), Some("1600000000000000000")),
        )];
        let ok = expected(
            "protocol = \"aave\"\nasset = \"USDC\"\nkind = \"debt\"\ndelta = \"-5_000 USDC\"",
        );
        let mut failures = Vec::new();
        let health = Health {
            before: Some("1.1..1.3".into()),
            after: Some(">= 1.5".into()),
        };
        check(&changes, &[ok], &health, &units, "step 1", &mut failures);
        assert!(failures.is_empty(), "{failures:?}");

        let wrong = expected(
            "protocol = \"aave-v3\"\nasset = \"USDC\"\nkind = \"debt\"\ndelta = \"-4000..-1 USDC\"",
        );
        let health = Health {
            before: None,
            after: Some(">= 2".into()),
        };
        check(&changes, &[wrong], &health, &units, "step 1", &mut failures);
        assert_eq!(
            failures,
            [
                "step 1: position aave-v3 USDC debt: expected delta -4000 USDC .. -1 USDC, got -5000 USDC",
                "step 1: health factor after: expected >= 2, got 1.6"
            ]
        );
    }

    #[test]
    fn an_unchanged_position_has_delta_zero_and_the_message_lists_what_changed() {
        let changes = [change(
            "supply",
            "WETH",
            "10000000000000000000",
            (None, None),
        )];
        let mut failures = Vec::new();
        let zero =
            expected("protocol = \"aave\"\nasset = \"USDC\"\nkind = \"debt\"\ndelta = \"0\"");
        check(
            &changes,
            &[zero],
            &Health::default(),
            &units,
            "s",
            &mut failures,
        );
        assert!(failures.is_empty(), "{failures:?}");
        let some =
            expected("protocol = \"aave\"\nasset = \"USDC\"\nkind = \"debt\"\ndelta = \"< 0\"");
        check(
            &changes,
            &[some],
            &Health::default(),
            &units,
            "s",
            &mut failures,
        );
        assert_eq!(failures.len(), 1);
        assert!(
            failures[0].contains("it changed: aave-v3 WETH supply 10"),
            "{}",
            failures[0]
        );
        // No debt: "none" holds, and a lower bound holds too.
        let mut failures = Vec::new();
        let health = Health {
            before: Some("none".into()),
            after: Some(">= 1.5".into()),
        };
        check(&changes, &[], &health, &units, "s", &mut failures);
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn bad_entries_are_refused_with_the_choices() {
        let table: toml::Table = toml::from_str(
            "protocol = \"maker\"\nasset = \"USDC\"\nkind = \"debt\"\ndelta = \"0\"",
        )
        .unwrap();
        assert!(parse_expected(&table, &units)
            .unwrap_err()
            .contains("aave-v3"));
        let table: toml::Table =
            toml::from_str("protocol = \"aave\"\nasset = \"USDC\"\nkind = \"loan\"\ndelta = \"0\"")
                .unwrap();
        assert!(parse_expected(&table, &units)
            .unwrap_err()
            .contains("supply, debt, collateral"));
        let table: toml::Table =
            toml::from_str("protocol = \"aave\"\nasset = \"USDC\"\nkind = \"debt\"").unwrap();
        assert!(parse_expected(&table, &units)
            .unwrap_err()
            .contains("delta"));
        assert!(health_spec("lots").is_err());
    }
}
