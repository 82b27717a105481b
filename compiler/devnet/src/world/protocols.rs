//! The devnet's Curve 3pool, Compound III markets and Morpho Blue, at their mainnet
//! addresses: deployed empty by [`deploy_protocols`], then listed and seeded by
//! [`seed_protocols`] with the deployer's liquidity, as deep as the other pools.

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{sol, SolValue};

use super::tokens::{approve_max, credit, units, Prices};
use super::World;
use crate::addresses::{
    token, TokenInfo, COMPOUND_V3_USDC, COMPOUND_V3_WETH, CURVE_3POOL, CURVE_3POOL_LP, DAI,
    DEPLOYER, MORPHO_BLUE, MORPHO_IRM, MORPHO_ORACLE_WETH_USDC, MORPHO_ORACLE_WSTETH_WETH, USDC,
    USDT, WBTC, WETH, WSTETH,
};
use crate::error::DeployError;
use crate::fixtures::Contract;
use crate::layout::MorphoMarketInfo;

/// The 3pool's coins, in its order (index 0, 1, 2).
const CURVE_COINS: [Address; 3] = [DAI, USDC, USDT];
/// The 3pool's amplification coefficient.
const CURVE_A: u64 = 2_000;
/// The 3pool's exchange fee, out of 1e10 (0.04%).
const CURVE_FEE: u64 = 4_000_000;

/// 1.0 with 18 decimals.
const WAD: u128 = 1_000_000_000_000_000_000;
/// Seconds in a 365-day year, to turn yearly rates into per-second ones.
const YEAR: u128 = 31_536_000;

/// A collateral asset of a Comet market: factors in basis points.
struct CometCollateral {
    asset: Address,
    borrow_bps: u64,
    liquidate_bps: u64,
}

/// A Comet market: its base, the smallest borrow (whole base units over 10), its collateral.
struct CometMarket {
    address: Address,
    base: Address,
    symbol: &'static str,
    name: &'static str,
    borrow_min_tenths: u64,
    collateral: &'static [CometCollateral],
}

/// The two markets, with factors close to Compound's Ethereum deployment.
const COMETS: [CometMarket; 2] = [
    CometMarket {
        address: COMPOUND_V3_USDC,
        base: USDC,
        symbol: "cUSDCv3",
        name: "Compound USDC",
        borrow_min_tenths: 1_000,
        collateral: &[
            CometCollateral {
                asset: WETH,
                borrow_bps: 8_250,
                liquidate_bps: 8_950,
            },
            CometCollateral {
                asset: WBTC,
                borrow_bps: 7_000,
                liquidate_bps: 7_700,
            },
        ],
    },
    CometMarket {
        address: COMPOUND_V3_WETH,
        base: WETH,
        symbol: "cWETHv3",
        name: "Compound WETH",
        borrow_min_tenths: 1,
        collateral: &[CometCollateral {
            asset: WSTETH,
            borrow_bps: 9_000,
            liquidate_bps: 9_300,
        }],
    },
];

/// A Morpho market the devnet creates: LLTV in basis points.
struct MorphoMarket {
    loan: Address,
    collateral: Address,
    oracle: Address,
    lltv_bps: u64,
}

/// The markets, at LLTVs Morpho's governance has enabled on mainnet.
const MORPHO_MARKETS: [MorphoMarket; 2] = [
    MorphoMarket {
        loan: USDC,
        collateral: WETH,
        oracle: MORPHO_ORACLE_WETH_USDC,
        lltv_bps: 8_600,
    },
    MorphoMarket {
        loan: WETH,
        collateral: WSTETH,
        oracle: MORPHO_ORACLE_WSTETH_WETH,
        lltv_bps: 9_450,
    },
];

/// The fixed borrow rate of the devnet's Morpho IRM: 5% a year.
const MORPHO_RATE_PER_YEAR_BPS: u128 = 500;

sol! {
    struct SeedMarketParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }
    interface ISeedProtocols {
        function add_liquidity(uint256[3] amounts, uint256 min_mint_amount) external;
        function addAsset(
            address asset, uint8 assetDecimals, uint64 borrowCollateralFactor,
            uint64 liquidateCollateralFactor, uint128 supplyCap, uint256 priceUsd
        ) external;
        function supply(address asset, uint256 amount) external;
        function enableIrm(address irm) external;
        function enableLltv(uint256 lltv) external;
        function createMarket(SeedMarketParams marketParams) external;
        function setPriceFeed(address asset, address feed) external;
        function supply(
            SeedMarketParams marketParams, uint256 assets, uint256 shares, address onBehalf, bytes data
        ) external returns (uint256, uint256);
    }
}

