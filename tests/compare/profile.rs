//! Where a guest's instructions go: the opcodes a HyVM payload executes, counted by replaying it
//! as ordinary EVM code (the HyVM's dispatch changes costs, not control flow), grouped into the
//! categories the HyVM's cost model charges differently.
//!
//! The replay puts the payload where the vault DELEGATECALLs and sends the vault one byte of
//! calldata (empty calldata would reach its `receive`); a guest sees no calldata in the HyVM, and
//! solc's dispatcher treats fewer than four bytes the same way. Used by the benchmark and checked
//! against the HyVM's own instruction count by the test.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use alloy_primitives::{Address, Bytes, TxKind, U256};
use nest_devnet::deploy::{cfg_env, TX_GAS_LIMIT};
use nest_devnet::Devnet;
use revm::bytecode::Bytecode;
use revm::context::{ContextTr, TxEnv};
use revm::interpreter::interpreter_types::{Jumps, LoopControl};
use revm::interpreter::{
    CallInputs, CallOutcome, CallScheme, CreateInputs, CreateOutcome, Interpreter,
};
use revm::state::AccountInfo;
use revm::{Context, InspectEvm, Inspector, MainBuilder, MainContext};

const JUMP: u8 = 0x56;
const JUMPI: u8 = 0x57;
const JUMPDEST: u8 = 0x5b;

/// The opcodes one run of a guest executed.
#[derive(Clone, Debug, Default)]
pub(crate) struct Profile {
    /// Executions per opcode.
    pub opcodes: BTreeMap<u8, u64>,
    /// JUMPDESTs reached by a taken jump: the HyVM does not dispatch those.
    pub landing_jumpdests: u64,
    /// Whether the replay succeeded.
    pub success: bool,
}

impl Profile {
    /// Instructions the HyVM would dispatch: every executed opcode but the landing JUMPDESTs.
    pub(crate) fn dispatched(&self) -> u64 {
        self.opcodes.values().sum::<u64>() - self.landing_jumpdests
    }

    /// Dispatched instructions per category of [`CATEGORIES`].
    pub(crate) fn by_category(&self) -> Vec<(&'static str, u64)> {
        let mut counts: Vec<(&'static str, u64)> = CATEGORIES.iter().map(|c| (*c, 0)).collect();
        for (&op, &n) in &self.opcodes {
            let n = if op == JUMPDEST {
                n - self.landing_jumpdests
            } else {
                n
            };
            if let Some(slot) = counts.iter_mut().find(|(c, _)| *c == category(op)) {
                slot.1 += n;
            }
        }
        counts
    }
}

/// The categories, in table order.
pub(crate) const CATEGORIES: [&str; 9] = [
    "PUSH1-32 (+45 each)",
    "PUSH0",
    "DUP/SWAP/POP",
    "memory (+12/offset)",
    "arith/compare/bits",
    "JUMP/JUMPI/JUMPDEST",
    "CALL/STATICCALL",
    "env/returndata/gas",
    "STOP/RETURN/REVERT",
];

/// The category of `op`.
pub(crate) fn category(op: u8) -> &'static str {
    match op {
        0x60..=0x7f => CATEGORIES[0],
        0x5f => CATEGORIES[1],
        0x50 | 0x80..=0x9f => CATEGORIES[2],
        0x51..=0x53 | 0x20 | 0x37 | 0x39 | 0x3c | 0x3e | 0xa0..=0xa4 => CATEGORIES[3],
        0x01..=0x0b | 0x10..=0x1d => CATEGORIES[4],
        JUMP | JUMPI | JUMPDEST => CATEGORIES[5],
        0xf0..=0xf2 | 0xf4 | 0xf5 | 0xfa => CATEGORIES[6],
        0x00 | 0xf3 | 0xfd | 0xfe | 0xff => CATEGORIES[8],
        _ => CATEGORIES[7],
    }
}

