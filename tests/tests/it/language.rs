//! The core constructs of the language, end to end: signed integers, run-time `**`,
//! `keccak256` and `abi.encode`, and values of type `bytes`, `string`, arrays and
//! tuples. Each script is compiled at `-O0` and at the default level and dry-run on
//! the devnet; both must agree, and the return data or revert reason is asserted.

use alloy_primitives::{keccak256, I256, U256};
use nest_devnet::Report;
use nest_driver::OptLevel;
use nest_tests::{dry_run_at, RepoResolver, Rng};

/// Dry-runs at `-O0` and the default level, checks they agree, and returns the report.
fn run(src: &str) -> Report {
    let plain = dry_run_at(src, OptLevel::O0);
    let opt = dry_run_at(src, OptLevel::O1);
    assert_eq!(
        plain.success, opt.success,
        "{src}: success differs between -O0 and -O1"
    );
    assert_eq!(
        plain.return_data, opt.return_data,
        "{src}: return data differs between -O0 and -O1"
    );
    assert_eq!(
        plain.revert.as_ref().map(|r| &r.reason),
        opt.revert.as_ref().map(|r| &r.reason),
        "{src}: revert reason differs between -O0 and -O1"
    );
    opt
}

/// The hex of ABI words, as the report prints return data.
fn hex_words(words: &[U256]) -> String {
    let mut s = String::from("0x");
    for w in words {
        s.push_str(&format!("{w:064x}"));
    }
    s
}

/// The return data of a script that must succeed.
fn returns(src: &str) -> String {
    let r = run(src);
    assert!(r.success, "{src}: reverted: {:?}", r.revert);
    r.return_data
}

/// The revert reason of a script that must fail.
fn reverts(src: &str) -> String {
    let r = run(src);
    assert!(!r.success, "{src}: succeeded with {}", r.return_data);
    r.revert.map(|r| r.reason).unwrap_or_default()
}

fn int(v: i128) -> U256 {
    I256::try_from(v).map(|i| i.into_raw()).unwrap_or_default()
}

#[test]
fn signed_arithmetic_returns_twos_complement() {
    let src = "let a: int256 = -7\nlet b: int256 = 2\nreturn a + b, a - b, a * b, a / b, a % b, -a";
    let want = [int(-5), int(-9), int(-14), int(-3), int(-1), int(7)];
    assert_eq!(returns(src), hex_words(&want));
}

#[test]
fn signed_comparisons_and_min_max() {
    let src = "let a: int64 = -3\nlet b: int64 = 2\nreturn a < b, a > b, a <= -3, a >= b, min(a, b), max(a, b)";
    let want = [
        U256::from(1),
        U256::ZERO,
        U256::from(1),
        U256::ZERO,
        int(-3),
        int(2),
    ];
    assert_eq!(returns(src), hex_words(&want));
}

#[test]
fn signed_overflow_and_division_by_zero_panic() {
    let min = "-57896044618658097711785492504343953926634992332820282019728792003956564819968";
    assert!(reverts(&format!(
        "let a: int256 = {min}\nlet b: int256 = -1\nreturn a / b"
    ))
    .contains("0x11"));
    assert!(reverts(&format!("let a: int256 = {min}\nreturn -a")).contains("0x11"));
    assert!(reverts("let a: int8 = -128\nlet b: int8 = -1\nreturn a / b").contains("0x11"));
    assert!(reverts("let a: int8 = 100\nlet b: int8 = 28\nreturn a + b").contains("0x11"));
    assert!(reverts("let a: int16 = 7\nlet b: int16 = 0\nreturn a % b").contains("0x12"));
}

#[test]
fn conversions_between_signed_and_unsigned_check_the_range() {
    assert_eq!(
        returns("let a: int256 = -1\nreturn a as int8, (a as int8) as int256"),
        hex_words(&[int(-1), int(-1)])
    );
    assert_eq!(
        returns("let a: uint256 = 127\nreturn a as int8"),
        hex_words(&[int(127)])
    );
    assert!(reverts("let a: uint256 = 128\nreturn a as int8").contains("0x11"));
    assert!(reverts("let a: int256 = -1\nreturn a as uint256").contains("0x11"));
    assert!(reverts("let a: int256 = 300\nreturn a as int8").contains("0x11"));
    assert_eq!(
        returns("let a: int256 = 255\nreturn a as uint8"),
        hex_words(&[U256::from(255)])
    );
}

