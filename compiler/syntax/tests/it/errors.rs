//! Rendered syntax diagnostics, one snapshot per code, and recovery that reports
//! every error of a file.

use nest_diagnostics::{render_json, render_plain};

/// Parses `src` and renders its diagnostics without colour.
fn rendered(src: &str) -> String {
    let (_, diags, map) = crate::common::parse_named("bad.ns", src);
    render_plain(&diags, &map)
}

/// The codes reported for `src`, in order.
fn codes(src: &str) -> Vec<&'static str> {
    let (_, diags, _) = crate::common::parse_named("bad.ns", src);
    diags.iter().map(|d| d.code).collect()
}

#[test]
fn e0101_unexpected_token() {
    assert_eq!(codes("let x = 1 2\n"), ["E0101"]);
    insta::assert_snapshot!(rendered("let x = = 2\n"));
}

#[test]
fn e0102_unclosed_delimiter_points_at_the_opening() {
    let src = "fn f() {\n    g(1, 2\n    let y = 3\n";
    // The `let` inside the unclosed call is reported too: it cannot be an argument.
    assert_eq!(codes(src), ["E0102", "E0102", "E0101"]);
    insta::assert_snapshot!(rendered(src));
}

#[test]
fn e0103_unterminated_string() {
    assert_eq!(codes("require(ok, \"slippage)\n"), ["E0103"]);
    insta::assert_snapshot!(rendered("require(ok, \"slippage)\n"));
}

#[test]
fn e0104_invalid_number() {
    assert_eq!(
        codes("let a = 10gwei\nlet b = 1__0\nlet c = 0x\nlet d = 0xfg\nlet e = 1_\n"),
        ["E0104"; 5]
    );
    insta::assert_snapshot!(rendered("let a = 10gwei\n"));
}

#[test]
fn e0105_reserved_keyword() {
    assert_eq!(codes("loop { }\nlet while = 1\n"), ["E0105", "E0105"]);
    insta::assert_snapshot!(rendered("while i < 3 {\n    i += 1\n}\n"));
}

#[test]
fn e0106_chained_comparison() {
    assert_eq!(codes("let ok = a == b == c\n"), ["E0106"]);
    assert!(codes("let ok = (a < b) == c\n").is_empty());
    insta::assert_snapshot!(rendered("require(0 < x < 10, \"range\")\n"));
}

#[test]
fn e0107_invalid_character() {
    assert_eq!(codes("let x = a $ b\n")[0], "E0107");
    insta::assert_snapshot!(rendered("let x = 1 @ 2\n"));
}

#[test]
fn e0108_invalid_hex_string() {
    assert_eq!(codes("let a = hex\"zz\"\n"), ["E0108"]);
    insta::assert_snapshot!(rendered("let b = hex\"abc\"\n"));
}

#[test]
fn e0109_mismatched_delimiter() {
    assert_eq!(codes("let xs = f(1, 2]\n"), ["E0102", "E0109"]);
    assert_eq!(codes("let xs = [f(1, 2]\n"), ["E0109"]);
    insta::assert_snapshot!(rendered("let y = 1)\n"));
}

#[test]
fn e0110_invalid_escape() {
    insta::assert_snapshot!(rendered("revert(\"bad \\q\")\n"));
}

#[test]
fn e0111_unterminated_comment() {
    assert_eq!(codes("/* a /* nested */ comment\nlet x = 1\n"), ["E0111"]);
    insta::assert_snapshot!(rendered("let x = 1\n/* forgot\n"));
}

#[test]
fn e0112_invalid_assignment_target() {
    assert!(codes("xs[0].a = 1\n").is_empty());
    insta::assert_snapshot!(rendered("balance(USDC) = 0\n"));
}

#[test]
fn e0113_unsupported_modifier() {
    insta::assert_snapshot!(rendered(
        "interface I {\n    function f() external virtual;\n}\n"
    ));
}

#[test]
fn recovery_reports_every_error_and_keeps_the_rest() {
    let src = "let a = = 1\nlet b = 2\nfn f() {\n    let c = )\n    let d = 4\n}\nlet e = 1 < 2 < 3\nwhile x {}\nlet g = 7\n";
    let (tree, diags, map) = crate::common::parse_named("many.ns", src);
    let got: Vec<_> = diags.iter().map(|d| d.code).collect();
    assert_eq!(
        got,
        ["E0101", "E0109", "E0106", "E0105"],
        "{}",
        render_plain(&diags, &map)
    );
    let text = nest_syntax::sexpr::to_sexpr(&tree);
    assert!(
        text.contains("(let b 2)") && text.contains("(let d 4)") && text.contains("(let g 7)"),
        "{text}"
    );
}

#[test]
fn json_has_one_based_positions_and_labels() {
    let (_, diags, map) = crate::common::parse_named("bad.ns", "let s = \"abc\n");
    let json = render_json(&diags, &map);
    insta::assert_snapshot!(serde_json::to_string_pretty(&json).unwrap_or_default());
}

#[test]
fn rendering_survives_spans_past_the_end() {
    let mut map = nest_diagnostics::SourceMap::new();
    let file = map.add("short.ns", "é");
    let diag = nest_diagnostics::Diagnostic::error("E0101", "far away")
        .with_primary(nest_diagnostics::Span::new(file, 1, 99), "here")
        .with_secondary(
            nest_diagnostics::Span::new(nest_diagnostics::FileId(7), 0, 1),
            "no such file",
        );
    let text = render_plain(std::slice::from_ref(&diag), &map);
    assert!(text.contains("far away"), "{text}");
    let json = render_json(&[diag], &map);
    assert_eq!(json[0]["line"], 1);
    assert_eq!(json[0]["labels"][1]["file"], serde_json::Value::Null);
}
