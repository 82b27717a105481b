//! Layouts where line breaks carry meaning or comments constrain the layout.

fn fmt(text: &str) -> String {
    nest_fmt::format(text).unwrap_or_else(|e| panic!("{e}: {e:?}"))
}

#[test]
fn a_statement_continued_on_the_next_line_is_indented_once_more() {
    let src = "fn f(a: uint256) -> uint256 {\nlet x = a\n+ 1\nreturn x\n}\n";
    assert_eq!(
        fmt(src),
        "fn f(a: uint256) -> uint256 {\n    let x = a\n        + 1\n    return x\n}\n"
    );
}

#[test]
fn a_bracket_starting_a_line_stays_a_new_statement() {
    // `[a, b]` on its own line is a statement, not an index of `x`.
    let src = "let x = 1\n(x, x)\nreturn\n";
    assert_eq!(fmt(src), src);
}

#[test]
fn a_list_with_a_comment_keeps_its_breaks() {
    let src = "let p = [\n  USDC, // first\n      WETH\n]\n";
    assert_eq!(fmt(src), "let p = [\n    USDC, // first\n    WETH\n]\n");
}

#[test]
fn comments_between_else_and_blocks_stay() {
    let src = "if a {\n    x = 1\n} // after then\nelse {\n    // inside\n    x = 2\n}\n";
    assert_eq!(fmt(src), src);
}

#[test]
fn blank_lines_collapse_and_none_open_or_close_a_block() {
    let src = "let a = 1\n\n\n\nif a > 0 {\n\n    a = 2\n\n}\n";
    assert_eq!(fmt(src), "let a = 1\n\nif a > 0 {\n    a = 2\n}\n");
}

#[test]
fn nested_wrapping_breaks_the_inner_list_too() {
    let long = "a_rather_long_argument_name_number";
    let src = format!("f(g({long}_1, {long}_2, {long}_3), {long}_4)\n");
    let out = fmt(&src);
    assert_eq!(
        out,
        format!("f(\n    g(\n        {long}_1,\n        {long}_2,\n        {long}_3\n    ),\n    {long}_4\n)\n")
    );
    assert!(out.lines().all(|l| l.len() <= nest_fmt::MAX_WIDTH));
}

#[test]
fn crlf_and_lone_cr_line_endings_become_lf() {
    for text in [
        "let x = 1\r\nreturn x // done\r\n",
        "let x = 1\rreturn x // done\r",
    ] {
        let out = nest_fmt::format(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        assert_eq!(out, "let x = 1\nreturn x // done\n", "{text:?}");
    }
    // A carriage return inside a string is the string's: the text is not reformatted into
    // something else, but refused (E0114), and the error says what to write instead.
    let inside = "let s = 1\rlet t = \"a\rb\"\rreturn s\r";
    match nest_fmt::format(inside) {
        Err(nest_fmt::FormatError::Syntax(diags)) => {
            assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["E0114"]);
            assert_eq!(diags[0].primary_span().map(|s| s.start), Some(20));
            assert!(
                diags[0]
                    .help
                    .as_deref()
                    .is_some_and(|h| h.contains("`\\r`")),
                "{diags:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_attribute_without_arguments_is_not_wrapped() {
    // Nothing inside `#[…]` can go on a line of its own without reading badly.
    let name = "x".repeat(110);
    let src = format!("interface I {{\n    #[{name}]\n    function f();\n}}\n");
    assert_eq!(fmt(&src), src);
}