#[test]
fn runtime_power_is_checked() {
    assert_eq!(
        returns(
            "let b = block.number * 0 + 3\nreturn b ** 5, b ** 0, (b - 3) ** 0, 2 ** (b + 252)"
        ),
        {
            hex_words(&[
                U256::from(243),
                U256::from(1),
                U256::from(1),
                U256::from(1) << 255,
            ])
        }
    );
    assert!(reverts("let b = block.number * 0 + 2\nreturn b ** 256").contains("0x11"));
    assert!(reverts("let b: uint8 = 2\nlet e: uint8 = 8\nreturn b ** e").contains("0x11"));
}

#[test]
fn keccak_and_abi_encode() {
    let mut enc = [0u8; 64];
    enc[31] = 1;
    enc[63] = 2;
    let h = keccak256(enc);
    let src = "let x = block.number * 0 + 1\nreturn keccak256(abi.encode(x, 2))";
    assert_eq!(
        returns(src),
        format!("0x{}", alloy_primitives::hex::encode(h))
    );
    assert_eq!(
        returns("return keccak256(\"gm\")"),
        format!("0x{}", alloy_primitives::hex::encode(keccak256("gm")))
    );
}

/// ABI words of a `string`/`bytes` value's contents (length, then padded data).
fn bytes_words(b: &[u8]) -> Vec<U256> {
    let mut out = vec![U256::from(b.len())];
    for chunk in b.chunks(32) {
        let mut w = [0u8; 32];
        w[..chunk.len()].copy_from_slice(chunk);
        out.push(U256::from_be_bytes(w));
    }
    out
}

#[test]
fn strings_and_bytes_are_values() {
    let mut want = vec![U256::from(32)];
    want.extend(bytes_words(b"gm"));
    assert_eq!(returns("return \"gm\""), hex_words(&want));
    assert_eq!(returns("let s = \"gm\"\nreturn s"), hex_words(&want));
    let long = "a fairly long string that takes more than one word";
    let mut want = vec![U256::from(32)];
    want.extend(bytes_words(long.as_bytes()));
    assert_eq!(
        returns(&format!("let s = \"{long}\"\nlet t = s\nreturn t")),
        hex_words(&want)
    );
    // (bytes, uint256): the head holds the offset of the bytes, then 7.
    let mut want = vec![U256::from(64), U256::from(7)];
    want.extend(bytes_words(&[0x00, 0xff]));
    assert_eq!(
        returns("let data = hex\"00ff\"\nreturn data, 7"),
        hex_words(&want)
    );
}

#[test]
fn arrays_and_tuples_are_values() {
    let src = "use std::ethereum::{USDC, WETH}\nlet path = [USDC, WETH]\nlet t = (block.number * 0 + 5, true)\nlet i = block.number * 0 + 1\nreturn path[i], path[0], t.0, t.1";
    let usdc = U256::from_be_slice(
        &alloy_primitives::address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
            .0
             .0,
    );
    let weth = U256::from_be_slice(
        &alloy_primitives::address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")
            .0
             .0,
    );
    assert_eq!(
        returns(src),
        hex_words(&[weth, usdc, U256::from(5), U256::from(1)])
    );
    let out_of_bounds = "let xs = [1, 2, 3]\nlet i = block.number * 0 + 3\nreturn xs[i]";
    assert!(reverts(out_of_bounds).contains("0x32"));
    // A returned array literal is a static `uint256[3]`.
    assert_eq!(
        returns("let xs = [4, 5, 6]\nreturn xs"),
        hex_words(&[U256::from(4), U256::from(5), U256::from(6)])
    );
}

#[test]
fn arrays_bound_with_let_pass_to_calls_and_results_return() {
    let src = "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}\nlet path = [USDC, WETH]\nlet amounts = UNISWAP_V2_ROUTER.getAmountsOut(1000 USDC, path)\nreturn amounts";
    let data = returns(src);
    let words: Vec<&str> = data
        .trim_start_matches("0x")
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect();
    assert_eq!(words.len(), 4, "{data}");
    assert_eq!(
        U256::from_str_radix(words[0], 16).ok(),
        Some(U256::from(32))
    );
    assert_eq!(U256::from_str_radix(words[1], 16).ok(), Some(U256::from(2)));
    assert_eq!(
        U256::from_str_radix(words[2], 16).ok(),
        Some(U256::from(1_000_000_000u64))
    );
    assert!(U256::from_str_radix(words[3], 16).is_ok_and(|w| w > U256::ZERO));
}

