//! Conversions: explicit `as` casts and implicit coercions.

use crate::expr::{error_expr, expr, fits, word};
use crate::hir::{self, ExprKind};
use crate::int_range::{range, Constant};
use crate::scope::Checker;
use crate::ty::Type;
use alloy_primitives::U256;
use nest_diagnostics::{Diagnostic, Span};

impl Checker<'_> {
    /// `v as to`.
    pub(crate) fn cast(&mut self, v: hir::Expr, to: &Type, span: Span) -> hir::Expr {
        if let Some(out) = self.bytes_cast(&v, to, span) {
            return out;
        }
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
                (Type::Amount(f), Type::Amount(t)) => {
                    let (f, t) = (
                        &self.tokens[f.0 as usize].name,
                        &self.tokens[t.0 as usize].name,
                    );
                    format!("an amount of one token is not an amount of another: converting needs a price (a swap or an oracle); to restate it unit for unit in `{t}`'s decimals, write `at_par(x, {t})` (exact: it refuses to drop a remainder of `{f}`)")
                }
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
        // A conversion that needs no check still must not retype an operation, which
        // computes at its own type (see `coerce`).
        if needs_range_check(&v.ty, to) || (v.ty.int_bits().is_some() && computes(&v)) {
            return expr(ExprKind::Cast(Box::new(v)), to.clone(), span);
        }
        hir::Expr {
            ty: to.clone(),
            span,
            ..v
        }
    }

    /// Converts `v` to `to` where the language does it implicitly, reporting a type
    /// mismatch otherwise (a value assigned, returned, compared, an operand…).
    pub(crate) fn coerce(&mut self, v: hir::Expr, to: &Type) -> hir::Expr {
        self.coerce_at(v, to, Place::Value)
    }

    /// [`Checker::coerce`] for an argument of an external call, where an amount also
    /// decays to `uint256` and a computed fixed-size array is passed as a dynamic one
    /// (the call's encoding converts it).
    pub(crate) fn coerce_arg(&mut self, v: hir::Expr, to: &Type) -> hir::Expr {
        self.coerce_at(v, to, Place::CallArg)
    }

    fn coerce_at(&mut self, v: hir::Expr, to: &Type, place: Place) -> hir::Expr {
        if implicit(&v.ty, to, place) {
            if matches!(v.ty, Type::Error) {
                return v;
            }
            if let Type::Array(_, Some(n)) = &v.ty {
                if let Type::Array(b, want) = to {
                    let n = *n;
                    if want.is_none() {
                        return self.fixed_to_dynamic(v, b, n, place);
                    }
                    return hir::Expr {
                        ty: Type::Array(b.clone(), Some(n)),
                        ..v
                    };
                }
            }
            // An operation computes at its own type (`uint8 + uint8` overflows above 255,
            // `x as uint8` checks the value fits): widening its result must not retype it,
            // or it would compute at the wider type. It is wrapped in a widening cast,
            // which costs nothing. Leaves (constants, variables, reads) are retyped.
            if v.ty != *to && v.ty.int_bits().is_some() && to.int_bits().is_some() && computes(&v) {
                let span = v.span;
                return hir::Expr {
                    kind: hir::ExprKind::Cast(Box::new(v)),
                    ty: to.clone(),
                    span,
                };
            }
            return hir::Expr {
                ty: to.clone(),
                ..v
            };
        }
        if let Some(d) = out_of_range(&v, to) {
            self.error(d);
            return error_expr(v.span);
        }
        let (an, bn) = (self.type_name(&v.ty), self.type_name(to));
        let help = match (&v.ty, to) {
            (Type::Amount(_), Type::Amount(t)) => {
                let t = &self.tokens[t.0 as usize].name;
                format!("amounts of different tokens do not mix: converting needs a price (a swap or an oracle); to restate the amount unit for unit in `{t}`'s decimals, write `at_par(x, {t})`")
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

impl Checker<'_> {
    /// `bytesN` to `uint(8N)` and back, as Solidity allows: the same bytes read as a
    /// big-endian number (a `bytes4` is left-aligned in its word, a `uint32`
    /// right-aligned, so the conversion is a shift). Sizes must match; a constant
    /// integer that fits in N bytes converts too (`0x12345678 as bytes4`).
    /// `None` when neither side is a `bytesN`.
    fn bytes_cast(&mut self, v: &hir::Expr, to: &Type, span: Span) -> Option<hir::Expr> {
        let (n, to_bytes) = match (&v.ty, to) {
            (Type::FixedBytes(a), Type::FixedBytes(b)) if a == b => return None,
            (Type::FixedBytes(n), Type::Uint(_)) => (*n, false),
            (Type::Uint(_), Type::FixedBytes(n)) => (*n, true),
            _ => return None,
        };
        let bits = 8 * n as u16;
        let shift = 256 - bits as usize;
        let int_bits = match (&v.ty, to) {
            (Type::Uint(b), _) | (_, Type::Uint(b)) => *b,
            _ => unreachable!("one side is an unsigned integer"),
        };
        if let ExprKind::Word(w) = v.kind {
            if to_bytes && (int_bits == bits || fits(w, &Type::Uint(bits))) {
                return Some(word(w << shift, to.clone(), span));
            }
            if !to_bytes && int_bits == bits {
                return Some(word(w >> shift, to.clone(), span));
            }
        }
        if int_bits != bits {
            let (from, want) = (self.type_name(&v.ty), self.type_name(to));
            let same = format!("uint{bits}");
            let fix = if to_bytes {
                format!("make it a `{same}` first (`as` narrows with a check): `(x as {same}) as {want}`")
            } else {
                format!("convert it to `{same}` first, then to `{want}`: `(x as {same}) as {want}`")
            };
            self.error(
                Diagnostic::error("E0317", format!("cannot convert `{from}` to `{want}`"))
                    .with_primary(span, "the sizes differ")
                    .with_note(format!(
                        "`bytes{n}` converts only to and from `uint{bits}`, the integer of the same size"
                    ))
                    .with_help(fix),
            );
            return Some(error_expr(span));
        }
        if n == 32 {
            return Some(hir::Expr {
                ty: to.clone(),
                span,
                ..v.clone()
            });
        }
        Some(expr(ExprKind::Cast(Box::new(v.clone())), to.clone(), span))
    }

    /// A `T[n]` where a `T[]` is wanted. The two are laid out differently (a dynamic
    /// array starts with its length), so the value must become a dynamic array:
    /// - a literal `[a, b]` simply is one (it is encoded where it is made);
    /// - a variable is read element by element into a new dynamic array;
    /// - an external call's argument is converted by the call's encoding;
    /// - anything else (a call's result used directly) must be bound with `let` first.
    fn fixed_to_dynamic(&mut self, v: hir::Expr, elem: &Type, n: usize, place: Place) -> hir::Expr {
        let dynamic = Type::Array(Box::new(elem.clone()), None);
        match &v.kind {
            ExprKind::Array(_) => hir::Expr { ty: dynamic, ..v },
            ExprKind::Local(_) => {
                let span = v.span;
                let elems = (0..n)
                    .map(|i| {
                        let index = word(U256::from(i), Type::U256, span);
                        expr(
                            ExprKind::Index {
                                base: Box::new(v.clone()),
                                index: Box::new(index),
                            },
                            elem.clone(),
                            span,
                        )
                    })
                    .collect();
                expr(ExprKind::Array(elems), dynamic, span)
            }
            _ if place == Place::CallArg => hir::Expr {
                ty: Type::Array(Box::new(elem.clone()), Some(n)),
                ..v
            },
            _ => {
                let (from, to) = (self.type_name(&v.ty), self.type_name(&dynamic));
                self.error(
                    Diagnostic::error(
                        "E0504",
                        "not supported yet: a fixed-size array computed here, used as a dynamic array",
                    )
                    .with_primary(v.span, format!("a `{from}` used as a `{to}`"))
                    .with_help("bind it with `let` first, or declare the dynamic type: `let a: T[] = …`"),
                );
                error_expr(v.span)
            }
        }
    }
}

/// Where a value is converted implicitly: most places, or an external call's argument
/// (see [`Checker::coerce_arg`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Value,
    CallArg,
}

/// Whether an expression's code depends on its own type: an operator or a conversion
/// (its width decides the overflow check, the result of `~` or `<<`, the range a cast
/// checks). Constants, variables and values read from memory or calls do not.
fn computes(v: &hir::Expr) -> bool {
    matches!(
        v.kind,
        hir::ExprKind::Binary { .. } | hir::ExprKind::Unary { .. } | hir::ExprKind::Cast(_)
    ) || matches!(v.kind, hir::ExprKind::MinMax { .. })
}

/// Whether a value of type `from` converts to `to` implicitly. Every such conversion
/// keeps the value's words as they are (a token is its address, a narrower integer is
/// already extended, an amount is its base units), so it needs no code, inside tuples
/// too: a tuple converts element by element, so `(USDC, WETH, …)` is an
/// `(address, address, …)` struct argument.
fn implicit(from: &Type, to: &Type, place: Place) -> bool {
    match (from, to) {
        (Type::Error, _) | (_, Type::Error) => true,
        (a, b) if a == b => true,
        (Type::Uint(a), Type::Uint(b)) => a <= b,
        (Type::Int(a), Type::Int(b)) => a <= b,
        (Type::Amount(_), Type::Uint(256)) => place == Place::CallArg,
        (a, Type::Address) => a.is_addressish(),
        (Type::Array(a, la), Type::Array(b, lb)) => {
            (la == lb || lb.is_none())
                && (a == b || (b.as_ref() == &Type::Address && a.is_addressish()))
        }
        (Type::Tuple(a, _), Type::Tuple(b, _)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| implicit(x, y, place))
        }
        _ => false,
    }
}

