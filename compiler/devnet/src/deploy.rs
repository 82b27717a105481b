//! Builds the devnet's world with plain revm: deploys each fixture from a deployer
//! account, etches it at its mainnet address, seeds a Uniswap V2 pool for every two
//! tokens, deploys the vault and funds it.

use std::fmt;

use alloy_primitives::{keccak256, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use revm::{
    context::{BlockEnv, CfgEnv, TxEnv},
    context_interface::{
        block::BlobExcessGasAndPrice,
        result::{ExecutionResult, Output},
    },
    database::{AccountState, DbAccount, InMemoryDB},
    primitives::{eip4844::BLOB_BASE_FEE_UPDATE_FRACTION_CANCUN, hardfork::SpecId},
    state::AccountInfo,
    Context, ExecuteCommitEvm, ExecuteEvm, MainBuilder, MainContext,
};

use crate::{
    addresses::{
        TokenInfo, TokenKind, DEPLOYER, TOKENS, UNISWAP_V2_FACTORY, UNISWAP_V2_ROUTER, VAULT,
        VAULT_OWNER, WETH,
    },
    fixtures::{fixture, Contract, FixtureError},
};

/// The hard fork the devnet runs (the fixtures are compiled for it too).
pub const SPEC: SpecId = SpecId::CANCUN;
/// The devnet's chain id: mainnet's, since its contracts sit at mainnet addresses.
pub const CHAIN_ID: u64 = 1;
/// The devnet block's number.
pub const BLOCK_NUMBER: u64 = 21_000_000;
/// The devnet block's timestamp (late October 2024).
pub const BLOCK_TIMESTAMP: u64 = 1_730_000_000;
/// The devnet block's gas limit.
pub const BLOCK_GAS_LIMIT: u64 = 30_000_000;
/// The devnet block's base fee (10 gwei); the devnet's own transactions pay exactly this.
pub const BASE_FEE: u64 = 10_000_000_000;
/// The gas limit of each transaction the devnet sends (EIP-7825's cap).
pub const TX_GAS_LIMIT: u64 = 1 << 24;

/// Ether held by the deployer, enough to wrap every pool's WETH.
const DEPLOYER_ETH: u128 = 1_000_000_000 * ETHER;
const ETHER: u128 = 1_000_000_000_000_000_000;

/// The block the devnet's transactions run in.
pub fn block_env() -> BlockEnv {
    BlockEnv {
        number: U256::from(BLOCK_NUMBER),
        timestamp: U256::from(BLOCK_TIMESTAMP),
        gas_limit: BLOCK_GAS_LIMIT,
        basefee: BASE_FEE,
        blob_excess_gas_and_price: Some(BlobExcessGasAndPrice::new(
            0,
            BLOB_BASE_FEE_UPDATE_FRACTION_CANCUN,
        )),
        ..BlockEnv::default()
    }
}

/// The devnet's chain configuration: [`SPEC`] with mainnet gas parameters, [`CHAIN_ID`].
pub fn cfg_env() -> CfgEnv {
    CfgEnv::new_with_spec(SPEC).with_chain_id(CHAIN_ID)
}

/// What the vault, its owner and the pools start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Funding {
    /// Token balances credited to the vault, in base units, by token address.
    pub vault_tokens: Vec<(Address, U256)>,
    /// Wei sent to the vault.
    pub vault_eth: U256,
    /// Wei held by the vault's owner, for gas.
    pub owner_eth: U256,
    /// The USD price of one ether, used to seed the WETH pools (stablecoins are 1 USD).
    pub eth_price_usd: u64,
    /// The USD value of each side of every pool.
    pub pool_side_usd: u64,
}

impl Default for Funding {
    /// 1M of each stablecoin, 1,000 WETH and 1,000 ETH in the vault, 100 ETH for the owner,
    /// pools 50M USD deep on each side (100M per pool) at 3,000 USD per ETH.
    fn default() -> Self {
        let vault_tokens = TOKENS
            .iter()
            .map(|t| {
                let units = if t.kind == TokenKind::Weth {
                    1_000u64
                } else {
                    1_000_000
                };
                (
                    t.address,
                    U256::from(units) * U256::from(10u64).pow(U256::from(t.decimals)),
                )
            })
            .collect();
        Funding {
            vault_tokens,
            vault_eth: U256::from(1_000 * ETHER),
            owner_eth: U256::from(100 * ETHER),
            eth_price_usd: 3_000,
            pool_side_usd: 50_000_000,
        }
    }
}

