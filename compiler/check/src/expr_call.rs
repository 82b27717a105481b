//! Typing calls: interface functions, helper functions, casts to interfaces, builtins.

use crate::expr::{error_expr, expr, word};
use crate::hir::{self, Call, EnvValue, ExprKind};
use crate::scope::{Checker, Symbol};
use crate::ty::{InterfaceId, TokenId, Type};
use alloy_primitives::U256;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

impl Checker<'_> {
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
                self.named_call(callee, name, args, span, stmt)
            }
            ast::ExprKind::Field { base, field } if self.is_abi_namespace(base) => {
                self.abi_call(callee, field, args, span)
            }
            ast::ExprKind::Field { base, field } => {
                self.method_call(base, field, options, args, span, stmt)
            }
            _ => self.not_callable("this expression cannot be called", callee.span, span),
        }
    }

    /// `E0312`: a call of something that is not a function.
    fn not_callable(&mut self, message: impl Into<String>, callee: Span, span: Span) -> hir::Expr {
        self.error(
            Diagnostic::error("E0312", message)
                .with_primary(callee, "not a function")
                .with_help("call a `fn`, a builtin, or a function of an interface: `C.f(…)`"),
        );
        error_expr(span)
    }

    /// `f(…)` by name: a helper function, an interface's constructor (`IERC20(addr)`),
    /// or, when the name is no item, a builtin.
    fn named_call(
        &mut self,
        callee: &ast::Expr,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
        stmt: bool,
    ) -> hir::Expr {
        let found = self.lookup_item(self.current, &name.name, name.span);
        if let Some(sym) = &found {
            self.record_symbol(name.span, &name.name, sym, false);
        }
        if let Some(f) = found.as_ref().and_then(Checker::as_fn) {
            return self.fn_call(f, name, args, span);
        }
        match found {
            Some(Symbol::Interface(i)) => self.interface_instance(i, name, args, span),
            Some(_) => self.not_callable(
                format!("`{}` cannot be called", name.name),
                callee.span,
                span,
            ),
            None => self.builtin(name, args, span, stmt),
        }
    }

    /// `IERC20(addr)`: an instance of interface `i` at an address.
    fn interface_instance(
        &mut self,
        i: InterfaceId,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> hir::Expr {
        let [arg] = args else {
            self.arity(span, &name.name, 1, args.len());
            return error_expr(span);
        };
        let a = self.check_expr(arg, Some(&Type::Address));
        let a = self.coerce(a, &Type::Address);
        let mut out = hir::Expr {
            ty: Type::Contract(i),
            span,
            ..a
        };
        if matches!(out.kind, ExprKind::Error) {
            out.ty = Type::Error;
        }
        out
    }

    /// `abi.encode(…)`, the one function of the builtin `abi`.
    fn abi_call(
        &mut self,
        callee: &ast::Expr,
        field: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> hir::Expr {
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

    /// `c.f(…)` where `c` is a contract instance: the function of its interface named
    /// `f` with as many parameters as arguments.
    fn method_call(
        &mut self,
        base: &ast::Expr,
        field: &ast::Ident,
        options: &[(ast::Ident, ast::Expr)],
        args: &[ast::Expr],
        span: Span,
        stmt: bool,
    ) -> hir::Expr {
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
        let Some(fi) = self.method(iface, field, args, span) else {
            return error_expr(span);
        };
        self.record_function(field.span, iface, fi);
        if !self.check_called_function(iface, fi, &target, span) {
            return error_expr(span);
        }
        self.interface_call((iface, fi), target, options, args, span, stmt)
    }

    /// The function of interface `iface` that `field(args)` calls, reporting an error
    /// of the interface, an unknown name or no overload of that arity.
    fn method(
        &mut self,
        iface: InterfaceId,
        field: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Option<usize> {
        let idef = &self.interfaces[iface.0 as usize];
        let candidates: Vec<usize> = idef
            .functions
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name == field.name)
            .map(|(i, _)| i)
            .collect();
        if candidates.is_empty() && idef.errors.iter().any(|e| e.name == field.name) {
            let iname = idef.name.clone();
            self.error(
                Diagnostic::error(
                    "E0312",
                    format!("`{}` is an error of `{iname}`, not a function", field.name),
                )
                .with_primary(field.span, "cannot be called")
                .with_note("a contract reverts with its errors; a dry run names them when it does")
                .with_help(
                    "to stop the script, use `revert(\"…\")` or `require(condition, \"…\")`",
                ),
            );
            return None;
        }
        if candidates.is_empty() {
            self.unknown_method(iface, field);
            return None;
        }
        if let Some(&fi) = candidates
            .iter()
            .find(|&&i| idef.functions[i].inputs.len() == args.len())
        {
            return Some(fi);
        }
        // The overload whose arity is nearest the call's.
        let f = candidates
            .iter()
            .map(|&i| &idef.functions[i])
            .min_by_key(|f| f.inputs.len().abs_diff(args.len()))
            .unwrap_or(&idef.functions[candidates[0]]);
        let signature = f.signature.clone();
        let params: Vec<String> = f
            .inputs
            .iter()
            .enumerate()
            .map(
                |(i, t)| match f.input_names.get(i).filter(|n| !n.is_empty()) {
                    Some(n) => format!("{n}: {}", t.sol_type_name()),
                    None => t.sol_type_name().to_string(),
                },
            )
            .collect();
        self.arity_named(span, &signature, &params, args);
        None
    }

    /// `E0205`: interface `iface` has no function named `field`.
    fn unknown_method(&mut self, iface: InterfaceId, field: &ast::Ident) {
        let idef = &self.interfaces[iface.0 as usize];
        let mut names: Vec<String> = idef.functions.iter().map(|f| f.name.clone()).collect();
        names.dedup();
        let iname = idef.name.clone();
        let help = match crate::suggest::closest(&field.name, names.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if names.is_empty() => format!("`{iname}` has no functions that compiled"),
            None => format!("its functions are {}", crate::suggest::list(&names, 10)),
        };
        self.error(
            Diagnostic::error(
                "E0205",
                format!("`{iname}` has no function `{}`", field.name),
            )
            .with_primary(field.span, "unknown function")
            .with_help(help),
        );
    }

    /// A call of function `fi` of interface `iface` on `target`, once the permission
    /// model accepted it: the arguments (amounts bound by `#[units]`: `units_call.rs`),
    /// `{value: …}`, and the result's type.
    fn interface_call(
        &mut self,
        (iface, fi): (InterfaceId, usize),
        target: hir::Expr,
        options: &[(ast::Ident, ast::Expr)],
        args: &[ast::Expr],
        span: Span,
        stmt: bool,
    ) -> hir::Expr {
        let f = self.interfaces[iface.0 as usize].functions[fi].clone();
        // Amounts bound to a token by `#[units]` are checked (units_call.rs).
        let (hargs, written) = self.interface_args(&f, &target, args);
        let value = self.call_value(&f, options);
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
        let ty = self.interface_result(&f, &target, &written, span);
        let call = Call {
            interface: iface,
            function: fi,
            target,
            args: hargs,
            value,
        };
        expr(ExprKind::Call(Box::new(call)), ty, span)
    }

    /// The ETH sent with a call (`c.f{value: x}(…)`): only `value`, only to a payable
    /// function.
    fn call_value(
        &mut self,
        f: &hir::FunctionDef,
        options: &[(ast::Ident, ast::Expr)],
    ) -> Option<hir::Expr> {
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
            value = Some(self.coerce(x, &Type::U256));
        }
        value
    }

    /// Whether `base` is the builtin `abi` (not shadowed by a local or an item).
    pub(crate) fn is_abi_namespace(&mut self, base: &ast::Expr) -> bool {
        let ast::ExprKind::Ident(b) = &base.kind else {
            return false;
        };
        b.name == "abi"
            && self.lookup_local(&b.name).is_none()
            && self.lookup_item(self.current, &b.name, b.span).is_none()
    }

    /// `abi.encode(values…)`: any values with an ABI type; bare integers are `uint256`.
    pub(crate) fn abi_encode(&mut self, args: &[ast::Expr], span: Span) -> hir::Expr {
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
            .with_primary(span, "wrong number of arguments")
            .with_help(format!(
                "pass {want} argument{}",
                if want == 1 { "" } else { "s" }
            )),
        );
    }

    /// `E0314` naming what is missing or extra: `params` describes each parameter
    /// (`name: type`, or a name), `args` are the arguments given.
    pub(crate) fn arity_named(
        &mut self,
        span: Span,
        what: &str,
        params: &[String],
        args: &[ast::Expr],
    ) {
        let (want, got) = (params.len(), args.len());
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let quoted = |ps: &[String]| {
            ps.iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut d = Diagnostic::error(
            "E0314",
            format!(
                "`{what}` takes {want} argument{}, {got} given",
                plural(want)
            ),
        );
        if got < want {
            let missing = &params[got..];
            d = d
                .with_primary(span, format!("missing {}", quoted(missing)))
                .with_help(format!(
                    "add the missing argument{}: {}",
                    plural(missing.len()),
                    quoted(missing)
                ));
        } else {
            d = d.with_primary(span, "too many arguments");
            for (i, a) in args.iter().enumerate().skip(want) {
                d = d.with_secondary(a.span, format!("extra argument {}", i + 1));
            }
            let help = if want == 0 {
                "it takes no arguments: remove them".to_string()
            } else {
                format!(
                    "remove the extra argument{}; it takes {}",
                    plural(got - want),
                    quoted(params)
                )
            };
            d = d.with_help(help);
        }
        self.error(d);
    }

    fn arity_builtin(&mut self, span: Span, what: &str, params: &[&str], args: &[ast::Expr]) {
        let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        self.arity_named(span, what, &params, args);
    }

    pub(crate) fn builtin(
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
            "balance" => self.balance(args, span),
            "eth_balance" => {
                if !args.is_empty() {
                    self.arity_builtin(span, "eth_balance", &[], args);
                }
                expr(ExprKind::Env(EnvValue::SelfBalance), Type::U256, span)
            }
            "at_par" => self.at_par(args, span),
            "fixed" => self.fixed_point(args, span),
            "address" => {
                let [a] = args else {
                    self.arity_builtin(span, "address", &["x"], args);
                    return error_expr(span);
                };
                let v = self.check_expr(a, Some(&Type::Address));
                self.coerce(v, &Type::Address)
            }
            "min" | "max" => self.min_max(name, args, span),
            "keccak256" => self.keccak256(args, span),
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
            _ => self.unknown_function(name, span),
        }
    }

    /// `balance(TOKEN)`: an amount of that token (base units for a run-time token).
    fn balance(&mut self, args: &[ast::Expr], span: Span) -> hir::Expr {
        let [t] = args else {
            self.arity_builtin(span, "balance", &["token"], args);
            return error_expr(span);
        };
        let tok = self.check_expr(t, None);
        match tok.ty {
            Type::Token(id) => expr(ExprKind::Balance(Box::new(tok)), Type::Amount(id), span),
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

    /// `min(a, b)`, `max(a, b)`: operands of one numeric type, folded when both are known.
    fn min_max(&mut self, name: &ast::Ident, args: &[ast::Expr], span: Span) -> hir::Expr {
        let [a, b] = args else {
            self.arity_builtin(span, &name.name, &["a", "b"], args);
            return error_expr(span);
        };
        let l = self.check_expr(a, None);
        let r = self.check_expr(b, Some(&l.ty));
        // A literal takes the other operand's type, whichever side it is on.
        let (l, r) = self.retype_literal_pair(l, r, b);
        let ty = self.arith_type(&l, &r, span, &name.name);
        let l = self.coerce(l, &ty);
        let r = self.coerce(r, &ty);
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

    /// `keccak256(data)`: the hash of `bytes` (or a string), folded when they are known.
    fn keccak256(&mut self, args: &[ast::Expr], span: Span) -> hir::Expr {
        let [a] = args else {
            self.arity_builtin(span, "keccak256", &["data: bytes"], args);
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
                    .with_help("`keccak256` hashes `bytes`: build them with `abi.encode(…)`"),
                );
                error_expr(span)
            }
        }
    }

    /// `E0201`: a call of a name that is no item and no builtin.
    fn unknown_function(&mut self, name: &ast::Ident, span: Span) -> hir::Expr {
        let mut d = Diagnostic::error("E0201", format!("cannot find function `{}`", name.name))
            .with_primary(name.span, "not found")
            .with_help("builtins: `balance`, `eth_balance`, `at_par`, `fixed`, `min`, `max`, `address`, `keccak256`, `abi.encode`, `require`, `revert`, `approve`");
        if let Some(hint) = self.import_hint(&name.name) {
            d = d.with_help(hint);
        }
        self.error(d);
        error_expr(span)
    }
}

/// Hover text of builtin functions.
pub(crate) fn builtin_detail(name: &str) -> Option<&'static str> {
    Some(match name {
        "balance" => "balance(TOKEN) -> TOKEN — the vault's balance of a token, as an amount",
        "eth_balance" => "eth_balance() -> uint256 — the vault's ETH balance in wei",
        "at_par" => "at_par(amount, TOKEN) -> TOKEN — the same quantity restated in another token's decimals (1,000 USDC → 1,000 DAI); no price is applied; refuses precision loss",
        "fixed" => crate::type_values::FIXED_DETAIL,
        "min" => "min(a, b) — the smaller of two values of one type",
        "max" => "max(a, b) — the larger of two values of one type",
        "address" => "address(x) -> address — a token or contract instance as an address",
        "require" => "require(condition, \"message\") — revert with Error(message) when false",
        "revert" => "revert(\"message\") — revert with Error(message)",
        "revoke" => "revoke(CALL) — revoke a permission an earlier transaction granted: CALL is the family's canonical revocation, e.g. revoke(T.approve(spender, 0))",
        "approve" => {
            "approve(token, spender, amount) — grant an ERC-20 allowance; revoked at every exit"
        }
        "keccak256" => "keccak256(data: bytes) -> bytes32 — the Keccak-256 hash",
        "abi.encode" => "abi.encode(values…) -> bytes — the standard ABI encoding of the values",
        _ => return None,
    })
}

