//! Positions a scenario opens for the vault before any script runs: Aave V3 supply, variable
//! debt and collateral flags, Compound III collateral, base supply and borrow, Morpho Blue
//! supply, collateral and borrow, and Uniswap V2 LP shares.
//!
//! What is supplied is minted to the deployer and supplied on the vault's behalf, so the
//! vault's token balances stay the ones `[vault.tokens]` lists and no allowance of the vault's
//! is left behind. Borrows are made by the vault itself (the only account allowed to borrow
//! against its collateral), and the borrowed tokens are passed on to the deployer: the vault
//! ends with the debt, not with the loan.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolError};

use super::tokens::{approve_max, credit};
use super::World;
use crate::addresses::{TokenInfo, AAVE_V3_POOL, DEPLOYER, UNISWAP_V2_ROUTER, VAULT};
use crate::error::DeployError;
use crate::funding::{MorphoSeed, SeededPositions};
use crate::layout::MorphoMarketInfo;

sol! {
    struct SeedMorphoParams {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
    }
    interface ISeedPositions {
        // Aave V3
        function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
        function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf) external;
        function setUserUseReserveAsCollateral(address asset, bool useAsCollateral) external;
        // Compound III
        function supplyTo(address dst, address asset, uint256 amount) external;
        function withdraw(address asset, uint256 amount) external;
        // Morpho Blue
        function supply(SeedMorphoParams marketParams, uint256 assets, uint256 shares, address onBehalf, bytes data)
            external returns (uint256, uint256);
        function supplyCollateral(SeedMorphoParams marketParams, uint256 assets, address onBehalf, bytes data) external;
        function borrow(SeedMorphoParams marketParams, uint256 assets, uint256 shares, address onBehalf, address receiver)
            external returns (uint256, uint256);
        // Uniswap V2
        function addLiquidity(address tokenA, address tokenB, uint256 amountADesired, uint256 amountBDesired,
            uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline)
            external returns (uint256 amountA, uint256 amountB, uint256 liquidity);
        // ERC-20
        function transfer(address to, uint256 amount) external;
    }
}

/// Why a position could not be opened: the scenario's place and what the protocol said.
pub(crate) struct SeedError {
    /// Where in the scenario (`aave.borrow.USDC`).
    pub place: String,
    /// The protocol's revert reason, or what else went wrong.
    pub reason: String,
}

impl SeedError {
    fn new(place: &str, error: DeployError) -> SeedError {
        let reason = match &error {
            DeployError::Reverted { output, .. } => revert_text(output),
            other => other.to_string(),
        };
        SeedError {
            place: place.to_owned(),
            reason,
        }
    }
}

/// A revert's `Error(string)` reason, or its raw data.
fn revert_text(output: &Bytes) -> String {
    match alloy_sol_types::Revert::abi_decode(output) {
        Ok(r) => format!("it reverted with \"{}\"", r.reason),
        Err(_) if output.is_empty() => "it reverted without a reason".to_owned(),
        Err(_) => format!("it reverted with {output}"),
    }
}

