//! Values users write that are not plain literals: the limits of a type
//! (`uint256.max`, `int8.min`, `USDC.max`) and fixed-point quantities
//! (`fixed(1.6, 18)`, a health factor of 1.6 with 18 decimals).

use crate::expr::{error_expr, word};
use crate::hir;
use crate::literals::{parse_number, scale, scale_int, NumberValue, ScaleError};
use crate::scope::{Checker, Symbol};
use crate::ty::Type;
use alloy_primitives::U256;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

/// The most decimals `fixed` takes: 10**77 is the largest power of ten in 256 bits.
const MAX_SCALE: u8 = 77;

/// The integer type a name spells (`uint`, `uint8`, `int256`…), if any.
fn int_type(name: &str) -> Option<Type> {
    match name {
        "uint" => return Some(Type::U256),
        "int" => return Some(Type::Int(256)),
        _ => {}
    }
    let bits = |s: &str| {
        s.parse::<u16>()
            .ok()
            .filter(|b| b % 8 == 0 && (8..=256).contains(b))
    };
    if let Some(b) = name.strip_prefix("uint").and_then(bits) {
        return Some(Type::Uint(b));
    }
    name.strip_prefix("int").and_then(bits).map(Type::Int)
}

/// Whether a name spells a type that is neither an integer nor a token.
fn other_type(name: &str) -> bool {
    matches!(name, "address" | "bool" | "bytes" | "string")
        || name
            .strip_prefix("bytes")
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=32).contains(&n))
}

/// The largest and smallest words of an integer type (`int` words are two's
/// complement, sign-extended to 256 bits).
fn limits(ty: &Type) -> (U256, U256) {
    match ty {
        Type::Uint(b) => (U256::MAX >> (256 - *b as usize), U256::ZERO),
        Type::Int(b) => {
            let max = U256::MAX >> (257 - *b as usize);
            (max, !max)
        }
        _ => (U256::MAX, U256::ZERO),
    }
}

