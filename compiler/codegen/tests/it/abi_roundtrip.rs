//! ABI encoding and decoding of generated code against alloy-dyn-abi, on random
//! types and values.
//!
//! Each case builds IR by hand: call an "echo" contract (it returns its calldata
//! minus the selector) with literal arguments, call it again with the decoded
//! values (so dynamic values are re-encoded from memory at run time), and return
//! the decoded values and one word read through tuple fields and array elements.
//! The calldata the echo received and the script's return data must be exactly
//! `abi_encode_params` of the values. A second suite feeds malformed return data.

use alloy_dyn_abi::{DynSolType, DynSolValue};
use alloy_primitives::{Address, Bytes, B256, I256, U256};
use nest_codegen::Options;
use nest_hyvm::Execution;
use nest_ir::abi::{head_offsets, is_dynamic, is_word, static_size};
use nest_ir::{Arg, ArrayShape, CallExpr, Expr, Module, Op, Stmt, Var};

use crate::common::{responder, CALLEE};

/// Where the callee of the generated calls is deployed.
const ECHO: Address = CALLEE;
const SELECTOR: [u8; 4] = [0x12, 0x34, 0x56, 0x78];

/// SplitMix64: deterministic and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn word(&mut self) -> U256 {
        U256::from_limbs([self.next(), self.next(), self.next(), self.next()])
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn random_type(r: &mut Rng, depth: u32) -> DynSolType {
    let pick = if depth >= 3 { r.below(7) } else { r.below(10) };
    match pick {
        0 => DynSolType::Uint(8 * (1 + r.below(32) as usize)),
        1 => DynSolType::Int(8 * (1 + r.below(32) as usize)),
        2 => DynSolType::Address,
        3 => DynSolType::Bool,
        4 => DynSolType::FixedBytes(1 + r.below(32) as usize),
        5 => DynSolType::Bytes,
        6 => DynSolType::String,
        7 => DynSolType::Array(Box::new(random_type(r, depth + 1))),
        8 => DynSolType::FixedArray(Box::new(random_type(r, depth + 1)), 1 + r.below(3) as usize),
        _ => DynSolType::Tuple(
            (0..1 + r.below(3))
                .map(|_| random_type(r, depth + 1))
                .collect(),
        ),
    }
}

fn random_value(r: &mut Rng, t: &DynSolType) -> DynSolValue {
    match t {
        DynSolType::Uint(n) => DynSolValue::Uint(r.word() >> (256 - n), *n),
        DynSolType::Int(n) => {
            let raw = r.word() >> (256 - n);
            let v = I256::from_raw(raw);
            let v = if *n < 256 && raw.bit(n - 1) {
                I256::from_raw(raw | (U256::MAX << *n))
            } else {
                v
            };
            DynSolValue::Int(v, *n)
        }
        DynSolType::Address => DynSolValue::Address(Address::from_slice(&r.bytes(20))),
        DynSolType::Bool => DynSolValue::Bool(r.below(2) == 1),
        DynSolType::FixedBytes(n) => {
            let mut w = [0u8; 32];
            w[..*n].copy_from_slice(&r.bytes(*n));
            DynSolValue::FixedBytes(B256::from(w), *n)
        }
        DynSolType::Bytes => {
            let n = r.below(70) as usize;
            DynSolValue::Bytes(r.bytes(n))
        }
        DynSolType::String => {
            let n = r.below(70) as usize;
            DynSolValue::String((0..n).map(|_| (b'a' + r.below(26) as u8) as char).collect())
        }
        DynSolType::Array(e) => {
            let n = r.below(4);
            DynSolValue::Array((0..n).map(|_| random_value(r, e)).collect())
        }
        DynSolType::FixedArray(e, n) => {
            DynSolValue::FixedArray((0..*n).map(|_| random_value(r, e)).collect())
        }
        DynSolType::Tuple(ts) => {
            DynSolValue::Tuple(ts.iter().map(|m| random_value(r, m)).collect())
        }
        other => panic!("no values for {other:?}"),
    }
}

/// The ABI word of a word value.
fn word_of(v: &DynSolValue) -> U256 {
    U256::from_be_slice(&v.abi_encode())
}

