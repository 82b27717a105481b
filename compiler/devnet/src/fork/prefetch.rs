//! The report is assembled on in-memory snapshots of the fork, which answer zero for anything
//! never fetched. So before taking them, every read-only call the report may make (`report/reads.rs`:
//! balances, symbols, decimals, allowances and approvals of the vault, owners of NFTs it moved) is run once on the fork,
//! before and after the run, which fetches every account and slot those calls touch; so
//! are the reads of the vault's lending positions (`report/positions.rs`).

use alloy_primitives::{Address, Log, U256};
use alloy_sol_types::{sol, SolCall};
use revm::context::BlockEnv;
use revm::DatabaseRef;

use super::error::ForkError;
use super::view::view;
use crate::report::assets::TRANSFER_TOPIC;
use crate::report::positions::{read_positions, Markets};
use crate::report::reads::owner_of_call;

sol! {
    interface IReportReads {
        function balanceOf(address owner) external view returns (uint256);
        function decimals() external view returns (uint256);
        function symbol() external view returns (string);
    }
}

/// Runs on `before` and on `after` every read the report may make about `vault`: balance,
/// symbol and decimals of each of `tokens` and of every contract that logged, owners of the
/// NFTs that moved, and `permission_reads` (`allowances::read_calls`: every read-back of a
/// permission the vault may have granted). A superset of the report's calls: extra calls only
/// fetch more.
#[allow(clippy::too_many_arguments)] // each is one kind of read the report makes
pub(crate) fn prefetch_report_reads<DB>(
    before: &DB,
    after: &DB,
    block: &BlockEnv,
    vault: Address,
    tokens: &[Address],
    logs: &[&Log],
    permission_reads: &[(Address, Vec<u8>)],
    markets: &Markets,
) -> Result<(), ForkError>
where
    DB: DatabaseRef<Error = ForkError>,
{
    let calls = report_calls(vault, tokens, logs, permission_reads);
    for db in [before, after] {
        for (to, data) in &calls {
            view(db, block, *to, data.clone())?;
        }
        // The lending positions, read exactly as the report reads them (`positions.rs`):
        // each read depends on the answers of the ones before (a reserve's tokens, a
        // market's parameters), so they are made, not listed.
        read_positions(markets, vault, &mut |to, data| view(db, block, to, data))?;
    }
    Ok(())
}

/// The calls, each once, in a stable order.
fn report_calls(
    vault: Address,
    tokens: &[Address],
    logs: &[&Log],
    permission_reads: &[(Address, Vec<u8>)],
) -> Vec<(Address, Vec<u8>)> {
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
        // An ERC-721 token that came in or left: its owner (`assets.rs`).
        if topics.len() == 4
            && topics[0] == TRANSFER_TOPIC
            && (topics[1] == vault_topic || topics[2] == vault_topic)
        {
            let token_id = U256::from_be_bytes(topics[3].0);
            calls.push((log.address, owner_of_call(token_id)));
        }
    }
    // Every permission the vault may have granted, read as `allowances.rs` reads it.
    calls.extend(permission_reads.iter().cloned());
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
    fn permission_reads_are_made_after_the_reports_own() {
        let vault = address!("0x00000000000000000000000000000000000000aa");
        let token = address!("0x00000000000000000000000000000000000000cc");
        let log = Log {
            address: token,
            data: LogData::new_unchecked(vec![B256::repeat_byte(1)], Default::default()),
        };
        let allowance = (token, vec![0xdd, 0x62, 0xed, 0x3e]);
        let calls = report_calls(
            vault,
            &[token],
            &[&log, &log],
            std::slice::from_ref(&allowance),
        );
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
                [0xdd, 0x62, 0xed, 0x3e],
            ]
        );
        assert!(calls.iter().all(|(to, _)| *to == token));
    }
}