impl Checker<'_> {
    /// `T.max` / `T.min` where `T` names an integer type or a token (whose amounts
    /// go from 0 to 2**256 - 1 base units: `USDC.max` is "all of it" for the
    /// protocols that take that). `None` when `base.field` is not about a type, so
    /// that the caller checks it as a field.
    pub(crate) fn type_value(
        &mut self,
        base: &ast::Expr,
        field: &ast::Ident,
        span: Span,
    ) -> Option<hir::Expr> {
        if let ast::ExprKind::Call { callee, args, .. } = &base.kind {
            return self.solidity_type_of(callee, args, field, span);
        }
        let ast::ExprKind::Ident(b) = &base.kind else {
            return None;
        };
        if self.lookup_local(&b.name).is_some() {
            return None;
        }
        let ty = match int_type(&b.name) {
            Some(t) => t,
            None => match self.lookup_item_quiet(self.current, &b.name) {
                Some(Symbol::Token(t)) => {
                    let sym = Symbol::Token(t);
                    self.record_symbol(b.span, &b.name, &sym, false);
                    Type::Amount(t)
                }
                _ if other_type(&b.name) => {
                    self.error(
                        Diagnostic::error(
                            "E0306",
                            format!("`{}` has no `.{}`", b.name, field.name),
                        )
                        .with_primary(field.span, "not a property of this type")
                        .with_help(
                            "`.max` and `.min` are the limits of integer types (`uint256.max`) and token amounts (`USDC.max`)",
                        ),
                    );
                    return Some(error_expr(span));
                }
                _ => return None,
            },
        };
        let (max, min) = limits(&ty);
        let v = match field.name.as_str() {
            "max" => max,
            "min" => min,
            _ => {
                let name = &b.name;
                let what = if matches!(ty, Type::Amount(_)) {
                    "a token"
                } else {
                    "a type"
                };
                let mut d = Diagnostic::error(
                    "E0306",
                    format!(
                        "{what} has no `.{}`: `{name}` has `.max` and `.min`",
                        field.name
                    ),
                )
                .with_primary(field.span, "unknown property");
                d = d.with_help(format!("the largest value is `{name}.max`"));
                if matches!(ty, Type::Amount(_)) {
                    d = d.with_note(format!(
                        "`{name}` here is the token's amount type, not its contract: call the token's functions through `IERC20({name})`"
                    ));
                }
                self.error(d);
                return Some(error_expr(span));
            }
        };
        let detail = format!(
            "{}.{}: {} — {}",
            b.name,
            field.name,
            self.type_name(&ty),
            if field.name == "max" {
                "the largest value of the type"
            } else {
                "the smallest value of the type"
            }
        );
        self.record_builtin(span, &format!("{}.{}", b.name, field.name), &detail);
        Some(word(v, ty, span))
    }

    /// Solidity's `type(uint256).max`: Nest writes `uint256.max`.
    fn solidity_type_of(
        &mut self,
        callee: &ast::Expr,
        args: &[ast::Expr],
        field: &ast::Ident,
        span: Span,
    ) -> Option<hir::Expr> {
        let ast::ExprKind::Ident(c) = &callee.kind else {
            return None;
        };
        if c.name != "type" || self.lookup_local("type").is_some() {
            return None;
        }
        let arg = match args {
            [a] => match &a.kind {
                ast::ExprKind::Ident(t) => t.name.clone(),
                _ => "uint256".to_string(),
            },
            _ => "uint256".to_string(),
        };
        self.error(
            Diagnostic::error("E0201", "cannot find function `type`")
                .with_primary(c.span, "Solidity's `type(…)` is not Nest")
                .with_help(format!("write `{arg}.{}`", field.name)),
        );
        Some(error_expr(span))
    }

    /// `fixed(1.6, 18)`: the decimal number scaled by `10**18`, exactly, as a
    /// `uint256` (1_600_000_000_000_000_000). Both arguments are literals; a number
    /// with more fractional digits than the scale is an error, never rounded.
    pub(crate) fn fixed_point(&mut self, args: &[ast::Expr], span: Span) -> hir::Expr {
        let [n, d] = args else {
            let got = args.len();
            let mut diag =
                Diagnostic::error("E0314", format!("`fixed` takes 2 arguments, {got} given"))
                    .with_help("write `fixed(NUMBER, DECIMALS)`, e.g. `fixed(1.6, 18)`");
            diag = if got < 2 {
                diag.with_primary(span, "missing `decimals`")
            } else {
                diag.with_primary(span, "too many arguments")
            };
            self.error(diag);
            return error_expr(span);
        };
        let number = match &n.kind {
            ast::ExprKind::Number { raw, unit: None } => match parse_number(raw) {
                Ok(v @ (NumberValue::Int(_) | NumberValue::Decimal { .. })) => Some(v),
                _ => None,
            },
            _ => None,
        };
        let decimals = match &d.kind {
            ast::ExprKind::Number { raw, unit: None } => match parse_number(raw) {
                Ok(NumberValue::Int(v)) if v <= U256::from(MAX_SCALE) => Some(v.to::<u8>()),
                Ok(NumberValue::Int(_)) => {
                    self.error(
                        Diagnostic::error("E0316", "`fixed` takes at most 77 decimals")
                            .with_primary(d.span, "too many decimals")
                            .with_note("10**78 does not fit in 256 bits")
                            .with_help("use 18 (a wad) or 27 (a ray), as protocols do"),
                    );
                    return error_expr(span);
                }
                _ => None,
            },
            _ => None,
        };
        let Some(number) = number else {
            self.error(
                Diagnostic::error("E0305", "`fixed` takes a number written out")
                    .with_primary(n.span, "not a number literal")
                    .with_note(
                        "`fixed` scales a decimal literal exactly when the script compiles",
                    )
                    .with_help(
                        "write the number (`fixed(1.6, 18)`); to scale a value the script computes, multiply: `x * 10 ** 18`",
                    ),
            );
            return error_expr(span);
        };
        let Some(decimals) = decimals else {
            self.error(
                Diagnostic::error("E0305", "`fixed` takes its number of decimals written out")
                    .with_primary(d.span, "not an integer literal")
                    .with_help("write the decimals as a number, e.g. `fixed(1.6, 18)`"),
            );
            return error_expr(span);
        };
        let scaled = match &number {
            NumberValue::Int(v) => scale_int(*v, decimals),
            NumberValue::Decimal { int, frac } => scale(int, frac, decimals),
            _ => unreachable!("only integers and decimals are kept"),
        };
        match scaled {
            Ok(v) => word(v, Type::U256, span),
            Err(ScaleError::TooPrecise { decimals }) => {
                self.error(
                    Diagnostic::error(
                        "E0309",
                        format!("this number has more than {decimals} fractional digits"),
                    )
                    .with_primary(n.span, "not a whole number of units")
                    .with_note(format!(
                        "`fixed(x, {decimals})` is exact: with {decimals} decimals the smallest step is 10**-{decimals}"
                    ))
                    .with_help(format!(
                        "round the number to {decimals} fractional digits, or use more decimals"
                    )),
                );
                error_expr(span)
            }
            Err(ScaleError::Overflow) => {
                self.error(
                    Diagnostic::error("E0316", "this fixed-point value does not fit in 256 bits")
                        .with_primary(span, "too large")
                        .with_help("use fewer decimals or a smaller number"),
                );
                error_expr(span)
            }
        }
    }
}

