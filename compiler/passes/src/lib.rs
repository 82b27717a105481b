//! IR passes: each a small type with a `name()` (also its `--emit` dump name and
//! test folder), run in a fixed order with the verifier after each in tests and
//! debug builds.

mod insert_revokes;

pub use insert_revokes::InsertRevokes;

use nest_ir::{verify, Module, VerifyError};

/// A transformation of the IR.
pub trait Pass {
    /// The pass's name, e.g. `insert_revokes`.
    fn name(&self) -> &'static str;
    /// Rewrites the module in place.
    fn run(&self, m: &mut Module);
}

/// The passes every compilation runs, in order. `insert_revokes` is not optional:
/// it establishes the safety invariant the verifier checks.
pub fn pipeline() -> Vec<Box<dyn Pass>> {
    vec![Box::new(InsertRevokes)]
}

/// Runs the pipeline, verifying after each pass. A verifier failure is a compiler
/// bug: it is returned (never ignored) so the driver refuses to emit code.
pub fn run_all(m: &mut Module) -> Result<(), (String, VerifyError)> {
    verify(m, false).map_err(|e| ("lower".to_string(), e))?;
    let mut revoked = false;
    for p in pipeline() {
        p.run(m);
        revoked |= p.name() == "insert_revokes";
        verify(m, revoked).map_err(|e| (p.name().to_string(), e))?;
    }
    Ok(())
}
