//! Typing expressions.

use crate::hir::{self, BinOp, Call, EnvValue, ExprKind, UnOp};
use crate::literals::{parse_number, scale, scale_int, NumberError, NumberValue, ScaleError};
use crate::scope::{Checker, Symbol};
use crate::ty::Type;
use alloy_primitives::{Address, U256};
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

/// How deeply expressions and blocks may nest.
pub(crate) const MAX_DEPTH: u32 = 64;

fn expr(kind: ExprKind, ty: Type, span: Span) -> hir::Expr {
    hir::Expr { kind, ty, span }
}

fn error_expr(span: Span) -> hir::Expr {
    expr(ExprKind::Error, Type::Error, span)
}

fn word(v: U256, ty: Type, span: Span) -> hir::Expr {
    expr(ExprKind::Word(v), ty, span)
}

fn address_word(a: Address) -> U256 {
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
                self.error(
                    Diagnostic::error(
                        "E0325",
                        format!("this is nested more than {MAX_DEPTH} levels deep"),
                    )
                    .with_primary(e.span, "too deeply nested")
                    .with_help("split it into several `let` statements or helper functions"),
                );
            }
            return error_expr(e.span);
        }
        self.depth += 1;
        let out = self.check_expr_inner(e, expected);
        self.depth -= 1;
        out
    }

    fn check_expr_inner(&mut self, e: &ast::Expr, expected: Option<&Type>) -> hir::Expr {
        let span = e.span;
        match &e.kind {
            ast::ExprKind::Number { raw, unit } => self.number(raw, unit.as_ref(), expected, span),
            ast::ExprKind::Bool(b) => word(U256::from(*b as u8), Type::Bool, span),
            ast::ExprKind::Str(s) => expr(ExprKind::Str(s.clone()), Type::String, span),
            ast::ExprKind::HexStr(b) => expr(ExprKind::Bytes(b.clone()), Type::Bytes, span),
            ast::ExprKind::SelfVault => expr(ExprKind::SelfAddress, Type::Address, span),
            ast::ExprKind::Ident(id) => self.ident(id),
            ast::ExprKind::Array(elems) => {
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
                let out: Vec<hir::Expr> = out
                    .into_iter()
                    .map(|x| self.coerce(x, &elem_ty, false))
                    .collect();
                let n = out.len();
                expr(
                    ExprKind::Array(out),
                    Type::Array(Box::new(elem_ty), Some(n)),
                    span,
                )
            }
            ast::ExprKind::Tuple(elems) => {
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
                        Some(t) => self.coerce(v, &t, true),
                        None => v,
                    });
                }
                let tys = out.iter().map(|x| x.ty.clone()).collect::<Vec<_>>();
                let n = tys.len();
                expr(ExprKind::Tuple(out), Type::Tuple(tys, vec![None; n]), span)
            }
            ast::ExprKind::Unary { op, expr: inner } => self.unary(*op, inner, expected, span),
            ast::ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, expected, span),
            ast::ExprKind::Cast { expr: inner, ty } => {
                let to = self.nest_type(ty);
                let v = self.check_expr(inner, Some(&to));
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
            } => {
                let b = self.check_expr(base, None);
                match &b.ty {
                    Type::Tuple(ts, _) if (*index as usize) < ts.len() => {
                        let ty = ts[*index as usize].clone();
                        expr(
                            ExprKind::Field {
                                base: Box::new(b),
                                index: *index as usize,
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
                                .with_primary(*index_span, "no such field")
                                .with_help("tuple fields are numbered from 0"),
                        );
                        error_expr(span)
                    }
                }
            }
            ast::ExprKind::Index { base, index } => {
                let b = self.check_expr(base, None);
                let i = self.check_expr(index, Some(&Type::U256));
                let i = self.coerce(i, &Type::U256, false);
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
                                    .with_help(format!(
                                        "indices go from 0 to {}",
                                        n.saturating_sub(1)
                                    )),
                                );
                            }
                        }
                        expr(
                            ExprKind::Index {
                                base: Box::new(b),
                                index: Box::new(i),
                            },
                            *t,
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
            ast::ExprKind::Error => error_expr(span),
        }
    }

    fn number(
        &mut self,
        raw: &str,
        unit: Option<&ast::Ident>,
        expected: Option<&Type>,
        span: Span,
    ) -> hir::Expr {
        let value = match parse_number(raw) {
            Ok(v) => v,
            Err(e) => {
                let (msg, help) = match e {
                    NumberError::TooLarge => (
                        "number literal does not fit in 256 bits",
                        "the largest value is 2**256 - 1",
                    ),
                    NumberError::Malformed => (
                        "malformed number literal",
                        "write digits, `0x` and hex digits, or a decimal like `0.25`",
                    ),
                };
                self.error(
                    Diagnostic::error("E0308", msg)
                        .with_primary(span, "here")
                        .with_help(help),
                );
                return error_expr(span);
            }
        };
        if let Some(u) = unit {
            let decimals = match u.name.as_str() {
                "ether" => Some((18u8, Type::U256)),
                "gwei" => Some((9, Type::U256)),
                "wei" => Some((0, Type::U256)),
                _ => match self.lookup_item(self.current, &u.name, u.span) {
                    Some(Symbol::Token(t)) => {
                        self.record_symbol(u.span, &u.name, &Symbol::Token(t), false);
                        Some((self.tokens[t.0 as usize].decimals, Type::Amount(t)))
                    }
                    _ => None,
                },
            };
            let Some((decimals, ty)) = decimals else {
                self.error(
                    Diagnostic::error("E0201", format!("unknown unit `{}`", u.name))
                        .with_primary(u.span, "not a token or `ether`/`gwei`/`wei`")
                        .with_help("import the token, e.g. `use std::ethereum::{USDC}`"),
                );
                return error_expr(span);
            };
            let scaled = match &value {
                NumberValue::Int(v) => scale_int(*v, decimals),
                NumberValue::Decimal { int, frac } => scale(int, frac, decimals),
                NumberValue::Address(_) | NumberValue::Bytes32(_) => {
                    self.error(
                        Diagnostic::error("E0308", "a unit needs a decimal number")
                            .with_primary(span, "hex literals take no unit"),
                    );
                    return error_expr(span);
                }
            };
            return match scaled {
                Ok(v) => word(v, ty, span),
                Err(ScaleError::TooPrecise { decimals }) => {
                    self.error(
                        Diagnostic::error(
                            "E0309",
                            format!("`{}` has {decimals} decimals; this amount has more", u.name),
                        )
                        .with_primary(span, "too many fractional digits")
                        .with_note(format!(
                            "amounts are exact: {} cannot hold a smaller fraction",
                            u.name
                        ))
                        .with_help(format!("round to {decimals} fractional digits")),
                    );
                    error_expr(span)
                }
                Err(ScaleError::Overflow) => {
                    self.error(
                        Diagnostic::error("E0308", "amount does not fit in 256 bits")
                            .with_primary(span, "too large"),
                    );
                    error_expr(span)
                }
            };
        }
        match value {
            NumberValue::Int(v) => {
                let ty = match expected {
                    Some(t @ (Type::Uint(_) | Type::Int(_))) if fits(v, t) => t.clone(),
                    Some(Type::Amount(t)) if v.is_zero() => Type::Amount(*t),
                    Some(Type::Amount(t)) => {
                        let name = self.tokens[t.0 as usize].name.clone();
                        self.error(
                            Diagnostic::error("E0310", format!("a `{name}` amount needs its unit"))
                                .with_primary(span, "a bare number")
                                .with_note("base units or whole tokens would be a guess")
                                .with_help(format!("write `{raw} {name}` for whole tokens")),
                        );
                        return error_expr(span);
                    }
                    _ => Type::U256,
                };
                word(v, ty, span)
            }
            NumberValue::Decimal { .. } => {
                self.error(
                    Diagnostic::error("E0310", "a decimal number needs a unit")
                        .with_primary(span, "no unit")
                        .with_help("write a token or `ether`/`gwei` after it, e.g. `0.5 WETH`"),
                );
                error_expr(span)
            }
            NumberValue::Address(raw) => match self.address_literal(&raw, span) {
                Some(a) => word(address_word(a), Type::Address, span),
                None => error_expr(span),
            },
            NumberValue::Bytes32(v) => word(v, Type::FixedBytes(32), span),
        }
    }

    fn ident(&mut self, id: &ast::Ident) -> hir::Expr {
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
            Some(Symbol::Param(p)) => match &self.params[p].value {
                Some(v) => hir::Expr { span, ..v.clone() },
                None => {
                    // Unknown value (checking without a value): keep the type.
                    let item = self.params[p].item.clone();
                    let ty = self.nest_type(&item.ty);
                    if self.input.require_params {
                        error_expr(span)
                    } else {
                        word(U256::ZERO, ty, span)
                    }
                }
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
                    if let Some(hint) = self.import_hint(&id.name) {
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
    fn closest_name(&self, name: &str) -> Option<String> {
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
    fn import_hint(&self, name: &str) -> Option<String> {
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

    fn field(&mut self, base: &ast::Expr, field: &ast::Ident, span: Span) -> hir::Expr {
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
        let name = self.type_name(&b.ty);
        let help = if matches!(b.ty, Type::Contract(_)) {
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

    /// Checks a call; `stmt` is true when it is a whole statement (grants may only be
    /// made there, and `require`/`revert`/`approve` only make sense there).
    pub(crate) fn call(
        &mut self,
        callee: &ast::Expr,
        options: &[(ast::Ident, ast::Expr)],
        args: &[ast::Expr],
        span: Span,
        stmt: bool,
    ) -> hir::Expr {
        match &callee.kind {
            ast::ExprKind::Ident(name) if self.lookup_local(&name.name).is_none() => {
                let found = self.lookup_item(self.current, &name.name, name.span);
                if let Some(sym) = &found {
                    self.record_symbol(name.span, &name.name, sym, false);
                }
                if let Some(f) = found.as_ref().and_then(Checker::as_fn) {
                    return self.fn_call(f, name, args, span);
                }
                match found {
                    Some(Symbol::Interface(i)) => {
                        let [arg] = args else {
                            self.arity(span, &name.name, 1, args.len());
                            return error_expr(span);
                        };
                        let a = self.check_expr(arg, Some(&Type::Address));
                        let a = self.coerce(a, &Type::Address, false);
                        let mut out = hir::Expr {
                            ty: Type::Contract(i),
                            span,
                            ..a
                        };
                        if matches!(out.kind, ExprKind::Error) {
                            out.ty = Type::Error;
                        }
                        return out;
                    }
                    Some(_) => {}
                    None => return self.builtin(name, args, span, stmt),
                }
                self.error(
                    Diagnostic::error("E0312", format!("`{}` cannot be called", name.name))
                        .with_primary(callee.span, "not a function"),
                );
                error_expr(span)
            }
            ast::ExprKind::Field { base, field } if self.is_abi_namespace(base) => {
                if field.name != "encode" {
                    self.error(
                        Diagnostic::error(
                            "E0201",
                            format!("cannot find function `abi.{}`", field.name),
                        )
                        .with_primary(field.span, "not found")
                        .with_help("`abi.encode(…)` is the one `abi` function"),
                    );
                    return error_expr(span);
                }
                self.record_builtin(
                    callee.span,
                    "abi.encode",
                    builtin_detail("abi.encode").unwrap_or_default(),
                );
                self.abi_encode(args, span)
            }
            ast::ExprKind::Field { base, field } => {
                let target = self.check_expr(base, None);
                let iface = match &target.ty {
                    Type::Contract(i) => *i,
                    Type::Error => return error_expr(span),
                    other => {
                        let name = self.type_name(other);
                        self.error(
                            Diagnostic::error(
                                "E0312",
                                format!("cannot call `{}` on a value of type `{name}`", field.name),
                            )
                            .with_primary(base.span, "not a contract instance")
                            .with_help("make an instance of an interface: `IERC20(addr)`"),
                        );
                        return error_expr(span);
                    }
                };
                let idef = self.interfaces[iface.0 as usize].clone();
                let candidates: Vec<usize> = idef
                    .functions
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.name == field.name)
                    .map(|(i, _)| i)
                    .collect();
                if candidates.is_empty() {
                    let mut names: Vec<String> =
                        idef.functions.iter().map(|f| f.name.clone()).collect();
                    names.dedup();
                    let help = match crate::suggest::closest(
                        &field.name,
                        names.iter().map(String::as_str),
                    ) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if names.is_empty() => {
                            format!("`{}` has no functions that compiled", idef.name)
                        }
                        None => format!("its functions are {}", crate::suggest::list(&names, 10)),
                    };
                    self.error(
                        Diagnostic::error(
                            "E0205",
                            format!("`{}` has no function `{}`", idef.name, field.name),
                        )
                        .with_primary(field.span, "unknown function")
                        .with_help(help),
                    );
                    return error_expr(span);
                }
                let Some(&fi) = candidates
                    .iter()
                    .find(|&&i| idef.functions[i].inputs.len() == args.len())
                else {
                    let f = &idef.functions[candidates[0]];
                    self.arity(span, &f.signature, f.inputs.len(), args.len());
                    return error_expr(span);
                };
                let f = idef.functions[fi].clone();
                self.record_function(field.span, iface, fi);
                let mut hargs = Vec::new();
                for (a, t) in args.iter().zip(&f.inputs) {
                    let want = crate::abi::from_abi(t);
                    let v = self.check_expr(a, Some(&want));
                    hargs.push(self.coerce(v, &want, true));
                }
                let mut value = None;
                for (k, v) in options {
                    if k.name != "value" {
                        self.error(
                            Diagnostic::error("E0313", format!("unknown call option `{}`", k.name))
                                .with_primary(k.span, "only `value` is supported"),
                        );
                        continue;
                    }
                    if !f.is_payable {
                        self.error(
                            Diagnostic::error("E0313", format!("`{}` is not payable", f.signature))
                                .with_primary(k.span, "cannot send ETH to it")
                                .with_help("only functions declared `payable` take `{value: …}`"),
                        );
                    }
                    let x = self.check_expr(v, Some(&Type::U256));
                    value = Some(self.coerce(x, &Type::U256, false));
                }
                if f.grant.is_some() && !stmt {
                    self.error(
                        Diagnostic::error(
                            "E0403",
                            format!(
                                "`{}` grants a permission and must be called as a statement",
                                f.name
                            ),
                        )
                        .with_primary(span, "used as a value")
                        .with_help("call it on its own line; its result is not available"),
                    );
                }
                let ty = match f.outputs.len() {
                    0 => Type::Unit,
                    1 => crate::abi::from_abi(&f.outputs[0]),
                    _ => Type::Tuple(
                        f.outputs.iter().map(crate::abi::from_abi).collect(),
                        f.output_names
                            .iter()
                            .map(|n| (!n.is_empty()).then(|| n.clone()))
                            .collect(),
                    ),
                };
                let call = Call {
                    interface: iface,
                    function: fi,
                    target,
                    args: hargs,
                    value,
                };
                expr(ExprKind::Call(Box::new(call)), ty, span)
            }
            _ => {
                self.error(
                    Diagnostic::error("E0312", "this expression cannot be called")
                        .with_primary(callee.span, "not a function"),
                );
                error_expr(span)
            }
        }
    }

    /// Whether `base` is the builtin `abi` (not shadowed by a local or an item).
    fn is_abi_namespace(&mut self, base: &ast::Expr) -> bool {
        let ast::ExprKind::Ident(b) = &base.kind else {
            return false;
        };
        b.name == "abi"
            && self.lookup_local(&b.name).is_none()
            && self.lookup_item(self.current, &b.name, b.span).is_none()
    }

    /// `abi.encode(values…)`: any values with an ABI type; bare integers are `uint256`.
    fn abi_encode(&mut self, args: &[ast::Expr], span: Span) -> hir::Expr {
        let mut values = Vec::new();
        for a in args {
            let v = self.check_expr(a, None);
            match v.ty {
                Type::Error => {}
                ref t if crate::abi::to_abi(t).is_none() => {
                    let n = self.type_name(t);
                    self.error(
                        Diagnostic::error("E0302", format!("cannot ABI-encode a value of type `{n}`"))
                            .with_primary(a.span, "no ABI encoding")
                            .with_help("encode integers, amounts, addresses, booleans, bytes, strings, arrays or tuples"),
                    );
                }
                _ => values.push(v),
            }
        }
        expr(ExprKind::AbiEncode(values), Type::Bytes, span)
    }

    pub(crate) fn arity(&mut self, span: Span, what: &str, want: usize, got: usize) {
        self.error(
            Diagnostic::error(
                "E0314",
                format!(
                    "`{what}` takes {want} argument{}, {got} given",
                    if want == 1 { "" } else { "s" }
                ),
            )
            .with_primary(span, "wrong number of arguments"),
        );
    }

    fn builtin(
        &mut self,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
        stmt: bool,
    ) -> hir::Expr {
        if let Some(detail) = builtin_detail(&name.name) {
            self.record_builtin(name.span, &name.name, detail);
        }
        match name.name.as_str() {
            "balance" => {
                let [t] = args else {
                    self.arity(span, "balance", 1, args.len());
                    return error_expr(span);
                };
                let tok = self.check_expr(t, None);
                match tok.ty {
                    Type::Token(id) => {
                        expr(ExprKind::Balance(Box::new(tok)), Type::Amount(id), span)
                    }
                    // A run-time token (a loop over different tokens): base units.
                    Type::Address => expr(ExprKind::Balance(Box::new(tok)), Type::U256, span),
                    Type::Error => error_expr(span),
                    _ => {
                        self.error(
                            Diagnostic::error("E0302", "`balance` takes a token")
                                .with_primary(t.span, "not a token")
                                .with_help("pass a token name, e.g. `balance(USDC)`"),
                        );
                        error_expr(span)
                    }
                }
            }
            "eth_balance" => {
                if !args.is_empty() {
                    self.arity(span, "eth_balance", 0, args.len());
                }
                expr(ExprKind::Env(EnvValue::SelfBalance), Type::U256, span)
            }
            "address" => {
                let [a] = args else {
                    self.arity(span, "address", 1, args.len());
                    return error_expr(span);
                };
                let v = self.check_expr(a, Some(&Type::Address));
                self.coerce(v, &Type::Address, false)
            }
            "min" | "max" => {
                let [a, b] = args else {
                    self.arity(span, &name.name, 2, args.len());
                    return error_expr(span);
                };
                let l = self.check_expr(a, None);
                let r = self.check_expr(b, Some(&l.ty));
                let ty = self.arith_type(&l, &r, span, &name.name);
                let l = self.coerce(l, &ty, false);
                let r = self.coerce(r, &ty, false);
                if let (ExprKind::Word(x), ExprKind::Word(y), false) =
                    (&l.kind, &r.kind, matches!(ty, Type::Int(_)))
                {
                    let v = if name.name == "max" {
                        (*x).max(*y)
                    } else {
                        (*x).min(*y)
                    };
                    return word(v, ty, span);
                }
                expr(
                    ExprKind::MinMax {
                        max: name.name == "max",
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                    },
                    ty,
                    span,
                )
            }
            "keccak256" => {
                let [a] = args else {
                    self.arity(span, "keccak256", 1, args.len());
                    return error_expr(span);
                };
                let data = self.check_expr(a, Some(&Type::Bytes));
                let folded = match &data.kind {
                    ExprKind::Bytes(b) => Some(alloy_primitives::keccak256(b)),
                    ExprKind::Str(s) => Some(alloy_primitives::keccak256(s.as_bytes())),
                    _ => None,
                };
                match data.ty {
                    Type::Error => error_expr(span),
                    Type::Bytes | Type::String => match folded {
                        Some(h) => word(U256::from_be_bytes(h.0), Type::FixedBytes(32), span),
                        None => expr(ExprKind::Keccak(Box::new(data)), Type::FixedBytes(32), span),
                    },
                    ref other => {
                        let n = self.type_name(other);
                        self.error(
                            Diagnostic::error(
                                "E0302",
                                format!("mismatched types: expected `bytes`, found `{n}`"),
                            )
                            .with_primary(a.span, format!("this is `{n}`"))
                            .with_help(
                                "`keccak256` hashes `bytes`: build them with `abi.encode(…)`",
                            ),
                        );
                        error_expr(span)
                    }
                }
            }
            "require" | "revert" | "approve" if !stmt => {
                self.error(
                    Diagnostic::error(
                        "E0315",
                        format!("`{}` is a statement, not a value", name.name),
                    )
                    .with_primary(span, "used as a value")
                    .with_help("write it on its own line"),
                );
                error_expr(span)
            }
            "while" | "loop" => error_expr(span),
            _ => {
                let mut d = Diagnostic::error("E0201", format!("cannot find function `{}`", name.name))
                    .with_primary(name.span, "not found")
                    .with_help("builtins: `balance`, `eth_balance`, `min`, `max`, `address`, `keccak256`, `abi.encode`, `require`, `revert`, `approve`");
                if let Some(hint) = self.import_hint(&name.name) {
                    d = d.with_help(hint);
                }
                self.error(d);
                error_expr(span)
            }
        }
    }

    /// The common type of two arithmetic operands, reporting mismatches.
    fn arith_type(&mut self, l: &hir::Expr, r: &hir::Expr, span: Span, op: &str) -> Type {
        match (&l.ty, &r.ty) {
            (Type::Error, _) | (_, Type::Error) => Type::Error,
            (a, b) if a == b && a.is_numeric() => a.clone(),
            (Type::Uint(a), Type::Uint(b)) => Type::Uint(*a.max(b)),
            (Type::Int(a), Type::Int(b)) => Type::Int(*a.max(b)),
            (a, b) => {
                let (an, bn) = (self.type_name(a), self.type_name(b));
                let help = match (a, b) {
                    (Type::Amount(_), Type::Amount(_)) => {
                        "amounts of different tokens do not mix: convert one side with `as`"
                            .to_string()
                    }
                    (Type::Amount(t), _) | (_, Type::Amount(t)) => {
                        let n = &self.tokens[t.0 as usize].name;
                        format!("give the number its unit (`… {n}`), or convert with `as {n}`")
                    }
                    _ => "convert one side with `as`".to_string(),
                };
                self.error(
                    Diagnostic::error("E0302", format!("cannot apply `{op}` to `{an}` and `{bn}`"))
                        .with_primary(span, "mismatched operands")
                        .with_secondary(l.span, an)
                        .with_secondary(r.span, bn)
                        .with_help(help),
                );
                Type::Error
            }
        }
    }

    fn unary(
        &mut self,
        op: ast::UnaryOp,
        inner: &ast::Expr,
        expected: Option<&Type>,
        span: Span,
    ) -> hir::Expr {
        if let (ast::UnaryOp::Neg, ast::ExprKind::Number { raw, unit: None }) = (op, &inner.kind) {
            if let Some(v) = negative_literal(raw, expected, span) {
                return v;
            }
        }
        let v = self.check_expr(inner, expected);
        let (hop, ok) = match op {
            ast::UnaryOp::Not => (UnOp::Not, v.ty == Type::Bool),
            ast::UnaryOp::BitNot => (
                UnOp::BitNot,
                matches!(v.ty, Type::Uint(_) | Type::Int(_) | Type::FixedBytes(_)),
            ),
            ast::UnaryOp::Neg => (UnOp::Neg, matches!(v.ty, Type::Int(_))),
        };
        if v.ty == Type::Error {
            return error_expr(span);
        }
        if !ok {
            let name = self.type_name(&v.ty);
            let sym = match op {
                ast::UnaryOp::Not => "!",
                ast::UnaryOp::BitNot => "~",
                ast::UnaryOp::Neg => "-",
            };
            self.error(
                Diagnostic::error("E0302", format!("cannot apply `{sym}` to `{name}`"))
                    .with_primary(span, "wrong operand type")
                    .with_help(match op {
                        ast::UnaryOp::Not => "`!` takes a `bool`",
                        ast::UnaryOp::BitNot => "`~` takes an integer or `bytesN`",
                        ast::UnaryOp::Neg => "only signed integers (`int256`) can be negated",
                    }),
            );
            return error_expr(span);
        }
        if let ExprKind::Word(w) = v.kind {
            if hop == UnOp::Not {
                return word(U256::from(w.is_zero() as u8), Type::Bool, span);
            }
        }
        let ty = v.ty.clone();
        expr(
            ExprKind::Unary {
                op: hop,
                expr: Box::new(v),
            },
            ty,
            span,
        )
    }

    fn binary(
        &mut self,
        op: ast::BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        expected: Option<&Type>,
        span: Span,
    ) -> hir::Expr {
        use ast::BinaryOp as A;
        let bop = match op {
            A::Add => BinOp::Add,
            A::Sub => BinOp::Sub,
            A::Mul => BinOp::Mul,
            A::Div => BinOp::Div,
            A::Rem => BinOp::Rem,
            A::Pow => BinOp::Pow,
            A::Eq => BinOp::Eq,
            A::Ne => BinOp::Ne,
            A::Lt => BinOp::Lt,
            A::Le => BinOp::Le,
            A::Gt => BinOp::Gt,
            A::Ge => BinOp::Ge,
            A::And => BinOp::And,
            A::Or => BinOp::Or,
            A::BitAnd => BinOp::BitAnd,
            A::BitOr => BinOp::BitOr,
            A::BitXor => BinOp::BitXor,
            A::Shl => BinOp::Shl,
            A::Shr => BinOp::Shr,
        };
        let sym = op.as_str();
        match bop {
            BinOp::And | BinOp::Or => {
                let l = self.check_expr(lhs, Some(&Type::Bool));
                let l = self.coerce(l, &Type::Bool, false);
                let r = self.check_expr(rhs, Some(&Type::Bool));
                let r = self.coerce(r, &Type::Bool, false);
                expr(
                    ExprKind::Binary {
                        op: bop,
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                    },
                    Type::Bool,
                    span,
                )
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let l = self.check_expr(lhs, None);
                let r = self.check_expr(rhs, Some(&l.ty));
                let (l, r) = self.retype_literal_pair(l, r, rhs);
                let equality = matches!(bop, BinOp::Eq | BinOp::Ne);
                let ok = match (&l.ty, &r.ty) {
                    (Type::Error, _) | (_, Type::Error) => return error_expr(span),
                    (a, b) if a.is_addressish() && b.is_addressish() => equality,
                    (Type::Bool, Type::Bool) => equality,
                    (Type::FixedBytes(a), Type::FixedBytes(b)) => a == b,
                    (a, b) if a == b && a.is_numeric() => true,
                    (Type::Uint(_), Type::Uint(_)) | (Type::Int(_), Type::Int(_)) => true,
                    _ => false,
                };
                if !ok {
                    let (an, bn) = (self.type_name(&l.ty), self.type_name(&r.ty));
                    let help = if l.ty.is_addressish() || r.ty.is_addressish() {
                        "addresses compare only with `==` and `!=`".to_string()
                    } else if let (Type::Amount(_), _) | (_, Type::Amount(_)) = (&l.ty, &r.ty) {
                        "compare amounts of the same token, or convert with `as`".to_string()
                    } else {
                        "compare values of the same type".to_string()
                    };
                    self.error(
                        Diagnostic::error(
                            "E0302",
                            format!("cannot compare `{an}` with `{bn}` using `{sym}`"),
                        )
                        .with_primary(span, "mismatched comparison")
                        .with_help(help),
                    );
                    return error_expr(span);
                }
                if let (ExprKind::Word(a), ExprKind::Word(b)) = (&l.kind, &r.kind) {
                    if !matches!(l.ty, Type::Int(_)) {
                        let v = match bop {
                            BinOp::Eq => a == b,
                            BinOp::Ne => a != b,
                            BinOp::Lt => a < b,
                            BinOp::Le => a <= b,
                            BinOp::Gt => a > b,
                            _ => a >= b,
                        };
                        return word(U256::from(v as u8), Type::Bool, span);
                    }
                }
                expr(
                    ExprKind::Binary {
                        op: bop,
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                    },
                    Type::Bool,
                    span,
                )
            }
            _ => {
                let l = self.check_expr(lhs, expected.filter(|t| t.is_numeric()));
                let r_expected = match (bop, &l.ty) {
                    (
                        BinOp::Mul | BinOp::Div | BinOp::Pow | BinOp::Shl | BinOp::Shr,
                        Type::Amount(_),
                    ) => Some(Type::U256),
                    _ => Some(l.ty.clone()),
                };
                let r = self.check_expr(rhs, r_expected.as_ref());
                let (l, r) = self.retype_literal_pair(l, r, rhs);
                let ty = match (bop, &l.ty, &r.ty) {
                    (_, Type::Error, _) | (_, _, Type::Error) => return error_expr(span),
                    (BinOp::Mul, Type::Amount(t), Type::Uint(_))
                    | (BinOp::Mul, Type::Uint(_), Type::Amount(t)) => Type::Amount(*t),
                    (BinOp::Div, Type::Amount(t), Type::Uint(_)) => Type::Amount(*t),
                    (BinOp::Div, Type::Amount(a), Type::Amount(b)) if a == b => Type::U256,
                    (BinOp::Mul, Type::Amount(_), Type::Amount(_)) => {
                        self.error(
                            Diagnostic::error("E0302", "cannot multiply two amounts")
                                .with_primary(span, "amount × amount has no unit")
                                .with_help("multiply an amount by a plain integer, or convert with `as uint256`"),
                        );
                        return error_expr(span);
                    }
                    (
                        BinOp::Pow
                        | BinOp::Rem
                        | BinOp::BitAnd
                        | BinOp::BitOr
                        | BinOp::BitXor
                        | BinOp::Shl
                        | BinOp::Shr,
                        Type::Amount(_),
                        _,
                    )
                    | (
                        BinOp::Pow
                        | BinOp::Rem
                        | BinOp::BitAnd
                        | BinOp::BitOr
                        | BinOp::BitXor
                        | BinOp::Shl
                        | BinOp::Shr,
                        _,
                        Type::Amount(_),
                    ) => {
                        self.error(
                            Diagnostic::error(
                                "E0302",
                                format!("cannot apply `{sym}` to an amount"),
                            )
                            .with_primary(span, "amounts take `+ - * /` and comparisons")
                            .with_help("convert with `as uint256` first"),
                        );
                        return error_expr(span);
                    }
                    (BinOp::Shl | BinOp::Shr, a, Type::Uint(_))
                        if matches!(a, Type::Uint(_) | Type::Int(_) | Type::FixedBytes(_)) =>
                    {
                        a.clone()
                    }
                    (
                        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor,
                        Type::FixedBytes(a),
                        Type::FixedBytes(b),
                    ) if a == b => Type::FixedBytes(*a),
                    _ => self.arith_type(&l, &r, span, sym),
                };
                if ty == Type::Error {
                    return error_expr(span);
                }
                // Mixed operands keep their own types: amount × integer, amount ÷ amount.
                let mixed = matches!(
                    (&ty, &l.ty),
                    (Type::Amount(_), Type::Uint(_)) | (Type::Uint(256), Type::Amount(_))
                );
                let l = if mixed { l } else { self.coerce(l, &ty, false) };
                let r = match (&ty, &r.ty) {
                    (Type::Amount(_), Type::Uint(_)) | (Type::Uint(256), Type::Amount(_)) => r,
                    (_, _) if matches!(bop, BinOp::Shl | BinOp::Shr) => r,
                    _ => self.coerce(r, &ty, false),
                };
                if let Some(v) = self.fold(bop, &l, &r, &ty, span) {
                    return v;
                }
                expr(
                    ExprKind::Binary {
                        op: bop,
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                    },
                    ty,
                    span,
                )
            }
        }
    }

    /// When the left operand is an untyped literal and the right is typed, give the
    /// literal the right's type (`1 + x` where `x: uint8`).
    fn retype_literal_pair(
        &mut self,
        l: hir::Expr,
        r: hir::Expr,
        _rhs: &ast::Expr,
    ) -> (hir::Expr, hir::Expr) {
        if let (ExprKind::Word(v), Type::Uint(256), t @ (Type::Uint(_) | Type::Int(_))) =
            (&l.kind, &l.ty, &r.ty)
        {
            if fits(*v, t) {
                let ty = t.clone();
                return (hir::Expr { ty, ..l }, r);
            }
        }
        (l, r)
    }

    /// Folds arithmetic on compile-time values, reporting overflow at compile time.
    fn fold(
        &mut self,
        op: BinOp,
        l: &hir::Expr,
        r: &hir::Expr,
        ty: &Type,
        span: Span,
    ) -> Option<hir::Expr> {
        let (ExprKind::Word(a), ExprKind::Word(b)) = (&l.kind, &r.kind) else {
            return None;
        };
        let (bits, signed) = ty.int_bits()?;
        if signed {
            return None;
        }
        let max = if bits == 256 {
            U256::MAX
        } else {
            (U256::from(1u8) << bits) - U256::from(1u8)
        };
        let v = match op {
            BinOp::Add => a.checked_add(*b),
            BinOp::Sub => a.checked_sub(*b),
            BinOp::Mul => a.checked_mul(*b),
            BinOp::Div => a.checked_div(*b),
            BinOp::Rem => a.checked_rem(*b),
            BinOp::Pow => a.checked_pow(*b),
            BinOp::BitAnd => Some(a & b),
            BinOp::BitOr => Some(a | b),
            BinOp::BitXor => Some(a ^ b),
            BinOp::Shl => Some(if *b >= U256::from(256) {
                U256::ZERO
            } else {
                (*a << b.to::<usize>()) & max
            }),
            BinOp::Shr => Some(if *b >= U256::from(256) {
                U256::ZERO
            } else {
                *a >> b.to::<usize>()
            }),
            _ => return None,
        };
        match v.filter(|v| *v <= max) {
            Some(v) => Some(word(v, ty.clone(), span)),
            None => {
                let why = if matches!(op, BinOp::Div | BinOp::Rem) {
                    "division by zero"
                } else {
                    "overflows"
                };
                let tn = self.type_name(ty);
                self.error(
                    Diagnostic::error("E0316", format!("this constant expression {why}"))
                        .with_primary(span, format!("does not fit in `{tn}`"))
                        .with_note("it would revert every time the script runs"),
                );
                Some(error_expr(span))
            }
        }
    }

    /// `v as to`.
    fn cast(&mut self, v: hir::Expr, to: &Type, span: Span) -> hir::Expr {
        let ok = match (&v.ty, to) {
            (Type::Error, _) | (_, Type::Error) => return error_expr(span),
            (a, b) if a == b => true,
            (Type::Uint(_) | Type::Amount(_), Type::Uint(_)) => true,
            (Type::Uint(_), Type::Amount(_)) => true,
            (Type::Int(_), Type::Int(_)) => true,
            (Type::Uint(_), Type::Int(_)) | (Type::Int(_), Type::Uint(_)) => true,
            (a, Type::Address) if a.is_addressish() => true,
            (a, Type::Contract(_)) if a.is_addressish() => true,
            _ => false,
        };
        if !ok {
            let (an, bn) = (self.type_name(&v.ty), self.type_name(to));
            let help = match (&v.ty, to) {
                (Type::Amount(_), Type::Amount(_)) => "amounts of different tokens do not convert: go through `as uint256` if you mean it".to_string(),
                (Type::Uint(_), Type::Address) => "integers never convert to addresses".to_string(),
                _ => "this conversion is not allowed".to_string(),
            };
            self.error(
                Diagnostic::error("E0317", format!("cannot convert `{an}` to `{bn}`"))
                    .with_primary(span, "invalid conversion")
                    .with_help(help),
            );
            return error_expr(span);
        }
        if let (ExprKind::Word(w), false) = (&v.kind, matches!(v.ty, Type::Int(_))) {
            let w = *w;
            if let Some((bits, false)) = to.int_bits() {
                if fits(w, &Type::Uint(bits)) {
                    return word(w, to.clone(), span);
                }
            } else if !matches!(to, Type::Int(_)) {
                return word(w, to.clone(), span);
            }
        }
        if needs_range_check(&v.ty, to) {
            return expr(ExprKind::Cast(Box::new(v)), to.clone(), span);
        }
        hir::Expr {
            ty: to.clone(),
            span,
            ..v
        }
    }

    /// Converts `v` to `to` where the language does it implicitly, reporting a type
    /// mismatch otherwise. `call_arg` allows amounts to decay to `uint256`.
    pub(crate) fn coerce(&mut self, v: hir::Expr, to: &Type, call_arg: bool) -> hir::Expr {
        let ok = match (&v.ty, to) {
            (Type::Error, _) | (_, Type::Error) => true,
            (a, b) if a == b => true,
            (Type::Uint(a), Type::Uint(b)) => a <= b,
            (Type::Int(a), Type::Int(b)) => a <= b,
            (Type::Amount(_), Type::Uint(256)) => call_arg,
            (a, Type::Address) => a.is_addressish(),
            (Type::Array(a, la), Type::Array(b, lb)) => {
                (la == lb || lb.is_none())
                    && (a == b || (b.as_ref() == &Type::Address && a.is_addressish()))
            }
            _ => false,
        };
        if ok {
            if matches!(v.ty, Type::Error) {
                return v;
            }
            if let Type::Array(_, Some(n)) = &v.ty {
                if let Type::Array(b, _) = to {
                    let n = *n;
                    return hir::Expr {
                        ty: Type::Array(b.clone(), Some(n)),
                        ..v
                    };
                }
            }
            return hir::Expr {
                ty: to.clone(),
                ..v
            };
        }
        let (an, bn) = (self.type_name(&v.ty), self.type_name(to));
        let help = match (&v.ty, to) {
            (Type::Amount(_), Type::Amount(t)) => {
                format!("amounts of different tokens do not mix; if you really mean it, convert with `as {}`", self.tokens[t.0 as usize].name)
            }
            (Type::Uint(_), Type::Amount(t)) => {
                format!("convert it with `as {}`", self.tokens[t.0 as usize].name)
            }
            (Type::Amount(_), Type::Uint(_)) => "convert it with `as uint256`".to_string(),
            (Type::Uint(_), Type::Uint(_)) => {
                format!("narrow it explicitly with `as {bn}` (reverts if it does not fit)")
            }
            _ => format!("expected a value of type `{bn}`"),
        };
        self.error(
            Diagnostic::error(
                "E0302",
                format!("mismatched types: expected `{bn}`, found `{an}`"),
            )
            .with_primary(v.span, format!("this is `{an}`"))
            .with_help(help),
        );
        error_expr(v.span)
    }
}

/// Whether a literal fits an integer type.
fn fits(v: U256, t: &Type) -> bool {
    match t.int_bits() {
        Some((256, false)) => true,
        Some((bits, false)) => v < (U256::from(1u8) << bits),
        Some((bits, true)) => v < (U256::from(1u8) << (bits - 1)),
        None => false,
    }
}

/// `-N` for an integer literal N: a signed constant of the expected signed type
/// when it fits (`-128` is an `int8`), else of `int256`; None when it fits neither.
fn negative_literal(raw: &str, expected: Option<&Type>, span: Span) -> Option<hir::Expr> {
    let Ok(NumberValue::Int(v)) = parse_number(raw) else {
        return None;
    };
    let fits_neg = |bits: u16| v <= (U256::from(1u8) << (bits - 1));
    let bits = match expected {
        Some(Type::Int(b)) if fits_neg(*b) => *b,
        _ if fits_neg(256) => 256,
        _ => return None,
    };
    Some(word(v.wrapping_neg(), Type::Int(bits), span))
}

/// Whether converting `from` to `to` may lose information (and so must revert).
fn needs_range_check(from: &Type, to: &Type) -> bool {
    match (from.int_bits(), to.int_bits()) {
        (Some((a, sa)), Some((b, sb))) => sa != sb || b < a,
        _ => false,
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

/// Hover text of builtin functions.
pub(crate) fn builtin_detail(name: &str) -> Option<&'static str> {
    Some(match name {
        "balance" => "balance(TOKEN) -> TOKEN — the vault's balance of a token, as an amount",
        "eth_balance" => "eth_balance() -> uint256 — the vault's ETH balance in wei",
        "min" => "min(a, b) — the smaller of two values of one type",
        "max" => "max(a, b) — the larger of two values of one type",
        "address" => "address(x) -> address — a token or contract instance as an address",
        "require" => "require(condition, \"message\") — revert with Error(message) when false",
        "revert" => "revert(\"message\") — revert with Error(message)",
        "approve" => {
            "approve(token, spender, amount) — grant an ERC-20 allowance; revoked at every exit"
        }
        "keccak256" => "keccak256(data: bytes) -> bytes32 — the Keccak-256 hash",
        "abi.encode" => "abi.encode(values…) -> bytes — the standard ABI encoding of the values",
        _ => return None,
    })
}
