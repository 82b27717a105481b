//! The IR's text form reads back: print → parse gives an equal module (so
//! print → parse → print is identical) for the IR of every example script and
//! every `tests/codegen` case, and for hand-built modules holding every statement
//! and expression kind; malformed text is rejected with a line, a column and a
//! message that says what was expected.
#![allow(
    unused_crate_dependencies,
    clippy::disallowed_methods,
    clippy::disallowed_types
)] // a test target sees all its crate's dependencies and may do IO

use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
use nest_driver::{CompileRequest, Resolver};
use nest_ir::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads imports relative to the repository root, like the CLI.
struct RepoResolver;

impl Resolver for RepoResolver {
    fn load(&self, importer: &str, path: &str) -> Result<(String, String), String> {
        let name = nest_driver::join_path(importer, path);
        std::fs::read_to_string(root().join(&name))
            .map(|t| (name.clone(), t))
            .map_err(|e| format!("cannot read `{name}`: {e}"))
    }
}

fn scripts(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ns"))
        .map(|p| {
            format!(
                "{dir}/{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            )
        })
        .collect();
    out.sort();
    out
}

/// Prints, parses and prints again; the module and the text must come back unchanged.
fn assert_roundtrip(m: &Module, what: &str) {
    let text = m.to_string();
    let back = parse(&text)
        .unwrap_or_else(|e| panic!("{what}: the printed IR does not parse: {e}\n{text}"));
    assert_eq!(
        back.to_string(),
        text,
        "{what}: print → parse → print differs"
    );
    assert_eq!(
        &back, m,
        "{what}: the parsed module differs from the printed one"
    );
}

#[test]
fn every_compiled_script_roundtrips() {
    let mut count = 0;
    for rel in scripts("examples")
        .into_iter()
        .chain(scripts("tests/codegen"))
    {
        let text = std::fs::read_to_string(root().join(&rel))
            .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"));
        let compiled = nest_driver::compile(&CompileRequest {
            name: &rel,
            text: &text,
            resolver: &RepoResolver,
            params: &[],
        });
        let Ok(c) = compiled else {
            panic!("{rel} does not compile")
        };
        assert_roundtrip(&c.ir, &rel);
        count += 1;
    }
    assert!(count >= 5, "too few scripts found ({count})");
}

// ----- hand-built modules -----

fn c(v: u64) -> Expr {
    Expr::Const(U256::from(v))
}

fn v(i: u32) -> Expr {
    Expr::Var(Var(i))
}

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

const TOKEN: &str = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";

fn token() -> U256 {
    TOKEN.parse().unwrap_or_default()
}

fn call(is_static: bool, signature: &str, args: Vec<Arg>, outputs: Vec<DynSolType>) -> Expr {
    Expr::Call(Box::new(CallExpr {
        is_static,
        target: Expr::Const(token()),
        value: None,
        signature: signature.into(),
        selector: nest_ir::parse::selector_of(signature),
        declares_outputs: !outputs.is_empty(),
        args,
        outputs,
    }))
}

/// Every expression kind, with every operation, environment value and argument shape.
fn all_exprs() -> Vec<Expr> {
    let ops = [
        Op::Add,
        Op::Sub,
        Op::Mul,
        Op::Lt,
        Op::Gt,
        Op::Slt,
        Op::Sgt,
        Op::Eq,
        Op::IsZero,
        Op::And,
        Op::Or,
        Op::Xor,
        Op::Not,
        Op::Shl,
        Op::Shr,
        Op::Sar,
        Op::SignExtend,
    ];
    let mut out: Vec<Expr> = ops
        .iter()
        .map(|op| match op {
            Op::IsZero | Op::Not => Expr::Op(*op, vec![v(0)]),
            _ => Expr::Op(*op, vec![v(0), c(3)]),
        })
        .collect();
    for op in [
        CheckedOp::Add,
        CheckedOp::Sub,
        CheckedOp::Mul,
        CheckedOp::Div,
        CheckedOp::Rem,
    ] {
        out.push(Expr::Checked {
            op,
            bits: 128,
            lhs: b(v(0)),
            rhs: b(c(7)),
        });
        out.push(Expr::Signed {
            op,
            bits: 8,
            lhs: b(v(0)),
            rhs: b(Expr::Const(U256::MAX)),
        });
    }
    out.extend([
        Expr::NarrowSigned {
            expr: b(v(0)),
            bits: 16,
        },
        Expr::Pow {
            bits: 256,
            base: b(c(10)),
            exp: b(v(0)),
        },
        Expr::SignedPow {
            bits: 8,
            base: b(Expr::Const(U256::MAX)),
            exp: b(v(0)),
        },
        Expr::Keccak(b(v(2))),
        Expr::Encode(vec![]),
        Expr::Encode(vec![
            Arg::Word(v(0)),
            Arg::Bytes(vec![1, 2]),
            Arg::Encoded {
                ptr: v(2),
                ty: DynSolType::String,
            },
        ]),
    ]);
    for env in [
        Env::SelfAddress,
        Env::Timestamp,
        Env::Number,
        Env::ChainId,
        Env::SelfBalance,
    ] {
        out.push(Expr::Env(env));
    }
    let mut with_value = CallExpr {
        is_static: false,
        target: v(1),
        value: Some(Expr::Env(Env::SelfBalance)),
        signature: "deposit()".into(),
        selector: [0xde, 0xad, 0xbe, 0xef],
        args: vec![],
        outputs: vec![],
        declares_outputs: false,
    };
    out.push(Expr::Call(Box::new(with_value.clone())));
    // A result that is not read, of a function that has one.
    let mut unread = with_value.clone();
    unread.declares_outputs = true;
    out.push(Expr::Call(Box::new(unread)));
    with_value.selector = nest_ir::parse::selector_of("deposit()");
    out.extend([
        c(0),
        Expr::Const(U256::MAX),
        Expr::Const(U256::from(0xffff_ffffu64)),
        Expr::Const(U256::from(0x1_0000_0000u64)),
        Expr::Narrow {
            expr: b(v(0)),
            bits: 160,
        },
        Expr::Logic {
            and: true,
            lhs: b(v(0)),
            rhs: b(c(1)),
        },
        Expr::Logic {
            and: false,
            lhs: b(v(0)),
            rhs: b(c(1)),
        },
        Expr::MinMax {
            max: false,
            lhs: b(v(0)),
            rhs: b(c(1)),
        },
        Expr::MinMax {
            max: true,
            lhs: b(v(0)),
            rhs: b(c(1)),
        },
        Expr::Call(Box::new(with_value)),
        call(
            false,
            "swap((address,uint256[]),bytes,string,uint256[2],address[])",
            vec![
                Arg::Tuple(vec![
                    Arg::Word(Expr::Env(Env::SelfAddress)),
                    Arg::Array(vec![Arg::Word(c(1)), Arg::Word(c(2))]),
                ]),
                Arg::Bytes(vec![0x00, 0xab, 0xff]),
                Arg::Bytes(vec![]),
                Arg::Encoded {
                    ptr: v(2),
                    ty: DynSolType::FixedArray(Box::new(DynSolType::Uint(256)), 2),
                },
                Arg::Array(vec![]),
            ],
            vec![
                DynSolType::Tuple(vec![
                    DynSolType::Address,
                    DynSolType::Array(Box::new(DynSolType::Bytes)),
                ]),
                DynSolType::Int(24),
            ],
        ),
        call(
            false,
            "pass((uint256,bytes)[])",
            vec![Arg::Encoded {
                ptr: Expr::ArrayPtr {
                    ptr: b(v(2)),
                    head: 64,
                },
                ty: DynSolType::Array(Box::new(DynSolType::Tuple(vec![
                    DynSolType::Uint(256),
                    DynSolType::Bytes,
                ]))),
            }],
            vec![],
        ),
        Expr::Word {
            ptr: b(call(
                true,
                "balanceOf(address)",
                vec![Arg::Word(Expr::Env(Env::SelfAddress))],
                vec![DynSolType::Uint(256)],
            )),
            offset: 0,
        },
        Expr::ArrayPtr {
            ptr: b(v(2)),
            head: 32,
        },
        Expr::ArrayGet {
            array: b(v(2)),
            index: b(c(1)),
        },
        Expr::Elem {
            array: b(v(2)),
            index: b(c(0)),
            shape: ArrayShape {
                len: None,
                stride: Some(32),
            },
        },
        Expr::Elem {
            array: b(v(2)),
            index: b(c(0)),
            shape: ArrayShape {
                len: Some(3),
                stride: None,
            },
        },
        Expr::Elem {
            array: b(v(2)),
            index: b(c(0)),
            shape: ArrayShape {
                len: Some(2),
                stride: Some(64),
            },
        },
        Expr::CallFn {
            func: 0,
            args: vec![
                v(0),
                call(true, "decimals()", vec![], vec![DynSolType::Uint(8)]),
            ],
        },
        Expr::CallFn {
            func: 1,
            args: vec![],
        },
    ]);
    out
}

/// A module with every statement kind, every expression kind and every header line.
fn kitchen_sink() -> Module {
    let loc = Loc {
        file: 1,
        line: 12,
        col: 5,
    };
    let mut body: Block = vec![Stmt::Loc(loc), Stmt::Set(Var(0), c(1))];
    body.extend(all_exprs().into_iter().map(Stmt::Eval));
    body.extend([
        Stmt::If(v(0), vec![Stmt::Stop], vec![]),
        Stmt::If(v(0), vec![], vec![Stmt::Fail(Failure::Panic(PANIC_INDEX))]),
        Stmt::If(
            Expr::Op(Op::IsZero, vec![v(0)]),
            vec![Stmt::If(v(1), vec![Stmt::Return(vec![])], vec![Stmt::Stop])],
            vec![Stmt::Loop {
                var: Var(1),
                start: U256::from(2),
                end: U256::MAX,
                body: vec![Stmt::Journal(GrantId(1))],
            }],
        ),
        Stmt::Loop {
            var: Var(1),
            start: U256::ZERO,
            end: U256::ZERO,
            body: vec![],
        },
        Stmt::Check(
            v(0),
            Failure::Error("with \"quotes\", a \\ and\na newline\t\u{7f}é".into()),
        ),
        Stmt::Check(v(0), Failure::Panic(PANIC_OVERFLOW)),
        Stmt::Fail(Failure::Error(String::new())),
        Stmt::Fail(Failure::Panic(PANIC_DIV_ZERO)),
        Stmt::ForceApprove {
            token: Expr::Const(token()),
            spender: v(1),
            amount: Expr::Const(U256::MAX),
        },
        Stmt::Grant(GrantId(0)),
        Stmt::EndGrant(GrantId(0)),
        Stmt::Revoke(GrantId(0)),
        Stmt::Journal(GrantId(1)),
        Stmt::JournalMark(Var(3)),
        Stmt::RevokeJournal(Some(Var(3))),
        Stmt::RevokeJournal(None),
        Stmt::Eval(v(0)),
        Stmt::Return(vec![
            v(0),
            Expr::Op(Op::Add, vec![v(0), c(1)]),
            Expr::Const(U256::from(0xdead_beef_cafe_u64)),
        ]),
        Stmt::Stop,
    ]);
    Module {
        body,
        vars: vec![
            "x".into(),
            "i".into(),
            "data.ptr".into(),
            "with#1.mark".into(),
            "has space".into(),
            String::new(),
            "\"q".into(),
        ],
        grants: vec![
            GrantInfo {
                kind: "erc20-allowance".into(),
                revoke: Revocation::Erc20 {
                    token: Operand::Const(token()),
                    spender: Operand::Var(Var(1)),
                },
                loc: Some(loc),
                dynamic: false,
            },
            GrantInfo {
                kind: "setApproval(address,bool)".into(),
                revoke: Revocation::Call {
                    target: Operand::Var(Var(0)),
                    signature: "setApproval(address,bool)".into(),
                    selector: nest_ir::parse::selector_of("setApproval(address,bool)"),
                    args: vec![Operand::Var(Var(1)), Operand::Const(U256::ZERO)],
                },
                loc: None,
                dynamic: true,
            },
            GrantInfo {
                kind: "a kind with blanks".into(),
                revoke: Revocation::Call {
                    target: Operand::Const(U256::MAX),
                    signature: "reset()".into(),
                    selector: [1, 2, 3, 4],
                    args: vec![],
                },
                loc: None,
                dynamic: false,
            },
        ],
        returns: vec![
            DynSolType::Uint(256),
            DynSolType::Array(Box::new(DynSolType::Address)),
            DynSolType::String,
        ],
        files: vec![
            "main.ns".into(),
            "std::ethereum".into(),
            "a \"quoted\" name".into(),
        ],
        functions: vec![
            Function {
                name: "clamp".into(),
                params: vec![Var(0), Var(1)],
                result: Some(Var(2)),
                body: vec![
                    Stmt::If(
                        Expr::Op(Op::Gt, vec![v(0), v(1)]),
                        vec![Stmt::Return(vec![v(1)])],
                        vec![],
                    ),
                    Stmt::Return(vec![v(0)]),
                ],
            },
            Function {
                name: "odd(name".into(),
                params: vec![],
                result: None,
                body: vec![],
            },
        ],
    }
}

/// The kind of a statement: an exhaustive match, so a new kind fails to compile
/// here until the kitchen sink covers it.
fn stmt_kind(s: &Stmt) -> &'static str {
    match s {
        Stmt::Loc(_) => "loc",
        Stmt::Set(..) => "set",
        Stmt::If(..) => "if",
        Stmt::Loop { .. } => "loop",
        Stmt::Eval(_) => "eval",
        Stmt::Check(..) => "check",
        Stmt::Fail(_) => "fail",
        Stmt::ForceApprove { .. } => "force_approve",
        Stmt::Grant(_) => "grant",
        Stmt::EndGrant(_) => "end_grant",
        Stmt::Revoke(_) => "revoke",
        Stmt::Journal(_) => "journal",
        Stmt::JournalMark(_) => "journal_mark",
        Stmt::RevokeJournal(_) => "revoke_journal",
        Stmt::Return(_) => "return",
        Stmt::Stop => "stop",
    }
}
const STMT_KINDS: usize = 16;

