//! Checking statements and the script's body.

use crate::hir::{self, ExprKind, Grant, Stmt, StmtKind};
use crate::scope::Checker;
use crate::ty::Type;
use alloy_primitives::U256;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;
use std::collections::HashMap;

impl Checker<'_> {
    /// Checks the top-level statements of module `m` (the script's body). Statements
    /// in imported modules are errors.
    pub(crate) fn check_body(&mut self, m: usize) -> Vec<Stmt> {
        for other in 1..self.modules.len() {
            let stray = self.modules[other]
                .ast
                .items
                .iter()
                .find_map(|i| match &i.kind {
                    ast::ItemKind::Stmt(s) => Some(s.span),
                    _ => None,
                });
            if let Some(span) = stray {
                self.error(
                    Diagnostic::error("E0607", "an imported module cannot contain statements")
                        .with_primary(span, "statements run only in the main script")
                        .with_help("keep tokens, interfaces and constants in modules; move statements to the script"),
                );
            }
        }
        let ast = std::sync::Arc::clone(&self.modules[m].ast);
        let stmts = ast.items.iter().filter_map(|i| match &i.kind {
            ast::ItemKind::Stmt(s) => Some(s),
            _ => None,
        });
        self.local_scopes.push(HashMap::new());
        let out = self.check_stmts(stmts);
        self.local_scopes.pop();
        out
    }

    /// Checks statements in a new scope (function bodies).
    pub(crate) fn check_block_stmts(&mut self, stmts: &[ast::Stmt]) -> Vec<Stmt> {
        self.local_scopes.push(HashMap::new());
        let out = self.check_stmts(stmts);
        self.local_scopes.pop();
        out
    }

    fn check_block(&mut self, b: &ast::Block) -> Vec<Stmt> {
        if self.depth >= crate::expr::MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.error(
                    Diagnostic::error(
                        "E0325",
                        format!(
                            "this is nested more than {} levels deep",
                            crate::expr::MAX_DEPTH
                        ),
                    )
                    .with_primary(b.span, "too deeply nested")
                    .with_help("split it into helper functions"),
                );
            }
            return Vec::new();
        }
        self.depth += 1;
        let out = self.check_block_scoped(b);
        self.depth -= 1;
        out
    }

    fn check_block_scoped(&mut self, b: &ast::Block) -> Vec<Stmt> {
        self.local_scopes.push(HashMap::new());
        let out = self.check_stmts(&b.stmts);
        self.local_scopes.pop();
        out
    }

    fn check_stmts<'s>(&mut self, stmts: impl IntoIterator<Item = &'s ast::Stmt>) -> Vec<Stmt> {
        let mut out = Vec::new();
        let mut returned: Option<Span> = None;
        for s in stmts {
            if let Some(r) = returned {
                self.error(
                    Diagnostic::error("E0318", "unreachable statement")
                        .with_primary(s.span, "never runs")
                        .with_secondary(r, "the script returns here")
                        .with_help("remove it, or move it before the `return`"),
                );
                break;
            }
            if let Some(st) = self.check_stmt(s) {
                if matches!(st.kind, StmtKind::Return(_) | StmtKind::Revert(_)) {
                    returned = Some(s.span);
                }
                out.push(st);
            }
        }
        out
    }

    fn check_stmt(&mut self, s: &ast::Stmt) -> Option<Stmt> {
        let span = s.span;
        let kind = match &s.kind {
            ast::StmtKind::Let {
                mutable,
                name,
                ty,
                value,
            } => self.let_stmt(*mutable, name, ty.as_ref(), value),
            ast::StmtKind::Assign { target, op, value } => {
                self.assign_stmt(target, *op, value, span)?
            }
            ast::StmtKind::If { cond, then, els } => self.if_stmt(cond, then, els.as_ref()),
            ast::StmtKind::For { var, iter, body } => self.for_stmt(var, iter, body),
            ast::StmtKind::With { grant, body } => {
                let g = self.grant_of(grant, true)?;
                self.nesting += 1;
                let b = self.check_block(body);
                self.nesting -= 1;
                StmtKind::With(g, b)
            }
            ast::StmtKind::Return(values) if self.current_fn.is_some() => {
                self.fn_return(values, span)
            }
            ast::StmtKind::Return(values) => self.script_return(values, span),
            ast::StmtKind::Expr(e) => return self.expr_stmt(e, span),
            ast::StmtKind::Error => return None,
        };
        Some(Stmt { kind, span })
    }

    /// `let [mut] name[: T] = value`.
    fn let_stmt(
        &mut self,
        mutable: bool,
        name: &ast::Ident,
        ty: Option<&ast::TypeExpr>,
        value: &ast::Expr,
    ) -> StmtKind {
        let declared = ty.map(|t| self.nest_type(t));
        let v = self.check_expr(value, declared.as_ref());
        let v = match &declared {
            Some(t) => self.coerce(v, t),
            None => v,
        };
        if v.ty == Type::Unit {
            self.error(
                Diagnostic::error("E0319", format!("`{}` would have no value", name.name))
                    .with_primary(value.span, "this call returns nothing"),
            );
        }
        let id = self.declare_local(name, v.ty.clone(), mutable);
        self.remember_local(id, &v, mutable);
        if !mutable && self.is_self(&v) {
            self.self_locals.insert(id);
        }
        StmtKind::Let(id, v)
    }

    /// `target = value`, `target += value`, …: `target` a mutable local; a compound
    /// assignment is checked as `target = target op value`.
    fn assign_stmt(
        &mut self,
        target: &ast::Expr,
        op: ast::AssignOp,
        value: &ast::Expr,
        span: Span,
    ) -> Option<StmtKind> {
        let ast::ExprKind::Ident(name) = &target.kind else {
            self.error(
                Diagnostic::error("E0320", "only variables can be assigned")
                    .with_primary(target.span, "not a variable"),
            );
            return None;
        };
        let Some(id) = self.lookup_local(&name.name) else {
            self.error(
                Diagnostic::error("E0201", format!("cannot find variable `{}`", name.name))
                    .with_primary(name.span, "not a local variable")
                    .with_help("declare it first with `let mut`"),
            );
            return None;
        };
        let local = self.locals[id.0 as usize].clone();
        if !local.mutable {
            self.error(
                Diagnostic::error("E0320", format!("cannot assign twice to `{}`", name.name))
                    .with_primary(target.span, "assigned here")
                    .with_secondary(local.span, "declared immutable here")
                    .with_help(format!("make it mutable: `let mut {}`", name.name)),
            );
        }
        let bin = match op {
            ast::AssignOp::Set => None,
            ast::AssignOp::Add => Some(ast::BinaryOp::Add),
            ast::AssignOp::Sub => Some(ast::BinaryOp::Sub),
            ast::AssignOp::Mul => Some(ast::BinaryOp::Mul),
        };
        let v = match bin {
            None => self.check_expr(value, Some(&local.ty)),
            Some(op) => {
                let synthetic = ast::Expr {
                    kind: ast::ExprKind::Binary {
                        op,
                        lhs: Box::new(target.clone()),
                        rhs: Box::new(value.clone()),
                    },
                    span,
                };
                self.check_expr(&synthetic, Some(&local.ty))
            }
        };
        let v = self.coerce(v, &local.ty);
        Some(StmtKind::Assign(id, v))
    }

    /// `if cond { … } else { … }`.
    fn if_stmt(
        &mut self,
        cond: &ast::Expr,
        then: &ast::Block,
        els: Option<&ast::Block>,
    ) -> StmtKind {
        let c = self.check_expr(cond, Some(&Type::Bool));
        let c = self.coerce(c, &Type::Bool);
        self.nesting += 1;
        let t = self.check_block(then);
        let e = els.map(|b| self.check_block(b)).unwrap_or_default();
        self.nesting -= 1;
        StmtKind::If(c, t, e)
    }

    /// `for var in start..end { … }` or `for var in [a, b, …] { … }`.
    fn for_stmt(&mut self, var: &ast::Ident, iter: &ast::ForIter, body: &ast::Block) -> StmtKind {
        self.nesting += 1;
        let kind = match iter {
            ast::ForIter::Range { start, end } => self.for_range(var, start, end, body),
            ast::ForIter::Array(arr) => self.for_array(var, arr, body),
        };
        self.nesting -= 1;
        kind
    }

    /// `for var in start..end`: bounds known at compile time.
    fn for_range(
        &mut self,
        var: &ast::Ident,
        start: &ast::Expr,
        end: &ast::Expr,
        body: &ast::Block,
    ) -> StmtKind {
        let a = self.const_bound(start);
        let b = self.const_bound(end);
        self.local_scopes.push(HashMap::new());
        let v = self.declare_local(var, Type::U256, false);
        let body = self.check_block(body);
        self.local_scopes.pop();
        StmtKind::ForRange {
            var: v,
            start: a.unwrap_or_default(),
            end: b.unwrap_or_default(),
            body,
        }
    }

    /// `for var in [a, b, …]`: an array literal, unrolled; a loop over tokens (or over
    /// the vault itself) keeps what its variable is.
    fn for_array(&mut self, var: &ast::Ident, arr: &ast::Expr, body: &ast::Block) -> StmtKind {
        let a = self.check_expr(arr, None);
        let (elems, ty) = match (a.kind, a.ty) {
            (ExprKind::Array(elems), Type::Array(t, _)) => (elems, *t),
            (ExprKind::Error, _) => (Vec::new(), Type::Error),
            _ => {
                self.error(
                    Diagnostic::error("E0321", "`for` loops over an array literal or a range")
                        .with_primary(arr.span, "its length is not known at compile time")
                        .with_help(
                            "write the elements: `for t in [USDC, DAI] { … }`, or a range `0..n`",
                        ),
                );
                (Vec::new(), Type::Error)
            }
        };
        self.local_scopes.push(HashMap::new());
        let v = self.declare_local(var, ty, false);
        if !elems.is_empty() && elems.iter().all(|e| self.is_token(e)) {
            self.token_locals.insert(v);
        }
        if !elems.is_empty() && elems.iter().all(|e| self.is_self(e)) {
            self.self_locals.insert(v);
        }
        let body = self.check_block(body);
        self.local_scopes.pop();
        StmtKind::ForArray {
            var: v,
            elems,
            body,
        }
    }

    /// `return` in a helper function: one value of the declared return type, or none.
    fn fn_return(&mut self, values: &[ast::Expr], span: Span) -> StmtKind {
        let want = self.fn_return_type().flatten();
        match (values, want) {
            ([], None) => StmtKind::Return(Vec::new()),
            ([v], Some(t)) => {
                let x = self.check_expr(v, Some(&t));
                StmtKind::Return(vec![self.coerce(x, &t)])
            }
            (vs, t) => {
                let what = match &t {
                    Some(t) => format!("one value of type `{}`", self.type_name(t)),
                    None => "no value".to_string(),
                };
                let help = match &t {
                    Some(Type::Tuple(ts, _)) if ts.len() == vs.len() => {
                        "return the values as one tuple: `return (a, b)`".to_string()
                    }
                    Some(_) if vs.is_empty() => "return a value of that type: `return x`".to_string(),
                    Some(_) => "return one value: a function returns one value, which may be a tuple `(a, b)` declared as `-> (T1, T2)`".to_string(),
                    None => "remove the value, or declare it: `fn f() -> T`".to_string(),
                };
                self.error(
                    Diagnostic::error("E0322", format!("this function returns {what}"))
                        .with_primary(span, format!("returns {} value(s)", vs.len()))
                        .with_help(help),
                );
                StmtKind::Return(Vec::new())
            }
        }
    }

    /// `return a, b` in the script: every `return` returns as many values as the first,
    /// each of the first one's type once known.
    fn script_return(&mut self, values: &[ast::Expr], span: Span) -> StmtKind {
        let vs: Vec<hir::Expr> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let want = self
                    .return_types
                    .as_ref()
                    .and_then(|(t, _)| t.get(i).cloned());
                let x = self.check_expr(v, want.as_ref());
                match want {
                    Some(t) => self.coerce(x, &t),
                    None => x,
                }
            })
            .collect();
        let tys: Vec<Type> = vs.iter().map(|v| v.ty.clone()).collect();
        for v in &vs {
            if v.ty == Type::Unit {
                self.error(
                    Diagnostic::error("E0302", "this expression has no value to return")
                        .with_primary(v.span, "returns nothing")
                        .with_help("call it on its own line, then `return`"),
                );
            }
        }
        match &self.return_types {
            None => self.return_types = Some((tys, span)),
            Some((first, first_span)) => {
                if first.len() != tys.len() {
                    let first_span = *first_span;
                    self.error(
                        Diagnostic::error(
                            "E0322",
                            "every `return` of a script must return the same number of values",
                        )
                        .with_primary(span, format!("returns {}", values_word(tys.len())))
                        .with_secondary(
                            first_span,
                            format!("the first `return` returns {}", values_word(first.len())),
                        ),
                    );
                }
            }
        }
        StmtKind::Return(vs)
    }

    fn const_bound(&mut self, e: &ast::Expr) -> Option<U256> {
        let v = self.check_expr(e, Some(&Type::U256));
        match v.kind {
            ExprKind::Word(w) if matches!(v.ty, Type::Uint(_)) => Some(w),
            ExprKind::Error => None,
            _ => {
                self.error(
                    Diagnostic::error("E0321", "range bounds must be known at compile time")
                        .with_primary(e.span, "computed when the script runs")
                        .with_help("use literals, constants or parameters"),
                );
                None
            }
        }
    }

    /// An expression on its own line: a statement builtin (`require`, `revert`,
    /// `revoke`, `approve`), a call (a grant when the function grants a permission), or
    /// a value computed and dropped (`W0302`).
    fn expr_stmt(&mut self, e: &ast::Expr, span: Span) -> Option<Stmt> {
        let ast::ExprKind::Call { callee, args, .. } = &e.kind else {
            let v = self.check_expr(e, None);
            if !matches!(v.kind, ExprKind::Error) {
                self.error(
                    Diagnostic::warning("W0302", "this expression's value is not used")
                        .with_primary(span, "computed and dropped")
                        .with_help("bind it with `let`, or remove it"),
                );
            }
            return Some(Stmt {
                kind: StmtKind::Expr(v),
                span,
            });
        };
        if let ast::ExprKind::Ident(name) = &callee.kind {
            let builtin = self.lookup_local(&name.name).is_none()
                && self
                    .lookup_item(self.current, &name.name, name.span)
                    .is_none();
            if builtin {
                if let Some(detail) = crate::expr_call::builtin_detail(&name.name) {
                    self.record_builtin(name.span, &name.name, detail);
                }
                match name.name.as_str() {
                    "require" => return self.require_stmt(args, span),
                    "revert" => return self.revert_stmt(args, span),
                    // Revoking a permission an earlier transaction granted (revoke.rs).
                    "revoke" => return self.revoke_stmt(args, span),
                    "approve" => return self.approve_stmt(e, span),
                    _ => {}
                }
            }
        }
        let v = self.call_stmt(e)?;
        let kind = self.call_or_grant(v, span)?;
        Some(Stmt { kind, span })
    }

    /// `require(cond)`, `require(cond, "message")`.
    fn require_stmt(&mut self, args: &[ast::Expr], span: Span) -> Option<Stmt> {
        let (cond, msg) = match args {
            [c] => (c, None),
            [c, m] => (c, Some(m)),
            _ => {
                self.arity(span, "require", 2, args.len());
                return None;
            }
        };
        let c = self.check_expr(cond, Some(&Type::Bool));
        let c = self.coerce(c, &Type::Bool);
        let msg = match msg {
            Some(m) => self.message(m)?,
            None => String::new(),
        };
        if let ExprKind::Word(w) = &c.kind {
            if w.is_zero() {
                self.error(
                    Diagnostic::warning("W0301", "this `require` always fails")
                        .with_primary(cond.span, "false at compile time"),
                );
            }
        }
        Some(Stmt {
            kind: StmtKind::Require(c, msg),
            span,
        })
    }

    /// `revert()`, `revert("message")`.
    fn revert_stmt(&mut self, args: &[ast::Expr], span: Span) -> Option<Stmt> {
        let msg = match args {
            [] => String::new(),
            [m] => self.message(m)?,
            _ => {
                self.arity(span, "revert", 1, args.len());
                return None;
            }
        };
        Some(Stmt {
            kind: StmtKind::Revert(msg),
            span,
        })
    }

    /// `approve(token, spender, amount)`: an ERC-20 grant (an approval of 0 revokes
    /// nothing the script granted: `W0402`).
    fn approve_stmt(&mut self, e: &ast::Expr, span: Span) -> Option<Stmt> {
        let g = self.grant_of(e, false)?;
        if let Grant::Erc20Approve { amount, .. } = &g {
            if matches!(&amount.kind, ExprKind::Word(w) if w.is_zero()) {
                self.redundant_revocation(span, "approve(token, spender, 0)");
            }
        }
        Some(Stmt {
            kind: StmtKind::Grant(g),
            span,
        })
    }

    /// A call statement: a grant when the function grants a permission (unless it is
    /// the grant's own canonical revocation called by hand), else a plain call.
    fn call_or_grant(&mut self, v: hir::Expr, span: Span) -> Option<StmtKind> {
        if let ExprKind::Call(c) = &v.kind {
            if self.interfaces[c.interface.0 as usize].functions[c.function]
                .grant
                .is_some()
            {
                let ExprKind::Call(c) = v.kind else {
                    return None;
                };
                // The grant's own canonical revocation, called by hand (`approve(s, 0)`,
                // `setApprovalForAll(op, false)`): a plain call, not a new grant.
                if self.is_own_revocation(&c) {
                    let f = &self.interfaces[c.interface.0 as usize].functions[c.function];
                    let what = format!("{}(…)", f.name);
                    self.redundant_revocation(span, &what);
                    return Some(StmtKind::Expr(hir::Expr {
                        kind: ExprKind::Call(c),
                        ty: v.ty,
                        span: v.span,
                    }));
                }
                return Some(StmtKind::Grant(Grant::Annotated(*c)));
            }
        }
        Some(StmtKind::Expr(v))
    }

    fn call_stmt(&mut self, e: &ast::Expr) -> Option<hir::Expr> {
        let ast::ExprKind::Call {
            callee,
            options,
            args,
        } = &e.kind
        else {
            return None;
        };
        Some(self.call(callee, options, args, e.span, true))
    }

    fn message(&mut self, m: &ast::Expr) -> Option<String> {
        match &m.kind {
            ast::ExprKind::Str(s) => Some(s.clone()),
            _ => {
                self.error(
                    Diagnostic::error("E0323", "the message must be a string literal")
                        .with_primary(m.span, "not a string literal")
                        .with_help("write `\"why it failed\"`"),
                );
                None
            }
        }
    }

    /// The grant made by `approve(…)` or an annotated call (for `with` blocks too).
    fn grant_of(&mut self, e: &ast::Expr, in_with: bool) -> Option<Grant> {
        let ast::ExprKind::Call {
            callee,
            options,
            args,
        } = &e.kind
        else {
            self.error(
                Diagnostic::error("E0405", "`with` takes a call that grants a permission")
                    .with_primary(e.span, "not a call")
                    .with_help("write `with approve(TOKEN, SPENDER, AMOUNT) { … }`"),
            );
            return None;
        };
        let _ = in_with;
        if let ast::ExprKind::Ident(name) = &callee.kind {
            if name.name == "approve" && self.lookup_local("approve").is_none() {
                if let Some(detail) = crate::expr_call::builtin_detail("approve") {
                    self.record_builtin(name.span, "approve", detail);
                }
                let [t, s, a] = args.as_slice() else {
                    self.arity_named(
                        e.span,
                        "approve",
                        &["token".into(), "spender".into(), "amount".into()],
                        args,
                    );
                    return None;
                };
                let token = self.check_expr(t, None);
                let amount_ty = match &token.ty {
                    Type::Token(id) => Type::Amount(*id),
                    Type::Error => Type::Error,
                    Type::Address if self.is_token(&token) => Type::U256,
                    other => {
                        let n = self.type_name(other);
                        self.error(
                            Diagnostic::error(
                                "E0409",
                                format!("`approve` grants an ERC-20 allowance and takes a token, found `{n}`"),
                            )
                            .with_primary(t.span, "not a declared token")
                            .with_note("`approve` is revoked with the ERC-20 `approve(spender, 0)`; on another contract (an ERC-721, a vault) the same call means something else, and the grant might not be revoked")
                            .with_help("pass a token declared with `token NAME = 0x…, decimals N` (or imported from `std::…`), or a loop variable over tokens: `for t in [USDC, DAI] { approve(t, …) }`"),
                        );
                        Type::Error
                    }
                };
                let spender = self.check_expr(s, Some(&Type::Address));
                let spender = self.coerce(spender, &Type::Address);
                let amount = self.check_expr(a, Some(&amount_ty));
                let amount = self.coerce(amount, &amount_ty);
                let token = hir::Expr {
                    ty: Type::Address,
                    ..token
                };
                return Some(Grant::Erc20Approve {
                    token,
                    spender,
                    amount,
                });
            }
        }
        let v = self.call(callee, options, args, e.span, true);
        match v.kind {
            ExprKind::Call(c)
                if self.interfaces[c.interface.0 as usize].functions[c.function]
                    .grant
                    .is_some() =>
            {
                Some(Grant::Annotated(*c))
            }
            ExprKind::Error => None,
            _ => {
                self.error(
                    Diagnostic::error("E0405", "`with` takes a call that grants a permission")
                        .with_primary(e.span, "this call grants nothing")
                        .with_help(
                            "use `approve(…)` or a function annotated `#[grants(revoke = …)]`",
                        ),
                );
                None
            }
        }
    }
}

