//! Errors for `use std::…` lines that name no module of the standard library.

use crate::stdlib;
use crate::suggest;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

/// `use std::<path>::{…}` where `std::<path>` (`name`, spanning `span`) is not a module.
/// `names` are the names it imports: the modules that declare them all are suggested
/// before a module with a similar name (`use std::aave::{AAVE_V3_POOL}` is in the
/// chain modules, not in `std::base`).
pub(crate) fn unknown_module(name: &str, names: &[&str], span: Span) -> Diagnostic {
    let known: Vec<String> = stdlib::MODULES
        .iter()
        .map(|(p, _)| format!("std::{p}"))
        .collect();
    if let Some((first, rest)) = names.split_first() {
        let mut holding = modules_defining(first);
        for n in rest {
            let other = modules_defining(n);
            holding.retain(|m| other.contains(m));
        }
        if !holding.is_empty() {
            let what = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let verb = if names.len() == 1 { "is" } else { "are" };
            return Diagnostic::error(
                "E0601",
                format!("no module `{name}` in the standard library"),
            )
            .with_primary(span, "not found")
            .with_help(format!(
                "{what} {verb} in {}: e.g. `use {}::{{{}}}`",
                suggest::list(&holding, 8),
                holding[0],
                names.join(", ")
            ));
        }
    }
    let help = match suggest::closest(name, known.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the standard library has {}", suggest::list(&known, 20)),
    };
    Diagnostic::error(
        "E0601",
        format!("no module `{name}` in the standard library"),
    )
    .with_primary(span, "not found")
    .with_help(help)
}

/// A `use` of `std` itself (`use std::erc20`, `use std::nope`, `use std::{USDC}`):
/// the parser reads the last segment as the imported name, and `std` has no items.
/// `span` covers `std`.
pub(crate) fn root(u: &ast::UseItem, span: Span) -> Diagnostic {
    if let [only] = u.names.as_slice() {
        let name = &only.name.name;
        // `std::{X}` has a brace between `::` and the name; modules are lowercase.
        let braced = only.name.span.start > span.end + 2;
        let item_like = name.starts_with(|c: char| c.is_ascii_uppercase());
        if !braced && !item_like {
            let whole = span.to(only.name.span);
            if stdlib::module(name).is_some() {
                return Diagnostic::error("E0601", format!("`use std::{name}` imports nothing"))
                    .with_primary(whole, "a module, with no names to import")
                    .with_help(format!(
                        "name what to import from it: `use std::{name}::{{…}}`"
                    ));
            }
            return unknown_module(&format!("std::{name}"), &[], whole);
        }
    }
    let first = u.names.first().map(|n| n.name.name.as_str());
    let help = match first.map(|n| (n, modules_defining(n))) {
        Some((n, found)) if !found.is_empty() => format!(
            "`{n}` is in {}: e.g. `use {}::{{{n}}}`",
            suggest::list(&found, 5),
            found[0]
        ),
        _ => {
            let known: Vec<String> = stdlib::MODULES
                .iter()
                .map(|(p, _)| format!("std::{p}"))
                .collect();
            format!(
                "import from a module, e.g. `use std::ethereum::{{USDC}}`; the standard library has {}",
                suggest::list(&known, 20)
            )
        }
    };
    Diagnostic::error("E0601", "`std` itself has no items to import")
        .with_primary(span, "the root of the standard library")
        .with_help(help)
}

/// The stdlib modules (`std::ethereum`, …) that declare an item named `name`.
fn modules_defining(name: &str) -> Vec<String> {
    let declares = |source: &str| {
        source.lines().any(|line| {
            ["token ", "const ", "interface ", "fn "].iter().any(|kw| {
                line.strip_prefix(kw)
                    .and_then(|rest| rest.strip_prefix(name))
                    .is_some_and(|after| {
                        !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
            })
        })
    };
    stdlib::MODULES
        .iter()
        .filter(|(_, source)| declares(source))
        .map(|(p, _)| format!("std::{p}"))
        .collect()
}
