//! The human form of a report, what a person reads first: success or the revert and where,
//! gas, the call tree, the vault's balance changes, whether a permission was left behind
//! (each kind in its own words), and warnings about what the payload did to the vault
//! itself. Text from the chain or the script is escaped (`escape.rs`). Deterministic: the
//! same report always renders to the same text.

use std::collections::BTreeMap;
use std::fmt::Write;

use alloy_primitives::{I256, U256};

use super::types::{AllowanceLeft, AssetChange, CallReport, PositionChange, Report};
use super::values::NamedValue;
use crate::amount::{format_signed_units, format_units, format_units_trimmed, group_thousands};
use crate::escape::escape;

/// ANSI styles (applied only when colour is on) and the names of known addresses.
#[derive(Clone, Copy)]
struct Style<'a> {
    color: bool,
    names: &'a BTreeMap<String, String>,
}

impl Style<'_> {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
    fn red(self, text: &str) -> String {
        self.paint("31", text)
    }
    fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }
    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

impl Report {
    /// The report as text for a terminal; `color` adds ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let s = Style {
            color,
            names: &self.names,
        };
        let mut out = String::new();
        self.render_outcome(s, &mut out);
        self.render_chain(s, &mut out);
        self.render_gas(s, &mut out);
        self.render_calls(s, &mut out);
        self.render_assets(s, &mut out);
        self.render_positions(s, &mut out);
        self.render_permissions(s, &mut out);
        self.render_vault_itself(s, &mut out);
        self.render_warnings(s, &mut out);
        self.render_return(s, &mut out);
        self.render_events(s, &mut out);
        out
    }

    fn render_outcome(&self, s: Style<'_>, out: &mut String) {
        match &self.revert {
            None => {
                let _ = writeln!(out, "{} {}", s.green("✓"), s.bold("success"));
            }
            Some(revert) => {
                let _ = writeln!(
                    out,
                    "{} {}: {}",
                    s.red("✗"),
                    s.bold("reverted"),
                    reason(&revert.reason)
                );
                let mut place = Vec::new();
                if let Some(location) = &revert.location {
                    place.push(format!("at {}", escape(location)));
                }
                if let Some(pc) = revert.pc {
                    place.push(format!("(pc {pc})"));
                }
                if let Some(call) = &revert.call {
                    place.push(format!("in {}", escape(call)));
                }
                if !place.is_empty() {
                    let _ = writeln!(out, "  {}", place.join(" "));
                }
                if let Some(f) = &revert.in_function {
                    let at = f
                        .called_at
                        .as_deref()
                        .map(|l| format!(", called at {l}"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "  in fn `{}`{}", escape(&f.name), at);
                }
                if let Some(note) = &revert.note {
                    let _ = writeln!(out, "  {}", escape(note));
                }
            }
        }
    }

    /// In fork mode: the chain, block and HyVM the run ran against.
    fn render_chain(&self, s: Style<'_>, out: &mut String) {
        let Some(chain) = &self.chain else {
            return;
        };
        let _ = writeln!(
            out,
            "  {}",
            s.dim(&format!(
                "forked chain {} at block {} ({})",
                chain.chain_id,
                chain.block_number,
                escape(&chain.block_hash)
            ))
        );
        let hyvm = match chain.hyvm_check.as_str() {
            "embedded" => "the embedded HyVM interpreter (no code there on the chain)",
            "recognised" => "the chain's own HyVM (recognised by its answer to a probe)",
            "unchecked" => "the chain's own code, unchecked (--hyvm-unchecked)",
            _ => "the chain's own code, NOT recognised as a HyVM",
        };
        let line = format!("HyVM {}: {hyvm}", escape(&chain.hyvm));
        let line = if chain.hyvm_check == "unrecognised" {
            s.yellow(&line)
        } else {
            s.dim(&line)
        };
        let _ = writeln!(out, "  {line}");
    }

    fn render_gas(&self, s: Style<'_>, out: &mut String) {
        let g = &self.gas;
        let _ = writeln!(out, "\n{} {}", s.bold("gas"), gas(g.total));
        let mut rows = vec![
            ("base", g.base.to_string()),
            ("calldata", g.calldata.to_string()),
            ("vault", g.vault_overhead.to_string()),
            ("execution", g.execution.to_string()),
            ("HyVM overhead", g.hyvm_overhead.to_string()),
        ];
        if g.refund > 0 {
            rows.push(("refund", format!("-{}", g.refund)));
        }
        if g.calldata_floor_topup > 0 {
            rows.push(("calldata floor", g.calldata_floor_topup.to_string()));
        }
        for (label, value) in rows {
            let value = match value.strip_prefix('-') {
                Some(v) => format!("-{}", group_thousands(v)),
                None => group_thousands(&value),
            };
            let _ = writeln!(out, "  {label:<14} {value:>12}");
        }
        let deployed = self
            .chain
            .as_ref()
            .is_some_and(|c| c.hyvm_check != "embedded");
        let instructions = if deployed {
            "guest instructions not counted (the chain's own HyVM ran the payload)".to_string()
        } else {
            format!(
                "{} guest instructions",
                group_thousands(&self.guest_instructions.to_string())
            )
        };
        let _ = writeln!(out, "  {}", s.dim(&instructions));
    }

    fn render_calls(&self, s: Style<'_>, out: &mut String) {
        let _ = writeln!(out, "\n{}", s.bold("calls"));
        if self.calls.is_empty() {
            let _ = writeln!(out, "  {}", s.dim("none"));
        }
        let count = self.calls.len();
        for (i, call) in self.calls.iter().enumerate() {
            render_call(call, "  ", i + 1 == count, s, out);
        }
    }

    fn render_assets(&self, s: Style<'_>, out: &mut String) {
        let _ = writeln!(out, "\n{}", s.bold("asset changes"));
        if self.asset_changes.is_empty() {
            let _ = writeln!(out, "  {}", s.dim("none"));
            return;
        }
        let label = |c: &AssetChange| match &c.token_id {
            Some(id) => format!("{} #{}", escape(&c.symbol), escape(id)),
            None => escape(&c.symbol).into_owned(),
        };
        let width = self
            .asset_changes
            .iter()
            .map(|c| label(c).chars().count())
            .max()
            .unwrap_or(0);
        for change in &self.asset_changes {
            let (delta, after) = if change.token_id.is_some() {
                let came_in = !change.delta.starts_with('-');
                let delta = if came_in { "+1" } else { "-1" };
                let now = if came_in { "came in" } else { "left the vault" };
                (delta.to_string(), now.to_string())
            } else {
                let delta = change
                    .delta
                    .parse::<I256>()
                    .map(|d| format_signed_units(d, change.decimals))
                    .unwrap_or_else(|_| change.delta.clone());
                let after = change
                    .after
                    .parse::<U256>()
                    .map(|a| format_units(a, change.decimals))
                    .unwrap_or_else(|_| change.after.clone());
                (delta, format!("now {after}"))
            };
            let delta = if delta.starts_with('-') {
                s.red(&delta)
            } else {
                s.green(&delta)
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {delta}  {}",
                label(change),
                s.dim(&format!("({after})"))
            );
        }
    }

    /// The lending positions that changed (the section is left out when none did).
    fn render_positions(&self, s: Style<'_>, out: &mut String) {
        if self.position_changes.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", s.bold("position changes"));
        let protocol = |p: &str| {
            match p {
                "aave-v3" => "Aave V3",
                "compound-v3" => "Compound III",
                "morpho-blue" => "Morpho Blue",
                other => other,
            }
            .to_string()
        };
        let label = |c: &PositionChange| {
            format!(
                "{} {} {}",
                protocol(&c.protocol),
                escape(&c.asset),
                escape(&c.kind)
            )
        };
        let width = self
            .position_changes
            .iter()
            .map(|c| label(c).chars().count())
            .max()
            .unwrap_or(0);
        for change in &self.position_changes {
            let decimals = if change.unit == "shares" {
                0
            } else {
                change.decimals.unwrap_or(0)
            };
            let delta = change
                .delta
                .parse::<I256>()
                .map(|d| format_signed_units(d, decimals))
                .unwrap_or_else(|_| change.delta.clone());
            let after = change
                .after
                .parse::<U256>()
                .map(|a| format_units(a, decimals))
                .unwrap_or_else(|_| change.after.clone());
            let unit = if change.unit == "shares" {
                " shares"
            } else {
                ""
            };
            let delta = if delta.starts_with('-') {
                s.red(&delta)
            } else {
                s.green(&delta)
            };
            let mut line = format!(
                "  {:<width$}  {delta}{unit}  {}",
                label(change),
                s.dim(&format!("(now {after}{unit})"))
            );
            if let (Some(before), Some(after)) =
                (&change.health_factor_before, &change.health_factor_after)
            {
                let hf = |h: &Option<String>| match h.as_deref().map(str::parse::<U256>) {
                    Some(Ok(v)) => format_units_trimmed(v, 18),
                    Some(Err(_)) => "?".to_string(),
                    None => "none (no debt)".to_string(),
                };
                if before != after {
                    line.push_str(&format!(
                        "  {}",
                        s.dim(&format!("health factor {} → {}", hf(before), hf(after)))
                    ));
                }
            }
            let _ = writeln!(out, "{line}");
        }
    }

    fn render_permissions(&self, s: Style<'_>, out: &mut String) {
        if self.allowances_left.is_empty() {
            let _ = writeln!(out, "\n{} no permission left behind", s.green("✓"));
            return;
        }
        let _ = writeln!(
            out,
            "\n{} {} permission(s) left behind",
            s.yellow("⚠"),
            self.allowances_left.len()
        );
        for a in &self.allowances_left {
            let (what, was) = permission(a);
            let _ = writeln!(out, "  {what} {}", s.dim(&format!("({was})")));
        }
    }

    fn render_warnings(&self, s: Style<'_>, out: &mut String) {
        for w in &self.warnings {
            let _ = writeln!(out, "\n{} {}", s.yellow("⚠"), escape(&w.message));
        }
    }

    fn render_vault_itself(&self, s: Style<'_>, out: &mut String) {
        let changes = &self.vault_storage_changes;
        if !changes.is_empty() {
            let _ = writeln!(
                out,
                "\n{} the payload wrote the vault's own storage ({} slot(s)); a Nest script never does",
                s.yellow("⚠"),
                changes.len()
            );
            for c in changes {
                let _ = writeln!(
                    out,
                    "  slot {}: {} → {}",
                    short_word(&c.slot),
                    short_word(&c.before),
                    short_word(&c.after)
                );
            }
        }
        let delegated: Vec<&CallReport> = self
            .calls
            .iter()
            .filter(|c| matches!(c.kind.as_str(), "delegatecall" | "callcode"))
            .collect();
        for c in delegated {
            let target = escape(c.name.as_deref().unwrap_or(&c.to)).into_owned();
            let _ = writeln!(
                out,
                "\n{} the payload ran {target}'s code in the vault's context ({}): it could do anything the vault can",
                s.yellow("⚠"),
                c.kind.to_uppercase()
            );
        }
        let logs = self
            .events
            .iter()
            .filter(|e| e.address == self.vault)
            .count();
        if logs > 0 && !self.vault.is_empty() {
            let _ = writeln!(
                out,
                "\n{} the payload emitted {logs} event(s) as the vault itself",
                s.yellow("⚠")
            );
        }
    }

    fn render_return(&self, s: Style<'_>, out: &mut String) {
        match &self.return_values {
            Some(values) => {
                let shown: Vec<String> = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let unit = self.return_units.get(i).and_then(Option::as_ref);
                        in_units(v, unit).unwrap_or_else(|| match v {
                            serde_json::Value::String(text) => escape(text).into_owned(),
                            other => plain(other, s),
                        })
                    })
                    .collect();
                let _ = writeln!(out, "\n{} {}", s.bold("return"), shown.join(", "));
            }
            None if self.success && self.return_data != "0x" => {
                let _ = writeln!(out, "\n{} {}", s.bold("return data"), self.return_data);
            }
            None => {}
        }
    }

    fn render_events(&self, s: Style<'_>, out: &mut String) {
        if self.events.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", s.bold("events"));
        for e in &self.events {
            let emitter = escape(e.name.as_deref().unwrap_or(&e.address)).into_owned();
            let body = match (&e.event, &e.args) {
                (Some(signature), Some(args)) => {
                    let name = signature.split('(').next().unwrap_or(signature);
                    format!("{}({})", escape(name), plain_list(args, s))
                }
                _ => format!("topics {} data {}", e.topics.join(" "), e.data),
            };
            let _ = writeln!(out, "  {} {body}", s.dim(&emitter));
        }
    }
}