/// The error for a constant integer that does not fit integer type `to`: narrowing it
/// with `as` would revert every time, so the fix is a wider type or another value.
fn out_of_range(v: &hir::Expr, to: &Type) -> Option<Diagnostic> {
    let ExprKind::Word(w) = v.kind else {
        return None;
    };
    let (bits, signed) = match to {
        Type::Uint(b) => (*b, false),
        Type::Int(b) => (*b, true),
        _ => return None,
    };
    let value = Constant::of(w, &v.ty)?;
    if value.fits(bits, signed) {
        return None;
    }
    let to_name = if signed {
        format!("int{bits}")
    } else {
        format!("uint{bits}")
    };
    let help = match value.narrowest(signed) {
        Some(Type::Int(b)) if !signed => {
            format!("`{to_name}` holds no negative values: use a signed type such as `int{b}`")
        }
        Some(Type::Int(b)) => format!("use a wider type such as `int{b}`, or a smaller value"),
        Some(Type::Uint(b)) => format!("use a wider type such as `uint{b}`, or a smaller value"),
        _ => "use a smaller value".to_string(),
    };
    Some(
        Diagnostic::error(
            "E0316",
            format!(
                "`{value}` does not fit in `{to_name}` ({})",
                range(bits, signed)
            ),
        )
        .with_primary(v.span, format!("out of range for `{to_name}`"))
        .with_note(
            "the value is known at compile time; converting it with `as` would revert every time",
        )
        .with_help(help),
    )
}

/// Whether converting `from` to `to` may lose information (and so must revert).
fn needs_range_check(from: &Type, to: &Type) -> bool {
    match (from.int_bits(), to.int_bits()) {
        (Some((a, sa)), Some((b, sb))) => sa != sb || b < a,
        _ => false,
    }
}
