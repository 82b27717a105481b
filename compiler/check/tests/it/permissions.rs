//! The permission model's regressions: known grants are matched by selector (a
//! brute-forced name is the grant it collides with), `#[grants]` annotations are
//! checked, `approve` takes tokens only, ERC-721 per-token approvals and calls to the
//! vault itself are refused, every family of the shared table is recognised, and every
//! called function is classified or reported.

use nest_check::hir::Program;
use nest_check::{check, CheckInput, CheckOutput, MemoryResolver};
use nest_diagnostics::{render_plain, Severity};

fn check_text(text: &str, resolver: &MemoryResolver) -> CheckOutput {
    check(&CheckInput {
        name: "main.ns",
        text,
        resolver,
        params: &[],
        require_params: true,
        index: false,
    })
}

/// The codes of the diagnostics, in order.
fn codes(text: &str) -> Vec<&'static str> {
    codes_with(text, &MemoryResolver::new())
}

fn codes_with(text: &str, resolver: &MemoryResolver) -> Vec<&'static str> {
    check_text(text, resolver)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

/// Checks a script that must compile without errors.
fn program(text: &str) -> Program {
    let out = check_text(text, &MemoryResolver::new());
    let rendered = render_plain(&out.diagnostics, &out.sources);
    out.program
        .unwrap_or_else(|| panic!("does not compile:\n{text}\n{rendered}"))
}

fn selector(sig: &str) -> [u8; 4] {
    let h = alloy_primitives::keccak256(sig.as_bytes());
    [h[0], h[1], h[2], h[3]]
}

/// A name such that `x1490487030(address,bool)` has the selector of
/// `increaseAllowance(address,uint256)`, 0x39509351: an ERC-20 allowance grant under
/// a harmless-looking name and parameter list. Found offline by hashing
/// `x<N>(address,bool)` for N from 0 up against every granting selector of
/// `nest_permissions` (a one-off brute-force search, about 1.5 × 10^9 Keccak-256
/// hashes on 2 cores; no collision with `setApprovalForAll` turned up by then).
const COLLIDING: &str = "x1490487030";

#[test]
fn the_colliding_name_really_collides() {
    assert_eq!(
        selector(&format!("{COLLIDING}(address,bool)")),
        [0x39, 0x50, 0x93, 0x51]
    );
    assert_eq!(
        selector("increaseAllowance(address,uint256)"),
        [0x39, 0x50, 0x93, 0x51]
    );
    assert_eq!(
        nest_permissions::granting([0x39, 0x50, 0x93, 0x51]).map(|g| g.signature),
        Some("increaseAllowance(address,uint256)")
    );
}

#[test]
fn a_brute_forced_name_is_the_grant_it_collides_with() {
    // Declared and called under the colliding name: calling it calls
    // increaseAllowance. Before, this compiled with no grant and no revocation.
    let script = format!(
        "interface INft {{\n    function {COLLIDING}(address operator, bool approved);\n}}\n\
         const NFT = INft(0x0000000000000000000000000000000000000001)\n\
         NFT.{COLLIDING}(0x0000000000000000000000000000000000000002, true)\n"
    );
    assert_eq!(codes(&script), ["E0406"]);
    // Annotated, it is refused all the same: it is not the signature it claims.
    let annotated = format!(
        "interface INft {{\n    #[grants(revoke = {COLLIDING}(operator, false))]\n    \
         function {COLLIDING}(address operator, bool approved);\n}}\n"
    );
    assert_eq!(codes(&annotated), ["E0406"]);
    // And from a JSON ABI file.
    let mut files = MemoryResolver::new();
    files.add(
        "nft.json",
        format!(
            r#"[{{"type":"function","name":"{COLLIDING}","stateMutability":"nonpayable",
                "inputs":[{{"name":"operator","type":"address"}},{{"name":"approved","type":"bool"}}],
                "outputs":[]}}]"#
        ),
    );
    assert_eq!(
        codes_with("interface INft = abi(\"./nft.json\")\n", &files),
        ["E0406"]
    );
}

