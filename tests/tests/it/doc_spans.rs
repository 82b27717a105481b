//! The docs never suggest code that does not compile. `book.rs` compiles the book's
//! fenced blocks; this compiles the rest of what a reader may paste:
//!
//! - every inline code span of the standard library's doc comments (`///`, `//!`) and
//!   of the book's pages that is meant as Nest code, and every fenced ```ns block of a
//!   stdlib doc comment;
//! - and it checks that `reference/items.md` lists the stdlib modules as they are.
//!
//! A span is meant as Nest code when it parses as Nest on its own, does more than name
//! one thing (a call, a field, an operator, a cast, an amount, a statement or an
//! item), and every name in it is one a script can use: a stdlib item, a builtin, a
//! type or `self`. Spans that name a function's parameters (`approve(spender, 0)`, a
//! signature in words), hold a placeholder (`deposit{value: …}()`) or are Solidity
//! are fragments by these rules; a span that passes them and still is not meant to
//! compile is listed in [`FRAGMENTS`] with the reason.
//!
//! A span is compiled as a script of its own, after `use` lines for the stdlib names
//! it uses (from `std::ethereum` for a name every chain defines). Warnings are fine
//! (a span is often a value not used); errors are not.

use nest_diagnostics::FileId;
use nest_driver::{compile, CompileRequest};
use nest_syntax::ast::{self, ExprKind, ItemKind, StmtKind};
use nest_tests::{root, RepoResolver};
use std::collections::BTreeSet;

/// Spans that read as Nest code by the rules above but are not meant to compile,
/// each with the reason.
const FRAGMENTS: &[(&str, &str)] = &[
    (
        "param a: USDC",
        "items.md shows the amount type in a declaration; the parameter's value is given with --param",
    ),
    (
        "self.view()",
        "diagnostics.md's form of a `#[units]` value (a view of the called contract), not a script's expression",
    ),
    (
        "0.0000001 USDC",
        "types.md's example of an error: the sentence says it is E0309",
    ),
];

/// Builtin functions a span may call without an import (named without a call, as in
/// `revert.note` or `abi.encode`, they are words of a sentence).
const BUILTINS: &[&str] = &[
    "balance",
    "eth_balance",
    "at_par",
    "fixed",
    "min",
    "max",
    "address",
    "keccak256",
    "require",
    "revert",
    "approve",
];

/// One code span and where it was found.
#[derive(Debug)]
struct Span {
    at: String,
    text: String,
}

/// The inline code spans of one line of Markdown (`` `a` `` and ``` ``a `b` c`` ```).
fn inline_spans(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'`' {
            i += 1;
            continue;
        }
        let ticks = b[i..].iter().take_while(|c| **c == b'`').count();
        let fence = "`".repeat(ticks);
        let start = i + ticks;
        match line[start..].find(&fence) {
            Some(len) => {
                out.push(line[start..start + len].trim().to_string());
                i = start + len + ticks;
            }
            None => break,
        }
    }
    out
}

/// The stdlib modules: `(name, text)`.
fn stdlib() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = nest_tests::files("stdlib/std", "ns")
        .into_iter()
        .map(|f| {
            let name = f
                .rsplit('/')
                .next()
                .unwrap_or(&f)
                .trim_end_matches(".ns")
                .to_string();
            let text = std::fs::read_to_string(root().join(&f)).expect("stdlib file");
            (name, text)
        })
        .collect();
    out.sort();
    out
}

/// The module a stdlib name is imported from: mainnet for a chain's name, else the
/// module that declares it.
fn module_of(name: &str, stdlib: &[(String, String)]) -> Option<String> {
    let declares = |text: &str| {
        text.lines().any(|l| {
            let l = l.trim_start();
            ["token ", "const ", "interface "].iter().any(|kw| {
                l.strip_prefix(kw).is_some_and(|r| {
                    r.split(|c: char| !c.is_alphanumeric() && c != '_').next() == Some(name)
                })
            })
        })
    };
    let mut found = stdlib.iter().filter(|(_, t)| declares(t)).map(|(m, _)| m);
    let all: Vec<&String> = found.by_ref().collect();
    all.iter()
        .find(|m| m.as_str() == "ethereum")
        .or(all.first())
        .map(|m| m.to_string())
}

