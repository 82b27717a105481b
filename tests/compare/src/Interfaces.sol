// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.28;

/// The ERC-20 functions the strategies call.
interface IERC20 {
    function balanceOf(address account) external view returns (uint256);
    function approve(address spender, uint256 amount) external returns (bool);
}

/// The Uniswap V2 Router02 function the swap strategy calls.
interface IUniswapV2Router {
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);
}

/// The ERC-4626 function the deposit strategy calls.
interface IERC4626 {
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);
}