/// The kind of an expression (exhaustive, as for statements).
fn expr_kind(e: &Expr) -> &'static str {
    match e {
        Expr::Const(_) => "const",
        Expr::Var(_) => "var",
        Expr::Env(_) => "env",
        Expr::Op(..) => "op",
        Expr::Checked { .. } => "checked",
        Expr::Narrow { .. } => "narrow",
        Expr::Logic { .. } => "logic",
        Expr::MinMax { .. } => "minmax",
        Expr::Call(_) => "call",
        Expr::Word { .. } => "word",
        Expr::ArrayPtr { .. } => "array_ptr",
        Expr::ArrayGet { .. } => "array_get",
        Expr::Elem { .. } => "elem",
        Expr::CallFn { .. } => "call_fn",
        Expr::Signed { .. } => "signed",
        Expr::NarrowSigned { .. } => "narrow_signed",
        Expr::Pow { .. } => "pow",
        Expr::SignedPow { .. } => "signed_pow",
        Expr::Keccak(_) => "keccak",
        Expr::Encode(_) => "encode",
    }
}
const EXPR_KINDS: usize = 20;

/// The kind of a call argument (exhaustive).
fn arg_kind(a: &Arg) -> &'static str {
    match a {
        Arg::Word(_) => "word",
        Arg::Tuple(_) => "tuple",
        Arg::Array(_) => "array",
        Arg::Bytes(_) => "bytes",
        Arg::Encoded { .. } => "encoded",
    }
}
const ARG_KINDS: usize = 5;