/// Opens every position of `seed` for the vault, in the order: Aave, Compound, Morpho,
/// Uniswap V2 (supplies before borrows within each).
pub(crate) fn seed_positions(
    world: &mut World,
    seed: &SeededPositions,
    symbol: &dyn Fn(Address) -> &'static TokenInfo,
) -> Result<(), SeedError> {
    let place = |kind: &str, token: Address| format!("{kind}.{}", symbol(token).symbol);
    for (asset, amount) in &seed.aave_supply {
        let at = place("aave.supply", *asset);
        supply_for_vault(world, symbol(*asset), *amount, AAVE_V3_POOL, &at, |a| {
            ISeedPositions::supply_0Call {
                asset: *asset,
                amount: a,
                onBehalfOf: VAULT,
                referralCode: 0,
            }
            .abi_encode()
        })?;
    }
    for asset in &seed.aave_not_collateral {
        let at = place("aave.collateral", *asset);
        let off = ISeedPositions::setUserUseReserveAsCollateralCall {
            asset: *asset,
            useAsCollateral: false,
        };
        as_vault(world, &at, AAVE_V3_POOL, off.abi_encode())?;
    }
    for (asset, amount) in &seed.aave_borrow {
        let at = place("aave.borrow", *asset);
        let borrow = ISeedPositions::borrow_0Call {
            asset: *asset,
            amount: *amount,
            interestRateMode: U256::from(2),
            referralCode: 0,
            onBehalfOf: VAULT,
        };
        as_vault(world, &at, AAVE_V3_POOL, borrow.abi_encode())?;
        pass_on(world, &at, *asset, *amount)?;
    }
    for comet in &seed.comet {
        let market = comet_address(world, comet.base).ok_or_else(|| SeedError {
            place: format!("compound (market {})", symbol(comet.base).symbol),
            reason: "the devnet has no Compound III market with this base token".into(),
        })?;
        let base_symbol = symbol(comet.base).symbol;
        let supplies = comet
            .collateral
            .iter()
            .map(|(a, n)| {
                (
                    *a,
                    *n,
                    place(&format!("compound.{base_symbol}.collateral"), *a),
                )
            })
            .chain((!comet.supply.is_zero()).then(|| {
                (
                    comet.base,
                    comet.supply,
                    format!("compound.{base_symbol}.supply"),
                )
            }));
        for (asset, amount, at) in supplies.collect::<Vec<_>>() {
            supply_for_vault(world, symbol(asset), amount, market, &at, |a| {
                ISeedPositions::supplyToCall {
                    dst: VAULT,
                    asset,
                    amount: a,
                }
                .abi_encode()
            })?;
        }
        if !comet.borrow.is_zero() {
            let at = format!("compound.{base_symbol}.borrow");
            let withdraw = ISeedPositions::withdrawCall {
                asset: comet.base,
                amount: comet.borrow,
            };
            as_vault(world, &at, market, withdraw.abi_encode())?;
            pass_on(world, &at, comet.base, comet.borrow)?;
        }
    }
    for m in &seed.morpho {
        let name = format!(
            "morpho.{}/{}",
            symbol(m.collateral_token).symbol,
            symbol(m.loan).symbol
        );
        let market = morpho_market(world, m).ok_or_else(|| SeedError {
            place: name.clone(),
            reason: "the devnet has no Morpho market lending this token against this collateral"
                .into(),
        })?;
        let params = || SeedMorphoParams {
            loanToken: market.loan_token,
            collateralToken: market.collateral_token,
            oracle: market.oracle,
            irm: market.irm,
            lltv: market.lltv,
        };
        let morpho = world.layout.morpho;
        if !m.supply.is_zero() {
            let at = format!("{name}.supply");
            supply_for_vault(world, symbol(m.loan), m.supply, morpho, &at, |a| {
                ISeedPositions::supply_1Call {
                    marketParams: params(),
                    assets: a,
                    shares: U256::ZERO,
                    onBehalf: VAULT,
                    data: Bytes::new(),
                }
                .abi_encode()
            })?;
        }
        if !m.collateral.is_zero() {
            let at = format!("{name}.collateral");
            supply_for_vault(
                world,
                symbol(m.collateral_token),
                m.collateral,
                morpho,
                &at,
                |a| {
                    ISeedPositions::supplyCollateralCall {
                        marketParams: params(),
                        assets: a,
                        onBehalf: VAULT,
                        data: Bytes::new(),
                    }
                    .abi_encode()
                },
            )?;
        }
        if !m.borrow.is_zero() {
            let at = format!("{name}.borrow");
            let borrow = ISeedPositions::borrow_1Call {
                marketParams: params(),
                assets: m.borrow,
                shares: U256::ZERO,
                onBehalf: VAULT,
                receiver: DEPLOYER,
            };
            as_vault(world, &at, morpho, borrow.abi_encode())?;
        }
    }
    for lp in &seed.v2_liquidity {
        let (a, b) = (symbol(lp.token_a.0), symbol(lp.token_b.0));
        let at = format!("liquidity.{}/{}", a.symbol, b.symbol);
        for (token, amount) in [(a, lp.token_a.1), (b, lp.token_b.1)] {
            credit(world, token, DEPLOYER, amount).map_err(|e| SeedError::new(&at, e))?;
            approve_max(world, token.address, UNISWAP_V2_ROUTER)
                .map_err(|e| SeedError::new(&at, e))?;
        }
        let add = ISeedPositions::addLiquidityCall {
            tokenA: a.address,
            tokenB: b.address,
            amountADesired: lp.token_a.1,
            amountBDesired: lp.token_b.1,
            amountAMin: U256::ZERO,
            amountBMin: U256::ZERO,
            to: VAULT,
            deadline: U256::MAX,
        };
        world
            .expect_success(
                &at,
                DEPLOYER,
                UNISWAP_V2_ROUTER,
                U256::ZERO,
                add.abi_encode(),
            )
            .map_err(|e| SeedError::new(&at, e))?;
    }
    Ok(())
}

/// Mints `amount` of `token` to the deployer, lets `spender` take it, and sends the supply
/// call `encode(amount)` (which names the vault as the beneficiary) from the deployer.
fn supply_for_vault(
    world: &mut World,
    token: &TokenInfo,
    amount: U256,
    spender: Address,
    at: &str,
    encode: impl Fn(U256) -> Vec<u8>,
) -> Result<(), SeedError> {
    let wrap = |e| SeedError::new(at, e);
    credit(world, token, DEPLOYER, amount).map_err(wrap)?;
    approve_max(world, token.address, spender).map_err(wrap)?;
    world
        .expect_success(at, DEPLOYER, spender, U256::ZERO, encode(amount))
        .map_err(wrap)?;
    Ok(())
}

/// Sends `data` to `to` from the vault itself.
fn as_vault(world: &mut World, at: &str, to: Address, data: Vec<u8>) -> Result<(), SeedError> {
    world
        .send_as_contract(at, VAULT, to, data)
        .map(|_| ())
        .map_err(|e| SeedError::new(at, e))
}

/// Moves the `amount` of `token` the vault just borrowed on to the deployer.
fn pass_on(world: &mut World, at: &str, token: Address, amount: U256) -> Result<(), SeedError> {
    let transfer = ISeedPositions::transferCall {
        to: DEPLOYER,
        amount,
    };
    as_vault(world, at, token, transfer.abi_encode())
}

fn comet_address(world: &World, base: Address) -> Option<Address> {
    let layout = &world.layout;
    [layout.comet_usdc, layout.comet_weth]
        .into_iter()
        .find(|comet| comet_base(world, *comet) == Some(base))
}

/// A Comet's base token, asked of the contract.
fn comet_base(world: &World, comet: Address) -> Option<Address> {
    sol! {
        function baseToken() external view returns (address);
    }
    let out = world.view(comet, baseTokenCall {}.abi_encode()).ok()?;
    baseTokenCall::abi_decode_returns(&out).ok()
}

fn morpho_market(world: &World, seed: &MorphoSeed) -> Option<MorphoMarketInfo> {
    world
        .layout
        .morpho_markets
        .iter()
        .find(|m| m.loan_token == seed.loan && m.collateral_token == seed.collateral_token)
        .copied()
}
