//! The emitter: assembly items, labels and the shared stubs they jump to.

use crate::layout::Layout;
use crate::options::Options;
use crate::stack_consts::Known;
use alloy_primitives::U256;
use nest_evm::{AsmItem, Label, Opcode, Program};
use nest_ir::Failure;
use std::collections::BTreeMap;

/// The shared stubs and subroutines, each created on first use and placed at the end.
#[derive(Default)]
pub(crate) struct Stubs {
    /// Failure stubs.
    pub failures: BTreeMap<Failure, Label>,
    /// Reverts with the last call's return data.
    pub bubble: Option<Label>,
    /// The force-approve subroutine.
    pub force_approve: Option<Label>,
    /// Its second entry: after the first try, for a caller that has just made it.
    pub force_approve_retry: Option<Label>,
    /// The revoke-journal subroutine.
    pub revoke_journal: Option<Label>,
    /// The shared tail of `Error(string)` stubs built at run time.
    pub error_tail: Option<Label>,
    /// The shared slow path of inline approvals.
    pub approve_slow: Option<Label>,
}

/// What lives on the stack of the script's body.
#[derive(Default)]
pub(crate) struct StackState {
    /// The stack's height in the script's body, when it is being tracked.
    pub height: crate::stack_vars::Height,
    /// Variables on the stack, with their slot (the height just after they were pushed)
    /// once assigned.
    pub vars: BTreeMap<nest_ir::Var, Option<usize>>,
    /// A stack variable was out of `DUP16`'s reach: the code is wrong and is discarded.
    pub too_deep: bool,
    /// Constants kept at the bottom of the body's stack, with their slot (the height
    /// just after each was pushed); see `stack_consts`.
    pub consts: Vec<(Known, usize)>,
}

/// The pass that only counts the body's pushes (see `stack_consts`), which emits nothing.
pub(crate) struct Counting {
    /// Whether items are recorded: false on the counting pass.
    pub emitting: bool,
    /// How many items were not recorded because nothing is emitted.
    pub items_skipped: usize,
    /// How often the body pushed each constant (to choose the stack constants); only
    /// counted when nothing is emitted.
    pub push_counts: crate::stack_consts::Counts,
}

/// Helper functions, compiled as subroutines.
#[derive(Default)]
pub(crate) struct Funcs {
    /// Entry labels, by index.
    pub labels: Vec<Label>,
    /// Result variables, by index.
    pub results: Vec<Option<nest_ir::Var>>,
    /// While generating a function body: the variable its `return` sets.
    pub current_result: Option<Option<nest_ir::Var>>,
}

/// Generates one program.
pub(crate) struct Gen {
    pub p: Program,
    pub layout: Layout,
    next_label: u32,
    /// Which optimisations are on.
    pub opts: Options,
    /// Shared stubs and subroutines.
    pub stubs: Stubs,
    /// The body's stack: its height, stack variables and constants.
    pub stack: StackState,
    /// The counting pass's state.
    pub counting: Counting,
    /// Helper functions.
    pub funcs: Funcs,
    /// Constant call targets proven to have code on every path to the current point (a
    /// call to one returned data, or passed a code check): later calls to them need no
    /// check of their own. Code cannot disappear within a transaction.
    pub proven: Vec<U256>,
    /// Variables only ever assigned constants (see `analysis::vars::constant_vars`).
    pub constant_vars: std::collections::BTreeSet<nest_ir::Var>,
}

impl Gen {
    pub(crate) fn new(layout: Layout, opts: Options) -> Self {
        Gen {
            p: Program::default(),
            layout,
            next_label: 0,
            opts,
            stubs: Stubs::default(),
            stack: StackState::default(),
            counting: Counting {
                emitting: true,
                items_skipped: 0,
                push_counts: Default::default(),
            },
            funcs: Funcs::default(),
            proven: Vec::new(),
            constant_vars: Default::default(),
        }
    }

    pub(crate) fn finish(self) -> Program {
        self.p
    }

    /// Records an item, unless this pass only counts.
    pub(crate) fn item(&mut self, item: AsmItem) {
        if self.counting.emitting {
            self.p.items.push(item);
        } else {
            self.counting.items_skipped += 1;
        }
    }

    pub(crate) fn op(&mut self, o: Opcode) {
        self.stack.height.op(o);
        self.item(AsmItem::Op(o));
    }

    pub(crate) fn ops(&mut self, os: &[Opcode]) {
        for o in os {
            self.op(*o);
        }
    }

