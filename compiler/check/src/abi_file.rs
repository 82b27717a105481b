//! Interfaces read from JSON ABI files: `interface IPool = abi("abi/pool.json")`.
//!
//! The file is a JSON ABI as solc and explorers emit it (an array), or a build
//! artifact holding one under `"abi"` (Foundry, Hardhat). Functions come in a
//! deterministic order (by name, then signature). A JSON file cannot carry
//! `#[grants]`: known permission-granting functions (by selector, from
//! `nest_permissions`) get their family's canonical revocation (`approve(spender, 0)`,
//! `setApprovalForAll(operator, false)`, …); one whose revoking function the ABI lacks
//! is an error, and so is a function whose selector collides with a known grant's
//! under another signature. `view`/`pure` functions cannot grant; the others are
//! unclassified unless the interface is annotated `#[grants(none)]`. The file's custom errors
//! (`"type": "error"`) come along, sorted the same way, for the dry run to decode.

use crate::hir::{ErrorDef, FunctionDef};
use crate::known_grants::{default_revocation, is_erc721_approve, known_grant, what};
use crate::scope::Checker;
use alloy_dyn_abi::Specifier;
use alloy_json_abi::{JsonAbi, StateMutability};
use nest_diagnostics::Diagnostic;
use nest_syntax::ast;

