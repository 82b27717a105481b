//! The devnet's second ERC-4626 vault: steakUSDC (Morpho's Steakhouse USDC, at its mainnet
//! address) over USDC, 18-decimal shares at 1.05 USDC a share; a scenario's
//! `[vault.tokens]` seeds its shares; its price follows its exchange rate.

use crate::support::*;
use nest_devnet::addresses::{token, STEAKUSDC};

sol! {
    interface IVaultMeta {
        function asset() external view returns (address);
        function decimals() external view returns (uint8);
        function symbol() external view returns (string);
        function name() external view returns (string);
        function previewRedeem(uint256 shares) external view returns (uint256);
    }
}

/// 10^12: steakUSDC base units per USDC base unit at par.
fn scale() -> U256 {
    U256::from(1_000_000_000_000u64)
}

#[test]
fn steakusdc_is_an_erc4626_vault_over_usdc_at_one_point_zero_five() {
    let mut world = world();
    assert_eq!(view(&world, STEAKUSDC, IVaultMeta::assetCall {}), USDC);
    assert_eq!(view(&world, STEAKUSDC, IVaultMeta::decimalsCall {}), 18);
    assert_eq!(
        view(&world, STEAKUSDC, IVaultMeta::symbolCall {}),
        "steakUSDC"
    );
    assert_eq!(
        view(&world, STEAKUSDC, IVaultMeta::nameCall {}),
        "Steakhouse USDC"
    );
    // The report names it from the devnet's token table.
    let info = token(STEAKUSDC).expect("a devnet token");
    assert_eq!((info.symbol, info.decimals), ("steakUSDC", 18));

    let assets = units(10_500, 6);
    fund(&mut world, USDC, TRADER, assets, STEAKUSDC);
    let preview = view(&world, STEAKUSDC, I4626::previewDepositCall { assets });
    // 10,500 USDC at 1.05: 10,000 shares of 18 decimals, rounded down.
    assert!(
        preview <= units(10_000, 18) && preview > units(10_000, 18) - scale(),
        "{preview}"
    );
    let total_before = view(&world, STEAKUSDC, I4626::totalAssetsCall {});
    let shares = send(
        &mut world,
        TRADER,
        STEAKUSDC,
        U256::ZERO,
        I4626::depositCall {
            assets,
            receiver: TRADER,
        },
    );
    assert_eq!(shares, preview);
    assert_eq!(balance(&world, STEAKUSDC, TRADER), shares);
    assert_eq!(balance(&world, USDC, TRADER), U256::ZERO);
    assert_eq!(
        view(&world, STEAKUSDC, I4626::totalAssetsCall {}),
        total_before + assets
    );

    let back = send(
        &mut world,
        TRADER,
        STEAKUSDC,
        U256::ZERO,
        I4626::redeemCall {
            shares,
            receiver: TRADER,
            owner: TRADER,
        },
    );
    // Rounded in the vault's favour both ways: at most one USDC base unit lost.
    assert!(back <= assets && back + U256::from(1) >= assets, "{back}");
    assert_eq!(balance(&world, USDC, TRADER), back);
    assert_eq!(balance(&world, STEAKUSDC, TRADER), U256::ZERO);
}

#[test]
fn sdai_keeps_its_own_rate_beside_steakusdc() {
    let world = world();
    let one = units(1, 18);
    let sdai = view(&world, SDAI, IVaultMeta::previewRedeemCall { shares: one });
    let steak = view(
        &world,
        STEAKUSDC,
        IVaultMeta::previewRedeemCall { shares: one },
    );
    // 1.1 DAI a share (18 decimals), 1.05 USDC a share (6 decimals).
    assert!(
        sdai <= units(11, 17) && sdai + U256::from(1) >= units(11, 17),
        "{sdai}"
    );
    assert!(
        steak <= units(105, 4) && steak + U256::from(1) >= units(105, 4),
        "{steak}"
    );
}

#[test]
fn a_scenario_seeds_steakusdc_shares_by_name() {
    let text = "[vault.tokens]\nsteakusdc = 2500\nUSDC = 10\n";
    let seeded = world_with(&scenario(text).funding());
    assert_eq!(balance(&seeded, STEAKUSDC, VAULT), units(2_500, 18));
    assert_eq!(balance(&seeded, USDC, VAULT), units(10, 6));
    // By default the vault holds a million.
    assert_eq!(balance(&world(), STEAKUSDC, VAULT), units(1_000_000, 18));
    let message = scenario_error("[prices]\nSTEAKUSDC = 2\n");
    assert!(message.contains("follows its exchange rate"), "{message}");
}