#[test]
fn every_family_of_the_table_is_recognised_by_selector() {
    for g in nest_permissions::all_granting() {
        let params: Vec<String> = g
            .signature
            .split_once('(')
            .map(|(_, r)| r.trim_end_matches(')'))
            .unwrap_or("")
            .split(',')
            .enumerate()
            .map(|(i, t)| format!("{t} p{i}"))
            .collect();
        let script = format!(
            "interface I {{\n    function {}({});\n}}\n",
            g.name(),
            params.join(", ")
        );
        assert_eq!(codes(&script), ["E0401"], "{}", g.signature);
    }
}

#[test]
fn new_families_are_grants_revoked_canonically() {
    let p = program(
        r#"
interface IMaker {
    #[grants(revoke = nope(usr))]
    function hope(address usr);
    function nope(address usr);
}
interface IErc6909 {
    #[grants(revoke = setOperator(spender, false))]
    function setOperator(address spender, bool approved) returns (bool);
    #[grants(revoke = approve(spender, id, 0))]
    function approve(address spender, uint256 id, uint256 amount) returns (bool);
}
interface IEvc {
    #[grants(revoke = setAccountOperator(account, operator, false))]
    function setAccountOperator(address account, address operator, bool authorized);
}
interface IRouter {
    #[grants(revoke = denyPlugin(plugin))]
    function approvePlugin(address plugin);
    function denyPlugin(address plugin);
}
interface IToken {
    #[grants(revoke = approve(spender, 0))]
    function approve(address spender, uint256 amount) returns (bool);
    #[grants(revoke = approve(spender, 0))]
    function increaseApproval(address spender, uint256 added) returns (bool);
}
const VAT = IMaker(0x0000000000000000000000000000000000000001)
const SIX = IErc6909(0x0000000000000000000000000000000000000002)
const EVC = IEvc(0x0000000000000000000000000000000000000003)
const R = IRouter(0x0000000000000000000000000000000000000004)
const T = IToken(0x0000000000000000000000000000000000000005)
const WHO = 0x0000000000000000000000000000000000000006
VAT.hope(WHO)
SIX.setOperator(WHO, true)
SIX.approve(WHO, 1, 5)
EVC.setAccountOperator(self, WHO, true)
R.approvePlugin(WHO)
T.increaseApproval(WHO, 5)
"#,
    );
    let grants = p
        .body
        .iter()
        .filter(|s| matches!(s.kind, nest_check::hir::StmtKind::Grant(_)))
        .count();
    assert_eq!(grants, 6);
    assert!(p.unclassified.is_empty(), "{:?}", p.unclassified);
}

#[test]
fn grants_annotations_are_checked() {
    // Not the family's revocation.
    assert_eq!(
        codes(
            "interface I {\n    #[grants(revoke = approve(spender, amount))]\n    \
             function approve(address spender, uint256 amount);\n}\n"
        ),
        ["E0408"]
    );
    assert_eq!(
        codes(
            "interface I {\n    #[grants(revoke = setApprovalForAll(operator, true))]\n    \
             function setApprovalForAll(address operator, bool approved);\n}\n"
        ),
        ["E0407"]
    );
    // `0` and `false` are both zero.
    program(
        "interface I {\n    #[grants(revoke = setApprovalForAll(operator, 0))]\n    \
         function setApprovalForAll(address operator, bool approved);\n}\n",
    );
    // A view as the revocation.
    assert_eq!(
        codes(
            "interface I {\n    function allowed(address who) view returns (bool);\n    \
             #[grants(revoke = allowed(who))]\n    function permitWho(address who);\n}\n"
        ),
        ["E0408"]
    );
    // Overloads of one arity: the one whose types fit, else ambiguous.
    let p = program(
        "interface I {\n    function revoke(address who, bytes32 role);\n    \
         function revoke(address who, uint8 role, address by);\n    \
         function revoke(uint256 id, address who);\n    \
         #[grants(revoke = revoke(who, 0))]\n    function grant(address who, uint256 role);\n}\n",
    );
    let i = &p.interfaces.iter().find(|i| i.name == "I").unwrap();
    let grant = i.functions.iter().find(|f| f.name == "grant").unwrap();
    let spec = grant.grant.as_ref().unwrap();
    assert_eq!(
        i.functions[spec.revoke_fn].signature,
        "revoke(address,bytes32)"
    );
    assert_eq!(
        codes(
            "interface I {\n    function revoke(address who, uint8 role);\n    \
             function revoke(address who, address role);\n    \
             #[grants(revoke = revoke(who, 0))]\n    function grant(address who, uint256 role);\n}\n"
        ),
        ["E0402"]
    );
}

