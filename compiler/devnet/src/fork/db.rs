//! A chain's state at one block, read over JSON-RPC on demand and kept: revm's `DatabaseRef`
//! for fork mode.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use alloy_primitives::{keccak256, Address, B256, U256};
use revm::bytecode::Bytecode;
use revm::database::{AccountState, DbAccount, InMemoryDB};
use revm::primitives::KECCAK_EMPTY;
use revm::state::AccountInfo;
use revm::DatabaseRef;
use serde_json::json;

use super::error::ForkError;
use super::rpc::{self, RpcClient};

/// Everything read so far. The block is pinned, so nothing read ever goes stale.
#[derive(Debug, Default)]
struct Fetched {
    /// `None`: no balance, nonce or code (an account that does not exist).
    accounts: HashMap<Address, Option<AccountInfo>>,
    storage: HashMap<Address, HashMap<U256, U256>>,
    block_hashes: HashMap<u64, B256>,
}

/// A chain's state as of the end of one block, fetched lazily over JSON-RPC
/// (`eth_getBalance`, `eth_getTransactionCount`, `eth_getCode`, `eth_getStorageAt`) and cached.
#[derive(Debug)]
pub struct ForkDb {
    rpc: RpcClient,
    block: u64,
    fetched: Mutex<Fetched>,
}

impl ForkDb {
    /// The state of the chain behind `rpc` at the end of block `block`.
    pub(crate) fn new(rpc: RpcClient, block: u64) -> ForkDb {
        ForkDb {
            rpc,
            block,
            fetched: Mutex::new(Fetched::default()),
        }
    }

    /// The block the state is read at.
    pub fn block(&self) -> u64 {
        self.block
    }

    /// Everything read so far as an in-memory database: accounts with their code and the storage
    /// slots read, nonexistent accounts marked so, and the block hashes.
    pub(crate) fn snapshot(&self) -> InMemoryDB {
        let fetched = self.lock();
        let mut db = InMemoryDB::default();
        for (address, info) in &fetched.accounts {
            let account = match info {
                Some(info) => {
                    let mut info = info.clone();
                    db.insert_contract(&mut info);
                    DbAccount {
                        info,
                        account_state: AccountState::None,
                        storage: fetched
                            .storage
                            .get(address)
                            .map(|slots| slots.iter().map(|(k, v)| (*k, *v)).collect())
                            .unwrap_or_default(),
                    }
                }
                None => DbAccount::new_not_existing(),
            };
            db.cache.accounts.insert(*address, account);
        }
        for (number, hash) in &fetched.block_hashes {
            db.cache.block_hashes.insert(U256::from(*number), *hash);
        }
        db
    }

    fn lock(&self) -> MutexGuard<'_, Fetched> {
        // A panic elsewhere cannot leave the cache half-written: every insert is one call.
        self.fetched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn fetch_account(&self, address: Address) -> Result<Option<AccountInfo>, ForkError> {
        let at = rpc::block_tag(self.block);
        let answers = self.rpc.batch(&[
            ("eth_getBalance", json!([address, at])),
            ("eth_getTransactionCount", json!([address, at])),
            ("eth_getCode", json!([address, at])),
        ])?;
        let [balance, nonce, code] = answers.as_slice() else {
            return Err(rpc::bad("eth_getBalance", "the batch answer is incomplete"));
        };
        let balance = rpc::quantity(balance, "eth_getBalance")?;
        let nonce = rpc::quantity_u64(nonce, "eth_getTransactionCount")?;
        let code = rpc::data(code, "eth_getCode")?;
        if balance.is_zero() && nonce == 0 && code.is_empty() {
            return Ok(None);
        }
        let (code_hash, code) = if code.is_empty() {
            (KECCAK_EMPTY, Bytecode::default())
        } else {
            (keccak256(&code), Bytecode::new_raw(code))
        };
        Ok(Some(AccountInfo {
            balance,
            nonce,
            code_hash,
            code: Some(code),
            ..AccountInfo::default()
        }))
    }
}

impl DatabaseRef for ForkDb {
    type Error = ForkError;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, ForkError> {
        if let Some(info) = self.lock().accounts.get(&address) {
            return Ok(info.clone());
        }
        let info = self.fetch_account(address)?;
        self.lock().accounts.insert(address, info.clone());
        Ok(info)
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, ForkError> {
        if code_hash == KECCAK_EMPTY || code_hash.is_zero() {
            return Ok(Bytecode::default());
        }
        // Code always comes with its account, so it is known by the time its hash is.
        self.lock()
            .accounts
            .values()
            .flatten()
            .find(|info| info.code_hash == code_hash)
            .and_then(|info| info.code.clone())
            .ok_or_else(|| {
                rpc::bad(
                    "eth_getCode",
                    &format!("no code known with hash {code_hash}"),
                )
            })
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, ForkError> {
        if let Some(value) = self
            .lock()
            .storage
            .get(&address)
            .and_then(|slots| slots.get(&index))
        {
            return Ok(*value);
        }
        let method = "eth_getStorageAt";
        let answer = self.rpc.call(
            method,
            json!([address, rpc::to_quantity(index), rpc::block_tag(self.block)]),
        )?;
        let value = U256::from_be_bytes(rpc::hash(&answer, method)?.0);
        self.lock()
            .storage
            .entry(address)
            .or_default()
            .insert(index, value);
        Ok(value)
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, ForkError> {
        if let Some(hash) = self.lock().block_hashes.get(&number) {
            return Ok(*hash);
        }
        let method = "eth_getBlockByNumber";
        let block = self
            .rpc
            .call(method, json!([rpc::block_tag(number), false]))?;
        let hash = match block.get("hash") {
            Some(hash) => rpc::hash(hash, method)?,
            None => return Err(ForkError::NoSuchBlock(number)),
        };
        // BLOCKHASH of another block than the one asked for would be a wrong answer.
        let got = block.get("number").map(|n| rpc::quantity_u64(n, method));
        if let Some(got) = got.transpose()?.filter(|got| *got != number) {
            return Err(ForkError::WrongBlock {
                asked: number,
                got,
                hash,
            });
        }
        self.lock().block_hashes.insert(number, hash);
        Ok(hash)
    }
}
