//! Permissions left behind, measured: every approval the vault granted during the run (seen
//! in the trace's logs, reverted frames and later revocations included) is read back on the
//! post-run state and compared with the pre-run state.

use alloy_primitives::{b256, Address, Log, B256, U256};

use crate::deploy::World;
use crate::known::Known;
use crate::reads;
use crate::report::AllowanceLeft;

/// `keccak256("Approval(address,address,uint256)")`, ERC-20 (three topics) and ERC-721 (four).
pub const APPROVAL_TOPIC: B256 =
    b256!("8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
/// `keccak256("ApprovalForAll(address,address,bool)")`.
pub const APPROVAL_FOR_ALL_TOPIC: B256 =
    b256!("17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31");

/// `keccak256("Approval(address,address,address,uint160,uint48)")`: Permit2's allowance
/// (owner, token and spender indexed).
pub const PERMIT2_APPROVAL_TOPIC: B256 =
    b256!("da9fa7c1b00402c17d0161b249b1ab8bbec047c5a52207b9c112deffd817036b");
/// `keccak256("BorrowAllowanceDelegated(address,address,address,uint256)")`: Aave credit
/// delegation (from, to and asset indexed), emitted by the variable debt token.
pub const BORROW_DELEGATED_TOPIC: B256 =
    b256!("da919360433220e13b51e8c211e490d148e61a3bd53de8c097194e458b97f3e1");
/// `keccak256("SetAuthorization(address,address,address,bool)")`: Morpho Blue (caller,
/// authorizer and authorized indexed).
pub const MORPHO_AUTHORIZATION_TOPIC: B256 =
    b256!("d5e969f01efe921d3f766bdebad25f0a05e3f237311f56482bf132d0326309c0");

/// A permission the vault granted during the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grant {
    /// ERC-20 `approve`: `allowance(vault, spender)`.
    Allowance { token: Address, spender: Address },
    /// ERC-721 `approve`: `getApproved(token_id)`.
    Approved {
        token: Address,
        spender: Address,
        token_id: U256,
    },
    /// `setApprovalForAll`: `isApprovedForAll(vault, operator)`.
    Operator { token: Address, operator: Address },
    /// Permit2 `approve(token, spender, …)`: `allowance(vault, token, spender)` on Permit2.
    Permit2 {
        permit2: Address,
        token: Address,
        spender: Address,
    },
    /// Aave `approveDelegation(delegatee, …)` on a debt token.
    Delegation {
        debt_token: Address,
        delegatee: Address,
    },
    /// Morpho `setAuthorization(authorized, true)`.
    Authorization {
        morpho: Address,
        authorized: Address,
    },
}

/// The grants by `vault` among `logs`, each once, in order of first appearance.
fn grants(logs: &[&Log], vault: Address) -> Vec<Grant> {
    let vault_topic = vault.into_word();
    let mut found = Vec::new();
    for log in logs {
        let topics = log.data.topics();
        if topics.len() == 4 && topics[0] == MORPHO_AUTHORIZATION_TOPIC && topics[2] == vault_topic
        {
            let grant = Grant::Authorization {
                morpho: log.address,
                authorized: Address::from_word(topics[3]),
            };
            if !found.contains(&grant) {
                found.push(grant);
            }
            continue;
        }
        if topics.len() < 3 || topics[1] != vault_topic {
            continue;
        }
        let second = Address::from_word(topics[2]);
        let third = topics.get(3).map(|t| Address::from_word(*t));
        let grant = match (topics[0], topics.len()) {
            (t, 4) if t == PERMIT2_APPROVAL_TOPIC => Grant::Permit2 {
                permit2: log.address,
                token: second,
                spender: third.unwrap_or_default(),
            },
            (t, 4) if t == BORROW_DELEGATED_TOPIC => Grant::Delegation {
                debt_token: log.address,
                delegatee: second,
            },
            (t, 3) if t == APPROVAL_TOPIC => Grant::Allowance {
                token: log.address,
                spender: second,
            },
            (t, 4) if t == APPROVAL_TOPIC => Grant::Approved {
                token: log.address,
                spender: second,
                token_id: U256::from_be_bytes(topics[3].0),
            },
            (t, 3) if t == APPROVAL_FOR_ALL_TOPIC => Grant::Operator {
                token: log.address,
                operator: second,
            },
            _ => continue,
        };
        if !found.contains(&grant) {
            found.push(grant);
        }
    }
    found
}

