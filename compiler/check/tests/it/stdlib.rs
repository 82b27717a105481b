//! The standard library: every module compiles, every address is written in its EIP-55
//! spelling, names mean the same thing on every chain, every known permission-granting
//! function is annotated, every item is documented, and the book's reference page
//! (`book/src/reference/stdlib.md`) is what the sources say.
//!
//! After changing the stdlib, regenerate the page with
//! `UPDATE_STDLIB_DOCS=1 cargo test -p nest-check --test it stdlib::`.

use std::collections::BTreeMap;

use alloy_primitives::Address;
use nest_check::hir::{Program, RevokeArg};
use nest_check::known_grants::known_grant;
use nest_check::stdlib::MODULES;
use nest_check::{check, CheckInput, CheckOutput, MemoryResolver};
use nest_diagnostics::{render_plain, FileId};
use nest_syntax::ast::{ExprKind, InterfaceBody, Item, ItemKind, SourceFile};

/// The chain address books, in the order the reference page lists them.
const CHAINS: &[&str] = &["ethereum", "arbitrum", "base", "optimism", "polygon"];

/// Names whose kind or decimals differ between chains on purpose, with the reason.
/// None today; e.g. USDC on BNB Chain (18 decimals) would go here.
const DOCUMENTED_DIFFERENCES: &[(&str, &str)] = &[];

/// The reference page, relative to this crate.
const REFERENCE_PAGE: &str = "../../book/src/reference/stdlib.md";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Checks a script that has no imports of its own files.
fn check_script(text: &str) -> CheckOutput {
    let resolver = MemoryResolver::new();
    check(&CheckInput {
        name: "stdlib_test.ns",
        text,
        resolver: &resolver,
        params: &[],
        require_params: false,
        index: true,
    })
}

/// Checks a script and fails the test with the rendered diagnostics if there is any error.
fn check_clean(what: &str, text: &str) -> Program {
    let out = check_script(text);
    let rendered = render_plain(&out.diagnostics, &out.sources);
    match out.program {
        Some(p) if !nest_diagnostics::has_errors(&out.diagnostics) => p,
        _ => panic!("{what} does not compile:\n{text}\n{rendered}"),
    }
}

/// Parses a stdlib module; a syntax error fails the test.
fn parse(path: &str, text: &str) -> SourceFile {
    let (tree, diags) = nest_syntax::parse(FileId(0), text);
    assert!(
        diags.is_empty(),
        "std::{path} has syntax diagnostics: {diags:?}"
    );
    tree
}

/// Every module, parsed.
fn modules() -> Vec<(&'static str, &'static str, SourceFile)> {
    MODULES
        .iter()
        .map(|(path, text)| (*path, *text, parse(path, text)))
        .collect()
}

/// The names a module defines (tokens, interfaces, constants), in source order.
fn defined_names(tree: &SourceFile) -> Vec<String> {
    tree.items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Token(t) => Some(t.name.name.clone()),
            ItemKind::Interface(i) => Some(i.name.name.clone()),
            ItemKind::Const(c) => Some(c.name.name.clone()),
            _ => None,
        })
        .collect()
}

/// `/// text` lines as one paragraph (without the marker and one space after it, if any).
fn doc_text(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The source text of a span.
fn slice(text: &str, span: nest_diagnostics::Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

/// Every `0x` + 40 hex digits in `text` that is not part of a longer hex literal.
fn address_literals(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let starts = bytes[i] == b'0'
            && bytes[i + 1] == b'x'
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let digits = bytes[i + 2..]
            .iter()
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        if digits == 40
            && !bytes
                .get(i + 42)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            found.push(&text[i..i + 42]);
        }
        i += 2 + digits;
    }
    found
}

/// What a chain module's name is: a token with its decimals, or a contract of an interface.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Token { decimals: String },
    Contract { interface: String },
    Other,
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kind::Token { decimals } => write!(f, "token, {decimals} decimals"),
            Kind::Contract { interface } => write!(f, "`{interface}`"),
            Kind::Other => write!(f, "constant"),
        }
    }
}