fn kinds(
    b: &Block,
    stmts: &mut BTreeSet<&'static str>,
    exprs: &mut BTreeSet<&'static str>,
    args: &mut BTreeSet<&'static str>,
) {
    let expr = |e: &Expr, exprs: &mut BTreeSet<&'static str>, args: &mut BTreeSet<&'static str>| {
        e.walk(&mut |x| {
            exprs.insert(expr_kind(x));
            if let Expr::Call(c) = x {
                fn visit(a: &Arg, args: &mut BTreeSet<&'static str>) {
                    args.insert(arg_kind(a));
                    if let Arg::Tuple(xs) | Arg::Array(xs) = a {
                        xs.iter().for_each(|x| visit(x, args));
                    }
                }
                c.args.iter().for_each(|a| visit(a, args));
            }
        })
    };
    for s in b {
        stmts.insert(stmt_kind(s));
        match s {
            Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => expr(e, exprs, args),
            Stmt::If(e, t, f) => {
                expr(e, exprs, args);
                kinds(t, stmts, exprs, args);
                kinds(f, stmts, exprs, args);
            }
            Stmt::Loop { body, .. } => kinds(body, stmts, exprs, args),
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => [token, spender, amount]
                .into_iter()
                .for_each(|e| expr(e, exprs, args)),
            Stmt::Return(xs) => xs.iter().for_each(|e| expr(e, exprs, args)),
            _ => {}
        }
    }
}