fn is_type_name(n: &str) -> bool {
    let bits = |s: &str| {
        s.parse::<u16>()
            .is_ok_and(|b| b % 8 == 0 && (8..=256).contains(&b))
    };
    matches!(n, "uint" | "int" | "address" | "bool" | "bytes" | "string")
        || n.strip_prefix("uint").is_some_and(bits)
        || n.strip_prefix("int").is_some_and(bits)
        || n.strip_prefix("bytes")
            .is_some_and(|s| s.parse::<u8>().is_ok_and(|b| (1..=32).contains(&b)))
}

/// The names a parsed span uses (expression names, units, type names), and whether it
/// is more than one name or one literal.
#[derive(Default)]
struct Uses {
    names: BTreeSet<String>,
    locals: BTreeSet<String>,
    code: bool,
    /// It names something rather than computing: `IERC4626.deposit` (a function of an
    /// interface), or refers to a file the reader has (`abi("pool.json")`,
    /// `use "./common.ns"`).
    describes: bool,
    /// The stdlib's interface names.
    interfaces: BTreeSet<String>,
    /// Names written where a type goes.
    types: BTreeSet<String>,
}

impl Uses {
    fn ty(&mut self, t: &ast::TypeExpr) {
        match &t.kind {
            ast::TypeExprKind::Named(n) => {
                self.names.insert(n.name.clone());
                self.types.insert(n.name.clone());
            }
            ast::TypeExprKind::Array { elem, .. } => self.ty(elem),
            ast::TypeExprKind::Tuple(ps) => ps.iter().for_each(|p| self.ty(&p.ty)),
            ast::TypeExprKind::Error => {}
        }
    }

    fn expr(&mut self, e: &ast::Expr) {
        match &e.kind {
            ExprKind::Number { unit, .. } => {
                if let Some(u) = unit {
                    self.code = true;
                    if !matches!(u.name.as_str(), "ether" | "gwei" | "wei") {
                        self.names.insert(u.name.clone());
                    }
                }
            }
            ExprKind::Ident(i) => {
                self.names.insert(i.name.clone());
            }
            ExprKind::Bool(_) | ExprKind::Str(_) | ExprKind::HexStr(_) | ExprKind::SelfVault => {}
            ExprKind::Array(xs) | ExprKind::Tuple(xs) => {
                self.code = true;
                xs.iter().for_each(|x| self.expr(x));
            }
            ExprKind::Unary { expr, .. } => {
                self.code = true;
                self.expr(expr);
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.code = true;
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Cast { expr, ty } => {
                self.code = true;
                self.expr(expr);
                self.ty(ty);
            }
            ExprKind::Call {
                callee,
                options,
                args,
            } => {
                self.code = true;
                match &callee.kind {
                    ExprKind::Ident(f) if BUILTINS.contains(&f.name.as_str()) => {}
                    ExprKind::Ident(f) if f.name == "abi" => self.describes = true,
                    _ => self.expr(callee),
                }
                options.iter().for_each(|(_, v)| self.expr(v));
                args.iter().for_each(|a| self.expr(a));
            }
            ExprKind::Field { base, field } => {
                self.code = true;
                match &base.kind {
                    // `uint256.max`: a type's limit.
                    ExprKind::Ident(t)
                        if is_type_name(&t.name)
                            && matches!(field.name.as_str(), "max" | "min") => {}
                    // `IERC4626.deposit`: how prose names a function.
                    ExprKind::Ident(i) if self.interfaces.contains(&i.name) => {
                        self.describes = true
                    }
                    _ => self.expr(base),
                }
            }
            ExprKind::TupleField { base, .. } => {
                self.code = true;
                self.expr(base);
            }
            ExprKind::Index { base, index } => {
                self.code = true;
                self.expr(base);
                self.expr(index);
            }
            ExprKind::Error => {}
        }
    }

    fn stmt(&mut self, s: &ast::Stmt) {
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Let {
                name, ty, value, ..
            } => {
                self.code = true;
                if let Some(t) = ty {
                    self.ty(t);
                }
                self.expr(value);
                self.locals.insert(name.name.clone());
            }
            StmtKind::Return(vs) => {
                self.code = true;
                vs.iter().for_each(|v| self.expr(v));
            }
            // Assignments, branches, loops and `with` blocks in a span are pieces of
            // a larger script: their names are its variables.
            _ => {
                self.code = true;
                self.names.insert(String::from("<statement>"));
            }
        }
    }
}

