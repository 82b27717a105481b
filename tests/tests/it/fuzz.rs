//! A no-panic property test of the whole front end and back end: thousands of
//! token-level mutants of every script in the repository (examples, standard
//! library modules, UI and codegen cases, book blocks) go through
//! `nest_driver::check` and `nest_driver::compile`. Each run must not panic, and
//! each failure must carry an error diagnostic with a registered code and a
//! primary span inside its file; rendering the diagnostics must not panic either.
//!
//! The generator is a fixed-seed PRNG, so a failure reproduces. For a longer run:
//! `NEST_FUZZ_CASES=100000 NEST_FUZZ_SEED=7 cargo test -p nest-tests --test it fuzz::
//! --release -- --skip grant_fuzz`.

use nest_diagnostics::{Diagnostic, SourceMap};
use nest_driver::{CompileRequest, MemoryResolver};
use nest_tests::{root, Rng};
use std::panic::{catch_unwind, AssertUnwindSafe, PanicHookInfo};
use std::path::Path;
use std::sync::Arc;

/// The process's panic hook, shared so that it can be called and then put back.
type PanicHook = dyn Fn(&PanicHookInfo<'_>) + Send + Sync + 'static;

/// Codes known to be reported without a primary span (none today: keep the list so a
/// regression names the code it concerns).
const KNOWN_UNLOCATED: &[&str] = &[];

/// Mutants per run unless `NEST_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: usize = 1000;

/// `check` runs on every unmutated file and on one mutant in this many (`compile`
/// checks too, with parameters required, so this only trims the run time).
const CHECK_EVERY: usize = 3;

/// What a token of the mutation lexer is; only the kinds mutations care about.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Space,
    Ident,
    Number,
    Other,
}

#[derive(Clone, Debug)]
struct Token {
    kind: Kind,
    text: String,
}

const TWO_CHAR: &[&str] = &[
    "..", "::", "->", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "**", "<<", ">>", "#[",
];

/// Splits text into tokens that join back into it exactly. Deliberately simpler
/// than the compiler's lexer: comments count as space, strings as one token.
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let kind = if c.is_whitespace() {
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            Kind::Space
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            Kind::Space
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' && chars[i] != '\n' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            Kind::Other
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            Kind::Ident
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '_'
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())))
            {
                i += 1;
            }
            Kind::Number
        } else {
            let pair: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            i += if TWO_CHAR.contains(&pair.as_str()) {
                2
            } else {
                1
            };
            Kind::Other
        };
        out.push(Token {
            kind,
            text: chars[start..i].iter().collect(),
        });
    }
    out
}

/// Numbers that stress literal handling: limits of 256 bits, odd spellings.
const ODD_NUMBERS: &[&str] = &[
    "0",
    "00",
    "007",
    "1_",
    "1__0",
    "0x",
    "0xg",
    "0x0",
    "0.",
    "1.5e18",
    "0.0000000000000000000000000000000000000000000000000000000000000000000000000000001",
    "255",
    "256",
    "65535",
    "1024",
    "1025",
    "4294967296",
    "340282366920938463463374607431768211456",
    "115792089237316195423570985008687907853269984665640564039457584007913129639935",
    "115792089237316195423570985008687907853269984665640564039457584007913129639936",
    "999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
    "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "0x000000000000000000000000000000000000dEaD",
    "0x000000000000000000000000000000000000DEAD",
    "0xA0B86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
    "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb4",
];

/// Tokens worth inserting anywhere: keywords, delimiters, operators, odd characters.
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
    "/",
    "%",
    "**",
    "!",
    "~",
    "&&",
    "||",
    "<<",
    ">>",
    "->",
    "#[",
    "@",
    "$",
    "?",
    "é",
    "\"",
    "'",
    "/*",
    "*/",
    "\\",
    "\n",
    "let",
    "mut",
    "const",
    "param",
    "token",
    "interface",
    "function",
    "fn",
    "use",
    "std",
    "return",
    "revert",
    "require",
    "approve",
    "with",
    "for",
    "in",
    "if",
    "else",
    "while",
    "loop",
    "as",
    "self",
    "block",
    "chain",
    "true",
    "false",
    "ether",
    "gwei",
    "wei",
    "decimals",
    "payable",
    "view",
    "returns",
    "hex\"ab\"",
    "\"text\"",
    "uint8",
    "uint256",
    "int256",
    "address",
    "bool",
    "bytes",
    "string",
    "bytes32",
];

