//! The revm inspector that makes a DELEGATECALL to the HyVM's address run the guest: it swaps
//! the frame's code for the payload, empties its input, applies the HyVM's rules to every guest
//! instruction, refuses direct calls to the HyVM, and records the call tree. With
//! `Variant::Deployed` it only watches: the code at the HyVM's address runs as it is.

use crate::config::HyvmConfig;
use crate::gas;
use crate::guest_step;
use crate::taint::{EnvironmentDependence, EnvironmentUse, TaintState};
use crate::trace::{CallKind, CallNode, GuestExit};
use alloy_primitives::{Address, Bytes, Log};
use revm::bytecode::Bytecode;
use revm::context::ContextTr;
use revm::context_interface::CreateScheme;
use revm::interpreter::interpreter_types::{InputsTr, Jumps, LoopControl};
use revm::interpreter::{
    CallInput, CallInputs, CallOutcome, CallScheme, CreateInputs, CreateOutcome, Gas,
    InstructionResult, Interpreter, InterpreterResult,
};
use revm::Inspector;

/// What the guest frames did, summed over every DELEGATECALL into the HyVM.
#[derive(Clone, Debug, Default)]
pub(crate) struct GuestStats {
    /// Guest instructions dispatched.
    pub instructions: u64,
    /// HyVM overhead charged (entry, dispatch, surcharges).
    pub overhead: u64,
    /// Gas spent by the outermost HyVM frames, overhead and their calls included.
    pub spent: u64,
    /// The first reason a guest stopped abnormally (refusal, halt), with its pc.
    pub failure: Option<String>,
    /// Where the first outermost guest frame stopped.
    pub exit: Option<GuestExit>,
    /// Jumps taken by outermost guest frames, `(from pc, to pc)`, in order.
    pub jumps: Vec<(usize, usize)>,
    /// The first jump that depended on the environment and was followed by a call, and the
    /// first call whose arguments did (at most one of each).
    pub environment: Vec<EnvironmentDependence>,
}

/// A frame that has started and not yet ended.
struct OpenFrame {
    node: CallNode,
    /// The frame runs the HyVM for a vault (a DELEGATECALL or CALLCODE to its address),
    /// emulated or deployed.
    hyvm: bool,
    /// The frame runs a guest payload as its code (an emulated HyVM frame).
    guest: bool,
    /// Some ancestor runs the HyVM.
    under_hyvm: bool,
    /// The pc of the guest instruction being executed (guest frames only).
    pc: usize,
    /// The opcode at `pc`.
    opcode: u8,
    /// The pc of the last jump taken (guest frames only).
    last_jump: Option<usize>,
    /// Which of its values depend on the environment (guest frames only).
    taint: TaintState,
}

/// Inspector giving revm the behaviour of a deployed HyVM.
pub(crate) struct HyvmInspector {
    cfg: HyvmConfig,
    frames: Vec<OpenFrame>,
    /// Frames that ended with no parent: normally just the transaction's.
    pub finished: Vec<CallNode>,
    /// What the guests did.
    pub stats: GuestStats,
}

impl HyvmInspector {
    pub(crate) fn new(cfg: HyvmConfig) -> Self {
        Self {
            cfg,
            frames: Vec::new(),
            finished: Vec::new(),
            stats: GuestStats::default(),
        }
    }

    /// Opens a frame under the current one; a guest parent lends the pc of its calling
    /// instruction.
    fn open(&mut self, mut node: CallNode, hyvm: bool, guest: bool) {
        let parent = self.frames.last();
        node.guest_pc = parent.filter(|p| p.guest).map(|p| p.pc);
        if parent.is_some_and(|p| p.guest && !p.under_hyvm) {
            node.guest_jumps = Some(self.stats.jumps.len());
        }
        let under_hyvm = parent.is_some_and(|p| p.hyvm || p.under_hyvm);
        self.frames.push(OpenFrame {
            node,
            hyvm,
            guest,
            under_hyvm,
            pc: 0,
            opcode: 0,
            last_jump: None,
            taint: TaintState::default(),
        });
    }