/// A Uniswap V2 pair created on the devnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairInfo {
    /// The pair's address (CREATE2 from the factory).
    pub address: Address,
    /// The lower token address.
    pub token0: Address,
    /// The higher token address.
    pub token1: Address,
}

/// Where everything is on a deployed devnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The HyVM address the vault DELEGATECALLs (nothing is deployed there by [`deploy`]).
    pub hyvm: Address,
    /// The vault.
    pub vault: Address,
    /// The vault's owner.
    pub vault_owner: Address,
    /// The account that deployed and seeded the fixtures; it holds the LP shares.
    pub deployer: Address,
    /// The Uniswap V2 factory.
    pub factory: Address,
    /// The Uniswap V2 router.
    pub router: Address,
    /// The tokens, in [`TOKENS`] order.
    pub tokens: Vec<TokenInfo>,
    /// One pair for every two tokens.
    pub pairs: Vec<PairInfo>,
}

impl Layout {
    /// The pair of two tokens, in either order.
    pub fn pair(&self, a: Address, b: Address) -> Option<&PairInfo> {
        self.pairs
            .iter()
            .find(|p| (p.token0, p.token1) == (a, b) || (p.token0, p.token1) == (b, a))
    }
}

/// A deployed devnet: its state, its block and where things are.
#[derive(Clone, Debug)]
pub struct World {
    /// The chain state.
    pub db: InMemoryDB,
    /// The block transactions run in.
    pub block: BlockEnv,
    /// Where everything is.
    pub layout: Layout,
}

/// Why the devnet could not be built, or a devnet transaction could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeployError {
    /// An embedded fixture artifact is broken.
    Fixture(FixtureError),
    /// The funding names a token the devnet does not have.
    UnknownToken(Address),
    /// The funding is unusable (for example a zero ETH price).
    InvalidFunding(&'static str),
    /// revm refused to run the transaction (bad nonce, not enough ETH for gas, …).
    Evm {
        /// What the transaction was for.
        step: String,
        /// revm's error.
        message: String,
    },
    /// The transaction reverted.
    Reverted {
        /// What the transaction was for.
        step: String,
        /// The revert data.
        output: Bytes,
    },
    /// The transaction halted (out of gas, invalid opcode, …).
    Halted {
        /// What the transaction was for.
        step: String,
        /// revm's halt reason.
        reason: String,
    },
    /// A contract creation returned no address.
    NoCreatedAddress(String),
    /// A call's output could not be decoded.
    Decode {
        /// What the call was for.
        step: String,
        /// The decoder's error.
        message: String,
    },
}

impl fmt::Display for DeployError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeployError::Fixture(e) => e.fmt(f),
            DeployError::UnknownToken(a) => write!(f, "`{a}` is not a devnet token"),
            DeployError::InvalidFunding(why) => write!(f, "invalid devnet funding: {why}"),
            DeployError::Evm { step, message } => {
                write!(f, "{step}: transaction rejected: {message}")
            }
            DeployError::Reverted { step, output } => write!(f, "{step}: reverted with {output}"),
            DeployError::Halted { step, reason } => write!(f, "{step}: halted: {reason}"),
            DeployError::Decode { step, message } => write!(f, "{step}: cannot decode: {message}"),
            DeployError::NoCreatedAddress(step) => {
                write!(f, "{step}: the creation returned no address")
            }
        }
    }
}

impl std::error::Error for DeployError {}

impl From<FixtureError> for DeployError {
    fn from(e: FixtureError) -> Self {
        DeployError::Fixture(e)
    }
}

sol! {
    interface IMintable {
        function mint(address to, uint256 amount) external;
    }
    interface IApprove {
        function approve(address spender, uint256 amount) external;
    }
    interface IWeth {
        function deposit() external payable;
        function transfer(address to, uint256 amount) external returns (bool);
    }
    interface IFactory {
        function getPair(address a, address b) external view returns (address);
    }
    interface IRouter {
        function addLiquidity(
            address tokenA, address tokenB,
            uint256 amountADesired, uint256 amountBDesired,
            uint256 amountAMin, uint256 amountBMin,
            address to, uint256 deadline
        ) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);
    }
}

