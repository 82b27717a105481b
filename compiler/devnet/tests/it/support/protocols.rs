//! The Curve 3pool, Compound III (Comet) and Morpho Blue interfaces the protocol tests
//! drive, as the fixtures implement them.

use alloy_sol_types::sol;

sol! {
    interface ICurve {
        function coins(uint256 i) external view returns (address);
        function balances(uint256 i) external view returns (uint256);
        function get_virtual_price() external view returns (uint256);
        function A() external view returns (uint256);
        function get_dy(int128 i, int128 j, uint256 dx) external view returns (uint256);
        function exchange(int128 i, int128 j, uint256 dx, uint256 min_dy) external;
        function calc_token_amount(uint256[3] amounts, bool deposit) external view returns (uint256);
        function add_liquidity(uint256[3] amounts, uint256 min_mint_amount) external;
        function remove_liquidity(uint256 _amount, uint256[3] min_amounts) external;
        function remove_liquidity_imbalance(uint256[3] amounts, uint256 max_burn_amount) external;
        function calc_withdraw_one_coin(uint256 _token_amount, int128 i) external view returns (uint256);
        function remove_liquidity_one_coin(uint256 _token_amount, int128 i, uint256 min_amount) external;
    }
    interface IComet {
        function baseToken() external view returns (address);
        function supply(address asset, uint256 amount) external;
        function supplyTo(address dst, address asset, uint256 amount) external;
        function withdraw(address asset, uint256 amount) external;
        function withdrawTo(address to, address asset, uint256 amount) external;
        function withdrawFrom(address src, address to, address asset, uint256 amount) external;
        function balanceOf(address account) external view returns (uint256);
        function borrowBalanceOf(address account) external view returns (uint256);
        function collateralBalanceOf(address account, address asset) external view returns (uint128);
        function allow(address manager, bool isAllowed) external;
        function isAllowed(address owner, address manager) external view returns (bool);
        function hasPermission(address owner, address manager) external view returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function isBorrowCollateralized(address account) external view returns (bool);
        function isLiquidatable(address account) external view returns (bool);
        function getUtilization() external view returns (uint256);
        function getSupplyRate(uint256 utilization) external view returns (uint64);
        function getBorrowRate(uint256 utilization) external view returns (uint64);
        function symbol() external view returns (string);
        error NotCollateralized();
        error BorrowTooSmall();
        error Unauthorized();
    }
    struct MarketParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }
    interface IMorpho {
        function supply(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, bytes data)
            external returns (uint256, uint256);
        function withdraw(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, address receiver)
            external returns (uint256, uint256);
        function borrow(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, address receiver)
            external returns (uint256, uint256);
        function repay(MarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, bytes data)
            external returns (uint256, uint256);
        function supplyCollateral(MarketParams marketParams, uint256 assets, address onBehalf, bytes data) external;
        function withdrawCollateral(MarketParams marketParams, uint256 assets, address onBehalf, address receiver) external;
        function accrueInterest(MarketParams marketParams) external;
        function setAuthorization(address authorized, bool newIsAuthorized) external;
        function isAuthorized(address authorizer, address authorized) external view returns (bool);
        function position(bytes32 id, address user) external view returns (uint256, uint128, uint128);
        function market(bytes32 id) external view returns (uint128, uint128, uint128, uint128, uint128, uint128);
        function idToMarketParams(bytes32 id) external view returns (address, address, address, address, uint256);
    }
}