impl Checker<'_> {
    /// `at_par(amount, TOKEN)`: the amount restated, unit for unit, in another
    /// token's decimals (`at_par(1_000 USDC, DAI)` is `1_000 DAI`). It applies no
    /// price. To more decimals it multiplies (checked); to fewer it divides, which
    /// must be exact: a compile-time amount is checked here, and a run-time one is
    /// refused (it could silently drop a remainder).
    /// `at_par(x, TOKEN)`: an amount restated unit for unit in another token's
    /// decimals (exactly: a constant that would lose digits, or a run-time amount going
    /// to fewer decimals, is an error).
    fn at_par(&mut self, args: &[ast::Expr], span: Span) -> hir::Expr {
        let [a, t] = args else {
            self.arity_builtin(span, "at_par", &["amount", "token"], args);
            return error_expr(span);
        };
        let v = self.check_expr(a, None);
        let tok = self.check_expr(t, None);
        let to = match tok.ty {
            Type::Token(id) => id,
            Type::Error => return error_expr(span),
            _ => {
                self.error(
                    Diagnostic::error("E0302", "`at_par` restates an amount in a token")
                        .with_primary(t.span, "not a token")
                        .with_help(
                            "pass a token name as the second argument, e.g. `at_par(x, DAI)`",
                        ),
                );
                return error_expr(span);
            }
        };
        let from = match v.ty {
            Type::Amount(id) => id,
            Type::Error => return error_expr(span),
            ref other => {
                let n = self.type_name(other);
                let to_name = self.tokens[to.0 as usize].name.clone();
                self.error(
                    Diagnostic::error(
                        "E0302",
                        format!("mismatched types: `at_par` takes a token amount, found `{n}`"),
                    )
                    .with_primary(a.span, format!("this is `{n}`"))
                    .with_help(format!(
                        "give the number its unit (`… {to_name}`) instead; `at_par` converts an amount of one token to another"
                    )),
                );
                return error_expr(span);
            }
        };
        match v.kind {
            ExprKind::Word(w) => self.at_par_constant(w, from, to, a.span, span),
            _ => self.at_par_run_time(v, from, to, a.span, span),
        }
    }

    /// The decimals and names of `at_par`'s two tokens, and the factor between them.
    fn par(&self, from: TokenId, to: TokenId) -> Par {
        let (f, t) = (&self.tokens[from.0 as usize], &self.tokens[to.0 as usize]);
        Par {
            fd: f.decimals,
            td: t.decimals,
            from_name: f.name.clone(),
            to_name: t.name.clone(),
            k: U256::from(10u8).pow(U256::from(f.decimals.abs_diff(t.decimals))),
        }
    }

    /// `at_par` of a constant amount `w`: restated at compile time.
    fn at_par_constant(
        &mut self,
        w: U256,
        from: TokenId,
        to: TokenId,
        arg: Span,
        span: Span,
    ) -> hir::Expr {
        let Par {
            fd,
            td,
            from_name,
            to_name,
            k,
        } = self.par(from, to);
        let ty = Type::Amount(to);
        if td >= fd {
            return match w.checked_mul(k) {
                Some(r) => word(r, ty, span),
                None => {
                    self.error(
                        Diagnostic::error("E0316", format!("`{to_name}` cannot hold this amount"))
                            .with_primary(span, "overflows 256 bits when restated")
                            .with_help("restate a smaller amount"),
                    );
                    error_expr(span)
                }
            };
        }
        if w % k != U256::ZERO {
            self.error(
                Diagnostic::error(
                    "E0309",
                    format!("`{to_name}` has {td} decimals; this amount has more"),
                )
                .with_primary(arg, format!("not a whole number of {to_name} base units"))
                .with_note(format!(
                    "`at_par` never rounds: {from_name} has {fd} decimals, {to_name} {td}"
                ))
                .with_help(format!("round the amount to {td} fractional digits")),
            );
            return error_expr(span);
        }
        word(w / k, ty, span)
    }

    /// `at_par` of an amount known at run time: the same words, or multiplied by the
    /// factor between the decimals.
    fn at_par_run_time(
        &mut self,
        v: hir::Expr,
        from: TokenId,
        to: TokenId,
        arg: Span,
        span: Span,
    ) -> hir::Expr {
        let Par {
            fd,
            td,
            from_name,
            to_name,
            k,
        } = self.par(from, to);
        let ty = Type::Amount(to);
        if td == fd {
            return hir::Expr { ty, span, ..v };
        }
        if td < fd {
            self.error(
                Diagnostic::error(
                    "E0317",
                    format!("cannot restate a run-time `{from_name}` amount in `{to_name}`"),
                )
                .with_primary(arg, "known only when the script runs")
                .with_note(format!(
                    "{to_name} has fewer decimals ({td}) than {from_name} ({fd}): the restated amount could drop a remainder"
                ))
                .with_help(format!(
                    "restate a compile-time amount, or go the other way (`at_par(x, {from_name})` from a `{to_name}` amount)"
                )),
            );
            return error_expr(span);
        }
        let raw = hir::Expr {
            ty: Type::U256,
            ..v
        };
        expr(
            ExprKind::Binary {
                op: hir::BinOp::Mul,
                lhs: Box::new(raw),
                rhs: Box::new(word(k, Type::U256, span)),
            },
            ty,
            span,
        )
    }
}

