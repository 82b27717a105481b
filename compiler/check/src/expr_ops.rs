//! Typing operators: the amount and integer rules, and constant folding.

use crate::expr::{error_expr, expr, fits, word};
use crate::expr_literal::negative_literal;
use crate::hir::{self, BinOp, ExprKind, UnOp};
use crate::scope::Checker;
use crate::ty::Type;
use alloy_primitives::{I256, U256};
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

impl Checker<'_> {
    /// The common type of two arithmetic operands, reporting mismatches.
    pub(crate) fn arith_type(
        &mut self,
        l: &hir::Expr,
        r: &hir::Expr,
        span: Span,
        op: &str,
    ) -> Type {
        match (&l.ty, &r.ty) {
            (Type::Error, _) | (_, Type::Error) => Type::Error,
            (a, b) if a == b && a.is_numeric() => a.clone(),
            (Type::Uint(a), Type::Uint(b)) => Type::Uint(*a.max(b)),
            (Type::Int(a), Type::Int(b)) => Type::Int(*a.max(b)),
            (a, b) => {
                let (an, bn) = (self.type_name(a), self.type_name(b));
                let help = match (a, b) {
                    (Type::Amount(_), Type::Amount(_)) => {
                        "amounts of different tokens do not mix: converting needs a price; to restate one side unit for unit in the other's decimals, use `at_par(x, TOKEN)`"
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

    pub(crate) fn unary(
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

    /// A binary operation: `and`/`or`, a comparison, or arithmetic and bitwise operators
    /// (the amount and integer rules, then constant folding).
    pub(crate) fn binary(
        &mut self,
        op: ast::BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        expected: Option<&Type>,
        span: Span,
    ) -> hir::Expr {
        let bop = bin_op(op);
        match bop {
            BinOp::And | BinOp::Or => self.logical(bop, lhs, rhs, span),
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.comparison(bop, op.as_str(), lhs, rhs, span)
            }
            _ => self.arithmetic(bop, op.as_str(), lhs, rhs, expected, span),
        }
    }

    /// `a and b`, `a or b`: both operands `bool`.
    fn logical(&mut self, bop: BinOp, lhs: &ast::Expr, rhs: &ast::Expr, span: Span) -> hir::Expr {
        let l = self.check_expr(lhs, Some(&Type::Bool));
        let l = self.coerce(l, &Type::Bool);
        let r = self.check_expr(rhs, Some(&Type::Bool));
        let r = self.coerce(r, &Type::Bool);
        binary_node(bop, l, r, Type::Bool, span)
    }

    /// `==`, `!=`, `<`, `<=`, `>`, `>=`: operands of comparable types, folded when both
    /// are known.
    fn comparison(
        &mut self,
        bop: BinOp,
        sym: &str,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        span: Span,
    ) -> hir::Expr {
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
            self.comparison_error(sym, &l.ty, &r.ty, span);
            return error_expr(span);
        }
        if let Some(v) = fold_comparison(bop, &l, &r, span) {
            return v;
        }
        binary_node(bop, l, r, Type::Bool, span)
    }

    /// `E0302`: a comparison of types that do not compare (with that operator).
    fn comparison_error(&mut self, sym: &str, l: &Type, r: &Type, span: Span) {
        let (an, bn) = (self.type_name(l), self.type_name(r));
        let help = if l.is_addressish() || r.is_addressish() {
            "addresses compare only with `==` and `!=`".to_string()
        } else if let (Type::Amount(_), _) | (_, Type::Amount(_)) = (l, r) {
            "compare amounts of the same token (an amount of another token needs a price, or `at_par(x, TOKEN)` to restate it unit for unit)".to_string()
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
    }

    /// Arithmetic and bitwise operators: the result type ([`Checker::binary_type`]),
    /// the operands coerced to it, then constant folding ([`Checker::fold`]).
    fn arithmetic(
        &mut self,
        bop: BinOp,
        sym: &str,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        expected: Option<&Type>,
        span: Span,
    ) -> hir::Expr {
        let l = self.check_expr(lhs, expected.filter(|t| t.is_numeric()));
        let r_expected = match (bop, &l.ty) {
            (BinOp::Mul | BinOp::Div | BinOp::Pow | BinOp::Shl | BinOp::Shr, Type::Amount(_)) => {
                Some(Type::U256)
            }
            // A signed base takes an unsigned exponent (as in Solidity).
            (BinOp::Pow, Type::Int(_)) => Some(Type::U256),
            _ => Some(l.ty.clone()),
        };
        let r = self.check_expr(rhs, r_expected.as_ref());
        let (l, r) = self.retype_literal_pair(l, r, rhs);
        let ty = self.binary_type(bop, sym, &l, &r, span);
        if ty == Type::Error {
            return error_expr(span);
        }
        let (l, r) = self.coerce_operands(bop, &ty, l, r);
        if let Some(v) = self.fold(bop, &l, &r, &ty, span) {
            return v;
        }
        binary_node(bop, l, r, ty, span)
    }

    /// The type of an arithmetic or bitwise operation on typed operands (the amount
    /// rules: amount × integer, amount ÷ amount of the same token, no bitwise operator
    /// on amounts; shifts; signed powers); `Type::Error` after reporting a mismatch.
    fn binary_type(
        &mut self,
        bop: BinOp,
        sym: &str,
        l: &hir::Expr,
        r: &hir::Expr,
        span: Span,
    ) -> Type {
        let not_on_amounts = matches!(
            bop,
            BinOp::Pow
                | BinOp::Rem
                | BinOp::BitAnd
                | BinOp::BitOr
                | BinOp::BitXor
                | BinOp::Shl
                | BinOp::Shr
        );
        match (bop, &l.ty, &r.ty) {
            (_, Type::Error, _) | (_, _, Type::Error) => Type::Error,
            (BinOp::Mul, Type::Amount(t), Type::Uint(_))
            | (BinOp::Mul, Type::Uint(_), Type::Amount(t)) => Type::Amount(*t),
            (BinOp::Div, Type::Amount(t), Type::Uint(_)) => Type::Amount(*t),
            (BinOp::Div, Type::Amount(a), Type::Amount(b)) if a == b => Type::U256,
            (BinOp::Mul, Type::Amount(_), Type::Amount(_)) => {
                self.error(
                    Diagnostic::error("E0302", "cannot multiply two amounts")
                        .with_primary(span, "amount × amount has no unit")
                        .with_help(
                            "multiply an amount by a plain integer, or convert with `as uint256`",
                        ),
                );
                Type::Error
            }
            (_, Type::Amount(_), _) | (_, _, Type::Amount(_)) if not_on_amounts => {
                self.error(
                    Diagnostic::error("E0302", format!("cannot apply `{sym}` to an amount"))
                        .with_primary(span, "amounts take `+ - * /` and comparisons")
                        .with_help("convert with `as uint256` first"),
                );
                Type::Error
            }
            (BinOp::Shl | BinOp::Shr, a, Type::Uint(_))
                if matches!(a, Type::Uint(_) | Type::Int(_) | Type::FixedBytes(_)) =>
            {
                a.clone()
            }
            (BinOp::Pow, Type::Int(_), Type::Uint(_)) => l.ty.clone(),
            (BinOp::Pow, Type::Int(_), _) => {
                let (an, bn) = (self.type_name(&l.ty), self.type_name(&r.ty));
                self.error(
                    Diagnostic::error(
                        "E0302",
                        format!("cannot raise `{an}` to a power of type `{bn}`"),
                    )
                    .with_primary(r.span, "the exponent must be unsigned")
                    .with_help(
                        "use an unsigned exponent, e.g. `x ** 3` or `x ** n` with `n: uint256`",
                    ),
                );
                Type::Error
            }
            (
                BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor,
                Type::FixedBytes(a),
                Type::FixedBytes(b),
            ) if a == b => Type::FixedBytes(*a),
            _ => self.arith_type(l, r, span, sym),
        }
    }

    /// The operands of an arithmetic operation of type `ty`, coerced to it; mixed
    /// operands keep their own types (amount × integer, amount ÷ amount), and so do
    /// shift amounts; a signed power's exponent is a `uint256`.
    fn coerce_operands(
        &mut self,
        bop: BinOp,
        ty: &Type,
        l: hir::Expr,
        r: hir::Expr,
    ) -> (hir::Expr, hir::Expr) {
        let mixed = matches!(
            (ty, &l.ty),
            (Type::Amount(_), Type::Uint(_)) | (Type::Uint(256), Type::Amount(_))
        );
        let l = if mixed { l } else { self.coerce(l, ty) };
        let r = match (ty, &r.ty) {
            (Type::Amount(_), Type::Uint(_)) | (Type::Uint(256), Type::Amount(_)) => r,
            (_, _) if matches!(bop, BinOp::Shl | BinOp::Shr) => r,
            (Type::Int(_), _) if bop == BinOp::Pow => self.coerce(r, &Type::U256),
            _ => self.coerce(r, ty),
        };
        (l, r)
    }

    /// When the left operand is an untyped literal and the right is typed, give the
    /// literal the right's type (`1 + x` where `x: uint8`).
    pub(crate) fn retype_literal_pair(
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
    pub(crate) fn fold(
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
            return self.fold_signed(op, (*a, *b), r.span, bits, ty, span);
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
        if let Some(v) = v.filter(|v| *v <= max) {
            return Some(word(v, ty.clone(), span));
        }
        // Unsigned division and remainder fail only on zero.
        let by_zero = matches!(op, BinOp::Div | BinOp::Rem);
        Some(self.fold_error(op, by_zero, r.span, span, ty, (bits, false)))
    }

    /// The error for constant arithmetic that divides by zero (`by_zero`) or does not fit
    /// `ty` (`bits` wide, signed or not): it would revert every time the script runs.
    fn fold_error(
        &mut self,
        op: BinOp,
        by_zero: bool,
        divisor: Span,
        span: Span,
        ty: &Type,
        (bits, signed): (u16, bool),
    ) -> hir::Expr {
        let tn = self.type_name(ty);
        let d = match op {
            BinOp::Div | BinOp::Rem if by_zero => Diagnostic::error(
                "E0316",
                if op == BinOp::Div {
                    "this constant expression divides by zero"
                } else {
                    "this constant expression takes a remainder by zero"
                },
            )
            .with_primary(divisor, "this is zero")
            .with_help("divide by a value that is not zero"),
            BinOp::Sub if !signed => {
                Diagnostic::error("E0316", "this constant expression underflows")
                    .with_primary(
                        span,
                        format!("the result is below zero, and `{tn}` is unsigned"),
                    )
                    .with_help("swap the operands, or use a signed type such as `int256`")
            }
            _ => Diagnostic::error("E0316", "this constant expression overflows")
                .with_primary(
                    span,
                    format!(
                        "does not fit in `{tn}` ({})",
                        crate::int_range::range(bits, signed)
                    ),
                )
                .with_help("use a wider type, or smaller values"),
        };
        self.error(d.with_note("it would revert every time the script runs"));
        error_expr(span)
    }

    /// Folds `+ - * / %` on signed constants (two's-complement words) of `bits` bits,
    /// reporting overflow and division by zero at compile time as the unsigned fold
    /// does. Other operators are left to run time.
    fn fold_signed(
        &mut self,
        op: BinOp,
        (a, b): (U256, U256),
        divisor: Span,
        bits: u16,
        ty: &Type,
        span: Span,
    ) -> Option<hir::Expr> {
        let (x, y) = (I256::from_raw(a), I256::from_raw(b));
        let v = match op {
            BinOp::Add => x.checked_add(y),
            BinOp::Sub => x.checked_sub(y),
            BinOp::Mul => x.checked_mul(y),
            BinOp::Div => x.checked_div(y),
            BinOp::Rem => x.checked_rem(y),
            _ => return None,
        };
        let fits = |v: I256| {
            let c = crate::int_range::Constant::of(v.into_raw(), &Type::Int(256));
            c.is_some_and(|c| c.fits(bits, true))
        };
        if let Some(v) = v.filter(|v| fits(*v)) {
            return Some(word(v.into_raw(), ty.clone(), span));
        }
        let by_zero = matches!(op, BinOp::Div | BinOp::Rem) && y.is_zero();
        Some(self.fold_error(op, by_zero, divisor, span, ty, (bits, true)))
    }
}

/// The checked form of a syntax tree's binary operator.
fn bin_op(op: ast::BinaryOp) -> BinOp {
    use ast::BinaryOp as A;
    match op {
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
    }
}

/// A comparison of two known unsigned words (or addresses, booleans, byte strings),
/// folded to a `bool`; signed operands are compared at run time.
fn fold_comparison(bop: BinOp, l: &hir::Expr, r: &hir::Expr, span: Span) -> Option<hir::Expr> {
    let (ExprKind::Word(a), ExprKind::Word(b)) = (&l.kind, &r.kind) else {
        return None;
    };
    if matches!(l.ty, Type::Int(_)) {
        return None;
    }
    let v = match bop {
        BinOp::Eq => a == b,
        BinOp::Ne => a != b,
        BinOp::Lt => a < b,
        BinOp::Le => a <= b,
        BinOp::Gt => a > b,
        _ => a >= b,
    };
    Some(word(U256::from(v as u8), Type::Bool, span))
}

/// `lhs op rhs` of type `ty`.
fn binary_node(op: BinOp, l: hir::Expr, r: hir::Expr, ty: Type, span: Span) -> hir::Expr {
    expr(
        ExprKind::Binary {
            op,
            lhs: Box::new(l),
            rhs: Box::new(r),
        },
        ty,
        span,
    )
}