/// Builds the devnet: every fixture at its mainnet address, a pool for every two
/// tokens, and the vault at [`VAULT`] (owned by [`VAULT_OWNER`], delegating to `hyvm`)
/// funded as `funding` says. Nothing is deployed at `hyvm`.
pub fn deploy(hyvm: Address, funding: &Funding) -> Result<World, DeployError> {
    if funding.eth_price_usd == 0 {
        return Err(DeployError::InvalidFunding("the ETH price is zero"));
    }
    if funding.pool_side_usd == 0 {
        return Err(DeployError::InvalidFunding("the pools are empty"));
    }
    if let Some((unknown, _)) = funding
        .vault_tokens
        .iter()
        .find(|(a, _)| !TOKENS.iter().any(|t| t.address == *a))
    {
        return Err(DeployError::UnknownToken(*unknown));
    }
    let mut world = World {
        db: InMemoryDB::default(),
        block: block_env(),
        layout: Layout {
            hyvm,
            vault: VAULT,
            vault_owner: VAULT_OWNER,
            deployer: DEPLOYER,
            factory: UNISWAP_V2_FACTORY,
            router: UNISWAP_V2_ROUTER,
            tokens: TOKENS.to_vec(),
            pairs: Vec::new(),
        },
    };
    world.set_balance(DEPLOYER, U256::from(DEPLOYER_ETH));
    world.set_balance(VAULT_OWNER, funding.owner_eth);

    for token in &TOKENS {
        deploy_token(&mut world, token)?;
    }
    world.deploy_at(Contract::UniswapV2Factory, &[], UNISWAP_V2_FACTORY)?;
    let pair_code_hash = keccak256(fixture(Contract::UniswapV2Pair)?.creation_code());
    let router_args = (UNISWAP_V2_FACTORY, WETH, pair_code_hash).abi_encode_params();
    world.deploy_at(Contract::UniswapV2Router02, &router_args, UNISWAP_V2_ROUTER)?;
    world.deploy_at(
        Contract::Vault,
        &(VAULT_OWNER, hyvm).abi_encode_params(),
        VAULT,
    )?;

    seed_pools(&mut world, funding)?;
    fund_vault(&mut world, funding)?;
    Ok(world)
}

fn deploy_token(world: &mut World, token: &TokenInfo) -> Result<(), DeployError> {
    match token.kind {
        TokenKind::Standard => {
            let args = (
                token.name.to_owned(),
                token.symbol.to_owned(),
                U256::from(token.decimals),
            )
                .abi_encode_params();
            world.deploy_at(Contract::DevToken, &args, token.address)
        }
        TokenKind::Tether => world.deploy_at(Contract::TetherToken, &[], token.address),
        TokenKind::Weth => world.deploy_at(Contract::Weth9, &[], token.address),
    }
}

/// `usd` worth of `token` in base units, at 1 USD per stablecoin and `eth_price_usd` per WETH.
fn usd_to_units(token: &TokenInfo, usd: u64, eth_price_usd: u64) -> U256 {
    let scaled = U256::from(usd) * U256::from(10u64).pow(U256::from(token.decimals));
    match token.kind {
        TokenKind::Weth => scaled / U256::from(eth_price_usd),
        TokenKind::Standard | TokenKind::Tether => scaled,
    }
}

/// Gives `to` `amount` of `token`: minted, or wrapped by the deployer for WETH.
fn credit(
    world: &mut World,
    token: &TokenInfo,
    to: Address,
    amount: U256,
) -> Result<(), DeployError> {
    let step = format!("credit {} {}", amount, token.symbol);
    if token.kind == TokenKind::Weth {
        world.expect_success(
            &step,
            DEPLOYER,
            WETH,
            amount,
            IWeth::depositCall {}.abi_encode(),
        )?;
        if to != DEPLOYER {
            world.expect_success(
                &step,
                DEPLOYER,
                WETH,
                U256::ZERO,
                IWeth::transferCall { to, amount }.abi_encode(),
            )?;
        }
        return Ok(());
    }
    world.expect_success(
        &step,
        DEPLOYER,
        token.address,
        U256::ZERO,
        IMintable::mintCall { to, amount }.abi_encode(),
    )?;
    Ok(())
}

