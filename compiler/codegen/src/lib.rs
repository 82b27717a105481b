//! Code generation: IR to EVM assembly for the HyVM.
//!
//! Expressions are evaluated on the stack; variables live in fixed memory words;
//! call data is built in one buffer from a constant template (copied from the data
//! section with one CODECOPY) patched with the run-time words; return data is
//! copied to a bump-allocated heap and validated against the output types.
//! Failures jump to shared stubs at the end of the code (`Error(string)`,
//! `Panic(uint256)`, bubbling a callee's revert data). Only opcodes in
//! [`nest_evm::nest_allowed`] are emitted.
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

mod abi_decode;
mod abi_encode;
mod abi_stack;
mod analysis;
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
use nest_ir::{Module, Var};
use std::collections::BTreeSet;

pub use analysis::journal_size::{journal_overflow, JournalOverflow, MAX_ENTRIES};
pub use layout::{Layout, Region};
pub use options::{Options, OPTIMISATIONS};
pub use stubs::{JOURNAL_FULL, SELF_CALL};

/// Generates the assembly of a module (whose revocations have been inserted), with
/// every optimisation on.
pub fn generate(m: &Module) -> Result<Program, String> {
    generate_with(m, &Options::optimised())
}

/// Generates the assembly of a module with the given optimisations.
pub fn generate_with(m: &Module, opts: &Options) -> Result<Program, String> {
    analysis::journal_size::check_bounds(m)?;
    let layout = Layout::of(m, opts);
    let on_stack = if opts.stack_vars {
        analysis::vars::select(m)
    } else {
        Default::default()
    };
    let mut capacity = 0;
    if opts.stack_consts {
        let (counts, body_items) = count_pushes(m, opts, layout, &on_stack);
        // The body is most of the code: room for it and a quarter more saves growing
        // the item list again and again.
        capacity = body_items + body_items / 4;
        let consts = stack_consts::choose(&counts);
        if !consts.is_empty() {
            if let Some(p) = generate_once(m, opts, layout, &on_stack, &consts, capacity) {
                return Ok(p);
            }
        }
    }
    if let Some(p) = generate_once(m, opts, layout, &on_stack, &[], capacity) {
        return Ok(p);
    }
    generate_once(m, opts, layout, &Default::default(), &[], capacity)
        .ok_or_else(|| "a value is out of the stack's reach".to_string())
}

/// Starts a generation: the prologue, then the script's body, with these variables and
/// constants on the stack. With `emit`, items are recorded (with room for that many);
/// without, only pushes are counted.
fn generate_body(
    m: &Module,
    opts: &Options,
    layout: Layout,
    on_stack: &BTreeSet<Var>,
    consts: &[stack_consts::Known],
    emit: Option<usize>,
) -> emit::Gen {
    let mut g = emit::Gen::new(layout, *opts);
    g.counting.emitting = emit.is_some();
    g.p.items.reserve(emit.unwrap_or(0));
    g.stack.vars = on_stack.iter().map(|v| (*v, None)).collect();
    g.constant_vars = analysis::vars::constant_vars(m);
    g.stack.height.start();
    g.prologue(m, consts);
    g.funcs.labels = (0..m.functions.len()).map(|_| g.new_label()).collect();
    g.funcs.results = m.functions.iter().map(|f| f.result).collect();
    g.block(m, &m.body);
    g.stack.height.stop();
    g
}

/// How often the body pushes each constant when none is kept on the stack, and how
/// many items the body has: the body alone, generated without recording any item
/// (functions and stubs always push, so they are not counted).
fn count_pushes(
    m: &Module,
    opts: &Options,
    layout: Layout,
    on_stack: &BTreeSet<Var>,
) -> (stack_consts::Counts, usize) {
    let g = generate_body(m, opts, layout, on_stack, &[], None);
    (g.counting.push_counts, g.counting.items_skipped)
}

/// One attempt with these variables and constants on the stack; no program if a
/// variable was out of reach.
fn generate_once(
    m: &Module,
    opts: &Options,
    layout: Layout,
    on_stack: &BTreeSet<Var>,
    consts: &[stack_consts::Known],
    capacity: usize,
) -> Option<Program> {
    let mut g = generate_body(m, opts, layout, on_stack, consts, Some(capacity));
    // The body always ends in an exit (the verifier checks it); functions and
    // stubs follow.
    g.functions(m);
    g.stubs(m);
    (!g.stack.too_deep).then(|| g.finish())
}