    /// Before a guest makes a call to `to`: records the first environment-dependent jump
    /// that led here, and the call's own arguments if they depend on the environment.
    fn note_environment(&mut self, to: Address) {
        let Some(parent) = self.frames.last_mut().filter(|f| f.guest) else {
            return;
        };
        let seen = |kind| self.stats.environment.iter().any(|e| e.kind == kind);
        let mut found = Vec::new();
        if let (false, Some(branch)) = (seen(EnvironmentUse::Branch), parent.taint.branch) {
            found.push(branch.followed_by(parent.pc, to));
        }
        if let (false, Some(call)) = (
            seen(EnvironmentUse::CallArguments),
            parent.taint.call.take(),
        ) {
            found.push(call.followed_by(parent.pc, to));
        }
        self.stats.environment.extend(found);
    }

    /// Closes the current frame with its outcome and hangs it under its parent.
    fn close(&mut self, result: &InterpreterResult, created: Option<Address>) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let mut node = frame.node;
        node.output = result.output.clone();
        node.success = result.result.is_ok();
        node.gas_used = result.gas.total_gas_spent();
        if let Some(address) = created {
            node.to = address;
        }
        if frame.hyvm && !frame.under_hyvm {
            self.stats.spent += node.gas_used;
        }
        if frame.guest {
            if !frame.under_hyvm && self.stats.exit.is_none() {
                self.stats.exit = Some(GuestExit {
                    pc: frame.pc,
                    opcode: frame.opcode,
                    last_jump: frame.last_jump,
                });
            }
            if result.result.is_halt() && self.stats.failure.is_none() {
                let reason = describe_halt(result.result);
                self.stats.failure = Some(format!("{reason} at pc {}", frame.pc));
            }
        }
        match self.frames.last_mut() {
            Some(parent) => parent.node.children.push(node),
            None => self.finished.push(node),
        }
    }

    fn current_is_guest(&self) -> bool {
        self.frames.last().is_some_and(|f| f.guest)
    }

    fn record_failure(&mut self, failure: Option<String>) {
        if self.stats.failure.is_none() {
            self.stats.failure = failure;
        }
    }
}

impl<CTX: ContextTr> Inspector<CTX> for HyvmInspector {
    fn initialize_interp(&mut self, interp: &mut Interpreter, _context: &mut CTX) {
        if !self.current_is_guest() {
            return;
        }
        if interp.gas.record_regular_cost(gas::ENTRY) {
            self.stats.overhead += gas::ENTRY;
        } else {
            interp.halt(InstructionResult::OutOfGas);
            self.record_failure(Some("out of gas entering the HyVM".to_string()));
        }
    }

    fn step(&mut self, interp: &mut Interpreter, _context: &mut CTX) {
        if interp.bytecode.is_end() {
            return; // halted on entry
        }
        let (variant, build) = (self.cfg.variant, self.cfg.build);
        let Some(frame) = self.frames.last_mut().filter(|f| f.guest) else {
            return;
        };
        frame.pc = interp.bytecode.pc();
        frame.opcode = interp.bytecode.opcode();
        frame.taint.before(
            frame.opcode,
            frame.pc,
            interp.stack.data(),
            interp.input.target_address(),
        );
        self.stats.instructions += 1;
        let prepared = guest_step::prepare(interp, variant, build);
        if prepared.jumped {
            frame.last_jump = Some(frame.pc);
            if let (false, Some(target)) = (frame.under_hyvm, prepared.target) {
                self.stats.jumps.push((frame.pc, target));
            }
        }
        self.stats.overhead += prepared.overhead;
        self.record_failure(prepared.failure);
    }

    fn log(&mut self, _context: &mut CTX, log: Log) {
        if let Some(frame) = self.frames.last_mut() {
            frame.node.logs.push(log);
        }
    }