/// A literal argument for a value: words as constants or as run-time expressions.
fn literal(r: &mut Rng, v: &DynSolValue) -> Arg {
    match v {
        DynSolValue::Bytes(b) => Arg::Bytes(b.clone()),
        DynSolValue::String(s) => Arg::Bytes(s.as_bytes().to_vec()),
        DynSolValue::Array(xs) => Arg::Array(xs.iter().map(|x| literal(r, x)).collect()),
        DynSolValue::FixedArray(xs) | DynSolValue::Tuple(xs) => {
            Arg::Tuple(xs.iter().map(|x| literal(r, x)).collect())
        }
        word => {
            let w = word_of(word);
            if r.below(2) == 0 {
                Arg::Word(Expr::Const(w))
            } else {
                let k = r.word();
                Arg::Word(Expr::Op(Op::Xor, vec![Expr::Const(w ^ k), Expr::Const(k)]))
            }
        }
    }
}

/// The value of the member of type `t` whose head slot is at `base + off` (as lowering reads it).
fn read(base: Expr, off: u64, t: &DynSolType) -> Expr {
    if is_word(t) {
        Expr::Word {
            ptr: Box::new(base),
            offset: off as u32,
        }
    } else if is_dynamic(t) {
        Expr::ArrayPtr {
            ptr: Box::new(base),
            head: off as u32,
        }
    } else {
        Expr::Op(Op::Add, vec![base, Expr::Const(U256::from(off))])
    }
}

/// An argument passing on a decoded value.
fn passed(v: Expr, t: &DynSolType) -> Arg {
    if is_word(t) {
        Arg::Word(v)
    } else {
        Arg::Encoded {
            ptr: v,
            ty: t.clone(),
        }
    }
}

/// A path to some word inside a value: reads it through fields and elements.
fn some_word(
    r: &mut Rng,
    ptr: Expr,
    t: &DynSolType,
    v: &DynSolValue,
) -> Option<(Expr, DynSolType, DynSolValue)> {
    if is_word(t) {
        return Some((ptr, t.clone(), v.clone()));
    }
    match (t, v) {
        (DynSolType::Tuple(ts), DynSolValue::Tuple(xs)) => {
            let i = r.below(ts.len() as u64) as usize;
            let off = head_offsets(ts)[i];
            some_word(r, read(ptr, off, &ts[i]), &ts[i], &xs[i])
        }
        (DynSolType::Array(e), DynSolValue::Array(xs))
        | (DynSolType::FixedArray(e, _), DynSolValue::FixedArray(xs)) => {
            if xs.is_empty() {
                return None;
            }
            let i = r.below(xs.len() as u64) as usize;
            let len = matches!(t, DynSolType::FixedArray(..)).then_some(xs.len() as u32);
            let shape = ArrayShape {
                len,
                stride: static_size(e).map(|s| s as u32),
            };
            let elem = Expr::Elem {
                array: Box::new(ptr),
                index: Box::new(Expr::Const(U256::from(i))),
                shape,
            };
            let elem = if is_word(e) {
                Expr::Word {
                    ptr: Box::new(elem),
                    offset: 0,
                }
            } else {
                elem
            };
            some_word(r, elem, e, &xs[i])
        }
        _ => None,
    }
}

fn echo_code() -> Bytes {
    // CALLDATASIZE PUSH1 4 SWAP1 SUB DUP1 PUSH1 4 PUSH0 CALLDATACOPY PUSH0 RETURN
    Bytes::from_static(&[
        0x36, 0x60, 0x04, 0x90, 0x03, 0x80, 0x60, 0x04, 0x5f, 0x37, 0x5f, 0xf3,
    ])
}

/// Code that returns `data` whatever it is called with.
fn responder_code(data: &[u8]) -> Bytes {
    responder(data, false)
}

/// Compiles (every optimisation on) and runs a module with `callee` deployed at [`ECHO`].
fn run(m: &Module, callee: Bytes) -> Execution {
    crate::common::run(m, &Options::optimised(), Some(callee))
}

