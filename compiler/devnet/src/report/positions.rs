//! The vault's lending positions before and after a run (`position_changes` in the report):
//! Aave V3 supply and variable debt (aToken and debt-token balances) with the health factor,
//! Compound III base supply, base borrow and collateral, Morpho Blue supply, borrow and
//! collateral (shares converted to assets with the market's totals). Only the markets the run
//! touched are read: a protocol is read when some call of the trace went to it, and its
//! markets are those the devnet lists plus those the calls named. ERC-4626 vault shares are
//! ERC-20 balances and are already in `asset_changes`.
//!
//! Every read goes through one reader function, so fork mode runs the very same reads on the
//! fork first (`fork/prefetch.rs`) to fetch what they touch.

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall};
use nest_hyvm::CallNode;

use super::types::PositionChange;
use crate::amount::delta;
use crate::deploy::World;
use crate::layout::Layout;

sol! {
    interface IPositionReads {
        function balanceOf(address owner) external view returns (uint256);
        function decimals() external view returns (uint256);
        function symbol() external view returns (string);
        // Aave V3
        function getUserAccountData(address user) external view returns (
            uint256 totalCollateralBase, uint256 totalDebtBase, uint256 availableBorrowsBase,
            uint256 currentLiquidationThreshold, uint256 ltv, uint256 healthFactor);
        function getReserveTokensAddresses(address asset) external view returns (
            address aTokenAddress, address stableDebtTokenAddress, address variableDebtTokenAddress);
        function getReserveData(address asset) external view returns (uint256);
        // Compound III
        function baseToken() external view returns (address);
        function borrowBalanceOf(address account) external view returns (uint256);
        function collateralBalanceOf(address account, address asset) external view returns (uint128);
        // Morpho Blue
        function position(bytes32 id, address user) external view returns (
            uint256 supplyShares, uint128 borrowShares, uint128 collateral);
        function market(bytes32 id) external view returns (
            uint128 totalSupplyAssets, uint128 totalSupplyShares, uint128 totalBorrowAssets,
            uint128 totalBorrowShares, uint128 lastUpdate, uint128 fee);
        function idToMarketParams(bytes32 id) external view returns (
            address loanToken, address collateralToken, address oracle, address irm, uint256 lltv);
    }
}

/// Morpho Blue's virtual shares and assets (`SharesMathLib`).
const VIRTUAL_SHARES: u64 = 1_000_000;
const VIRTUAL_ASSETS: u64 = 1;