impl Checker<'_> {
    /// Reads and converts an ABI file (its functions and its custom errors); reports
    /// problems at the path literal.
    pub(crate) fn abi_file_interface(
        &mut self,
        lit: &ast::StrLit,
        grants_none: bool,
    ) -> (Vec<FunctionDef>, Vec<ErrorDef>) {
        let importer = self.modules[self.current].name.clone();
        if let Some((label, help)) = crate::modules::refused(&lit.value, "json", "./abi/pool.json")
        {
            self.error(
                Diagnostic::error("E0602", format!("cannot read the ABI file `{}`", lit.value))
                    .with_primary(lit.span, label)
                    .with_note("ABI files are JSON files relative to the file that declares the interface; this one is not read")
                    .with_help(help),
            );
            return (Vec::new(), Vec::new());
        }
        let text = match self.input.resolver.load(&importer, &lit.value) {
            Ok((_, text)) => text,
            Err(why) => {
                self.error(
                    Diagnostic::error("E0602", format!("cannot read `{}`", lit.value))
                        .with_primary(lit.span, why)
                        .with_help("paths are relative to the file that declares the interface"),
                );
                return (Vec::new(), Vec::new());
            }
        };
        let abi = match parse_abi(&text) {
            Ok(a) => a,
            Err(why) => {
                self.error(
                    Diagnostic::error("E0608", format!("`{}` is not a JSON ABI", lit.value))
                        .with_primary(lit.span, why)
                        .with_help("give the ABI array that solc (`--abi`) or an explorer emits, or a build artifact with an `abi` field"),
                );
                return (Vec::new(), Vec::new());
            }
        };
        let mut out = self.abi_file_functions(&abi, lit);
        self.abi_file_grants(&mut out, lit, grants_none);
        let errors = self.abi_file_errors(&abi, lit);
        (out, errors)
    }

    /// The functions of an ABI, by name then signature; one with a type Nest cannot
    /// read is an error.
    fn abi_file_functions(&mut self, abi: &JsonAbi, lit: &ast::StrLit) -> Vec<FunctionDef> {
        let mut funcs: Vec<&alloy_json_abi::Function> = abi.functions().collect();
        funcs.sort_by(|a, b| {
            (a.name.as_str(), a.signature()).cmp(&(b.name.as_str(), b.signature()))
        });
        let mut out = Vec::new();
        for f in funcs {
            let inputs: Result<Vec<_>, _> = f.inputs.iter().map(|p| p.resolve()).collect();
            let outputs: Result<Vec<_>, _> = f.outputs.iter().map(|p| p.resolve()).collect();
            let (Ok(inputs), Ok(outputs)) = (inputs, outputs) else {
                self.error(
                    Diagnostic::error("E0608", format!("`{}` has a type Nest cannot read in `{}`", lit.value, f.name))
                        .with_primary(lit.span, "unsupported ABI type")
                        .with_help("remove the function from the ABI, or declare the interface with Solidity signatures"),
                );
                continue;
            };
            let signature = f.signature();
            out.push(FunctionDef {
                name: f.name.clone(),
                selector: f.selector().0,
                signature,
                inputs,
                input_names: f.inputs.iter().map(|p| p.name.clone()).collect(),
                outputs,
                output_names: f.outputs.iter().map(|p| p.name.clone()).collect(),
                is_view: matches!(
                    f.state_mutability,
                    StateMutability::View | StateMutability::Pure
                ),
                is_payable: f.state_mutability == StateMutability::Payable,
                grant: None,
                grants_none: false,
                input_fields: f
                    .inputs
                    .iter()
                    .map(|p| p.components.iter().map(|c| c.name.clone()).collect())
                    .collect(),
                units: Vec::new(),
                span: lit.span,
            });
        }
        out
    }

    /// What the functions read from an ABI file grant: known grants (by selector) their
    /// family's canonical revocation; the others nothing only under `#[grants(none)]`.
    fn abi_file_grants(&mut self, out: &mut [FunctionDef], lit: &ast::StrLit, grants_none: bool) {
        // Known grants (by selector) get their family's canonical revocation; the
        // other state-changing functions grant nothing only if the interface says so.
        for i in 0..out.len() {
            let Some(g) = known_grant(out[i].selector) else {
                out[i].grants_none = grants_none && !out[i].is_view;
                continue;
            };
            if g.signature != out[i].signature {
                self.error(
                    Diagnostic::error(
                        "E0406",
                        format!(
                            "`{}` in `{}` has the selector of `{}`, a known permission grant",
                            out[i].signature, lit.value, g.signature
                        ),
                    )
                    .with_primary(lit.span, format!("read from this ABI file (selector 0x{})", crate::grants::hex4(out[i].selector)))
                    .with_note(format!("a contract dispatches on the 4-byte selector only: calling this function calls `{}`, which grants {}", g.signature, what(g)))
                    .with_help("remove the function from the ABI file"),
                );
                continue;
            }
            // ERC-721 per-token approvals are refused where they are called.
            if is_erc721_approve(&out[i], out) {
                continue;
            }
            match default_revocation(g, out) {
                Some(spec) => out[i].grant = Some(spec),
                None => self.error(
                    Diagnostic::error(
                        "E0401",
                        format!("`{}` in `{}` grants {}, and the ABI has no function to revoke it", out[i].signature, lit.value, what(g)),
                    )
                    .with_primary(lit.span, "read from this ABI file")
                    .with_note(format!("the compiler revokes every permission a script grants before it ends; it revokes this one with `{}`", g.revoke.signature))
                    .with_help("declare the interface with Solidity signatures and a `#[grants(revoke = …)]` annotation"),
                ),
            }
        }
    }

    /// The custom errors of an ABI, by name then signature; one with a type Nest cannot
    /// read is an error, like a function's.
    fn abi_file_errors(&mut self, abi: &JsonAbi, lit: &ast::StrLit) -> Vec<ErrorDef> {
        let mut errors: Vec<&alloy_json_abi::Error> = abi.errors().collect();
        errors.sort_by(|a, b| {
            (a.name.as_str(), a.signature()).cmp(&(b.name.as_str(), b.signature()))
        });
        let mut out = Vec::new();
        for e in errors {
            let Ok(inputs) = e
                .inputs
                .iter()
                .map(|p| p.resolve())
                .collect::<Result<Vec<_>, _>>()
            else {
                self.error(
                    Diagnostic::error("E0608", format!("`{}` has a type Nest cannot read in error `{}`", lit.value, e.name))
                        .with_primary(lit.span, "unsupported ABI type")
                        .with_help("remove the error from the ABI, or declare the interface with Solidity signatures"),
                );
                continue;
            };
            let names = e.inputs.iter().map(|p| p.name.clone()).collect();
            out.push(ErrorDef::new(&e.name, inputs, names, lit.span));
        }
        out
    }
}

/// An ABI array, or an artifact object with an `abi` field.
fn parse_abi(text: &str) -> Result<JsonAbi, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let abi = match v {
        serde_json::Value::Array(_) => v,
        serde_json::Value::Object(mut o) => {
            o.remove("abi").ok_or("an object without an `abi` field")?
        }
        _ => return Err("expected a JSON array or object".into()),
    };
    serde_json::from_value(abi).map_err(|e| format!("invalid ABI: {e}"))
}
