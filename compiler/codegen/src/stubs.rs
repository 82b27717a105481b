//! Shared code placed after the body: failure stubs and the force-approve subroutine.

use crate::emit::Gen;
use alloy_sol_types::{Revert, SolError};
use nest_artifact::reasons::{APPROVE_FAILED, NO_CODE};
use nest_evm::{Label, Opcode as O};
use nest_ir::Failure;

/// Revert message when a run records more grants than the journal can hold (the
/// compile-time bound says it cannot happen; the run-time check makes sure).
pub const JOURNAL_FULL: &str = "nest: grant journal full";
/// Revert message when a call's target, known only at run time, is the vault itself.
pub const SELF_CALL: &str = "nest: call to the vault itself";

/// `approve(address,uint256)`.
const APPROVE: u32 = 0x095e_a7b3;

impl Gen {
    pub(crate) fn force_approve_label(&mut self) -> Label {
        match self.stubs.force_approve {
            Some(l) => l,
            None => {
                let l = self.new_label();
                self.stubs.force_approve = Some(l);
                l
            }
        }
    }

    /// Emits every stub that was used. Each ends in REVERT or JUMP.
    pub(crate) fn stubs(&mut self, m: &nest_ir::Module) {
        // Shared by every site that jumps here: reports locate a failure at the jump.
        self.shared_code();
        // The journal's subroutine uses force-approve and calls: emit it first.
        self.revoke_journal_body(m);
        self.approve_slow_body();
        if let Some(l) = self.stubs.force_approve {
            self.force_approve_body(l);
        }
        if let Some(l) = self.stubs.bubble {
            self.comment("bubble the callee's revert data");
            self.place(l);
            self.ops(&[
                O::RETURNDATASIZE,
                O::PUSH0,
                O::PUSH0,
                O::RETURNDATACOPY,
                O::RETURNDATASIZE,
                O::PUSH0,
                O::REVERT,
            ]);
        }
        // Two or more panic codes share the code that builds `Panic(code)`: each stub
        // then only pushes its code (7 bytes instead of 18).
        let panics = self
            .stubs
            .failures
            .keys()
            .filter(|f| matches!(f, Failure::Panic(_)))
            .count();
        let panic_tail = (self.opts.error_stubs && panics >= 2).then(|| self.new_label());
        // Stubs may create further failures (none do today); loop until stable.
        let mut done = std::collections::BTreeSet::new();
        loop {
            let pending: Vec<(Failure, Label)> = self
                .stubs
                .failures
                .iter()
                .filter(|(f, _)| !done.contains(*f))
                .map(|(f, l)| (f.clone(), *l))
                .collect();
            if pending.is_empty() {
                break;
            }
            for (f, l) in pending {
                self.failure_stub(&f, l, panic_tail);
                done.insert(f);
            }
        }
        if let Some(l) = panic_tail {
            self.comment("revert Panic(code): [code]");
            self.place(l);
            self.panic_payload();
        }
        self.error_tail_body();
    }

    /// `[code]` → reverts with `Panic(code)` ABI-encoded at `0x1c`.
    fn panic_payload(&mut self) {
        self.pushn(0x4e48_7b71);
        self.op(O::PUSH0);
        self.op(O::MSTORE);
        self.pushn(0x20);
        self.op(O::MSTORE);
        self.pushn(0x24);
        self.pushn(0x1c);
        self.op(O::REVERT);
    }

    fn failure_stub(&mut self, f: &Failure, l: Label, panic_tail: Option<Label>) {
        self.comment(format!("{f}"));
        self.place(l);
        match f {
            Failure::Panic(code) => {
                self.pushn(*code as u64);
                match panic_tail {
                    Some(tail) => self.jump(tail),
                    None => self.panic_payload(),
                }
            }
            Failure::Error(msg) if self.opts.error_stubs => {
                // Only the message is shipped; the shared tail builds the payload.
                let len = msg.len() as u64;
                let data = self.p.add_data(msg.as_bytes().to_vec());
                let tail = self.error_tail();
                self.pushn(len);
                self.push_data(data);
                self.jump(tail);
            }
            Failure::Error(msg) => {
                let blob = Revert::from(msg.as_str()).abi_encode();
                let len = blob.len() as u64;
                let data = self.p.add_data(blob);
                self.pushn(len);
                self.push_data(data);
                self.op(O::PUSH0);
                self.op(O::CODECOPY);
                self.pushn(len);
                self.op(O::PUSH0);
                self.op(O::REVERT);
            }
        }
    }

    fn error_tail(&mut self) -> Label {
        match self.stubs.error_tail {
            Some(l) => l,
            None => {
                let l = self.new_label();
                self.stubs.error_tail = Some(l);
                l
            }
        }
    }