/// The script that compiles a span, or `None` when the span is not meant as Nest code.
fn as_script(text: &str, stdlib: &[(String, String)]) -> Option<String> {
    if text.is_empty() || text.contains('\n') {
        return None;
    }
    let (file, diags) = nest_syntax::parse(FileId(0), text);
    if !diags.is_empty() || file.items.is_empty() {
        return None;
    }
    let mut uses = Uses {
        interfaces: stdlib
            .iter()
            .flat_map(|(_, t)| t.lines())
            .filter_map(|l| l.trim_start().strip_prefix("interface "))
            .filter_map(|r| r.split(|c: char| !c.is_alphanumeric() && c != '_').next())
            .map(str::to_string)
            .collect(),
        ..Uses::default()
    };
    for item in &file.items {
        uses.code = true;
        match &item.kind {
            ItemKind::Stmt(s) => uses.stmt(s),
            ItemKind::Use(u) => {
                if matches!(u.module, ast::ModulePath::File(_)) {
                    uses.describes = true;
                }
            }
            ItemKind::Interface(i) => {
                if matches!(i.body, ast::InterfaceBody::Abi(_)) {
                    uses.describes = true;
                }
            }
            ItemKind::Param(p) => {
                uses.ty(&p.ty);
                if let Some(d) = &p.default {
                    uses.expr(d);
                }
                uses.locals.insert(p.name.name.clone());
            }
            ItemKind::Const(c) => {
                if let Some(t) = &c.ty {
                    uses.ty(t);
                }
                uses.expr(&c.value);
                uses.locals.insert(c.name.name.clone());
            }
            ItemKind::Token(t) => {
                uses.locals.insert(t.name.name.clone());
            }
            ItemKind::Fn(_) => uses.describes = true,
        }
    }
    if let [item] = file.items.as_slice() {
        if let ItemKind::Stmt(ast::Stmt {
            kind: StmtKind::Expr(e),
            ..
        }) = &item.kind
        {
            // One name, one literal: not code.
            let mut one = Uses::default();
            one.expr(e);
            uses.code = one.code;
        }
    }
    // A CLI flag (`--chain`) parses as a negation.
    if !uses.code || uses.describes || text.starts_with('-') {
        return None;
    }
    let mut imports: Vec<(String, String)> = Vec::new();
    for n in &uses.names {
        if uses.locals.contains(n) {
            continue;
        }
        // A type name is only code in a type's place (`x as uint32`, `uint256.max`);
        // `approve(address,uint256)` is a signature.
        if is_type_name(n) {
            if uses.types.contains(n) {
                continue;
            }
            return None;
        }
        // A name a script cannot use on its own: a parameter's name, a function
        // named without its contract. The span describes; it is not code.
        let m = module_of(n, stdlib)?;
        imports.push((m, n.clone()));
    }
    let mut script = String::new();
    // A span that imports its names itself needs no other import.
    if !file
        .items
        .iter()
        .any(|i| matches!(i.kind, ItemKind::Use(_)))
    {
        for (m, n) in &imports {
            script.push_str(&format!("use std::{m}::{{{n}}}\n"));
        }
    }
    script.push_str(text);
    script.push('\n');
    Some(script)
}

