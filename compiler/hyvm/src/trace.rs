//! The call tree of a run: the guest frame at the root, the calls it made below it.

use alloy_primitives::{Address, Bytes, Log, U256};
use serde::Serialize;

/// Where the outermost guest frame stopped, to locate a failure in the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GuestExit {
    /// The guest pc of the last instruction the frame ran (its RETURN, REVERT, STOP, a refused
    /// opcode, or the instruction that halted).
    pub pc: usize,
    /// The opcode at `pc`.
    pub opcode: u8,
    /// The guest pc of the last jump the frame took, if any: the jump into the straight-line code
    /// that ended at `pc` (a compiler's shared revert stub is entered this way).
    pub last_jump: Option<usize>,
}

/// How a frame was entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CallKind {
    /// CALL (or the transaction itself).
    Call,
    /// STATICCALL.
    StaticCall,
    /// DELEGATECALL.
    DelegateCall,
    /// CALLCODE.
    CallCode,
    /// CREATE (or a contract-creating transaction).
    Create,
    /// CREATE2.
    Create2,
}

/// One frame of the call tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallNode {
    /// How the frame was entered.
    pub kind: CallKind,
    /// The caller (for a DELEGATECALL, the caller of the delegating frame).
    pub from: Address,
    /// The account whose code ran: the callee, the delegate target, or the created address
    /// (zero when a creation failed before an address was assigned).
    pub to: Address,
    /// The value sent (the apparent value for a DELEGATECALL).
    pub value: U256,
    /// The calldata (for a creation, the init code). For the guest frame, the payload.
    pub input: Bytes,
    /// Return or revert data.
    pub output: Bytes,
    /// Whether the frame returned or stopped normally.
    pub success: bool,
    /// Gas the frame spent, its children and (for a guest frame) the HyVM's overhead included.
    pub gas_used: u64,
    /// The guest's program counter at the instruction that made this call, when a guest made it.
    pub guest_pc: Option<usize>,
    /// For calls made by an outermost guest: how many of [`crate::Execution::guest_jumps`]
    /// the guest had taken before this call (to tell which subroutine call made it).
    pub guest_jumps: Option<usize>,
    /// The calls this frame made, in order.
    pub children: Vec<CallNode>,
    /// Logs this frame emitted itself, kept even if the frame later reverted.
    pub logs: Vec<Log>,
}

impl CallNode {
    /// A frame about to run, with no outcome yet.
    pub(crate) fn open(
        kind: CallKind,
        from: Address,
        to: Address,
        value: U256,
        input: Bytes,
    ) -> Self {
        Self {
            kind,
            from,
            to,
            value,
            input,
            output: Bytes::new(),
            success: false,
            gas_used: 0,
            guest_pc: None,
            guest_jumps: None,
            children: Vec::new(),
            logs: Vec::new(),
        }
    }

    /// Depth-first search for the first node satisfying `pred`, this node included.
    pub fn find(&self, pred: &impl Fn(&CallNode) -> bool) -> Option<&CallNode> {
        if pred(self) {
            return Some(self);
        }
        self.children.iter().find_map(|child| child.find(pred))
    }
}