fn call(args: Vec<Arg>, outputs: Vec<DynSolType>) -> Expr {
    Expr::Call(Box::new(CallExpr {
        is_static: true,
        target: Expr::Const(U256::from_be_slice(ECHO.as_slice())),
        value: None,
        signature: "f(…)".into(),
        selector: SELECTOR,
        args,
        declares_outputs: !outputs.is_empty(),
        outputs,
    }))
}

fn calldata(values: &[DynSolValue]) -> Vec<u8> {
    let mut out = SELECTOR.to_vec();
    out.extend(DynSolValue::Tuple(values.to_vec()).abi_encode_params());
    out
}

fn echo_inputs(e: &Execution) -> Vec<Bytes> {
    e.trace
        .children
        .iter()
        .filter(|c| c.to == ECHO)
        .map(|c| c.input.clone())
        .collect()
}

#[test]
fn random_values_round_trip_through_calls_and_returns() {
    let mut r = Rng(0x5eed);
    let mut words_read = 0;
    for case in 0..500 {
        let n = 1 + r.below(4) as usize;
        let types: Vec<DynSolType> = (0..n).map(|_| random_type(&mut r, 0)).collect();
        let values: Vec<DynSolValue> = types.iter().map(|t| random_value(&mut r, t)).collect();
        let offsets = head_offsets(&types);
        let args = values.iter().map(|v| literal(&mut r, v)).collect();
        let decoded = |v: u32| -> Vec<Expr> {
            types
                .iter()
                .zip(&offsets)
                .map(|(t, o)| read(Expr::Var(Var(v)), *o, t))
                .collect()
        };
        let again = decoded(0)
            .into_iter()
            .zip(&types)
            .map(|(v, t)| passed(v, t))
            .collect();
        let mut returned = decoded(1);
        let mut returns = types.clone();
        let mut expected = values.clone();
        let tuple = DynSolType::Tuple(types.clone());
        if let Some((e, t, v)) = some_word(
            &mut r,
            Expr::Var(Var(1)),
            &tuple,
            &DynSolValue::Tuple(values.clone()),
        ) {
            returned.push(e);
            returns.push(t);
            expected.push(v);
            words_read += 1;
        }
        let m = Module {
            body: vec![
                Stmt::Set(Var(0), call(args, types.clone())),
                Stmt::Set(Var(1), call(again, types.clone())),
                Stmt::Return(returned),
            ],
            vars: vec!["first".into(), "second".into()],
            returns,
            ..Module::default()
        };
        let e = run(&m, echo_code());
        let names: Vec<String> = types
            .iter()
            .map(|t| t.sol_type_name().into_owned())
            .collect();
        let what = format!("case {case}: ({})", names.join(","));
        assert!(e.success, "{what}: reverted {:?} {}", e.halt, e.output);
        let want = calldata(&values);
        assert_eq!(
            echo_inputs(&e),
            vec![Bytes::from(want.clone()), Bytes::from(want)],
            "{what}: call data"
        );
        assert_eq!(
            e.output,
            Bytes::from(DynSolValue::Tuple(expected).abi_encode_params()),
            "{what}: return data"
        );
    }
    assert!(words_read > 250, "only {words_read} cases read a word");
}

/// Runs a call whose callee returns `data`, decoded as `types`, and returns the decoded values.
fn decode(types: &[&str], data: &[u8]) -> Execution {
    let types: Vec<DynSolType> = types
        .iter()
        .map(|t| DynSolType::parse(t).unwrap_or_else(|e| panic!("{t}: {e}")))
        .collect();
    let offsets = head_offsets(&types);
    let m = Module {
        body: vec![
            Stmt::Set(Var(0), call(Vec::new(), types.clone())),
            Stmt::Return(
                types
                    .iter()
                    .zip(offsets)
                    .map(|(t, o)| read(Expr::Var(Var(0)), o, t))
                    .collect(),
            ),
        ],
        vars: vec!["r".into()],
        returns: types,
        ..Module::default()
    };
    run(&m, responder_code(data))
}

fn words(ws: &[U256]) -> Vec<u8> {
    ws.iter().flat_map(|w| w.to_be_bytes::<32>()).collect()
}

