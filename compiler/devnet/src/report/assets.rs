//! The vault's balances before and after a run: ETH, the devnet's tokens, any other
//! contract that emitted an ERC-20 `Transfer` to or from the vault, and the ERC-721 tokens
//! that an ERC-721 `Transfer` moved in or out.

use alloy_primitives::{b256, Address, Log, B256, U256};

use super::known::Known;
use super::reads;
use super::types::AssetChange;
use crate::amount::delta;
use crate::deploy::World;

/// `keccak256("Transfer(address,address,uint256)")`.
pub(crate) const TRANSFER_TOPIC: B256 =
    b256!("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

/// A token whose balance the report measures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TokenMeta {
    /// The token contract.
    pub address: Address,
    /// Its symbol (or its address when it has none).
    pub symbol: String,
    /// Its decimals (0 when it does not say).
    pub decimals: u8,
}

/// The tokens to measure: `known` (the devnet's, in order), then every other contract that
/// emitted a three-topic `Transfer` involving `vault` in `logs`, in order of first appearance.
pub(crate) fn touched_tokens(
    known: &[TokenMeta],
    logs: &[&Log],
    vault: Address,
    before: &World,
    after: &World,
) -> Vec<TokenMeta> {
    let mut tokens = known.to_vec();
    let vault_topic = vault.into_word();
    for log in logs {
        let topics = log.data.topics();
        let involves_vault = topics.len() == 3
            && topics[0] == TRANSFER_TOPIC
            && (topics[1] == vault_topic || topics[2] == vault_topic);
        if !involves_vault || tokens.iter().any(|t| t.address == log.address) {
            continue;
        }
        // The contract may have been created during the run: ask the post-run state first.
        let symbol = reads::symbol(after, log.address)
            .or_else(|| reads::symbol(before, log.address))
            .unwrap_or_else(|| log.address.to_checksum(None));
        let decimals = reads::decimals(after, log.address)
            .or_else(|| reads::decimals(before, log.address))
            .unwrap_or(0);
        tokens.push(TokenMeta {
            address: log.address,
            symbol,
            decimals,
        });
    }
    tokens
}

/// ETH and every token in `tokens` whose balance held by `vault` differs between `before` and
/// `after`. A token that cannot be read after the run is left out; one that cannot be read
/// before it (created during the run) started at zero.
pub(crate) fn asset_changes(
    before: &World,
    after: &World,
    vault: Address,
    tokens: &[TokenMeta],
) -> Vec<AssetChange> {
    let mut changes = Vec::new();
    let (eth_before, eth_after) = (before.balance(vault), after.balance(vault));
    if eth_before != eth_after {
        changes.push(change(
            "ETH".into(),
            "ETH".into(),
            18,
            eth_before,
            eth_after,
        ));
    }
    for token in tokens {
        let Some(balance_after) = reads::balance_of(after, token.address, vault) else {
            continue;
        };
        let balance_before = reads::balance_of(before, token.address, vault).unwrap_or_default();
        if balance_before != balance_after {
            changes.push(change(
                token.address.to_checksum(None),
                token.symbol.clone(),
                token.decimals,
                balance_before,
                balance_after,
            ));
        }
    }
    changes
}

/// Every ERC-721 token that a four-topic `Transfer` (`Transfer(address,address,uint256
/// indexed)`) in `logs` moved to or from `vault` and whose ownership by `vault` differs
/// between `before` and `after` (`ownerOf`; a token that cannot be read is not owned), in
/// order of first appearance.
pub(crate) fn nft_changes(
    logs: &[&Log],
    vault: Address,
    before: &World,
    after: &World,
    known: &Known,
) -> Vec<AssetChange> {
    let vault_topic = vault.into_word();
    let mut moved: Vec<(Address, U256)> = Vec::new();
    for log in logs {
        let topics = log.data.topics();
        let involves_vault = topics.len() == 4
            && topics[0] == TRANSFER_TOPIC
            && (topics[1] == vault_topic || topics[2] == vault_topic);
        let nft = (
            log.address,
            U256::from_be_bytes(topics.get(3).copied().unwrap_or_default().0),
        );
        if involves_vault && !moved.contains(&nft) {
            moved.push(nft);
        }
    }
    let owned = |world: &World, token: Address, id: U256| {
        U256::from(u8::from(reads::owner_of(world, token, id) == Some(vault)))
    };
    let mut changes = Vec::new();
    for (token, id) in moved {
        let (was, now) = (owned(before, token, id), owned(after, token, id));
        if was == now {
            continue;
        }
        let symbol = reads::symbol(after, token)
            .or_else(|| reads::symbol(before, token))
            .or_else(|| known.name(token).map(str::to_string))
            .unwrap_or_else(|| token.to_checksum(None));
        let mut change = change(token.to_checksum(None), symbol, 0, was, now);
        change.token_id = Some(id.to_string());
        changes.push(change);
    }
    changes
}

fn change(
    token: String,
    symbol: String,
    decimals: u8,
    before: alloy_primitives::U256,
    after: alloy_primitives::U256,
) -> AssetChange {
    AssetChange {
        token,
        symbol,
        decimals,
        before: before.to_string(),
        after: after.to_string(),
        delta: delta(before, after).to_string(),
        token_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn transfer_topic_is_the_event_hash() {
        assert_eq!(
            TRANSFER_TOPIC,
            keccak256("Transfer(address,address,uint256)")
        );
    }
}
