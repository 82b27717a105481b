//! Fixture functions added so the devnet covers what the stdlib declares: Uniswap V2's
//! `addLiquidityETH` / `removeLiquidityETH`, and Compound III's `getAssetInfo`,
//! `getAssetInfoByAddress`, `baseTokenPriceFeed` and `getPrice` of a price feed.

use crate::support::*;

const ROUTER: Address = address!("7a250d5630B4cF539739dF2C5dAcb4c659F2488D");
const COMET_USDC: Address = address!("c3d688B66703497DAA19211EEdff47f25384cdc3");
const ETH_USD: Address = address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419");
const BTC_USD: Address = address!("F4030086522a5bEEa4988F8cA5B36dbC97BeE88c");
const USDC_USD: Address = address!("8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6");
const ETHER: u64 = 1_000_000_000_000_000_000;

sol! {
    interface IRouterEth {
        function addLiquidityETH(address token, uint256 amountTokenDesired, uint256 amountTokenMin,
            uint256 amountETHMin, address to, uint256 deadline)
            external payable returns (uint256 amountToken, uint256 amountETH, uint256 liquidity);
        function removeLiquidityETH(address token, uint256 liquidity, uint256 amountTokenMin,
            uint256 amountETHMin, address to, uint256 deadline)
            external returns (uint256 amountToken, uint256 amountETH);
    }
    interface ICometInfo {
        struct AssetInfo {
            uint8 offset; address asset; address priceFeed; uint64 scale;
            uint64 borrowCollateralFactor; uint64 liquidateCollateralFactor;
            uint64 liquidationFactor; uint128 supplyCap;
        }
        function getAssetInfo(uint8 i) external view returns (AssetInfo memory);
        function getAssetInfoByAddress(address asset) external view returns (AssetInfo memory);
        function baseTokenPriceFeed() external view returns (address);
        function getPrice(address priceFeed) external view returns (uint256);
        function numAssets() external view returns (uint8);
    }
}

fn trader_world() -> World {
    let mut world = devnet().world().clone();
    world.set_balance(TRADER, U256::from(1_000u64) * U256::from(ETHER));
    world
}

#[test]
fn add_liquidity_eth_takes_the_pairs_ratio_refunds_the_rest_and_remove_gives_eth_back() {
    let mut world = trader_world();
    let usdc = U256::from(30_000_000_000u64); // 30,000 USDC: 10 ETH at 3,000
    fund(&mut world, USDC, TRADER, usdc, ROUTER);
    let eth_before = world.balance(TRADER);
    // Send 12 ETH: only 10 match 30,000 USDC at the pair's price; 2 come back.
    let add = IRouterEth::addLiquidityETHCall {
        token: USDC,
        amountTokenDesired: usdc,
        amountTokenMin: U256::ZERO,
        amountETHMin: U256::ZERO,
        to: TRADER,
        deadline: U256::MAX,
    };
    let out = send(&mut world, TRADER, ROUTER, U256::from(12 * ETHER), add);
    assert_eq!(out.amountToken, usdc);
    let ten = U256::from(10 * ETHER);
    assert!(out.amountETH <= ten && out.amountETH > ten - U256::from(ETHER / 1000));
    assert!(out.liquidity > U256::ZERO);
    // Gas is paid at the devnet's base fee: the ETH spent is what the pair took, plus gas.
    let spent = eth_before - world.balance(TRADER);
    assert!(spent >= out.amountETH && spent < out.amountETH + U256::from(ETHER / 100));
    let pair = v2_pair(&world, USDC, WETH);
    assert_eq!(balance(&world, pair, TRADER), out.liquidity);

    approve_max(&mut world, TRADER, pair, ROUTER);
    let eth_before = world.balance(TRADER);
    let remove = IRouterEth::removeLiquidityETHCall {
        token: USDC,
        liquidity: out.liquidity,
        amountTokenMin: U256::ZERO,
        amountETHMin: U256::ZERO,
        to: TRADER,
        deadline: U256::MAX,
    };
    let back = send(&mut world, TRADER, ROUTER, U256::ZERO, remove);
    // The pair's rounding keeps a few base units (of the 6-decimal side: a little ETH).
    assert!(back.amountToken <= usdc && back.amountToken > usdc - U256::from(10u64));
    assert!(
        back.amountETH <= out.amountETH
            && back.amountETH > out.amountETH - U256::from(ETHER / 10_000)
    );
    assert_eq!(balance(&world, USDC, TRADER), back.amountToken);
    assert!(world.balance(TRADER) > eth_before + back.amountETH - U256::from(ETHER / 100));
    assert_eq!(balance(&world, pair, TRADER), U256::ZERO);
}