/// The markets a run touched, found once from its call tree and read before and after.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Markets {
    /// The Aave pool and data provider, and the reserves to read: the devnet's, or on a
    /// fork the assets the run's calls to the pool named.
    aave: Option<Aave>,
    /// Each Comet the run called, with the collateral assets to read.
    comets: Vec<(Address, Vec<Address>)>,
    /// Morpho Blue and the market ids to read.
    morpho: Option<(Address, Vec<B256>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Aave {
    pool: Address,
    data_provider: Address,
    /// `(asset, Some((aToken, variableDebtToken)))` when the layout knows them, else `None`
    /// (asked of the data provider).
    reserves: Vec<(Address, Option<(Address, Address)>)>,
}

/// The markets the run's calls touched, at any depth (reverted frames included: their
/// markets are read too, and show no change).
pub(crate) fn touched(trace: &CallNode, layout: &Layout) -> Markets {
    let mut nodes = Vec::new();
    collect(trace, &mut nodes);
    let mut markets = Markets::default();

    let aave_tokens = |to: Address| {
        layout
            .aave_reserves
            .iter()
            .any(|r| r.a_token == to || r.variable_debt_token == to)
    };
    if nodes
        .iter()
        .any(|n| n.to == layout.aave_pool || aave_tokens(n.to))
    {
        let mut reserves: Vec<(Address, Option<(Address, Address)>)> = layout
            .aave_reserves
            .iter()
            .map(|r| (r.asset, Some((r.a_token, r.variable_debt_token))))
            .collect();
        for n in nodes.iter().filter(|n| n.to == layout.aave_pool) {
            // Every user function of the pool names the reserve first.
            if let Some(asset) = address_word(&n.input, 0) {
                if !reserves.iter().any(|(a, _)| *a == asset) {
                    reserves.push((asset, None));
                }
            }
        }
        markets.aave = Some(Aave {
            pool: layout.aave_pool,
            data_provider: layout.aave_data_provider,
            reserves,
        });
    }

    for comet in [layout.comet_usdc, layout.comet_weth] {
        let calls: Vec<&&CallNode> = nodes.iter().filter(|n| n.to == comet).collect();
        if calls.is_empty() {
            continue;
        }
        let mut assets: Vec<Address> = layout.tokens.iter().map(|t| t.address).collect();
        for n in calls {
            let words = n.input.len().saturating_sub(4) / 32;
            for i in 0..words.min(8) {
                if let Some(a) = address_word(&n.input, i) {
                    if !assets.contains(&a) {
                        assets.push(a);
                    }
                }
            }
        }
        markets.comets.push((comet, assets));
    }

    if nodes.iter().any(|n| n.to == layout.morpho) {
        let mut ids: Vec<B256> = layout.morpho_markets.iter().map(|m| m.id).collect();
        for n in nodes.iter().filter(|n| n.to == layout.morpho) {
            // Morpho's market functions take `MarketParams` (five words) first; the id is
            // their hash. A call that takes something else gives an id without positions.
            if n.input.len() >= 4 + 160 {
                let id = keccak256(&n.input[4..164]);
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        markets.morpho = Some((layout.morpho, ids));
    }
    markets
}

fn collect<'a>(node: &'a CallNode, out: &mut Vec<&'a CallNode>) {
    out.push(node);
    for child in &node.children {
        collect(child, out);
    }
}

/// The `i`-th argument word of `input` when it looks like an address (12 zero bytes, not
/// zero itself).
fn address_word(input: &[u8], i: usize) -> Option<Address> {
    let word = input.get(4 + 32 * i..4 + 32 * (i + 1))?;
    if word[..12].iter().any(|b| *b != 0) {
        return None;
    }
    let address = Address::from_slice(&word[12..]);
    (!address.is_zero()).then_some(address)
}

/// The `i`-th word of an answer as an address.
fn word_address(output: &[u8], i: usize) -> Option<Address> {
    let word = output.get(32 * i..32 * (i + 1))?;
    Some(Address::from_slice(&word[12..]))
}

/// One position as read: which and how much.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    protocol: &'static str,
    /// The pool, Comet or Morpho market id.
    market: String,
    asset: Address,
    kind: &'static str,
    /// `true` when `amount` is Morpho shares (the market's totals could not be read).
    shares: bool,
    amount: U256,
}

/// Every position read at one moment, and the Aave health factor (`None` without debt).
#[derive(Clone, Debug, Default)]
pub(crate) struct Snapshot {
    entries: Vec<Entry>,
    health_factor: Option<U256>,
    /// Symbol and decimals of each asset.
    meta: Vec<(Address, Option<String>, Option<u8>)>,
}

/// Reads every position of `vault` in `markets` with `read` (`to`, calldata → the output,
/// `None` when the call failed). An error of `read` (a fork that cannot answer) is returned.
pub(crate) fn read_positions<E>(
    markets: &Markets,
    vault: Address,
    read: &mut impl FnMut(Address, Vec<u8>) -> Result<Option<Bytes>, E>,
) -> Result<Snapshot, E> {
    let mut call = |to: Address, data: Vec<u8>| read(to, data);
    let mut snap = Snapshot::default();
    let push = |snap: &mut Snapshot, e: Entry| {
        if !e.amount.is_zero() {
            snap.entries.push(e);
        }
    };

    if let Some(aave) = &markets.aave {
        let market = aave.pool.to_checksum(None);
        for (asset, tokens) in &aave.reserves {
            let tokens = match tokens {
                Some(t) => Some(*t),
                None => decode::<IPositionReads::getReserveTokensAddressesCall>(call(
                    aave.data_provider,
                    IPositionReads::getReserveTokensAddressesCall { asset: *asset }.abi_encode(),
                )?)
                .map(|r| (r.aTokenAddress, r.variableDebtTokenAddress)),
            };
            // A data provider elsewhere than the devnet's (a fork): the pool's own
            // `getReserveData`, whose aToken and variable debt token are words 8 and 10.
            let tokens = match tokens {
                Some(t) => Some(t),
                None => call(
                    aave.pool,
                    IPositionReads::getReserveDataCall { asset: *asset }.abi_encode(),
                )?
                .and_then(|out| Some((word_address(&out, 8)?, word_address(&out, 10)?))),
            };
            let Some((a_token, debt_token)) = tokens else {
                continue;
            };
            for (token, kind) in [(a_token, "supply"), (debt_token, "debt")] {
                if token.is_zero() {
                    continue;
                }
                let amount = decode::<IPositionReads::balanceOfCall>(call(
                    token,
                    IPositionReads::balanceOfCall { owner: vault }.abi_encode(),
                )?)
                .unwrap_or_default();
                push(
                    &mut snap,
                    Entry {
                        protocol: "aave-v3",
                        market: market.clone(),
                        asset: *asset,
                        kind,
                        shares: false,
                        amount,
                    },
                );
            }
        }
        let account = decode::<IPositionReads::getUserAccountDataCall>(call(
            aave.pool,
            IPositionReads::getUserAccountDataCall { user: vault }.abi_encode(),
        )?);
        snap.health_factor = account
            .filter(|a| !a.totalDebtBase.is_zero())
            .map(|a| a.healthFactor);
    }

    for (comet, assets) in &markets.comets {
        let market = comet.to_checksum(None);
        let base = decode::<IPositionReads::baseTokenCall>(call(
            *comet,
            IPositionReads::baseTokenCall {}.abi_encode(),
        )?);
        if let Some(base) = base {
            let supply = decode::<IPositionReads::balanceOfCall>(call(
                *comet,
                IPositionReads::balanceOfCall { owner: vault }.abi_encode(),
            )?);
            let debt = decode::<IPositionReads::borrowBalanceOfCall>(call(
                *comet,
                IPositionReads::borrowBalanceOfCall { account: vault }.abi_encode(),
            )?);
            for (amount, kind) in [(supply, "supply"), (debt, "debt")] {
                push(
                    &mut snap,
                    Entry {
                        protocol: "compound-v3",
                        market: market.clone(),
                        asset: base,
                        kind,
                        shares: false,
                        amount: amount.unwrap_or_default(),
                    },
                );
            }
        }
        for asset in assets.iter().filter(|a| Some(**a) != base) {
            let amount = decode::<IPositionReads::collateralBalanceOfCall>(call(
                *comet,
                IPositionReads::collateralBalanceOfCall {
                    account: vault,
                    asset: *asset,
                }
                .abi_encode(),
            )?);
            push(
                &mut snap,
                Entry {
                    protocol: "compound-v3",
                    market: market.clone(),
                    asset: *asset,
                    kind: "collateral",
                    shares: false,
                    amount: U256::from(amount.unwrap_or_default()),
                },
            );
        }
    }

    if let Some((morpho, ids)) = &markets.morpho {
        for id in ids {
            let Some(p) = decode::<IPositionReads::positionCall>(call(
                *morpho,
                IPositionReads::positionCall {
                    id: *id,
                    user: vault,
                }
                .abi_encode(),
            )?) else {
                continue;
            };
            if p.supplyShares.is_zero() && p.borrowShares == 0 && p.collateral == 0 {
                continue;
            }
            let Some(params) = decode::<IPositionReads::idToMarketParamsCall>(call(
                *morpho,
                IPositionReads::idToMarketParamsCall { id: *id }.abi_encode(),
            )?) else {
                continue;
            };
            let totals = decode::<IPositionReads::marketCall>(call(
                *morpho,
                IPositionReads::marketCall { id: *id }.abi_encode(),
            )?);
            let market = id.to_string();
            let supply = match &totals {
                Some(t) => (
                    false,
                    to_assets(
                        p.supplyShares,
                        t.totalSupplyAssets,
                        t.totalSupplyShares,
                        false,
                    ),
                ),
                None => (true, p.supplyShares),
            };
            let borrow_shares = U256::from(p.borrowShares);
            let debt = match &totals {
                Some(t) => (
                    false,
                    to_assets(
                        borrow_shares,
                        t.totalBorrowAssets,
                        t.totalBorrowShares,
                        true,
                    ),
                ),
                None => (true, borrow_shares),
            };
            for ((shares, amount), asset, kind) in [
                (supply, params.loanToken, "supply"),
                (debt, params.loanToken, "debt"),
                (
                    (false, U256::from(p.collateral)),
                    params.collateralToken,
                    "collateral",
                ),
            ] {
                push(
                    &mut snap,
                    Entry {
                        protocol: "morpho-blue",
                        market: market.clone(),
                        asset,
                        kind,
                        shares,
                        amount,
                    },
                );
            }
        }
    }

    let mut assets: Vec<Address> = Vec::new();
    for e in &snap.entries {
        if !assets.contains(&e.asset) {
            assets.push(e.asset);
        }
    }
    for asset in assets {
        let symbol = decode::<IPositionReads::symbolCall>(call(
            asset,
            IPositionReads::symbolCall {}.abi_encode(),
        )?);
        let decimals = decode::<IPositionReads::decimalsCall>(call(
            asset,
            IPositionReads::decimalsCall {}.abi_encode(),
        )?)
        .and_then(|d| u8::try_from(d).ok());
        snap.meta.push((asset, symbol, decimals));
    }
    Ok(snap)
}

/// Morpho's `toAssetsDown` / `toAssetsUp` with its virtual shares and assets.
fn to_assets(shares: U256, total_assets: u128, total_shares: u128, up: bool) -> U256 {
    let assets = U256::from(total_assets) + U256::from(VIRTUAL_ASSETS);
    let total = U256::from(total_shares) + U256::from(VIRTUAL_SHARES);
    let Some(product) = shares.checked_mul(assets) else {
        return U256::MAX;
    };
    if up {
        (product + total - U256::from(1)) / total
    } else {
        product / total
    }
}

fn decode<C: SolCall>(output: Option<Bytes>) -> Option<C::Return> {
    C::abi_decode_returns(&output?).ok()
}

/// Reads the positions on a devnet (or fork snapshot) state.
fn read_on(world: &World, markets: &Markets, vault: Address) -> Snapshot {
    let mut read =
        |to: Address, data: Vec<u8>| -> Result<Option<Bytes>, std::convert::Infallible> {
            Ok(world.view(to, data).ok())
        };
    match read_positions(markets, vault, &mut read) {
        Ok(snap) => snap,
        Err(never) => match never {},
    }
}

/// The positions of `vault` that differ between `before` and `after`, in the markets the
/// run's `trace` touched: Aave first, then Compound III, then Morpho Blue, in the order read.
pub(crate) fn position_changes(
    trace: &CallNode,
    before: &World,
    after: &World,
    vault: Address,
) -> Vec<PositionChange> {
    let markets = touched(trace, &before.layout);
    if markets == Markets::default() {
        return Vec::new();
    }
    let old = read_on(before, &markets, vault);
    let new = read_on(after, &markets, vault);
    changes(&old, &new)
}

/// One entry per position whose amount differs (a position absent from a snapshot is zero).
fn changes(old: &Snapshot, new: &Snapshot) -> Vec<PositionChange> {
    let same = |a: &Entry, b: &Entry| {
        (a.protocol, &a.market, a.asset, a.kind) == (b.protocol, &b.market, b.asset, b.kind)
    };
    let mut keys: Vec<&Entry> = Vec::new();
    for e in old.entries.iter().chain(&new.entries) {
        if !keys.iter().any(|k| same(k, e)) {
            keys.push(e);
        }
    }
    let hf = |h: Option<U256>| h.map(|h| h.to_string());
    let mut out = Vec::new();
    for key in keys {
        let find = |s: &Snapshot| s.entries.iter().find(|e| same(e, key)).cloned();
        let (b, a) = (find(old), find(new));
        let before = b.as_ref().map_or(U256::ZERO, |e| e.amount);
        let after_ = a.as_ref().map_or(U256::ZERO, |e| e.amount);
        if before == after_ {
            continue;
        }
        let shares = b.as_ref().is_some_and(|e| e.shares) || a.as_ref().is_some_and(|e| e.shares);
        let meta = new
            .meta
            .iter()
            .chain(&old.meta)
            .find(|(asset, _, _)| *asset == key.asset);
        let symbol = meta.and_then(|(_, s, _)| s.clone());
        let decimals = meta.and_then(|(_, _, d)| *d);
        let aave = key.protocol == "aave-v3";
        out.push(PositionChange {
            protocol: key.protocol.to_string(),
            market: key.market.clone(),
            asset: symbol.unwrap_or_else(|| key.asset.to_checksum(None)),
            asset_address: key.asset.to_checksum(None),
            decimals,
            kind: key.kind.to_string(),
            unit: if shares { "shares" } else { "assets" }.to_string(),
            before: before.to_string(),
            after: after_.to_string(),
            delta: delta(before, after_).to_string(),
            health_factor_before: aave.then(|| hf(old.health_factor)),
            health_factor_after: aave.then(|| hf(new.health_factor)),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morpho_shares_convert_as_morpho_rounds() {
        // An empty market: 1e6 shares per asset.
        assert_eq!(
            to_assets(U256::from(1_000_000u64), 0, 0, false),
            U256::from(1)
        );
        assert_eq!(to_assets(U256::from(1u64), 0, 0, true), U256::from(1));
        assert_eq!(to_assets(U256::from(1u64), 0, 0, false), U256::ZERO);
    }

    #[test]
    fn address_words_skip_amounts_and_zero() {
        let mut input = vec![0u8; 4 + 96];
        input[4 + 31] = 0; // zero: not an address
        input[4 + 32 + 12..4 + 64].copy_from_slice(&[0x11; 20]);
        input[4 + 64] = 1; // an amount with high bytes set
        assert_eq!(address_word(&input, 0), None);
        assert_eq!(address_word(&input, 1), Some(Address::repeat_byte(0x11)));
        assert_eq!(address_word(&input, 2), None);
        assert_eq!(address_word(&input, 3), None);
    }
}