/// Replays `payload` natively in a copy of the devnet and counts what it executes.
pub(crate) fn profile(devnet: &Devnet, payload: &[u8]) -> Result<Profile, String> {
    let mut world = devnet.world().clone();
    let target = world.layout.hyvm;
    world.db.insert_account_info(
        target,
        AccountInfo::from_bytecode(Bytecode::new_legacy(Bytes::copy_from_slice(payload))),
    );
    let mut cfg = cfg_env();
    cfg.disable_nonce_check = true;
    let tx = TxEnv::builder()
        .caller(world.layout.vault_owner)
        .kind(TxKind::Call(world.layout.vault))
        .data(Bytes::from_static(&[0x00]))
        .value(U256::ZERO)
        .gas_limit(TX_GAS_LIMIT)
        .gas_price(u128::from(world.block.basefee))
        .build_fill();
    let counter = Counter {
        target,
        ..Counter::default()
    };
    let mut evm = Context::mainnet()
        .with_cfg(cfg)
        .with_block(world.block.clone())
        .with_db(&mut world.db)
        .build_mainnet_with_inspector(counter);
    let outcome = evm.inspect_tx(tx).map_err(|e| format!("replay: {e}"))?;
    let mut profile = evm.inspector.profile;
    profile.success = outcome.result.is_success();
    Ok(profile)
}

/// Counts the opcodes of frames that DELEGATECALL `target`.
#[derive(Default)]
struct Counter {
    target: Address,
    /// Per open frame: whether it runs the guest.
    frames: Vec<bool>,
    /// The previous guest opcode, to see taken jumps.
    last: Option<(usize, u8)>,
    profile: Profile,
}

impl<CTX: ContextTr> Inspector<CTX> for Counter {
    fn step(&mut self, interp: &mut Interpreter, _context: &mut CTX) {
        if interp.bytecode.is_end() || !self.frames.last().copied().unwrap_or(false) {
            return;
        }
        let pc = interp.bytecode.pc();
        let op = interp.bytecode.opcode();
        *self.profile.opcodes.entry(op).or_default() += 1;
        let jumped = matches!(self.last, Some((from, JUMP | JUMPI)) if pc != from + 1);
        if op == JUMPDEST && jumped {
            self.profile.landing_jumpdests += 1;
        }
        self.last = Some((pc, op));
    }

    fn call(&mut self, _context: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        let guest =
            inputs.scheme == CallScheme::DelegateCall && inputs.bytecode_address == self.target;
        self.frames.push(guest);
        None
    }

    fn call_end(&mut self, _context: &mut CTX, _inputs: &CallInputs, _outcome: &mut CallOutcome) {
        self.frames.pop();
    }

    fn create(&mut self, _context: &mut CTX, _inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        self.frames.push(false);
        None
    }

    fn create_end(
        &mut self,
        _context: &mut CTX,
        _inputs: &CreateInputs,
        _outcome: &mut CreateOutcome,
    ) {
        self.frames.pop();
    }
}

/// Side by side, the dispatched instructions per category of each named profile.
pub(crate) fn render(profiles: &[(&str, &Profile)]) -> String {
    let mut out = String::new();
    let _ = write!(out, "{:<22}", "instructions");
    for (name, _) in profiles {
        let _ = write!(out, " {name:>14}");
    }
    out.push('\n');
    let columns: Vec<Vec<(&str, u64)>> = profiles.iter().map(|(_, p)| p.by_category()).collect();
    for (i, category) in CATEGORIES.iter().enumerate() {
        let _ = write!(out, "{category:<22}");
        for column in &columns {
            let _ = write!(out, " {:>14}", column[i].1);
        }
        out.push('\n');
    }
    let _ = write!(out, "{:<22}", "total dispatched");
    for (_, p) in profiles {
        let _ = write!(out, " {:>14}", p.dispatched());
    }
    out.push('\n');
    out
}
