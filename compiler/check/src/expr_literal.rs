//! Typing literals: numbers with units, amounts, addresses, negative constants.

use crate::expr::{address_word, error_expr, fits, word};
use crate::hir::{self};
use crate::literals::{parse_number, scale, scale_int, NumberError, NumberValue, ScaleError};
use crate::scope::{Checker, Symbol};
use crate::ty::Type;
use alloy_primitives::U256;
use nest_diagnostics::{Diagnostic, Span};
use nest_syntax::ast;

impl Checker<'_> {
    /// A number literal: with a unit (`1.5 USDC`, `2 gwei`), an amount scaled by the
    /// unit's decimals; without, an integer of the expected type, an address or a
    /// `bytes32`.
    pub(crate) fn number(
        &mut self,
        raw: &str,
        unit: Option<&ast::Ident>,
        expected: Option<&Type>,
        span: Span,
    ) -> hir::Expr {
        let value = match parse_number(raw) {
            Ok(v) => v,
            Err(e) => {
                self.malformed_number(raw, e, span);
                return error_expr(span);
            }
        };
        match unit {
            Some(u) => self.number_with_unit(value, u, span),
            None => self.plain_number(value, raw, expected, span),
        }
    }

    /// `E0308` for a number that does not parse, unless the lexer reported it already.
    fn malformed_number(&mut self, raw: &str, e: NumberError, span: Span) {
        // The lexer reports (E0104) a number with a character that is not a
        // digit of its base, with the fix (`1e18`); this would repeat it.
        let digits = raw
            .strip_prefix("0x")
            .or_else(|| raw.strip_prefix("0X"))
            .map(|h| (h, true))
            .unwrap_or((raw, false));
        let lexed_bad = match digits {
            (h, true) => h.is_empty() || h.chars().any(|c| !c.is_ascii_hexdigit() && c != '_'),
            (d, false) => d.chars().any(|c| c.is_ascii_alphabetic()),
        };
        if e == NumberError::Malformed && lexed_bad {
            return;
        }
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
    }

    /// `N unit`: `N` scaled by the decimals of `unit` (a token, `ether`, `gwei` or `wei`).
    fn number_with_unit(&mut self, value: NumberValue, u: &ast::Ident, span: Span) -> hir::Expr {
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
        match scaled {
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
        }
    }

    /// A number without a unit.
    fn plain_number(
        &mut self,
        value: NumberValue,
        raw: &str,
        expected: Option<&Type>,
        span: Span,
    ) -> hir::Expr {
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
                        .with_help(format!(
                            "write a token or `ether`/`gwei` after it, e.g. `{raw} WETH`; a fixed-point quantity (a health factor, a rate) is `fixed({raw}, 18)`, with its decimals"
                        )),
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
}

/// `-N` for an integer literal N: a signed constant of the expected signed type
/// when it fits (`-128` is an `int8`), else of `int256`; None when it fits neither.
pub(crate) fn negative_literal(
    raw: &str,
    expected: Option<&Type>,
    span: Span,
) -> Option<hir::Expr> {
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
