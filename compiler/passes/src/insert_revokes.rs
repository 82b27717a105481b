//! `insert_revokes`: revoke every grant at every exit, newest first.
//!
//! Walks the structured body keeping the grants held on the current path. Before
//! each `return` and `stop`, it inserts a `revoke` for every held grant, newest
//! first; each `end_grant` (the end of a `with` block) becomes a `revoke`; if the
//! body can run off its end, a final `stop` (with its revocations) is appended.
//! Reverts (`fail`) need nothing: a revert undoes every grant.

use crate::Pass;
use nest_ir::{Block, GrantId, Module, Stmt};

/// The pass.
pub struct InsertRevokes;

impl Pass for InsertRevokes {
    fn name(&self) -> &'static str {
        "insert_revokes"
    }

    fn run(&self, m: &mut Module) {
        let mut held = Vec::new();
        let body = std::mem::take(&mut m.body);
        let (mut body, ends) = rewrite(body, &mut held);
        if !ends {
            body.extend(held.iter().rev().map(|g| Stmt::Revoke(*g)));
            body.push(Stmt::Stop);
        }
        m.body = body;
    }
}

/// Rewrites a block; returns it and whether it always exits.
fn rewrite(block: Block, held: &mut Vec<GrantId>) -> (Block, bool) {
    let mut out = Vec::with_capacity(block.len());
    for s in block {
        match s {
            Stmt::Grant(g) => {
                held.push(g);
                out.push(Stmt::Grant(g));
            }
            Stmt::EndGrant(g) => {
                if let Some(pos) = held.iter().rposition(|h| *h == g) {
                    // Grants made inside the `with` block after it are scoped to it too.
                    for h in held.drain(pos..).rev() {
                        out.push(Stmt::Revoke(h));
                    }
                }
            }
            Stmt::Return(_) | Stmt::Stop => {
                out.extend(held.iter().rev().map(|g| Stmt::Revoke(*g)));
                out.push(s);
                return (out, true);
            }
            Stmt::Fail(_) => {
                out.push(s);
                return (out, true);
            }
            Stmt::If(c, t, e) => {
                let (t, te) = rewrite(t, &mut held.clone());
                let (e, ee) = rewrite(e, &mut held.clone());
                out.push(Stmt::If(c, t, e));
                if te && ee {
                    return (out, true);
                }
            }
            Stmt::Loop { var, start, end, body } => {
                let (body, _) = rewrite(body, &mut held.clone());
                out.push(Stmt::Loop { var, start, end, body });
            }
            other => out.push(other),
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::U256;
    use nest_ir::{verify, Expr, GrantInfo, Operand, Revocation};

    fn grant() -> GrantInfo {
        GrantInfo {
            kind: "erc20-allowance".into(),
            revoke: Revocation::Erc20 { token: Operand::Const(U256::from(1)), spender: Operand::Const(U256::from(2)) },
            loc: None,
        }
    }

    #[test]
    fn revokes_newest_first_at_every_exit() {
        let mut m = Module {
            grants: vec![grant(), grant()],
            body: vec![
                Stmt::Grant(GrantId(0)),
                Stmt::Grant(GrantId(1)),
                Stmt::If(Expr::Const(U256::from(1)), vec![Stmt::Return(vec![])], vec![]),
            ],
            ..Module::default()
        };
        InsertRevokes.run(&mut m);
        verify(&m, true).unwrap();
        let text = m.to_string();
        let expected = "grant #0\ngrant #1\nif 1 {\n    revoke #1\n    revoke #0\n    return\n}\nrevoke #1\nrevoke #0\nstop\n";
        assert!(text.ends_with(expected), "{text}");
    }

    #[test]
    fn with_blocks_revoke_at_their_end() {
        let mut m = Module {
            grants: vec![grant()],
            body: vec![Stmt::Grant(GrantId(0)), Stmt::Eval(Expr::Const(U256::ZERO)), Stmt::EndGrant(GrantId(0)), Stmt::Stop],
            ..Module::default()
        };
        InsertRevokes.run(&mut m);
        verify(&m, true).unwrap();
        assert_eq!(m.body[2], Stmt::Revoke(GrantId(0)));
    }
}