fn u(v: u64) -> U256 {
    U256::from(v)
}

fn is_malformed(e: &Execution) -> bool {
    use alloy_sol_types::{Revert, SolError};
    !e.success
        && e.output.as_ref()
            == Revert::from(nest_artifact::reasons::MALFORMED_RETURN)
                .abi_encode()
                .as_slice()
}

#[test]
fn malformed_return_data_reverts() {
    let high = U256::from(1) << 255;
    let cases: Vec<(&str, Vec<&str>, Vec<u8>)> = vec![
        ("short head", vec!["uint256"], vec![0; 31]),
        (
            "short second word",
            vec!["uint256", "uint256"],
            words(&[u(1)])[..].to_vec(),
        ),
        (
            "dirty address",
            vec!["address"],
            words(&[U256::from(1) << 160]),
        ),
        ("bool 2", vec!["bool"], words(&[u(2)])),
        ("uint8 256", vec!["uint8"], words(&[u(256)])),
        ("int8 not sign-extended", vec!["int8"], words(&[u(0x80)])),
        ("bytes4 low bits", vec!["bytes4"], words(&[u(1)])),
        (
            "offset beyond the end",
            vec!["bytes"],
            words(&[u(0x40), u(0)]),
        ),
        ("huge offset", vec!["bytes"], words(&[high, u(0)])),
        (
            "offset wrapping around",
            vec!["uint256[]"],
            words(&[U256::MAX - u(31), u(0)]),
        ),
        (
            "huge length",
            vec!["bytes"],
            words(&[u(0x20), U256::from(1) << 64]),
        ),
        (
            "length one too long",
            vec!["string"],
            words(&[u(0x20), u(33), u(0)]),
        ),
        (
            "array longer than the data",
            vec!["uint256[]"],
            words(&[u(0x20), u(2), u(7)]),
        ),
        (
            "length times stride overflows",
            vec!["uint256[]"],
            words(&[u(0x20), U256::MAX >> 4]),
        ),
        (
            "dirty array element",
            vec!["address[]"],
            words(&[u(0x20), u(2), u(1), U256::MAX]),
        ),
        (
            "inner offset out of bounds",
            vec!["uint256[][]"],
            words(&[u(0x20), u(1), u(0x1000)]),
        ),
        (
            "inner length too long",
            vec!["bytes[]"],
            words(&[u(0x20), u(1), u(0x20), u(64), u(0)]),
        ),
        (
            "dirty word in a tuple",
            vec!["(uint256,bool,bytes)"],
            words(&[u(0x20), u(1), u(3), u(0x60), u(0)]),
        ),
        (
            "dirty word in a fixed array",
            vec!["uint16[6]"],
            words(&[u(1), u(2), u(3), u(4), u(5), u(1 << 16)]),
        ),
        (
            "fixed array of dynamic elements out of bounds",
            vec!["string[2]"],
            words(&[u(0x20), u(0x40), u(0x1000), u(0)]),
        ),
    ];
    for (what, types, data) in cases {
        let e = decode(&types, &data);
        assert!(
            is_malformed(&e),
            "{what}: expected a malformed-data revert, got success={} {}",
            e.success,
            e.output
        );
    }
    // Well-formed data of the same shapes decodes (including non-canonical offsets).
    let good: Vec<(Vec<&str>, Vec<u8>)> = vec![
        (vec!["uint256"], words(&[u(1), u(2)])),
        (vec!["bytes"], words(&[u(0x40), u(99), u(0), u(0)])),
        (
            vec!["int8", "bool", "bytes4"],
            words(&[U256::MAX, u(1), U256::from(0xdeadbeefu64) << 224]),
        ),
        (
            vec!["uint256[][]"],
            words(&[u(0x20), u(1), u(0x20), u(1), u(5)]),
        ),
    ];
    for (types, data) in good {
        let e = decode(&types, &data);
        assert!(e.success, "{types:?}: {:?} {}", e.halt, e.output);
    }
}

