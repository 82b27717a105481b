//! The fast parser against the chumsky parser: on every Nest file of the repository
//! and on token-level mutants of them, whenever the fast parser returns a tree it is
//! the chumsky parser's tree, and the chumsky parser reported nothing. The fast
//! parser must also cover every clean example and standard library module, or the
//! compiler gets no faster; the only clean files it may leave to chumsky are the
//! nesting-limit cases (`tests/ui/E0325_deep_*`), deeper than it goes by design.

mod common;

use std::path::{Path, PathBuf};

use common::ns_blocks;
use nest_diagnostics::FileId;

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.ns` file and every ```ns block of a Markdown file under the folders
/// the end-to-end fuzz test draws from, with root-relative names.
fn corpus() -> Vec<(String, String)> {
    let root = root();
    let mut out = Vec::new();
    for dir in [
        "examples",
        "stdlib",
        "tests/ui",
        "tests/codegen",
        "book/src",
    ] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for p in entries.flatten().map(|e| e.path()) {
                let name = p
                    .strip_prefix(&root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "ns") {
                    out.push((name, std::fs::read_to_string(&p).unwrap_or_default()));
                } else if p.extension().is_some_and(|x| x == "md") {
                    let md = std::fs::read_to_string(&p).unwrap_or_default();
                    for (i, block) in ns_blocks(&md).into_iter().enumerate() {
                        out.push((format!("{name}#{i}.ns"), block));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// Why the fast parser disagrees with the chumsky parser on `text`, if it does;
/// and whether it covered the text.
fn compare(text: &str) -> Result<bool, String> {
    let (tree, diags) = nest_syntax::parse_chumsky(FileId(0), text);
    let Some(fast) = nest_syntax::parse_fast(FileId(0), text) else {
        return Ok(false);
    };
    if !diags.is_empty() {
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        return Err(format!(
            "the fast parser accepted text chumsky reports {codes:?} on"
        ));
    }
    if fast != tree {
        return Err(format!(
            "the trees differ:\nfast:    {}\nchumsky: {}",
            nest_syntax::sexpr::to_sexpr(&fast),
            nest_syntax::sexpr::to_sexpr(&tree)
        ));
    }
    // `parse` must answer with the same tree and no diagnostic.
    let (parsed, parsed_diags) = nest_syntax::parse(FileId(0), text);
    if parsed != tree || !parsed_diags.is_empty() {
        return Err("`parse` does not return the fast tree".into());
    }
    Ok(true)
}

#[test]
fn fast_parser_builds_the_chumsky_tree_for_every_file_in_the_repository() {
    let files = corpus();
    assert!(
        files.len() > 100,
        "the corpus is too small: {}",
        files.len()
    );
    let (mut clean, mut covered) = (0, 0);
    let mut problems = Vec::new();
    let mut uncovered = Vec::new();
    for (name, text) in &files {
        let chumsky_clean = nest_syntax::parse_chumsky(FileId(0), text).1.is_empty();
        match compare(text) {
            Err(why) => problems.push(format!("{name}: {why}")),
            Ok(true) => covered += 1,
            // Nesting deeper than the fast parser goes is left to chumsky by design.
            Ok(false) if chumsky_clean && !name.contains("E0325_deep") => {
                uncovered.push(name.clone())
            }
            Ok(false) => {}
        }
        clean += usize::from(chumsky_clean);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    println!(
        "fast parser: {covered} of {clean} clean files ({} files in all)",
        files.len()
    );
    assert!(
        uncovered.is_empty(),
        "clean files the fast parser gives up on:\n{}",
        uncovered.join("\n")
    );
}

/// A SplitMix64 generator: deterministic mutants.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces worth inserting: delimiters, operators, keywords, line breaks, docs.
const INSERTS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    ":",
    ".",
    "..",
    "::",
    "=",
    "==",
    "<",
    ">",
    "+",
    "-",
    "*",
    "**",
    "!",
    "&&",
    "||",
    "->",
    "#[a]",
    "\n",
    "let",
    "mut",
    "as",
    "if",
    "else",
    "for",
    "in",
    "with",
    "return",
    "self",
    "true",
    "x",
    "1",
    "2 ether",
    "\"s\"",
    "/// doc\n",
    ".0",
    ".1.5",
    "while",
    "fn",
    "use",
    "const",
    "param",
    "token",
    "interface",
    "function",
    "error",
    "{a: 1}",
    "uint256",
    "x.y",
    "f(x)",
    "[1]",
];

/// A copy of `text` with a few pieces deleted, duplicated or inserted at word
/// boundaries: mostly broken text, sometimes differently clean text.
fn mutant(text: &str, rng: &mut Rng) -> String {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let boundary = !(c.is_ascii_alphanumeric() || c == '_');
        if boundary && !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
        current.push(c);
        if boundary {
            pieces.push(std::mem::take(&mut current));
        }
    }
    pieces.push(current);
    for _ in 0..=rng.below(3) {
        let at = rng.below(pieces.len());
        match rng.below(4) {
            0 => drop(pieces.remove(at)),
            1 => {
                let copy = pieces[at].clone();
                pieces.insert(at, copy);
            }
            _ => pieces.insert(at, format!(" {} ", INSERTS[rng.below(INSERTS.len())])),
        }
        if pieces.is_empty() {
            pieces.push(String::new());
        }
    }
    pieces.concat()
}

#[test]
fn fast_parser_agrees_with_chumsky_on_mutants() {
    let files = corpus();
    let cases: usize = std::env::var("NEST_FAST_PARSE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut rng = Rng(0x4641_5354);
    let (mut covered, mut problems) = (0, Vec::new());
    for n in 0..cases {
        let (name, text) = &files[rng.below(files.len())];
        let text = mutant(text, &mut rng);
        match compare(&text) {
            Ok(hit) => covered += usize::from(hit),
            Err(why) => problems.push(format!("mutant {n} of {name}: {why}\n{text}")),
        }
    }
    println!("fast parser: {covered} of {cases} mutants parsed by the fast path");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(covered > 0, "no mutant was parsed by the fast path");
}

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