    fn call(&mut self, context: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        let input = inputs.input.bytes(context);
        let kind = match inputs.scheme {
            CallScheme::Call => CallKind::Call,
            CallScheme::StaticCall => CallKind::StaticCall,
            CallScheme::DelegateCall => CallKind::DelegateCall,
            CallScheme::CallCode => CallKind::CallCode,
        };
        let node = CallNode::open(
            kind,
            inputs.caller,
            inputs.bytecode_address,
            inputs.call_value(),
            input.clone(),
        );
        self.note_environment(inputs.bytecode_address);
        if inputs.bytecode_address != self.cfg.address {
            self.open(node, false, false);
            return None;
        }
        let emulated = self.cfg.variant.is_emulated();
        match inputs.scheme {
            CallScheme::DelegateCall | CallScheme::CallCode => {
                if emulated {
                    run_payload_as_code(inputs, input);
                }
                self.open(node, true, emulated);
                None
            }
            CallScheme::Call | CallScheme::StaticCall => {
                self.open(node, false, false);
                emulated.then(|| refuse_direct_call(inputs))
            }
        }
    }

    fn call_end(&mut self, _context: &mut CTX, _inputs: &CallInputs, outcome: &mut CallOutcome) {
        self.close(&outcome.result, None);
    }

    fn create(&mut self, _context: &mut CTX, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        let kind = match inputs.scheme() {
            CreateScheme::Create2 { .. } => CallKind::Create2,
            _ => CallKind::Create,
        };
        let node = CallNode::open(
            kind,
            inputs.caller(),
            Address::ZERO,
            inputs.value(),
            inputs.init_code().clone(),
        );
        self.open(node, false, false);
        None
    }

    fn create_end(
        &mut self,
        _context: &mut CTX,
        _inputs: &CreateInputs,
        outcome: &mut CreateOutcome,
    ) {
        self.close(&outcome.result, outcome.address);
    }
}

/// Makes the frame run its calldata as code, with empty calldata: the guest's view inside the
/// HyVM. An empty payload becomes a single STOP, which is what the HyVM reads past the end.
fn run_payload_as_code(inputs: &mut CallInputs, payload: Bytes) {
    let code = if payload.is_empty() {
        Bytes::from_static(&[0x00])
    } else {
        payload
    };
    let bytecode = Bytecode::new_legacy(code);
    inputs.known_bytecode = (bytecode.hash_slow(), bytecode);
    inputs.input = CallInput::Bytes(Bytes::new());
}

/// The HyVM's guard: a CALL or STATICCALL (the HyVM's own account as context) reverts with
/// empty data.
fn refuse_direct_call(inputs: &CallInputs) -> CallOutcome {
    let mut gas = Gas::new_with_regular_gas_and_reservoir(inputs.gas_limit, inputs.reservoir);
    let spent = gas::DIRECT_CALL_GUARD.min(inputs.gas_limit);
    let _ = gas.record_regular_cost(spent);
    CallOutcome {
        result: InterpreterResult::new(InstructionResult::Revert, Bytes::new(), gas),
        memory_offset: inputs.return_memory_offset.clone(),
        was_precompile_called: false,
        precompile_call_logs: Vec::new(),
        charged_new_account_state_gas: inputs.charged_new_account_state_gas,
    }
}

/// A short lower-case description of a halt.
fn describe_halt(result: InstructionResult) -> String {
    match result {
        InstructionResult::OutOfGas
        | InstructionResult::MemoryOOG
        | InstructionResult::MemoryLimitOOG
        | InstructionResult::InvalidOperandOOG
        | InstructionResult::PrecompileOOG => "out of gas".to_string(),
        InstructionResult::StackUnderflow => "stack underflow".to_string(),
        InstructionResult::StackOverflow => "stack overflow".to_string(),
        InstructionResult::InvalidFEOpcode => "INVALID opcode".to_string(),
        InstructionResult::OpcodeNotFound => "undefined opcode".to_string(),
        InstructionResult::InvalidJump => "invalid jump".to_string(),
        InstructionResult::StateChangeDuringStaticCall
        | InstructionResult::CallNotAllowedInsideStatic => {
            "state change in a static call".to_string()
        }
        other => format!("{other:?}"),
    }
}
