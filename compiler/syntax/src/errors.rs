//! Every syntax diagnostic (`E01xx`) is built here, so their wording stays consistent.
//! The codes and their long explanations are registered in
//! `nest_diagnostics::codes` (`codes/syntax.rs`).

use chumsky::error::{Rich, RichPattern, RichReason};
use nest_diagnostics::{Diagnostic, Span};

use crate::token::Sp;
use crate::token::{Tok, Token};

/// The parser's error type: chumsky's rich error, whose custom variant is a ready diagnostic.
pub(crate) type ParseError<'a> = Rich<'a, Token, Sp, Diagnostic>;

/// Converts a parser span to a diagnostics span.
pub(crate) fn span(sp: Sp) -> Span {
    Span::new(sp.context, sp.start, sp.end)
}

/// `E0101`: the parser met a token it cannot use here.
pub(crate) fn from_parser(err: ParseError<'_>) -> Diagnostic {
    let at = span(*err.span());
    let (expected, found) = match err.into_reason() {
        RichReason::Custom(diag) => return diag,
        RichReason::ExpectedFound { expected, found } => (expected, found.map(|t| t.into_inner())),
    };
    if let Some(Token {
        kind: Tok::Reserved(word),
        ..
    }) = &found
    {
        return reserved_keyword(at, word);
    }
    let expected = describe_expected(&expected, found.is_none());
    let found_text = match &found {
        Some(t) => t.to_string(),
        None => "end of input".to_string(),
    };
    let message = match &expected {
        Some(list) => format!("expected {list}, found {found_text}"),
        None => format!("unexpected {found_text}"),
    };
    let label = match (&expected, &found) {
        (Some(list), _) => format!("expected {list}"),
        (None, Some(_)) => "unexpected token".to_string(),
        (None, None) => "unexpected end of input".to_string(),
    };
    let mut diag = Diagnostic::error("E0101", message).with_primary(at, label);
    if let Some(Token {
        kind: Tok::OuterDoc(_),
        ..
    }) = &found
    {
        diag = diag.with_help("a `///` doc comment must come before an item or a statement; use `//` for a plain comment");
    }
    diag
}

/// "`a`, `b` or an operator", from the patterns the parser would have accepted.
fn describe_expected(patterns: &[RichPattern<'_, Token>], at_end: bool) -> Option<String> {
    let mut items: Vec<String> = Vec::new();
    let mut operator = false;
    for p in patterns {
        let text = match p {
            RichPattern::Token(t) => match &t.kind {
                Tok::Punct(p) if p.is_binary_operator() => {
                    operator = true;
                    continue;
                }
                _ => t.to_string(),
            },
            RichPattern::Label(l) => l.to_string(),
            RichPattern::Identifier(i) => format!("`{i}`"),
            // Offering "end of input" in the middle of a file helps nobody.
            RichPattern::EndOfInput if !at_end => continue,
            RichPattern::EndOfInput => "end of input".to_string(),
            _ => continue,
        };
        if !items.contains(&text) {
            items.push(text);
        }
    }
    if operator {
        items.push("an operator".to_string());
    }
    match items.len() {
        0 => None,
        1 => items.pop(),
        n => {
            let head = items[..n - 1].join(", ");
            Some(format!("one of {head} or {}", items[n - 1]))
        }
    }
}

/// `E0102`: an opening delimiter that is never closed.
pub(crate) fn unclosed_delimiter(open: Span, delim: &str, eof: Span) -> Diagnostic {
    Diagnostic::error("E0102", format!("unclosed delimiter `{delim}`"))
        .with_primary(open, "this delimiter is never closed")
        .with_secondary(eof, "the end of input is reached here")
        .with_help(format!("add the matching `{}`", closing(delim)))
}

/// `E0109`: a closing delimiter that does not match the innermost open one.
pub(crate) fn mismatched_delimiter(
    close: Span,
    delim: &str,
    open: Option<(Span, &str)>,
) -> Diagnostic {
    match open {
        Some((open_span, open_delim)) => {
            Diagnostic::error("E0109", format!("mismatched closing delimiter `{delim}`"))
                .with_primary(close, format!("expected `{}`", closing(open_delim)))
                .with_secondary(open_span, "the unclosed delimiter")
        }
        None => Diagnostic::error("E0109", format!("unexpected closing delimiter `{delim}`"))
            .with_primary(close, "nothing is open here")
            .with_help("remove it, or add the opening delimiter it belongs to"),
    }
}

fn closing(open: &str) -> &'static str {
    match open {
        "(" => ")",
        "[" => "]",
        _ => "}",
    }
}

