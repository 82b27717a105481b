//! What the compiler tells a dry run: [`RunContext`], to name and locate things in the
//! report, read from the compiler's typed [`Artifact`] (`RunContext::from(&artifact)`).
//! The devnet knows nothing of Nest; this is all of the compiler that reaches it.

use nest_artifact::{Artifact, UnitInfo};

use crate::amount::Unit;

/// Context from the compiler, to name and locate things; every part may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunContext {
    /// Guest pc → `file:line:col`; a pc maps to the entry with the greatest pc not above it.
    pub source_map: Vec<(usize, String)>,
    /// Extra function signatures to decode calls with (`transfer(address,uint256)`, or with
    /// `function … returns (…)` so return values decode too), and custom errors to decode
    /// revert data with (`error InsufficientAllowance(uint256 amount)`, as the artifact's
    /// `errors[].declaration`).
    pub signatures: Vec<String>,
    /// The ABI types of the script's return values (`["uint256"]`).
    pub return_types: Vec<String>,
    /// The token each return value is an amount of (the artifact's `return_units`), so
    /// the report shows `1.5 WETH`; empty or `None` where a value is not an amount.
    pub return_units: Vec<Option<Unit>>,
    /// The script's helper functions: entry pc and name (the artifact's `functions`). A
    /// failure inside one is reported with the place it was called from.
    pub functions: Vec<(usize, String)>,
    /// The payload is the compiler's own output (`RunContext::from(&artifact)` sets it): where it depends
    /// on the environment, the script says so (`block.timestamp` in a `require`), so the
    /// report does not warn of it. Left `false` for a payload from elsewhere
    /// (`nestc run --bytecode`), whose dependence on the environment is warned of.
    pub compiled: bool,
}

impl From<&Artifact> for RunContext {
    /// Everything a compiler artifact tells a dry run: its source map, the functions it calls
    /// and its interfaces' custom errors, its return types and the tokens of the amounts
    /// among them, and its helper functions.
    fn from(artifact: &Artifact) -> RunContext {
        RunContext {
            source_map: artifact
                .source_map
                .iter()
                .map(|e| (e.pc, e.location.clone()))
                .collect(),
            signatures: artifact
                .calls
                .iter()
                .map(|c| c.signature.clone())
                .chain(artifact.errors.iter().map(|e| e.declaration.clone()))
                .collect(),
            return_types: artifact.return_types.clone(),
            return_units: artifact
                .return_units
                .iter()
                .map(|u| u.as_ref().and_then(unit))
                .collect(),
            functions: artifact
                .functions
                .iter()
                .map(|f| (f.pc, f.name.clone()))
                .collect(),
            compiled: true,
        }
    }
}

/// The unit of an amount the artifact names, when its token's name is one a terminal can
/// show as it is (ASCII letters, digits and `_`, at most 64); otherwise `None`, and the
/// value prints in base units.
fn unit(info: &UnitInfo) -> Option<Unit> {
    let token = &info.token;
    let sane = !token.is_empty()
        && token.len() <= 64
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    sane.then(|| Unit {
        token: token.clone(),
        decimals: info.decimals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_with_names_a_terminal_cannot_show_as_they_are_are_left_out() {
        let info = |token: &str| UnitInfo {
            token: token.into(),
            address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48".into(),
            decimals: 6,
        };
        assert_eq!(
            unit(&info("USDC")),
            Some(Unit {
                token: "USDC".into(),
                decimals: 6
            })
        );
        let long = "X".repeat(65);
        for bad in ["BAD NAME", "", "\u{1b}[31m", long.as_str()] {
            assert_eq!(unit(&info(bad)), None, "{bad:?}");
        }
    }
}