/// One call and its subtree, Foundry-style.
fn render_call(call: &CallReport, indent: &str, last: bool, s: Style<'_>, out: &mut String) {
    let branch = if last { "└─ " } else { "├─ " };
    let target = escape(call.name.as_deref().unwrap_or(&call.to)).into_owned();
    let function = match (&call.signature, &call.args) {
        (Some(signature), Some(args)) => {
            let name = signature.split('(').next().unwrap_or(signature);
            format!("{}({})", escape(name), plain_list(args, s))
        }
        (Some(signature), None) => escape(signature).into_owned(),
        (None, _) if call.input == "0x" => "receive()".to_string(),
        (None, _) => {
            let selector: String = call.input.chars().take(10).collect();
            format!("{selector}(…)")
        }
    };
    let mut line = format!("{target}.{function}");
    if call.kind != "call" {
        line = format!("[{}] {line}", call.kind);
    }
    if call.value != "0" {
        let wei = call.value.parse::<U256>().unwrap_or_default();
        line.push_str(&format!(
            " {{value: {} ETH}}",
            format_units_trimmed(wei, 18)
        ));
    }
    if call.success {
        if let Some(returns) = call.returns.as_ref().filter(|r| !r.is_empty()) {
            line.push_str(&format!(" → ({})", plain_list(returns, s)));
        }
    } else {
        let reason = call
            .revert_reason
            .as_deref()
            .map_or_else(|| "no reason".to_string(), reason);
        line = format!(
            "{} {line} {}",
            s.red("✗"),
            s.red(&format!("reverted: {reason}"))
        );
    }
    let mut tail = format!("  {} gas", group_thousands(&call.gas_used.to_string()));
    if let Some(location) = &call.location {
        tail.push_str(&format!("  {}", escape(location)));
    }
    let _ = writeln!(out, "{indent}{branch}{line}{}", s.dim(&tail));
    let child_indent = format!("{indent}{}", if last { "   " } else { "│  " });
    let count = call.calls.len();
    for (i, child) in call.calls.iter().enumerate() {
        render_call(child, &child_indent, i + 1 == count, s, out);
    }
}

