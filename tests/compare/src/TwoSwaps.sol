// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.28;

import {IERC20, IUniswapV2Router} from "./Interfaces.sol";

/// approve → swap USDC→WETH → approve → swap WETH→DAI → check → revoke ×2, written the
/// way a Solidity developer would: the same steps as `two_swaps.ns`, parameters baked
/// in as constants.
///
/// Natively the vault DELEGATECALLs it with `run()`; in the HyVM the runtime code is the
/// guest and gets no calldata, so it enters through the fallback. Both run `_run`.
contract TwoSwaps {
    address private constant USDC = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48;
    address private constant WETH = 0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2;
    address private constant DAI = 0x6B175474E89094C44Da98b954EedeAC495271d0F;
    IUniswapV2Router private constant ROUTER = IUniswapV2Router(0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D);
    uint256 private constant AMOUNT = 10_000e6;
    uint256 private constant MIN_OUT = 9_900e18;

    function run() external {
        _run();
    }

    fallback() external {
        _run();
    }

    function _run() private {
        IERC20(USDC).approve(address(ROUTER), AMOUNT);
        address[] memory path = new address[](2);
        path[0] = USDC;
        path[1] = WETH;
        uint256 weth = ROUTER.swapExactTokensForTokens(AMOUNT, 0, path, address(this), block.timestamp)[1];
        IERC20(WETH).approve(address(ROUTER), weth);
        path[0] = WETH;
        path[1] = DAI;
        uint256 dai = ROUTER.swapExactTokensForTokens(weth, MIN_OUT, path, address(this), block.timestamp)[1];
        require(dai >= MIN_OUT, "slippage");
        IERC20(WETH).approve(address(ROUTER), 0);
        IERC20(USDC).approve(address(ROUTER), 0);
    }
}