/// The kind and address literal of a token or constant item.
fn kind_of(item: &Item) -> Option<(String, Kind, String)> {
    let raw = |e: &nest_syntax::ast::Expr| match &e.kind {
        ExprKind::Number { raw, .. } => raw.clone(),
        _ => String::new(),
    };
    match &item.kind {
        ItemKind::Token(t) => Some((
            t.name.name.clone(),
            Kind::Token {
                decimals: raw(&t.decimals),
            },
            raw(&t.address),
        )),
        ItemKind::Const(c) => match &c.value.kind {
            ExprKind::Call { callee, args, .. } => match (&callee.kind, args.as_slice()) {
                (ExprKind::Ident(i), [a]) => Some((
                    c.name.name.clone(),
                    Kind::Contract {
                        interface: i.name.clone(),
                    },
                    raw(a),
                )),
                _ => Some((c.name.name.clone(), Kind::Other, String::new())),
            },
            _ => Some((c.name.name.clone(), Kind::Other, String::new())),
        },
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn the_module_table_lists_every_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stdlib/std");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    e.path()
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    on_disk.sort();
    let mut listed: Vec<String> = MODULES.iter().map(|(p, _)| p.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "stdlib/std/*.ns and `MODULES` in stdlib.rs differ"
    );
}

#[test]
fn every_module_compiles_with_every_name_imported() {
    for (path, _, tree) in modules() {
        let names = defined_names(&tree);
        assert!(!names.is_empty(), "std::{path} defines nothing");
        let script = format!("use std::{path}::{{{}}}\n", names.join(", "));
        check_clean(&format!("a script importing all of std::{path}"), &script);
    }
}

#[test]
fn every_module_can_be_imported_together() {
    let mut script = String::new();
    for (path, _, tree) in modules() {
        let names: Vec<String> = defined_names(&tree)
            .iter()
            .map(|n| format!("{n} as {path}_{n}"))
            .collect();
        script.push_str(&format!("use std::{path}::{{{}}}\n", names.join(", ")));
    }
    check_clean("a script importing every module", &script);
}

#[test]
fn representative_calls_type_check() {
    let script = r#"
use std::weth::IWETH
use std::lido::{IStETH, IWstETH}
use std::erc4626::IERC4626
use std::erc721::IERC721
use std::aave_v3::IVariableDebtToken
use std::ethereum::{USDC, DAI, WETH, STETH, WSTETH, SDAI, AAVE_V3_POOL, AAVE_V3_DATA_PROVIDER,
    UNISWAP_V2_ROUTER, UNISWAP_V3_ROUTER, UNISWAP_V3_QUOTER, PERMIT2, CURVE_3POOL,
    COMPOUND_V3_USDC, MORPHO_BLUE}

const FRIEND = 0x000000000000000000000000000000000000dEaD

IWETH(WETH).deposit{value: 1 ether}()
IStETH(STETH).submit{value: 1 ether}(FRIEND)
approve(USDC, UNISWAP_V3_ROUTER, 100 USDC)
let out = UNISWAP_V3_ROUTER.exactInputSingle((USDC, WETH, 500, self, 100 USDC, 0, 0))
let q = UNISWAP_V3_QUOTER.quoteExactInputSingle((USDC, WETH, 100 USDC, 500, 0))
UNISWAP_V2_ROUTER.addLiquidity(USDC, WETH, 1 USDC, 1 WETH, 0, 0, self, block.timestamp)
AAVE_V3_POOL.supply(USDC, 10 USDC, self, 0)
let hf = AAVE_V3_POOL.getUserAccountData(self).healthFactor
let debt = AAVE_V3_DATA_PROVIDER.getReserveTokensAddresses(USDC).variableDebtTokenAddress
IVariableDebtToken(debt).approveDelegation(FRIEND, 5)
MORPHO_BLUE.supplyCollateral((USDC, WETH, FRIEND, FRIEND, 860000000000000000), 5 WETH, self, hex"")
MORPHO_BLUE.setAuthorization(FRIEND, true)
COMPOUND_V3_USDC.allow(FRIEND, true)
COMPOUND_V3_USDC.supply(USDC, 10 USDC)
PERMIT2.approve(USDC, FRIEND, 5 USDC, 0)
CURVE_3POOL.exchange(1, 0, 10, 0)
CURVE_3POOL.add_liquidity([1, 2, 3], 0)
IERC4626(SDAI).deposit(1 DAI, self)
IERC721(FRIEND).setApprovalForAll(FRIEND, true)
let w = IWstETH(WSTETH).getWstETHByStETH(1 STETH)
require(hf > 0 && w > 0 && q.amountOut > 0 && balance(DAI) >= 0 DAI, "sanity")
return out
"#;
    check_clean("representative calls", script);
}

#[test]
fn every_address_literal_is_in_its_eip55_spelling() {
    let mut count = 0;
    for (path, text, _) in modules() {
        for lit in address_literals(text) {
            count += 1;
            let parsed: Address = lit
                .parse()
                .unwrap_or_else(|e| panic!("std::{path}: `{lit}` is not an address: {e}"));
            let spelled = parsed.to_checksum(None);
            assert_eq!(
                lit, spelled,
                "std::{path}: `{lit}` is not checksummed (EIP-55 spelling: `{spelled}`)"
            );
            let letters = lit[2..].chars().filter(|c| c.is_ascii_alphabetic()).count();
            let lower = lit[2..].chars().filter(|c| c.is_ascii_lowercase()).count();
            assert!(
                letters == 0 || (lower != 0 && lower != letters),
                "std::{path}: `{lit}` is not mixed-case"
            );
        }
    }
    assert!(
        count >= 80,
        "expected the address books' addresses, found {count}"
    );
}

#[test]
fn a_name_means_the_same_thing_on_every_chain() {
    let mut seen: BTreeMap<String, Vec<(&str, Kind)>> = BTreeMap::new();
    for (path, _, tree) in modules().into_iter().filter(|(p, _, _)| CHAINS.contains(p)) {
        for item in &tree.items {
            if let Some((name, kind, _)) = kind_of(item) {
                assert_ne!(
                    kind,
                    Kind::Other,
                    "std::{path}::{name} is neither a token nor a contract instance"
                );
                seen.entry(name).or_default().push((path, kind));
            }
        }
    }
    for (name, defs) in &seen {
        if DOCUMENTED_DIFFERENCES.iter().any(|(n, _)| n == name) {
            continue;
        }
        let (first_chain, first) = &defs[0];
        for (chain, kind) in &defs[1..] {
            assert_eq!(
                kind, first,
                "`{name}` is {first} in std::{first_chain} but {kind} in std::{chain}"
            );
        }
    }
    // Spot checks that the comparison sees what it should.
    assert_eq!(seen["USDC"].len(), CHAINS.len());
    assert_eq!(
        seen["USDC"][0].1,
        Kind::Token {
            decimals: "6".into()
        }
    );
    assert_eq!(
        seen["AAVE_V3_POOL"][0].1,
        Kind::Contract {
            interface: "IPool".into()
        }
    );
}

#[test]
fn known_permission_grants_are_annotated_wherever_they_appear() {
    let mut annotated = Vec::new();
    for (path, _, tree) in modules() {
        let interfaces: Vec<String> = tree
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ItemKind::Interface(x) => Some(x.name.name.clone()),
                _ => None,
            })
            .collect();
        if interfaces.is_empty() {
            continue;
        }
        let program = check_clean(
            &format!("std::{path}"),
            &format!("use std::{path}::{{{}}}\n", interfaces.join(", ")),
        );
        for iface in program
            .interfaces
            .iter()
            .filter(|i| interfaces.contains(&i.name))
        {
            for f in iface.functions.iter() {
                if let Some(g) = known_grant(f.selector) {
                    assert!(
                        f.grant.is_some(),
                        "{}.{} grants {} but has no `#[grants]`",
                        iface.name,
                        f.signature,
                        g.family().what
                    );
                }
                assert!(
                    f.is_classified(),
                    "{}.{} is unclassified: annotate it (or its interface) `#[grants(none)]`, or `#[grants(revoke = …)]`",
                    iface.name,
                    f.signature
                );
                if let Some(g) = &f.grant {
                    let revoke = &iface.functions[g.revoke_fn];
                    let args: Vec<String> = g
                        .revoke_args
                        .iter()
                        .map(|a| match a {
                            RevokeArg::Param(i) => f.input_names[*i].clone(),
                            RevokeArg::Const(v) => v.to_string(),
                        })
                        .collect();
                    annotated.push(format!(
                        "{}.{} -> {}({})",
                        iface.name,
                        f.name,
                        revoke.name,
                        args.join(", ")
                    ));
                }
            }
        }
    }
    annotated.sort();
    let expected = [
        "IComet.allow -> allow(manager, 0)",
        "IERC1155.setApprovalForAll -> setApprovalForAll(operator, 0)",
        "IERC20.approve -> approve(spender, 0)",
        "IERC20.increaseAllowance -> approve(spender, 0)",
        "IERC4626.approve -> approve(spender, 0)",
        "IERC721.setApprovalForAll -> setApprovalForAll(operator, 0)",
        "IMorpho.setAuthorization -> setAuthorization(authorized, 0)",
        "IPermit2.approve -> approve(tokenAddress, spender, 0, 0)",
        "IStETH.approve -> approve(_spender, 0)",
        "IStETH.increaseAllowance -> approve(_spender, 0)",
        "IVariableDebtToken.approveDelegation -> approveDelegation(delegatee, 0)",
        "IWETH.approve -> approve(spender, 0)",
        "IWstETH.approve -> approve(spender, 0)",
        "IWstETH.increaseAllowance -> approve(spender, 0)",
    ];
    assert_eq!(annotated, expected);
}

