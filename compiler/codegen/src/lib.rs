//! Code generation: IR to EVM assembly for the HyVM.
//!
//! Expressions are evaluated on the stack; variables live in fixed memory words;
//! call data is built in one buffer from a constant template (copied from the data
//! section with one CODECOPY) patched with the run-time words; return data is
//! copied to a bump-allocated heap and validated against the output types.
//! Failures jump to shared stubs at the end of the code (`Error(string)`,
//! `Panic(uint256)`, bubbling a callee's revert data). Only opcodes in
//! [`nest_evm::nest_allowed`] are emitted.

mod abi_decode;
mod abi_encode;
mod abi_stack;
mod approve;
mod call;
mod emit;
mod functions;
mod fused;
mod journal;
mod layout;
mod options;
mod signed;
mod stack_consts;
mod stack_vars;
mod stmt;
mod stubs;

use nest_evm::Program;
use nest_ir::Module;

pub use abi_decode::MALFORMED_RETURN;
pub use journal::{journal_overflow, JournalOverflow, MAX_ENTRIES};
pub use layout::Layout;
pub use options::{Options, OPTIMISATIONS};

/// Generates the assembly of a module (whose revocations have been inserted), with
/// every optimisation on.
pub fn generate(m: &Module) -> Result<Program, String> {
    generate_with(m, &Options::optimised())
}

/// Generates the assembly of a module with the given optimisations.
pub fn generate_with(m: &Module, opts: &Options) -> Result<Program, String> {
    journal::check_bounds(m)?;
    let on_stack = if opts.stack_vars {
        stack_vars::select(m)
    } else {
        Default::default()
    };
    let (first, counts) = generate_once(m, opts, &on_stack, &[]);
    if opts.stack_consts {
        let consts = stack_consts::choose(&counts);
        if !consts.is_empty() {
            if let (Some(p), _) = generate_once(m, opts, &on_stack, &consts) {
                return Ok(p);
            }
        }
    }
    if let Some(p) = first {
        return Ok(p);
    }
    generate_once(m, opts, &Default::default(), &[])
        .0
        .ok_or_else(|| "a value is out of the stack's reach".to_string())
}

/// One attempt with these variables and constants on the stack; no program if a
/// variable was out of reach. Also returns how often the body pushed each constant.
fn generate_once(
    m: &Module,
    opts: &Options,
    on_stack: &std::collections::BTreeSet<nest_ir::Var>,
    consts: &[stack_consts::Known],
) -> (
    Option<Program>,
    std::collections::HashMap<stack_consts::Known, usize>,
) {
    let layout = Layout::of(m, opts);
    let mut g = emit::Gen::new(layout, *opts);
    g.stack_vars = on_stack.iter().map(|v| (*v, None)).collect();
    g.stack.start();
    g.prologue(m, consts);
    g.fn_labels = (0..m.functions.len()).map(|_| g.new_label()).collect();
    g.fn_results = m.functions.iter().map(|f| f.result).collect();
    g.block(m, &m.body);
    g.stack.stop();
    // The body always ends in an exit (the verifier checks it); functions and
    // stubs follow.
    g.functions(m);
    g.stubs(m);
    let counts = std::mem::take(&mut g.push_counts);
    ((!g.too_deep).then(|| g.finish()), counts)
}