fn seed_pools(world: &mut World, funding: &Funding) -> Result<(), DeployError> {
    for token in &TOKENS {
        let approve = IApprove::approveCall {
            spender: UNISWAP_V2_ROUTER,
            amount: U256::MAX,
        }
        .abi_encode();
        world.expect_success(
            &format!("approve the router for {}", token.symbol),
            DEPLOYER,
            token.address,
            U256::ZERO,
            approve,
        )?;
    }
    for (i, a) in TOKENS.iter().enumerate() {
        for b in &TOKENS[i + 1..] {
            let amount_a = usd_to_units(a, funding.pool_side_usd, funding.eth_price_usd);
            let amount_b = usd_to_units(b, funding.pool_side_usd, funding.eth_price_usd);
            credit(world, a, DEPLOYER, amount_a)?;
            credit(world, b, DEPLOYER, amount_b)?;
            let add = IRouter::addLiquidityCall {
                tokenA: a.address,
                tokenB: b.address,
                amountADesired: amount_a,
                amountBDesired: amount_b,
                amountAMin: amount_a,
                amountBMin: amount_b,
                to: DEPLOYER,
                deadline: U256::from(BLOCK_TIMESTAMP),
            };
            let step = format!("seed the {}/{} pool", a.symbol, b.symbol);
            world.expect_success(
                &step,
                DEPLOYER,
                UNISWAP_V2_ROUTER,
                U256::ZERO,
                add.abi_encode(),
            )?;

            let get_pair = IFactory::getPairCall {
                a: a.address,
                b: b.address,
            }
            .abi_encode();
            let output = world.view(UNISWAP_V2_FACTORY, get_pair)?;
            let address = IFactory::getPairCall::abi_decode_returns(&output).map_err(|e| {
                DeployError::Decode {
                    step: format!("read the {}/{} pair", a.symbol, b.symbol),
                    message: e.to_string(),
                }
            })?;
            let (token0, token1) = if a.address < b.address {
                (a.address, b.address)
            } else {
                (b.address, a.address)
            };
            world.layout.pairs.push(PairInfo {
                address,
                token0,
                token1,
            });
        }
    }
    Ok(())
}

fn fund_vault(world: &mut World, funding: &Funding) -> Result<(), DeployError> {
    for (address, amount) in &funding.vault_tokens {
        let token = TOKENS
            .iter()
            .find(|t| t.address == *address)
            .ok_or(DeployError::UnknownToken(*address))?;
        credit(world, token, VAULT, *amount)?;
    }
    if !funding.vault_eth.is_zero() {
        world.expect_success(
            "send ETH to the vault",
            DEPLOYER,
            VAULT,
            funding.vault_eth,
            Vec::new(),
        )?;
    }
    Ok(())
}

impl World {
    /// Sets an account's ETH balance directly, creating the account if needed.
    pub fn set_balance(&mut self, address: Address, wei: U256) {
        let mut info = self
            .db
            .cache
            .accounts
            .get(&address)
            .map(|a| a.info.clone())
            .unwrap_or_default();
        info.balance = wei;
        self.db.insert_account_info(address, info);
    }

    /// The ETH balance of an account (zero when it does not exist).
    pub fn balance(&self, address: Address) -> U256 {
        self.db
            .cache
            .accounts
            .get(&address)
            .map(|a| a.info.balance)
            .unwrap_or_default()
    }

