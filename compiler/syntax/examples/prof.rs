//! TEMPORARY profiling driver.
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let mut out = String::from("use std::ethereum::{USDC, WETH}\ninterface IRouter {\n    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);\n}\n");
    for i in 0..n / 3 {
        out.push_str(&format!("let q{i} = ROUTER.getAmountsOut(amount + {i} USDC, [USDC, WETH])[1]\n"));
        out.push_str(&format!("total += q{i} / ({i} + 1)\n"));
        out.push_str(&format!("if total > {i} {{ require(q{i} > 0, \"zero quote {i}\") }}\n"));
    }
    let reps: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    for _ in 0..reps {
        let t = std::time::Instant::now();
        let r = nest_syntax::parse(nest_diagnostics::FileId(0), &out);
        eprintln!("{:?} {}", t.elapsed(), r.1.len());
    }
}
