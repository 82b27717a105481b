//! Exhaustive walks over the IR.
//!
//! A [`Visitor`] has one method per kind of node; each default method calls the matching
//! `walk_*` function, which visits the node's children. The `walk_*` functions `match` every
//! statement, expression and argument kind with no catch-all arm, so adding a kind is a
//! compile error here rather than a kind every analysis silently skips. An analysis overrides
//! the methods it cares about (calling `walk_*` to go on into the children, or not, to prune)
//! and inherits the rest.
//!
//! ```
//! use nest_ir::visit::{walk_expr, Visitor};
//! use nest_ir::{Expr, Op, Stmt, Var};
//!
//! /// Counts the reads of variables.
//! struct Reads(usize);
//! impl<'a> Visitor<'a> for Reads {
//!     fn visit_expr(&mut self, e: &'a Expr) {
//!         if let Expr::Var(_) = e {
//!             self.0 += 1;
//!         }
//!         walk_expr(self, e);
//!     }
//! }
//! let x = Expr::Var(Var(0));
//! let body = vec![Stmt::Set(Var(1), Expr::Op(Op::Add, vec![x.clone(), x]))];
//! let mut reads = Reads(0);
//! reads.visit_block(&body);
//! assert_eq!(reads.0, 2);
//! ```

use crate::{Arg, Expr, Function, Module, Stmt, Var};

/// Where a statement names a variable outside its expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarRole {
    /// The variable a `Set` assigns (visited after the value's expression).
    Assigned,
    /// A loop's counter, assigned by the loop on every trip.
    LoopCounter,
    /// The variable a `JournalMark` saves the journal's length in.
    JournalMark,
    /// The variable a `RevokeJournal` reads the length to revoke down to from.
    JournalRevokeTo,
}

/// A visitor over statements, expressions and call arguments. Every method's default
/// visits the node's children in evaluation order (parents before children).
pub trait Visitor<'a> {
    /// A block: each statement in order.
    fn visit_block(&mut self, block: &'a [Stmt]) {
        walk_block(self, block)
    }

    /// A statement: its expressions, variables and nested blocks.
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        walk_stmt(self, stmt)
    }

    /// An expression: its operands.
    fn visit_expr(&mut self, expr: &'a Expr) {
        walk_expr(self, expr)
    }

    /// A call argument (or `abi.encode` operand): its expressions.
    fn visit_arg(&mut self, arg: &'a Arg) {
        walk_arg(self, arg)
    }

    /// A variable a statement names outside its expressions (reads of variables in
    /// expressions are [`Expr::Var`] nodes). Nothing by default.
    fn visit_stmt_var(&mut self, _var: Var, _role: VarRole) {}
}

/// Visits each statement of `block` in order.
pub fn walk_block<'a, V: Visitor<'a> + ?Sized>(v: &mut V, block: &'a [Stmt]) {
    for s in block {
        v.visit_stmt(s);
    }
}

/// Visits the children of a statement: expressions in evaluation order, the variables it
/// names, nested blocks (an `if`'s condition, then its branches).
pub fn walk_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, stmt: &'a Stmt) {
    match stmt {
        Stmt::Set(var, e) => {
            v.visit_expr(e);
            v.visit_stmt_var(*var, VarRole::Assigned);
        }
        Stmt::If(c, then, els) => {
            v.visit_expr(c);
            v.visit_block(then);
            v.visit_block(els);
        }
        Stmt::Loop { var, body, .. } => {
            v.visit_stmt_var(*var, VarRole::LoopCounter);
            v.visit_block(body);
        }
        Stmt::Eval(e) | Stmt::Check(e, _) => v.visit_expr(e),
        Stmt::ForceApprove {
            token,
            spender,
            amount,
        } => {
            v.visit_expr(token);
            v.visit_expr(spender);
            v.visit_expr(amount);
        }
        Stmt::Return(values) => values.iter().for_each(|e| v.visit_expr(e)),
        Stmt::JournalMark(var) => v.visit_stmt_var(*var, VarRole::JournalMark),
        Stmt::RevokeJournal(to) => {
            if let Some(var) = to {
                v.visit_stmt_var(*var, VarRole::JournalRevokeTo);
            }
        }
        Stmt::Loc(_)
        | Stmt::Fail(_)
        | Stmt::Grant(_)
        | Stmt::EndGrant(_)
        | Stmt::Revoke(_)
        | Stmt::Journal(_)
        | Stmt::Stop => {}
    }
}

