//! Operator precedence and associativity follow the settled rules of the language.

use nest_syntax::ast::{ItemKind, StmtKind};

/// The S-expression of a one-expression script.
fn sexpr(src: &str) -> String {
    let tree = crate::common::parse_clean("expr.ns", src);
    assert_eq!(tree.items.len(), 1, "{src}: expected one statement");
    match &tree.items[0].kind {
        ItemKind::Stmt(stmt) => match &stmt.kind {
            StmtKind::Expr(e) => nest_syntax::sexpr::expr(e),
            other => panic!("{src}: not an expression statement: {other:?}"),
        },
        other => panic!("{src}: not a statement: {other:?}"),
    }
}

#[test]
fn binary_levels_tightest_first() {
    let cases = [
        ("a + b * c", "(+ a (* b c))"),
        ("a * b + c", "(+ (* a b) c)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b % c", "(% (/ a b) c)"),
        ("a << b + c", "(<< a (+ b c))"),
        ("a & b << c", "(& a (<< b c))"),
        ("a ^ b & c", "(^ a (& b c))"),
        ("a | b ^ c", "(| a (^ b c))"),
        ("a == b | c", "(== a (| b c))"),
        ("a && b == c", "(&& a (== b c))"),
        ("a || b && c", "(|| a (&& b c))"),
        ("a || b || c", "(|| (|| a b) c)"),
        ("a < b && c >= d", "(&& (< a b) (>= c d))"),
    ];
    for (src, want) in cases {
        assert_eq!(sexpr(src), want, "{src}");
    }
}

#[test]
fn power_is_right_associative_and_binds_tighter_than_product() {
    assert_eq!(sexpr("a ** b ** c"), "(** a (** b c))");
    assert_eq!(sexpr("a * b ** c"), "(* a (** b c))");
    assert_eq!(sexpr("a ** b * c"), "(* (** a b) c)");
}

#[test]
fn unary_and_cast_bind_tighter_than_power() {
    assert_eq!(sexpr("-a ** b"), "(** (- a) b)");
    assert_eq!(sexpr("a ** -b"), "(** a (- b))");
    assert_eq!(sexpr("-a as int256"), "(as (- a) int256)");
    assert_eq!(sexpr("a as uint8 ** b"), "(** (as a uint8) b)");
    assert_eq!(sexpr("!~-a"), "(! (~ (- a)))");
    assert_eq!(sexpr("x as uint256 as WETH"), "(as (as x uint256) WETH)");
}

#[test]
fn postfix_binds_tightest() {
    assert_eq!(
        sexpr("-a.b(c)[0].1"),
        "(- (. (index (call (. a b) c) 0) 1))"
    );
    assert_eq!(sexpr("t.0.1"), "(. (. t 0) 1)");
    assert_eq!(
        sexpr("C.f{value: 1 ether}(x)"),
        "(call (. C f) {value (1 ether)} x)"
    );
    assert_eq!(
        sexpr("r.amounts[1] as WETH"),
        "(as (index (. r amounts) 1) WETH)"
    );
    assert_eq!(sexpr("c.token()"), "(call (. c token))");
}

#[test]
fn parentheses_group_and_tuples() {
    assert_eq!(sexpr("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(sexpr("(a, b)"), "(tuple a b)");
    assert_eq!(sexpr("(a,)"), "(tuple a)");
    assert_eq!(sexpr("()"), "(tuple )");
    assert_eq!(sexpr("f((a))"), "(call f a)");
}

#[test]
fn numbers_keep_their_spelling_minus_underscores() {
    assert_eq!(
        sexpr("f(1_000, 0.25, 1_000.5, 0xff, 0xAbC_d)"),
        "(call f 1000 0.25 1000.5 0xff 0xAbCd)"
    );
    assert_eq!(
        sexpr("f(1_000 USDC, 1 ether, 10 gwei)"),
        "(call f (1000 USDC) (1 ether) (10 gwei))"
    );
    let address = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
    assert_eq!(
        sexpr(&format!("f({address})")),
        format!("(call f {address})")
    );
}

#[test]
fn keywords_match_whole_words_only() {
    assert_eq!(
        sexpr("with_fee(letter, format, self_, iffy, returns)"),
        "(call with_fee letter format self_ iffy returns)"
    );
}

#[test]
fn literals() {
    assert_eq!(
        sexpr(r#"f("a\"b\n", hex"dead_BEEF", true, false, self)"#),
        r#"(call f "a\"b\n" hex"deadbeef" true false self)"#
    );
    assert_eq!(sexpr("f([a, b], [])"), "(call f [a b] [])");
    assert_eq!(
        sexpr("block.timestamp + 600"),
        "(+ (. block timestamp) 600)"
    );
}