/// Mutated encodings: whatever the script accepts, alloy decodes to the same values
/// the script returns (validation never lets a garbage read through).
#[test]
fn mutated_return_data_is_rejected_or_read_like_alloy() {
    let mut r = Rng(0xbad_da7a);
    let mut rejected = 0;
    for case in 0..400 {
        let n = 1 + r.below(3) as usize;
        let types: Vec<DynSolType> = (0..n).map(|_| random_type(&mut r, 0)).collect();
        let values: Vec<DynSolValue> = types.iter().map(|t| random_value(&mut r, t)).collect();
        let mut data = DynSolValue::Tuple(values).abi_encode_params();
        let w = r.below((data.len() / 32) as u64) as usize;
        let replacement = match r.below(4) {
            0 => U256::from(r.below(0x200)),
            1 => U256::MAX - U256::from(r.below(64)),
            2 => U256::from(1) << (r.below(256) as usize),
            _ => r.word(),
        };
        data[32 * w..32 * w + 32].copy_from_slice(&replacement.to_be_bytes::<32>());
        if r.below(4) == 0 {
            data.truncate(data.len() - 1 - r.below(40).min(data.len() as u64 - 1) as usize);
        }
        let names: Vec<String> = types
            .iter()
            .map(|t| t.sol_type_name().into_owned())
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let e = decode(&refs, &data);
        // alloy reads invalid UTF-8 lossily; the script copies bytes: compare as `bytes`.
        let tuple = strings_as_bytes(&DynSolType::Tuple(types.clone()));
        if e.success {
            let Ok(theirs) = tuple.abi_decode_params(&data) else {
                panic!(
                    "case {case} ({}): accepted data alloy rejects: {}",
                    names.join(","),
                    Bytes::from(data)
                );
            };
            assert_eq!(
                e.output.as_ref(),
                theirs.abi_encode_params().as_slice(),
                "case {case}: ({})",
                names.join(",")
            );
        } else {
            assert!(
                is_malformed(&e),
                "case {case}: unexpected revert {:?} {}",
                e.halt,
                e.output
            );
            rejected += 1;
        }
    }
    assert!(rejected > 40, "only {rejected} mutations were rejected");
}

fn strings_as_bytes(t: &DynSolType) -> DynSolType {
    match t {
        DynSolType::String => DynSolType::Bytes,
        DynSolType::Array(e) => DynSolType::Array(Box::new(strings_as_bytes(e))),
        DynSolType::FixedArray(e, n) => DynSolType::FixedArray(Box::new(strings_as_bytes(e)), *n),
        DynSolType::Tuple(ts) => DynSolType::Tuple(ts.iter().map(strings_as_bytes).collect()),
        other => other.clone(),
    }
}

#[test]
fn element_index_out_of_bounds_panics() {
    let t = DynSolType::parse("(uint256,string)[]").unwrap_or_else(|e| panic!("{e}"));
    let data = DynSolValue::Tuple(vec![DynSolValue::Array(vec![DynSolValue::Tuple(vec![
        DynSolValue::Uint(u(7), 256),
        DynSolValue::String("x".into()),
    ])])])
    .abi_encode_params();
    for (index, ok) in [(0u64, true), (1, false)] {
        let elem = Expr::Elem {
            array: Box::new(read(Expr::Var(Var(0)), 0, &t)),
            index: Box::new(Expr::Const(u(index))),
            shape: ArrayShape {
                len: None,
                stride: None,
            },
        };
        let m = Module {
            body: vec![
                Stmt::Set(Var(0), call(Vec::new(), vec![t.clone()])),
                Stmt::Return(vec![Expr::Word {
                    ptr: Box::new(elem),
                    offset: 0,
                }]),
            ],
            vars: vec!["r".into()],
            returns: vec![DynSolType::Uint(256)],
            ..Module::default()
        };
        let e = run(&m, responder_code(&data));
        assert_eq!(e.success, ok, "index {index}: {}", e.output);
        if ok {
            assert_eq!(e.output.as_ref(), words(&[u(7)]).as_slice());
        } else {
            assert_eq!(
                e.output.as_ref(),
                &[&[0x4e, 0x48, 0x7b, 0x71][..], &words(&[u(0x32)])[..]].concat()[..]
            );
        }
    }
}
