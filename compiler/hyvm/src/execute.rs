//! Running one transaction through a vault into the HyVM, and what comes out of it.

use crate::config::{Env, HyvmConfig, Transaction};
use crate::error::HyvmError;
use crate::inspector::HyvmInspector;
use crate::taint::EnvironmentDependence;
use crate::trace::{CallKind, CallNode, GuestExit};
use alloy_primitives::{Bytes, Log, TxKind, U256};
use revm::context::result::{EVMError, ExecutionResult};
use revm::context::{BlockEnv, CfgEnv, Context, Journal, TxEnv};
use revm::state::EvmState;
use revm::{Database, DatabaseCommit, InspectEvm, MainBuilder};
use serde::Serialize;

/// Base cost of every transaction.
const TX_BASE: u64 = 21_000;
/// Calldata cost per zero byte and per non-zero byte.
const CALLDATA_ZERO_BYTE: u64 = 4;
const CALLDATA_NONZERO_BYTE: u64 = 16;

/// Where the gas of a run went. The parts add up:
/// `intrinsic_calldata + vault_overhead + guest_execution + hyvm_overhead - refund
/// + calldata_floor_topup == total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GasReport {
    /// Gas the transaction is charged (after refunds, and at least the EIP-7623 floor).
    pub total: u64,
    /// 21000 plus the calldata: 4 per zero byte and 16 per non-zero byte of the payload.
    pub intrinsic_calldata: u64,
    /// The vault's own instructions around the DELEGATECALL (copying the payload, the call's
    /// access cost, returning the result).
    pub vault_overhead: u64,
    /// The guest's EVM gas as if it ran natively, including the calls it makes. With
    /// [`Variant::Deployed`](crate::Variant::Deployed): all the gas the HyVM's frame spent.
    pub guest_execution: u64,
    /// What the HyVM adds: entry, dispatch per instruction, PUSH and memory-offset surcharges,
    /// jump handling and the shifted memory window. Zero with a deployed HyVM, whose own costs
    /// cannot be told apart from the guest's.
    pub hyvm_overhead: u64,
    /// Storage refund subtracted at the end of the transaction.
    pub refund: u64,
    /// Gas added so the total reaches the EIP-7623 calldata floor (zero unless it binds).
    pub calldata_floor_topup: u64,
}

/// The outcome of [`execute`].
#[derive(Clone, Debug)]
pub struct Execution {
    /// Whether the transaction succeeded (the vault returned normally).
    pub success: bool,
    /// Return data, or revert data.
    pub output: Bytes,
    /// Why it stopped abnormally when it did not succeed: a guest refusal or halt with its pc
    /// ("refused opcode CALLCODE at pc 12", "out of gas at pc 40"), or the transaction's halt.
    pub halt: Option<String>,
    /// Where the gas went.
    pub gas: GasReport,
    /// The call tree: rooted at the guest frame when the vault reached the HyVM, otherwise at
    /// the transaction's own frame.
    pub trace: CallNode,
    /// Every log emitted (empty unless the transaction succeeded).
    pub logs: Vec<Log>,
    /// Guest instructions the HyVM dispatched.
    pub guest_instructions: u64,
    /// Where the guest stopped (None when the vault never reached the HyVM).
    pub guest_exit: Option<GuestExit>,
    /// Jumps the outermost guest took, `(from pc, to pc)`, in order: with
    /// [`CallNode::guest_jumps`] a report can tell which call site of a shared
    /// subroutine made a call.
    pub guest_jumps: Vec<(usize, usize)>,
    /// What the guest decided from the environment before a call (see
    /// [`EnvironmentDependence`]): the first jump whose condition or target depended on it and
    /// was followed by a call, and the first call whose arguments did. Empty with
    /// [`Variant::Deployed`](crate::Variant::Deployed), whose guest is not traced step by step.
    pub environment: Vec<EnvironmentDependence>,
    /// The state changes (accounts touched, with their new values).
    pub state: EvmState,
}

