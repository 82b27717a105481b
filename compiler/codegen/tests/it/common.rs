//! Shared by the code generator's integration tests: a vault that DELEGATECALLs the
//! embedded HyVM, a contract to call, and one function that compiles an IR module and
//! runs it there.
#![allow(dead_code)]

use alloy_primitives::{Address, Bytes, U256};
use nest_codegen::Options;
use nest_hyvm::{execute, Env, Execution, HyvmConfig, Transaction};
use nest_ir::Module;
use revm::bytecode::Bytecode;
use revm::database::InMemoryDB;
use revm::state::AccountInfo;

/// The vault the payload runs in.
pub(crate) const VAULT: Address = Address::repeat_byte(0xfa);
/// The vault's owner, who sends the transaction.
pub(crate) const OWNER: Address = Address::repeat_byte(0xf0);
/// Where the contract the generated code calls is deployed.
pub(crate) const CALLEE: Address = Address::repeat_byte(0xec);

/// Code that returns (or, with `revert`, reverts with) `data` whatever it is called with.
pub(crate) fn responder(data: &[u8], revert: bool) -> Bytes {
    let n = data.len() as u16;
    let end = if revert { 0xfd } else { 0xf3 };
    let mut code = vec![
        0x61,
        (n >> 8) as u8,
        n as u8,
        0x60,
        13,
        0x5f,
        0x39,
        0x61,
        (n >> 8) as u8,
        n as u8,
        0x5f,
        end,
        0x00,
    ];
    code.extend_from_slice(data);
    Bytes::from(code)
}

/// Deploys `code` at `at`.
pub(crate) fn put(db: &mut InMemoryDB, at: Address, code: Bytes) {
    let code = Bytecode::new_legacy(code);
    db.insert_account_info(
        at,
        AccountInfo {
            nonce: 1,
            code_hash: code.hash_slow(),
            code: Some(code),
            ..Default::default()
        },
    );
}

/// Verifies, generates (with `opts`), assembles and safety-checks a module, then runs it
/// through the vault with `callee` (if any) deployed at [`CALLEE`].
pub(crate) fn run(m: &Module, opts: &Options, callee: Option<Bytes>) -> Execution {
    nest_ir::verify(m, true).unwrap_or_else(|e| panic!("verifier: {e}\n{m}"));
    let program = nest_codegen::generate_with(m, opts).unwrap_or_else(|e| panic!("codegen: {e}"));
    let asm = nest_evm::assemble(&program).unwrap_or_else(|e| panic!("assembler: {e:?}"));
    nest_evm::check(&asm.bytes, asm.code_len).unwrap_or_else(|v| panic!("unsafe code: {v:?}"));
    let cfg = HyvmConfig::default();
    let mut db = nest_hyvm::bare_world(cfg.address, VAULT, U256::ZERO, OWNER);
    if let Some(code) = callee {
        put(&mut db, CALLEE, code);
    }
    let tx = Transaction {
        from: OWNER,
        vault: VAULT,
        payload: Bytes::from(asm.bytes),
        value: U256::ZERO,
        gas_limit: 10_000_000,
    };
    execute(&mut db, &Env::default(), &cfg, &tx, false).unwrap_or_else(|e| panic!("run: {e}"))
}