#[test]
fn approve_takes_tokens_only() {
    let head = "use std::ethereum::{USDC, DAI, UNISWAP_V2_ROUTER}\nuse std::erc20::IERC20\n";
    program(&format!("{head}approve(USDC, UNISWAP_V2_ROUTER, 1 USDC)\n"));
    program(&format!(
        "{head}for t in [USDC, DAI] {{\n    approve(t, UNISWAP_V2_ROUTER, 1)\n}}\n"
    ));
    assert_eq!(
        codes(&format!(
            "{head}approve(0x0000000000000000000000000000000000000001, UNISWAP_V2_ROUTER, 1)\n"
        )),
        ["E0409"]
    );
    assert_eq!(
        codes(&format!(
            "{head}approve(IERC20(USDC), UNISWAP_V2_ROUTER, 1)\n"
        )),
        ["E0409"]
    );
    assert_eq!(
        codes(&format!(
            "{head}let a: address = self\napprove(a, UNISWAP_V2_ROUTER, 1)\n"
        )),
        ["E0409"]
    );
}

#[test]
fn erc721_per_token_approvals_are_refused() {
    let call = "const N = INft(0x0000000000000000000000000000000000000001)\n\
                N.approve(0x0000000000000000000000000000000000000002, 7)\n";
    // Recognised by a sibling function…
    for marker in [
        "function ownerOf(uint256 id) view returns (address);",
        "function getApproved(uint256 id) view returns (address);",
        "function safeTransferFrom(address a, address b, uint256 id);",
    ] {
        let script = format!(
            "interface INft {{\n    {marker}\n    #[grants(revoke = approve(to, 0))]\n    \
             function approve(address to, uint256 amount);\n}}\n{call}"
        );
        assert_eq!(codes(&script), ["E0410"], "{marker}");
    }
    // …or by the parameter's name, annotated or not.
    for name in ["tokenId", "id"] {
        let script = format!(
            "interface INft {{\n    function approve(address to, uint256 {name});\n}}\n{call}"
        );
        assert_eq!(codes(&script), ["E0410"], "{name}");
    }
    // From a JSON ABI file: the ABI compiles, calling `approve` does not.
    let mut files = MemoryResolver::new();
    files.add(
        "nft.json",
        r#"[{"type":"function","name":"approve","stateMutability":"nonpayable",
             "inputs":[{"name":"to","type":"address"},{"name":"tokenId","type":"uint256"}],"outputs":[]},
            {"type":"function","name":"ownerOf","stateMutability":"view",
             "inputs":[{"name":"tokenId","type":"uint256"}],"outputs":[{"name":"","type":"address"}]}]"#,
    );
    let head = "interface INft = abi(\"./nft.json\")\n";
    assert!(codes_with(head, &files).is_empty());
    assert_eq!(codes_with(&format!("{head}{call}"), &files), ["E0410"]);
    // The stdlib's IERC721 has no `approve`.
    assert_eq!(
        codes(
            "use std::erc721::IERC721\nIERC721(0x0000000000000000000000000000000000000001)\
             .approve(0x0000000000000000000000000000000000000002, 1)\n"
        ),
        ["E0205"]
    );
}

#[test]
fn calls_to_the_vault_itself_are_refused() {
    let iface = "#[grants(none)]\ninterface ISafe {\n    function enableModule(address m);\n}\n\
                 const M = 0x0000000000000000000000000000000000000002\n";
    for call in [
        "ISafe(self).enableModule(M)",
        "let s = ISafe(self)\ns.enableModule(M)",
        "let a = self\nISafe(a).enableModule(M)",
        "let a = address(self)\nlet s = ISafe(a)\ns.enableModule(M)",
    ] {
        assert_eq!(codes(&format!("{iface}{call}\n")), ["E0411"], "{call}");
    }
    // `self` as an argument is fine.
    program(&format!(
        "{iface}ISafe(0x0000000000000000000000000000000000000001).enableModule(self)\n"
    ));
}

