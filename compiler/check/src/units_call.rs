//! Calls of interface functions with bound amounts (`#[units]`): the arguments are
//! checked against the token each amount is in, and bound return values are typed as
//! amounts of it.
//!
//! A bound parameter takes an amount of its token, `0`, or the parameter type's
//! maximum (`~0`: "all of it" where protocols use it). An amount of another token is
//! `E0330`, a bare number `E0331`, a plain integer `E0332`: each says which token the
//! parameter is in and how to write it. An amount of the right token passed to a
//! narrower integer parameter (Permit2's `uint160`) is narrowed with a checked
//! conversion. Where the token is known only at run time, the amount is a plain
//! `uint256`, as without a binding.

use crate::hir::{self, AmountPlace, ExprKind, FunctionDef, TokenSource};
use crate::scope::Checker;
use crate::ty::{TokenId, Type};
use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

/// An argument checked but not yet converted to its parameter's type.
struct Pending {
    /// The value as checked (an amount keeps its type).
    raw: hir::Expr,
    /// Elements of a tuple literal, checked one by one (a struct's fields).
    fields: Option<Vec<hir::Expr>>,
}

/// A call whose bound amounts are being checked: the function, the contract called,
/// and the arguments as far as they are known (where tokens are found).
struct BoundCall<'a> {
    f: &'a FunctionDef,
    target: &'a hir::Expr,
    known: &'a [hir::Expr],
}