/// Every inline span of the stdlib's doc comments and of the book, outside fences;
/// and the ```ns blocks of the stdlib's doc comments, with their info strings.
fn collect() -> (Vec<Span>, Vec<(Span, String)>) {
    let mut spans = Vec::new();
    let mut blocks = Vec::new();
    for (m, text) in stdlib() {
        let mut fence: Option<(Span, String)> = None;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            let Some(doc) = t.strip_prefix("///").or_else(|| t.strip_prefix("//!")) else {
                continue;
            };
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            let at = format!("stdlib/std/{m}.ns:{}", i + 1);
            if let Some((b, info)) = fence.as_mut() {
                if doc.trim_start().starts_with("```") {
                    blocks.push((
                        std::mem::replace(
                            b,
                            Span {
                                at: String::new(),
                                text: String::new(),
                            },
                        ),
                        info.clone(),
                    ));
                    fence = None;
                } else {
                    b.text.push_str(doc);
                    b.text.push('\n');
                }
                continue;
            }
            if let Some(info) = doc.trim_start().strip_prefix("```") {
                let info = info.trim().to_string();
                if info == "ns" || info.starts_with("ns,") {
                    fence = Some((
                        Span {
                            at,
                            text: String::new(),
                        },
                        info,
                    ));
                }
                continue;
            }
            spans.extend(inline_spans(doc).into_iter().map(|text| Span {
                at: at.clone(),
                text,
            }));
        }
    }
    let mut pages = Vec::new();
    md_files(&root().join("book/src"), &mut pages);
    pages.sort();
    for page in pages {
        let md = std::fs::read_to_string(&page).expect("book page");
        let rel = page
            .strip_prefix(root())
            .unwrap_or(&page)
            .to_string_lossy()
            .into_owned();
        let mut in_fence = false;
        for (i, line) in md.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                in_fence = !in_fence;
                continue;
            }
            if in_fence {
                continue;
            }
            spans.extend(inline_spans(line).into_iter().map(|text| Span {
                at: format!("{rel}:{}", i + 1),
                text,
            }));
        }
    }
    (spans, blocks)
}