    /// Sends a transaction from `from` (with its current nonce and [`BASE_FEE`] as gas price)
    /// and commits its effects, whatever its outcome.
    pub fn send(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<ExecutionResult, DeployError> {
        let step = format!("call {to} from {from}");
        let tx = self.tx(&step, from, Some(to), value, data)?;
        let mut evm = Context::mainnet()
            .with_cfg(cfg_env())
            .with_block(self.block.clone())
            .with_db(&mut self.db)
            .build_mainnet();
        evm.transact_commit(tx).map_err(|e| DeployError::Evm {
            step,
            message: e.to_string(),
        })
    }

    /// Runs a call from `from` without committing anything; `from` pays for gas as in [`World::send`].
    pub fn call(
        &self,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<ExecutionResult, DeployError> {
        self.simulate(self.block.clone(), from, to, value, data)
    }

    /// The output of a successful read-only call from the zero address; an error if it fails.
    /// It runs in a copy of the block with a zero base fee, so nobody pays for its gas.
    pub fn view(&self, to: Address, data: Vec<u8>) -> Result<Bytes, DeployError> {
        let block = BlockEnv {
            basefee: 0,
            ..self.block.clone()
        };
        let result = self.simulate(block, Address::ZERO, to, U256::ZERO, data)?;
        success_output(format!("view {to}"), result)
    }

    fn simulate(
        &self,
        block: BlockEnv,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<ExecutionResult, DeployError> {
        let step = format!("call {to} from {from}");
        let mut tx = self.tx(&step, from, Some(to), value, data)?;
        tx.gas_price = u128::from(block.basefee);
        let mut evm = Context::mainnet()
            .with_cfg(cfg_env())
            .with_block(block)
            .with_ref_db(&self.db)
            .build_mainnet();
        evm.transact(tx)
            .map(|r| r.result)
            .map_err(|e| DeployError::Evm {
                step,
                message: e.to_string(),
            })
    }

    fn tx(
        &self,
        step: &str,
        from: Address,
        to: Option<Address>,
        value: U256,
        data: Vec<u8>,
    ) -> Result<TxEnv, DeployError> {
        let nonce = self
            .db
            .cache
            .accounts
            .get(&from)
            .map(|a| a.info.nonce)
            .unwrap_or_default();
        let builder = TxEnv::builder()
            .caller(from)
            .nonce(nonce)
            .value(value)
            .data(data.into())
            .gas_limit(TX_GAS_LIMIT)
            .gas_price(u128::from(self.block.basefee))
            .chain_id(Some(CHAIN_ID));
        let builder = match to {
            Some(to) => builder.call(to),
            None => builder.create(),
        };
        builder.build().map_err(|e| DeployError::Evm {
            step: step.to_owned(),
            message: e.to_string(),
        })
    }

    fn expect_success(
        &mut self,
        step: &str,
        from: Address,
        to: Address,
        value: U256,
        data: Vec<u8>,
    ) -> Result<Bytes, DeployError> {
        let result = self
            .send(from, to, value, data)
            .map_err(|e| rename_step(e, step))?;
        success_output(step.to_owned(), result)
    }

    /// Deploys `contract` from the deployer, then moves its code, storage, balance and
    /// nonce to `target`, leaving nothing at the creation address.
    fn deploy_at(
        &mut self,
        contract: Contract,
        args: &[u8],
        target: Address,
    ) -> Result<(), DeployError> {
        let step = format!("deploy {contract} at {target}");
        let mut code = fixture(contract)?.creation_code().to_vec();
        code.extend_from_slice(args);
        let tx = self.tx(&step, DEPLOYER, None, U256::ZERO, code)?;
        let result = {
            let mut evm = Context::mainnet()
                .with_cfg(cfg_env())
                .with_block(self.block.clone())
                .with_db(&mut self.db)
                .build_mainnet();
            evm.transact_commit(tx).map_err(|e| DeployError::Evm {
                step: step.clone(),
                message: e.to_string(),
            })?
        };
        let created = match &result {
            ExecutionResult::Success {
                output: Output::Create(_, Some(address)),
                ..
            } => *address,
            ExecutionResult::Success { .. } => return Err(DeployError::NoCreatedAddress(step)),
            _ => return success_output(step, result).map(|_| ()),
        };
        self.etch(created, target, &step)
    }

    fn etch(&mut self, from: Address, to: Address, step: &str) -> Result<(), DeployError> {
        let account = self
            .db
            .cache
            .accounts
            .remove(&from)
            .ok_or_else(|| DeployError::NoCreatedAddress(step.to_owned()))?;
        let mut info: AccountInfo = account.info;
        info.account_id = None;
        if info.code.is_none() {
            info.code = self.db.cache.contracts.get(&info.code_hash).cloned();
        }
        self.db.insert_contract(&mut info);
        self.db.cache.accounts.insert(
            to,
            DbAccount {
                info,
                account_state: AccountState::StorageCleared,
                storage: account.storage,
            },
        );
        Ok(())
    }
}

fn rename_step(error: DeployError, step: &str) -> DeployError {
    match error {
        DeployError::Evm { message, .. } => DeployError::Evm {
            step: step.to_owned(),
            message,
        },
        other => other,
    }
}

fn success_output(step: String, result: ExecutionResult) -> Result<Bytes, DeployError> {
    match result {
        ExecutionResult::Success { output, .. } => Ok(output.into_data()),
        ExecutionResult::Revert { output, .. } => Err(DeployError::Reverted { step, output }),
        ExecutionResult::Halt { reason, .. } => Err(DeployError::Halted {
            step,
            reason: format!("{reason:?}"),
        }),
    }
}