impl Checker<'_> {
    /// The checked arguments of a call of `f` on `target`, converted to the
    /// parameters' types, with the bound amounts checked; and the arguments as
    /// written (a local path, not its copy as a dynamic array), where tokens are found.
    pub(crate) fn interface_args(
        &mut self,
        f: &FunctionDef,
        target: &hir::Expr,
        args: &[ast::Expr],
    ) -> (Vec<hir::Expr>, Vec<hir::Expr>) {
        let wants: Vec<Type> = f.inputs.iter().map(crate::abi::from_abi).collect();
        if f.units
            .iter()
            .all(|b| matches!(b.place, AmountPlace::Return(_)))
        {
            let mut raw = Vec::new();
            let mut out = Vec::new();
            for (a, want) in args.iter().zip(&wants) {
                let v = self.check_expr(a, Some(want));
                raw.push(v.clone());
                out.push(self.coerce_arg(v, want));
            }
            return (out, raw);
        }
        // Sources first, amounts once their tokens are known.
        let mut pending = self.source_args(f, args, &wants);
        // What the sources say, with the arguments as they are so far.
        let known: Vec<hir::Expr> = pending
            .iter()
            .enumerate()
            .map(|(p, x)| {
                x.as_ref()
                    .map_or_else(|| crate::expr::error_expr(args[p].span), |x| x.raw.clone())
            })
            .collect();
        let call = BoundCall {
            f,
            target,
            known: &known,
        };
        let mut out = Vec::new();
        for (p, a) in args.iter().enumerate() {
            let want = &wants[p];
            let binding = f.units.iter().find(|b| b.place == AmountPlace::Param(p));
            if let Some(b) = binding {
                let raw = self.check_expr(a, Some(want));
                let t = self.single_token(&call, &b.source);
                let w = written(a);
                out.push(self.bound_amount(
                    raw,
                    &w,
                    t,
                    f,
                    b.place,
                    &b.source,
                    &known,
                    &f.inputs[p],
                ));
                continue;
            }
            let Some(Pending { raw, fields }) = pending[p].take() else {
                out.push(crate::expr::error_expr(a.span));
                continue;
            };
            let v = match fields {
                Some(fields) => self.bound_fields(&call, p, a, fields),
                None => {
                    self.bound_tuple_value(&call, p, a, &raw);
                    raw
                }
            };
            out.push(self.coerce_arg(v, want));
        }
        (out, known)
    }

    /// The arguments that are not bound amounts themselves, checked first (they may be
    /// the tokens of those that are): `None` for a bound argument; a tuple literal with
    /// bound fields has its other fields checked, the bound ones left for later.
    fn source_args(
        &mut self,
        f: &FunctionDef,
        args: &[ast::Expr],
        wants: &[Type],
    ) -> Vec<Option<Pending>> {
        let whole = |p: usize| f.units.iter().any(|b| b.place == AmountPlace::Param(p));
        let has_fields = |p: usize| {
            f.units
                .iter()
                .any(|b| matches!(b.place, AmountPlace::Field { param, .. } if param == p))
        };
        let mut pending: Vec<Option<Pending>> = (0..args.len()).map(|_| None).collect();
        for (p, a) in args.iter().enumerate() {
            if whole(p) {
                continue;
            }
            let literal_tuple = match (&a.kind, &wants[p]) {
                (ast::ExprKind::Tuple(xs), Type::Tuple(ts, _)) if xs.len() == ts.len() => {
                    Some((xs, ts))
                }
                _ => None,
            };
            pending[p] = Some(match literal_tuple {
                Some((xs, ts)) if has_fields(p) => {
                    let mut fields = Vec::new();
                    for (j, (x, t)) in xs.iter().zip(ts).enumerate() {
                        let bound = f
                            .units
                            .iter()
                            .any(|b| b.place == AmountPlace::Field { param: p, field: j });
                        // An amount field is checked after the others (its token may be one of them).
                        if bound {
                            fields.push(crate::expr::error_expr(x.span));
                            continue;
                        }
                        let v = self.check_expr(x, Some(t));
                        fields.push(self.coerce_arg(v, t));
                    }
                    let raw = tuple_of(fields.clone(), a.span);
                    Pending {
                        raw,
                        fields: Some(fields),
                    }
                }
                _ => Pending {
                    raw: self.check_expr(a, Some(&wants[p])),
                    fields: None,
                },
            });
        }
        pending
    }

    /// The one token a binding's source names, if it names exactly one.
    fn single_token(&self, call: &BoundCall<'_>, source: &TokenSource) -> Option<TokenId> {
        self.source_tokens(source, call.target, call.known)
            .and_then(|v| if v.len() == 1 { v[0] } else { None })
    }

    /// Argument `p`, a tuple literal `a` whose other fields are `fields`: its bound
    /// fields checked against their tokens, and the tuple made of them all.
    fn bound_fields(
        &mut self,
        call: &BoundCall<'_>,
        p: usize,
        a: &ast::Expr,
        mut fields: Vec<hir::Expr>,
    ) -> hir::Expr {
        let f = call.f;
        let ast::ExprKind::Tuple(xs) = &a.kind else {
            unreachable!()
        };
        let DynSolType::Tuple(abi_ts) = &f.inputs[p] else {
            unreachable!()
        };
        for (j, x) in xs.iter().enumerate() {
            let Some(b) = f
                .units
                .iter()
                .find(|b| b.place == AmountPlace::Field { param: p, field: j })
            else {
                continue;
            };
            let ft = crate::abi::from_abi(&abi_ts[j]);
            let v = self.check_expr(x, Some(&ft));
            let t = self.single_token(call, &b.source);
            fields[j] = self.bound_amount(
                v,
                &written(x),
                t,
                f,
                b.place,
                &b.source,
                call.known,
                &abi_ts[j],
            );
        }
        tuple_of(fields, a.span)
    }

    /// Argument `p`, a tuple value `raw` (written `a`) that is not a literal: a tuple
    /// bound with `let` is checked field by field where it was written; otherwise its
    /// fields' types say whose amounts they are.
    fn bound_tuple_value(
        &mut self,
        call: &BoundCall<'_>,
        p: usize,
        a: &ast::Expr,
        raw: &hir::Expr,
    ) {
        let f = call.f;
        let fields = match &self.known_tuple(raw) {
            Some(xs) => xs.clone(),
            None => Vec::new(),
        };
        for b in &f.units {
            let AmountPlace::Field { param, field } = b.place else {
                continue;
            };
            let (true, DynSolType::Tuple(abi_ts)) = (param == p, &f.inputs[p]) else {
                continue;
            };
            let Some(t) = self.single_token(call, &b.source) else {
                continue;
            };
            if let Some(x) = fields.get(field) {
                let w = self.written_value(x);
                self.bound_amount(
                    x.clone(),
                    &w,
                    Some(t),
                    f,
                    b.place,
                    &b.source,
                    call.known,
                    &abi_ts[field],
                );
                continue;
            }
            let field_ty = match &raw.ty {
                Type::Tuple(ts, _) => ts.get(field).cloned(),
                _ => None,
            };
            if let Some(Type::Amount(u)) = field_ty {
                if u != t {
                    let name = place_name(f, b.place);
                    let token = self.tokens[t.0 as usize].name.clone();
                    let other = self.tokens[u.0 as usize].name.clone();
                    let why = self.binding_note(f, b.place, &b.source, &token);
                    self.wrong_token(a.span, &name, &token, &other, &why, None, false);
                }
            }
        }
    }

    /// Checks one bound amount `v` (written `a`) against its token `t` (when known),
    /// and converts it to the parameter's type `abi`.
    #[allow(clippy::too_many_arguments)]
    fn bound_amount(
        &mut self,
        v: hir::Expr,
        a: &Written,
        t: Option<TokenId>,
        f: &FunctionDef,
        place: AmountPlace,
        source: &TokenSource,
        args: &[hir::Expr],
        abi: &DynSolType,
    ) -> hir::Expr {
        let want = crate::abi::from_abi(abi);
        let Some(t) = t else {
            return self.coerce_arg(v, &want);
        };
        let bits = match abi {
            DynSolType::Uint(b) => *b as u16,
            _ => 256,
        };
        let name = place_name(f, place);
        let token = self.tokens[t.0 as usize].name.clone();
        let why = self.binding_note(f, place, source, &token);
        let source_span = match source {
            TokenSource::Arg { param, .. } => args.get(*param).map(|x| x.span),
            _ => None,
        };
        match &v.ty {
            Type::Error => return v,
            Type::Amount(u) if *u == t => {
                if bits < 256 {
                    let span = v.span;
                    return self.cast(v, &Type::Uint(bits), span);
                }
                return self.coerce_arg(v, &want);
            }
            Type::Amount(u) => {
                let other = self.tokens[u.0 as usize].name.clone();
                self.wrong_token(a.span, &name, &token, &other, &why, source_span, false);
                return crate::expr::error_expr(v.span);
            }
            Type::Uint(_) => {}
            _ => return self.coerce_arg(v, &want),
        }
        if let Some(u) = self.units.amount_casts.get(&a.span).copied() {
            if u != t {
                let other = self.tokens[u.0 as usize].name.clone();
                self.wrong_token(a.span, &name, &token, &other, &why, source_span, true);
                return crate::expr::error_expr(v.span);
            }
            return self.coerce_arg(v, &want);
        }
        if let Some(w) = const_word(&v) {
            let max = if bits >= 256 {
                U256::MAX
            } else {
                (U256::from(1u8) << bits) - U256::from(1u8)
            };
            if w.is_zero() || w == max || w == U256::MAX {
                return self.coerce_arg(v, &want);
            }
            if let Some(raw) = &a.literal {
                self.bare_number(a.span, raw, w, t, &name, &why);
                return crate::expr::error_expr(v.span);
            }
        }
        let ty = self.type_name(&v.ty);
        let text = self.source_text(a.span);
        let text = if a.simple { text } else { format!("({text})") };
        self.error(
            Diagnostic::error(
                "E0332",
                format!("`{name}` is an amount of {token}, and this is a plain `{ty}`"),
            )
            .with_primary(a.span, format!("a `{ty}`: base units or whole {token}?"))
            .with_note(why)
            .with_help(format!(
                "if it counts {token}'s base units, say so: `{text} as {token}`; if it counts whole {token}, multiply: `{text} * 1 {token}`"
            )),
        );
        crate::expr::error_expr(v.span)
    }

    #[allow(clippy::too_many_arguments)]
    fn wrong_token(
        &mut self,
        at: Span,
        name: &str,
        token: &str,
        other: &str,
        why: &str,
        source: Option<Span>,
        cast: bool,
    ) {
        let mut d = Diagnostic::error(
            "E0330",
            format!("`{name}` is an amount of {token}, not of {other}"),
        )
        .with_primary(
            at,
            if cast {
                format!("an amount of {other}, converted with `as`")
            } else {
                format!("an amount of {other}")
            },
        );
        if let Some(s) = source {
            d = d.with_secondary(s, format!("{token} here"));
        }
        self.error(
            d.with_note(why.to_string()).with_help(format!(
                "pass an amount of {token}; {other} becomes {token} through a swap or at a price, or at par with `at_par(x, {token})` (stablecoins: the same quantity in {token}'s decimals)"
            )),
        );
    }

    fn bare_number(&mut self, at: Span, raw: &str, w: U256, t: TokenId, name: &str, why: &str) {
        let tok = &self.tokens[t.0 as usize];
        let (token, decimals) = (tok.name.clone(), tok.decimals);
        let as_base = crate::literals::format_units(w, decimals);
        let as_base = trim_zeros(&as_base);
        self.error(
            Diagnostic::error(
                "E0331",
                format!("a bare number for `{name}`, an amount of {token}"),
            )
            .with_primary(at, format!("`{raw}` what? whole {token} or base units?"))
            .with_note(why.to_string())
            .with_help(format!(
                "write the unit: `{raw} {token}` for {raw} whole {token}, or `{as_base} {token}` if `{raw}` counts base units ({token} has {decimals} decimals); `0` and the maximum (`~0`, \"all of it\") need none"
            )),
        );
    }

    /// Why an amount is in its token: the binding, in words.
    fn binding_note(
        &self,
        f: &FunctionDef,
        place: AmountPlace,
        source: &TokenSource,
        token: &str,
    ) -> String {
        let name = place_name(f, place);
        let from = match source {
            TokenSource::Fixed(_) => format!("is always in {token}"),
            TokenSource::Callee => format!("is in the called contract's own token, here {token}"),
            TokenSource::CalleeView(v) => {
                format!("is in the called contract's `{v}()`, here {token}")
            }
            TokenSource::Arg {
                param,
                field,
                index,
                ..
            } => {
                let mut s = f.input_names.get(*param).cloned().unwrap_or_default();
                if let Some(j) = field {
                    s = format!(
                        "{s}.{}",
                        f.input_fields[*param].get(*j).cloned().unwrap_or_default()
                    );
                }
                if let Some(i) = index {
                    s = format!("{s}[{i}]");
                }
                format!("is in the token given as `{s}`, here {token}")
            }
        };
        format!("`{}`'s `{name}` {from} (`#[units]`)", f.name)
    }

    /// The type of a call's result, with bound return values typed as amounts; an
    /// array of amounts bound to a path is remembered by the call's span.
    pub(crate) fn interface_result(
        &mut self,
        f: &FunctionDef,
        target: &hir::Expr,
        args: &[hir::Expr],
        span: Span,
    ) -> Type {
        let mut outs: Vec<Type> = f.outputs.iter().map(crate::abi::from_abi).collect();
        for b in &f.units {
            let AmountPlace::Return(r) = b.place else {
                continue;
            };
            let Some(tokens) = self.source_tokens(&b.source, target, args) else {
                continue;
            };
            match &b.source {
                TokenSource::Arg { each: true, .. } => {
                    if outs.len() == 1 {
                        self.units.call_arrays.insert(span, tokens);
                    }
                }
                _ => {
                    if let (Some(Some(t)), Some(o)) = (tokens.first(), outs.get_mut(r)) {
                        *o = Type::Amount(*t);
                    }
                }
            }
        }
        match outs.len() {
            0 => Type::Unit,
            1 => outs.pop().unwrap_or(Type::Unit),
            _ => Type::Tuple(
                outs,
                f.output_names
                    .iter()
                    .map(|n| (!n.is_empty()).then(|| n.clone()))
                    .collect(),
            ),
        }
    }
}