#[test]
fn every_module_and_item_is_documented() {
    for (path, _, tree) in modules() {
        assert!(!tree.docs.is_empty(), "std::{path} has no `//!` module doc");
        for item in &tree.items {
            let name = match &item.kind {
                ItemKind::Token(t) => &t.name.name,
                ItemKind::Const(c) => &c.name.name,
                ItemKind::Interface(i) => &i.name.name,
                ItemKind::Use(_) => continue,
                other => panic!("std::{path}: a stdlib module holds only `use`, tokens, interfaces and constants, not {other:?}"),
            };
            assert!(
                !item.docs.is_empty(),
                "std::{path}::{name} has no `///` doc comment"
            );
            if let ItemKind::Interface(i) = &item.kind {
                let InterfaceBody::Functions(fs) = &i.body else {
                    panic!("std::{path}::{name} must list its functions")
                };
                for f in fs {
                    assert!(
                        !f.docs.is_empty(),
                        "std::{path}::{name}.{} has no `///` doc comment",
                        f.name.name
                    );
                }
                for e in &i.errors {
                    assert!(
                        !e.docs.is_empty(),
                        "std::{path}::{name} error {} has no `///` doc comment",
                        e.name.name
                    );
                }
            }
        }
    }
}

#[test]
fn the_reference_page_is_generated_from_the_sources() {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(REFERENCE_PAGE);
    let wanted = reference_page();
    if std::env::var_os("UPDATE_STDLIB_DOCS").is_some() {
        std::fs::write(&page, &wanted)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", page.display()));
        return;
    }
    let found = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(
        found == wanted,
        "{} is out of date: run `UPDATE_STDLIB_DOCS=1 cargo test -p nest-check --test it stdlib::`",
        page.display()
    );
}

