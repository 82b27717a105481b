//! Values users write (issue 13), end to end: the limits of a type (`uint256.max`,
//! `int8.min`, `USDC.max`), fixed-point quantities (`fixed(1.6, 18)`), and
//! conversions between `bytesN` and `uintN` of the same size, known at compile time
//! and computed at run time. Each script is dry-run on the devnet at `-O0` and at the
//! default level; both must return the same data, which is asserted word by word.

use alloy_primitives::U256;
use nest_driver::{CompileRequest, OptLevel};
use nest_tests::{dry_run_at, RepoResolver};

/// A value the compiler cannot know: 0 at the devnet's block time, 1730000000.
const Z: &str = "let z = block.timestamp - 1730000000\n";

/// The return data of a script that must succeed, the same at `-O0` and `-O1`.
fn returns(src: &str) -> String {
    let mut out = Vec::new();
    for level in [OptLevel::O0, OptLevel::O1] {
        let r = dry_run_at(src, level);
        assert!(r.success, "{src} at {level:?}: reverted: {:?}", r.revert);
        out.push(r.return_data);
    }
    assert_eq!(out[0], out[1], "{src}: -O0 and -O1 differ");
    out.remove(1)
}

fn words(ws: &[U256]) -> String {
    let mut s = String::from("0x");
    for w in ws {
        s.push_str(&format!("{w:064x}"));
    }
    s
}

fn hex_word(h: &str) -> U256 {
    U256::from_str_radix(h, 16).expect("hex")
}

#[test]
fn type_limits_are_the_values_of_their_types() {
    let got = returns(
        "use std::ethereum::{USDC}\nreturn uint8.max, uint256.max, int8.min, int256.max, USDC.max, uint64.min",
    );
    let int8_min = U256::from(128u32).wrapping_neg();
    assert_eq!(
        got,
        words(&[
            U256::from(255u32),
            U256::MAX,
            int8_min,
            U256::MAX >> 1,
            U256::MAX,
            U256::ZERO,
        ])
    );
    // At run time too: compared with a value the compiler does not know.
    let got = returns(&format!(
        "{Z}let cap: uint16 = uint16.max\nlet x = (z + 300) as uint16\nreturn min(cap, x), max(cap, x)"
    ));
    assert_eq!(got, words(&[U256::from(300u32), U256::from(65535u32)]));
}

#[test]
fn fixed_point_quantities_are_exact() {
    let wad = U256::from(10u64).pow(U256::from(18));
    let got = returns("return fixed(1.6, 18), fixed(1, 27), fixed(0.000001, 6), fixed(2.50, 1)");
    assert_eq!(
        got,
        words(&[
            U256::from(16u32) * wad / U256::from(10u32),
            U256::from(10u64).pow(U256::from(27)),
            U256::from(1u32),
            U256::from(25u32),
        ])
    );
    // A health factor compared at run time.
    let got = returns(&format!(
        "{Z}let hf = fixed(1.6, 18) + z\nreturn hf > fixed(1.5, 18), hf < 2 * 10 ** 18"
    ));
    assert_eq!(got, words(&[U256::from(1u8), U256::from(1u8)]));
}

#[test]
fn bytes_and_integers_of_one_size_convert_both_ways() {
    // Known at compile time: `bytes4` is left-aligned in its word, `uint32` right-aligned.
    let got = returns("let s = 0x095ea7b3 as bytes4\nreturn s, s as uint32");
    assert_eq!(
        got,
        words(&[hex_word("095ea7b3") << 224, hex_word("095ea7b3"),])
    );
    // Computed at run time, one way and back.
    let got = returns(&format!(
        "{Z}let n: uint32 = (z + 0x095ea7b3) as uint32\nlet b = n as bytes4\nlet back = b as uint32\nreturn b, back, back == n"
    ));
    assert_eq!(
        got,
        words(&[
            hex_word("095ea7b3") << 224,
            hex_word("095ea7b3"),
            U256::from(1u8),
        ])
    );
    // `bytes32` and `uint256` are the same word.
    let got = returns(&format!(
        "{Z}let h = keccak256(abi.encode(7))\nlet x = h as uint256\nreturn x, (x + z) as bytes32 == h"
    ));
    let h = alloy_primitives::keccak256(U256::from(7u8).to_be_bytes::<32>());
    assert_eq!(got, words(&[U256::from_be_bytes(h.0), U256::from(1u8)]));
    // A one-byte value.
    let got = returns(&format!(
        "{Z}let b = (z + 0xab) as uint8 as bytes1\nreturn b, b as uint8"
    ));
    assert_eq!(got, words(&[hex_word("ab") << 248, hex_word("ab")]));
}

