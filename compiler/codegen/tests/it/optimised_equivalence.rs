//! The optimised code generator agrees with the plain one (`Options::none()`) on every
//! outcome — success, return data, revert data — for fused reads of well-formed and
//! malformed return data, and for inline approvals of well-behaved and quirky tokens.

use alloy_dyn_abi::DynSolType;
use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolError;
use nest_codegen::Options;
use nest_hyvm::Execution;
use nest_ir::{CallExpr, Expr, GrantId, GrantInfo, Module, Operand, Revocation, Stmt};

use crate::common::{responder, run, CALLEE};

const SPENDER: Address = Address::repeat_byte(0x5e);

/// Runs the module both ways and checks the outcomes agree; returns the optimised one.
fn agree(what: &str, m: &Module, callee: Option<Bytes>) -> Execution {
    let plain = run(m, &Options::none(), callee.clone());
    let opt = run(m, &Options::optimised(), callee);
    assert_eq!(
        (opt.success, &opt.output),
        (plain.success, &plain.output),
        "{what}"
    );
    // Failure paths may be slower (the revert payload is built at run time); the
    // common path must not be.
    if plain.success {
        assert!(
            opt.guest_instructions < plain.guest_instructions,
            "{what}: not cheaper when optimised"
        );
    }
    opt
}

fn call(outputs: &str) -> Expr {
    let DynSolType::Tuple(outputs) = DynSolType::parse(outputs).unwrap_or_else(|e| panic!("{e}"))
    else {
        panic!("tuple")
    };
    Expr::Call(Box::new(CallExpr {
        is_static: true,
        target: Expr::Const(U256::from_be_slice(CALLEE.as_slice())),
        value: None,
        signature: "f()".into(),
        selector: [0x12, 0x34, 0x56, 0x78],
        args: Vec::new(),
        declares_outputs: !outputs.is_empty(),
        outputs,
    }))
}

fn returning(e: Expr) -> Module {
    Module {
        body: vec![Stmt::Return(vec![e])],
        returns: vec![DynSolType::Uint(256)],
        ..Module::default()
    }
}

fn words(ws: &[U256]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes::<32>()).collect()
}

fn u(v: u64) -> U256 {
    U256::from(v)
}

#[test]
fn fused_word_reads_agree() {
    let cases: Vec<(&str, &str, u32, Vec<u8>)> = vec![
        ("one word", "(uint256)", 0, words(&[u(7)])),
        (
            "second of two",
            "(uint256,uint256)",
            32,
            words(&[u(1), u(2)]),
        ),
        ("short head", "(uint256)", 0, vec![0; 31]),
        ("short second word", "(uint256,uint256)", 32, words(&[u(1)])),
        (
            "dirty address",
            "(address,uint256)",
            32,
            words(&[u(1) << 160, u(3)]),
        ),
        (
            "clean address",
            "(address,uint256)",
            0,
            words(&[u(9), u(3)]),
        ),
        ("bool 2", "(bool)", 0, words(&[u(2)])),
    ];
    for (what, outputs, offset, data) in cases {
        let m = returning(Expr::Word {
            ptr: Box::new(call(outputs)),
            offset,
        });
        agree(what, &m, Some(responder(&data, false)));
    }
}

#[test]
fn fused_array_reads_agree() {
    let get = |index: Expr| {
        let array = Expr::ArrayPtr {
            ptr: Box::new(call("(uint256[])")),
            head: 0,
        };
        returning(Expr::ArrayGet {
            array: Box::new(array),
            index: Box::new(index),
        })
    };
    let high = u(1) << 255;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("canonical", words(&[u(0x20), u(2), u(5), u(6)])),
        (
            "non-canonical offset",
            words(&[u(0x40), u(9), u(2), u(5), u(6)]),
        ),
        ("index out of bounds", words(&[u(0x20), u(1), u(5)])),
        (
            "array longer than the data",
            words(&[u(0x20), u(3), u(5), u(6)]),
        ),
        ("offset beyond the end", words(&[u(0x80), u(0)])),
        ("huge offset", words(&[high, u(0)])),
        ("offset wrapping around", words(&[U256::MAX - u(31), u(0)])),
        ("huge length", words(&[u(0x20), U256::MAX >> 4, u(1), u(2)])),
        ("empty", Vec::new()),
        ("short", vec![0; 40]),
    ];
    for (what, data) in cases {
        for index in [Expr::Const(u(1)), Expr::Env(nest_ir::Env::ChainId)] {
            agree(what, &get(index), Some(responder(&data, false)));
        }
    }
}