/// A revert reason as text: escaped, and an empty one said so rather than left blank.
fn reason(text: &str) -> String {
    if text.is_empty() {
        "(empty reason)".to_string()
    } else {
        escape(text).into_owned()
    }
}

/// Values as text: `to: 0x…, amount: 5`, strings quoted, arrays bracketed, everything
/// escaped.
fn plain_list(values: &[NamedValue], s: Style<'_>) -> String {
    values
        .iter()
        .map(|v| {
            let text = typed(&v.value, &v.ty, s);
            if v.name.is_empty() {
                text
            } else {
                format!("{}: {text}", escape(&v.name))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value of the ABI type `ty` as text: a `string` (or the items of a `string[]`) in
/// quotes, so an empty or comma-laden string reads as one value; anything else as [`plain`].
fn typed(value: &serde_json::Value, ty: &str, s: Style<'_>) -> String {
    match value {
        serde_json::Value::String(text) if ty == "string" => format!("\"{}\"", escape(text)),
        serde_json::Value::Array(items) if ty.ends_with(']') => {
            let item_ty = ty.rsplit_once('[').map_or(ty, |(item, _)| item);
            let items: Vec<String> = items.iter().map(|v| typed(v, item_ty, s)).collect();
            format!("[{}]", items.join(", "))
        }
        other => plain(other, s),
    }
}

/// A value as text, a known address by its name, escaped.
/// A returned amount (or array of amounts) in whole tokens: `332.326706738800961 WETH`,
/// `[1.5 USDC, 2 USDC]`. `None` without a unit or for a value that is not a number.
fn in_units(value: &serde_json::Value, unit: Option<&crate::amount::Unit>) -> Option<String> {
    let unit = unit?;
    match value {
        serde_json::Value::String(raw) => unit.show(raw),
        serde_json::Value::Array(items) => {
            let items: Option<Vec<String>> =
                items.iter().map(|v| in_units(v, Some(unit))).collect();
            Some(format!("[{}]", items?.join(", ")))
        }
        _ => None,
    }
}

fn plain(value: &serde_json::Value, s: Style<'_>) -> String {
    match value {
        serde_json::Value::String(text) => escape(s.names.get(text).unwrap_or(text)).into_owned(),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| plain(v, s)).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// A permission left behind in its own words, and what it was before the run:
/// `USDC allowance of 0x…dEaD: 0.000005 USDC`, `was 0`.
fn permission(a: &AllowanceLeft) -> (String, String) {
    let token = escape(a.symbol.as_deref().unwrap_or(&a.token)).into_owned();
    let spender = escape(a.spender_name.as_deref().unwrap_or(&a.spender)).into_owned();
    let amount = |text: &str, max: U256| match text.parse::<U256>() {
        Ok(v) if v >= max => "unlimited".to_string(),
        Ok(v) => match a.decimals {
            Some(d) => format_units_trimmed(v, d),
            None => format!("{} base units", group_thousands(text)),
        },
        Err(_) => escape(text).into_owned(),
    };
    let (after, before) = (amount(&a.after, U256::MAX), amount(&a.before, U256::MAX));
    let unit = |text: String| {
        if a.decimals.is_some() && text != "unlimited" && text != "unknown" {
            format!("{text} {token}")
        } else {
            text
        }
    };
    let permit2_max = (U256::from(1) << 160) - U256::from(1);
    let (what, was) = known_kind(
        a,
        &token,
        &spender,
        (&after, &before),
        &unit,
        permit2_max,
        &amount,
    );
    if a.after != "unknown" || a.decimals.is_some() {
        return (what, was);
    }
    (
        format!("{what} — cannot be read back after the run, so it cannot be shown gone"),
        was,
    )
}

/// The words for a permission of kind `a.kind`.
fn known_kind(
    a: &AllowanceLeft,
    token: &str,
    spender: &str,
    (after, before): (&str, &str),
    unit: &dyn Fn(String) -> String,
    permit2_max: U256,
    amount: &dyn Fn(&str, U256) -> String,
) -> (String, String) {
    let (after, before) = (after.to_string(), before.to_string());
    match a.kind.as_str() {
        "erc20-allowance" => (
            format!("{token} allowance of {spender}: {}", unit(after)),
            format!("was {}", unit(before)),
        ),
        "permit2-allowance" => (
            format!(
                "Permit2 allowance of {spender} over the vault's {token}: {}",
                unit(amount(&a.after, permit2_max))
            ),
            format!("was {}", unit(amount(&a.before, permit2_max))),
        ),
        "credit-delegation" => (
            format!(
                "{spender} may borrow {} on the vault's credit (Aave credit delegation, {token})",
                match after.as_str() {
                    "unlimited" | "unknown" => after.clone(),
                    _ => format!("{after} in {token} units"),
                }
            ),
            format!("was {before}"),
        ),
        "comet-manager" => (
            format!("{spender} manages the vault's whole {token} account (Compound III `allow`)"),
            "was not a manager".to_string(),
        ),
        "authorization" => (
            format!("{spender} is authorized to manage the vault's {token} positions"),
            "was not authorized".to_string(),
        ),
        "erc721-approval" => (
            format!(
                "{token} #{} approved to {spender}",
                escape(a.token_id.as_deref().unwrap_or("?"))
            ),
            "was not approved to it".to_string(),
        ),
        "operator-approval" => (
            format!("{spender} is an operator of every {token} token the vault holds"),
            "was not an operator".to_string(),
        ),
        "erc6909-allowance" => (
            format!(
                "{spender} holds {} over the vault's {token} id {}: {after}",
                escape(&a.what),
                escape(a.token_id.as_deref().unwrap_or("?"))
            ),
            format!("was {before}"),
        ),
        _ => {
            let via = a
                .function
                .as_deref()
                .map(|f| format!(" (`{}`)", escape(f)))
                .unwrap_or_default();
            (
                format!(
                    "{spender} holds {} from the vault on {token}{via}",
                    escape(&a.what)
                ),
                match a.before.as_str() {
                    "unknown" => "no view to read it before the run".to_string(),
                    _ => "was not granted".to_string(),
                },
            )
        }
    }
}

/// A 32-byte word, `0x` hex, without its leading zeros (`0x0` for zero).
fn short_word(word: &str) -> String {
    let digits = word.trim_start_matches("0x").trim_start_matches('0');
    format!("0x{}", if digits.is_empty() { "0" } else { digits })
}

fn gas(value: u64) -> String {
    group_thousands(&value.to_string())
}
