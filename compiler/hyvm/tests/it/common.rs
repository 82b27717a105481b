//! A tiny world for tests: an in-memory database with the HyVM placeholder, a forwarding vault
//! and a funded owner, plus helpers to deploy contracts and run payloads.

#![allow(dead_code)]

use alloy_primitives::{address, Address, Bytes, B256, U256};
use nest_hyvm::{execute, Env, Execution, HyvmConfig, Transaction, Variant, DEFAULT_HYVM_ADDRESS};
use revm::bytecode::Bytecode;
use revm::context::TxEnv;
use revm::database::InMemoryDB;
use revm::state::AccountInfo;
use revm::{Context, ExecuteCommitEvm, MainBuilder, MainContext};

/// Foundry's default sender, the upstream ORIGIN and CALLER.
pub(crate) const OWNER: Address = address!("0x1804c8ab1f12e6bbf3894d4083f33e07309d1f38");
/// Where the forwarding vault lives.
pub(crate) const VAULT: Address = address!("0x000000000000000000000000000000000000Fa17");
/// Who deploys helper contracts.
pub(crate) const DEPLOYER: Address = address!("0x00000000000000000000000000000000000DE910");
/// The PREVRANDAO of the test block.
pub(crate) const PREVRANDAO: B256 = B256::repeat_byte(0x5a);
/// The vault's balance upstream: 2^96 - 1.
pub(crate) fn vault_balance() -> U256 {
    (U256::from(1) << 96) - U256::from(1)
}

/// A test world.
pub(crate) struct World {
    pub db: InMemoryDB,
    pub env: Env,
    pub cfg: HyvmConfig,
}

impl World {
    /// HyVM placeholder, forwarding vault funded with 2^96 - 1 wei, owner with 1 ETH.
    pub(crate) fn new() -> Self {
        Self::with_variant(Variant::Standard)
    }

    /// Same as [`World::new`] with the given HyVM variant.
    pub(crate) fn with_variant(variant: Variant) -> Self {
        let db = nest_hyvm::bare_world(DEFAULT_HYVM_ADDRESS, VAULT, vault_balance(), OWNER);
        let env = Env {
            prevrandao: PREVRANDAO,
            ..Env::default()
        };
        Self {
            db,
            env,
            cfg: HyvmConfig {
                address: DEFAULT_HYVM_ADDRESS,
                variant,
                ..HyvmConfig::default()
            },
        }
    }

    /// Runs `payload` through the vault without committing.
    pub(crate) fn run(&mut self, payload: &[u8]) -> Execution {
        self.run_to(VAULT, payload, false)
    }

    /// Runs `payload` as calldata of a transaction from the owner to `to`.
    pub(crate) fn run_to(&mut self, to: Address, payload: &[u8], commit: bool) -> Execution {
        let tx = Transaction {
            from: OWNER,
            vault: to,
            payload: Bytes::copy_from_slice(payload),
            value: U256::ZERO,
            gas_limit: 5_000_000,
        };
        match execute(&mut self.db, &self.env, &self.cfg, &tx, commit) {
            Ok(execution) => execution,
            Err(error) => panic!("run failed: {error}"),
        }
    }

    /// Deploys `init_code` from the deployer with plain revm and returns the new address.
    pub(crate) fn deploy(&mut self, init_code: Bytes) -> Address {
        let mut evm = Context::mainnet()
            .modify_cfg_chained(|c| c.disable_nonce_check = true)
            .with_db(&mut self.db)
            .build_mainnet();
        let tx = TxEnv::builder()
            .caller(DEPLOYER)
            .create()
            .data(init_code)
            .gas_limit(1_000_000)
            .build_fill();
        let result = match evm.transact_commit(tx) {
            Ok(result) => result,
            Err(error) => panic!("deploy failed: {error}"),
        };
        match result.created_address() {
            Some(address) if result.is_success() => address,
            _ => panic!("deploy reverted: {result:?}"),
        }
    }

    /// The code now at `address` (committed state).
    pub(crate) fn code_at(&mut self, address: Address) -> Bytes {
        use revm::Database;
        match self.db.basic(address) {
            Ok(Some(info)) => info.code.map(|c| c.original_bytes()).unwrap_or_default(),
            _ => Bytes::new(),
        }
    }
}

/// Installs `code` and `balance` at `address`, with nonce 1 as for any deployed contract.
pub(crate) fn put_code(db: &mut InMemoryDB, address: Address, code: Bytes, balance: U256) {
    let bytecode = Bytecode::new_legacy(code);
    let info = AccountInfo {
        balance,
        nonce: 1,
        code_hash: bytecode.hash_slow(),
        code: Some(bytecode),
        ..Default::default()
    };
    db.insert_account_info(address, info);
}

/// Decodes 0x-prefixed hex.
pub(crate) fn hex(text: &str) -> Vec<u8> {
    match alloy_primitives::hex::decode(text) {
        Ok(bytes) => bytes,
        Err(error) => panic!("bad hex {text}: {error}"),
    }
}