/// `E0103`: a string without its closing quote.
pub(crate) fn unterminated_string(quote: Span, eof: Span) -> Diagnostic {
    Diagnostic::error("E0103", "unterminated string")
        .with_primary(quote, "this string is never closed")
        .with_secondary(eof, "the end of input is reached here")
        .with_help("add the closing `\"`")
}

/// `E0104`: a number that is not a valid literal.
pub(crate) fn invalid_number(at: Span, written: &str, problem: String) -> Diagnostic {
    let diag = Diagnostic::error("E0104", format!("invalid number literal `{written}`"))
        .with_primary(at, problem);
    let glued_unit = written.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !written.starts_with("0x")
        && !written.starts_with("0X")
        && written.chars().any(|c| c.is_ascii_alphabetic());
    if let Some(help) = exponent_help(written) {
        diag.with_note("Nest has no exponent notation")
            .with_help(help)
    } else if glued_unit {
        diag.with_help("put a space between a number and its unit: `10 gwei`")
    } else {
        diag
    }
}

/// The fix for `1e18`-style scientific notation: the number written out, and the
/// units that usually say it better (`1 ether` is 10¹⁸ wei, `1 WETH` an amount).
fn exponent_help(written: &str) -> Option<String> {
    let (mantissa, exp) = written.split_once(['e', 'E'])?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !digits(exp) || mantissa.split('.').count() > 2 || !mantissa.split('.').all(digits) {
        return None;
    }
    let exp: usize = exp.replace('_', "").parse().ok().filter(|e| *e <= 78)?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let (int, frac) = (int.replace('_', ""), frac.replace('_', ""));
    // The digits written out: `1.5e3` is `1500`; a fraction longer than the exponent
    // is not an integer.
    let written_out = if frac.len() <= exp {
        let all = format!("{int}{frac}{}", "0".repeat(exp - frac.len()));
        let all = all.trim_start_matches('0');
        let all = if all.is_empty() { "0" } else { all };
        let mut grouped = String::new();
        for (i, c) in all.chars().enumerate() {
            if i > 0 && (all.len() - i) % 3 == 0 {
                grouped.push('_');
            }
            grouped.push(c);
        }
        Some(grouped)
    } else {
        None
    };
    let units = if exp == 18 || exp == 9 {
        let unit = if exp == 18 { "ether" } else { "gwei" };
        format!("`{mantissa} {unit}` (in wei), ")
    } else {
        String::new()
    };
    Some(match written_out {
        // `1.6e18`: a fixed-point quantity, which `fixed` writes exactly.
        Some(n) if !frac.is_empty() => format!(
            "write `fixed({mantissa}, {exp})` (a fixed-point number with {exp} decimals, `{n}`), or {units}an amount of a token such as `{mantissa} WETH` (scaled by its decimals)"
        ),
        Some(n) => format!(
            "write `{n}`, or {units}`10 ** {exp}`, or an amount of a token such as `{mantissa} WETH` (scaled by its decimals)"
        ),
        None => format!(
            "write the integer out, or {units}an amount of a token such as `{mantissa} WETH` (scaled by its decimals)"
        ),
    })
}

/// `E0101` with a specific message: Solidity's `function f(…) returns (…)`.
pub(crate) fn solidity_function(at: Span) -> Diagnostic {
    Diagnostic::error("E0101", "Nest declares functions with `fn`, not `function`")
        .with_primary(at, "Solidity syntax")
        .with_note("parameters are `name: type`, and the return type follows `->`")
        .with_help("write `fn f(a: uint256) -> uint256 { … }` for `function f(uint256 a) returns (uint256) { … }`")
}

