//! Resolving items: token definitions, interface signatures, constants, parameters.

use crate::hir::{self, FunctionDef};
use crate::literals::{parse_address, parse_number, NumberValue};
use crate::parse_cache::StdModule;
use crate::resolve_cache::Resolved;
use crate::scope::{Checker, ConstState, ParamState, Symbol};
use crate::ty::{InterfaceId, TokenId, Type};
use alloy_dyn_abi::DynSolType;
use alloy_primitives::{Address, U256};
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;
use std::sync::Arc;

impl Checker<'_> {
    /// Resolves every token, interface, constant and parameter.
    pub(crate) fn resolve_items(&mut self) {
        // Every imported name must exist, used or not.
        for m in 0..self.modules.len() {
            let mut imports: Vec<(String, Span)> = self.modules[m]
                .scope
                .iter()
                .filter(|(_, (s, _))| matches!(s, Symbol::Import { .. }))
                .map(|(n, (_, sp))| (n.clone(), *sp))
                .collect();
            imports.sort_by_key(|(_, sp)| (sp.file, sp.start));
            for (name, span) in imports {
                self.lookup_item(m, &name, span);
            }
        }
        // Stdlib modules resolve the same way every time: reuse what an earlier check
        // made of them (see `crate::resolve_cache`). The index needs doc comments
        // recorded while resolving, so it resolves everything afresh.
        let cacheable: Vec<Option<StdModule>> =
            (0..self.modules.len()).map(|m| self.cacheable(m)).collect();
        let cached: Vec<Option<Arc<Resolved>>> = (0..self.modules.len())
            .map(|m| crate::resolve_cache::get(cacheable[m]?))
            .collect();
        let mut fresh: Vec<Resolved> = (0..self.modules.len())
            .map(|_| Resolved::default())
            .collect();
        let mut clean = vec![true; self.modules.len()];
        for m in 0..self.modules.len() {
            let ast = Arc::clone(&self.modules[m].ast);
            self.current = m;
            let before = self.diags.len();
            let mut next = 0;
            for item in &ast.items {
                let ast::ItemKind::Token(t) = &item.kind else {
                    continue;
                };
                if let Some(hit) = &cached[m] {
                    if let Some(Some(value)) = hit.tokens.get(next) {
                        self.set_token(m, t, *value);
                    }
                    next += 1;
                    continue;
                }
                let value = self.resolve_token(m, t);
                if cacheable[m].is_some() {
                    fresh[m].tokens.push(value);
                }
            }
            clean[m] = self.diags.len() == before;
        }
        let mut seen = vec![0; self.modules.len()];
        for i in 0..self.interface_asts.len() {
            let (m, index) = self.interface_asts[i];
            let id = InterfaceId(i as u32);
            if let Some(hit) = &cached[m] {
                if let Some((functions, errors)) = hit.interfaces.get(seen[m]) {
                    self.interfaces[i].functions = Arc::clone(functions);
                    self.interfaces[i].errors = errors.clone();
                }
                seen[m] += 1;
                continue;
            }
            let ast = Arc::clone(&self.modules[m].ast);
            let ast::ItemKind::Interface(iface) = &ast.items[index].kind else {
                continue;
            };
            self.current = m;
            let before = self.diags.len();
            self.resolve_interface(id, iface, &ast.items[index].attrs);
            clean[m] &= self.diags.len() == before;
            if cacheable[m].is_some() {
                let def = &self.interfaces[i];
                fresh[m]
                    .interfaces
                    .push((Arc::clone(&def.functions), def.errors.clone()));
            }
        }
        for (m, resolved) in fresh.into_iter().enumerate() {
            if let (Some(module), None, true) = (cacheable[m], &cached[m], clean[m]) {
                crate::resolve_cache::put(module, resolved);
            }
        }
        self.resolve_fn_signatures();
        for c in 0..self.consts.len() {
            self.const_value(c);
        }
        self.resolve_views();
        self.resolve_params();
        self.index_items();
    }

    /// Whether module `m`'s resolution may come from (and go to) the per-process
    /// cache: a built-in stdlib module, no index wanted, no interface from an ABI file
    /// (read through the resolver). Returns the stdlib module.
    fn cacheable(&self, m: usize) -> Option<StdModule> {
        let module = self.modules[m].stdlib?;
        let from_file = self.modules[m].ast.items.iter().any(|item| {
            matches!(&item.kind, ast::ItemKind::Interface(i) if matches!(i.body, ast::InterfaceBody::Abi(_)))
        });
        (!self.input.index && !from_file).then_some(module)
    }

    /// The token `t` of module `m` names, if its name is a token in `m`'s scope.
    fn token_id(&self, m: usize, t: &ast::TokenItem) -> Option<TokenId> {
        match self.modules[m].scope.get(&t.name.name) {
            Some((Symbol::Token(id), _)) => Some(*id),
            _ => None,
        }
    }

    /// Stores a token's resolved address (when valid) and decimals.
    fn set_token(
        &mut self,
        m: usize,
        t: &ast::TokenItem,
        (address, decimals): (Option<Address>, u8),
    ) {
        let Some(id) = self.token_id(m, t) else {
            return;
        };
        let tok = &mut self.tokens[id.0 as usize];
        if let Some(a) = address {
            tok.address = a;
        }
        tok.decimals = decimals;
    }

    /// Resolves token `t` of module `m`; returns what was stored (`None` when its
    /// name is not a token in the scope, e.g. a duplicate).
    fn resolve_token(&mut self, m: usize, t: &ast::TokenItem) -> Option<(Option<Address>, u8)> {
        self.token_id(m, t)?;
        let address = match &t.address.kind {
            ast::ExprKind::Number { raw, unit: None }
                if matches!(parse_number(raw), Ok(NumberValue::Address(_))) =>
            {
                self.address_literal(raw, t.address.span)
            }
            _ => {
                self.error(
                    Diagnostic::error("E0304", "a token's address must be an address literal")
                        .with_primary(t.address.span, "expected `0x` and 40 hex digits")
                        .with_help("write the token's contract address, e.g. `0xA0b8…eB48`"),
                );
                None
            }
        };
        let decimals = match &t.decimals.kind {
            ast::ExprKind::Number { raw, unit: None } => match parse_number(raw) {
                Ok(NumberValue::Int(v)) if v <= U256::from(77u8) => Some(v.to::<u8>()),
                _ => None,
            },
            _ => None,
        };
        if decimals.is_none() {
            self.error(
                Diagnostic::error(
                    "E0304",
                    "a token's decimals must be an integer from 0 to 77",
                )
                .with_primary(t.decimals.span, "not a valid number of decimals")
                .with_help("write `decimals 18` (or the token's own `decimals()`)"),
            );
        }
        let value = (address, decimals.unwrap_or(0));
        self.set_token(m, t, value);
        Some(value)
    }

    /// Checks an address literal's checksum, reporting the right spelling.
    pub(crate) fn address_literal(
        &mut self,
        raw: &str,
        span: Span,
    ) -> Option<alloy_primitives::Address> {
        match parse_address(raw) {
            Ok(a) => Some(a),
            Err(good) => {
                self.error(
                    Diagnostic::error("E0303", "address literal has a wrong EIP-55 checksum")
                        .with_primary(span, "mixed-case addresses must match their checksum")
                        .with_note("a wrong checksum often means a mistyped address")
                        .with_help(format!("the checksummed spelling is `{good}`")),
                );
                None
            }
        }
    }

    fn resolve_interface(
        &mut self,
        id: InterfaceId,
        iface: &ast::InterfaceItem,
        attrs: &[ast::Attribute],
    ) {
        let iface_none = self.interface_grants_none(attrs);
        let sigs = match &iface.body {
            ast::InterfaceBody::Functions(f) => f,
            ast::InterfaceBody::Abi(lit) => {
                let (mut functions, errors) = self.abi_file_interface(lit, iface_none);
                self.resolve_units(None, &mut functions, attrs);
                self.interfaces[id.0 as usize].functions = functions.into();
                self.interfaces[id.0 as usize].errors = errors;
                return;
            }
        };
        self.interfaces[id.0 as usize].errors = self.declared_errors(&iface.errors, sigs);
        let mut functions = Vec::new();
        for sig in sigs {
            self.docs.insert(sig.name.span, sig.docs.clone());
            let mut inputs = Vec::new();
            let mut ok = true;
            for p in &sig.params {
                match self.abi_type(&p.ty) {
                    Some(t) => inputs.push(t),
                    None => ok = false,
                }
            }
            let mut outputs = Vec::new();
            for p in &sig.returns {
                match self.abi_type(&p.ty) {
                    Some(t) => outputs.push(t),
                    None => ok = false,
                }
            }
            if !ok {
                continue;
            }
            let types: Vec<String> = inputs
                .iter()
                .map(|t| t.sol_type_name().into_owned())
                .collect();
            let signature = format!("{}({})", sig.name.name, types.join(","));
            let selector = crate::memo::selector(&signature);
            functions.push(FunctionDef {
                name: sig.name.name.clone(),
                signature,
                selector,
                inputs,
                input_names: sig
                    .params
                    .iter()
                    .map(|p| p.name.as_ref().map_or(String::new(), |n| n.name.clone()))
                    .collect(),
                outputs,
                output_names: sig
                    .returns
                    .iter()
                    .map(|p| p.name.as_ref().map_or(String::new(), |n| n.name.clone()))
                    .collect(),
                is_view: matches!(
                    sig.mutability,
                    ast::Mutability::View | ast::Mutability::Pure
                ),
                is_payable: sig.mutability == ast::Mutability::Payable,
                grant: None,
                grants_none: false,
                input_fields: sig
                    .params
                    .iter()
                    .map(|p| match &p.ty.kind {
                        ast::TypeExprKind::Tuple(fs) => fs
                            .iter()
                            .map(|x| x.name.as_ref().map_or(String::new(), |n| n.name.clone()))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .collect(),
                units: Vec::new(),
                span: sig.name.span,
            });
        }
        // Grants refer to other functions of the same interface: resolve after all.
        self.classify_functions(sigs, &mut functions, iface_none);
        self.resolve_units(Some(sigs), &mut functions, attrs);
        self.interfaces[id.0 as usize].functions = functions.into();
    }

    /// The ABI type of a type written in an interface signature.
    pub(crate) fn abi_type(&mut self, ty: &ast::TypeExpr) -> Option<DynSolType> {
        match &ty.kind {
            ast::TypeExprKind::Named(n) => {
                if let Some(t) = elementary(&n.name) {
                    return Some(t);
                }
                match self.lookup_item(self.current, &n.name, n.span) {
                    Some(Symbol::Interface(_)) | Some(Symbol::Token(_)) => {
                        Some(DynSolType::Address)
                    }
                    _ => {
                        self.error(
                            Diagnostic::error("E0301", format!("unknown type `{}`", n.name))
                                .with_primary(n.span, "not an ABI type")
                                .with_help("use a Solidity type: `uint256`, `address`, `bytes32`, `bool`, `T[]`, tuples"),
                        );
                        None
                    }
                }
            }
            ast::TypeExprKind::Array { elem, len } => {
                let e = self.abi_type(elem)?;
                match len {
                    None => Some(DynSolType::Array(Box::new(e))),
                    Some(l) => match &l.kind {
                        ast::ExprKind::Number { raw, unit: None } => match parse_number(raw) {
                            Ok(NumberValue::Int(v))
                                if v > U256::ZERO && v < U256::from(1u64 << 16) =>
                            {
                                Some(DynSolType::FixedArray(Box::new(e), v.to::<usize>()))
                            }
                            _ => {
                                self.error(
                                    Diagnostic::error(
                                        "E0301",
                                        "array length must be a positive integer",
                                    )
                                    .with_primary(l.span, "invalid length"),
                                );
                                None
                            }
                        },
                        _ => {
                            self.error(
                                Diagnostic::error(
                                    "E0301",
                                    "array length must be an integer literal",
                                )
                                .with_primary(l.span, "invalid length"),
                            );
                            None
                        }
                    },
                }
            }
            ast::TypeExprKind::Tuple(ps) => {
                let mut ts = Vec::new();
                for p in ps {
                    ts.push(self.abi_type(&p.ty)?);
                }
                Some(DynSolType::Tuple(ts))
            }
            ast::TypeExprKind::Error => None,
        }
    }

    /// A type written in Nest code (`let x: T`, `param p: T`, `as T`).
    pub(crate) fn nest_type(&mut self, ty: &ast::TypeExpr) -> Type {
        match &ty.kind {
            ast::TypeExprKind::Named(n) => {
                if let Some(t) = elementary(&n.name) {
                    return crate::abi::from_abi(&t);
                }
                let found = self.lookup_item(self.current, &n.name, n.span);
                if let Some(sym) = &found {
                    self.record_symbol(n.span, &n.name, sym, false);
                }
                match found {
                    Some(Symbol::Token(t)) => Type::Amount(t),
                    Some(Symbol::Interface(i)) => Type::Contract(i),
                    _ => {
                        self.error(
                            Diagnostic::error("E0301", format!("unknown type `{}`", n.name))
                                .with_primary(n.span, "not a type")
                                .with_help("types are `uint256`, `address`, `bool`, `bytes32`, a token (its amount) or an interface"),
                        );
                        Type::Error
                    }
                }
            }
            ast::TypeExprKind::Array { elem, len } => {
                let e = self.nest_type(elem);
                let n = len.as_ref().and_then(|l| match &l.kind {
                    ast::ExprKind::Number { raw, unit: None } => match parse_number(raw) {
                        Ok(NumberValue::Int(v)) if v < U256::from(1u64 << 16) => {
                            Some((v.to::<usize>(), l.span))
                        }
                        _ => None,
                    },
                    _ => None,
                });
                if let Some((0, at)) = n {
                    self.error(
                        Diagnostic::error("E0301", "array length must be a positive integer")
                            .with_primary(at, "a `T[0]` holds nothing")
                            .with_help("for an empty array, use a dynamic array: `T[]`"),
                    );
                    return Type::Error;
                }
                Type::Array(Box::new(e), n.map(|(n, _)| n))
            }
            ast::TypeExprKind::Tuple(ps) => {
                let ts = ps.iter().map(|p| self.nest_type(&p.ty)).collect();
                let names = ps
                    .iter()
                    .map(|p| p.name.as_ref().map(|n| n.name.clone()))
                    .collect();
                Type::Tuple(ts, names)
            }
            ast::TypeExprKind::Error => Type::Error,
        }
    }

    /// Evaluates constant `c` (once), reporting cycles.
    pub(crate) fn const_value(&mut self, c: usize) -> Option<hir::Expr> {
        match &self.consts[c].state {
            ConstState::Done(v) => return v.clone(),
            ConstState::InProgress => {
                let span = self.consts[c].item.name.span;
                let name = self.consts[c].item.name.name.clone();
                self.error(
                    Diagnostic::error("E0204", format!("constant `{name}` depends on itself"))
                        .with_primary(span, "its value refers back to it")
                        .with_help("give one of the constants a literal value"),
                );
                self.consts[c].state = ConstState::Done(None);
                return None;
            }
            ConstState::Pending => {}
        }
        self.consts[c].state = ConstState::InProgress;
        let saved = self.current;
        let saved_scopes = std::mem::take(&mut self.local_scopes);
        self.current = self.consts[c].module;
        let item = self.consts[c].item.clone();
        let declared = item.ty.as_ref().map(|t| self.nest_type(t));
        let outer_unset = std::mem::take(&mut self.unset_param_used);
        let v = self.check_expr(&item.value, declared.as_ref());
        let v = match declared {
            Some(t) => self.coerce(v, &t),
            None => v,
        };
        let unset = self.unset_param_used;
        self.unset_param_used |= outer_unset;
        let result = if matches!(v.kind, hir::ExprKind::Word(_)) {
            Some(v)
        } else if matches!(v.kind, hir::ExprKind::Error) || unset {
            // Already reported, or computed from a parameter checked without a value.
            None
        } else {
            self.error(
                Diagnostic::error("E0305", format!("the value of `{}` is not known at compile time", item.name.name))
                    .with_primary(item.value.span, "computed when the script runs")
                    .with_help("constants take literals, addresses, amounts, contract instances and arithmetic on them"),
            );
            None
        };
        self.current = saved;
        self.local_scopes = saved_scopes;
        self.consts[c].state = ConstState::Done(result.clone());
        result
    }

    fn resolve_params(&mut self) {
        for (name, _) in self.input.params {
            if !self.params.iter().any(|p| &p.item.name.name == name) {
                let known: Vec<String> = self
                    .params
                    .iter()
                    .map(|p| p.item.name.name.clone())
                    .collect();
                let mut d = Diagnostic::error(
                    "E0605",
                    format!("`--param {name}`: the script has no parameter `{name}`"),
                );
                d = match crate::suggest::closest(name, known.iter().map(String::as_str)) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None if known.is_empty() => d.with_help("the script declares no parameters"),
                    None => d.with_help(format!(
                        "its parameters are {}",
                        crate::suggest::list(&known, 10)
                    )),
                };
                if let Some(p) = self.params.first() {
                    d = d.with_primary(p.item.name.span, "parameters are declared here");
                }
                self.error(d);
            }
        }
        for p in 0..self.params.len() {
            self.param_value(p, None);
        }
    }

    /// Resolves parameter `p` (once): its `--param` override, else its default.
    /// `reference` is where it is used from, if it is used from another value: a
    /// parameter that depends on itself is reported there.
    pub(crate) fn param_value(&mut self, p: usize, reference: Option<Span>) -> Option<hir::Expr> {
        match self.params[p].state {
            ParamState::Done | ParamState::Unset => return self.params[p].value.clone(),
            ParamState::InProgress {
                cycle_reported: true,
            } => return None,
            ParamState::InProgress {
                cycle_reported: false,
            } => {
                self.params[p].state = ParamState::InProgress {
                    cycle_reported: true,
                };
                let item = &self.params[p].item;
                let name = item.name.name.clone();
                let declared = item.name.span;
                let mut d =
                    Diagnostic::error("E0204", format!("parameter `{name}` depends on itself"))
                        .with_help(
                            "give one of the parameters a value that does not refer back to it",
                        );
                d = match reference {
                    Some(at) => d
                        .with_primary(at, "this refers back to it")
                        .with_secondary(declared, format!("`{name}` is declared here")),
                    None => d.with_primary(declared, "its value refers back to it"),
                };
                self.error(d);
                return None;
            }
            ParamState::Pending => {}
        }
        self.params[p].state = ParamState::InProgress {
            cycle_reported: false,
        };
        let saved = self.current;
        let saved_scopes = std::mem::take(&mut self.local_scopes);
        // Parameters belong to the entry module; so do the names their values use.
        self.current = 0;
        let outer_unset = std::mem::take(&mut self.unset_param_used);
        let value = self.param_expr(p).map(|(expr, ty)| {
            let v = self.check_expr(&expr, Some(&ty));
            if let (Type::Amount(want), Type::Amount(got)) = (&ty, &v.ty) {
                if want != got {
                    let v = self.wrong_token_param(p, *want, *got, v.span);
                    return (expr, v);
                }
            }
            (expr, self.coerce(v, &ty))
        });
        let unset = self.unset_param_used;
        self.unset_param_used |= outer_unset;
        self.current = saved;
        self.local_scopes = saved_scopes;
        let (expr, v) = value?;
        self.params[p].state = ParamState::Done;
        match v.kind {
            hir::ExprKind::Word(_) => self.params[p].value = Some(v),
            // Already reported, or computed from a parameter checked without a value.
            hir::ExprKind::Error => {}
            _ if unset => {}
            _ => {
                let name = self.params[p].item.name.name.clone();
                self.error(
                    Diagnostic::error(
                        "E0305",
                        format!("the value of `{name}` is not known at compile time"),
                    )
                    .with_primary(expr.span, "computed when the script runs")
                    .with_help("parameters are baked into the bytecode: give a literal value"),
                )
            }
        }
        self.params[p].value.clone()
    }

    /// A parameter of one token given an amount of another (`--param 'amount=2500 DAI'`
    /// for `param amount: USDC`): says what the parameter is.
    fn wrong_token_param(&mut self, p: usize, want: TokenId, got: TokenId, at: Span) -> hir::Expr {
        let name = self.params[p].item.name.name.clone();
        let declared = self.params[p].item.name.span;
        let (w, g) = (
            self.tokens[want.0 as usize].name.clone(),
            self.tokens[got.0 as usize].name.clone(),
        );
        self.error(
            Diagnostic::error(
                "E0302",
                format!("mismatched types: parameter `{name}` is a `{w}` amount, this is `{g}`"),
            )
            .with_primary(at, format!("this is `{g}`"))
            .with_secondary(declared, format!("`{name}` is declared as a `{w}` amount"))
            .with_help(format!(
                "give the amount in {w}: `{name}=… {w}` (an amount of {g} is not one of {w}: converting needs a price)"
            )),
        );
        crate::expr::error_expr(at)
    }

    /// The expression that gives parameter `p` its value, with the parameter's type:
    /// the last `--param` for it, else its default. Marks it `Unset` (reporting it
    /// when values are required) or `Done` (a malformed override) when there is none.
    fn param_expr(&mut self, p: usize) -> Option<(ast::Expr, Type)> {
        let item = self.params[p].item.clone();
        let ty = self.nest_type(&item.ty);
        let given = self
            .input
            .params
            .iter()
            .rev()
            .find(|(n, _)| *n == item.name.name);
        let Some((_, text)) = given else {
            if item.default.is_none() {
                self.params[p].state = ParamState::Unset;
                if self.input.require_params {
                    self.error(
                        Diagnostic::error(
                            "E0606",
                            format!("parameter `{}` has no value", item.name.name),
                        )
                        .with_primary(item.name.span, "declared without a default")
                        .with_help(format!("pass it: `--param '{}=…'`", item.name.name)),
                    );
                }
            }
            return item.default.map(|e| (e, ty));
        };
        let file = self
            .sources
            .add(format!("--param {}", item.name.name), text.clone());
        let (ast, diags) = nest_syntax::parse(file, &self.sources.get(file).text);
        let had_errors = nest_diagnostics::has_errors(&diags);
        self.diags.extend(diags);
        if let [ast::Item {
            kind:
                ast::ItemKind::Stmt(ast::Stmt {
                    kind: ast::StmtKind::Expr(e),
                    ..
                }),
            ..
        }] = ast.items.as_slice()
        {
            return Some((e.clone(), ty));
        }
        self.params[p].state = ParamState::Done;
        if !had_errors {
            self.error(
                Diagnostic::error(
                    "E0605",
                    format!("`--param {}` needs one value", item.name.name),
                )
                .with_primary(Span::new(file, 0, text.len()), "not a single value")
                .with_help("write the value as in source: `2500 USDC`, `0.5 WETH`, `0x…`, `42`"),
            );
        }
        None
    }
}

/// Elementary Solidity type names.
fn elementary(name: &str) -> Option<DynSolType> {
    match name {
        "uint" => return Some(DynSolType::Uint(256)),
        "int" => return Some(DynSolType::Int(256)),
        "address" => return Some(DynSolType::Address),
        "bool" => return Some(DynSolType::Bool),
        "bytes" => return Some(DynSolType::Bytes),
        "string" => return Some(DynSolType::String),
        _ => {}
    }
    let bits = |s: &str| s.parse::<usize>().ok();
    if let Some(n) = name.strip_prefix("uint").and_then(bits) {
        return (n % 8 == 0 && (8..=256).contains(&n)).then_some(DynSolType::Uint(n));
    }
    if let Some(n) = name.strip_prefix("int").and_then(bits) {
        return (n % 8 == 0 && (8..=256).contains(&n)).then_some(DynSolType::Int(n));
    }
    if let Some(n) = name.strip_prefix("bytes").and_then(bits) {
        return (1..=32).contains(&n).then_some(DynSolType::FixedBytes(n));
    }
    None
}
