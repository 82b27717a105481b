//! The devnet's tokens: deploying them (with Lido's, sDAI's and steakUSDC's starting exchange
//! rates),
//! their USD prices, crediting anyone with any of them, the vault beside them, and the
//! vault's funding.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};

use super::World;
use crate::addresses::{
    all_tokens, token, token_contract, TokenInfo, TokenKind, DAI, DEPLOYER, DEVNFT, EXTRA_TOKENS,
    EXTRA_VAULT_UNITS, PERMIT2, SDAI, STEAKUSDC, STETH, USDC, VAULT, VAULT_NFT_IDS, VAULT_OWNER,
    WETH, WSTETH,
};
use crate::chain::ETHER;
use crate::error::DeployError;
use crate::fixtures::Contract;
use crate::funding::{Funding, WBTC_PRICE_USD};

/// Ether staked in Lido at deployment, and the rewards then reported on it: one stETH
/// share is worth 1.175 stETH (`stEthPerToken`).
const LIDO_STAKE_ETH: u128 = 1_000_000;
const LIDO_REWARDS_ETH: u128 = 175_000;
/// DAI deposited into sDAI at deployment, and the DAI then given to it: one sDAI is
/// worth 1.1 DAI.
const SDAI_DEPOSIT_DAI: u64 = 10_000_000;
const SDAI_DONATION_DAI: u64 = 1_000_000;
/// USDC deposited into steakUSDC at deployment, and the USDC then given to it: one
/// steakUSDC is worth 1.05 USDC.
const STEAKUSDC_DEPOSIT_USDC: u64 = 10_000_000;
const STEAKUSDC_DONATION_USDC: u64 = 500_000;
/// steakUSDC base units per USDC base unit on the first deposit: MetaMorpho's decimals
/// offset (18 - 6) gives its 18-decimal shares over 6-decimal USDC.
const STEAKUSDC_SHARE_SCALE: u64 = 1_000_000_000_000;
/// Millionths, the unit of [`Prices`].
const MICRO: u64 = 1_000_000;

sol! {
    interface ISeedToken {
        function mint(address to, uint256 amount) external;
        function approve(address spender, uint256 amount) external;
        function transfer(address to, uint256 amount) external;
    }
    interface ISeedWeth {
        function deposit() external payable;
    }
    interface ISeedStEth {
        function submit(address referral) external payable returns (uint256);
        function reportRewards() external payable;
        function transferShares(address to, uint256 shares) external returns (uint256);
        function getTotalShares() external view returns (uint256);
        function getTotalPooledEther() external view returns (uint256);
    }
    interface ISeedVault4626 {
        function deposit(uint256 assets, address receiver) external returns (uint256);
        function mint(uint256 shares, address receiver) external returns (uint256);
        function previewMint(uint256 shares) external view returns (uint256);
    }
    interface ISeedNft {
        function mint(address to, uint256 tokenId) external;
    }
}

/// The USD prices the devnet seeds pools and the Aave oracle at, in millionths of a USD
/// per whole token.
#[derive(Clone, Debug)]
pub(crate) struct Prices {
    eth_micro_usd: u64,
    /// Millionths of a USD per whole token, for the tokens a scenario prices itself.
    overrides: Vec<(Address, U256)>,
}

impl Prices {
    /// Prices with ether at `eth_price_usd`: stablecoins and the devnet tokens at 1 USD,
    /// WBTC at [`WBTC_PRICE_USD`], stETH at the ether price, wstETH at 1.175 times it, sDAI
    /// at 1.1 USD, steakUSDC at 1.05 USD.
    pub(crate) fn new(eth_price_usd: u64) -> Prices {
        Prices {
            eth_micro_usd: eth_price_usd.saturating_mul(MICRO),
            overrides: Vec::new(),
        }
    }

    /// [`Prices::new`] with some tokens' prices (millionths of a USD per whole token) set
    /// instead. A WETH price is the ether price: stETH and wstETH follow it.
    pub(crate) fn with_overrides(eth_price_usd: u64, overrides: &[(Address, U256)]) -> Prices {
        let mut prices = Prices::new(eth_price_usd);
        for (token, micro) in overrides {
            if *token == WETH {
                prices.eth_micro_usd = u64::try_from(*micro).unwrap_or(u64::MAX);
            } else {
                prices.overrides.push((*token, *micro));
            }
        }
        prices
    }

