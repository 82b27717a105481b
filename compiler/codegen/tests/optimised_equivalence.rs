//! The optimised code generator agrees with the plain one (`Options::none()`) on every
//! outcome — success, return data, revert data — for fused reads of well-formed and
//! malformed return data, and for inline approvals of well-behaved and quirky tokens.

use alloy_dyn_abi::DynSolType;
use alloy_primitives::{Address, Bytes, U256};
use nest_codegen::Options;
use nest_hyvm::{
    execute, forwarding_vault_code, hyvm_placeholder_code, Env, Execution, HyvmConfig, Transaction,
};
use nest_ir::{ArrayShape, CallExpr, Expr, GrantId, GrantInfo, Module, Operand, Revocation, Stmt};
use revm::bytecode::Bytecode;
use revm::database::InMemoryDB;
use revm::state::AccountInfo;

const VAULT: Address = Address::repeat_byte(0xfa);
const OWNER: Address = Address::repeat_byte(0xf0);
const CALLEE: Address = Address::repeat_byte(0xec);
const SPENDER: Address = Address::repeat_byte(0x5e);

/// Code that returns (or, with `revert`, reverts with) `data` whatever it is called with.
fn responder(data: &[u8], revert: bool) -> Bytes {
    let n = data.len() as u16;
    let end = if revert { 0xfd } else { 0xf3 };
    let mut code = vec![
        0x61,
        (n >> 8) as u8,
        n as u8,
        0x60,
        13,
        0x5f,
        0x39,
        0x61,
        (n >> 8) as u8,
        n as u8,
        0x5f,
        end,
        0x00,
    ];
    code.extend_from_slice(data);
    Bytes::from(code)
}

fn put(db: &mut InMemoryDB, at: Address, code: Bytes) {
    let code = Bytecode::new_legacy(code);
    db.insert_account_info(
        at,
        AccountInfo {
            nonce: 1,
            code_hash: code.hash_slow(),
            code: Some(code),
            ..Default::default()
        },
    );
}

fn run(m: &Module, opts: &Options, callee: Option<Bytes>) -> Execution {
    nest_ir::verify(m, true).unwrap_or_else(|e| panic!("verifier: {e}\n{m}"));
    let program = nest_codegen::generate_with(m, opts).unwrap_or_else(|e| panic!("codegen: {e}"));
    let asm = nest_evm::assemble(&program).unwrap_or_else(|e| panic!("assembler: {e:?}"));
    nest_evm::check(&asm.bytes, asm.code_len).unwrap_or_else(|v| panic!("unsafe code: {v:?}"));
    let cfg = HyvmConfig::default();
    let mut db = InMemoryDB::default();
    put(&mut db, cfg.address, hyvm_placeholder_code());
    put(&mut db, VAULT, forwarding_vault_code(cfg.address));
    if let Some(code) = callee {
        put(&mut db, CALLEE, code);
    }
    db.insert_account_info(
        OWNER,
        AccountInfo {
            balance: U256::from(10).pow(U256::from(18)),
            ..Default::default()
        },
    );
    let tx = Transaction {
        from: OWNER,
        vault: VAULT,
        payload: Bytes::from(asm.bytes),
        value: U256::ZERO,
        gas_limit: 10_000_000,
    };
    execute(&mut db, &Env::default(), &cfg, &tx, false).unwrap_or_else(|e| panic!("run: {e}"))
}

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
