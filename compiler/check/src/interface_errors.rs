//! Custom errors declared in an interface's braces: `error AllowanceExpired(uint256 deadline);`.
//!
//! They are never called; the driver lists them in the artifact so a dry run can decode
//! revert data that starts with their selector. Two errors of one name in one interface,
//! or an error named like one of its functions, are `E0202` (as in Solidity: errors are
//! not overloaded, and one name is one thing).

use std::collections::HashMap;

use crate::hir::ErrorDef;
use crate::scope::Checker;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

impl Checker<'_> {
    /// Checks an interface's error declarations; ones with an unknown type are dropped
    /// (the type is reported).
    pub(crate) fn declared_errors(
        &mut self,
        errors: &[ast::ErrorSig],
        functions: &[ast::FunctionSig],
    ) -> Vec<ErrorDef> {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut out = Vec::new();
        for e in errors {
            self.docs.insert(e.name.span, e.docs.clone());
            if let Some(f) = functions.iter().find(|f| f.name.name == e.name.name) {
                self.error(
                    Diagnostic::error(
                        "E0202",
                        format!(
                            "`{}` is both a function and an error of this interface",
                            e.name.name
                        ),
                    )
                    .with_primary(e.name.span, "declared as an error here")
                    .with_secondary(f.name.span, "declared as a function here")
                    .with_help("rename the error"),
                );
                continue;
            }
            if let Some(first) = seen.get(e.name.name.as_str()) {
                self.error(
                    Diagnostic::error(
                        "E0202",
                        format!("error `{}` is defined twice in this interface", e.name.name),
                    )
                    .with_primary(e.name.span, "defined again here")
                    .with_secondary(*first, "first defined here")
                    .with_note("errors are not overloaded: a name stands for one signature")
                    .with_help("remove one of them, or rename it"),
                );
                continue;
            }
            seen.insert(&e.name.name, e.name.span);
            let mut inputs = Vec::new();
            for p in &e.params {
                if let Some(t) = self.abi_type(&p.ty) {
                    inputs.push(t);
                }
            }
            if inputs.len() != e.params.len() {
                continue;
            }
            let names = e
                .params
                .iter()
                .map(|p| p.name.as_ref().map_or(String::new(), |n| n.name.clone()))
                .collect();
            out.push(ErrorDef::new(&e.name.name, inputs, names, e.name.span));
        }
        out
    }
}