/// Random signed values for the arithmetic tests.
trait RandomInt {
    fn int(&mut self, bits: u16) -> I256;
}

impl RandomInt for Rng {
    /// A value of `bits` signed bits, often at an edge (min, max, -1, 0, 1) and
    /// otherwise of random magnitude and sign.
    fn int(&mut self, bits: u16) -> I256 {
        let min = I256::MIN.asr(256 - bits as usize);
        let max = !min;
        match self.next_u64() % 8 {
            0 => min,
            1 => max,
            2 => I256::MINUS_ONE,
            3 => I256::ZERO,
            4 => I256::ONE,
            _ => {
                let mut w = U256::ZERO;
                for _ in 0..4 {
                    w = (w << 64) | U256::from(self.next_u64());
                }
                let keep = 1 + (self.next_u64() % u64::from(bits)) as usize;
                let v = I256::from_raw(w).asr(256 - keep);
                v.max(min).min(max)
            }
        }
    }
}

/// What `a op b` gives at `bits` signed bits: the value, or None when it must revert.
fn reference(op: &str, a: I256, b: I256, bits: u16) -> Option<I256> {
    let min = I256::MIN.asr(256 - bits as usize);
    let r = match op {
        "+" => a.checked_add(b),
        "-" => a.checked_sub(b),
        "*" => a.checked_mul(b),
        "/" => a.checked_div(b),
        // `min % -1` is 0 (Solidity's rule), where Rust's checked_rem reports overflow.
        _ if b == I256::MINUS_ONE => Some(I256::ZERO),
        _ => a.checked_rem(b),
    }?;
    (r >= min && r <= !min).then_some(r)
}

/// Random operands at every width from 8 to 256 bits; results that fit are
/// returned together, one failing case per width must panic with its code.
#[test]
fn signed_arithmetic_matches_rust_checked_arithmetic() {
    let mut rng = Rng(0x5eed);
    for bits in (8..=256u16).step_by(8) {
        let mut lets = String::new();
        let mut exprs = Vec::new();
        let mut want = Vec::new();
        let mut failing = None;
        for k in 0..2 {
            let (a, b) = (rng.int(bits), rng.int(bits));
            lets.push_str(&format!(
                "let a{k}: int{bits} = {a}\nlet b{k}: int{bits} = {b}\n"
            ));
            for op in ["+", "-", "*", "/", "%"] {
                match reference(op, a, b, bits) {
                    Some(r) => {
                        exprs.push(format!("a{k} {op} b{k}"));
                        want.push(r.into_raw());
                    }
                    None => {
                        let code = if b.is_zero() && (op == "/" || op == "%") {
                            "0x12"
                        } else {
                            "0x11"
                        };
                        failing.get_or_insert((format!("a{k} {op} b{k}"), code));
                    }
                }
            }
        }
        let src = format!("{lets}return {}", exprs.join(", "));
        assert_eq!(returns(&src), hex_words(&want), "int{bits}:\n{src}");
        if let Some((e, code)) = failing {
            let src = format!("{lets}return {e}");
            let reason = reverts(&src);
            assert!(reason.contains(code), "int{bits}: {src}: {reason}");
        }
    }
}

#[test]
fn signed_bit_operations_keep_the_sign() {
    let src = "let a: int8 = -6\nreturn a >> 1, a << 5, ~a, a & 0x0f, a | 1";
    let want = [int(-3), int(64), int(5), int(10), int(-5)];
    assert_eq!(returns(src), hex_words(&want));
    assert_eq!(
        returns("let a: int8 = -128\nreturn a << 1, a >> 7"),
        hex_words(&[int(0), int(-1)])
    );
}

