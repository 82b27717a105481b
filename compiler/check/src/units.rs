//! Units bound across calls: what the checker knows of tokens at compile time.
//!
//! An interface function's `#[units]` (see `units_attr.rs`) says which token each of
//! its amounts is in; at a call, that token is found from the arguments (`asset`,
//! `params.tokenIn`, `path[0]`), the called contract (`self`) or its declaration
//! (`self.asset()`, from `#[views(asset = DAI)]`). This file finds those tokens:
//! from a token used as a value, an address that is a token's, a literal array, tuple
//! or packed path, or an immutable local bound to one. A token known only at run time
//! (a loop over tokens) leaves the amount a plain `uint256`, as without a binding.
//! `units_call.rs` checks the arguments and types the results.

use crate::hir::{self, ExprKind, LocalId};
use crate::scope::{Checker, Symbol};
use crate::ty::{TokenId, Type};
use alloy_primitives::{Address, U256};
use nest_diagnostics::Span;
use nest_syntax::ast;

impl Checker<'_> {
    /// Reads every `#[views(name = TOKEN)]` of the loaded modules (on tokens and
    /// constants, after both are resolved).
    pub(crate) fn resolve_views(&mut self) {
        for m in 0..self.modules.len() {
            let ast = std::sync::Arc::clone(&self.modules[m].ast);
            self.current = m;
            for item in &ast.items {
                for attr in item.attrs.iter().filter(|a| a.name.name == "views") {
                    let address = match &item.kind {
                        ast::ItemKind::Token(t) => match self.modules[m].scope.get(&t.name.name) {
                            Some((Symbol::Token(id), _)) => {
                                Some(self.tokens[id.0 as usize].address)
                            }
                            _ => None,
                        },
                        ast::ItemKind::Const(c) => match self.modules[m].scope.get(&c.name.name) {
                            Some((Symbol::Const(ci), _)) => {
                                let ci = *ci;
                                self.const_value(ci).and_then(|v| match (v.kind, &v.ty) {
                                    (ExprKind::Word(w), t) if t.is_addressish() => {
                                        Some(word_address(w))
                                    }
                                    _ => None,
                                })
                            }
                            _ => None,
                        },
                        _ => {
                            self.units_error(
                                attr.span,
                                "`#[views]` goes on a token or a contract constant",
                                "write `#[views(asset = DAI)] token SDAI = 0x…, decimals 18`",
                            );
                            continue;
                        }
                    };
                    let Some(address) = address else { continue };
                    for arg in &attr.args {
                        let (Some(key), ast::ExprKind::Ident(v)) = (&arg.key, &arg.value.kind)
                        else {
                            self.units_error(
                                arg.value.span,
                                "expected `view = TOKEN`",
                                "write `#[views(asset = DAI)]`: the contract's `asset()` returns DAI",
                            );
                            continue;
                        };
                        match self.lookup_item(m, &v.name, v.span) {
                            Some(Symbol::Token(t)) => self
                                .units
                                .views
                                .entry(address)
                                .or_default()
                                .push((key.name.clone(), t)),
                            _ => self.units_error(
                                v.span,
                                &format!("`{}` is not a token", v.name),
                                "a view's value is a token declared with `token`",
                            ),
                        }
                    }
                }
            }
        }
    }

    /// The token whose contract is at address word `w`; none when no token, or more
    /// than one (two chain modules' WETH at one address), is declared there.
    pub(crate) fn token_at_address(&self, w: U256) -> Option<TokenId> {
        let a = word_address(w);
        if a == Address::ZERO {
            return None;
        }
        let mut found = self
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.address == a);
        let (i, _) = found.next()?;
        found.next().is_none().then_some(TokenId(i as u32))
    }

    /// What an immutable local was bound to, when the checker remembers it.
    fn known_value<'e>(&'e self, e: &'e hir::Expr) -> &'e hir::Expr {
        match &e.kind {
            ExprKind::Local(l) => self.units.known.get(l).unwrap_or(e),
            _ => e,
        }
    }

    /// The elements of a tuple bound with `let` (or written in place).
    pub(crate) fn known_tuple(&self, e: &hir::Expr) -> Option<Vec<hir::Expr>> {
        match &self.known_value(e).kind {
            ExprKind::Tuple(xs) => Some(xs.clone()),
            _ => None,
        }
    }

    /// The token a value is, when it is known at compile time.
    pub(crate) fn token_of(&self, e: &hir::Expr) -> Option<TokenId> {
        if let Type::Token(t) = e.ty {
            return Some(t);
        }
        let e = self.known_value(e);
        match (&e.kind, &e.ty) {
            (_, Type::Token(t)) => Some(*t),
            (ExprKind::Word(w), t) if t.is_addressish() => self.token_at_address(*w),
            _ => None,
        }
    }

    /// Field `field` of a tuple value, as a value or (when only its type says it) a token.
    fn tuple_field(&self, e: &hir::Expr, field: usize) -> FieldOf {
        let v = self.known_value(e);
        if let ExprKind::Tuple(xs) = &v.kind {
            if let Some(x) = xs.get(field) {
                return FieldOf::Value(x.clone());
            }
        }
        let ty = match &v.kind {
            ExprKind::Local(l) => &self.locals[l.0 as usize].ty,
            _ => &v.ty,
        };
        match ty {
            Type::Tuple(ts, _) => match ts.get(field) {
                Some(Type::Token(t)) => FieldOf::Token(*t),
                _ => FieldOf::Unknown,
            },
            _ => FieldOf::Unknown,
        }
    }

    /// The tokens of a list value: an array of tokens, or a packed Uniswap V3 path
    /// (token, fee, token, …), each `None` where it is not known.
    fn token_list(&self, e: &hir::Expr) -> Option<Vec<Option<TokenId>>> {
        let v = self.known_value(e);
        match &v.kind {
            ExprKind::Array(xs) => Some(xs.iter().map(|x| self.token_of(x)).collect()),
            ExprKind::Bytes(b) if b.len() % 23 == 20 => Some(
                b.chunks(23)
                    .map(|c| self.token_at_address(U256::from_be_slice(&c[..20])))
                    .collect(),
            ),
            _ => None,
        }
    }

    /// The token (or, for `each`, the tokens) a binding's source names at a call.
    pub(crate) fn source_tokens(
        &self,
        source: &hir::TokenSource,
        target: &hir::Expr,
        args: &[hir::Expr],
    ) -> Option<Vec<Option<TokenId>>> {
        use hir::TokenSource as S;
        let one = |t: Option<TokenId>| t.map(|t| vec![Some(t)]);
        match source {
            S::Fixed(a) => one(self.token_at_address(U256::from_be_slice(a.as_slice()))),
            S::Callee => one(self.token_of(target)),
            S::CalleeView(name) => {
                let ExprKind::Word(w) = self.known_value(target).kind else {
                    return None;
                };
                let views = self.units.views.get(&word_address(w))?;
                one(views.iter().find(|(n, _)| n == name).map(|(_, t)| *t))
            }
            S::Arg {
                param,
                field,
                index,
                each,
            } => {
                let arg = args.get(*param)?;
                let value = match field {
                    None => arg.clone(),
                    Some(f) => match self.tuple_field(arg, *f) {
                        FieldOf::Value(v) => v,
                        FieldOf::Token(t) if index.is_none() && !each => {
                            return Some(vec![Some(t)])
                        }
                        _ => return None,
                    },
                };
                if *each {
                    return self.token_list(&value);
                }
                match index {
                    None => one(self.token_of(&value)),
                    Some(i) => {
                        let list = self.token_list(&value)?;
                        let n = list.len() as i64;
                        let at = if *i < 0 { n + i } else { *i };
                        if at < 0 || at >= n {
                            return None;
                        }
                        one(list[at as usize])
                    }
                }
            }
        }
    }

    /// After `let id = v`: remembers a literal value (a path, a market's tuple) or
    /// the tokens of an array of amounts, for immutable locals.
    pub(crate) fn remember_local(&mut self, id: LocalId, v: &hir::Expr, mutable: bool) {
        if mutable {
            return;
        }
        match &v.kind {
            ExprKind::Array(_) | ExprKind::Tuple(_) | ExprKind::Bytes(_) | ExprKind::Word(_) => {
                self.units.known.insert(id, v.clone());
            }
            ExprKind::Local(l) => {
                if let Some(k) = self.units.known.get(l).cloned() {
                    self.units.known.insert(id, k);
                }
                if let Some(a) = self.units.amount_arrays.get(l).cloned() {
                    self.units.amount_arrays.insert(id, a);
                }
            }
            ExprKind::Call(_) => {
                if let Some(a) = self.units.call_arrays.get(&v.span).cloned() {
                    self.units.amount_arrays.insert(id, a);
                }
            }
            _ => {}
        }
    }

    /// `amounts[i]` of an array of amounts whose element `i`'s token is known (`i` a
    /// constant, or an immutable local bound to one): that token's amount.
    pub(crate) fn amount_element(&self, base: &hir::Expr, index: &hir::Expr) -> Option<Type> {
        let tokens = match &base.kind {
            ExprKind::Local(l) => self.units.amount_arrays.get(l)?,
            ExprKind::Call(_) => self.units.call_arrays.get(&base.span)?,
            _ => return None,
        };
        let ExprKind::Word(i) = self.known_value(index).kind else {
            return None;
        };
        let i: usize = i.try_into().ok()?;
        tokens.get(i).copied().flatten().map(Type::Amount)
    }

    /// After `x as T`: remembers the token of an amount converted to an integer, so
    /// that a bound parameter still sees whose amount it is (`cap as uint160`).
    pub(crate) fn remember_cast(&mut self, from: &Type, to: &Type, span: Span) {
        if let (Type::Amount(t), Type::Uint(_)) = (from, to) {
            self.units.amount_casts.insert(span, *t);
        }
    }
}

/// A field of a tuple value.
enum FieldOf {
    Value(hir::Expr),
    Token(TokenId),
    Unknown,
}

/// The address in the low 20 bytes of a word.
pub(crate) fn word_address(w: U256) -> Address {
    Address::from_slice(&w.to_be_bytes::<32>()[12..])
}