#[test]
fn add_liquidity_eth_below_the_minimum_reverts_with_uniswaps_reason() {
    let mut world = trader_world();
    let usdc = U256::from(30_000_000_000u64);
    fund(&mut world, USDC, TRADER, usdc, ROUTER);
    let add = IRouterEth::addLiquidityETHCall {
        token: USDC,
        amountTokenDesired: usdc,
        amountTokenMin: U256::ZERO,
        amountETHMin: U256::from(11 * ETHER),
        to: TRADER,
        deadline: U256::MAX,
    };
    // 12 ETH offered, 10 ETH match: below the 11 ETH minimum.
    let data = revert_raw(
        &mut world,
        TRADER,
        ROUTER,
        U256::from(12 * ETHER),
        add.abi_encode(),
    );
    assert_eq!(reason(&data), "UniswapV2Router: INSUFFICIENT_B_AMOUNT");
}

#[test]
fn comet_asset_info_and_price_feeds() {
    let world = devnet().world();
    let count = view(world, COMET_USDC, ICometInfo::numAssetsCall {});
    assert!(count >= 2);
    let weth = view(
        world,
        COMET_USDC,
        ICometInfo::getAssetInfoByAddressCall { asset: WETH },
    );
    assert_eq!(weth.asset, WETH);
    assert_eq!(weth.priceFeed, ETH_USD);
    assert_eq!(weth.scale, ETHER);
    assert!(weth.borrowCollateralFactor < weth.liquidateCollateralFactor);
    let by_index = view(
        world,
        COMET_USDC,
        ICometInfo::getAssetInfoCall { i: weth.offset },
    );
    assert_eq!(by_index.asset, WETH);
    let wbtc = view(
        world,
        COMET_USDC,
        ICometInfo::getAssetInfoByAddressCall { asset: WBTC },
    );
    assert_eq!((wbtc.priceFeed, wbtc.scale), (BTC_USD, 100_000_000));
    // The mainnet way to price an asset: getPrice of its feed.
    assert_eq!(
        view(
            world,
            COMET_USDC,
            ICometInfo::getPriceCall { priceFeed: ETH_USD }
        ),
        U256::from(3_000u64 * 100_000_000)
    );
    let base_feed = view(world, COMET_USDC, ICometInfo::baseTokenPriceFeedCall {});
    assert_eq!(base_feed, USDC_USD);
    assert_eq!(
        view(
            world,
            COMET_USDC,
            ICometInfo::getPriceCall {
                priceFeed: base_feed
            }
        ),
        U256::from(100_000_000u64)
    );
}

#[test]
fn comet_asset_info_of_an_unlisted_asset_reverts() {
    let mut world = trader_world();
    for data in [
        revert_data(
            &mut world,
            TRADER,
            COMET_USDC,
            ICometInfo::getAssetInfoByAddressCall { asset: DAI },
        ),
        revert_data(
            &mut world,
            TRADER,
            COMET_USDC,
            ICometInfo::getAssetInfoCall { i: 200 },
        ),
    ] {
        // BadAsset()
        assert_eq!(&data[..], &alloy_primitives::keccak256("BadAsset()")[..4]);
    }
}
