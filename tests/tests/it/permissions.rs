//! `allowances_left` is measured for every kind of permission the devnet knows —
//! ERC-20 allowances, operator approvals, Permit2 allowances, Aave credit delegation —
//! and Nest scripts that grant them leave nothing behind.

use alloy_primitives::{Address, U256};
use nest_devnet::addresses::{DEVNFT, PERMIT2, UNISWAP_V2_ROUTER, USDC};
use nest_devnet::{Devnet, Report, RunContext, Scenario};
use nest_evm::{AsmItem, Opcode, Program};

/// A payload that makes one call with `calldata` to `to`, ignores the result, stops.
fn one_call(to: Address, calldata: Vec<u8>) -> Vec<u8> {
    let len = calldata.len() as u64;
    let mut p = Program::default();
    let data = p.add_data(calldata);
    let push = |p: &mut Program, v: U256| p.items.push(AsmItem::Push(v));
    push(&mut p, U256::from(len));
    p.items.push(AsmItem::PushData(data));
    push(&mut p, U256::ZERO);
    p.items.push(AsmItem::Op(Opcode::CODECOPY));
    for v in [
        U256::ZERO,
        U256::ZERO,
        U256::from(len),
        U256::ZERO,
        U256::ZERO,
    ] {
        push(&mut p, v);
    }
    push(&mut p, U256::from_be_slice(to.as_slice()));
    p.items.push(AsmItem::Op(Opcode::GAS));
    p.items.push(AsmItem::Op(Opcode::CALL));
    p.items.push(AsmItem::Op(Opcode::POP));
    p.items.push(AsmItem::Op(Opcode::STOP));
    nest_evm::assemble(&p).expect("assembles").bytes
}

fn word(a: Address) -> Vec<u8> {
    let mut w = vec![0u8; 12];
    w.extend_from_slice(a.as_slice());
    w
}

fn calldata(selector: [u8; 4], words: &[Vec<u8>]) -> Vec<u8> {
    let mut d = selector.to_vec();
    for w in words {
        d.extend(std::iter::repeat_n(0u8, 32 - w.len()));
        d.extend(w);
    }
    d
}

fn run(payload: &[u8]) -> Report {
    let devnet = Devnet::new(&Scenario::default()).unwrap();
    devnet.dry_run(payload, &RunContext::default()).unwrap()
}

fn selector(sig: &str) -> [u8; 4] {
    let h = alloy_primitives::keccak256(sig.as_bytes());
    [h[0], h[1], h[2], h[3]]
}

#[test]
fn a_permit2_allowance_left_behind_is_caught() {
    let d = calldata(
        selector("approve(address,address,uint160,uint48)"),
        &[
            word(USDC),
            word(UNISWAP_V2_ROUTER),
            vec![100],
            vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ],
    );
    let r = run(&one_call(PERMIT2, d));
    assert!(r.success, "{:?}", r.revert);
    assert_eq!(r.allowances_left.len(), 1, "{:?}", r.allowances_left);
    assert_eq!(r.allowances_left[0].kind, "permit2-allowance");
    assert_eq!(r.allowances_left[0].after, "100");
}

#[test]
fn an_operator_approval_left_behind_is_caught() {
    let d = calldata(
        selector("setApprovalForAll(address,bool)"),
        &[word(UNISWAP_V2_ROUTER), vec![1]],
    );
    let r = run(&one_call(DEVNFT, d));
    assert!(r.success, "{:?}", r.revert);
    assert_eq!(r.allowances_left.len(), 1, "{:?}", r.allowances_left);
    assert_eq!(r.allowances_left[0].kind, "operator-approval");
}

#[test]
fn a_credit_delegation_left_behind_is_caught() {
    let devnet = Devnet::new(&Scenario::default()).unwrap();
    let debt = devnet
        .world()
        .layout
        .aave_reserve(USDC)
        .expect("USDC reserve")
        .variable_debt_token;
    let d = calldata(
        selector("approveDelegation(address,uint256)"),
        &[word(UNISWAP_V2_ROUTER), vec![7]],
    );
    let r = devnet
        .dry_run(&one_call(debt, d), &RunContext::default())
        .unwrap();
    assert!(r.success, "{:?}", r.revert);
    assert_eq!(r.allowances_left.len(), 1, "{:?}", r.allowances_left);
    assert_eq!(r.allowances_left[0].kind, "credit-delegation");
}

