//! The JSON form reads back to the same value and the same bytes, with the optional
//! fields (`may_be`, `signer`) present and absent.

use super::*;

fn sample(signed: bool) -> Artifact {
    Artifact {
        bytecode: "0x6000".into(),
        code_size: 2,
        fingerprint: format!("0x{}", "11".repeat(32)),
        compiler: CompilerInfo {
            name: "nestc".into(),
            version: "0.1.0".into(),
        },
        source_hash: format!("0x{}", "22".repeat(32)),
        params: vec![ParamInfo {
            name: "amount".into(),
            ty: "USDC".into(),
            value: "2500 USDC".into(),
            raw: "2500000000".into(),
        }],
        grants: vec![
            GrantManifest {
                kind: "erc20-allowance".into(),
                target: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48".into(),
                may_be: vec![],
                spender: "dynamic".into(),
                revoke: "approve(spender, 0)".into(),
                location: Some("main.ns:3:5".into()),
            },
            GrantManifest {
                kind: "erc20-allowance".into(),
                target: "dynamic".into(),
                may_be: vec!["0xdAC17F958D2ee523a2206206994597C13D831ec7".into()],
                spender: "dynamic".into(),
                revoke: "approve(spender, 0)".into(),
                location: None,
            },
        ],
        calls: vec![CallInfo {
            target: "dynamic".into(),
            signature: "approve(address,uint256)".into(),
            kind: "call".into(),
        }],
        unclassified: vec![UnclassifiedInfo {
            target: "dynamic".into(),
            signature: "poke()".into(),
            interface: "IPoke".into(),
        }],
        errors: vec![ErrorInfo {
            signature: "Nope(uint256)".into(),
            selector: "0x12345678".into(),
            declaration: "error Nope(uint256 why)".into(),
        }],
        max_value: "unbounded".into(),
        return_types: vec!["uint256".into(), "bool".into()],
        return_units: vec![
            Some(UnitInfo {
                token: "USDC".into(),
                address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48".into(),
                decimals: 6,
            }),
            None,
        ],
        source_map: vec![SourceMapEntry {
            pc: 0,
            location: "shared".into(),
        }],
        functions: vec![FunctionEntry {
            name: "helper".into(),
            pc: 1,
        }],
        signer: signed.then(|| "0x0000000000000000000000000000000000000001".into()),
    }
}

#[test]
fn json_reads_back_to_the_same_value_and_bytes() {
    for signed in [false, true] {
        let a = sample(signed);
        for text in [
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string_pretty(&a).unwrap(),
        ] {
            let back: Artifact = serde_json::from_str(&text).unwrap();
            assert_eq!(back, a);
            let again = if text.contains('\n') {
                serde_json::to_string_pretty(&back).unwrap()
            } else {
                serde_json::to_string(&back).unwrap()
            };
            assert_eq!(again, text);
        }
    }
}

#[test]
fn optional_fields_are_left_out_when_empty() {
    let text = serde_json::to_string(&sample(false)).unwrap();
    assert!(!text.contains("\"signer\""), "{text}");
    assert_eq!(text.matches("\"may_be\"").count(), 1, "{text}");
    assert!(text.contains("\"location\":null"), "{text}");
    let signed = serde_json::to_string(&sample(true)).unwrap();
    assert!(signed.ends_with("\"signer\":\"0x0000000000000000000000000000000000000001\"}"));
}

#[test]
fn the_report_groups_hold_the_compilers_messages() {
    use reasons::*;
    assert_eq!(NO_CODE_REASONS, [MALFORMED_RETURN, NO_CODE]);
    assert_eq!(LAST_CALL_REASONS, [MALFORMED_RETURN, APPROVE_FAILED]);
    for m in [MALFORMED_RETURN, NO_CODE, APPROVE_FAILED] {
        assert!(m.starts_with("nest: "), "{m}");
    }
}
