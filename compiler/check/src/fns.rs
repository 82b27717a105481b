//! Helper functions: signatures, bodies, calls, and recursion.

use crate::hir::{self, ExprKind, FnDef, FnId, StmtKind};
use crate::scope::{Checker, Symbol};
use crate::ty::Type;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;
use std::collections::HashMap;

impl Checker<'_> {
    /// Resolves every function's signature (so calls can be checked before bodies).
    pub(crate) fn resolve_fn_signatures(&mut self) {
        for i in 0..self.fns.len() {
            let (module, item) = (self.fns[i].module, self.fns[i].item.clone());
            self.current = module;
            let params = item.params.iter().map(|p| self.nest_type(&p.ty)).collect();
            let ret = item.ret.as_ref().map(|t| self.nest_type(t));
            self.fns[i].params = params;
            self.fns[i].ret = ret;
        }
    }

    /// Checks every function body, then reports recursion.
    pub(crate) fn check_fns(&mut self) {
        for i in 0..self.fns.len() {
            let (module, item) = (self.fns[i].module, self.fns[i].item.clone());
            self.current = module;
            self.current_fn = Some(i);
            let saved_scopes = std::mem::take(&mut self.local_scopes);
            self.local_scopes.push(HashMap::new());
            let params: Vec<hir::LocalId> = item
                .params
                .iter()
                .zip(self.fns[i].params.clone())
                .map(|(p, t)| self.declare_local(&p.name, t, false))
                .collect();
            let body = self.check_fn_body(&item.body);
            self.local_scopes = saved_scopes;
            self.current_fn = None;
            let ret = self.fns[i].ret.clone();
            if ret.is_some() && !always_returns(&body) {
                self.error(
                    Diagnostic::error(
                        "E0324",
                        format!("`{}` may end without returning a value", item.name.name),
                    )
                    .with_primary(item.body.span, "some path reaches the end of the body")
                    .with_help("end every path with `return …` (or `revert(…)`)"),
                );
            }
            self.fns[i].def = Some(FnDef {
                name: item.name.name.clone(),
                params,
                ret,
                body,
                span: item.name.span,
            });
        }
        self.report_recursion();
    }

    fn check_fn_body(&mut self, b: &ast::Block) -> Vec<hir::Stmt> {
        self.check_block_stmts(&b.stmts)
    }

    fn report_recursion(&mut self) {
        // Depth-first search for a cycle in the call graph.
        let n = self.fns.len();
        let mut state = vec![0u8; n];
        let mut reported = vec![false; n];
        for start in 0..n {
            let mut path = Vec::new();
            self.visit(start, &mut state, &mut path, &mut reported);
        }
    }

    fn visit(&mut self, f: usize, state: &mut [u8], path: &mut Vec<usize>, reported: &mut [bool]) {
        if state[f] == 2 {
            return;
        }
        if state[f] == 1 {
            if let Some(pos) = path.iter().position(|&p| p == f) {
                if !reported[f] {
                    let cycle: Vec<String> = path[pos..]
                        .iter()
                        .chain([&f])
                        .map(|&i| format!("`{}`", self.fns[i].item.name.name))
                        .collect();
                    for &i in &path[pos..] {
                        reported[i] = true;
                    }
                    self.error(
                        Diagnostic::error(
                            "E0206",
                            format!("`{}` calls itself", self.fns[f].item.name.name),
                        )
                        .with_primary(self.fns[f].item.name.span, "recursive function")
                        .with_note(format!("the cycle: {}", cycle.join(" → ")))
                        .with_note("a script's worst-case work must be known when it compiles")
                        .with_help("use a `for` loop with constant bounds instead"),
                    );
                }
            }
            return;
        }
        state[f] = 1;
        path.push(f);
        for c in self.fns[f].calls.clone() {
            self.visit(c, state, path, reported);
        }
        path.pop();
        state[f] = 2;
    }

    /// Checks a call of helper function `f`.
    pub(crate) fn fn_call(
        &mut self,
        f: usize,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> hir::Expr {
        if let Some(caller) = self.current_fn {
            self.fns[caller].calls.push(f);
        }
        let params = self.fns[f].params.clone();
        if params.len() != args.len() {
            let described: Vec<String> = self.fns[f]
                .item
                .params
                .iter()
                .zip(&params)
                .map(|(p, t)| format!("{}: {}", p.name.name, self.type_name(t)))
                .collect();
            self.arity_named(span, &name.name, &described, args);
            return hir::Expr {
                kind: ExprKind::Error,
                ty: Type::Error,
                span,
            };
        }
        let mut hargs = Vec::new();
        for (a, t) in args.iter().zip(&params) {
            let v = self.check_expr(a, Some(t));
            hargs.push(self.coerce(v, t));
        }
        let ty = self.fns[f].ret.clone().unwrap_or(Type::Unit);
        hir::Expr {
            kind: ExprKind::FnCall {
                func: FnId(f as u32),
                args: hargs,
            },
            ty,
            span,
        }
    }

    /// The type a `return` in the current context must have: the function's, or
    /// the script's (`None` for the script).
    pub(crate) fn fn_return_type(&self) -> Option<Option<Type>> {
        self.current_fn.map(|f| self.fns[f].ret.clone())
    }

    /// Whether `sym` is a function, for calls written `name(args)`.
    pub(crate) fn as_fn(sym: &Symbol) -> Option<usize> {
        match sym {
            Symbol::Fn(i) => Some(*i),
            _ => None,
        }
    }
}

/// Whether every path through the statements ends in `return` or `revert`.
pub(crate) fn always_returns(stmts: &[hir::Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Return(_) | StmtKind::Revert(_) => true,
        StmtKind::If(_, t, e) => always_returns(t) && always_returns(e),
        StmtKind::With(_, b) => always_returns(b),
        _ => false,
    })
}
