//! Code generation: IR to EVM assembly for the HyVM.
//!
//! Expressions are evaluated on the stack; variables live in fixed memory words;
//! call data is built in one buffer from a constant template (copied from the data
//! section with one CODECOPY) patched with the run-time words; return data is
//! copied to a bump-allocated heap and validated against the output types.
//! Failures jump to shared stubs at the end of the code (`Error(string)`,
//! `Panic(uint256)`, bubbling a callee's revert data). Only opcodes in
//! [`nest_evm::nest_allowed`] are emitted.

mod call;
mod emit;
mod journal;
mod layout;
mod stmt;
mod stubs;

use nest_evm::Program;
use nest_ir::Module;

pub use layout::Layout;

/// Generates the assembly of a module (whose revocations have been inserted).
pub fn generate(m: &Module) -> Result<Program, String> {
    journal::check_bounds(m)?;
    let layout = Layout::of(m);
    let mut g = emit::Gen::new(layout);
    g.prologue(m);
    g.block(m, &m.body);
    // The body always ends in an exit (the verifier checks it); stubs follow.
    g.stubs(m);
    Ok(g.finish())
}
