//! Nest scripts against the devnet's second ERC-4626 vault (steakUSDC over USDC, 1.05 USDC
//! a share) and the Compound III views `IComet` declares (`getPrice`, `baseTokenPriceFeed`,
//! `numAssets`, `getAssetInfo`, `getAssetInfoByAddress`): they compile with their amounts
//! typed, run, and the report shows what they returned and moved.

use nest_devnet::Report;
use nest_tests::dry_run_text;
use serde_json::Value;

fn returned(r: &Report) -> Vec<String> {
    assert!(r.success, "reverted: {:?}\n{}", r.revert, r.render(false));
    r.return_values
        .as_ref()
        .unwrap_or_else(|| panic!("no return values\n{}", r.render(false)))
        .iter()
        .flat_map(|v| match v {
            // A returned tuple is one array of its values.
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        })
        .map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect()
}

fn int(s: &str) -> u128 {
    s.parse()
        .unwrap_or_else(|e| panic!("`{s}` is not an integer: {e}"))
}

fn delta(r: &Report, symbol: &str) -> Option<String> {
    r.asset_changes
        .iter()
        .find(|a| a.symbol == symbol)
        .map(|a| a.delta.clone())
}

const DEPOSIT: &str = "
use std::ethereum::{USDC, STEAKUSDC}
use std::erc4626::IERC4626

const STEAK = IERC4626(STEAKUSDC)

let expected: STEAKUSDC = STEAK.previewDeposit(100 USDC)
with approve(USDC, STEAK, 100 USDC) {
    let shares: STEAKUSDC = STEAK.deposit(100 USDC, self)
    require(shares == expected, \"preview\")
    let worth: USDC = STEAK.previewRedeem(shares)
    return (shares, worth)
}
";

#[test]
fn a_usdc_deposit_into_steakusdc_returns_shares_worth_the_usdc() {
    let r = dry_run_text(DEPOSIT);
    let values = returned(&r);
    let (shares, worth) = (int(&values[0]), int(&values[1]));
    // 100 USDC at 1.05 USDC a share: 95.238… shares of 18 decimals, not 100 of 6.
    let exact = 100_000_000u128 * 1_000_000_000_000 * 100 / 105;
    assert!(
        shares <= exact && shares + 1_000_000_000_000 > exact,
        "{shares} shares, about {exact} expected"
    );
    // Rounding down twice loses at most one USDC base unit.
    assert!(worth == 99_999_999 || worth == 100_000_000, "{worth}");
    assert_eq!(delta(&r, "USDC").as_deref(), Some("-100000000"));
    assert_eq!(delta(&r, "steakUSDC"), Some(shares.to_string()));
    assert!(r.allowances_left.is_empty(), "{:?}", r.allowances_left);
}

#[test]
fn redeeming_every_share_gives_back_the_usdc_less_rounding() {
    let r = dry_run_text(
        "
use std::ethereum::{USDC, STEAKUSDC}
use std::erc4626::IERC4626

const STEAK = IERC4626(STEAKUSDC)

let before = balance(STEAKUSDC)
with approve(USDC, STEAK, 1_000 USDC) {
    STEAK.deposit(1_000 USDC, self)
}
let shares: STEAKUSDC = balance(STEAKUSDC) - before
let back: USDC = STEAK.redeem(shares, self, self)
return (shares, back)
",
    );
    let values = returned(&r);
    let back = int(&values[1]);
    assert!(back == 999_999_999 || back == 1_000_000_000, "{back}");
    // The vault's shares end where they started; USDC moves by the rounding only.
    assert_eq!(delta(&r, "steakUSDC"), None, "{}", r.render(false));
    let lost = 1_000_000_000 - back;
    let usdc = delta(&r, "USDC");
    if lost == 0 {
        assert_eq!(usdc, None);
    } else {
        assert_eq!(usdc, Some(format!("-{lost}")));
    }
    let text = r.render(false);
    let withdraws = text
        .lines()
        .filter(|l| l.trim_start().starts_with("steakUSDC Withdraw("))
        .count();
    assert_eq!(withdraws, 1, "{text}");
}

#[test]
fn a_share_amount_is_not_an_asset_amount() {
    let text = "
use std::ethereum::{USDC, STEAKUSDC}
use std::erc4626::IERC4626
let s: USDC = IERC4626(STEAKUSDC).deposit(100 USDC, self)
";
    let req = nest_driver::CompileRequest {
        name: "test.ns",
        text,
        resolver: &nest_tests::RepoResolver,
        params: &[],
    };
    let failed = match nest_driver::compile(&req) {
        Ok(_) => panic!("a STEAKUSDC amount was taken for USDC"),
        Err(f) => f.to_string(),
    };
    assert!(failed.contains("E0302"), "{failed}");
}

#[test]
fn comet_answers_its_price_and_asset_views() {
    let r = dry_run_text(
        "
use std::ethereum::{USDC, WETH, COMPOUND_V3_USDC}

const COMET = COMPOUND_V3_USDC

let n = COMET.numAssets()
let feed = COMET.baseTokenPriceFeed()
let base_price = COMET.getPrice(feed)
let first = COMET.getAssetInfo(0)
let weth = COMET.getAssetInfoByAddress(WETH)
let cap: WETH = weth.supplyCap
require(first.asset == WETH, \"first asset\")
return (n, base_price, COMET.getPrice(weth.priceFeed), first.offset, first.scale,
        first.borrowCollateralFactor, first.liquidateCollateralFactor,
        first.liquidationFactor, cap, weth.offset)
",
    );
    let v = returned(&r);
    let n = int(&v[0]);
    assert!(n >= 1, "{n} assets");
    assert_eq!(int(&v[1]), 100_000_000, "USDC at 1 USD, 8 decimals");
    assert_eq!(int(&v[2]), 300_000_000_000, "WETH at 3,000 USD, 8 decimals");
    assert_eq!(int(&v[3]), 0);
    assert_eq!(
        int(&v[4]),
        1_000_000_000_000_000_000,
        "10^18: WETH's decimals"
    );
    let (borrow, liquidate) = (int(&v[5]), int(&v[6]));
    assert_eq!(borrow, 825_000_000_000_000_000);
    assert!(borrow < liquidate && liquidate < 1_000_000_000_000_000_000);
    assert_eq!(int(&v[7]), 0, "no liquidations on the devnet");
    assert!(int(&v[8]) > 0);
    assert_eq!(int(&v[9]), 0, "WETH is the first asset");
    assert!(r.asset_changes.is_empty());
    // The feeds are the devnet's Chainlink feeds at their mainnet addresses.
    let text = r.render(false);
    assert!(
        text.contains("baseTokenPriceFeed() → (Chainlink USDC/USD)"),
        "{text}"
    );
    assert!(
        text.contains("getPrice(priceFeed: Chainlink ETH/USD) → (300000000000)"),
        "{text}"
    );
}

#[test]
fn comet_asset_info_of_an_unlisted_asset_reverts_with_bad_asset() {
    let r = dry_run_text(
        "
use std::ethereum::{USDC, COMPOUND_V3_USDC}
let info = COMPOUND_V3_USDC.getAssetInfoByAddress(USDC)
return info.supplyCap
",
    );
    assert!(!r.success);
    let text = r.render(false);
    assert!(text.contains("BadAsset"), "{text}");
}