    /// Millionths of a USD per whole `token`.
    pub(crate) fn micro_usd(&self, token: &TokenInfo) -> U256 {
        if let Some((_, micro)) = self.overrides.iter().find(|(a, _)| *a == token.address) {
            return *micro;
        }
        let eth = U256::from(self.eth_micro_usd);
        match token.kind {
            TokenKind::Weth | TokenKind::StEth => eth,
            TokenKind::WstEth => {
                eth * U256::from(LIDO_STAKE_ETH + LIDO_REWARDS_ETH) / U256::from(LIDO_STAKE_ETH)
            }
            TokenKind::SavingsDai => {
                U256::from(MICRO) * U256::from(SDAI_DEPOSIT_DAI + SDAI_DONATION_DAI)
                    / U256::from(SDAI_DEPOSIT_DAI)
            }
            TokenKind::UsdcVault => {
                U256::from(MICRO) * U256::from(STEAKUSDC_DEPOSIT_USDC + STEAKUSDC_DONATION_USDC)
                    / U256::from(STEAKUSDC_DEPOSIT_USDC)
            }
            TokenKind::Standard if token.decimals == 8 => {
                U256::from(WBTC_PRICE_USD) * U256::from(MICRO)
            }
            TokenKind::Standard
            | TokenKind::Tether
            | TokenKind::Falsy
            | TokenKind::FeeOnTransfer => U256::from(MICRO),
        }
    }

    /// `usd` worth of `token` in base units.
    pub(crate) fn units(&self, token: &TokenInfo, usd: u64) -> U256 {
        units(token, usd) * U256::from(MICRO) / self.micro_usd(token)
    }
}

/// `whole` tokens in base units.
pub(crate) fn units(token: &TokenInfo, whole: u64) -> U256 {
    U256::from(whole) * U256::from(10u64).pow(U256::from(token.decimals))
}

/// Deploys every token at its address, then gives Lido, sDAI and steakUSDC their exchange
/// rates.
pub(crate) fn deploy_tokens(world: &mut World) -> Result<(), DeployError> {
    for token in all_tokens() {
        deploy_token(world, token)?;
    }
    let stake = U256::from(LIDO_STAKE_ETH * ETHER);
    world.send_call(
        "stake the first ether in Lido",
        DEPLOYER,
        STETH,
        stake,
        ISeedStEth::submitCall {
            referral: Address::ZERO,
        },
    )?;
    world.send_call(
        "report Lido's rewards",
        DEPLOYER,
        STETH,
        U256::from(LIDO_REWARDS_ETH * ETHER),
        ISeedStEth::reportRewardsCall {},
    )?;
    seed_vault(world, SDAI, DAI, SDAI_DEPOSIT_DAI, SDAI_DONATION_DAI)?;
    seed_vault(
        world,
        STEAKUSDC,
        USDC,
        STEAKUSDC_DEPOSIT_USDC,
        STEAKUSDC_DONATION_USDC,
    )
}

/// The first deposit of `deposit` whole `asset` into the ERC-4626 `vault` (the deployer's),
/// then `donation` whole `asset` given to it, which raises its share price above 1.
fn seed_vault(
    world: &mut World,
    vault: Address,
    asset: Address,
    deposit: u64,
    donation: u64,
) -> Result<(), DeployError> {
    approve_max(world, asset, vault)?;
    let info = token_info(asset)?;
    let assets = units(info, deposit);
    credit(world, info, DEPLOYER, assets)?;
    world.send_call(
        &format!("make the first deposit into {vault}"),
        DEPLOYER,
        vault,
        U256::ZERO,
        ISeedVault4626::depositCall {
            assets,
            receiver: DEPLOYER,
        },
    )?;
    credit(world, info, vault, units(info, donation))
}

fn token_info(address: Address) -> Result<&'static TokenInfo, DeployError> {
    token(address).ok_or(DeployError::UnknownToken(address))
}

