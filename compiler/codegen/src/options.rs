//! Which code-generation optimisations run. Each has a name (for `--disable NAME` and
//! listings); `-O0` turns them all off and gives the straightforward code.

/// One code-generation optimisation: its name and what it does.
pub const OPTIMISATIONS: [(&str, &str); 7] = [
    (
        "fast_approve",
        "approve inline with a one-word success check; quirky tokens take the shared slow path",
    ),
    (
        "fused_reads",
        "a call whose result is read once decodes only the word read, in scratch memory",
    ),
    (
        "error_stubs",
        "`Error(string)` reverts are built at run time from the message bytes",
    ),
    (
        "cond_jumps",
        "conditions jump on the value they compute, without `ISZERO ISZERO`",
    ),
    (
        "stack_vars",
        "variables first assigned at the top of the body live on the stack (DUP/SWAP, no memory)",
    ),
    (
        "selector_store",
        "call data whose only constant is the selector stores it with one MSTORE, no template",
    ),
    (
        "stack_consts",
        "constants the body pushes again and again are pushed once and copied with DUP",
    ),
];

/// The switches of code generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Force-approve through an inline fast path (see [`OPTIMISATIONS`]).
    pub fast_approve: bool,
    /// Fused "call, then read one word of its result".
    pub fused_reads: bool,
    /// `Error(string)` payloads built at run time.
    pub error_stubs: bool,
    /// Conditional jumps without redundant `ISZERO`s.
    pub cond_jumps: bool,
    /// A selector stored with one MSTORE when it is a call's only constant.
    pub selector_store: bool,
    /// Variables on the stack where possible.
    pub stack_vars: bool,
    /// Repeated constants pushed once, then copied with `DUPn`.
    pub stack_consts: bool,
}

impl Options {
    /// Every optimisation on (the default).
    pub const fn optimised() -> Options {
        Options {
            fast_approve: true,
            fused_reads: true,
            error_stubs: true,
            cond_jumps: true,
            selector_store: true,
            stack_vars: true,
            stack_consts: true,
        }
    }

    /// Every optimisation off (`-O0`).
    pub const fn none() -> Options {
        Options {
            fast_approve: false,
            fused_reads: false,
            error_stubs: false,
            cond_jumps: false,
            selector_store: false,
            stack_vars: false,
            stack_consts: false,
        }
    }

    /// Turns one optimisation off by name; false when no optimisation has that name.
    pub fn disable(&mut self, name: &str) -> bool {
        let flag = match name {
            "fast_approve" => &mut self.fast_approve,
            "fused_reads" => &mut self.fused_reads,
            "error_stubs" => &mut self.error_stubs,
            "cond_jumps" => &mut self.cond_jumps,
            "selector_store" => &mut self.selector_store,
            "stack_vars" => &mut self.stack_vars,
            "stack_consts" => &mut self.stack_consts,
            _ => return false,
        };
        *flag = false;
        true
    }
}

impl Default for Options {
    fn default() -> Self {
        Options::optimised()
    }
}
