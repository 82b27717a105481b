//! Nest semantic checking: syntax trees to a checked program.
//!
//! [`check`] loads the entry file and every module it imports (the standard library
//! is built in; other files come through a [`Resolver`], so no file system is
//! needed), resolves names, computes compile-time values (parameters, constants,
//! token amounts), and types every expression. It knows nothing of the EVM's
//! instructions or of the HyVM; its output is a [`hir::Program`].
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

pub mod abi;
mod abi_file;
mod expr;
mod expr_call;
mod expr_convert;
mod expr_literal;
mod expr_ops;
mod fns;
mod grants;
pub mod hir;
pub mod index;
mod index_record;
mod int_range;
mod interface_errors;
mod items;
pub mod known_grants;
pub mod literals;
mod memo;
mod modules;
mod parse_cache;
mod resolve_cache;
mod revoke;
mod scope;
mod std_imports;
pub mod stdlib;
mod stmt;
mod suggest;
#[cfg(test)]
mod test_util;
pub mod ty;
mod type_values;
mod unit_state;
mod units;
mod units_attr;
mod units_call;

use nest_diagnostics::{Diagnostic, SourceMap};

pub use modules::{join, normalize, MemoryResolver, Resolver};

/// What to check.
pub struct CheckInput<'a> {
    /// The entry file's display name (e.g. `examples/swap.ns`).
    pub name: &'a str,
    /// The entry file's text.
    pub text: &'a str,
    /// Loads files named by `use "./x.ns"` and `abi("x.json")`.
    pub resolver: &'a dyn Resolver,
    /// `--param NAME=VALUE` overrides, values written as in source.
    pub params: &'a [(String, String)],
    /// Whether every `param` must have a value (compiling and running); `check` does not.
    pub require_params: bool,
    /// Whether to build the semantic index ([`CheckOutput::index`]) for editors;
    /// compiling skips it (the index of the stdlib alone costs more than a small
    /// script's whole check). Diagnostics are the same either way.
    pub index: bool,
}

/// The result of checking: all sources read, the program when there were no
/// errors, and every diagnostic.
pub struct CheckOutput {
    /// Every file read, including stdlib modules and `--param` values.
    pub sources: SourceMap,
    /// The checked program, when no error was found.
    pub program: Option<hir::Program>,
    /// Errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// Every name met and what it refers to (for editors); empty unless
    /// [`CheckInput::index`] was set.
    pub index: index::Index,
}

/// Parses and checks a script and everything it imports.
pub fn check(input: &CheckInput<'_>) -> CheckOutput {
    // The trees are built and dropped inside: see `nest_syntax::with_stack`.
    nest_syntax::with_stack(|| check_on_stack(input))
}

fn check_on_stack(input: &CheckInput<'_>) -> CheckOutput {
    let mut checker = scope::Checker::new(input);
    let program = checker.run();
    let (sources, diagnostics, index) = checker.finish();
    let program = if nest_diagnostics::has_errors(&diagnostics) {
        None
    } else {
        program
    };
    CheckOutput {
        sources,
        program,
        diagnostics,
        index,
    }
}
