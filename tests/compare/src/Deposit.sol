// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.28;

import {IERC20, IERC4626} from "./Interfaces.sol";

/// balanceOf → approve → ERC-4626 deposit → revoke: deposit the vault's whole DAI balance
/// into sDAI, the same steps as `deposit.ns`.
///
/// Natively the vault DELEGATECALLs it with `run()`; in the HyVM the runtime code is the
/// guest and gets no calldata, so it enters through the fallback. Both run `_run`.
contract Deposit {
    address private constant DAI = 0x6B175474E89094C44Da98b954EedeAC495271d0F;
    address private constant SDAI = 0x83F20F44975D03b1b09e64809B757c47f942BEeA;

    function run() external {
        _run();
    }

    fallback() external {
        _run();
    }

    function _run() private {
        uint256 amount = IERC20(DAI).balanceOf(address(this));
        IERC20(DAI).approve(SDAI, amount);
        IERC4626(SDAI).deposit(amount, address(this));
        IERC20(DAI).approve(SDAI, 0);
    }
}