#[test]
fn unclassified_calls_are_reported_once_and_listed() {
    let out = check_text(
        "interface IV {\n    function poke(uint256 x);\n    function sync();\n    \
         function total() view returns (uint256);\n    #[grants(none)]\n    function quiet();\n}\n\
         const V = IV(0x0000000000000000000000000000000000000001)\n\
         V.poke(1)\nV.poke(2)\nV.sync()\nV.quiet()\nlet w = IV(self).total()\n\
         fn f(a: address) {\n    IV(a).sync()\n}\nf(V)\nreturn w\n",
        &MemoryResolver::new(),
    );
    let warnings: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "W0401")
        .collect();
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(warnings[0].severity, Severity::Warning);
    // Helper functions are checked before the script's body.
    assert!(
        warnings[0].message.contains("2 functions")
            && warnings[0]
                .message
                .ends_with("`IV.sync()`, `IV.poke(uint256)`"),
        "{}",
        warnings[0].message
    );
    let p = out.program.expect("compiles with a warning");
    let listed: Vec<(String, Option<String>)> = p
        .unclassified
        .iter()
        .map(|u| (u.signature.clone(), u.target.map(|a| a.to_string())))
        .collect();
    let v = Some("0x0000000000000000000000000000000000000001".to_string());
    assert_eq!(
        listed,
        [
            ("sync()".to_string(), None),
            ("poke(uint256)".to_string(), v.clone()),
            ("sync()".to_string(), v),
        ]
    );
    // An interface-wide `#[grants(none)]` classifies every function without its own
    // annotation; known grants still need theirs.
    program(
        "#[grants(none)]\ninterface IV {\n    function poke(uint256 x);\n}\n\
         IV(0x0000000000000000000000000000000000000001).poke(1)\n",
    );
    assert_eq!(
        codes(
            "#[grants(none)]\ninterface IT {\n    \
             function approve(address spender, uint256 amount);\n}\n"
        ),
        ["E0401"]
    );
}

#[test]
fn abi_file_functions_are_classified_by_selector_and_mutability() {
    let mut files = MemoryResolver::new();
    files.add(
        "vault.json",
        r#"[{"type":"function","name":"approve","stateMutability":"nonpayable",
             "inputs":[{"name":"spender","type":"address"},{"name":"amount","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]},
            {"type":"function","name":"totalAssets","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
            {"type":"function","name":"harvest","stateMutability":"nonpayable","inputs":[],"outputs":[]}]"#,
    );
    let out = check_text(
        "interface IV = abi(\"./vault.json\")\nconst V = IV(0x0000000000000000000000000000000000000001)\n\
         V.approve(0x0000000000000000000000000000000000000002, 1)\nlet t = V.totalAssets()\nV.harvest()\nreturn t\n",
        &files,
    );
    let codes: Vec<_> = out.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["W0401"]);
    let p = out.program.expect("compiles");
    assert_eq!(p.unclassified.len(), 1);
    assert_eq!(p.unclassified[0].signature, "harvest()");
    let marked = "#[grants(none)]\ninterface IV = abi(\"./vault.json\")\n\
                  IV(0x0000000000000000000000000000000000000001).harvest()\n";
    assert!(codes_with(marked, &files).is_empty());
}

#[test]
fn the_book_lists_every_family_of_the_table() {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../book/src/reference/permissions.md");
    let text = std::fs::read_to_string(&page).expect("the permissions page");
    for f in nest_permissions::FAMILIES
        .iter()
        .filter(|f| !f.functions.is_empty())
    {
        assert!(
            text.contains(&format!("`{}`", f.id)),
            "{} is not in the book",
            f.id
        );
        for g in f.functions {
            assert!(
                text.contains(&format!("`{}`", g.signature)),
                "{} is not in the book",
                g.signature
            );
            let revoke = format!("`{}(", g.revoke.name());
            assert!(
                text.contains(&revoke),
                "{} is not in the book",
                g.revoke.signature
            );
        }
    }
}