/// The asset of an ERC-4626 devnet token.
fn vault_asset(kind: TokenKind) -> Option<Address> {
    match kind {
        TokenKind::SavingsDai => Some(DAI),
        TokenKind::UsdcVault => Some(USDC),
        _ => None,
    }
}

fn deploy_token(world: &mut World, token: &TokenInfo) -> Result<(), DeployError> {
    let args = match token.kind {
        TokenKind::Standard => (
            token.name.to_owned(),
            token.symbol.to_owned(),
            U256::from(token.decimals),
        )
            .abi_encode_params(),
        TokenKind::WstEth => STETH.abi_encode(),
        TokenKind::SavingsDai => (
            DAI,
            token.name.to_owned(),
            token.symbol.to_owned(),
            U256::from(token.decimals),
            U256::from(1u64),
        )
            .abi_encode_params(),
        TokenKind::UsdcVault => (
            USDC,
            token.name.to_owned(),
            token.symbol.to_owned(),
            U256::from(token.decimals),
            U256::from(STEAKUSDC_SHARE_SCALE),
        )
            .abi_encode_params(),
        TokenKind::Tether
        | TokenKind::Weth
        | TokenKind::Falsy
        | TokenKind::FeeOnTransfer
        | TokenKind::StEth => Vec::new(),
    };
    world.deploy_at(token_contract(token.kind), &args, token.address)
}

/// Lets `spender` take all of the deployer's `token`.
pub(crate) fn approve_max(
    world: &mut World,
    token: Address,
    spender: Address,
) -> Result<(), DeployError> {
    world.expect_success(
        &format!("approve {spender} for {token}"),
        DEPLOYER,
        token,
        U256::ZERO,
        ISeedToken::approveCall {
            spender,
            amount: U256::MAX,
        }
        .abi_encode(),
    )?;
    Ok(())
}

/// Gives `to` `amount` of `token`: minted; wrapped for WETH; staked for stETH (whole shares
/// worth at least `amount`, so the balance may exceed it by a wei); staked and wrapped for
/// wstETH; minted as shares over fresh DAI for sDAI and fresh USDC for steakUSDC. The deployer is given the ether it wraps
/// or stakes, so any amount can be credited.
pub(crate) fn credit(
    world: &mut World,
    token: &TokenInfo,
    to: Address,
    amount: U256,
) -> Result<(), DeployError> {
    let step = format!("credit {} {}", amount, token.symbol);
    match token.kind {
        TokenKind::Standard | TokenKind::Tether | TokenKind::Falsy | TokenKind::FeeOnTransfer => {
            let mint = ISeedToken::mintCall { to, amount };
            world.send_call(&step, DEPLOYER, token.address, U256::ZERO, mint)?;
        }
        TokenKind::Weth => {
            give_deployer_ether(world, amount);
            world.send_call(&step, DEPLOYER, WETH, amount, ISeedWeth::depositCall {})?;
            transfer_from_deployer(world, &step, WETH, to, amount)?;
        }
        TokenKind::StEth => {
            let shares = steth_shares_for(world, amount)?;
            // Two wei more than the shares need, so rounding never leaves the deployer short.
            let stake = amount + U256::from(2);
            give_deployer_ether(world, stake);
            let submit = ISeedStEth::submitCall {
                referral: Address::ZERO,
            };
            world.send_call(&step, DEPLOYER, STETH, stake, submit)?;
            if to != DEPLOYER {
                let send = ISeedStEth::transferSharesCall { to, shares };
                world.send_call(&step, DEPLOYER, STETH, U256::ZERO, send)?;
            }
        }
        TokenKind::WstEth => {
            // Sending ether to wstETH stakes and wraps it: one wstETH per share.
            let pooled = steth_pooled_for(world, amount)? + U256::from(2);
            give_deployer_ether(world, pooled);
            world.expect_success(&step, DEPLOYER, WSTETH, pooled, Vec::new())?;
            transfer_from_deployer(world, &step, WSTETH, to, amount)?;
        }
        TokenKind::SavingsDai | TokenKind::UsdcVault => {
            let asset = vault_asset(token.kind).ok_or(DeployError::UnknownToken(token.address))?;
            let assets = world.view_call(
                &step,
                token.address,
                ISeedVault4626::previewMintCall { shares: amount },
            )?;
            credit(world, token_info(asset)?, DEPLOYER, assets)?;
            let mint = ISeedVault4626::mintCall {
                shares: amount,
                receiver: to,
            };
            world.send_call(&step, DEPLOYER, token.address, U256::ZERO, mint)?;
        }
    }
    Ok(())
}

