//! The report is assembled on in-memory snapshots of the fork, which answer zero for anything
//! never fetched. So before taking them, every read-only call the report may make (`reads.rs`:
//! balances, symbols, decimals, allowances and approvals of the vault, owners of NFTs it moved) is run once on the fork,
//! before and after the run, which fetches every account and slot those calls touch.

use alloy_primitives::{Address, Log, U256};
use alloy_sol_types::{sol, SolCall};
use revm::context::BlockEnv;
use revm::DatabaseRef;

use super::error::ForkError;
use super::view::view;

sol! {
    interface IReportReads {
        function balanceOf(address owner) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function decimals() external view returns (uint256);
        function symbol() external view returns (string);
        function getApproved(uint256 tokenId) external view returns (address);
        function isApprovedForAll(address owner, address operator) external view returns (bool);
    }
}

/// Runs on `before` and on `after` every read the report may make about `vault`: balance,
/// symbol and decimals of each of `tokens` and of every contract that logged, and for every log
/// naming the vault as its first indexed address, the allowance, operator approval and NFT
/// approval it may stand for. A superset of `reads.rs`'s calls: extra calls only fetch more.
pub(crate) fn prefetch_report_reads<DB>(
    before: &DB,
    after: &DB,
    block: &BlockEnv,
    vault: Address,
    tokens: &[Address],
    logs: &[&Log],
) -> Result<(), ForkError>
where
    DB: DatabaseRef<Error = ForkError>,
{
    let calls = report_calls(vault, tokens, logs);
    for db in [before, after] {
        for (to, data) in &calls {
            view(db, block, *to, data.clone())?;
        }
    }
    Ok(())
}

/// The calls, each once, in a stable order.
fn report_calls(vault: Address, tokens: &[Address], logs: &[&Log]) -> Vec<(Address, Vec<u8>)> {
    let mut contracts: Vec<Address> = tokens.to_vec();
    for log in logs {
        if !contracts.contains(&log.address) {
            contracts.push(log.address);
        }
    }
    let mut calls = Vec::new();
    for &contract in &contracts {
        calls.push((
            contract,
            IReportReads::balanceOfCall { owner: vault }.abi_encode(),
        ));
        calls.push((contract, IReportReads::symbolCall {}.abi_encode()));
        calls.push((contract, IReportReads::decimalsCall {}.abi_encode()));
    }
    let vault_topic = vault.into_word();
    for log in logs {
        let topics = log.data.topics();
        // Permissions whose read takes other arguments (see `allowances.rs`).
        if topics.len() == 4 {
            let (b, c) = (Address::from_word(topics[2]), Address::from_word(topics[3]));
            if topics[0] == crate::allowances::PERMIT2_APPROVAL_TOPIC && topics[1] == vault_topic {
                calls.push((
                    log.address,
                    crate::reads::permission_read_calls(log.address, "permit2", vault, b, c),
                ));
            } else if topics[0] == crate::allowances::BORROW_DELEGATED_TOPIC
                && topics[1] == vault_topic
            {
                calls.push((
                    log.address,
                    crate::reads::permission_read_calls(
                        log.address,
                        "credit-delegation",
                        vault,
                        b,
                        c,
                    ),
                ));
            } else if topics[0] == crate::allowances::MORPHO_AUTHORIZATION_TOPIC
                && topics[2] == vault_topic
            {
                calls.push((
                    log.address,
                    crate::reads::permission_read_calls(log.address, "authorization", vault, c, c),
                ));
            }
        }
        // An ERC-721 token that came in or left: its owner (`assets.rs`).
        if topics.len() == 4
            && topics[0] == crate::assets::TRANSFER_TOPIC
            && (topics[1] == vault_topic || topics[2] == vault_topic)
        {
            let token_id = U256::from_be_bytes(topics[3].0);
            calls.push((log.address, crate::reads::owner_of_call(token_id)));
        }
        if topics.len() < 3 || topics[1] != vault_topic {
            continue;
        }
        let other = Address::from_word(topics[2]);
        // A Compound III manager (`allowances.rs`).
        calls.push((
            log.address,
            crate::reads::comet_is_allowed_call(vault, other),
        ));
        calls.push((
            log.address,
            IReportReads::allowanceCall {
                owner: vault,
                spender: other,
            }
            .abi_encode(),
        ));
        calls.push((
            log.address,
            IReportReads::isApprovedForAllCall {
                owner: vault,
                operator: other,
            }
            .abi_encode(),
        ));
        if let Some(id) = topics.get(3) {
            let token_id = U256::from_be_bytes(id.0);
            calls.push((
                log.address,
                IReportReads::getApprovedCall { tokenId: token_id }.abi_encode(),
            ));
        }
    }
    let mut unique = Vec::with_capacity(calls.len());
    for call in calls {
        if !unique.contains(&call) {
            unique.push(call);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, LogData, B256};

    #[test]
    fn approvals_by_the_vault_add_allowance_reads() {
        let vault = address!("0x00000000000000000000000000000000000000aa");
        let spender = address!("0x00000000000000000000000000000000000000bb");
        let token = address!("0x00000000000000000000000000000000000000cc");
        let approval = Log {
            address: token,
            data: LogData::new_unchecked(
                vec![B256::repeat_byte(1), vault.into_word(), spender.into_word()],
                Default::default(),
            ),
        };
        let calls = report_calls(vault, &[token], &[&approval, &approval]);
        let is_allowed: [u8; 4] = alloy_primitives::keccak256("isAllowed(address,address)")[..4]
            .try_into()
            .unwrap();
        let selectors: Vec<[u8; 4]> = calls
            .iter()
            .map(|(_, data)| [data[0], data[1], data[2], data[3]])
            .collect();
        assert_eq!(
            selectors,
            [
                IReportReads::balanceOfCall::SELECTOR,
                IReportReads::symbolCall::SELECTOR,
                IReportReads::decimalsCall::SELECTOR,
                is_allowed,
                IReportReads::allowanceCall::SELECTOR,
                IReportReads::isApprovedForAllCall::SELECTOR,
            ]
        );
        assert!(calls.iter().all(|(to, _)| *to == token));
    }
}
