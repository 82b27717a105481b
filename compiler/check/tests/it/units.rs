//! Units bound across calls (`#[units]`, `#[views]`): amounts keep their token through
//! protocol calls. Each test checks a script; a declared type (`let x: USDC = call(…)`)
//! is an assertion the checker makes: an amount of another token, or a plain
//! `uint256`, would be `E0302`.

use nest_check::hir::{AmountPlace, TokenSource};
use nest_check::{check, CheckInput, CheckOutput, MemoryResolver};
use nest_diagnostics::{has_errors, render_plain};

fn run(text: &str, resolver: &MemoryResolver) -> CheckOutput {
    check(&CheckInput {
        name: "units_test.ns",
        text,
        resolver,
        params: &[],
        require_params: false,
        index: false,
    })
}

/// The codes of the errors a script gets (empty when it compiles).
fn errors_with(text: &str, resolver: &MemoryResolver) -> Vec<String> {
    let out = run(text, resolver);
    let codes: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == nest_diagnostics::Severity::Error)
        .map(|d| d.code.to_string())
        .collect();
    assert_eq!(
        codes.is_empty(),
        out.program.is_some() && !has_errors(&out.diagnostics),
        "{}",
        render_plain(&out.diagnostics, &out.sources)
    );
    codes
}

fn errors(text: &str) -> Vec<String> {
    errors_with(text, &MemoryResolver::new())
}

fn compiles(text: &str) {
    let out = run(text, &MemoryResolver::new());
    assert!(
        out.program.is_some() && !has_errors(&out.diagnostics),
        "does not compile:\n{text}\n{}",
        render_plain(&out.diagnostics, &out.sources)
    );
}

const HEAD: &str = "use std::ethereum::{USDC, USDT, DAI, WETH, STETH, WSTETH, SDAI, AAVE_V3_POOL, \
    AAVE_V3_DATA_PROVIDER, UNISWAP_V2_ROUTER, UNISWAP_V3_ROUTER, UNISWAP_V3_QUOTER, PERMIT2, \
    COMPOUND_V3_USDC, MORPHO_BLUE}\nuse std::erc4626::IERC4626\nuse std::lido::IWstETH\n";

fn script(body: &str) -> String {
    format!("{HEAD}{body}\n")
}

#[test]
fn bound_returns_are_amounts_of_their_token() {
    compiles(&script(
        "let a: USDC = AAVE_V3_POOL.withdraw(USDC, 10 USDC, self)
         let b: DAI = AAVE_V3_POOL.repay(DAI, 5 DAI, 2, self)
         let c: WETH = AAVE_V3_DATA_PROVIDER.getUserReserveData(WETH, self).currentATokenBalance
         let d: USDC = COMPOUND_V3_USDC.borrowBalanceOf(self)
         let e: SDAI = IERC4626(SDAI).deposit(100 DAI, self)
         let f: DAI = IERC4626(SDAI).previewRedeem(e)
         let g: WSTETH = IWstETH(WSTETH).getWstETHByStETH(1 STETH)
         let h: WETH = UNISWAP_V3_QUOTER.quoteExactInputSingle((USDC, WETH, 100 USDC, 500, 0)).amountOut
         let i: USDC = PERMIT2.allowance(self, USDC, self).amount
         let r = MORPHO_BLUE.borrow((USDC, WETH, self, self, 1), 1 USDC, 0, self, self)
         let j: USDC = r.assetsBorrowed
         return a, b, c, d, e, f, g, h, i, j",
    ));
    // The same returns are no longer plain integers.
    assert_eq!(
        errors(&script(
            "let a: uint256 = AAVE_V3_POOL.withdraw(USDC, 10 USDC, self)"
        )),
        ["E0302"]
    );
    assert_eq!(
        errors(&script(
            "let s: DAI = IERC4626(SDAI).deposit(100 DAI, self)"
        )),
        ["E0302"]
    );
}

#[test]
fn an_array_of_amounts_follows_its_path() {
    compiles(&script(
        "let path = [USDC, WETH, DAI]
         let amounts = UNISWAP_V2_ROUTER.getAmountsOut(1_000 USDC, path)
         let first: USDC = amounts[0]
         let mid: WETH = amounts[1]
         let k = 2
         let by_local: DAI = amounts[k]
         let last: DAI = UNISWAP_V2_ROUTER.getAmountsOut(1_000 USDC, [USDC, WETH, DAI])[2]
         return first, mid, last, by_local",
    ));
    assert_eq!(
        errors(&script(
            "let amounts = UNISWAP_V2_ROUTER.getAmountsOut(1_000 USDC, [USDC, WETH])
             let w: DAI = amounts[1]"
        )),
        ["E0302"]
    );
}