/// An amount as written: where, whether it is a bare number (its digits), and whether
/// it needs parentheses before `as` in a hint.
pub(crate) struct Written {
    span: Span,
    literal: Option<String>,
    simple: bool,
}

/// How an argument is written.
fn written(a: &ast::Expr) -> Written {
    Written {
        span: a.span,
        literal: match &a.kind {
            ast::ExprKind::Number { raw, unit: None } => Some(raw.clone()),
            _ => None,
        },
        simple: matches!(
            a.kind,
            ast::ExprKind::Ident(_)
                | ast::ExprKind::Number { .. }
                | ast::ExprKind::Call { .. }
                | ast::ExprKind::Field { .. }
                | ast::ExprKind::Index { .. }
        ),
    }
}

impl Checker<'_> {
    /// The source text at `span`.
    fn source_text(&self, span: Span) -> String {
        self.sources
            .get(span.file)
            .text
            .get(span.range())
            .unwrap_or("x")
            .to_string()
    }

    /// How a field of a tuple bound with `let` is written (its span is in the `let`).
    fn written_value(&self, x: &hir::Expr) -> Written {
        let text = self.source_text(x.span);
        let digits = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '_');
        Written {
            span: x.span,
            literal: (digits && matches!(x.kind, ExprKind::Word(_))).then(|| text.clone()),
            simple: !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
        }
    }
}