#[test]
fn kitchen_sink_covers_every_kind() {
    let m = kitchen_sink();
    let (mut stmts, mut exprs, mut args) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    kinds(&m.body, &mut stmts, &mut exprs, &mut args);
    assert_eq!(
        stmts.len(),
        STMT_KINDS,
        "statement kinds covered: {stmts:?}"
    );
    assert_eq!(
        exprs.len(),
        EXPR_KINDS,
        "expression kinds covered: {exprs:?}"
    );
    assert_eq!(args.len(), ARG_KINDS, "argument kinds covered: {args:?}");
}

#[test]
fn kitchen_sink_roundtrips() {
    assert_roundtrip(&kitchen_sink(), "kitchen sink");
}

#[test]
fn every_expression_roundtrips_as_a_statement_and_a_return_value() {
    for e in all_exprs() {
        let mut m = kitchen_sink();
        m.body = vec![
            Stmt::Eval(e.clone()),
            Stmt::Return(vec![e.clone(), e.clone()]),
        ];
        assert_roundtrip(&m, &e.to_string());
    }
}

#[test]
fn empty_module_roundtrips() {
    assert_roundtrip(&Module::default(), "empty module");
    assert_eq!(Module::default().to_string(), "returns ()\n---\n");
}

#[test]
fn odd_names_are_quoted() {
    let text = kitchen_sink().to_string();
    assert!(text.contains("var %4 \"has space\"\n"), "{text}");
    assert!(text.contains("var %5 \"\"\n"), "{text}");
    assert!(
        text.contains("grant #2 \"a kind with blanks\" revoke call"),
        "{text}"
    );
    assert!(text.contains("--- fn @1 \"odd(name\"()\n"), "{text}");
    assert!(text.contains("var %2 data.ptr\n"), "{text}");
}