/// Deploys the 3pool and its LP token, both Comets (administered by the deployer, no
/// collateral listed yet), Morpho Blue (owned by the deployer) and its interest rate model.
pub(crate) fn deploy_protocols(world: &mut World) -> Result<(), DeployError> {
    let lp_args = (
        "Curve.fi DAI/USDC/USDT".to_string(),
        "3Crv".to_string(),
        CURVE_3POOL,
    )
        .abi_encode_params();
    world.deploy_at(Contract::CurveLpToken, &lp_args, CURVE_3POOL_LP)?;
    let mut decimals = [U256::ZERO; 3];
    for (slot, coin) in decimals.iter_mut().zip(CURVE_COINS) {
        *slot = U256::from(info(coin)?.decimals);
    }
    let pool_args = (
        CURVE_COINS,
        decimals,
        CURVE_3POOL_LP,
        U256::from(CURVE_A),
        U256::from(CURVE_FEE),
    )
        .abi_encode_params();
    world.deploy_at(Contract::CurvePool, &pool_args, CURVE_3POOL)?;

    world.deploy_at(Contract::Morpho, &DEPLOYER.abi_encode(), MORPHO_BLUE)?;
    let rate = U256::from(WAD * MORPHO_RATE_PER_YEAR_BPS / 10_000 / YEAR);
    world.deploy_at(Contract::MorphoFixedRateIrm, &rate.abi_encode(), MORPHO_IRM)
}

/// Seeds the 3pool with `side_usd` of each coin, deploys and supplies `side_usd` of base to
/// each Comet (with its collateral listed at `prices`), and creates the Morpho markets with
/// `side_usd` of loan tokens supplied and oracles at `prices`.
pub(crate) fn seed_protocols(
    world: &mut World,
    prices: &Prices,
    side_usd: u64,
) -> Result<(), DeployError> {
    seed_curve(world, prices, side_usd)?;
    for market in &COMETS {
        seed_comet(world, prices, side_usd, market)?;
    }
    seed_morpho(world, prices, side_usd)
}

fn seed_curve(world: &mut World, prices: &Prices, side_usd: u64) -> Result<(), DeployError> {
    let mut amounts = [U256::ZERO; 3];
    for (amount, coin) in amounts.iter_mut().zip(CURVE_COINS) {
        let coin = info(coin)?;
        *amount = prices.units(coin, side_usd);
        credit(world, coin, DEPLOYER, *amount)?;
        approve_max(world, coin.address, CURVE_3POOL)?;
    }
    let add = ISeedProtocols::add_liquidityCall {
        amounts,
        min_mint_amount: U256::ZERO,
    };
    world.send_call(
        "seed the Curve 3pool",
        DEPLOYER,
        CURVE_3POOL,
        U256::ZERO,
        add,
    )?;
    Ok(())
}

fn seed_comet(
    world: &mut World,
    prices: &Prices,
    side_usd: u64,
    market: &CometMarket,
) -> Result<(), DeployError> {
    let base = info(market.base)?;
    let args = (
        DEPLOYER,
        base.address,
        U256::from(base.decimals),
        usd_8(prices, base),
        units(base, 1) * U256::from(market.borrow_min_tenths) / U256::from(10),
        market.name.to_string(),
        market.symbol.to_string(),
    )
        .abi_encode_params();
    world.deploy_at(Contract::Comet, &args, market.address)?;
    for collateral in market.collateral {
        let asset = info(collateral.asset)?;
        let list = ISeedProtocols::addAssetCall {
            asset: asset.address,
            assetDecimals: asset.decimals,
            borrowCollateralFactor: bps_to_wad_u64(collateral.borrow_bps),
            liquidateCollateralFactor: bps_to_wad_u64(collateral.liquidate_bps),
            supplyCap: u128::MAX,
            priceUsd: usd_8(prices, asset),
        };
        let step = format!("list {} on {}", asset.symbol, market.symbol);
        world.send_call(&step, DEPLOYER, market.address, U256::ZERO, list)?;
    }
    // Price feeds: the devnet's Chainlink feed of each token, or the token itself where it
    // has none (Comet's `getPrice` takes either).
    for token in std::iter::once(market.base).chain(market.collateral.iter().map(|c| c.asset)) {
        let feed = crate::addresses::FEEDS
            .iter()
            .find(|f| f.token == token && !f.quote_eth)
            .map_or(token, |f| f.address);
        let set = ISeedProtocols::setPriceFeedCall { asset: token, feed };
        let step = format!("set a price feed on {}", market.symbol);
        world.send_call(&step, DEPLOYER, market.address, U256::ZERO, set)?;
    }
    let amount = prices.units(base, side_usd);
    credit(world, base, DEPLOYER, amount)?;
    approve_max(world, base.address, market.address)?;
    let supply = ISeedProtocols::supply_0Call {
        asset: base.address,
        amount,
    };
    let step = format!("supply {} to {}", base.symbol, market.symbol);
    world.send_call(&step, DEPLOYER, market.address, U256::ZERO, supply)?;
    Ok(())
}

