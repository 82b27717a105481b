//! The tree of a script that uses every construct, as a snapshot, and the line rules.

use nest_syntax::sexpr::to_sexpr;

#[test]
fn representative_script() {
    let tree = crate::common::parse_clean(
        "representative.ns",
        include_str!("../fixtures/representative.ns"),
    );
    insta::assert_snapshot!(to_sexpr(&tree));
}

#[test]
fn a_line_break_ends_a_statement() {
    // A `(` or `[` that starts a line begins a new statement; a number's unit must
    // be on its line; `return` takes values from its own line only.
    let tree = crate::common::parse_clean(
        "lines.ns",
        "fn f() {\n    return\n}\nlet a = b\n(c)\nlet d = 5\nUSDC\nlet e = x\n[1][0]\n",
    );
    insta::assert_snapshot!(to_sexpr(&tree), @r"
    (fn f ()
      (return)
    )
    (let a b)
    c
    (let d 5)
    USDC
    (let e x)
    (index [1] 0)
    ");
}

#[test]
fn statements_accept_semicolons_and_multiline_calls() {
    let tree = crate::common::parse_clean(
        "semi.ns",
        "let a = 1; let b = 2;;\nf(a,\n  b,\n);\nif a { b() };\n",
    );
    insta::assert_snapshot!(to_sexpr(&tree), @r"
    (let a 1)
    (let b 2)
    (call f a b)
    (if a
      (call b)
    )
    ");
}

#[test]
fn docs_and_attributes_attach_to_items() {
    let src = "//! inner\n//! second\n/// outer\n#[inline]\nfn f() {}\n";
    let tree = crate::common::parse_clean("docs.ns", src);
    assert_eq!(tree.docs, vec!["inner".to_string(), "second".to_string()]);
    assert_eq!(tree.items[0].docs, vec!["outer".to_string()]);
    assert_eq!(tree.items[0].attrs[0].name.name, "inline");
    // The item's span starts at `fn`, after its docs and attributes.
    assert_eq!(
        tree.items[0].span.start as usize,
        src.find("fn").unwrap_or(0)
    );
    assert_eq!(tree.span.end as usize, src.len());
}

#[test]
fn spans_cover_their_text() {
    let src = "let x = a.b(c) + 1_000 USDC\n";
    let tree = crate::common::parse_clean("spans.ns", src);
    let nest_syntax::ast::ItemKind::Stmt(stmt) = &tree.items[0].kind else {
        panic!("not a statement")
    };
    let nest_syntax::ast::StmtKind::Let { value, name, .. } = &stmt.kind else {
        panic!("not a let")
    };
    assert_eq!(&src[name.span.range()], "x");
    assert_eq!(&src[value.span.range()], "a.b(c) + 1_000 USDC");
}

#[test]
fn a_leading_byte_order_mark_is_skipped() {
    let src = "\u{FEFF}//! Docs.\nlet x = 1\nreturn x\n";
    let tree = crate::common::parse_clean("bom.ns", src);
    let nest_syntax::ast::ItemKind::Stmt(stmt) = &tree.items[0].kind else {
        panic!("not a statement")
    };
    let nest_syntax::ast::StmtKind::Let { value, name, .. } = &stmt.kind else {
        panic!("not a let")
    };
    // Spans stay offsets into the text as given, mark included.
    assert_eq!(&src[name.span.range()], "x");
    assert_eq!(&src[value.span.range()], "1");
    assert_eq!(tree.docs, vec!["Docs.".to_string()]);

    // An error after the mark (the slow parser's path) points at the right text.
    let bad = "\u{FEFF}let = 1\n";
    let (_, diags, _) = crate::common::parse_named("bom_bad.ns", bad);
    let span = diags
        .first()
        .and_then(|d| d.primary_span())
        .unwrap_or_else(|| panic!("no error for {bad:?}"));
    assert_eq!(&bad[span.range()], "=");

    // Only a leading mark is skipped: one elsewhere is an invisible character.
    let (_, diags, _) =
        crate::common::parse_named("bom_inside.ns", "let x = 1\n\u{FEFF}return x\n");
    assert_eq!(
        diags.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["E0116"]
    );
}

#[test]
fn a_lone_carriage_return_is_an_error_and_still_ends_a_line() {
    // Old Mac line endings: tools disagree on them (E0114, once per file); for
    // recovery they end lines, as the SourceMap counts them.
    let (file, diags) = nest_syntax::parse(
        nest_diagnostics::FileId(0),
        "let x = 1\rlet y = x // a comment\rreturn y\r",
    );
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["E0114"]);
    assert_eq!(diags[0].primary_span().map(|s| s.start), Some(9));
    assert!(diags[0]
        .notes
        .iter()
        .any(|n| n.contains("3 such line breaks")));
    assert_eq!(file.items.len(), 3);
}
