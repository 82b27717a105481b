//! What the compiler tells a dry run: [`RunContext`], to name and locate things in the
//! report. The devnet knows nothing of Nest; this is all of the compiler that reaches it.

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
    pub return_units: Vec<Option<crate::amount::Unit>>,
    /// The script's helper functions: entry pc and name (the artifact's `functions`). A
    /// failure inside one is reported with the place it was called from.
    pub functions: Vec<(usize, String)>,
    /// The payload is the compiler's own output (`from_artifact` sets it): where it depends
    /// on the environment, the script says so (`block.timestamp` in a `require`), so the
    /// report does not warn of it. Left `false` for a payload from elsewhere
    /// (`nestc run --bytecode`), whose dependence on the environment is warned of.
    pub compiled: bool,
}

impl RunContext {
    /// Everything a compiler artifact (the JSON of `nestc compile --emit artifact`, see
    /// `toolchain.md`) tells a dry run: its source map, the functions it calls and its
    /// interfaces' custom errors, its return types and its helper functions. Missing or
    /// malformed fields are left empty: the run still happens, with less to name things by.
    pub fn from_artifact(artifact: &serde_json::Value) -> RunContext {
        let list = |field: &str| {
            artifact[field]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .to_vec()
        };
        let text = |v: &serde_json::Value, field: &str| v[field].as_str().map(str::to_string);
        let at = |v: &serde_json::Value, field: &str| {
            Some((v["pc"].as_u64()? as usize, text(v, field)?))
        };
        RunContext {
            source_map: list("source_map")
                .iter()
                .filter_map(|e| at(e, "location"))
                .collect(),
            signatures: list("calls")
                .iter()
                .filter_map(|c| text(c, "signature"))
                .chain(list("errors").iter().filter_map(|e| text(e, "declaration")))
                .collect(),
            return_types: list("return_types")
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect(),
            return_units: crate::amount::Unit::list_from_artifact(&artifact["return_units"]),
            functions: list("functions")
                .iter()
                .filter_map(|f| at(f, "name"))
                .collect(),
            compiled: true,
        }
    }
}
