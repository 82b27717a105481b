//! Which of a guest's values depend on the environment: a small taint tracker run alongside
//! each guest frame, so a report can warn when the guest's control flow (or a call's
//! arguments) before a call depended on something a dry run cannot fix — the gas price, the
//! base fee, the block's builder, number or time, the gas left, the vault's balance.
//!
//! It is approximate and errs on the side of taint: a slot on the stack is tainted by an
//! environment opcode and by any instruction that reads a tainted slot; a word of memory is
//! tainted by a tainted MSTORE to it (and cleared only by an untainted, aligned MSTORE), and
//! taints every MLOAD and KECCAK256 that reads it. What a called contract returns is not
//! tainted, even when the callee read the environment.

use std::collections::BTreeMap;

use alloy_primitives::{Address, U256};
use revm::bytecode::opcode::{self, OpCode};
use serde::Serialize;

/// Opcodes whose value a dry run cannot fix: it depends on the block, the transaction's
/// pricing or sender, the gas left, or the vault's balance.
pub const ENVIRONMENT_OPCODES: [u8; 13] = [
    opcode::BALANCE,
    opcode::ORIGIN,
    opcode::GASPRICE,
    opcode::BLOCKHASH,
    opcode::COINBASE,
    opcode::TIMESTAMP,
    opcode::NUMBER,
    opcode::DIFFICULTY,
    opcode::GASLIMIT,
    opcode::CHAINID,
    opcode::SELFBALANCE,
    opcode::BASEFEE,
    opcode::GAS,
];

/// Where a tainted value came from: the environment opcodes (a bit per entry of
/// [`ENVIRONMENT_OPCODES`]) and the pc of the earliest one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Taint {
    opcodes: u16,
    pc: usize,
}

impl Taint {
    fn of(op: u8, pc: usize) -> Option<Taint> {
        let bit = ENVIRONMENT_OPCODES.iter().position(|o| *o == op)?;
        Some(Taint {
            opcodes: 1 << bit,
            pc,
        })
    }

    fn join(a: Option<Taint>, b: Option<Taint>) -> Option<Taint> {
        match (a, b) {
            (Some(a), Some(b)) => Some(Taint {
                opcodes: a.opcodes | b.opcodes,
                pc: a.pc.min(b.pc),
            }),
            (a, None) => a,
            (None, b) => b,
        }
    }

    /// The opcodes' names, in table order.
    fn names(self) -> Vec<String> {
        ENVIRONMENT_OPCODES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.opcodes & (1 << i) != 0)
            .map(|(_, op)| match *op {
                opcode::DIFFICULTY => "PREVRANDAO".to_string(),
                op => crate::opcodes::name(op).to_string(),
            })
            .collect()
    }
}

/// What depended on the environment before a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum EnvironmentUse {
    /// A JUMPI's condition (or a jump's target): the path the guest took.
    Branch,
    /// The call's own arguments: its target, value or calldata.
    CallArguments,
}

/// A guest's decision that depended on the environment, and the call that followed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvironmentDependence {
    /// What depended on it.
    pub kind: EnvironmentUse,
    /// The environment opcodes the value came from (`GASPRICE`, `BASEFEE`), in a fixed order.
    pub opcodes: Vec<String>,
    /// The guest pc of the earliest of them.
    pub source_pc: usize,
    /// The guest pc of the JUMP or JUMPI (for [`EnvironmentUse::Branch`]), or of the call.
    pub pc: usize,
    /// For a JUMPI, whether the jump was taken (`None` for a JUMP or a call).
    pub taken: Option<bool>,
    /// The guest pc of the call that followed (the call itself for
    /// [`EnvironmentUse::CallArguments`]).
    pub call_pc: usize,
    /// The address the call went to (the code's address for a DELEGATECALL).
    pub call_to: Address,
}

/// A dependence seen, not yet followed by a call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pending {
    kind: EnvironmentUse,
    taint: Taint,
    pc: usize,
    taken: Option<bool>,
}

impl Pending {
    /// The dependence, now that a call at `call_pc` to `call_to` followed it.
    pub(crate) fn followed_by(self, call_pc: usize, call_to: Address) -> EnvironmentDependence {
        EnvironmentDependence {
            kind: self.kind,
            opcodes: self.taint.names(),
            source_pc: self.taint.pc,
            pc: self.pc,
            taken: self.taken,
            call_pc,
            call_to,
        }
    }
}

/// The taint of one guest frame's stack and memory.
#[derive(Clone, Debug, Default)]
pub(crate) struct TaintState {
    /// One entry per stack slot, bottom first.
    stack: Vec<Option<Taint>>,
    /// Tainted 32-byte words of memory, by index (offset / 32).
    memory: BTreeMap<u64, Taint>,
    /// The first jump whose condition or target was tainted.
    pub branch: Option<Pending>,
    /// The taint of the arguments of the call the current instruction makes, if tainted.
    pub call: Option<Pending>,
}

/// Memory offsets beyond this are not tracked (the guest runs out of gas long before).
const MEMORY_LIMIT: u64 = 1 << 32;