// ---------------------------------------------------------------------------------------
// The reference page
// ---------------------------------------------------------------------------------------

/// The Markdown of `book/src/reference/stdlib.md`: interface modules first, then the
/// chain address books, each with its module doc and its items' docs and signatures.
fn reference_page() -> String {
    let mut md = String::new();
    md.push_str("# The standard library\n\n");
    md.push_str(
        "<!-- Generated from stdlib/std/*.ns by compiler/check/tests/it/stdlib.rs; do not edit.\n     \
         Regenerate with `UPDATE_STDLIB_DOCS=1 cargo test -p nest-check --test it stdlib::`. -->\n\n",
    );
    md.push_str(
        "The standard library is built into the compiler and imported with `use std::…`. \
         Interface modules declare protocols' functions, with `#[grants(revoke = …)]` on every \
         function that grants a permission and `#[grants(none)]` on every interface, whose other \
         functions grant nothing, and `#[units(…)]` on every function with token amounts, saying \
         which token each amount is in (see [Items](items.md#units-bound-across-calls)); \
         chain modules are address books of tokens and \
         contract instances, where a name means the same thing on every chain and is left out \
         where the thing is not deployed.\n\n",
    );
    let all = modules();
    md.push_str("| module | defines |\n|---|---|\n");
    for (path, _, tree) in &all {
        let names: Vec<String> = defined_names(tree)
            .iter()
            .map(|n| format!("`{n}`"))
            .collect();
        let shown = if CHAINS.contains(path) {
            format!("{} names", names.len())
        } else {
            names.join(", ")
        };
        md.push_str(&format!("| [`std::{path}`](#std{path}) | {shown} |\n"));
    }
    md.push('\n');
    for (path, text, tree) in all.iter().filter(|(p, _, _)| !CHAINS.contains(p)) {
        interface_module(&mut md, path, text, tree);
    }
    for (path, _, tree) in all.iter().filter(|(p, _, _)| CHAINS.contains(p)) {
        chain_module(&mut md, path, tree);
    }
    md
}

fn module_heading(md: &mut String, path: &str, tree: &SourceFile) {
    md.push_str(&format!("## `std::{path}`\n\n{}\n\n", doc_text(&tree.docs)));
}