/// The name of a bound amount as its declaration writes it.
fn place_name(f: &FunctionDef, place: AmountPlace) -> String {
    match place {
        AmountPlace::Param(p) => f.input_names.get(p).cloned().unwrap_or_default(),
        AmountPlace::Field { param, field } => f.input_fields[param]
            .get(field)
            .cloned()
            .unwrap_or_default(),
        AmountPlace::Return(r) => match f.output_names.get(r) {
            Some(n) if !n.is_empty() => n.clone(),
            _ => "return value".to_string(),
        },
    }
}

/// The value of a constant integer: a word, or `~` of one (`~0`, "all of it").
fn const_word(v: &hir::Expr) -> Option<U256> {
    match &v.kind {
        ExprKind::Word(w) => Some(*w),
        ExprKind::Unary {
            op: hir::UnOp::BitNot,
            expr,
        } => {
            let Type::Uint(bits) = v.ty else { return None };
            let w = !const_word(expr)?;
            Some(if bits >= 256 {
                w
            } else {
                w & ((U256::from(1u8) << bits) - U256::from(1u8))
            })
        }
        _ => None,
    }
}

/// A tuple value from checked elements.
fn tuple_of(fields: Vec<hir::Expr>, span: Span) -> hir::Expr {
    let tys: Vec<Type> = fields.iter().map(|x| x.ty.clone()).collect();
    let n = tys.len();
    crate::expr::expr(
        ExprKind::Tuple(fields),
        Type::Tuple(tys, vec![None; n]),
        span,
    )
}

/// `0.001000` → `0.001`, `1000.000000` → `1000`.
fn trim_zeros(s: &str) -> String {
    if !s.contains('.') {
        return s.to_string();
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