    /// Pushes a constant: a `DUPn` of it when it is kept on the stack within reach.
    pub(crate) fn push(&mut self, v: U256) {
        if !self.dup_known(Known::Const(v)) {
            self.push_known(Known::Const(v));
        }
    }

    /// Pushes the code offset of a data blob (or a `DUPn` of it).
    pub(crate) fn push_data(&mut self, d: nest_evm::DataId) {
        if !self.dup_known(Known::Data(d)) {
            self.push_known(Known::Data(d));
        }
    }

    /// Pushes a label's code offset (or a `DUPn` of it).
    pub(crate) fn push_label(&mut self, l: Label) {
        if !self.dup_known(Known::Label(l)) {
            self.push_known(Known::Label(l));
        }
    }

    /// Counts a push in the body (on the counting pass) and emits a `DUPn` instead
    /// when the value is a stack constant within reach; false when it must be pushed.
    fn dup_known(&mut self, k: Known) -> bool {
        if !self.stack.height.tracking() {
            return false;
        }
        // Zero is never kept on the stack (`PUSH0` is as cheap as a `DUPn`).
        if !self.counting.emitting && k != Known::Const(U256::ZERO) {
            *self.counting.push_counts.entry(k).or_default() += 1;
        }
        let h = self.stack.height.get();
        let slot = self.stack.consts.iter().find(|(c, _)| *c == k).map(|c| c.1);
        match slot.map(|s| h + 1 - s).filter(|d| *d <= 16) {
            Some(depth) => {
                self.op(Opcode(0x7f + depth as u8));
                true
            }
            None => false,
        }
    }

    /// Pushes a value with a PUSH, always.
    pub(crate) fn push_known(&mut self, k: Known) {
        self.stack.height.pushed();
        self.item(match k {
            Known::Const(v) => AsmItem::Push(v),
            Known::Label(l) => AsmItem::PushLabel(l),
            Known::Data(d) => AsmItem::PushData(d),
        });
    }

    pub(crate) fn pushn(&mut self, v: u64) {
        self.push(U256::from(v));
    }

    pub(crate) fn new_label(&mut self) -> Label {
        self.next_label += 1;
        Label(self.next_label - 1)
    }

    pub(crate) fn place(&mut self, l: Label) {
        self.stack.height.place(l);
        self.item(AsmItem::Label(l));
    }

    pub(crate) fn jump(&mut self, l: Label) {
        self.push_label(l);
        self.op(Opcode::JUMP);
        self.stack.height.jumped_to(l);
    }

    pub(crate) fn jumpi(&mut self, l: Label) {
        self.push_label(l);
        self.op(Opcode::JUMPI);
        self.stack.height.jumped_to(l);
    }

    /// Marks the following code as shared by several call sites (source line 0):
    /// reports attribute what it does to the site that jumped into it.
    pub(crate) fn shared_code(&mut self) {
        self.item(AsmItem::Loc(nest_evm::SourceLoc {
            file: 0,
            line: 0,
            col: 0,
        }));
    }

    pub(crate) fn comment(&mut self, c: impl Into<String>) {
        if self.counting.emitting {
            self.p.items.push(AsmItem::Comment(c.into()));
        }
    }

    /// The stub label for a failure.
    pub(crate) fn failure(&mut self, f: Failure) -> Label {
        if let Some(l) = self.stubs.failures.get(&f) {
            return *l;
        }
        let l = self.new_label();
        self.stubs.failures.insert(f, l);
        l
    }

    /// Jumps to the failure stub when the top of the stack is non-zero (consumes it).
    pub(crate) fn fail_if(&mut self, f: Failure) {
        let l = self.failure(f);
        self.jumpi(l);
    }

    /// Records that a call's target has code here, if it is a constant.
    pub(crate) fn prove_code(&mut self, target: &nest_ir::Expr) {
        if let nest_ir::Expr::Const(a) = target {
            if !self.proven.contains(a) {
                self.proven.push(*a);
            }
        }
    }

    /// Whether a call's target is a constant proven to have code here.
    pub(crate) fn code_proven(&self, target: &nest_ir::Expr) -> bool {
        matches!(target, nest_ir::Expr::Const(a) if self.proven.contains(a))
    }

    pub(crate) fn bubble(&mut self) -> Label {
        match self.stubs.bubble {
            Some(l) => l,
            None => {
                let l = self.new_label();
                self.stubs.bubble = Some(l);
                l
            }
        }
    }
}