fn interface_module(md: &mut String, path: &str, text: &str, tree: &SourceFile) {
    module_heading(md, path, tree);
    for item in &tree.items {
        let ItemKind::Interface(iface) = &item.kind else {
            continue;
        };
        let InterfaceBody::Functions(fs) = &iface.body else {
            continue;
        };
        md.push_str(&format!(
            "### `{}`\n\n{}\n\n",
            iface.name.name,
            doc_text(&item.docs)
        ));
        md.push_str("```ns,ignore\n");
        for attr in &item.attrs {
            md.push_str(&format!("{}\n", slice(text, attr.span)));
        }
        md.push_str(&format!("interface {} {{\n", iface.name.name));
        for (i, f) in fs.iter().enumerate() {
            if i > 0 {
                md.push('\n');
            }
            for line in doc_text(&f.docs).lines() {
                let sep = if line.is_empty() { "" } else { " " };
                md.push_str(&format!("    ///{sep}{line}\n"));
            }
            for attr in &f.attrs {
                md.push_str(&format!("    {}\n", slice(text, attr.span)));
            }
            md.push_str(&format!("    {}\n", slice(text, f.span)));
        }
        for e in &iface.errors {
            md.push('\n');
            for line in doc_text(&e.docs).lines() {
                let sep = if line.is_empty() { "" } else { " " };
                md.push_str(&format!("    ///{sep}{line}\n"));
            }
            md.push_str(&format!("    {}\n", slice(text, e.span)));
        }
        md.push_str("}\n```\n\n");
    }
}

fn chain_module(md: &mut String, path: &str, tree: &SourceFile) {
    module_heading(md, path, tree);
    md.push_str("| name | what | address | description | source |\n|---|---|---|---|---|\n");
    for item in &tree.items {
        let Some((name, kind, address)) = kind_of(item) else {
            continue;
        };
        let (sources, docs): (Vec<String>, Vec<String>) = item
            .docs
            .iter()
            .cloned()
            .partition(|l| l.trim_start().starts_with(SOURCE_PREFIX));
        let cell = |text: String| text.replace('\n', " ").replace('|', "\\|");
        let mut doc = cell(doc_text(&docs));
        // `#[views(asset = DAI)]`: what `#[units(… = self.asset())]` resolves to.
        for attr in item.attrs.iter().filter(|a| a.name.name == "views") {
            for arg in &attr.args {
                if let (Some(k), ExprKind::Ident(v)) = (&arg.key, &arg.value.kind) {
                    doc.push_str(&format!(" `#[views]`: its `{}()` is `{}`.", k.name, v.name));
                }
            }
        }
        let source = cell(
            sources
                .iter()
                .map(|l| l.trim_start().trim_start_matches(SOURCE_PREFIX).trim())
                .collect::<Vec<_>>()
                .join(" "),
        );
        md.push_str(&format!(
            "| `{name}` | {kind} | `{address}` | {doc} | {source} |\n"
        ));
    }
    md.push('\n');
}

/// How a chain module's doc comment names where an address comes from.
const SOURCE_PREFIX: &str = "Source: ";

#[test]
fn every_address_in_a_chain_module_cites_its_source_and_date() {
    for (path, _, tree) in modules().into_iter().filter(|(p, _, _)| CHAINS.contains(p)) {
        for item in &tree.items {
            let Some((name, kind, _)) = kind_of(item) else {
                continue;
            };
            if kind == Kind::Other {
                continue;
            }
            let sources: Vec<&String> = item
                .docs
                .iter()
                .filter(|l| l.trim_start().starts_with(SOURCE_PREFIX))
                .collect();
            assert!(
                sources.len() == 1,
                "std::{path}::{name} needs exactly one `/// Source: <official address book or deployment file>, checked YYYY-MM-DD.` line, has {}",
                sources.len()
            );
            let line = sources[0].trim_end().trim_end_matches('.');
            let date = line.rsplit("checked ").next().unwrap_or("");
            let well_formed = line.contains(", checked ")
                && date.len() == 10
                && date.char_indices().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            assert!(
                well_formed,
                "std::{path}::{name}: the source line must end with `, checked YYYY-MM-DD.`: {line}"
            );
        }
    }
}

#[test]
fn address_scanner_finds_whole_literals_only() {
    let text = "a 0x000000000000000000000000000000000000dEaD b 0x00 c 0x0000000000000000000000000000000000000000000000000000000000000001";
    assert_eq!(
        address_literals(text),
        vec!["0x000000000000000000000000000000000000dEaD"]
    );
}