/// Runs `tx` (from → vault with the payload as calldata → the vault DELEGATECALLs the HyVM) in
/// the block `env`, and on success or revert commits the state changes to `db` only when
/// `commit` is set. A reverting guest is an [`Execution`] with `success: false`, not an error.
pub fn execute<DB>(
    db: &mut DB,
    env: &Env,
    cfg: &HyvmConfig,
    tx: &Transaction,
    commit: bool,
) -> Result<Execution, HyvmError>
where
    DB: Database + DatabaseCommit,
{
    let context: Context<BlockEnv, TxEnv, CfgEnv, &mut DB, Journal<&mut DB>, ()> =
        Context::new(&mut *db, env.spec);
    let context = context
        .modify_cfg_chained(|c| {
            c.chain_id = env.chain_id;
            c.disable_nonce_check = true;
        })
        .modify_block_chained(|b| {
            b.number = U256::from(env.block_number);
            b.timestamp = U256::from(env.timestamp);
            b.basefee = env.basefee;
            b.prevrandao = Some(env.prevrandao);
            b.difficulty = U256::ZERO;
            b.beneficiary = env.coinbase;
            b.gas_limit = env.gas_limit;
        });
    let mut evm = context.build_mainnet_with_inspector(HyvmInspector::new(*cfg));
    let tx_env = TxEnv::builder()
        .caller(tx.from)
        .kind(TxKind::Call(tx.vault))
        .data(tx.payload.clone())
        .value(tx.value)
        .gas_limit(tx.gas_limit)
        .gas_price(u128::from(env.basefee).saturating_add(u128::from(env.priority_fee)))
        .chain_id(Some(env.chain_id))
        .build_fill();
    let outcome = evm.inspect_tx(tx_env).map_err(evm_error)?;
    let inspector = evm.inspector;
    if commit {
        db.commit(outcome.state.clone());
    }

    let result = outcome.result;
    let intrinsic = intrinsic_calldata(&tx.payload);
    let success = result.is_success();
    let output = result.output().cloned().unwrap_or_default();
    let logs = if success {
        result.logs().to_vec()
    } else {
        Vec::new()
    };
    let halt = if success {
        None
    } else {
        match (&inspector.stats.failure, &result) {
            (Some(failure), _) => Some(failure.clone()),
            (None, ExecutionResult::Halt { reason, .. }) => Some(format!("{reason:?}")),
            (None, _) => None,
        }
    };
    let gas = gas_report(
        &result,
        intrinsic,
        inspector.stats.spent,
        inspector.stats.overhead,
    );
    let trace = pick_root(inspector.finished, cfg);
    Ok(Execution {
        success,
        output,
        halt,
        gas,
        trace,
        logs,
        guest_instructions: inspector.stats.instructions,
        guest_exit: inspector.stats.exit,
        guest_jumps: inspector.stats.jumps.clone(),
        environment: inspector.stats.environment.clone(),
        state: outcome.state,
    })
}

/// 21000 plus 4 gas per zero byte and 16 per non-zero byte of calldata.
pub fn intrinsic_calldata(payload: &[u8]) -> u64 {
    let zeros = payload.iter().filter(|&&b| b == 0).count() as u64;
    let nonzeros = payload.len() as u64 - zeros;
    TX_BASE + zeros * CALLDATA_ZERO_BYTE + nonzeros * CALLDATA_NONZERO_BYTE
}

/// Splits the transaction's gas into the report's parts.
fn gas_report(
    result: &ExecutionResult,
    intrinsic: u64,
    guest_spent: u64,
    overhead: u64,
) -> GasReport {
    let result_gas = result.gas();
    let total = result_gas.tx_gas_used();
    let refund = result_gas.final_refunded();
    let spent = result_gas.total_gas_spent();
    let execution = spent.saturating_sub(intrinsic);
    GasReport {
        total,
        intrinsic_calldata: intrinsic,
        vault_overhead: execution.saturating_sub(guest_spent),
        guest_execution: guest_spent.saturating_sub(overhead),
        hyvm_overhead: overhead,
        refund,
        calldata_floor_topup: total.saturating_sub(spent.saturating_sub(refund)),
    }
}

/// The first frame that ran the HyVM, or else the transaction's own frame.
fn pick_root(finished: Vec<CallNode>, cfg: &HyvmConfig) -> CallNode {
    let is_guest = |n: &CallNode| {
        matches!(n.kind, CallKind::DelegateCall | CallKind::CallCode) && n.to == cfg.address
    };
    let guest = finished.iter().find_map(|n| n.find(&is_guest)).cloned();
    match guest {
        Some(node) => node,
        None => finished.into_iter().next().unwrap_or_else(|| {
            CallNode::open(
                CallKind::Call,
                Default::default(),
                Default::default(),
                U256::ZERO,
                Bytes::new(),
            )
        }),
    }
}

