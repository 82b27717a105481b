//! Helper functions as subroutines.
//!
//! A call pushes its return label, then its arguments, and jumps to the function;
//! the function stores the arguments in its parameter variables, leaving the
//! return label on the stack; `return` stores the result in the function's result
//! variable and jumps back. Functions never recurse (the checker refuses it), so
//! fixed variables are enough.

use crate::emit::Gen;
use nest_evm::Opcode as O;
use nest_ir::{Expr, Module, Stmt};

impl Gen {
    /// `call_fn @f(args)`: leaves the result (if any) on the stack.
    pub(crate) fn call_fn(&mut self, func: u32, args: &[Expr]) {
        let ret = self.new_label();
        let Some(&entry) = self.funcs.labels.get(func as usize) else {
            return;
        };
        let h = self.stack.height.get();
        self.push_label(ret);
        for a in args {
            self.expr(a);
        }
        self.jump(entry);
        self.place(ret);
        self.stack.height.set(h);
        if let Some(Some(v)) = self.funcs.results.get(func as usize) {
            self.pushn(self.layout.var(*v));
            self.op(O::MLOAD);
        }
    }

    /// `return [v]` inside a function: `[ret]` is on the stack.
    pub(crate) fn fn_return(&mut self, vs: &[Expr]) {
        if let (Some(Some(result)), Some(v)) = (self.funcs.current_result, vs.first()) {
            self.expr(v);
            self.pushn(self.layout.var(result));
            self.op(O::MSTORE);
        }
        self.op(O::JUMP);
    }

    /// Emits every function's body.
    pub(crate) fn functions(&mut self, m: &Module) {
        for (i, f) in m.functions.iter().enumerate() {
            self.comment(format!("fn {}", f.name));
            self.place(self.funcs.labels[i]);
            // Reports name the function a failure happens in, and where it was called.
            if self.counting.emitting {
                self.p.entries.push((f.name.clone(), self.funcs.labels[i]));
            }
            // [ret, a1, …, an]: the last argument is on top.
            for p in f.params.iter().rev() {
                self.pushn(self.layout.var(*p));
                self.op(O::MSTORE);
            }
            self.funcs.current_result = Some(f.result);
            // A function is called from many places: it proves only what it makes.
            self.proven.clear();
            self.block(m, &f.body);
            if !ends_in_return(&f.body) {
                self.op(O::JUMP);
            }
            self.funcs.current_result = None;
        }
    }
}

fn ends_in_return(b: &[Stmt]) -> bool {
    match b.iter().rev().find(|s| !matches!(s, Stmt::Loc(_))) {
        Some(Stmt::Return(_) | Stmt::Fail(_)) => true,
        Some(Stmt::If(_, t, e)) => ends_in_return(t) && ends_in_return(e),
        _ => false,
    }
}
