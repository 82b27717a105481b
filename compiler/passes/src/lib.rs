//! IR passes: each a small type with a `name()` (also its `--emit` dump name and
//! test folder), run in a fixed order with the verifier after each.
//!
//! `insert_revokes` always runs: it establishes the safety invariant. The
//! optimisations after it (`const_fold`, `dce`) run unless the optimisation level is
//! 0 or they are disabled by name.
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

mod const_fold;
mod dce;
mod insert_revokes;

pub use const_fold::ConstFold;
pub use dce::Dce;
pub use insert_revokes::InsertRevokes;

use nest_ir::{verify, Module, VerifyError};

/// A transformation of the IR.
pub trait Pass {
    /// The pass's name, e.g. `insert_revokes`.
    fn name(&self) -> &'static str;
    /// Rewrites the module in place.
    fn run(&self, m: &mut Module);
}

/// The names of the optional passes, in the order they run.
pub const OPTIMISATIONS: [&str; 2] = ["const_fold", "dce"];

/// Which passes run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassOptions {
    /// Run the optional passes at all (`-O0` turns this off).
    pub optimise: bool,
    /// Optional passes not to run, by name.
    pub disabled: Vec<String>,
}

impl PassOptions {
    /// Every pass (the default).
    pub fn optimised() -> PassOptions {
        PassOptions {
            optimise: true,
            disabled: Vec::new(),
        }
    }

    /// Only the mandatory `insert_revokes` (`-O0`).
    pub fn none() -> PassOptions {
        PassOptions {
            optimise: false,
            disabled: Vec::new(),
        }
    }
}

/// The passes a compilation with these options runs, in order. `insert_revokes` is
/// never optional.
pub fn pipeline_with(opts: &PassOptions) -> Vec<Box<dyn Pass>> {
    let mut passes: Vec<Box<dyn Pass>> = vec![Box::new(InsertRevokes)];
    if opts.optimise {
        let optional: [Box<dyn Pass>; 2] = [Box::new(ConstFold), Box::new(Dce)];
        passes.extend(
            optional
                .into_iter()
                .filter(|p| !opts.disabled.iter().any(|d| d == p.name())),
        );
    }
    passes
}

/// The passes every default compilation runs, in order.
pub fn pipeline() -> Vec<Box<dyn Pass>> {
    pipeline_with(&PassOptions::optimised())
}

/// Runs the default pipeline, verifying after each pass. A verifier failure is a
/// compiler bug: it is returned (never ignored) so the driver refuses to emit code.
pub fn run_all(m: &mut Module) -> Result<(), (String, VerifyError)> {
    run_with(m, &PassOptions::optimised())
}

/// Runs the pipeline for these options, verifying the lowered module and the output
/// of every pass.
pub fn run_with(m: &mut Module, opts: &PassOptions) -> Result<(), (String, VerifyError)> {
    verify(m, false).map_err(|e| ("lower".to_string(), e))?;
    let mut revoked = false;
    for p in pipeline_with(opts) {
        p.run(m);
        revoked |= p.name() == "insert_revokes";
        verify(m, revoked).map_err(|e| (p.name().to_string(), e))?;
    }
    Ok(())
}