/// `force_approve(CALLEE, SPENDER, amount)` then a revocation, as a script does it.
fn approve_module(amount: u64) -> Module {
    let token = U256::from_be_slice(CALLEE.as_slice());
    let spender = U256::from_be_slice(SPENDER.as_slice());
    Module {
        body: vec![
            Stmt::ForceApprove {
                token: Expr::Const(token),
                spender: Expr::Const(spender),
                amount: Expr::Const(u(amount)),
            },
            Stmt::Grant(GrantId(0)),
            Stmt::Revoke(GrantId(0)),
            Stmt::Stop,
        ],
        grants: vec![GrantInfo {
            kind: "erc20-allowance".into(),
            revoke: Revocation::Erc20 {
                token: Operand::Const(token),
                spender: Operand::Const(spender),
            },
            loc: None,
            dynamic: false,
        }],
        ..Module::default()
    }
}

#[test]
fn inline_approvals_agree_for_every_kind_of_token() {
    let cases: Vec<(&str, Option<Bytes>, bool)> = vec![
        (
            "returns true",
            Some(responder(&words(&[u(1)]), false)),
            true,
        ),
        ("returns nothing", Some(responder(&[], false)), true),
        (
            "returns false",
            Some(responder(&words(&[u(0)]), false)),
            false,
        ),
        ("returns 2", Some(responder(&words(&[u(2)]), false)), false),
        (
            "returns a short word",
            Some(responder(&[0, 0, 1], false)),
            false,
        ),
        (
            "reverts with a word of 1",
            Some(responder(&words(&[u(1)]), true)),
            false,
        ),
        ("reverts with nothing", Some(responder(&[], true)), false),
        ("no code", None, false),
    ];
    for (what, code, succeeds) in cases {
        for amount in [0, 5] {
            let e = agree(
                &format!("{what}, amount {amount}"),
                &approve_module(amount),
                code.clone(),
            );
            assert_eq!(e.success, succeeds, "{what}, amount {amount}: {}", e.output);
        }
    }
}

#[test]
fn a_call_whose_result_is_not_read_needs_code_at_its_target() {
    // A function without outputs, and one whose result the script does not read.
    let unread = |declares_outputs: bool| {
        let Expr::Call(mut c) = call("()") else {
            unreachable!()
        };
        c.declares_outputs = declares_outputs;
        Module {
            body: vec![Stmt::Eval(Expr::Call(c)), Stmt::Stop],
            ..Module::default()
        }
    };
    let no_code = Bytes::from(
        alloy_sol_types::Revert::from(nest_artifact::reasons::NO_CODE)
            .abi_encode()
            .to_vec(),
    );
    let cases: Vec<(&str, Option<Bytes>, Option<Bytes>)> = vec![
        (
            "returns data",
            Some(responder(&words(&[u(1)]), false)),
            None,
        ),
        ("returns nothing", Some(responder(&[], false)), None),
        (
            "reverts",
            Some(responder(&[1, 2, 3], true)),
            Some(Bytes::from(vec![1, 2, 3])),
        ),
        ("no code", None, Some(no_code)),
    ];
    for (what, code, revert) in cases {
        for (m, opts) in [
            (unread(false), Options::none()),
            (unread(false), Options::optimised()),
            (unread(true), Options::optimised()),
        ] {
            let e = run(&m, &opts, code.clone());
            match &revert {
                None => assert!(e.success, "{what}: {}", e.output),
                Some(data) => {
                    assert!(!e.success, "{what}: succeeded");
                    assert_eq!(&e.output, data, "{what}");
                }
            }
        }
    }
}
