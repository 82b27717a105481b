//! Unrolling array-literal loops, within a budget.
//!
//! `for x in [a, b, c] { body }` becomes `x = a; body; x = b; body; x = c; body`.
//! Nested loops multiply: twenty nested loops over two elements make a million
//! copies of the innermost body. The IR nodes (statements and expression nodes)
//! produced by unrolling, summed over the whole program, may be at most
//! [`UNROLL_BUDGET`]; past it the outermost loop is refused with `E0506` and the
//! loops stop unrolling, so the work done is bounded by the budget plus one copy of
//! the innermost body (itself bounded by the source's size).

use nest_check::hir::{self, LocalId};
use nest_diagnostics::{Diagnostic, Span};
use nest_ir::visit::{walk_stmt, Visitor};
use nest_ir::{Block, Expr, Stmt};

use crate::{var, Lowerer};

/// The most IR nodes all unrolled copies of array-literal loops may add up to.
///
/// Measured on every script of the repository (examples, tests, the book's code
/// blocks): the most is 177 (`examples/rebalance_basket.ns`). 10,234 nodes (ten
/// nested loops over two elements) compile in 0.03 s to 11 KB of bytecode; the
/// budget allows about twice that.
pub(crate) const UNROLL_BUDGET: u64 = 20_000;

impl Lowerer<'_> {
    /// Lowers `for v in [elems…] { body }` by unrolling it into `out`.
    pub(crate) fn unroll(
        &mut self,
        span: Span,
        v: LocalId,
        elems: &[hir::Expr],
        body: &[hir::Stmt],
        out: &mut Block,
    ) {
        if self.unroll_refused {
            return;
        }
        let outermost = self.outermost_unroll.is_none();
        if outermost {
            // The loop's head: `for x in [a, b, c` (its body may be long).
            let head_end = elems
                .last()
                .map_or(span.end, |e| e.span.end.max(span.start));
            self.outermost_unroll = Some(Span {
                end: head_end,
                ..span
            });
        }
        for e in elems {
            if self.unroll_refused {
                break;
            }
            let before = self.unrolled;
            let mut copy = Vec::new();
            let x = self.expr(e);
            copy.push(Stmt::Set(var(v), x));
            let b = self.block(body);
            copy.extend(b);
            // Nested loops counted their own copies, which are part of this one.
            self.unrolled = before.saturating_add(block_size(&copy));
            out.extend(copy);
            if self.unrolled > UNROLL_BUDGET && !self.unroll_refused {
                self.unroll_refused = true;
                let at = self.outermost_unroll.unwrap_or(span);
                self.diags.push(too_large(at));
            }
        }
        if outermost {
            self.outermost_unroll = None;
        }
    }
}

/// `E0506`: unrolling would produce more than [`UNROLL_BUDGET`] IR nodes.
fn too_large(at: Span) -> Diagnostic {
    Diagnostic::error(
        "E0506",
        "unrolling this loop over an array literal makes the script too large",
    )
    .with_primary(at, "unrolled here")
    .with_note(format!(
        "a loop over an array literal is compiled as one copy of its body per element, \
         and nested loops multiply the copies; all unrolled copies in a script may make \
         at most {UNROLL_BUDGET} IR nodes (statements and expression nodes)"
    ))
    .with_help(
        "loop at run time over an index instead: `let xs = [a, b, c]` then \
         `for i in 0..3 { let x = xs[i] … }`",
    )
}

/// Statements and expression nodes in a block, nested blocks included.
pub(crate) fn block_size(b: &Block) -> u64 {
    b.iter().map(stmt_size).fold(0u64, u64::saturating_add)
}

fn stmt_size(s: &Stmt) -> u64 {
    let exprs = |es: &[&Expr]| -> u64 {
        es.iter()
            .map(|e| {
                let mut n = 0u64;
                e.walk(&mut |_| n += 1);
                n
            })
            .sum()
    };
    1 + match s {
        Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => exprs(&[e]),
        Stmt::If(c, t, e) => exprs(&[c])
            .saturating_add(block_size(t))
            .saturating_add(block_size(e)),
        Stmt::Loop { body, .. } => block_size(body),
        Stmt::ForceApprove {
            token,
            spender,
            amount,
        } => exprs(&[token, spender, amount]),
        Stmt::Return(vs) => exprs(&vs.iter().collect::<Vec<_>>()),
        Stmt::Loc(_)
        | Stmt::Fail(_)
        | Stmt::Grant(_)
        | Stmt::EndGrant(_)
        | Stmt::Revoke(_)
        | Stmt::Journal(_)
        | Stmt::JournalMark(_)
        | Stmt::RevokeJournal(_)
        | Stmt::Stop => 0,
    }
}

/// The most revocations static revocation may insert: grants times exits.
///
/// Without dynamic grants, `insert_revokes` revokes every grant held at an exit
/// right there, so 1,500 unrolled grants and 300 `return`s made 450,000 revocations
/// (24 s, 900 MB of memory, 16 MB of bytecode). The repository's scripts need at
/// most 6 (3 grants, 1 `return` and the end of the script).
pub(crate) const REVOCATION_BUDGET: u64 = 4_096;

impl Lowerer<'_> {
    /// Refuses (`E0507`) a module whose static revocations would exceed
    /// [`REVOCATION_BUDGET`]: grants (static ones; with a dynamic one the journal
    /// revokes in a loop) times exits (`return`s and the end of the script).
    pub(crate) fn bound_revocations(&mut self, body: &Block) {
        if self.unroll_refused || self.grants.is_empty() || self.grants.iter().any(|g| g.dynamic) {
            return;
        }
        let exits = exits(body).saturating_add(1);
        let grants = self.grants.len() as u64;
        if grants.saturating_mul(exits) <= REVOCATION_BUDGET {
            return;
        }
        // The first grant past the budget.
        let first_over = (REVOCATION_BUDGET / exits) as usize;
        let Some(&at) = self.grant_spans.get(first_over).or(self.grant_spans.last()) else {
            return;
        };
        self.diags.push(
            Diagnostic::error(
                "E0507",
                format!(
                    "revoking {grants} grants at each of {exits} exits makes the script too large"
                ),
            )
            .with_primary(at, "one grant too many")
            .with_note(format!(
                "every grant still held is revoked at every exit (each `return`, and the end \
                 of the script): grants times exits may be at most {REVOCATION_BUDGET}"
            ))
            .with_help(
                "grant once for the total amount, before any loop over an array literal; \
                 or put the grants in `with` blocks so that they end early; or return from \
                 fewer places",
            ),
        );
    }
}

/// The `return` statements in a block, nested blocks included (through the IR's
/// exhaustive walker, so a new kind of statement holding a block is counted too).
pub(crate) fn exits(b: &Block) -> u64 {
    struct Exits(u64);
    impl<'a> Visitor<'a> for Exits {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if matches!(s, Stmt::Return(_)) {
                self.0 = self.0.saturating_add(1);
            }
            walk_stmt(self, s);
        }
        // Expressions hold no statements.
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut count = Exits(0);
    count.visit_block(b);
    count.0
}