#[test]
fn a_selector_is_printed_only_when_it_is_not_the_signatures() {
    let text = kitchen_sink().to_string();
    assert!(text.contains("call 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff reset()() selector 0x01020304\n"), "{text}");
    assert!(
        text.contains("setApproval(address,bool)(%1, 0)\n"),
        "{text}"
    );
    assert!(
        text.contains("deposit()() value selfbalance selector 0xdeadbeef\n"),
        "{text}"
    );
}

// ----- reading hand-written text -----

const HAND_WRITTEN: &str = r#"
// A comment, then blank lines, are skipped.

returns (uint256)
var %0 amount
var %1 out
grant #0 erc20-allowance at 0:3:1 revoke force_approve(0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48, 0x7a250d5630b4cf539739df2c5dacb4c659f2488d, 0)
---
%0 = 1000
force_approve(0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48, 0x7a250d5630b4cf539739df2c5dacb4c659f2488d, %0)
grant #0
  if   gt( %0 , 5 )   {
        %1 = checked_mul256(%0, 2)
  }   else   {
    %1 = 0
  }
return %1
"#;

#[test]
fn hand_written_text_parses() {
    let m = parse(HAND_WRITTEN).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.vars, vec!["amount".to_string(), "out".to_string()]);
    assert_eq!(m.returns, vec![DynSolType::Uint(256)]);
    assert_eq!(
        m.grants[0].loc,
        Some(Loc {
            file: 0,
            line: 3,
            col: 1
        })
    );
    assert!(!m.grants[0].dynamic);
    assert_eq!(m.body.len(), 5);
    assert_eq!(m.body[0], Stmt::Set(Var(0), c(1000)));
    assert_eq!(m.body[2], Stmt::Grant(GrantId(0)));
    let Stmt::If(cond, then, els) = &m.body[3] else {
        panic!("not an if: {:?}", m.body[3])
    };
    assert_eq!(*cond, Expr::Op(Op::Gt, vec![v(0), c(5)]));
    assert_eq!(
        then,
        &vec![Stmt::Set(
            Var(1),
            Expr::Checked {
                op: CheckedOp::Mul,
                bits: 256,
                lhs: b(v(0)),
                rhs: b(c(2))
            }
        )]
    );
    assert_eq!(els, &vec![Stmt::Set(Var(1), c(0))]);
    assert_eq!(m.body[4], Stmt::Return(vec![v(1)]));
    verify(&m, false).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_call_selector_is_recomputed_from_its_signature() {
    let m = parse(
        "var %0 x\n---\n%0 = word(staticcall 0x1 balanceOf(address)(address) -> (uint256), 0)\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let Stmt::Set(_, Expr::Word { ptr, .. }) = &m.body[0] else {
        panic!("{:?}", m.body)
    };
    let Expr::Call(c) = &**ptr else {
        panic!("{ptr:?}")
    };
    assert_eq!(c.selector, [0x70, 0xa0, 0x82, 0x31]);
    assert!(c.is_static);
    assert_eq!(c.args, vec![Arg::Word(Expr::Env(Env::SelfAddress))]);
}

