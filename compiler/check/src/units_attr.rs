//! Reading `#[units]` and `#[views]`: which token each amount of an interface
//! function is in, and what a declared contract's address-returning views return.
//!
//! ```text
//! #[units(amount = asset, returns = asset)]          on a function
//! #[units(supply, amount = asset)]                   on an interface (ABI files too)
//! #[views(asset = DAI)] token SDAI = 0x…, decimals 18
//! ```
//!
//! A key names an amount: a `uintN` parameter, a `uintN` field of a tuple parameter,
//! a named return value, or `returns` (the one return value). A value names its
//! token: a parameter (`asset`), a field (`params.tokenIn`), an element of a path
//! (`path[0]`, `path[-1]` the last; an `address[]` or a packed Uniswap V3 path), a
//! whole path for an array of amounts (`amounts = path`: `amounts[i]` in `path[i]`),
//! `self` (the called contract), `self.asset()` (what the called contract's
//! declaration says its view `asset()` returns), or a token in scope.

use crate::hir::{AmountPlace, FunctionDef, TokenSource, UnitBinding};
use crate::scope::{Checker, Symbol};
use alloy_dyn_abi::DynSolType;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

const UNITS_HELP: &str = "write `#[units(amount = asset)]`: a `uintN` parameter, struct field or return value (`returns` for the only one), bound to a parameter, a field (`params.tokenIn`), a path element (`path[0]`, `path[-1]`), `self`, `self.asset()` or a token";

/// What a binding's value names before it is checked against the place.
enum Named {
    /// An address (a token).
    Address(TokenSource),
    /// An `address[]` (or a packed path, `bytes`), not indexed.
    List(TokenSource),
}

