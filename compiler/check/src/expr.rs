//! Typing expressions.

use crate::hir::{self, EnvValue, ExprKind};
use crate::scope::{Checker, ParamState, Symbol};
use crate::ty::Type;
use alloy_primitives::{Address, U256};
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

/// How deeply expressions and blocks may nest.
pub(crate) const MAX_DEPTH: u32 = 64;

pub(crate) fn expr(kind: ExprKind, ty: Type, span: Span) -> hir::Expr {
    hir::Expr { kind, ty, span }
}

pub(crate) fn error_expr(span: Span) -> hir::Expr {
    expr(ExprKind::Error, Type::Error, span)
}

pub(crate) fn word(v: U256, ty: Type, span: Span) -> hir::Expr {
    expr(ExprKind::Word(v), ty, span)
}

pub(crate) fn address_word(a: Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

impl Checker<'_> {
    pub(crate) fn type_name(&self, ty: &Type) -> String {
        struct Names<'a>(&'a Checker<'a>);
        impl crate::ty::TypeNames for Names<'_> {
            fn token_name(&self, id: crate::ty::TokenId) -> &str {
                &self.0.tokens[id.0 as usize].name
            }
            fn interface_name(&self, id: crate::ty::InterfaceId) -> &str {
                &self.0.interfaces[id.0 as usize].name
            }
        }
        crate::ty::Display(ty, &Names(self)).to_string()
    }

    /// Types an expression; `expected` guides literals. Nesting deeper than
    /// [`MAX_DEPTH`] is an error (later stages recurse over the tree too).
    pub(crate) fn check_expr(&mut self, e: &ast::Expr, expected: Option<&Type>) -> hir::Expr {
        if self.depth >= MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                let mut d = Diagnostic::error(
                    "E0325",
                    format!("this is nested more than {MAX_DEPTH} levels deep"),
                )
                .with_primary(e.span, "too deeply nested")
                .with_help("split it into several `let` statements or helper functions");
                if matches!(e.kind, ast::ExprKind::Binary { .. }) {
                    d = d.with_note(
                        "each operator of a chain counts as a level: `a + b + c` is two deep",
                    );
                }
                self.error(d);
            }
            return error_expr(e.span);
        }
        self.depth += 1;
        let out = self.check_expr_inner(e, expected);
        self.depth -= 1;
        out
    }

    pub(crate) fn check_expr_inner(&mut self, e: &ast::Expr, expected: Option<&Type>) -> hir::Expr {
        let span = e.span;
        match &e.kind {
            ast::ExprKind::Number { raw, unit } => self.number(raw, unit.as_ref(), expected, span),
            ast::ExprKind::Bool(b) => word(U256::from(*b as u8), Type::Bool, span),
            ast::ExprKind::Str(s) => expr(ExprKind::Str(s.clone()), Type::String, span),
            ast::ExprKind::HexStr(b) => expr(ExprKind::Bytes(b.clone()), Type::Bytes, span),
            ast::ExprKind::SelfVault => expr(ExprKind::SelfAddress, Type::Address, span),
            ast::ExprKind::Ident(id) => self.ident(id),
            ast::ExprKind::Array(elems) => self.array(elems, expected, span),
            ast::ExprKind::Tuple(elems) => self.tuple(elems, expected, span),
            ast::ExprKind::Unary { op, expr: inner } => self.unary(*op, inner, expected, span),
            ast::ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, expected, span),
            ast::ExprKind::Cast { expr: inner, ty } => {
                let to = self.nest_type(ty);
                let v = self.check_expr(inner, Some(&to));
                self.remember_cast(&v.ty, &to, span);
                self.cast(v, &to, span)
            }
            ast::ExprKind::Call {
                callee,
                options,
                args,
            } => self.call(callee, options, args, span, false),
            ast::ExprKind::Field { base, field } => self.field(base, field, span),
            ast::ExprKind::TupleField {
                base,
                index,
                index_span,
            } => self.field_of_tuple(base, *index, *index_span, span),
            ast::ExprKind::Index { base, index } => self.index(base, index, span),
            ast::ExprKind::Error => error_expr(span),
        }
    }

    /// `[a, b, …]`: elements of one type (the expected one, else the first's, widened
    /// to fit all).
    fn array(&mut self, elems: &[ast::Expr], expected: Option<&Type>, span: Span) -> hir::Expr {
        let elem_expected = match expected {
            Some(Type::Array(t, _)) => Some((**t).clone()),
            _ => None,
        };
        let mut out: Vec<hir::Expr> = Vec::new();
        for el in elems {
            let want = elem_expected
                .clone()
                .or_else(|| out.first().map(|f| f.ty.clone()));
            out.push(self.check_expr(el, want.as_ref()));
        }
        let elem_ty = elem_expected.unwrap_or_else(|| unify_elems(&out));
        let out: Vec<hir::Expr> = out.into_iter().map(|x| self.coerce(x, &elem_ty)).collect();
        // A literal's length is part of its type (`[a, b]` is a `T[2]`), except
        // for `[]`: a `T[0]` has no ABI encoding, an empty `T[]` does.
        let n = (!out.is_empty()).then_some(out.len());
        expr(
            ExprKind::Array(out),
            Type::Array(Box::new(elem_ty), n),
            span,
        )
    }

    /// `(a, b, …)`: each element converted to the expected tuple's type, if any.
    fn tuple(&mut self, elems: &[ast::Expr], expected: Option<&Type>, span: Span) -> hir::Expr {
        let wanted: Vec<Option<Type>> = match expected {
            Some(Type::Tuple(ts, _)) if ts.len() == elems.len() => {
                ts.iter().cloned().map(Some).collect()
            }
            _ => vec![None; elems.len()],
        };
        let mut out: Vec<hir::Expr> = Vec::new();
        for (x, want) in elems.iter().zip(wanted) {
            let v = self.check_expr(x, want.as_ref());
            out.push(match want {
                Some(t) => self.coerce_arg(v, &t),
                None => v,
            });
        }
        let tys = out.iter().map(|x| x.ty.clone()).collect::<Vec<_>>();
        let n = tys.len();
        expr(ExprKind::Tuple(out), Type::Tuple(tys, vec![None; n]), span)
    }

    /// `t.0`: a field of a tuple.
    fn field_of_tuple(
        &mut self,
        base: &ast::Expr,
        index: u32,
        index_span: Span,
        span: Span,
    ) -> hir::Expr {
        let b = self.check_expr(base, None);
        match &b.ty {
            Type::Tuple(ts, _) if (index as usize) < ts.len() => {
                let ty = ts[index as usize].clone();
                expr(
                    ExprKind::Field {
                        base: Box::new(b),
                        index: index as usize,
                    },
                    ty,
                    span,
                )
            }
            Type::Error => error_expr(span),
            other => {
                let name = self.type_name(other);
                self.error(
                    Diagnostic::error("E0306", format!("no field `{index}` on `{name}`"))
                        .with_primary(index_span, "no such field")
                        .with_help("tuple fields are numbered from 0"),
                );
                error_expr(span)
            }
        }
    }

    /// `a[i]`: an element of an array, a constant index checked against a known length.
    fn index(&mut self, base: &ast::Expr, index: &ast::Expr, span: Span) -> hir::Expr {
        let b = self.check_expr(base, None);
        let i = self.check_expr(index, Some(&Type::U256));
        let i = self.coerce(i, &Type::U256);
        match b.ty.clone() {
            Type::Array(t, len) => {
                if let (Some(n), ExprKind::Word(v)) = (len, &i.kind) {
                    if *v >= U256::from(n) {
                        self.error(
                            Diagnostic::error(
                                "E0307",
                                format!("index {v} is out of bounds for an array of {n}"),
                            )
                            .with_primary(index.span, "out of bounds")
                            .with_help(format!("indices go from 0 to {}", n.saturating_sub(1))),
                        );
                    }
                }
                // `amounts[1]` of a swap along a known path is an amount (units.rs).
                let ty = self.amount_element(&b, &i).unwrap_or(*t);
                expr(
                    ExprKind::Index {
                        base: Box::new(b),
                        index: Box::new(i),
                    },
                    ty,
                    span,
                )
            }
            Type::Error => error_expr(span),
            other => {
                let name = self.type_name(&other);
                self.error(
                    Diagnostic::error(
                        "E0306",
                        format!("cannot index into a value of type `{name}`"),
                    )
                    .with_primary(base.span, "not an array"),
                );
                error_expr(span)
            }
        }
    }

    pub(crate) fn ident(&mut self, id: &ast::Ident) -> hir::Expr {
        let span = id.span;
        if let Some(l) = self.lookup_local(&id.name) {
            self.record_local(span, l);
            let ty = self.locals[l.0 as usize].ty.clone();
            return expr(ExprKind::Local(l), ty, span);
        }
        let found = self.lookup_item(self.current, &id.name, span);
        if let Some(sym) = &found {
            self.record_symbol(span, &id.name, sym, false);
        }
        match found {
            Some(Symbol::Token(t)) => {
                let a = self.tokens[t.0 as usize].address;
                word(address_word(a), Type::Token(t), span)
            }
            Some(Symbol::Const(c)) => match self.const_value(c) {
                Some(v) => hir::Expr { span, ..v },
                None => error_expr(span),
            },
            Some(Symbol::Param(p)) => match self.param_value(p, Some(span)) {
                Some(v) => hir::Expr { span, ..v },
                None if self.params[p].state == ParamState::Unset && !self.input.require_params => {
                    // Checking without a value: a value of the parameter's type that is
                    // not known (not 0: `100 / d` must not be a division by zero), and
                    // that nothing reports again.
                    self.unset_param_used = true;
                    let item = self.params[p].item.clone();
                    let ty = self.nest_type(&item.ty);
                    expr(ExprKind::Error, ty, span)
                }
                None => error_expr(span),
            },
            Some(Symbol::Fn(_)) => {
                self.error(
                    Diagnostic::error("E0311", format!("`{}` is a function, not a value", id.name))
                        .with_primary(span, "a function")
                        .with_help(format!("call it: `{}(…)`", id.name)),
                );
                error_expr(span)
            }
            Some(Symbol::Interface(_)) => {
                self.error(
                    Diagnostic::error(
                        "E0311",
                        format!("`{}` is an interface, not a value", id.name),
                    )
                    .with_primary(span, "an interface")
                    .with_help(format!(
                        "make an instance at an address: `{}(0x…)`",
                        id.name
                    )),
                );
                error_expr(span)
            }
            Some(Symbol::Import { .. }) => error_expr(span),
            None => {
                if matches!(id.name.as_str(), "block" | "chain") {
                    self.error(
                        Diagnostic::error("E0201", format!("`{}` is not a value", id.name))
                            .with_primary(span, "use one of its fields")
                            .with_help(if id.name == "block" {
                                "`block.timestamp` or `block.number`"
                            } else {
                                "`chain.id`"
                            }),
                    );
                } else {
                    let mut d = Diagnostic::error(
                        "E0201",
                        format!("cannot find `{}` in this scope", id.name),
                    )
                    .with_primary(span, "not found");
                    if id.name == "this" {
                        d = d.with_help(
                            "the vault's address is `self` (what Solidity calls `this`)",
                        );
                    } else if let Some(hint) = self.import_hint(&id.name) {
                        d = d.with_help(hint);
                    } else if let Some(s) = self.closest_name(&id.name) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    self.error(d);
                }
                error_expr(span)
            }
        }
    }

    /// The visible name closest to a misspelt one.
    pub(crate) fn closest_name(&self, name: &str) -> Option<String> {
        let mut names: Vec<String> = self
            .local_scopes
            .iter()
            .flat_map(|s| s.keys().cloned())
            .collect();
        names.extend(self.modules[self.current].scope.keys().cloned());
        names.sort();
        crate::suggest::closest(name, names.iter().map(String::as_str)).map(str::to_string)
    }

    /// Suggests a stdlib import for a missing name.
    pub(crate) fn import_hint(&self, name: &str) -> Option<String> {
        for (path, text) in crate::stdlib::MODULES {
            let defines = text.lines().any(|l| {
                let l = l.trim_start();
                ["token ", "const ", "interface "].iter().any(|kw| {
                    l.strip_prefix(kw).is_some_and(|r| {
                        r.split(|c: char| !c.is_alphanumeric() && c != '_').next() == Some(name)
                    })
                })
            });
            if defines {
                return Some(format!("import it: `use std::{path}::{{{name}}}`"));
            }
        }
        None
    }

    pub(crate) fn field(&mut self, base: &ast::Expr, field: &ast::Ident, span: Span) -> hir::Expr {
        // `uint256.max`, `USDC.max` (type_values.rs).
        if let Some(v) = self.type_value(base, field, span) {
            return v;
        }
        if let ast::ExprKind::Ident(b) = &base.kind {
            if self.lookup_local(&b.name).is_none()
                && self.lookup_item(self.current, &b.name, b.span).is_none()
            {
                let env = match (b.name.as_str(), field.name.as_str()) {
                    ("block", "timestamp") => Some(EnvValue::Timestamp),
                    ("block", "number") => Some(EnvValue::Number),
                    ("chain", "id") => Some(EnvValue::ChainId),
                    _ => None,
                };
                if let Some(env) = env {
                    let detail = match env {
                        EnvValue::Timestamp => {
                            "block.timestamp: uint256 — the block's time in seconds"
                        }
                        EnvValue::Number => "block.number: uint256 — the block's number",
                        _ => "chain.id: uint256 — the chain's id",
                    };
                    self.record_builtin(span, &format!("{}.{}", b.name, field.name), detail);
                    return expr(ExprKind::Env(env), Type::U256, span);
                }
                if matches!(b.name.as_str(), "block" | "chain") {
                    self.error(
                        Diagnostic::error(
                            "E0306",
                            format!("`{}` has no field `{}`", b.name, field.name),
                        )
                        .with_primary(field.span, "unknown field")
                        .with_help("available: `block.timestamp`, `block.number`, `chain.id`"),
                    );
                    return error_expr(span);
                }
            }
        }
        let b = self.check_expr(base, None);
        match &b.ty {
            Type::Tuple(ts, names) => {
                if let Some(i) = names
                    .iter()
                    .position(|n| n.as_deref() == Some(field.name.as_str()))
                {
                    let ty = ts[i].clone();
                    return expr(
                        ExprKind::Field {
                            base: Box::new(b),
                            index: i,
                        },
                        ty,
                        span,
                    );
                }
            }
            Type::Error => return error_expr(span),
            _ => {}
        }
        if let Type::Tuple(ts, names) = &b.ty {
            if names.iter().any(Option::is_some) {
                return self.unknown_named_field(ts, names, field, span);
            }
        }
        let name = self.type_name(&b.ty);
        let help = if field.name == "balance" && b.ty.is_addressish() {
            if matches!(b.kind, ExprKind::SelfAddress) {
                "the vault's ETH balance is `eth_balance()` (in wei); a token balance is `balance(TOKEN)`"
            } else {
                "scripts read the vault's balances: `eth_balance()` for ETH (in wei), `balance(TOKEN)` for a token"
            }
        } else if matches!(b.ty, Type::Contract(_)) {
            "functions are called: `c.f(args)`"
        } else {
            "check the name"
        };
        self.error(
            Diagnostic::error("E0306", format!("no field `{}` on `{name}`", field.name))
                .with_primary(field.span, "unknown field")
                .with_help(help),
        );
        error_expr(span)
    }

    /// `r.name` where `r` has named fields (a function's named return values) but none
    /// is `name`: shows the names and suggests the likeliest (`.health` →
    /// `healthFactor`).
    fn unknown_named_field(
        &mut self,
        ts: &[Type],
        names: &[Option<String>],
        field: &ast::Ident,
        span: Span,
    ) -> hir::Expr {
        let shown: Vec<String> = ts
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (t, n))| match n {
                Some(n) => format!("{n}: {}", self.type_name(t)),
                None => format!("{i}: {}", self.type_name(t)),
            })
            .collect();
        let named: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
        let want = field.name.to_lowercase();
        let guess = crate::suggest::closest(&field.name, named.iter().copied()).or_else(|| {
            // A prefix or a part of a longer name (`health` of `healthFactor`).
            let mut parts = named
                .iter()
                .copied()
                .filter(|n| want.len() >= 3 && n.to_lowercase().contains(&want));
            match (parts.next(), parts.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        });
        let mut d = Diagnostic::error("E0306", format!("no field `{}` on this value", field.name))
            .with_primary(field.span, "unknown field")
            .with_note(format!("its fields are ({})", shown.join(", ")));
        d = match guess {
            Some(g) => d.with_help(format!("did you mean `{g}`?")),
            None => d.with_help("use one of the field names above, or a position (`.0`)"),
        };
        self.error(d);
        error_expr(span)
    }
}

/// Whether a literal fits an integer type.
pub(crate) fn fits(v: U256, t: &Type) -> bool {
    match t.int_bits() {
        Some((256, false)) => true,
        Some((bits, false)) => v < (U256::from(1u8) << bits),
        Some((bits, true)) => v < (U256::from(1u8) << (bits - 1)),
        None => false,
    }
}

/// The element type of an array literal without an expected type.
fn unify_elems(elems: &[hir::Expr]) -> Type {
    let Some(first) = elems.first() else {
        return Type::U256;
    };
    if elems.iter().all(|e| e.ty == first.ty) {
        return first.ty.clone();
    }
    if elems.iter().all(|e| e.ty.is_addressish()) {
        return Type::Address;
    }
    first.ty.clone()
}
