//! The canonical layout on small inputs, as snapshots.

fn fmt(text: &str) -> String {
    match nest_fmt::format(text) {
        Ok(out) => out,
        Err(e) => panic!("{e}: {e:?}"),
    }
}

#[test]
fn spacing_indentation_and_blocks() {
    let src = r#"//! Doc at the top.
use std::ethereum::{ USDC,WETH , UNISWAP_V2_ROUTER }
param amount:USDC=1_000 USDC



/// Quote some WETH.
fn quote(a:USDC)->WETH{ return UNISWAP_V2_ROUTER.getAmountsOut(a,[USDC,WETH])[1] as WETH }
let x=-1+2*3 // trailing comment
let mut y = ! true && (x>= 2||x<-3)
if x>1{y=false}
else if x<0 { y = true } else {
        y=~x == 0
}
for t in [USDC , WETH]{ /* inline */ let b=balance(t) }
for i in 0..3 {}
with approve(USDC,UNISWAP_V2_ROUTER,amount){ let q = WETH_TOKEN.deposit{value:1 ether}() }
let total = x
    + 2
let a = 1; let b = 2
return x , y
"#;
    insta::assert_snapshot!(fmt(src));
}

#[test]
fn long_calls_wrap_one_argument_per_line() {
    let src = "let amounts = UNISWAP_V2_ROUTER.swapExactTokensForTokens(amount, min_out, [USDC, WETH], self, block.timestamp + 600)\nlet short = f(\n    a,\n    b)\n";
    insta::assert_snapshot!(fmt(src));
}

#[test]
fn interfaces_and_attributes() {
    let src = r#"interface IERC721 {
    /// Let `operator` move every token.
    #[grants(revoke=setApprovalForAll(operator,false))]
    function setApprovalForAll(address operator,bool approved);
    function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256 deadline) external returns (uint256[] memory amounts);
}
interface IPool=abi("abi/pool.json")
token USDC=0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48,decimals 6
"#;
    insta::assert_snapshot!(fmt(src));
}

#[test]
fn interface_errors() {
    let src = r#"interface IComet {
    /// Borrowing would leave the account under-collateralised.
    error NotCollateralized( ) ;
        error   AllowanceExpired(uint256 deadline,address);
    function withdraw(address asset,uint256 amount);
}
"#;
    insta::assert_snapshot!(fmt(src), @r#"
    interface IComet {
        /// Borrowing would leave the account under-collateralised.
        error NotCollateralized();
        error AllowanceExpired(uint256 deadline, address);
        function withdraw(address asset, uint256 amount);
    }
    "#);
}

#[test]
fn comments_stay_where_they_are() {
    let src = "// leading\nlet x = f(\n    1, // one\n    2 /* two */,\n)\n/* block\n   over lines */\nlet y = x // end\n";
    insta::assert_snapshot!(fmt(src));
}

/// Formats `src`, checks that the result formats to itself, and returns it.
fn fmt_twice(src: &str) -> String {
    let once = fmt(src);
    assert_eq!(fmt(&once), once, "not idempotent");
    once
}

#[test]
fn an_attribute_that_fits_stays_on_one_line() {
    let src = "interface I {\n    #[units( amount=asset,returns=asset )]\n    function f(address asset, uint256 amount) returns (uint256);\n}\n";
    insta::assert_snapshot!(fmt_twice(src), @r"
    interface I {
        #[units(amount = asset, returns = asset)]
        function f(address asset, uint256 amount) returns (uint256);
    }
    ");
}

#[test]
fn a_long_attribute_wraps_its_arguments_like_a_call() {
    // `#[units(` and `)]` stay together: the arguments are wrapped, not the brackets.
    let src = "interface IPoolDataProvider {\n    #[units(currentATokenBalance = asset, currentStableDebt = asset, currentVariableDebt = asset, principalStableDebt = asset)]\n    function getUserReserveData(address asset, address user);\n}\n";
    insta::assert_snapshot!(fmt_twice(src), @r"
    interface IPoolDataProvider {
        #[units(
            currentATokenBalance = asset,
            currentStableDebt = asset,
            currentVariableDebt = asset,
            principalStableDebt = asset
        )]
        function getUserReserveData(address asset, address user);
    }
    ");
    // However the author broke it, the layout is the same.
    let broken = "interface IPoolDataProvider {\n    #[\n        units(\n            currentATokenBalance = asset,\n            currentStableDebt = asset,\n            currentVariableDebt = asset,\n            principalStableDebt = asset\n        )\n    ]\n    function getUserReserveData(address asset, address user);\n}\n";
    assert_eq!(fmt_twice(broken), fmt(src));
}

#[test]
fn a_long_attribute_with_nested_parentheses() {
    // The one argument fits once wrapped; the second attribute's call is wrapped too.
    let src = "interface IERC721 {\n#[grants(revoke = setApprovalForAllOperators(operatorWithALongName, approvedForEveryToken, false))]\nfunction setApprovalForAll(address operator, bool approved);\n#[grants(revoke = setApprovalForAll(operatorWithAVeryLongName, approvedForEveryTokenOfTheCollection, false))]\nfunction other();\n}\n";
    insta::assert_snapshot!(fmt_twice(src), @r"
    interface IERC721 {
        #[grants(
            revoke = setApprovalForAllOperators(operatorWithALongName, approvedForEveryToken, false)
        )]
        function setApprovalForAll(address operator, bool approved);
        #[grants(
            revoke = setApprovalForAll(
                operatorWithAVeryLongName,
                approvedForEveryTokenOfTheCollection,
                false
            )
        )]
        function other();
    }
    ");
}