fn seed_morpho(world: &mut World, prices: &Prices, side_usd: u64) -> Result<(), DeployError> {
    let enable = ISeedProtocols::enableIrmCall { irm: MORPHO_IRM };
    world.send_call(
        "enable Morpho's IRM",
        DEPLOYER,
        MORPHO_BLUE,
        U256::ZERO,
        enable,
    )?;
    let mut lltvs: Vec<u64> = Vec::new();
    for market in &MORPHO_MARKETS {
        let (loan, collateral) = (info(market.loan)?, info(market.collateral)?);
        let price = oracle_price(prices, loan, collateral);
        world.deploy_at(
            Contract::MorphoFixedPriceOracle,
            &price.abi_encode(),
            market.oracle,
        )?;
        let lltv = U256::from(bps_to_wad_u64(market.lltv_bps));
        if !lltvs.contains(&market.lltv_bps) {
            lltvs.push(market.lltv_bps);
            let enable = ISeedProtocols::enableLltvCall { lltv };
            world.send_call(
                "enable a Morpho LLTV",
                DEPLOYER,
                MORPHO_BLUE,
                U256::ZERO,
                enable,
            )?;
        }
        let params = SeedMarketParams {
            loanToken: loan.address,
            collateralToken: collateral.address,
            oracle: market.oracle,
            irm: MORPHO_IRM,
            lltv,
        };
        let step = format!(
            "create the {}/{} Morpho market",
            collateral.symbol, loan.symbol
        );
        let create = ISeedProtocols::createMarketCall {
            marketParams: params.clone(),
        };
        world.send_call(&step, DEPLOYER, MORPHO_BLUE, U256::ZERO, create)?;

        let amount = prices.units(loan, side_usd);
        credit(world, loan, DEPLOYER, amount)?;
        approve_max(world, loan.address, MORPHO_BLUE)?;
        let supply = ISeedProtocols::supply_1Call {
            marketParams: params.clone(),
            assets: amount,
            shares: U256::ZERO,
            onBehalf: DEPLOYER,
            data: Default::default(),
        };
        world.send_call(&step, DEPLOYER, MORPHO_BLUE, U256::ZERO, supply)?;
        world.layout.morpho_markets.push(MorphoMarketInfo {
            id: keccak256(params.abi_encode()),
            loan_token: loan.address,
            collateral_token: collateral.address,
            oracle: market.oracle,
            irm: MORPHO_IRM,
            lltv,
        });
    }
    Ok(())
}

/// What a Morpho oracle reports: one base unit of `collateral` in base units of `loan`,
/// scaled by 1e36.
fn oracle_price(prices: &Prices, loan: &TokenInfo, collateral: &TokenInfo) -> U256 {
    let ten = U256::from(10u64);
    prices.micro_usd(collateral) * ten.pow(U256::from(36u64 + u64::from(loan.decimals)))
        / (prices.micro_usd(loan) * ten.pow(U256::from(collateral.decimals)))
}

/// The USD price of one whole `token` with 8 decimals (Aave's and Compound's oracle unit).
fn usd_8(prices: &Prices, token: &TokenInfo) -> U256 {
    prices.micro_usd(token) * U256::from(100u64)
}

/// Basis points as an 18-decimal fraction.
fn bps_to_wad_u64(bps: u64) -> u64 {
    bps * 100_000_000_000_000
}

fn info(address: Address) -> Result<&'static TokenInfo, DeployError> {
    token(address).ok_or(DeployError::UnknownToken(address))
}
