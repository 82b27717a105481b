//! Conversions: explicit `as` casts and implicit coercions.

use crate::expr::{error_expr, expr, fits, word};
use crate::hir::{self, ExprKind};
use crate::int_range::{range, Constant};
use crate::scope::Checker;
use crate::ty::Type;
use nest_diagnostics::{Diagnostic, Span};

impl Checker<'_> {
    /// `v as to`.
    pub(crate) fn cast(&mut self, v: hir::Expr, to: &Type, span: Span) -> hir::Expr {
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
        if implicit(&v.ty, to, call_arg) {
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
        if let Some(d) = out_of_range(&v, to) {
            self.error(d);
            return error_expr(v.span);
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

/// Whether a value of type `from` converts to `to` implicitly. Every such conversion
/// keeps the value's words as they are (a token is its address, a narrower integer is
/// already extended, an amount is its base units), so it needs no code, inside tuples
/// too: a tuple converts element by element, so `(USDC, WETH, …)` is an
/// `(address, address, …)` struct argument.
fn implicit(from: &Type, to: &Type, call_arg: bool) -> bool {
    match (from, to) {
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
        (Type::Tuple(a, _), Type::Tuple(b, _)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| implicit(x, y, call_arg))
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