/// Every grant by `vault` in `logs` that is in force on `after` and was not (or was smaller)
/// on `before`. A grant that cannot be read back after the run is listed with `after`
/// `unknown`: it cannot be shown to be gone.
pub fn allowances_left(
    logs: &[&Log],
    vault: Address,
    before: &World,
    after: &World,
    known: &Known,
) -> Vec<AllowanceLeft> {
    let name = |a: Address| known.name(a).map(str::to_string);
    let decimals = |a: Address| reads::decimals(after, a).or_else(|| reads::decimals(before, a));
    let mut left = Vec::new();
    for grant in grants(logs, vault) {
        let (kind, token, spender, token_id, decimals, was, now) = match grant {
            Grant::Allowance { token, spender } => {
                // Compound III's `allow(manager, true)` shows as an unlimited allowance: it
                // is a manager right over the vault's whole account.
                if let Some(now) = reads::comet_is_allowed(after, token, vault, spender) {
                    let was =
                        reads::comet_is_allowed(before, token, vault, spender).unwrap_or_default();
                    if !now || was {
                        continue;
                    }
                    let (was, now) = (was.to_string(), now.to_string());
                    ("comet-manager", token, spender, None, None, was, now)
                } else {
                    let was = reads::allowance(before, token, vault, spender).unwrap_or_default();
                    let now = reads::allowance(after, token, vault, spender);
                    if now.is_some_and(|now| now.is_zero() || now <= was) {
                        continue;
                    }
                    let now = now.map_or_else(|| "unknown".into(), |n| n.to_string());
                    let decimals = decimals(token);
                    let was = was.to_string();
                    ("erc20-allowance", token, spender, None, decimals, was, now)
                }
            }
            Grant::Approved {
                token,
                spender,
                token_id,
            } => {
                let was = reads::get_approved(before, token, token_id) == Some(spender);
                let now = reads::get_approved(after, token, token_id);
                if now.is_some_and(|now| now != spender || was) {
                    continue;
                }
                let now = now.map_or_else(|| "unknown".into(), |_| "true".into());
                let id = Some(token_id.to_string());
                let was = was.to_string();
                ("erc721-approval", token, spender, id, None, was, now)
            }
            Grant::Operator { token, operator } => {
                let was =
                    reads::is_approved_for_all(before, token, vault, operator).unwrap_or_default();
                let now = reads::is_approved_for_all(after, token, vault, operator);
                if now.is_some_and(|now| !now || was) {
                    continue;
                }
                let now = now.map_or_else(|| "unknown".into(), |n| n.to_string());
                (
                    "operator-approval",
                    token,
                    operator,
                    None,
                    None,
                    was.to_string(),
                    now,
                )
            }
            Grant::Permit2 {
                permit2,
                token,
                spender,
            } => {
                let live = |w: &World| {
                    reads::permit2_allowance(w, permit2, vault, token, spender).map(
                        |(amount, expiration)| {
                            if expiration >= w.block.timestamp.to::<u64>() {
                                amount
                            } else {
                                U256::ZERO
                            }
                        },
                    )
                };
                let was = live(before).unwrap_or_default();
                let now = live(after);
                if now.is_some_and(|now| now.is_zero() || now <= was) {
                    continue;
                }
                let now = now.map_or_else(|| "unknown".into(), |n| n.to_string());
                (
                    "permit2-allowance",
                    token,
                    spender,
                    None,
                    decimals(token),
                    was.to_string(),
                    now,
                )
            }
            Grant::Delegation {
                debt_token,
                delegatee,
            } => {
                let was = reads::borrow_allowance(before, debt_token, vault, delegatee)
                    .unwrap_or_default();
                let now = reads::borrow_allowance(after, debt_token, vault, delegatee);
                if now.is_some_and(|now| now.is_zero() || now <= was) {
                    continue;
                }
                let now = now.map_or_else(|| "unknown".into(), |n| n.to_string());
                (
                    "credit-delegation",
                    debt_token,
                    delegatee,
                    None,
                    decimals(debt_token),
                    was.to_string(),
                    now,
                )
            }
            Grant::Authorization { morpho, authorized } => {
                let was =
                    reads::is_authorized(before, morpho, vault, authorized).unwrap_or_default();
                let now = reads::is_authorized(after, morpho, vault, authorized);
                if now.is_some_and(|now| !now || was) {
                    continue;
                }
                let now = now.map_or_else(|| "unknown".into(), |n| n.to_string());
                (
                    "authorization",
                    morpho,
                    authorized,
                    None,
                    None,
                    was.to_string(),
                    now,
                )
            }
        };
        left.push(AllowanceLeft {
            kind: kind.to_string(),
            token: token.to_checksum(None),
            symbol: name(token),
            spender: spender.to_checksum(None),
            spender_name: name(spender),
            token_id,
            decimals,
            before: was,
            after: now,
        });
    }
    left
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn topics_are_the_event_hashes() {
        assert_eq!(
            APPROVAL_TOPIC,
            keccak256("Approval(address,address,uint256)")
        );
        assert_eq!(
            APPROVAL_FOR_ALL_TOPIC,
            keccak256("ApprovalForAll(address,address,bool)")
        );
        assert_eq!(
            PERMIT2_APPROVAL_TOPIC,
            keccak256("Approval(address,address,address,uint160,uint48)")
        );
        assert_eq!(
            BORROW_DELEGATED_TOPIC,
            keccak256("BorrowAllowanceDelegated(address,address,address,uint256)")
        );
        assert_eq!(
            MORPHO_AUTHORIZATION_TOPIC,
            keccak256("SetAuthorization(address,address,address,bool)")
        );
    }
}