/// Turns revm's error into the crate's.
fn evm_error<E: std::fmt::Display>(error: EVMError<E>) -> HyvmError {
    match error {
        EVMError::Database(e) => HyvmError::Database(e.to_string()),
        EVMError::Transaction(e) => HyvmError::InvalidTransaction(e.to_string()),
        EVMError::Header(e) => HyvmError::InvalidTransaction(e.to_string()),
        other => HyvmError::Evm(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, Address};

    const VAULT: Address = address!("0x000000000000000000000000000000000000Fa17");
    const OWNER: Address = address!("0x000000000000000000000000000000000000Fa18");

    fn run(payload: &[u8]) -> Execution {
        let cfg = HyvmConfig::default();
        let mut db = crate::bare_world(cfg.address, VAULT, U256::ZERO, OWNER);
        let tx = Transaction {
            from: OWNER,
            vault: VAULT,
            payload: Bytes::copy_from_slice(payload),
            value: U256::ZERO,
            gas_limit: 1_000_000,
        };
        match execute(&mut db, &Env::default(), &cfg, &tx, false) {
            Ok(execution) => execution,
            Err(error) => panic!("run failed: {error}"),
        }
    }

    #[test]
    fn guest_exit_names_the_revert_and_the_jump_into_it() {
        // 0: PUSH1 5, 2: JUMP, 3: STOP, 4: STOP, 5: JUMPDEST, 6: PUSH0, 7: PUSH0, 8: REVERT
        let execution = run(&[0x60, 0x05, 0x56, 0x00, 0x00, 0x5b, 0x5f, 0x5f, 0xfd]);
        assert!(!execution.success);
        let exit = execution
            .guest_exit
            .unwrap_or_else(|| panic!("no exit recorded"));
        assert_eq!(exit.pc, 8);
        assert_eq!(exit.opcode, 0xfd);
        assert_eq!(exit.last_jump, Some(2));
    }

    #[test]
    fn a_deployed_hyvm_runs_its_own_code() {
        use crate::config::Variant;
        let cfg = HyvmConfig {
            variant: Variant::Deployed,
            ..HyvmConfig::default()
        };
        // The "HyVM" returns 42 whatever it is given: PUSH1 42, PUSH0, MSTORE, PUSH1 32, PUSH0,
        // RETURN.
        let hyvm = [0x60, 42, 0x5f, 0x52, 0x60, 32, 0x5f, 0xf3];
        let mut db = crate::bare_world(cfg.address, VAULT, U256::ZERO, OWNER);
        db.insert_account_info(
            cfg.address,
            revm::state::AccountInfo::from_bytecode(revm::bytecode::Bytecode::new_legacy(
                Bytes::copy_from_slice(&hyvm),
            )),
        );
        // Emulated, this payload (PUSH0 PUSH0 REVERT) would revert.
        let tx = Transaction {
            from: OWNER,
            vault: VAULT,
            payload: Bytes::from_static(&[0x5f, 0x5f, 0xfd]),
            value: U256::ZERO,
            gas_limit: 1_000_000,
        };
        let execution = match execute(&mut db, &Env::default(), &cfg, &tx, false) {
            Ok(execution) => execution,
            Err(error) => panic!("run failed: {error}"),
        };
        assert!(execution.success);
        assert_eq!(execution.output[31], 42);
        assert_eq!(execution.trace.kind, CallKind::DelegateCall);
        assert_eq!(execution.trace.to, cfg.address);
        assert_eq!(execution.guest_instructions, 0);
        assert!(execution.guest_exit.is_none());
        assert_eq!(execution.gas.hyvm_overhead, 0);
        // PUSH1, PUSH0, MSTORE (with a word of memory), PUSH1, PUSH0, RETURN.
        assert_eq!(execution.gas.guest_execution, 3 + 2 + 6 + 3 + 2);
    }

    #[test]
    fn guest_exit_without_jumps_has_none() {
        // PUSH0 PUSH0 RETURN
        let execution = run(&[0x5f, 0x5f, 0xf3]);
        assert!(execution.success);
        let exit = execution
            .guest_exit
            .unwrap_or_else(|| panic!("no exit recorded"));
        assert_eq!((exit.pc, exit.opcode, exit.last_jump), (2, 0xf3, None));
    }
}