/// What `at_par` needs of its two tokens: their decimals and names, and the power of
/// ten between the decimals.
struct Par {
    fd: u8,
    td: u8,
    from_name: String,
    to_name: String,
    k: U256,
}

#[cfg(test)]
mod at_par_tests {
    use crate::test_util::codes;

    #[test]
    fn restates_exactly_both_ways() {
        // A folded comparison that is false is W0301: none means the values are equal.
        let head = "use std::ethereum::{USDC, DAI}\n";
        for (expr, want) in [
            ("at_par(1_000 USDC, DAI) == 1_000 DAI", true),
            ("at_par(1_000 DAI, USDC) == 1_000 USDC", true),
            ("at_par(0.5 DAI, USDC) == 0.5 USDC", true),
            ("at_par(1_000 DAI, USDC) == 999 USDC", false),
            ("at_par(1 USDC, USDC) == 1 USDC", true),
        ] {
            let got = codes(&format!("{head}require({expr}, \"x\")\n"));
            assert_eq!(got.is_empty(), want, "{expr}: {got:?}");
        }
        assert_eq!(
            codes(&format!(
                "{head}let x = at_par(0.0000001 DAI, USDC)\nreturn x\n"
            )),
            ["E0309"]
        );
        assert_eq!(
            codes(&format!(
                "{head}let x = at_par(balance(DAI), USDC)\nreturn x\n"
            )),
            ["E0317"]
        );
        assert!(codes(&format!(
            "{head}let x = at_par(balance(USDC), DAI)\nreturn x\n"
        ))
        .is_empty());
        assert_eq!(
            codes(&format!("{head}let x = at_par(5, DAI)\nreturn x\n")),
            ["E0302"]
        );
    }
}
