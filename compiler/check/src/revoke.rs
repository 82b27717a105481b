//! `revoke(CALL)`: revoking a permission that an earlier transaction granted.
//!
//! A script's own grants are revoked by the compiler; a hand-written revocation of one is
//! `W0402`. A permission the vault granted *before* this script (found by `nestc audit`, say)
//! is another matter: the script must revoke it explicitly, and says so with `revoke(…)`
//! around the revoking call. The call must be a known family's canonical revocation (by
//! selector, with a constant zero where the family's revocation has one), or the annotated
//! revocation of a granting function (`approve(spender, 0)` of
//! `#[grants(revoke = approve(spender, 0))]`). It becomes a plain call: no `W0402`, and no
//! new grant for the compiler to revoke.

use crate::hir::{self, ExprKind, Stmt, StmtKind};
use crate::scope::Checker;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

impl Checker<'_> {
    /// `revoke(CALL)` as a statement.
    pub(crate) fn revoke_stmt(&mut self, args: &[ast::Expr], span: Span) -> Option<Stmt> {
        let [inner] = args else {
            self.arity(span, "revoke", 1, args.len());
            return None;
        };
        let ast::ExprKind::Call {
            callee,
            options,
            args: call_args,
        } = &inner.kind
        else {
            self.not_a_revocation(inner.span, "not a call");
            return None;
        };
        let v = self.call(callee, options, call_args, inner.span, true);
        let ExprKind::Call(c) = &v.kind else {
            if !matches!(v.kind, ExprKind::Error) {
                self.not_a_revocation(inner.span, "not a call to an interface function");
            }
            return None;
        };
        if !self.revokes_a_known_grant(c) {
            let f = &self.interfaces[c.interface.0 as usize].functions[c.function];
            let what = format!("`{}` revokes no known permission", f.signature);
            self.not_a_revocation(inner.span, &what);
            return None;
        }
        Some(Stmt {
            kind: StmtKind::Expr(v),
            span,
        })
    }

    /// Whether the call is a canonical revocation: a known family's revoking function (by
    /// selector) with its zeros, or an annotated grant's own revocation.
    fn revokes_a_known_grant(&self, c: &hir::Call) -> bool {
        let f = &self.interfaces[c.interface.0 as usize].functions[c.function];
        let is_zero = |j: usize| {
            c.args
                .get(j)
                .is_some_and(|a| matches!(&a.kind, ExprKind::Word(w) if w.is_zero()))
        };
        if let Some(spec) = &f.grant {
            let own = spec.revoke_fn == c.function
                && spec.revoke_args.len() == c.args.len()
                && spec
                    .revoke_args
                    .iter()
                    .any(|ra| matches!(ra, hir::RevokeArg::Const(_)))
                && spec.revoke_args.iter().enumerate().all(|(j, ra)| match ra {
                    hir::RevokeArg::Param(i) => *i == j,
                    hir::RevokeArg::Const(w) => {
                        matches!(&c.args[j].kind, ExprKind::Word(x) if x == w)
                    }
                });
            if own {
                return true;
            }
        }
        nest_permissions::all_granting().any(|g| {
            g.revoke.selector() == f.selector
                && g.revoke.args.len() == c.args.len()
                && g.revoke
                    .args
                    .iter()
                    .enumerate()
                    .all(|(j, a)| *a != nest_permissions::Arg::Zero || is_zero(j))
        })
    }

    /// `E0412`: `revoke` around something that is not a known revocation.
    fn not_a_revocation(&mut self, at: Span, label: &str) {
        self.error(
            Diagnostic::error(
                "E0412",
                "`revoke` takes the call that revokes a known permission",
            )
            .with_primary(at, label.to_string())
            .with_note("`revoke(…)` ends a permission an earlier transaction granted; the call must be a permission family's canonical revocation, with its zero: `approve(spender, 0)`, `setApprovalForAll(operator, false)`, `approve(token, spender, 0, 0)` on Permit2, `revokeOperator(operator)`…")
            .with_help("write `revoke(TOKEN.approve(SPENDER, 0))` through an interface that declares the function; the script's own grants need no `revoke`: the compiler revokes them"),
        );
    }
}