    /// The shared tail of `Error(string)` stubs: entered with `[len, src]`, the message's
    /// length and its offset in the code; reverts with `Error(message)` ABI-encoded at
    /// `0x1c`: selector, offset `0x20`, length at `0x40`, message from `0x60` (scratch
    /// memory and the words after it, overwritten freely: nothing runs afterwards).
    fn error_tail_body(&mut self) {
        let Some(l) = self.stubs.error_tail else {
            return;
        };
        self.comment("revert Error(message): [len, src]");
        self.shared_code();
        self.place(l);
        // Zero the padding after the message, then copy it to 0x60.
        self.op(O::PUSH0);
        self.op(O::DUP3);
        self.pushn(0x60);
        self.ops(&[O::ADD, O::MSTORE, O::DUP2, O::SWAP1]);
        self.pushn(0x60);
        self.op(O::CODECOPY);
        // [len]: the length word, then the payload's size 0x44 + len rounded up.
        self.op(O::DUP1);
        self.pushn(0x40);
        self.op(O::MSTORE);
        self.pushn(31);
        self.op(O::ADD);
        self.pushn(5);
        self.op(O::SHR);
        self.pushn(5);
        self.op(O::SHL);
        self.pushn(0x44);
        self.op(O::ADD);
        // Selector and the string's offset.
        self.pushn(0x08c3_79a0);
        self.op(O::PUSH0);
        self.op(O::MSTORE);
        self.pushn(0x20);
        self.ops(&[O::DUP1, O::MSTORE]);
        self.pushn(0x1c);
        self.op(O::REVERT);
    }

    /// Force-approve: entered with `[ret, token, spender, amount]` (amount on top).
    /// Tries `approve(spender, amount)`; a token that returns nothing counts as
    /// success; on failure with a non-zero amount, sets zero first and retries. The
    /// second entry (`force_approve_retry`) starts at the retry, for the inline slow path,
    /// whose token has code and whose first try has just failed.
    fn force_approve_body(&mut self, entry: Label) {
        let done = self.new_label();
        let try_approve = self.new_label();
        self.comment("force_approve(token, spender, amount)");
        self.shared_code();
        self.place(entry);
        // The token must have code: otherwise every call "succeeds".
        self.ops(&[O::DUP3, O::EXTCODESIZE, O::ISZERO]);
        self.fail_if(Failure::Error(NO_CODE.into()));
        // Each try: [ret, token, spender, amount] → [.., back, amount', spender, token].
        self.try_approve_call(try_approve, O::DUP2);
        self.jumpi(done);
        if let Some(retry) = self.stubs.force_approve_retry {
            self.place(retry);
        }
        self.ops(&[O::DUP1, O::ISZERO]);
        self.fail_if(Failure::Error(APPROVE_FAILED.into()));
        self.try_approve_call(try_approve, O::PUSH0);
        self.op(O::ISZERO);
        self.fail_if(Failure::Error(APPROVE_FAILED.into()));
        self.try_approve_call(try_approve, O::DUP2);
        self.op(O::ISZERO);
        self.fail_if(Failure::Error(APPROVE_FAILED.into()));
        self.place(done);
        self.ops(&[O::POP, O::POP, O::POP, O::JUMP]);
        // [back, amount, spender, token] → [ok], back at `back`.
        self.comment("try_approve(token, spender, amount)");
        self.place(try_approve);
        self.try_approve();
        self.ops(&[O::SWAP1, O::JUMP]);
    }

    /// Calls the `try_approve` subroutine from inside force-approve (stack
    /// `[ret, token, spender, amount]`) with `amount` pushed by `amount`
    /// (`DUP2`: the amount asked for; `PUSH0`: zero); leaves `[.., ok]`.
    fn try_approve_call(&mut self, sub: Label, amount: O) {
        let back = self.new_label();
        self.push_label(back);
        self.ops(&[amount, O::DUP4, O::DUP6]);
        self.jump(sub);
        self.place(back);
    }

    /// `[amount, spender, token]` (token on top) → `[ok]`. The result word is word 0,
    /// whose last bytes hold the selector before the call (see `approve.rs`): it is 1
    /// only when the token returned a full word equal to 1; a token that returned
    /// nothing at all succeeded (its code was checked on entry).
    fn try_approve(&mut self) {
        let buf = self.layout.call_buf;
        self.op(O::SWAP2);
        self.pushn(buf + 36);
        self.op(O::MSTORE);
        self.pushn(buf + 4);
        self.op(O::MSTORE);
        self.pushn(APPROVE as u64);
        self.pushn(buf - 28);
        self.op(O::MSTORE);
        self.pushn(32);
        self.pushn(buf - 28);
        self.pushn(0x44);
        self.pushn(buf);
        self.op(O::PUSH0);
        self.op(O::DUP6);
        self.op(O::GAS);
        self.op(O::CALL);
        // [token, ok]: ok && (no return data || word == 1)
        self.ops(&[O::SWAP1, O::POP, O::RETURNDATASIZE, O::ISZERO]);
        self.pushn(buf - 28);
        self.op(O::MLOAD);
        self.pushn(1);
        self.ops(&[O::EQ, O::OR, O::AND]);
    }
}