/// `E0105`: `while` or `loop`.
pub(crate) fn reserved_keyword(at: Span, word: &str) -> Diagnostic {
    Diagnostic::error("E0105", format!("`{word}` is a reserved keyword"))
        .with_primary(at, "reserved")
        .with_note(
            "scripts have no unbounded loops: their worst-case cost is known when they compile",
        )
        .with_help(
            "use `for` over a range or an array: `for i in 0..n { … }`, `for t in [A, B] { … }`",
        )
}

/// `E0106`: `a < b < c`.
pub(crate) fn chained_comparison(first: Span, second: Span) -> Diagnostic {
    Diagnostic::error("E0106", "comparison operators cannot be chained")
        .with_primary(second, "second comparison")
        .with_secondary(first, "first comparison")
        .with_help("split the comparison with `&&`: `a < b && b < c`")
}

/// `E0107`: characters that start no token.
pub(crate) fn invalid_character(at: Span, written: &str) -> Diagnostic {
    let what = if written.chars().count() == 1 {
        "character"
    } else {
        "characters"
    };
    Diagnostic::error("E0107", format!("invalid {what} `{written}`"))
        .with_primary(at, "not part of the language")
}

/// `E0108`: a malformed `hex"…"` literal.
pub(crate) fn invalid_hex_string(at: Span, problem: &str) -> Diagnostic {
    Diagnostic::error("E0108", "invalid hex string")
        .with_primary(at, problem)
        .with_help(
            "write an even number of hex digits, optionally separated by `_`: `hex\"dead_beef\"`",
        )
}

/// `E0110`: an unknown escape in a string.
pub(crate) fn invalid_escape(at: Span, written: &str) -> Diagnostic {
    Diagnostic::error("E0110", format!("invalid escape `{written}` in string"))
        .with_primary(at, "unknown escape")
        .with_help("valid escapes are `\\n`, `\\t`, `\\r`, `\\0`, `\\\\`, `\\\"`, `\\'`, `\\x41` and `\\u{1F600}`")
}

/// `E0111`: a `/*` comment that never ends.
pub(crate) fn unterminated_comment(open: Span, eof: Span) -> Diagnostic {
    Diagnostic::error("E0111", "unterminated block comment")
        .with_primary(open, "this comment is never closed")
        .with_secondary(eof, "the end of input is reached here")
        .with_help("add the closing `*/`")
}

/// `E0112`: the left side of `=`, `+=`, … is not a place.
pub(crate) fn invalid_assign_target(at: Span) -> Diagnostic {
    Diagnostic::error("E0112", "invalid left-hand side of assignment")
        .with_primary(at, "cannot assign to this expression")
        .with_help("assign to a `let mut` variable, a field or an element: `x = …`, `xs[i] = …`")
}

/// `E0113`: a Solidity modifier that an interface function cannot have.
pub(crate) fn unsupported_modifier(at: Span, word: &str) -> Diagnostic {
    Diagnostic::error("E0113", format!("unsupported function modifier `{word}`"))
        .with_primary(at, "not allowed in an interface")
        .with_note("`external` and `public` are accepted and ignored; `view`, `pure` and `payable` set the mutability")
        .with_help(format!("remove `{word}`"))
}

/// `E0101` with a specific message: a `use` path that starts with neither `std` nor a file.
pub(crate) fn bad_use_root(at: Span, root: &str) -> Diagnostic {
    Diagnostic::error("E0101", format!("expected `std` or a file path string, found `{root}`"))
        .with_primary(at, "not a module root")
        .with_help("import from the standard library (`use std::erc20::IERC20`) or a file (`use \"./common.ns\"::{ROUTER}`)")
}

/// `E0101` with a specific message: a tuple index that is not a small integer.
pub(crate) fn bad_tuple_index(at: Span, raw: &str) -> Diagnostic {
    Diagnostic::error("E0101", format!("invalid tuple index `{raw}`"))
        .with_primary(at, "expected a field name or a tuple position like `0`")
}

/// `E0117`: delimiters nested deeper than the parser goes.
pub(crate) fn nesting_too_deep(at: Span, max: usize) -> Diagnostic {
    Diagnostic::error("E0117", format!("more than {max} brackets are open at once"))
        .with_primary(at, format!("this one is nested {} deep", max + 1))
        .with_note("the file is not parsed further: no real script nests this deep (the checker allows 64 levels)")
        .with_help("split the expression or block: bind inner parts with `let` first")
}
