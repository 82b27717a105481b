//! The fast parser against the chumsky parser at the grammar's corners, and on deep
//! nesting. The same comparison runs on every Nest file of the repository and on its
//! mutants in the end-to-end fuzz test (`tests/tests/fuzz.rs`), which also checks that
//! the fast parser covers every clean file but the nesting-limit cases.

use nest_diagnostics::FileId;

use nest_syntax::fast_path_agrees as compare;

/// Snippets at the grammar's corners: each must give the chumsky tree, and those
/// chumsky accepts cleanly must be covered.
const CORNERS: &[&str] = &[
    "let x = a ** b ** c * d ** -e ** f",
    "let x = -a ** b as uint256 as T[] + c",
    "let x = a + b * c - d / e % f << g >> h & i ^ j | k",
    "let x = a < b && c >= d || !e == f",
    "let x = a < b < c",
    "let x = a == (b < c)",
    "let x = (a)\nlet y = (a,)\nlet z = ()\nlet w = (,)\nlet v = [,]\nlet u = [a, b,]",
    "f(a,)\nf()\nf(,)\nf\n(a)\nx\n[1]\nx[1][2].y.0.z",
    "t.0.1\nt.1.5\nt.99999999999\nt.while.loop.self",
    "c.call{value: 1 ether, gas: 2,}(x)\nif c {value: 1}\nwith g {a: 1}(x) { b }",
    "return\nreturn 1, 2\nreturn\n1\nreturn;\nreturn a,",
    "if a { b } else if c { d } else { e };;\nfor i in 0..n { }\nfor x in xs { x += 1; }",
    "x = 1\nx.y[0] += 2\nf() = 3\n1 = 2\nx -= 1;;;\nx *= 2",
    "let mut x: (uint256 a, address)[3][] = y\nlet x: uint256[N] = z\nlet x: T\n[1] = 2",
    "use std::a::{B, C as D,}\nuse std::a::B as C\nuse std::a\nuse foo::B\nuse \"./x.ns\"::{A}\nuse \"./x.ns\"::A as B\nuse std::a::{}",
    "/// doc\n#[a(b = 1, c)] #[d]\nfn f(a: T, b: U,) -> (T, U) { /// inner\n return a, b }",
    "interface I { /// d\n #[grants(revoke = approve(s, 0))] function f(uint256[] calldata a, address) external view returns (uint256 memory r); error E(uint256 a); }",
    "interface I { function f() nonsense; }\ninterface J { #[a] error E(); }\ninterface K = abi(\"k.json\");",
    "token T = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48, decimals 6\nconst C: uint256 = 1\nparam p: T = 1 T\nparam q: uint256",
    "//! inner\n//! doc\nlet x = 1 //! late\n",
    "while x { }\nlet x = loop",
    "let x = a\n- b\nlet y = c\nas uint8",
    "let x = hex\"deadbeef\"\nlet y = \"s\\n\" let z = true",
    "/// dangling doc",
    "#[a]",
    "{ }",
];

#[test]
fn fast_parser_agrees_with_chumsky_at_the_grammars_corners() {
    let mut problems = Vec::new();
    for text in CORNERS {
        let clean = nest_syntax::parse_chumsky(FileId(0), text).1.is_empty();
        match compare(text) {
            Err(why) => problems.push(format!("{text:?}: {why}")),
            Ok(false) if clean => problems.push(format!("{text:?}: clean but not covered")),
            Ok(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The fast parser runs on the caller's stack (only the chumsky parser gets a big
/// one), so the deepest input it takes on must fit a small thread's stack even in
/// a debug build; deeper input goes to chumsky.
#[test]
fn fast_parser_fits_a_small_stack_at_its_nesting_limit() {
    let mut cases = Vec::new();
    for depth in [20, 30, 60, 70, 200] {
        let parens = format!("let x = {}1{}", "(".repeat(depth), ")".repeat(depth));
        let sums = format!("let x = {}1{}", "(1 + ".repeat(depth), ")".repeat(depth));
        let arrays = format!("let x = {}1{}", "[".repeat(depth), "]".repeat(depth));
        let negs = format!("let x = {}1", "-".repeat(depth));
        let powers = format!("let x = 1{}", " ** 2".repeat(depth));
        let calls = format!("let x = {}1{}", "f(".repeat(depth), ")".repeat(depth));
        let ifs = format!("{}x = 1{}", "if c { ".repeat(depth), " }".repeat(depth));
        let elses = format!("if c {{ }}{}", " else if c { }".repeat(depth));
        let types = format!("let x: {}T{} = y", "(".repeat(depth), ")".repeat(depth));
        cases.extend([parens, sums, arrays, negs, powers, calls, ifs, elses, types]);
    }
    let worker = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let mut covered = 0;
            for text in &cases {
                if let Some(tree) = nest_syntax::parse_fast(FileId(0), text) {
                    covered += 1;
                    drop(tree);
                }
            }
            covered
        });
    let covered = worker
        .and_then(|w| w.join().map_err(|_| std::io::Error::other("panicked")))
        .unwrap_or(0);
    assert!(
        covered >= 18,
        "only {covered} nested cases went through the fast parser"
    );
}