// ----- errors -----

/// Parses `text`, which must fail at `line`:`col` with a message containing `needle`.
fn assert_error(text: &str, line: usize, col: usize, needle: &str) {
    let e = match parse(text) {
        Ok(m) => panic!("parsed, but should not have:\n{text}\nas:\n{m}"),
        Err(e) => e,
    };
    assert!(
        e.message.contains(needle),
        "message `{}` lacks `{needle}`",
        e.message
    );
    assert_eq!((e.line, e.col), (line, col), "at the wrong place: {e}");
}

#[test]
fn errors_say_where_and_what() {
    assert_error(
        "returns ()\n",
        1,
        1,
        "expected `---` between the header and the body",
    );
    assert_error("var %1 x\n---\n", 1, 5, "expected `var %0`, found `%1`");
    assert_error(
        "vars %0 x\n---\n",
        1,
        1,
        "expected `file`, `returns`, `var`, `grant` or `---`, found `vars`",
    );
    assert_error(
        "returns (uint257)\n---\n",
        1,
        9,
        "invalid ABI type `(uint257)`",
    );
    assert_error(
        "---\nstop now\n",
        2,
        6,
        "expected the end of the line, found `now`",
    );
    assert_error(
        "---\nfrobnicate(1)\n",
        2,
        1,
        "unknown expression `frobnicate`",
    );
    assert_error("---\n+\n", 2, 1, "expected a statement, found `+`");
    assert_error(
        "---\nreturn add(1 2)\n",
        2,
        14,
        "expected `,` or `)`, found `2`",
    );
    assert_error(
        "---\nreturn %0\n",
        2,
        8,
        "`%0` is not declared: declare it with `var %0 NAME` in the header",
    );
    assert_error("---\ngrant #3\n", 2, 7, "`#3` is not declared");
    assert_error(
        "---\ncall_fn @0()\n",
        2,
        9,
        "`@0` is not declared: add a `--- fn @0 NAME(…)` section",
    );
    assert_error("---\nif 1 {\n    stop\n", 2, 6, "this `{` is never closed");
    assert_error("---\nstop\n}\n", 3, 1, "this `}` closes no block");
    assert_error("---\nif 1 {\n---\n", 3, 1, "expected `}` before `---`");
    assert_error(
        "---\nif 1 {\n} else {\n  stop\n",
        3,
        8,
        "this `{` is never closed",
    );
    assert_error(
        "---\nfail error \"unterminated\n",
        2,
        12,
        "this string is never closed",
    );
    assert_error(
        "---\nfail error \"bad \\q escape\"\n",
        2,
        17,
        "unknown escape",
    );
    assert_error(
        "---\nfail oops\n",
        2,
        6,
        "expected `error` or `panic`, found `oops`",
    );
    assert_error(
        "---\nfail panic 0x100\n",
        2,
        12,
        "a panic code `256` is too large",
    );
    assert_error("---\nreturn 0x1g\n", 2, 8, "invalid number `0x1g`");
    assert_error(
        "---\nreturn checked_add(1, 2)\n",
        2,
        8,
        "expected a bit width",
    );
    assert_error(
        "---\ncall 1 notasig\n",
        2,
        8,
        "expected a function signature like `transfer(address,uint256)`, found `notasig`",
    );
    assert_error(
        "---\ncall 1 f(uint256)(1) selector 0x12\n",
        2,
        31,
        "expected a selector of 8 hex digits",
    );
    assert_error(
        "---\ncall 1 f(bytes)(hex\"abc\")\n",
        2,
        17,
        "even number of digits",
    );
    assert_error(
        "---\ncall 1 f((uint256)(1)\n",
        2,
        9,
        "this bracket is never closed",
    );
    assert_error(
        "---\nloop %0 in 0..2 {\n} else {\n}\n",
        3,
        8,
        "a `loop` has no `else`",
    );
    assert_error("---\n---\n", 2, 4, "expected `fn` after `---`");
    assert_error("---\n--- fn @1 f()\n", 2, 8, "expected `fn @0`, found `@1`");
    assert_error(
        "grant #0 erc20-allowance revoke force_approve(1, 2, 3)\n---\n",
        1,
        53,
        "an ERC-20 revocation approves `0`",
    );
    assert_error(
        "grant #0 k revoke nothing\n---\n",
        1,
        19,
        "expected `force_approve` or `call`, found `nothing`",
    );
    assert_error(
        "grant #0 k dynamic\n---\n",
        1,
        19,
        "expected `revoke`, found the end of the line",
    );
}

#[test]
fn an_error_displays_as_line_colon_column() {
    let e = parse("---\nstop now\n").err().map(|e| e.to_string());
    assert_eq!(
        e.as_deref(),
        Some("2:6: expected the end of the line, found `now`")
    );
}