#[test]
fn helper_functions_take_and_return_values_that_are_not_words() {
    let src = "fn pick(xs: uint256[3], i: uint256) -> uint256 {\n    return xs[i]\n}\nfn greet(who: string) -> (string, uint256) {\n    return (who, 1)\n}\nlet xs = [7, 8, 9]\nlet g = greet(\"gm\")\nreturn pick(xs, block.number % 1 + 2), g.0";
    let mut want = vec![U256::from(9), U256::from(64)];
    want.extend(bytes_words(b"gm"));
    assert_eq!(returns(src), hex_words(&want));
}

/// Run-time `**` against `checked_pow` at a few widths, on random small bases and exponents.
#[test]
fn runtime_power_matches_rust_checked_pow() {
    let mut rng = Rng(0x90e);
    for bits in [8u16, 64, 256] {
        let max = if bits == 256 {
            U256::MAX
        } else {
            (U256::from(1u8) << bits as usize) - U256::from(1u8)
        };
        let mut lets = String::new();
        let (mut exprs, mut want, mut failing) = (Vec::new(), Vec::new(), None);
        for k in 0..6 {
            let (b, e) = (
                U256::from(rng.next_u64() % 20),
                U256::from(rng.next_u64() % (u64::from(bits) / 2)),
            );
            lets.push_str(&format!(
                "let b{k}: uint{bits} = {b}\nlet e{k}: uint{bits} = {e}\n"
            ));
            match b.checked_pow(e).filter(|r| *r <= max) {
                Some(r) => {
                    exprs.push(format!("b{k} ** e{k}"));
                    want.push(r);
                }
                None => {
                    failing.get_or_insert(format!("b{k} ** e{k}"));
                }
            }
        }
        let src = format!("{lets}return {}", exprs.join(", "));
        assert_eq!(returns(&src), hex_words(&want), "uint{bits}:\n{src}");
        if let Some(e) = failing {
            assert!(
                reverts(&format!("{lets}return {e}")).contains("0x11"),
                "uint{bits}: {e}"
            );
        }
    }
}

#[test]
fn abi_encode_of_values_that_are_not_words() {
    let usdc = U256::from_be_slice(
        &alloy_primitives::address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
            .0
             .0,
    );
    let weth = U256::from_be_slice(
        &alloy_primitives::address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")
            .0
             .0,
    );
    // bytes of (address[2]) = the two words; returned as (bytes): offset, length, data.
    let src = "use std::ethereum::{USDC, WETH}\nlet path = [USDC, WETH]\nreturn abi.encode(path)";
    assert_eq!(
        returns(src),
        hex_words(&[U256::from(32), U256::from(64), usdc, weth])
    );
    // (string, uint256): offset of the string, 1, then the string.
    let src = "let s = \"gm\"\nreturn abi.encode(s, 1)";
    let mut inner = vec![U256::from(64), U256::from(1)];
    inner.extend(bytes_words(b"gm"));
    let mut want = vec![U256::from(32), U256::from(32 * inner.len())];
    want.extend(inner);
    assert_eq!(returns(src), hex_words(&want));
}

/// Signed `**`: a signed base to an unsigned exponent, checked at the base's width.
#[test]
fn signed_power_is_checked_at_the_edges() {
    let pow = |base: i128, exp: u32, bits: u16| {
        format!("let b: int{bits} = {base}\nlet e: uint256 = {exp}\nreturn b ** e")
    };
    // int8: -128 fits, 128 does not.
    assert_eq!(returns(&pow(-2, 7, 8)), hex_words(&[int(-128)]));
    assert!(reverts(&pow(2, 7, 8)).contains("0x11"));
    assert!(reverts(&pow(-2, 8, 8)).contains("0x11"));
    assert_eq!(returns(&pow(-128, 1, 8)), hex_words(&[int(-128)]));
    assert!(reverts(&pow(-128, 2, 8)).contains("0x11"));
    assert_eq!(returns(&pow(-1, 255, 8)), hex_words(&[int(-1)]));
    assert_eq!(returns(&pow(-1, 256, 8)), hex_words(&[int(1)]));
    assert_eq!(returns(&pow(-3, 3, 8)), hex_words(&[int(-27)]));
    assert_eq!(returns(&pow(-5, 0, 8)), hex_words(&[int(1)]));
    assert_eq!(returns(&pow(0, 0, 8)), hex_words(&[int(1)]));
    assert_eq!(returns(&pow(11, 1, 8)), hex_words(&[int(11)]));
    // int256: -2**255 is the minimum; 2**255 overflows.
    let min = I256::MIN.into_raw();
    assert_eq!(returns(&pow(-2, 255, 256)), hex_words(&[min]));
    assert!(reverts(&pow(2, 255, 256)).contains("0x11"));
    assert!(reverts(&pow(-2, 256, 256)).contains("0x11"));
    assert_eq!(
        returns(&pow(2, 254, 256)),
        hex_words(&[U256::from(1u8) << 254])
    );
    assert_eq!(returns(&pow(-7, 3, 256)), hex_words(&[int(-343)]));
    // Literal exponents, and a result used in signed arithmetic.
    assert_eq!(
        returns("let b: int16 = -3\nreturn b ** 3 + 1, -(b ** 2)"),
        hex_words(&[int(-26), int(-9)])
    );
}

