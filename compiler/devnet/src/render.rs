//! The human form of a report, what a person reads first: success or the revert and where,
//! gas, the call tree, the vault's balance changes, and whether a permission was left behind.
//! Deterministic: the same report always renders to the same text.

use std::collections::BTreeMap;
use std::fmt::Write;

use alloy_primitives::{I256, U256};

use crate::amount::{format_signed_units, format_units, group_thousands};
use crate::report::{CallReport, Report};
use crate::values::NamedValue;

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
        self.render_gas(s, &mut out);
        self.render_calls(s, &mut out);
        self.render_assets(s, &mut out);
        self.render_permissions(s, &mut out);
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
                    revert.reason
                );
                let mut place = Vec::new();
                if let Some(location) = &revert.location {
                    place.push(format!("at {location}"));
                }
                if let Some(pc) = revert.pc {
                    place.push(format!("(pc {pc})"));
                }
                if let Some(call) = &revert.call {
                    place.push(format!("in {call}"));
                }
                if !place.is_empty() {
                    let _ = writeln!(out, "  {}", place.join(" "));
                }
                if let Some(note) = &revert.note {
                    let _ = writeln!(out, "  {note}");
                }
            }
        }
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
        let _ = writeln!(
            out,
            "  {}",
            s.dim(&format!(
                "{} guest instructions",
                group_thousands(&self.guest_instructions.to_string())
            ))
        );
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
        let width = self
            .asset_changes
            .iter()
            .map(|c| c.symbol.chars().count())
            .max()
            .unwrap_or(0);
        for change in &self.asset_changes {
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
            let delta = if delta.starts_with('-') {
                s.red(&delta)
            } else {
                s.green(&delta)
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {delta}  {}",
                change.symbol,
                s.dim(&format!("(now {after})"))
            );
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
            let token = a.symbol.clone().unwrap_or_else(|| a.token.clone());
            let spender = a.spender_name.clone().unwrap_or_else(|| a.spender.clone());
            let what = match (a.kind.as_str(), &a.token_id) {
                ("erc20-allowance", _) => format!("allowance of {spender}: {}", a.after),
                ("erc721-approval", Some(id)) => format!("token #{id} approved to {spender}"),
                _ => format!("{spender} is an operator"),
            };
            let _ = writeln!(
                out,
                "  {} {what} {}",
                s.yellow(&token),
                s.dim(&format!("(was {})", a.before))
            );
        }
    }

    fn render_return(&self, s: Style<'_>, out: &mut String) {
        match &self.return_values {
            Some(values) => {
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        serde_json::Value::String(text) => text.clone(),
                        other => other.to_string(),
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
            let emitter = e.name.clone().unwrap_or_else(|| e.address.clone());
            let body = match (&e.event, &e.args) {
                (Some(signature), Some(args)) => {
                    let name = signature.split('(').next().unwrap_or(signature);
                    format!("{name}({})", plain_list(args, s))
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
    let target = call.name.clone().unwrap_or_else(|| call.to.clone());
    let function = match (&call.signature, &call.args) {
        (Some(signature), Some(args)) => {
            let name = signature.split('(').next().unwrap_or(signature);
            format!("{name}({})", plain_list(args, s))
        }
        (Some(signature), None) => signature.clone(),
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
        line.push_str(&format!(" {{value: {} ETH}}", format_units(wei, 18)));
    }
    if call.success {
        if let Some(returns) = call.returns.as_ref().filter(|r| !r.is_empty()) {
            line.push_str(&format!(" → ({})", plain_list(returns, s)));
        }
    } else {
        let reason = call.revert_reason.as_deref().unwrap_or("no reason");
        line = format!(
            "{} {line} {}",
            s.red("✗"),
            s.red(&format!("reverted: {reason}"))
        );
    }
    let mut tail = format!("  {} gas", group_thousands(&call.gas_used.to_string()));
    if let Some(location) = &call.location {
        tail.push_str(&format!("  {location}"));
    }
    let _ = writeln!(out, "{indent}{branch}{line}{}", s.dim(&tail));
    let child_indent = format!("{indent}{}", if last { "   " } else { "│  " });
    let count = call.calls.len();
    for (i, child) in call.calls.iter().enumerate() {
        render_call(child, &child_indent, i + 1 == count, s, out);
    }
}

/// Values as text: `to: 0x…, amount: 5`, strings unquoted, arrays bracketed.
fn plain_list(values: &[NamedValue], s: Style<'_>) -> String {
    values
        .iter()
        .map(|v| {
            let text = plain(&v.value, s);
            if v.name.is_empty() {
                text
            } else {
                format!("{}: {text}", v.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value as text, a known address by its name.
fn plain(value: &serde_json::Value, s: Style<'_>) -> String {
    match value {
        serde_json::Value::String(text) => s.names.get(text).unwrap_or(text).clone(),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| plain(v, s)).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

fn gas(value: u64) -> String {
    group_thousands(&value.to_string())
}