impl Checker<'_> {
    /// Sets `units` on the functions of a declared interface: from each function's own
    /// `#[units]` (`sigs` and `functions` in the same order, as in
    /// `classify_functions`) and from the interface's (`#[units(f, …)]`).
    pub(crate) fn resolve_units(
        &mut self,
        sigs: Option<&[ast::FunctionSig]>,
        functions: &mut [FunctionDef],
        iface_attrs: &[ast::Attribute],
    ) {
        if let Some(sigs) = sigs {
            let mut fi = 0;
            for sig in sigs {
                if fi >= functions.len() || functions[fi].name != sig.name.name {
                    continue;
                }
                for attr in sig.attrs.iter().filter(|a| a.name.name == "units") {
                    let found = self.units_args(attr, &attr.args, fi, functions);
                    functions[fi].units.extend(found);
                }
                fi += 1;
            }
        }
        for attr in iface_attrs.iter().filter(|a| a.name.name == "units") {
            let name = match attr.args.first() {
                Some(ast::AttrArg {
                    key: None,
                    value:
                        ast::Expr {
                            kind: ast::ExprKind::Ident(n),
                            ..
                        },
                }) => n.clone(),
                _ => {
                    self.units_error(
                        attr.span,
                        "on an interface, `#[units]` first names the function",
                        "write `#[units(supply, amount = asset)]`",
                    );
                    continue;
                }
            };
            let targets: Vec<usize> = (0..functions.len())
                .filter(|&i| functions[i].name == name.name)
                .collect();
            if targets.is_empty() {
                self.units_error(
                    name.span,
                    &format!("the interface has no function `{}`", name.name),
                    "name one of the interface's functions first",
                );
                continue;
            }
            for fi in targets {
                let found = self.units_args(attr, &attr.args[1..], fi, functions);
                functions[fi].units.extend(found);
            }
        }
    }

    /// The bindings `args` of one `#[units]` attribute say for function `fi`.
    fn units_args(
        &mut self,
        attr: &ast::Attribute,
        args: &[ast::AttrArg],
        fi: usize,
        functions: &[FunctionDef],
    ) -> Vec<UnitBinding> {
        let f = &functions[fi];
        let mut out = Vec::new();
        if args.is_empty() {
            self.units_error(attr.span, "`#[units]` binds nothing", UNITS_HELP);
        }
        for arg in args {
            let Some(key) = &arg.key else {
                self.units_error(arg.value.span, "expected `amount = token`", UNITS_HELP);
                continue;
            };
            let Some((place, is_list)) = self.units_place(f, key) else {
                continue;
            };
            let Some(named) = self.units_value(f, &arg.value, functions) else {
                continue;
            };
            let source = match (named, is_list) {
                (Named::Address(s), false) => s,
                (
                    Named::List(TokenSource::Arg {
                        param,
                        field,
                        index: None,
                        ..
                    }),
                    true,
                ) => TokenSource::Arg {
                    param,
                    field,
                    index: None,
                    each: true,
                },
                (Named::List(_), false) => {
                    self.units_error(
                        arg.value.span,
                        "this is a list of tokens, and the amount is one value",
                        "name one element: `path[0]`, or `path[-1]` for the last",
                    );
                    continue;
                }
                (_, true) => {
                    self.units_error(
                        arg.value.span,
                        &format!("`{}` is an array of amounts: bind it to an `address[]` parameter, element by element", key.name),
                        "write `amounts = path`",
                    );
                    continue;
                }
            };
            if out
                .iter()
                .chain(&f.units)
                .any(|b: &UnitBinding| b.place == place)
            {
                self.units_error(
                    key.span,
                    &format!("`{}` is bound twice", key.name),
                    "bind each amount once",
                );
                continue;
            }
            out.push(UnitBinding { place, source });
        }
        out
    }

    /// The amount a key names, and whether it is an array of amounts.
    fn units_place(&mut self, f: &FunctionDef, key: &ast::Ident) -> Option<(AmountPlace, bool)> {
        let name = key.name.as_str();
        let uint = |t: &DynSolType| matches!(t, DynSolType::Uint(_));
        let candidates = || {
            let mut names: Vec<String> = Vec::new();
            for (i, t) in f.inputs.iter().enumerate() {
                if uint(t) {
                    names.push(f.input_names[i].clone());
                }
                if let DynSolType::Tuple(ts) = t {
                    for (j, ft) in ts.iter().enumerate() {
                        if let (true, Some(n)) = (uint(ft), f.input_fields[i].get(j)) {
                            names.push(n.clone());
                        }
                    }
                }
            }
            for (i, t) in f.outputs.iter().enumerate() {
                if uint(t) || matches!(t, DynSolType::Array(e) if uint(e)) {
                    names.push(f.output_names[i].clone());
                }
            }
            names.retain(|n| !n.is_empty());
            names
        };
        if let Some(p) = f.input_names.iter().position(|n| n == name) {
            if uint(&f.inputs[p]) {
                return Some((AmountPlace::Param(p), false));
            }
        } else {
            for (p, t) in f.inputs.iter().enumerate() {
                let DynSolType::Tuple(ts) = t else { continue };
                if let Some(j) = f.input_fields[p].iter().position(|n| n == name) {
                    if ts.get(j).is_some_and(uint) {
                        return Some((AmountPlace::Field { param: p, field: j }, false));
                    }
                }
            }
            let r = if name == "returns" && f.outputs.len() == 1 {
                Some(0)
            } else {
                f.output_names.iter().position(|n| n == name)
            };
            if let Some(r) = r {
                match &f.outputs[r] {
                    t if uint(t) => return Some((AmountPlace::Return(r), false)),
                    DynSolType::Array(e) if uint(e) => return Some((AmountPlace::Return(r), true)),
                    _ => {}
                }
            }
        }
        let known = candidates();
        let help = if known.is_empty() {
            format!(
                "`{}` has no `uintN` parameter, field or return value to bind",
                f.signature
            )
        } else {
            format!("its amounts are {}", crate::suggest::list(&known, 8))
        };
        self.units_error(
            key.span,
            &format!("`{name}` is not an amount (a `uintN` parameter, struct field or return value) of `{}`", f.signature),
            &help,
        );
        None
    }

    /// The token (or list of tokens) a binding's value names.
    fn units_value(
        &mut self,
        f: &FunctionDef,
        value: &ast::Expr,
        functions: &[FunctionDef],
    ) -> Option<Named> {
        match &value.kind {
            ast::ExprKind::SelfVault => Some(Named::Address(TokenSource::Callee)),
            ast::ExprKind::Call { callee, args, .. } => {
                self.units_view(value, callee, args, functions)
            }
            ast::ExprKind::Index { base, index } => self.units_index(f, base, index, functions),
            ast::ExprKind::Ident(n) => self.units_name(f, n, value.span),
            ast::ExprKind::Field { base, field } => self.units_field(f, value, base, field),
            _ => {
                self.units_error(value.span, "not a token this binding can name", UNITS_HELP);
                None
            }
        }
    }

    /// `self.view()`: the address a view of the called contract returns.
    fn units_view(
        &mut self,
        value: &ast::Expr,
        callee: &ast::Expr,
        args: &[ast::Expr],
        functions: &[FunctionDef],
    ) -> Option<Named> {
        let ast::ExprKind::Field { base, field } = &callee.kind else {
            self.units_error(value.span, "expected `self.view()`", UNITS_HELP);
            return None;
        };
        if !matches!(base.kind, ast::ExprKind::SelfVault) || !args.is_empty() {
            self.units_error(
                value.span,
                "expected `self.view()`: a view of the called contract, without arguments",
                UNITS_HELP,
            );
            return None;
        }
        let ok = functions.iter().any(|g| {
            g.name == field.name
                && g.inputs.is_empty()
                && g.is_view
                && g.outputs == [DynSolType::Address]
        });
        if !ok {
            self.units_error(
                field.span,
                &format!(
                    "the interface has no view `{}()` that returns an address",
                    field.name
                ),
                "name a view of this interface that returns a token's address, e.g. `self.asset()`",
            );
            return None;
        }
        Some(Named::Address(TokenSource::CalleeView(field.name.clone())))
    }

    /// `path[0]`, `tokens[-1]`: an element of a list of tokens.
    fn units_index(
        &mut self,
        f: &FunctionDef,
        base: &ast::Expr,
        index: &ast::Expr,
        functions: &[FunctionDef],
    ) -> Option<Named> {
        let Some(i) = literal_index(index) else {
            self.units_error(
                index.span,
                "expected an integer: `0`, `1`, … or `-1` for the last",
                UNITS_HELP,
            );
            return None;
        };
        match self.units_value(f, base, functions)? {
            Named::List(TokenSource::Arg {
                param,
                field,
                index: None,
                each,
            }) => Some(Named::Address(TokenSource::Arg {
                param,
                field,
                index: Some(i),
                each,
            })),
            _ => {
                self.units_error(
                    base.span,
                    "not a list of tokens",
                    "index an `address[]` parameter or a packed `bytes` path",
                );
                None
            }
        }
    }

    /// A parameter of `f`, or a token.
    fn units_name(&mut self, f: &FunctionDef, n: &ast::Ident, span: Span) -> Option<Named> {
        if let Some(p) = f.input_names.iter().position(|x| *x == n.name) {
            return self.units_arg(&f.inputs[p], p, None, span);
        }
        match self.lookup_item(self.current, &n.name, n.span) {
            Some(Symbol::Token(t)) => Some(Named::Address(TokenSource::Fixed(
                self.tokens[t.0 as usize].address,
            ))),
            _ => {
                self.units_error(
                    n.span,
                    &format!(
                        "`{}` is neither a parameter of `{}` nor a token",
                        n.name, f.signature
                    ),
                    UNITS_HELP,
                );
                None
            }
        }
    }

    /// `param.field`: a field of a tuple parameter.
    fn units_field(
        &mut self,
        f: &FunctionDef,
        value: &ast::Expr,
        base: &ast::Expr,
        field: &ast::Ident,
    ) -> Option<Named> {
        let ast::ExprKind::Ident(b) = &base.kind else {
            self.units_error(value.span, "expected `param.field`", UNITS_HELP);
            return None;
        };
        let Some(p) = f.input_names.iter().position(|x| *x == b.name) else {
            self.units_error(
                b.span,
                &format!("`{}` is not a parameter of `{}`", b.name, f.signature),
                UNITS_HELP,
            );
            return None;
        };
        let (DynSolType::Tuple(ts), Some(j)) = (
            &f.inputs[p],
            f.input_fields[p].iter().position(|x| *x == field.name),
        ) else {
            self.units_error(
                field.span,
                &format!("`{}` has no field `{}`", b.name, field.name),
                "name a field of a tuple parameter, as its declaration names it",
            );
            return None;
        };
        self.units_arg(&ts[j], p, Some(j), value.span)
    }

    /// A parameter (or its field) of type `t` as a token source.
    fn units_arg(
        &mut self,
        t: &DynSolType,
        param: usize,
        field: Option<usize>,
        at: Span,
    ) -> Option<Named> {
        let source = TokenSource::Arg {
            param,
            field,
            index: None,
            each: false,
        };
        match t {
            DynSolType::Address => Some(Named::Address(source)),
            DynSolType::Array(e) if **e == DynSolType::Address => Some(Named::List(source)),
            DynSolType::FixedArray(e, _) if **e == DynSolType::Address => Some(Named::List(source)),
            DynSolType::Bytes => Some(Named::List(source)),
            _ => {
                self.units_error(
                    at,
                    "a token must be an `address`, an `address[]` element or a packed path element",
                    UNITS_HELP,
                );
                None
            }
        }
    }

    pub(crate) fn units_error(&mut self, at: Span, label: &str, help: &str) {
        self.error(
            Diagnostic::error("E0333", "malformed `#[units]` or `#[views]` annotation")
                .with_primary(at, label.to_string())
                .with_help(help.to_string()),
        );
    }
}

/// `0`, `2`, `-1` as written in an attribute.
fn literal_index(e: &ast::Expr) -> Option<i64> {
    match &e.kind {
        ast::ExprKind::Number { raw, unit: None } => raw.replace('_', "").parse().ok(),
        ast::ExprKind::Unary {
            op: ast::UnaryOp::Neg,
            expr,
        } => literal_index(expr).map(|i| -i),
        _ => None,
    }
}