/// Run-time signed `**` against `I256::checked_pow` at a few widths.
#[test]
fn signed_power_matches_rust_checked_pow() {
    let mut rng = Rng(0x519);
    for bits in [8u16, 32, 128, 256] {
        let min = I256::MIN.asr(256 - bits as usize);
        let mut lets = String::new();
        let (mut exprs, mut want, mut failing) = (Vec::new(), Vec::new(), None);
        for k in 0..8 {
            let magnitude = (rng.next_u64() % 12) as i64;
            let b = if rng.next_u64().is_multiple_of(2) {
                -magnitude
            } else {
                magnitude
            };
            let e = rng.next_u64() % u64::from(bits / 2 + 2);
            lets.push_str(&format!(
                "let b{k}: int{bits} = {b}\nlet e{k}: uint16 = {e}\n"
            ));
            match I256::try_from(b)
                .ok()
                .and_then(|b| b.checked_pow(U256::from(e)))
                .filter(|r| *r >= min && *r <= !min)
            {
                Some(r) => {
                    exprs.push(format!("b{k} ** e{k}"));
                    want.push(r.into_raw());
                }
                None => {
                    failing.get_or_insert(format!("b{k} ** e{k}"));
                }
            }
        }
        let src = format!("{lets}return {}", exprs.join(", "));
        assert_eq!(returns(&src), hex_words(&want), "int{bits}:\n{src}");
        if let Some(e) = failing {
            let reason = reverts(&format!("{lets}return {e}"));
            assert!(reason.contains("0x11"), "int{bits}: {e}: {reason}");
        }
    }
}

/// A tuple converts element by element: a tuple of tokens and a narrow integer is
/// accepted where a tuple of addresses and `uint256` is expected, with the same words
/// (the Morpho example passes `(USDC, WETH, …)` as its market struct).
#[test]
fn tuples_convert_element_by_element() {
    let src = r#"
use std::ethereum::{USDC, WETH}

fn id(p: (address, address, uint256)) -> bytes32 {
    return keccak256(abi.encode(p))
}

let narrow: uint8 = 7
let t = (USDC, WETH, narrow)
return id(t) == keccak256(abi.encode(address(USDC), address(WETH), 7))
"#;
    assert_eq!(returns(src), hex_words(&[U256::from(1)]));
}

/// An empty array literal is a valid ABI value (an offset and a length of 0), as a
/// `let` (typed or not), a return value and an argument of `abi.encode`.
#[test]
fn empty_array_literals() {
    let empty = hex_words(&[U256::from(0x20), U256::ZERO]);
    assert_eq!(returns("let x: uint256[] = []\nreturn x"), empty);
    assert_eq!(
        returns("let x: address[] = []\nreturn 7, x, 9"),
        hex_words(&[U256::from(7), U256::from(0x60), U256::from(9), U256::ZERO])
    );
    assert_eq!(returns("let x = []\nreturn x"), empty);
    assert_eq!(
        returns("let x: uint256[] = []\nreturn keccak256(abi.encode(x)) == keccak256(abi.encode(0x20, 0))"),
        hex_words(&[U256::from(1)])
    );
}

/// `block.timestamp` on the devnet: run-time values are derived from it, so that nothing
/// is folded at compile time.
const NOW: &str = "let z = block.timestamp - 1730000000\n";