/// The files mutants are made from, with their root-relative names.
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let add_dir = |dir: &str, out: &mut Vec<(String, String)>| {
        let mut stack = vec![root().join(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for p in entries.flatten().map(|e| e.path()) {
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "ns") {
                    out.push((
                        relative(&p),
                        std::fs::read_to_string(&p).unwrap_or_default(),
                    ));
                } else if p.extension().is_some_and(|x| x == "md") {
                    let md = std::fs::read_to_string(&p).unwrap_or_default();
                    for (i, block) in ns_blocks(&md).into_iter().enumerate() {
                        out.push((format!("{}#{i}.ns", relative(&p)), block));
                    }
                }
            }
        }
    };
    for dir in [
        "examples",
        "stdlib",
        "tests/ui",
        "tests/codegen",
        "book/src",
    ] {
        add_dir(dir, &mut out);
    }
    out.retain(|(name, _)| !name.contains("/pending/"));
    out.sort();
    out
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The ```ns blocks of a Markdown file (including `ignore` and `fail` ones).
fn ns_blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in md.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut current, fence) {
            (Some(text), Some(_)) => {
                out.push(std::mem::take(text));
                current = None;
            }
            (Some(text), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, Some(info)) if info.trim() == "ns" || info.trim().starts_with("ns,") => {
                current = Some(String::new())
            }
            (None, _) => {}
        }
    }
    out
}

/// One mutation of a token list.
fn mutate(tokens: &mut Vec<Token>, rng: &mut Rng, idents: &[String], all: &[Token]) {
    let solid: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].kind != Kind::Space)
        .collect();
    if solid.is_empty() {
        tokens.push(Token {
            kind: Kind::Other,
            text: rng.pick(INSERTS).to_string(),
        });
        return;
    }
    let at = *rng.pick(&solid);
    match rng.index(9) {
        0 => drop(tokens.remove(at)),
        1 => {
            let copy = tokens[at].clone();
            tokens.insert(at, copy);
        }
        2 => {
            let other = *rng.pick(&solid);
            tokens.swap(at, other);
        }
        3 | 4 => {
            let targets: Vec<usize> = solid
                .iter()
                .copied()
                .filter(|&i| tokens[i].kind == Kind::Ident)
                .collect();
            if let Some(&i) = targets.get(rng.index(targets.len().max(1))) {
                tokens[i].text = rng.pick(idents).clone();
            }
        }
        5 => {
            let targets: Vec<usize> = solid
                .iter()
                .copied()
                .filter(|&i| tokens[i].kind == Kind::Number)
                .collect();
            let i = targets
                .get(rng.index(targets.len().max(1)))
                .copied()
                .unwrap_or(at);
            tokens[i] = Token {
                kind: Kind::Number,
                text: rng.pick(ODD_NUMBERS).to_string(),
            };
        }
        6 => tokens.truncate(at + rng.index(2)),
        7 => tokens.insert(
            at,
            Token {
                kind: Kind::Other,
                text: format!(" {} ", rng.pick(INSERTS)),
            },
        ),
        _ => tokens[at] = rng.pick(all).clone(),
    }
}

/// Why a diagnostic list breaks the contract, if it does.
fn contract_broken(diags: &[Diagnostic], sources: &SourceMap) -> Option<String> {
    for d in diags {
        for l in &d.labels {
            let ok = sources.contains(l.span.file) && {
                let text = &sources.get(l.span.file).text;
                l.span.start <= l.span.end
                    && (l.span.end as usize) <= text.len()
                    && text.is_char_boundary(l.span.start as usize)
                    && text.is_char_boundary(l.span.end as usize)
            };
            if !ok {
                return Some(format!(
                    "{} has a label span {:?} outside its file",
                    d.code, l.span
                ));
            }
        }
        if d.is_error() && nest_diagnostics::codes::lookup(d.code).is_none() {
            return Some(format!("error code `{}` is not registered", d.code));
        }
    }
    let explained =
        |d: &Diagnostic| d.primary_span().is_some() || KNOWN_UNLOCATED.contains(&d.code);
    if !diags.iter().any(|d| d.is_error() && explained(d)) {
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        return Some(format!("no error with a primary span among {codes:?}"));
    }
    None
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic".into())
}

/// Runs one source through `check` (if `with_check`), `compile` and the renderers;
/// the problem, if any.
fn run_one(name: &str, text: &str, resolver: &MemoryResolver, with_check: bool) -> Option<String> {
    let req = CompileRequest {
        name,
        text,
        resolver,
        params: &[],
    };
    let mut check_failed = false;
    if with_check {
        let (sources, diags) = match catch_unwind(AssertUnwindSafe(|| nest_driver::check(&req))) {
            Ok(out) => out,
            Err(p) => return Some(format!("`check` panicked: {}", panic_message(p))),
        };
        check_failed = nest_diagnostics::has_errors(&diags);
        if check_failed {
            if let Some(why) = contract_broken(&diags, &sources) {
                return Some(format!("`check`: {why}"));
            }
        }
    }
    let failed = match catch_unwind(AssertUnwindSafe(|| nest_driver::compile(&req))) {
        Ok(Ok(_)) if check_failed => return Some("`check` failed but `compile` succeeded".into()),
        Ok(Ok(_)) => return None,
        Ok(Err(f)) => f,
        Err(p) => return Some(format!("`compile` panicked: {}", panic_message(p))),
    };
    if let Some(internal) = failed.diagnostics.iter().find(|d| d.code == "E0599") {
        return Some(format!("internal compiler error: {}", internal.message));
    }
    if let Some(why) = contract_broken(&failed.diagnostics, &failed.sources) {
        return Some(format!("`compile`: {why}"));
    }
    let rendered = catch_unwind(AssertUnwindSafe(|| {
        nest_diagnostics::render_plain(&failed.diagnostics, &failed.sources);
        nest_diagnostics::render_json(&failed.diagnostics, &failed.sources);
    }));
    rendered
        .err()
        .map(|p| format!("rendering panicked: {}", panic_message(p)))
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_sources_never_panic_and_always_explain_failure() {
    let files = corpus();
    assert!(
        files.len() > 50,
        "the corpus is too small: {} files",
        files.len()
    );
    let mut resolver = MemoryResolver::new();
    for (name, text) in &files {
        resolver.add(name.clone(), text.clone());
    }
    let tokenized: Vec<Vec<Token>> = files.iter().map(|(_, t)| tokenize(t)).collect();
    for ((_, text), tokens) in files.iter().zip(&tokenized) {
        let joined: String = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(&joined, text, "the mutation lexer must not lose text");
    }
    let all: Vec<Token> = tokenized
        .iter()
        .flatten()
        .filter(|t| t.kind != Kind::Space)
        .cloned()
        .collect();
    let mut idents: Vec<String> = all
        .iter()
        .filter(|t| t.kind == Kind::Ident)
        .map(|t| t.text.clone())
        .collect();
    idents.sort();
    idents.dedup();

    let cases = env_number("NEST_FUZZ_CASES", DEFAULT_CASES as u64) as usize;
    let mut rng = Rng(env_number("NEST_FUZZ_SEED", 0x4E45_5354));
    // The panics `run_one` catches are expected: silence them, on this thread only (the
    // other suites run beside this one in the same test binary, and theirs must print).
    let this_thread = std::thread::current().id();
    let previous: Arc<PanicHook> = Arc::from(std::panic::take_hook());
    let forward = Arc::clone(&previous);
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != this_thread {
            forward(info)
        }
    }));
    let mut problems: Vec<String> = Vec::new();
    // Every file unmutated first (they must hold to the contract too), then mutants.
    for (i, (name, text)) in files.iter().enumerate() {
        if let Some(why) = run_one(name, text, &resolver, true) {
            problems.push(format!("{why}\n  in unmutated `{name}` (file {i})"));
        }
    }
    for n in 0..cases {
        let which = rng.index(files.len());
        let mut tokens = tokenized[which].clone();
        for _ in 0..=rng.index(3) {
            mutate(&mut tokens, &mut rng, &idents, &all);
        }
        let text: String = tokens.iter().map(|t| t.text.as_str()).collect();
        let name = &files[which].0;
        if let Some(why) = run_one(name, &text, &resolver, n % CHECK_EVERY == 0) {
            problems.push(format!("{why}\n  mutant {n} of `{name}`:\n{text}"));
        }
    }
    std::panic::set_hook(Box::new(move |info| previous(info)));
    assert!(
        problems.is_empty(),
        "{} problem(s):\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}