#[test]
fn arguments_are_checked_against_their_token() {
    assert_eq!(
        errors(&script("AAVE_V3_POOL.supply(USDC, 1 WETH, self, 0)")),
        ["E0330"]
    );
    assert_eq!(
        errors(&script("AAVE_V3_POOL.supply(USDC, 1000, self, 0)")),
        ["E0331"]
    );
    assert_eq!(
        errors(&script(
            "let x = eth_balance()\nAAVE_V3_POOL.supply(USDC, x, self, 0)"
        )),
        ["E0332"]
    );
    assert_eq!(
        errors(&script(
            "UNISWAP_V2_ROUTER.swapExactTokensForTokens(1 USDC, 1 USDT, [USDC, WETH], self, 0)"
        )),
        ["E0330"]
    );
    assert_eq!(
        errors(&script(
            "UNISWAP_V3_ROUTER.exactInputSingle((USDC, WETH, 500, self, 5 DAI, 0, 0))"
        )),
        ["E0330"]
    );
    assert_eq!(
        errors(&script("IERC4626(SDAI).redeem(1 DAI, self, self)")),
        ["E0330"]
    );
    // A wrong amount hidden behind `as uint256` is still caught.
    assert_eq!(
        errors(&script(
            "AAVE_V3_POOL.supply(USDC, 1_000 DAI as uint256, self, 0)"
        )),
        ["E0330"]
    );
}

#[test]
fn zero_the_maximum_and_run_time_tokens_stay_accepted() {
    compiles(&script(
        "AAVE_V3_POOL.supply(USDC, 0, self, 0)
         let all = AAVE_V3_POOL.withdraw(USDC, ~0, self)
         AAVE_V3_POOL.repay(USDC, ~0, 2, self)
         for t in [USDC, USDT, DAI] {
             let b = IERC4626(t).balanceOf(self)
             AAVE_V3_POOL.supply(t, b, self, 0)
         }
         approve(USDC, PERMIT2, 10 USDC)
         PERMIT2.approve(USDC, self, 10 USDC, 0)
         PERMIT2.approve(USDC, self, ~0, 0)
         return all",
    ));
    // Permit2's `uint160` amount: the USDC amount is narrowed, a DAI one is refused.
    assert_eq!(
        errors(&script("PERMIT2.approve(USDC, self, 10 DAI as uint160, 0)")),
        ["E0330"]
    );
}

#[test]
fn user_interfaces_bind_fixed_tokens_arguments_and_views() {
    let text = format!(
        "{HEAD}
#[grants(none)]
interface IMyVault {{
    #[units(amount = USDC, returns = USDC)]
    function deposit(uint256 amount) external returns (uint256);
    #[units(amount = asset)]
    function pull(address asset, uint256 amount) external;
    #[units(amount = self.asset())]
    function give(uint256 amount) external;
    function asset() external view returns (address);
}}
#[views(asset = WETH)]
const VAULT = IMyVault(0x0000000000000000000000000000000000000042)
"
    );
    compiles(&format!(
        "{text}let got: USDC = VAULT.deposit(5 USDC)\nVAULT.pull(DAI, 1 DAI)\nVAULT.give(1 WETH)\nreturn got\n"
    ));
    assert_eq!(errors(&format!("{text}VAULT.deposit(5 DAI)\n")), ["E0330"]);
    assert_eq!(errors(&format!("{text}VAULT.give(1 DAI)\n")), ["E0330"]);
    // Without the declaration's `#[views]`, `self.asset()` is not known: no check.
    compiles(&format!(
        "{text}IMyVault(0x0000000000000000000000000000000000000043).give(7)\n"
    ));
}