fn md_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("book/src").flatten() {
        let p = e.path();
        if p.is_dir() {
            md_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
}

fn compiles(name: &str, text: &str) -> Result<(), String> {
    compile(&CompileRequest {
        name,
        text,
        resolver: &RepoResolver,
        params: &[],
    })
    .map(|_| ())
    .map_err(|f| f.to_string())
}

#[test]
fn every_code_span_of_the_docs_compiles() {
    let stdlib = stdlib();
    let (spans, blocks) = collect();
    let mut checked = 0;
    let mut from_stdlib = 0;
    let mut failures = Vec::new();
    let mut fragments_used = BTreeSet::new();
    for s in &spans {
        let Some(script) = as_script(&s.text, &stdlib) else {
            continue;
        };
        if let Some((f, _)) = FRAGMENTS.iter().find(|(f, _)| *f == s.text) {
            fragments_used.insert(*f);
            continue;
        }
        checked += 1;
        from_stdlib += usize::from(s.at.starts_with("stdlib/"));
        if let Err(why) = compiles(&format!("{}.ns", s.at), &script) {
            failures.push(format!("{}: `{}` does not compile:\n{why}", s.at, s.text));
        }
    }
    for (b, info) in &blocks {
        if info.contains("ignore") {
            continue;
        }
        checked += 1;
        let result = compiles(&format!("{}.ns", b.at), &b.text);
        match (result, info.contains("fail(")) {
            (Ok(()), false) | (Err(_), true) => {}
            (Err(why), false) => failures.push(format!("{}: block must compile:\n{why}", b.at)),
            (Ok(()), true) => failures.push(format!("{}: block must fail, but compiled", b.at)),
        }
    }
    assert!(
        checked >= 20,
        "only {checked} code spans were found: is the classification broken?"
    );
    eprintln!(
        "{checked} code spans and blocks compiled, {from_stdlib} of them from stdlib doc comments"
    );
    assert!(
        from_stdlib >= 5,
        "only {from_stdlib} code spans of stdlib doc comments were found"
    );
    for (f, _) in FRAGMENTS {
        assert!(
            fragments_used.contains(f),
            "`{f}` is listed as a fragment but no doc has it any more: remove it"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} code spans of the docs do not compile:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_classification_of_spans() {
    let stdlib = stdlib();
    let code = |t: &str| as_script(t, &stdlib);
    // Code: compiled, with the imports it needs.
    assert_eq!(
        code("USDC.max").as_deref(),
        Some("use std::ethereum::{USDC}\nUSDC.max\n")
    );
    assert_eq!(code("2**256 - 1").as_deref(), Some("2**256 - 1\n"));
    // What `IPool.withdraw`'s doc once said for "all of it" does not compile (E0316);
    // what it says now does.
    assert!(compiles("t.ns", "2**256 - 1\n").is_err_and(|e| e.contains("E0316")));
    assert!(compiles("t.ns", &code("USDC.max").unwrap_or_default()).is_ok());
    assert_eq!(
        code("IERC4626(SDAI).deposit(100 DAI, self)").as_deref(),
        Some("use std::ethereum::{DAI}\nuse std::erc4626::{IERC4626}\nuse std::ethereum::{SDAI}\nIERC4626(SDAI).deposit(100 DAI, self)\n")
    );
    assert!(code("let x = fixed(1.6, 18)").is_some());
    assert!(code("use std::ethereum::{USDC}").is_some());
    // Not code: names, placeholders, parameters, Solidity.
    for t in [
        "amount",
        "USDC",
        "0",
        "approve(spender, 0)",
        "IWETH(WETH).deposit{value: …}()",
        "approve(address to, uint256 tokenId)",
        "path[0]",
        "getPoolDataProvider()",
        "x += 1",
        "",
    ] {
        assert_eq!(code(t), None, "`{t}` is not meant as code");
    }
    assert_eq!(inline_spans("a `b` and ``c `d` e`` f"), ["b", "c `d` e"]);
}

#[test]
fn items_md_lists_the_stdlib_modules_as_they_are() {
    let page =
        std::fs::read_to_string(root().join("book/src/reference/items.md")).expect("items.md");
    let section = page
        .split("## The standard library's modules")
        .nth(1)
        .expect("items.md has a section `The standard library's modules`");
    let section = section.split("\n## ").next().unwrap_or(section);
    let listed: BTreeSet<String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `std::"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    let actual: BTreeSet<String> = stdlib().into_iter().map(|(m, _)| m).collect();
    assert_eq!(
        listed, actual,
        "items.md's list of modules differs from stdlib/std"
    );
    // Each row names what the module declares, as the module declares it.
    for (m, text) in stdlib() {
        let row = section
            .lines()
            .find(|l| l.starts_with(&format!("| `std::{m}`")))
            .expect("a row per module");
        for name in inline_spans(row).iter().skip(1) {
            if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && name.starts_with(|c: char| c.is_ascii_uppercase())
            {
                assert!(
                    module_of(name, &[(m.clone(), text.clone())]).is_some(),
                    "items.md says std::{m} defines `{name}`, but it does not"
                );
            }
        }
    }
}

/// The examples of `nestc explain`: each ```ns block of a code's explanation compiles
/// (```ns,ignore blocks show the error and are skipped; ```ns,fail(CODE) must fail).
#[test]
fn every_example_of_the_code_explanations_compiles() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for info in nest_diagnostics::codes::all() {
        let mut block: Option<(String, String)> = None;
        for line in info.explanation.lines() {
            let t = line.trim_start();
            if let Some((fence, text)) = block.as_mut() {
                if t.starts_with("```") {
                    let (fence, text) = (fence.clone(), text.clone());
                    block = None;
                    if fence.contains("ignore") {
                        continue;
                    }
                    checked += 1;
                    let name = format!("explain {}.ns", info.code);
                    match (compiles(&name, &text), fence.contains("fail(")) {
                        (Ok(()), false) | (Err(_), true) => {}
                        (Err(why), false) => failures.push(format!(
                            "{}: an example does not compile:\n{text}\n{why}",
                            info.code
                        )),
                        (Ok(()), true) => {
                            failures.push(format!("{}: an example must fail:\n{text}", info.code))
                        }
                    }
                } else {
                    text.push_str(line);
                    text.push('\n');
                }
            } else if let Some(fence) = t.strip_prefix("```") {
                let fence = fence.trim();
                if fence == "ns" || fence.starts_with("ns,") {
                    block = Some((fence.to_string(), String::new()));
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} examples found");
    assert!(
        failures.is_empty(),
        "{} of {checked} examples of `nestc explain` are wrong:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