#[test]
fn narrow_arithmetic_keeps_its_width_when_its_result_is_widened() {
    // `a + a` on a `uint8` overflows at 255 whatever it is stored in or passed to.
    let a = format!("{NOW}let a: uint8 = (z + 255) as uint8\n");
    for tail in [
        "let r: uint256 = a + a\nreturn r",
        "return (a + a) as uint256",
        "let b: uint16 = 1\nreturn b + (a + a)",
        "let mut m: uint256 = 0\nm += a + a\nreturn m",
        "let r: uint256 = a ** 2\nreturn r",
    ] {
        assert_eq!(
            reverts(&format!("{a}{tail}\n")),
            "panic 0x11 (arithmetic overflow)",
            "{tail}"
        );
    }
    // Signed: -(-128), -128 / -1 and 2 ** 7 do not fit an int8.
    let c = format!("{NOW}let c: int8 = (z as int8) + (-128)\nlet d: int8 = (z as int8) + 2\n");
    for tail in [
        "return (-c) as int16",
        "return (c / (-1)) as int16",
        "return (d ** 7) as int16",
    ] {
        assert_eq!(
            reverts(&format!("{c}{tail}\n")),
            "panic 0x11 (arithmetic overflow)",
            "{tail}"
        );
    }
    // `<<` works at its operand's width and never reverts.
    let shl = format!("{NOW}let a: uint16 = (z + 1) as uint16\nreturn (a << 16) as uint32\n");
    assert_eq!(returns(&shl), hex_words(&[U256::ZERO]));
    let neg = format!("{NOW}let c: int16 = (z as int16) + 3\nreturn (c << 15) as int256\n");
    assert_eq!(returns(&neg), hex_words(&[int(-32768)]));
}

#[test]
fn array_literals_are_dynamic_arrays_where_one_is_wanted() {
    let at = "fn at(xs: uint256[], i: uint256) -> uint256 {\n    return xs[i]\n}\n";
    // A literal argument, a fixed-size variable, and a literal returned as `T[]`.
    let src = format!(
        "{at}{NOW}let a = [z + 10, z + 20, z + 30]\nreturn at([z + 10, z + 20, z + 30], 0), at(a, 2)\n"
    );
    assert_eq!(returns(&src), hex_words(&[U256::from(10), U256::from(30)]));
    let mk = format!(
        "fn mk(a: uint256) -> uint256[] {{\n    return [a, a + 1]\n}}\n{NOW}let m = mk(z + 10)\nreturn m[0], m[1]\n"
    );
    assert_eq!(returns(&mk), hex_words(&[U256::from(10), U256::from(11)]));
    // Declared `uint256[]`: encoded with its offset and length.
    let enc = format!("{NOW}let xs: uint256[] = [z + 1, z + 2]\nreturn abi.encode(xs)\n");
    let want = hex_words(&[
        U256::from(0x20),
        U256::from(0x80),
        U256::from(0x20),
        U256::from(2),
        U256::from(1),
        U256::from(2),
    ]);
    assert_eq!(returns(&enc), want);
}

#[test]
fn min_and_max_type_a_literal_by_the_other_operand_on_either_side() {
    let src = format!(
        "{NOW}let c: int8 = (z as int8) - 1\nlet a: uint8 = (z + 9) as uint8\nlet r: uint8 = min(5, a)\nreturn min(5, c), max(-3, c), r\n"
    );
    assert_eq!(returns(&src), hex_words(&[int(-1), int(-1), U256::from(5)]));
}

#[test]
fn signed_constant_arithmetic_is_computed_and_checked_at_compile_time() {
    // In range: computed once, the same value as at run time.
    let ok = "let c: int16 = -300 + 5\nreturn c, (-7) / 2, (-7) % 2\n";
    assert_eq!(returns(ok), hex_words(&[int(-295), int(-3), int(-1)]));
    // Out of range, or by zero: refused before anything runs.
    for src in [
        "let x: int8 = 100 + 100\nreturn x\n",
        "let x: int8 = -100 - 100\nreturn x\n",
        "let x: int8 = 5 / 0\nreturn x\n",
    ] {
        let req = nest_driver::CompileRequest {
            name: "test.ns",
            text: src,
            resolver: &RepoResolver,
            params: &[],
        };
        let Err(f) = nest_driver::compile(&req) else {
            panic!("{src}: compiled");
        };
        assert!(
            f.diagnostics.iter().any(|d| d.code == "E0316"),
            "{src}: {:?}",
            f.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
        );
    }
}