#[test]
fn returned_amounts_are_reported_with_their_token() {
    let src = "use std::ethereum::{USDC, WETH}\nlet x: WETH = 332.326706738800961 WETH\nreturn x, 7, [1.5 USDC, 2 USDC], 0x095ea7b3 as bytes4";
    let c = nest_driver::compile(&CompileRequest {
        name: "test.ns",
        text: src,
        resolver: &RepoResolver,
        params: &[],
    })
    .unwrap_or_else(|f| panic!("{f}"));
    // The artifact keeps the unit beside each ABI type.
    let artifact = serde_json::to_value(&c.artifact).expect("artifact");
    assert_eq!(
        artifact["return_types"],
        serde_json::json!(["uint256", "uint256", "uint256[2]", "bytes4"])
    );
    let units = &artifact["return_units"];
    assert_eq!(units[0]["token"], "WETH");
    assert_eq!(units[0]["decimals"], 18);
    assert_eq!(
        units[0]["address"],
        "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"
    );
    assert!(units[1].is_null() && units[3].is_null());
    assert_eq!(units[2]["token"], "USDC");
    assert_eq!(units[2]["decimals"], 6);

    let r = nest_tests::dry_run_text(src);
    assert!(r.success);
    // JSON: `return` keeps the base units, `return_units` says what they count.
    let json = r.to_json();
    assert_eq!(
        json["return"],
        serde_json::json!([
            "332326706738800961000",
            "7",
            ["1500000", "2000000"],
            "0x095ea7b3"
        ])
    );
    assert_eq!(json["return_units"][0]["token"], "WETH");
    assert!(json["return_units"][1].is_null());
    // The human report speaks in tokens.
    let text = r.render(false);
    assert!(
        text.contains("return 332.326706738800961 WETH, 7, [1.5 USDC, 2 USDC], 0x095ea7b3"),
        "{text}"
    );

    // Without a returned amount, the JSON has no `return_units`.
    let plain = nest_tests::dry_run_text("return 7").to_json();
    assert!(plain.get("return_units").is_none(), "{plain}");
    // Nor when the run reverted: nothing was returned.
    let reverted = nest_tests::dry_run_text(
        "use std::ethereum::{USDC}\nlet x = balance(USDC)\nrequire(x == 0 USDC, \"has USDC\")\nreturn x",
    );
    assert!(!reverted.success);
    let json = reverted.to_json();
    assert!(json.get("return_units").is_none(), "{json}");
}

/// The artifact's grants of a script.
fn grants(src: &str) -> serde_json::Value {
    let c = nest_driver::compile(&CompileRequest {
        name: "test.ns",
        text: src,
        resolver: &RepoResolver,
        params: &[],
    })
    .unwrap_or_else(|f| panic!("{f}"));
    serde_json::to_value(&c.artifact).expect("artifact")["grants"].clone()
}

#[test]
fn a_loop_tokens_grants_are_named_by_the_tokens_it_may_be() {
    // Each unrolled copy of the body grants on its own token, even inside a branch
    // (revoked from the journal).
    let g = grants(
        "use std::ethereum::{USDC, DAI, UNISWAP_V2_ROUTER}\nfor t in [USDC, DAI] {\n    let amount = balance(t) / 2\n    if amount > 0 {\n        approve(t, UNISWAP_V2_ROUTER, amount)\n    }\n}\n",
    );
    let usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
    let dai = "0x6B175474E89094C44Da98b954EedeAC495271d0F";
    assert_eq!(g.as_array().map(Vec::len), Some(2), "{g}");
    assert_eq!(g[0]["target"], usdc);
    assert_eq!(g[1]["target"], dai);
    for x in g.as_array().into_iter().flatten() {
        let revoke = x["revoke"].as_str().unwrap_or_default();
        assert!(!revoke.contains('%'), "a temporary in {revoke}");
        assert!(x.get("may_be").is_none());
    }
    assert!(g[0]["revoke"]
        .as_str()
        .is_some_and(|r| r.starts_with(&format!("force_approve({}", usdc.to_lowercase()))));

    // A variable that is one token or another on different paths: both are named.
    let g = grants(
        "use std::ethereum::{USDC, DAI}\nuse std::erc20::{IERC20}\nlet mut t: address = USDC\nif block.number > 1 {\n    t = DAI\n}\nIERC20(t).approve(0x000000000000000000000000000000000000dEaD, 5)\n",
    );
    assert_eq!(g[0]["target"], "dynamic", "{g}");
    assert_eq!(g[0]["may_be"], serde_json::json!([dai, usdc]), "{g}");

    // A token read at run time stays unnamed.
    let g = grants(
        "use std::ethereum::{USDC, DAI}\nuse std::erc20::{IERC20}\nlet xs = [USDC, DAI]\nlet t = xs[block.number % 2]\nIERC20(t).approve(0x000000000000000000000000000000000000dEaD, 5)\n",
    );
    assert_eq!(g[0]["target"], "dynamic", "{g}");
    assert!(g[0].get("may_be").is_none(), "{g}");
}