/// Visits the operands of an expression, in evaluation order.
pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, expr: &'a Expr) {
    match expr {
        Expr::Op(_, xs) => xs.iter().for_each(|x| v.visit_expr(x)),
        Expr::Checked { lhs, rhs, .. }
        | Expr::Signed { lhs, rhs, .. }
        | Expr::Pow {
            base: lhs,
            exp: rhs,
            ..
        }
        | Expr::SignedPow {
            base: lhs,
            exp: rhs,
            ..
        }
        | Expr::Logic { lhs, rhs, .. }
        | Expr::MinMax { lhs, rhs, .. } => {
            v.visit_expr(lhs);
            v.visit_expr(rhs);
        }
        Expr::Narrow { expr, .. } | Expr::NarrowSigned { expr, .. } | Expr::Keccak(expr) => {
            v.visit_expr(expr)
        }
        Expr::Encode(args) => args.iter().for_each(|a| v.visit_arg(a)),
        Expr::Call(c) => {
            v.visit_expr(&c.target);
            if let Some(value) = &c.value {
                v.visit_expr(value);
            }
            c.args.iter().for_each(|a| v.visit_arg(a));
        }
        Expr::Word { ptr, .. } | Expr::ArrayPtr { ptr, .. } => v.visit_expr(ptr),
        Expr::ArrayGet { array, index } | Expr::Elem { array, index, .. } => {
            v.visit_expr(array);
            v.visit_expr(index);
        }
        Expr::CallFn { args, .. } => args.iter().for_each(|x| v.visit_expr(x)),
        Expr::Const(_) | Expr::Var(_) | Expr::Env(_) => {}
    }
}

/// Visits the expressions of a call argument, member by member.
pub fn walk_arg<'a, V: Visitor<'a> + ?Sized>(v: &mut V, arg: &'a Arg) {
    match arg {
        Arg::Word(e) | Arg::Encoded { ptr: e, .. } => v.visit_expr(e),
        Arg::Tuple(xs) | Arg::Array(xs) => xs.iter().for_each(|x| v.visit_arg(x)),
        Arg::Bytes(_) => {}
    }
}

/// Visits a module's body, then each helper function's body in order.
pub fn walk_module<'a, V: Visitor<'a> + ?Sized>(v: &mut V, module: &'a Module) {
    v.visit_block(&module.body);
    for f in &module.functions {
        walk_function(v, f);
    }
}

/// Visits a helper function's body (its parameters and result are not statements).
pub fn walk_function<'a, V: Visitor<'a> + ?Sized>(v: &mut V, function: &'a Function) {
    v.visit_block(&function.body);
}

/// Calls `f` on every expression node of `block`, parents before children.
pub fn for_each_expr<'a>(block: &'a [Stmt], f: impl FnMut(&'a Expr)) {
    let mut each = EachExpr(f);
    each.visit_block(block);
}

/// Adds to `out` every variable read in an expression of `block`, or named by one of its
/// statements in any role in `roles` (e.g. loop counters).
pub fn vars_in(block: &[Stmt], roles: &[VarRole], out: &mut std::collections::BTreeSet<Var>) {
    struct Vars<'r, 'o> {
        roles: &'r [VarRole],
        out: &'o mut std::collections::BTreeSet<Var>,
    }
    impl<'a> Visitor<'a> for Vars<'_, '_> {
        fn visit_expr(&mut self, e: &'a Expr) {
            if let Expr::Var(v) = e {
                self.out.insert(*v);
            }
            walk_expr(self, e);
        }
        fn visit_stmt_var(&mut self, var: Var, role: VarRole) {
            if self.roles.contains(&role) {
                self.out.insert(var);
            }
        }
    }
    Vars { roles, out }.visit_block(block);
}

/// The visitor behind [`Expr::walk`] and [`for_each_expr`]: a closure on every node.
pub(crate) struct EachExpr<F>(pub(crate) F);