/// `1 value`, `2 values`.
fn values_word(n: usize) -> String {
    if n == 1 {
        "1 value".to_string()
    } else {
        format!("{n} values")
    }
}

impl Checker<'_> {
    /// Whether an annotated grant call is the grant's own canonical revocation: the
    /// revoking function is the one called, with the revocation's constants where it
    /// has them and the same arguments elsewhere (`approve(spender, 0)` of
    /// `#[grants(revoke = approve(spender, 0))]`).
    fn is_own_revocation(&self, c: &hir::Call) -> bool {
        let f = &self.interfaces[c.interface.0 as usize].functions[c.function];
        let Some(spec) = &f.grant else {
            return false;
        };
        spec.revoke_fn == c.function
            && spec.revoke_args.len() == c.args.len()
            && spec.revoke_args.iter().enumerate().all(|(j, ra)| match ra {
                hir::RevokeArg::Param(i) => *i == j,
                hir::RevokeArg::Const(w) => {
                    matches!(&c.args[j].kind, ExprKind::Word(x) if x == w)
                }
            })
            && spec
                .revoke_args
                .iter()
                .any(|ra| matches!(ra, hir::RevokeArg::Const(_)))
    }

    /// `W0402`: a hand-written revocation of what the compiler revokes anyway.
    fn redundant_revocation(&mut self, stmt: Span, what: &str) {
        self.error(
            Diagnostic::warning(
                "W0402",
                format!("`{what}` revokes what the compiler already revokes"),
            )
            .with_primary(stmt, "a revocation written by hand")
            .with_note("every permission the script grants is revoked on every exit: the compiler inserts the canonical revocation itself")
            .with_help("remove it; to end a permission before a later call, scope the grant: `with approve(token, spender, amount) { … }`"),
        );
    }
}