/// Adds `wei` to the deployer's balance.
fn give_deployer_ether(world: &mut World, wei: U256) {
    let balance = world.balance(DEPLOYER).saturating_add(wei);
    world.set_balance(DEPLOYER, balance);
}

fn transfer_from_deployer(
    world: &mut World,
    step: &str,
    token: Address,
    to: Address,
    amount: U256,
) -> Result<(), DeployError> {
    if to != DEPLOYER {
        let transfer = ISeedToken::transferCall { to, amount };
        world.expect_success(step, DEPLOYER, token, U256::ZERO, transfer.abi_encode())?;
    }
    Ok(())
}

/// The stETH shares worth `amount` stETH, rounded up.
fn steth_shares_for(world: &World, amount: U256) -> Result<U256, DeployError> {
    let (shares, pooled) = lido_totals(world)?;
    Ok((amount * shares).div_ceil(pooled))
}

/// The stETH (ether) `shares` stETH shares are worth, rounded up.
fn steth_pooled_for(world: &World, shares_wanted: U256) -> Result<U256, DeployError> {
    let (shares, pooled) = lido_totals(world)?;
    Ok((shares_wanted * pooled).div_ceil(shares))
}

fn lido_totals(world: &World) -> Result<(U256, U256), DeployError> {
    let step = "read Lido's totals";
    let shares = world.view_call(step, STETH, ISeedStEth::getTotalSharesCall {})?;
    let pooled = world.view_call(step, STETH, ISeedStEth::getTotalPooledEtherCall {})?;
    if shares.is_zero() || pooled.is_zero() {
        return Err(DeployError::InvalidFunding("Lido has no stake"));
    }
    Ok((shares, pooled))
}

/// Deploys the vault (owned by [`VAULT_OWNER`], delegating to `hyvm`), Permit2 and the
/// `DEVNFT` collection.
pub(crate) fn deploy_vault_and_extras(world: &mut World, hyvm: Address) -> Result<(), DeployError> {
    world.deploy_at(
        Contract::Vault,
        &(VAULT_OWNER, hyvm).abi_encode_params(),
        VAULT,
    )?;
    world.deploy_at(Contract::Permit2, &[], PERMIT2)?;
    world.deploy_at(Contract::DevNft, &[], DEVNFT)
}

/// Credits the vault with `funding`'s tokens and ether, [`EXTRA_VAULT_UNITS`] of each other
/// token `funding` does not name, and the [`VAULT_NFT_IDS`].
pub(crate) fn fund_vault(world: &mut World, funding: &Funding) -> Result<(), DeployError> {
    for (address, amount) in &funding.vault_tokens {
        let token = all_tokens()
            .find(|t| t.address == *address)
            .ok_or(DeployError::UnknownToken(*address))?;
        if !amount.is_zero() {
            credit(world, token, VAULT, *amount)?;
        }
    }
    for (token, whole) in EXTRA_TOKENS.iter().zip(EXTRA_VAULT_UNITS) {
        if !funding
            .vault_tokens
            .iter()
            .any(|(a, _)| *a == token.address)
        {
            credit(world, token, VAULT, units(token, whole))?;
        }
    }
    for id in VAULT_NFT_IDS {
        let mint = ISeedNft::mintCall {
            to: VAULT,
            tokenId: U256::from(id),
        };
        world.send_call(
            "mint the vault's DEVNFTs",
            DEPLOYER,
            DEVNFT,
            U256::ZERO,
            mint,
        )?;
    }
    if !funding.vault_eth.is_zero() {
        // The deployer pays: whatever the scenario asks for, it has enough.
        let have = world.balance(DEPLOYER);
        world.set_balance(DEPLOYER, have.saturating_add(funding.vault_eth));
        world.expect_success(
            "send ETH to the vault",
            DEPLOYER,
            VAULT,
            funding.vault_eth,
            Vec::new(),
        )?;
    }
    Ok(())
}