impl<'a, F: FnMut(&'a Expr)> Visitor<'a> for EachExpr<F> {
    fn visit_expr(&mut self, e: &'a Expr) {
        (self.0)(e);
        walk_expr(self, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CallExpr, Failure, GrantId, Op};
    use alloy_primitives::U256;

    fn v(n: u32) -> Expr {
        Expr::Var(Var(n))
    }

    /// One statement of every kind, with distinct variables in each place.
    fn every_stmt() -> Vec<Stmt> {
        let call = CallExpr {
            is_static: false,
            target: v(10),
            value: Some(v(11)),
            signature: "f(uint256,(uint256,bytes))".into(),
            selector: [0; 4],
            args: vec![
                Arg::Word(v(12)),
                Arg::Tuple(vec![Arg::Word(v(13)), Arg::Bytes(vec![1])]),
            ],
            outputs: vec![],
            declares_outputs: false,
        };
        vec![
            Stmt::Loc(crate::Loc {
                file: 0,
                line: 1,
                col: 1,
            }),
            Stmt::Set(
                Var(1),
                Expr::Op(Op::Add, vec![v(2), Expr::Const(U256::ONE)]),
            ),
            Stmt::If(
                v(3),
                vec![Stmt::Eval(Expr::Call(Box::new(call)))],
                vec![Stmt::Check(v(4), Failure::Panic(0x11))],
            ),
            Stmt::Loop {
                var: Var(5),
                start: U256::ZERO,
                end: U256::from(2),
                body: vec![Stmt::Grant(GrantId(0)), Stmt::Journal(GrantId(0))],
            },
            Stmt::ForceApprove {
                token: v(6),
                spender: v(7),
                amount: Expr::Encode(vec![Arg::Array(vec![Arg::Word(v(8))])]),
            },
            Stmt::JournalMark(Var(20)),
            Stmt::RevokeJournal(Some(Var(21))),
            Stmt::RevokeJournal(None),
            Stmt::EndGrant(GrantId(0)),
            Stmt::Revoke(GrantId(0)),
            Stmt::Return(vec![Expr::CallFn {
                func: 0,
                args: vec![v(9)],
            }]),
            Stmt::Fail(Failure::Error("x".into())),
            Stmt::Stop,
        ]
    }

    #[test]
    fn every_variable_is_reached_in_its_role() {
        let body = every_stmt();
        let mut read = std::collections::BTreeSet::new();
        vars_in(&body, &[], &mut read);
        let reads: Vec<u32> = read.iter().map(|v| v.0).collect();
        assert_eq!(reads, [2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]);

        struct Roles(Vec<(u32, VarRole)>);
        impl<'a> Visitor<'a> for Roles {
            fn visit_stmt_var(&mut self, var: Var, role: VarRole) {
                self.0.push((var.0, role));
            }
        }
        let mut roles = Roles(vec![]);
        roles.visit_block(&body);
        assert_eq!(
            roles.0,
            [
                (1, VarRole::Assigned),
                (5, VarRole::LoopCounter),
                (20, VarRole::JournalMark),
                (21, VarRole::JournalRevokeTo)
            ]
        );
    }

    #[test]
    fn expressions_are_visited_parents_first_in_evaluation_order() {
        let body = every_stmt();
        let mut order = Vec::new();
        for_each_expr(&body, |e| {
            if let Expr::Var(v) = e {
                order.push(v.0);
            }
        });
        // The call: target, value, then its arguments member by member.
        assert_eq!(order, [2, 3, 10, 11, 12, 13, 4, 6, 7, 8, 9]);
        let mut kinds = Vec::new();
        for_each_expr(&body[1..2], |e| kinds.push(matches!(e, Expr::Op(..))));
        assert_eq!(kinds, [true, false, false]);
    }

    #[test]
    fn nested_statements_are_reached_and_can_be_pruned() {
        struct Grants {
            seen: usize,
            enter_loops: bool,
        }
        impl<'a> Visitor<'a> for Grants {
            fn visit_stmt(&mut self, s: &'a Stmt) {
                match s {
                    Stmt::Grant(_) | Stmt::Journal(_) | Stmt::Revoke(_) => self.seen += 1,
                    Stmt::Loop { .. } if !self.enter_loops => return,
                    _ => {}
                }
                walk_stmt(self, s);
            }
        }
        let body = every_stmt();
        let mut all = Grants {
            seen: 0,
            enter_loops: true,
        };
        all.visit_block(&body);
        assert_eq!(all.seen, 3);
        let mut pruned = Grants {
            seen: 0,
            enter_loops: false,
        };
        pruned.visit_block(&body);
        assert_eq!(pruned.seen, 1);
    }

    #[test]
    fn expr_walk_is_the_visitor() {
        let body = every_stmt();
        let Stmt::If(_, then, _) = &body[2] else {
            unreachable!()
        };
        let Stmt::Eval(call) = &then[0] else {
            unreachable!()
        };
        let mut by_walk = 0;
        call.walk(&mut |_| by_walk += 1);
        let mut by_visitor = 0;
        for_each_expr(then, |_| by_visitor += 1);
        // The call, its target, value and two word arguments.
        assert_eq!((by_walk, by_visitor), (5, 5));
    }
}