#[test]
fn nest_scripts_granting_these_leave_nothing() {
    let src = r#"
use std::ethereum::{USDC, PERMIT2, UNISWAP_V2_ROUTER}
use std::erc721::IERC721
PERMIT2.approve(USDC, UNISWAP_V2_ROUTER, 0.0001 USDC, 4_000_000_000)
IERC721(0xcd394391aEa1EC56d7b423B487C7c25347eb9606).setApprovalForAll(UNISWAP_V2_ROUTER, true)
"#;
    let r = nest_driver::MemoryResolver::new();
    let c = nest_driver::compile(&nest_driver::CompileRequest {
        name: "grants.ns",
        text: src,
        resolver: &r,
        params: &[],
    })
    .unwrap_or_else(|f| panic!("{f}"));
    let report = run(&c.bytes);
    assert!(report.success, "{:?}", report.revert);
    assert!(
        report.allowances_left.is_empty(),
        "{:?}",
        report.allowances_left
    );
    // Both were granted, then revoked: the trace shows the revocations.
    assert!(report.calls.len() >= 4, "{}", report.render(false));
}

fn compile(src: &str) -> Result<nest_driver::Compiled, nest_driver::Failed> {
    let r = nest_driver::MemoryResolver::new();
    nest_driver::compile(&nest_driver::CompileRequest {
        name: "main.ns",
        text: src,
        resolver: &r,
        params: &[],
    })
}

#[test]
fn the_artifact_lists_unclassified_calls_and_strict_refuses_them() {
    let src = r#"
interface IVault {
    function harvest();
    function total() view returns (uint256);
}
const V = IVault(0x0000000000000000000000000000000000000001)
V.harvest()
return V.total()
"#;
    let mut c = compile(src).unwrap_or_else(|f| panic!("{f}"));
    let listed: Vec<(&str, &str, &str)> = c
        .artifact
        .unclassified
        .iter()
        .map(|u| {
            (
                u.target.as_str(),
                u.signature.as_str(),
                u.interface.as_str(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [(
            "0x0000000000000000000000000000000000000001",
            "harvest()",
            "IVault"
        )]
    );
    let json = serde_json::to_value(&c.artifact).expect("serialises");
    assert_eq!(json["unclassified"][0]["signature"], "harvest()");
    // `--strict`: the warning becomes an error.
    assert_eq!(c.warnings.len(), 1);
    assert!(nest_driver::deny_unclassified(&mut c.warnings));
    assert!(nest_diagnostics::has_errors(&c.warnings));
    // Classified, nothing is listed and `--strict` has nothing to refuse.
    let classified = src.replace("interface IVault", "#[grants(none)]\ninterface IVault");
    let mut c = compile(&classified).unwrap_or_else(|f| panic!("{f}"));
    assert!(c.artifact.unclassified.is_empty());
    assert!(c.warnings.is_empty());
    assert!(!nest_driver::deny_unclassified(&mut c.warnings));
}

#[test]
fn the_permission_model_refuses_what_it_cannot_revoke() {
    let refused = [
        // A call to the vault itself.
        (
            "#[grants(none)]\ninterface ISafe {\n    function enableModule(address m);\n}\n\
             ISafe(self).enableModule(0x0000000000000000000000000000000000000002)\n",
            "E0411",
        ),
        // An ERC-721 per-token approval.
        (
            "interface INft {\n    function ownerOf(uint256 id) view returns (address);\n    \
             function approve(address to, uint256 tokenId);\n}\n\
             INft(0x0000000000000000000000000000000000000001).approve(0x0000000000000000000000000000000000000002, 1)\n",
            "E0410",
        ),
        // The builtin `approve` on an address that is not a token.
        (
            "approve(0x0000000000000000000000000000000000000001, 0x0000000000000000000000000000000000000002, 1)\n",
            "E0409",
        ),
        // A revocation that grants again.
        (
            "interface I {\n    #[grants(revoke = approve(spender, amount))]\n    \
             function approve(address spender, uint256 amount);\n}\n",
            "E0408",
        ),
        // A known grant with another revocation.
        (
            "interface I {\n    #[grants(revoke = setAuthorization(who, true))]\n    \
             function setAuthorization(address who, bool yes);\n}\n",
            "E0407",
        ),
    ];
    for (src, code) in refused {
        let Err(f) = compile(src) else {
            panic!("compiled:\n{src}")
        };
        let codes: Vec<&str> = f.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [code], "{src}");
    }
}