impl TaintState {
    /// Updates the taint for the instruction `op` at `pc`, about to run with `stack` (bottom
    /// first) in a frame whose address is `this`.
    pub(crate) fn before(&mut self, op: u8, pc: usize, stack: &[U256], this: Address) {
        self.call = None;
        // Resynchronise with the real stack: after a call its result appears without a step,
        // and a halted or refused instruction leaves it as it was.
        let n = stack.len();
        self.stack.resize(n, None);
        let peek = |i: usize| n.checked_sub(i + 1).map(|j| stack[j]);
        let taint = |s: &Self, i: usize| n.checked_sub(i + 1).and_then(|j| s.stack[j]);
        match op {
            opcode::JUMP | opcode::JUMPI => {
                let target = taint(self, 0);
                let condition = if op == opcode::JUMPI {
                    taint(self, 1)
                } else {
                    None
                };
                if let (None, Some(t)) = (self.branch, Taint::join(condition, target)) {
                    self.branch = Some(Pending {
                        kind: EnvironmentUse::Branch,
                        taint: t,
                        pc,
                        taken: (op == opcode::JUMPI).then(|| peek(1).is_some_and(|c| !c.is_zero())),
                    });
                }
                self.pop(if op == opcode::JUMP { 1 } else { 2 });
            }
            opcode::DUP1..=opcode::DUP16 => {
                let k = usize::from(op - opcode::DUP1);
                let t = taint(self, k);
                self.stack.push(t);
            }
            opcode::SWAP1..=opcode::SWAP16 => {
                let k = usize::from(op - opcode::SWAP1) + 1;
                if n > k {
                    self.stack.swap(n - 1, n - 1 - k);
                }
            }
            opcode::MSTORE | opcode::MSTORE8 => {
                let value = taint(self, 1);
                if let Some(offset) = peek(0).and_then(offset_of) {
                    let last = if op == opcode::MSTORE {
                        offset + 31
                    } else {
                        offset
                    };
                    if let Some(value) = value {
                        for word in offset / 32..=last / 32 {
                            let old = self.memory.get(&word).copied();
                            if let Some(t) = Taint::join(old, Some(value)) {
                                self.memory.insert(word, t);
                            }
                        }
                    } else if op == opcode::MSTORE && offset % 32 == 0 {
                        self.memory.remove(&(offset / 32));
                    }
                }
                self.pop(2);
            }
            opcode::MLOAD => {
                let t = Taint::join(
                    taint(self, 0),
                    self.memory_taint(peek(0), Some(U256::from(32))),
                );
                self.pop(1);
                self.stack.push(t);
            }
            opcode::KECCAK256 => {
                let t = Taint::join(
                    Taint::join(taint(self, 0), taint(self, 1)),
                    self.memory_taint(peek(0), peek(1)),
                );
                self.pop(2);
                self.stack.push(t);
            }
            opcode::BALANCE => {
                let own = peek(0).is_some_and(|a| a == U256::from_be_slice(this.as_slice()));
                let t = taint(self, 0);
                let t = if own {
                    Taint::join(t, Taint::of(op, pc))
                } else {
                    t
                };
                self.pop(1);
                self.stack.push(t);
            }
            opcode::BLOCKHASH => {
                self.pop(1);
                self.stack.push(Taint::of(op, pc));
            }
            opcode::CALL | opcode::CALLCODE | opcode::DELEGATECALL | opcode::STATICCALL => {
                // Everything but the gas argument: the target, the value, the calldata.
                let (args_at, has_value) = match op {
                    opcode::CALL | opcode::CALLCODE => (3, true),
                    _ => (2, false),
                };
                let mut t = taint(self, 1);
                if has_value {
                    t = Taint::join(t, taint(self, 2));
                }
                t = Taint::join(
                    t,
                    Taint::join(taint(self, args_at), taint(self, args_at + 1)),
                );
                t = Taint::join(t, self.memory_taint(peek(args_at), peek(args_at + 1)));
                self.call = t.map(|taint| Pending {
                    kind: EnvironmentUse::CallArguments,
                    taint,
                    pc,
                    taken: None,
                });
                self.pop(if has_value { 7 } else { 6 });
                self.stack.push(None);
            }
            op if Taint::of(op, pc).is_some() => {
                self.stack.push(Taint::of(op, pc));
            }
            _ => {
                let (inputs, outputs) = OpCode::new(op).map_or((0, 0), |o| {
                    (usize::from(o.inputs()), usize::from(o.outputs()))
                });
                let t = (0..inputs).fold(None, |acc, i| Taint::join(acc, taint(self, i)));
                self.pop(inputs);
                let t = match op {
                    // A fresh value, whatever the inputs were.
                    opcode::CREATE | opcode::CREATE2 => None,
                    _ => t,
                };
                for _ in 0..outputs {
                    self.stack.push(t);
                }
            }
        }
    }

    fn pop(&mut self, k: usize) {
        let n = self.stack.len();
        self.stack.truncate(n.saturating_sub(k));
    }

    /// The taint of memory `[offset, offset + length)`: `None` when no word of it is tainted.
    fn memory_taint(&self, offset: Option<U256>, length: Option<U256>) -> Option<Taint> {
        let (Some(offset), Some(length)) = (offset.and_then(offset_of), length) else {
            return None;
        };
        if length.is_zero() || self.memory.is_empty() {
            return None;
        }
        let length = u64::try_from(length)
            .unwrap_or(MEMORY_LIMIT)
            .min(MEMORY_LIMIT);
        let last = (offset + length - 1) / 32;
        self.memory
            .range(offset / 32..=last)
            .fold(None, |acc, (_, t)| Taint::join(acc, Some(*t)))
    }
}

/// A memory offset the tracker follows (beyond [`MEMORY_LIMIT`] the guest cannot pay for the
/// memory anyway).
fn offset_of(value: U256) -> Option<u64> {
    // The HyVM masks memory offsets to 160 bits: so must the tracker, or a store at a huge
    // offset would hide where it lands.
    u64::try_from(value & crate::guest_step::OFFSET_MASK)
        .ok()
        .filter(|o| *o < MEMORY_LIMIT)
}
