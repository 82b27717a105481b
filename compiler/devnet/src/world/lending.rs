//! The devnet's Aave V3 market: the Pool and data provider at their mainnet addresses, an
//! aToken and a variable debt token per reserve, the deployer's supply in each, and an
//! e-mode category for WETH.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolValue};

use super::tokens::{approve_max, credit, Prices};
use super::World;
use crate::addresses::{
    a_token_symbol, debt_token_symbol, token, TokenInfo, AAVE_V3_DATA_PROVIDER, AAVE_V3_POOL, DAI,
    DEPLOYER, USDC, USDT, WBTC, WETH,
};
use crate::error::DeployError;
use crate::fixtures::Contract;
use crate::layout::AaveReserveInfo;

/// An Aave reserve's risk parameters, in basis points.
struct Risk {
    asset: Address,
    ltv: u16,
    liquidation_threshold: u16,
}

/// The reserves, with LTVs and liquidation thresholds close to Aave's Ethereum market.
const RESERVES: [Risk; 5] = [
    Risk {
        asset: USDC,
        ltv: 7_700,
        liquidation_threshold: 8_000,
    },
    Risk {
        asset: USDT,
        ltv: 7_500,
        liquidation_threshold: 7_800,
    },
    Risk {
        asset: DAI,
        ltv: 6_300,
        liquidation_threshold: 7_700,
    },
    Risk {
        asset: WETH,
        ltv: 8_050,
        liquidation_threshold: 8_300,
    },
    Risk {
        asset: WBTC,
        ltv: 7_300,
        liquidation_threshold: 7_800,
    },
];

sol! {
    interface ISeedAavePool {
        function initReserve(
            address asset, address aToken, address variableDebtToken,
            uint16 ltv, uint16 liquidationThreshold, uint8 decimals, uint256 priceUsd
        ) external;
        function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
        function setEModeCategory(uint8 categoryId, uint16 ltv, uint16 liquidationThreshold, string label) external;
        function setAssetEModeCategory(address asset, uint8 categoryId) external;
    }
}

/// Deploys the Pool (administered by the deployer) and the data provider.
pub(crate) fn deploy_lending(world: &mut World) -> Result<(), DeployError> {
    world.deploy_at(Contract::AavePool, &DEPLOYER.abi_encode(), AAVE_V3_POOL)?;
    world.deploy_at(
        Contract::AaveProtocolDataProvider,
        &AAVE_V3_POOL.abi_encode(),
        AAVE_V3_DATA_PROVIDER,
    )
}

/// The e-mode category of ether-like assets (as on Aave's Ethereum market): its id, LTV and
/// liquidation threshold in basis points, and its reserves.
const ETH_EMODE: (u8, u16, u16, &str) = (1, 9_300, 9_500, "ETH correlated");
const ETH_EMODE_ASSETS: [Address; 1] = [WETH];

/// Lists every reserve at `prices`, supplies `side_usd` worth of each from the deployer, and
/// defines the [`ETH_EMODE`] category.
pub(crate) fn seed_aave(
    world: &mut World,
    prices: &Prices,
    side_usd: u64,
) -> Result<(), DeployError> {
    for risk in &RESERVES {
        let asset = token(risk.asset).ok_or(DeployError::UnknownToken(risk.asset))?;
        let reserve = list_reserve(world, prices, asset, risk)?;
        world.layout.aave_reserves.push(reserve);

        let amount = prices.units(asset, side_usd);
        credit(world, asset, DEPLOYER, amount)?;
        approve_max(world, asset.address, AAVE_V3_POOL)?;
        let supply = ISeedAavePool::supplyCall {
            asset: asset.address,
            amount,
            onBehalfOf: DEPLOYER,
            referralCode: 0,
        };
        let step = format!("supply {} to Aave", asset.symbol);
        world.send_call(&step, DEPLOYER, AAVE_V3_POOL, U256::ZERO, supply)?;
    }
    let (id, ltv, threshold, label) = ETH_EMODE;
    let step = "define Aave's ETH e-mode category";
    let category = ISeedAavePool::setEModeCategoryCall {
        categoryId: id,
        ltv,
        liquidationThreshold: threshold,
        label: label.to_owned(),
    };
    world.send_call(step, DEPLOYER, AAVE_V3_POOL, U256::ZERO, category)?;
    for asset in ETH_EMODE_ASSETS {
        let put = ISeedAavePool::setAssetEModeCategoryCall {
            asset,
            categoryId: id,
        };
        world.send_call(step, DEPLOYER, AAVE_V3_POOL, U256::ZERO, put)?;
    }
    Ok(())
}

fn list_reserve(
    world: &mut World,
    prices: &Prices,
    asset: &TokenInfo,
    risk: &Risk,
) -> Result<AaveReserveInfo, DeployError> {
    let token_args = |name: String, symbol: String| {
        (
            AAVE_V3_POOL,
            asset.address,
            name,
            symbol,
            U256::from(asset.decimals),
        )
            .abi_encode_params()
    };
    let a_token = world.deploy_here(
        Contract::AToken,
        &token_args(
            format!("Aave Ethereum {}", asset.symbol),
            a_token_symbol(asset.symbol),
        ),
    )?;
    let variable_debt_token = world.deploy_here(
        Contract::VariableDebtToken,
        &token_args(
            format!("Aave Ethereum Variable Debt {}", asset.symbol),
            debt_token_symbol(asset.symbol),
        ),
    )?;
    // The oracle's price: USD with 8 decimals, from millionths of a USD.
    let price = prices.micro_usd(asset) * U256::from(100);
    let init = ISeedAavePool::initReserveCall {
        asset: asset.address,
        aToken: a_token,
        variableDebtToken: variable_debt_token,
        ltv: risk.ltv,
        liquidationThreshold: risk.liquidation_threshold,
        decimals: asset.decimals,
        priceUsd: price,
    };
    let step = format!("list {} on Aave", asset.symbol);
    world.send_call(&step, DEPLOYER, AAVE_V3_POOL, U256::ZERO, init)?;
    Ok(AaveReserveInfo {
        asset: asset.address,
        a_token,
        variable_debt_token,
    })
}