#[test]
fn json_abi_interfaces_bind_on_the_interface() {
    let abi = r#"[{"type":"function","name":"supply","stateMutability":"nonpayable",
        "inputs":[{"name":"asset","type":"address"},{"name":"amount","type":"uint256"}],
        "outputs":[{"name":"","type":"uint256"}]}]"#;
    let mut resolver = MemoryResolver::new();
    resolver.add("pool.json", abi);
    let text = format!(
        "{HEAD}
#[grants(none)]
#[units(supply, amount = asset, returns = asset)]
interface IMarket = abi(\"./pool.json\")
const MARKET = IMarket(0x0000000000000000000000000000000000000042)
"
    );
    assert!(errors_with(
        &format!("{text}let x: USDC = MARKET.supply(USDC, 1 USDC)\nreturn x\n"),
        &resolver
    )
    .is_empty());
    assert_eq!(
        errors_with(&format!("{text}MARKET.supply(USDC, 1 WETH)\n"), &resolver),
        ["E0330"]
    );
}

#[test]
fn malformed_bindings_are_reported() {
    for (units, why) in [
        ("amount = shares", "not a parameter nor a token"),
        ("asset = asset", "not an amount"),
        ("amount = path", "a list for one amount"),
        ("amount = self.nothing()", "no such view"),
        ("amount = path[x]", "not an integer index"),
    ] {
        let text = format!(
            "interface I {{\n    #[units({units})]\n    function f(address asset, address[] path, uint256 amount) external;\n}}\n"
        );
        assert_eq!(errors(&text), ["E0333"], "{why}: {units}");
    }
}

#[test]
fn every_stdlib_amount_binding_resolves() {
    // The stdlib's bindings are resolved with its interfaces; count them per kind, so
    // that a binding silently dropped (a renamed parameter) fails here.
    let out = run(&script("return 0"), &MemoryResolver::new());
    let program = out.program.expect("the script compiles");
    let mut params = 0;
    let mut fields = 0;
    let mut returns = 0;
    let mut views = 0;
    for i in &program.interfaces {
        for f in i.functions.iter() {
            for b in &f.units {
                match b.place {
                    AmountPlace::Param(_) => params += 1,
                    AmountPlace::Field { .. } => fields += 1,
                    AmountPlace::Return(_) => returns += 1,
                }
                if matches!(b.source, TokenSource::CalleeView(_)) {
                    views += 1;
                }
            }
        }
    }
    // The interfaces `HEAD` loads (every module but erc20, weth, erc721, erc1155):
    // change these counts with the stdlib's bindings (IComet.getAssetInfoByAddress's
    // supplyCap is among the returns).
    assert_eq!(
        (params, fields, returns, views),
        (68, 10, 75, 22),
        "bound (parameters, struct fields, returns, through a view)"
    );
}

#[test]
fn struct_fields_are_checked_in_a_literal_and_through_a_let() {
    let text = format!(
        "{HEAD}
#[grants(none)]
interface IBox {{
    #[units(amount = order.asset)]
    function put((address asset, uint256 amount) order) external;
}}
const BOX = IBox(0x0000000000000000000000000000000000000042)
"
    );
    compiles(&format!(
        "{text}let o = (USDC, 5 USDC)\nBOX.put(o)\nBOX.put((DAI, 0))\n"
    ));
    assert_eq!(errors(&format!("{text}BOX.put((USDC, 1000))\n")), ["E0331"]);
    assert_eq!(
        errors(&format!("{text}let o = (USDC, 1000)\nBOX.put(o)\n")),
        ["E0331"]
    );
    assert_eq!(
        errors(&format!("{text}let o = (USDC, 5 DAI)\nBOX.put(o)\n")),
        ["E0330"]
    );
}

#[test]
fn an_address_two_tokens_share_names_neither() {
    // Base and Optimism declare WETH at the same predeploy address: a contract made
    // from that address is not known to be either token, so its amounts stay plain.
    compiles(
        "use std::base::{WETH as BASE_WETH}
use std::optimism::{WETH as OP_WETH}
use std::erc20::IERC20
IERC20(BASE_WETH).transfer(0x000000000000000000000000000000000000dEaD, 1 OP_WETH)
let b = IERC20(OP_WETH).balanceOf(self)
let plain: uint256 = b
return plain
",
    );
    // With one of them only, the binding applies.
    assert_eq!(
        errors(
            "use std::base::{WETH, USDC}
use std::erc20::IERC20
IERC20(WETH).transfer(0x000000000000000000000000000000000000dEaD, 1 USDC)
"
        ),
        ["E0330"]
    );
}
