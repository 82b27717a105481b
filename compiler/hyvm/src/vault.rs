//! Small hand-assembled contracts for tests and for running raw payloads.

use alloy_primitives::{Address, Bytes, U256};
use revm::bytecode::Bytecode;
use revm::database::InMemoryDB;
use revm::state::AccountInfo;

/// Runtime code of a minimal vault: it copies its calldata to memory, DELEGATECALLs `hyvm` with
/// it and all remaining gas, then returns or reverts with the HyVM's return data. It has no owner
/// check: anyone may call it.
///
/// ```text
/// 00  36        CALLDATASIZE        [cds]
/// 01  5f        PUSH0               [0, cds]
/// 02  5f        PUSH0               [0, 0, cds]
/// 03  37        CALLDATACOPY        mem[0..cds] = calldata
/// 04  5f        PUSH0               [retSize=0]
/// 05  5f        PUSH0               [retOffset=0, 0]
/// 06  36        CALLDATASIZE        [argsSize=cds, 0, 0]
/// 07  5f        PUSH0               [argsOffset=0, cds, 0, 0]
/// 08  73 <20>   PUSH20 hyvm         [hyvm, 0, cds, 0, 0]
/// 1d  5a        GAS                 [gas, hyvm, 0, cds, 0, 0]
/// 1e  f4        DELEGATECALL        [success]
/// 1f  3d        RETURNDATASIZE      [rds, success]
/// 20  5f        PUSH0               [0, rds, success]
/// 21  5f        PUSH0               [0, 0, rds, success]
/// 22  3e        RETURNDATACOPY      mem[0..rds] = returndata; [success]
/// 23  60 29     PUSH1 0x29          [0x29, success]
/// 25  57        JUMPI               jump to 0x29 on success
/// 26  3d        RETURNDATASIZE      [rds]
/// 27  5f        PUSH0               [0, rds]
/// 28  fd        REVERT              revert(0, rds)
/// 29  5b        JUMPDEST
/// 2a  3d        RETURNDATASIZE      [rds]
/// 2b  5f        PUSH0               [0, rds]
/// 2c  f3        RETURN              return(0, rds)
/// ```
pub fn forwarding_vault_code(hyvm: Address) -> Bytes {
    let mut code = vec![0x36, 0x5f, 0x5f, 0x37, 0x5f, 0x5f, 0x36, 0x5f, 0x73];
    code.extend_from_slice(hyvm.as_slice());
    code.extend_from_slice(&[
        0x5a, 0xf4, 0x3d, 0x5f, 0x5f, 0x3e, 0x60, 0x29, 0x57, 0x3d, 0x5f, 0xfd, 0x5b, 0x3d, 0x5f,
        0xf3,
    ]);
    Bytes::from(code)
}

/// Code to deploy at the HyVM's address so the account is not empty (EXTCODESIZE > 0): it
/// reverts with empty data (PUSH0 PUSH0 REVERT). The interpreter never runs it; a run without
/// the interpreter's inspector would hit it and revert rather than silently succeed.
pub fn hyvm_placeholder_code() -> Bytes {
    Bytes::from_static(&[0x5f, 0x5f, 0xfd])
}

/// The smallest world a guest runs in: the HyVM placeholder at `hyvm`, a forwarding vault
/// holding `vault_wei` at `vault`, and an `owner` with 1 ETH for gas.
pub fn bare_world(hyvm: Address, vault: Address, vault_wei: U256, owner: Address) -> InMemoryDB {
    let mut db = InMemoryDB::default();
    db.insert_account_info(
        hyvm,
        AccountInfo::from_bytecode(Bytecode::new_legacy(hyvm_placeholder_code())),
    );
    db.insert_account_info(
        vault,
        AccountInfo {
            balance: vault_wei,
            ..AccountInfo::from_bytecode(Bytecode::new_legacy(forwarding_vault_code(hyvm)))
        },
    );
    db.insert_account_info(
        owner,
        AccountInfo {
            balance: U256::from(10).pow(U256::from(18)),
            ..Default::default()
        },
    );
    db
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_jump_target_is_its_jumpdest() {
        let code = forwarding_vault_code(Address::repeat_byte(0x11));
        assert_eq!(code.len(), 0x2d);
        assert_eq!(code[0x29], 0x5b);
        assert_eq!(code[0x24], 0x29);
    }
}