/// Hover text of `fixed`.
pub(crate) const FIXED_DETAIL: &str = "fixed(number, decimals) -> uint256 — a fixed-point quantity, scaled exactly: fixed(1.6, 18) is 1_600_000_000_000_000_000";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::codes;

    #[test]
    fn limits_of_integer_types() {
        assert_eq!(limits(&Type::Uint(8)), (U256::from(255u32), U256::ZERO));
        assert_eq!(limits(&Type::U256), (U256::MAX, U256::ZERO));
        let (max, min) = limits(&Type::Int(8));
        assert_eq!(max, U256::from(127u32));
        assert_eq!(
            min,
            U256::from(128u32).wrapping_neg(),
            "-128, sign-extended"
        );
        let (max, min) = limits(&Type::Int(256));
        assert_eq!(max, U256::MAX >> 1);
        assert_eq!(min, U256::from(1u8) << 255);
    }

    #[test]
    fn type_names() {
        assert_eq!(int_type("uint"), Some(Type::U256));
        assert_eq!(int_type("uint64"), Some(Type::Uint(64)));
        assert_eq!(int_type("int8"), Some(Type::Int(8)));
        assert_eq!(int_type("uint7"), None);
        assert_eq!(int_type("uint264"), None);
        assert!(other_type("bytes32") && other_type("address") && !other_type("bytes33"));
    }

    /// A folded comparison that is false is W0301: none means the values are equal.
    fn holds(expr: &str) -> bool {
        codes(&format!(
            "use std::ethereum::{{USDC}}\nrequire({expr}, \"x\")\n"
        ))
        .is_empty()
    }

    #[test]
    fn type_limits_fold_to_their_values() {
        assert!(holds("uint8.max == 255"));
        assert!(holds("uint256.max == ~0"));
        assert!(holds("uint.max == uint256.max"));
        assert!(holds("int8.min == -128"));
        assert!(holds("int8.max == 127"));
        assert!(holds("uint16.min == 0"));
        assert!(holds("USDC.max == (uint256.max as USDC)"));
        assert!(!holds("uint8.max == 254"));
    }

    #[test]
    fn fixed_scales_exactly() {
        assert!(holds("fixed(1.6, 18) == 1_600_000_000_000_000_000"));
        assert!(holds("fixed(1, 27) == 10 ** 27"));
        assert!(holds("fixed(0.000001, 6) == 1"));
        assert!(holds("fixed(2.50, 1) == 25"));
        assert_eq!(codes("let x = fixed(1.25, 1)\nreturn x\n"), ["E0309"]);
        assert_eq!(
            codes("let y = 2\nlet x = fixed(y, 18)\nreturn x\n"),
            ["E0305"]
        );
        assert_eq!(codes("let x = fixed(1.5, 78)\nreturn x\n"), ["E0316"]);
        assert_eq!(codes("let x = fixed(1000, 77)\nreturn x\n"), ["E0316"]);
        assert_eq!(codes("let x = fixed(1.5)\nreturn x\n"), ["E0314"]);
    }

    #[test]
    fn wrong_properties_are_explained() {
        assert_eq!(codes("let x = uint256.maximum\nreturn x\n"), ["E0306"]);
        assert_eq!(codes("let x = bytes32.max\nreturn x\n"), ["E0306"]);
        assert_eq!(codes("let x = type(uint256).max\nreturn x\n"), ["E0201"]);
        assert_eq!(
            codes("use std::ethereum::{USDC}\nlet x = USDC.max + 1 USDC\nreturn x\n"),
            ["E0316"],
            "2**256 - 1 base units is the largest amount"
        );
        assert_eq!(
            codes("use std::ethereum::{USDC}\nlet x = USDC.total\nreturn x\n"),
            ["E0306"]
        );
    }
}
