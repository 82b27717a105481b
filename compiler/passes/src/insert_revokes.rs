//! `insert_revokes`: revoke every grant at every exit, newest first.
//!
//! Walks the structured body keeping the grants held on the current path. Before
//! each `return` and `stop`, it inserts a `revoke` for every held grant, newest
//! first; each `end_grant` (the end of a `with` block) becomes a `revoke`; if the
//! body can run off its end, a final `stop` (with its revocations) is appended.
//! Reverts (`fail`) need nothing: a revert undoes every grant.
//!
//! When some grant is *dynamic* (made inside a branch or a run-time loop), which
//! grants are held at an exit is only known at run time. Then every grant is
//! journaled instead (`journal #g` records it with its revocation's operands), and
//! every exit first runs `revoke_journal`, which revokes the recorded grants newest
//! first; a `with` block saves the journal's length at its start and revokes down
//! to it at its end.

use crate::Pass;
use nest_ir::visit::{walk_stmt, Visitor};
use nest_ir::{Block, Expr, GrantId, Module, Stmt, Var};
use std::collections::BTreeMap;

/// The pass.
pub struct InsertRevokes;

impl Pass for InsertRevokes {
    fn name(&self) -> &'static str {
        "insert_revokes"
    }

    fn run(&self, m: &mut Module) {
        if m.grants.iter().any(|g| g.dynamic) {
            return journal(m);
        }
        let mut held = Vec::new();
        let body = std::mem::take(&mut m.body);
        let last = last_top_level_loc(&body);
        let (mut body, ends) = rewrite(body, &mut held, &mut m.vars);
        if !ends {
            body.extend(last.map(Stmt::Loc));
            body.extend(held.iter().rev().map(|g| Stmt::Revoke(*g)));
            body.push(Stmt::Stop);
        }
        m.body = body;
    }
}

/// The location of the body's last top-level statement: the revocations at the end of a
/// script without a final `return` are attributed to it (rather than to whatever nested
/// statement came last in the text, perhaps in a branch that did not run).
fn last_top_level_loc(body: &Block) -> Option<nest_ir::Loc> {
    body.iter().rev().find_map(|s| match s {
        Stmt::Loc(l) => Some(*l),
        _ => None,
    })
}

/// Returned values are computed before the revocations run (they may read state
/// that a revocation changes): values that are not plain constants or variables
/// are saved in fresh variables first.
fn hoist_return(s: Stmt, vars: &mut Vec<String>, out: &mut Block) -> Stmt {
    let Stmt::Return(values) = s else { return s };
    let values = values
        .into_iter()
        .map(|v| match v {
            Expr::Const(_) | Expr::Var(_) => v,
            other => {
                vars.push(format!("ret{}", vars.len()));
                let t = Var(vars.len() as u32 - 1);
                out.push(Stmt::Set(t, other));
                Expr::Var(t)
            }
        })
        .collect();
    Stmt::Return(values)
}

/// Journal mode: see the module documentation.
fn journal(m: &mut Module) {
    let mut scoped = BTreeMap::new();
    find_end_grants(&m.body, &mut scoped);
    for f in &m.functions {
        find_end_grants(&f.body, &mut scoped);
    }
    for (id, mark) in scoped.iter_mut() {
        m.vars.push(format!("with#{}.mark", id.0));
        *mark = Var(m.vars.len() as u32 - 1);
    }
    let body = std::mem::take(&mut m.body);
    let last = last_top_level_loc(&body);
    let (mut body, ends) = rewrite_journal(body, &scoped, &mut m.vars);
    if !ends {
        body.extend(last.map(Stmt::Loc));
        body.push(Stmt::RevokeJournal(None));
        body.push(Stmt::Stop);
    }
    m.body = body;
    for i in 0..m.functions.len() {
        let body = std::mem::take(&mut m.functions[i].body);
        m.functions[i].body = rewrite_fn_journal(body, &scoped, &mut Vec::new());
    }
}

/// Journal mode in a function body: grants are journaled; a `return` from inside
/// `with` blocks first revokes down to the outermost block's mark (the function's
/// own exits are not the script's: other grants stay held).
fn rewrite_fn_journal(
    block: Block,
    scoped: &BTreeMap<GrantId, Var>,
    marks: &mut Vec<Var>,
) -> Block {
    let mut out = Vec::with_capacity(block.len());
    for s in block {
        match s {
            Stmt::Grant(g) => {
                if let Some(mark) = scoped.get(&g) {
                    out.push(Stmt::JournalMark(*mark));
                    marks.push(*mark);
                }
                out.push(Stmt::Journal(g));
            }
            Stmt::EndGrant(g) => {
                let mark = scoped.get(&g).copied();
                if let Some(m) = mark {
                    if let Some(pos) = marks.iter().rposition(|x| *x == m) {
                        marks.truncate(pos);
                    }
                }
                out.push(Stmt::RevokeJournal(mark));
            }
            Stmt::Return(_) => {
                if let Some(first) = marks.first() {
                    out.push(Stmt::RevokeJournal(Some(*first)));
                }
                out.push(s);
            }
            Stmt::If(c, t, e) => {
                let t = rewrite_fn_journal(t, scoped, &mut marks.clone());
                let e = rewrite_fn_journal(e, scoped, &mut marks.clone());
                out.push(Stmt::If(c, t, e));
            }
            Stmt::Loop {
                var,
                start,
                end,
                body,
            } => {
                let body = rewrite_fn_journal(body, scoped, &mut marks.clone());
                out.push(Stmt::Loop {
                    var,
                    start,
                    end,
                    body,
                });
            }
            // The other kinds, named so that a new one is a compile error here.
            other @ (Stmt::Loc(_)
            | Stmt::Set(..)
            | Stmt::Eval(_)
            | Stmt::Check(..)
            | Stmt::Fail(_)
            | Stmt::ForceApprove { .. }
            | Stmt::Revoke(_)
            | Stmt::Journal(_)
            | Stmt::JournalMark(_)
            | Stmt::RevokeJournal(_)
            | Stmt::Stop) => out.push(other),
        }
    }
    out
}

fn find_end_grants(b: &Block, out: &mut BTreeMap<GrantId, Var>) {
    struct Ends<'o>(&'o mut BTreeMap<GrantId, Var>);
    impl<'a> Visitor<'a> for Ends<'_> {
        fn visit_stmt(&mut self, s: &'a Stmt) {
            if let Stmt::EndGrant(g) = s {
                self.0.insert(*g, Var(0));
            }
            walk_stmt(self, s);
        }
        // Expressions hold no statements.
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    Ends(out).visit_block(b);
}

fn rewrite_journal(
    block: Block,
    scoped: &BTreeMap<GrantId, Var>,
    vars: &mut Vec<String>,
) -> (Block, bool) {
    let mut out = Vec::with_capacity(block.len());
    for s in block {
        match s {
            Stmt::Grant(g) => {
                if let Some(mark) = scoped.get(&g) {
                    out.push(Stmt::JournalMark(*mark));
                }
                out.push(Stmt::Journal(g));
            }
            Stmt::EndGrant(g) => out.push(Stmt::RevokeJournal(scoped.get(&g).copied())),
            Stmt::Return(_) | Stmt::Stop => {
                let s = hoist_return(s, vars, &mut out);
                out.push(Stmt::RevokeJournal(None));
                out.push(s);
                return (out, true);
            }
            Stmt::Fail(_) => {
                out.push(s);
                return (out, true);
            }
            Stmt::If(c, t, e) => {
                let (t, te) = rewrite_journal(t, scoped, vars);
                let (e, ee) = rewrite_journal(e, scoped, vars);
                out.push(Stmt::If(c, t, e));
                if te && ee {
                    return (out, true);
                }
            }
            Stmt::Loop {
                var,
                start,
                end,
                body,
            } => {
                let (body, _) = rewrite_journal(body, scoped, vars);
                out.push(Stmt::Loop {
                    var,
                    start,
                    end,
                    body,
                });
            }
            // The other kinds, named so that a new one is a compile error here.
            other @ (Stmt::Loc(_)
            | Stmt::Set(..)
            | Stmt::Eval(_)
            | Stmt::Check(..)
            | Stmt::ForceApprove { .. }
            | Stmt::Revoke(_)
            | Stmt::Journal(_)
            | Stmt::JournalMark(_)
            | Stmt::RevokeJournal(_)) => out.push(other),
        }
    }
    (out, false)
}

/// Rewrites a block; returns it and whether it always exits.
fn rewrite(block: Block, held: &mut Vec<GrantId>, vars: &mut Vec<String>) -> (Block, bool) {
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
                let s = if held.is_empty() {
                    s
                } else {
                    hoist_return(s, vars, &mut out)
                };
                out.extend(held.iter().rev().map(|g| Stmt::Revoke(*g)));
                out.push(s);
                return (out, true);
            }
            Stmt::Fail(_) => {
                out.push(s);
                return (out, true);
            }
            Stmt::If(c, t, e) => {
                let (t, te) = rewrite(t, &mut held.clone(), vars);
                let (e, ee) = rewrite(e, &mut held.clone(), vars);
                out.push(Stmt::If(c, t, e));
                if te && ee {
                    return (out, true);
                }
            }
            Stmt::Loop {
                var,
                start,
                end,
                body,
            } => {
                let (body, _) = rewrite(body, &mut held.clone(), vars);
                out.push(Stmt::Loop {
                    var,
                    start,
                    end,
                    body,
                });
            }
            // The other kinds, named so that a new one is a compile error here.
            other @ (Stmt::Loc(_)
            | Stmt::Set(..)
            | Stmt::Eval(_)
            | Stmt::Check(..)
            | Stmt::ForceApprove { .. }
            | Stmt::Revoke(_)
            | Stmt::Journal(_)
            | Stmt::JournalMark(_)
            | Stmt::RevokeJournal(_)) => out.push(other),
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::U256;
    use nest_ir::{verify, GrantInfo, Operand, Revocation};

    fn grant() -> GrantInfo {
        GrantInfo {
            kind: "erc20-allowance".into(),
            revoke: Revocation::Erc20 {
                token: Operand::Const(U256::from(1)),
                spender: Operand::Const(U256::from(2)),
            },
            loc: None,
            dynamic: false,
        }
    }

    #[test]
    fn revokes_newest_first_at_every_exit() {
        let mut m = Module {
            grants: vec![grant(), grant()],
            body: vec![
                Stmt::Grant(GrantId(0)),
                Stmt::Grant(GrantId(1)),
                Stmt::If(
                    Expr::Const(U256::from(1)),
                    vec![Stmt::Return(vec![])],
                    vec![],
                ),
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
    fn dynamic_grants_use_the_journal() {
        let mut dynamic = grant();
        dynamic.dynamic = true;
        let mut m = Module {
            grants: vec![grant(), dynamic],
            vars: vec!["i".into()],
            body: vec![
                Stmt::Grant(GrantId(0)),
                Stmt::Eval(Expr::Const(U256::ZERO)),
                Stmt::EndGrant(GrantId(0)),
                Stmt::Loop {
                    var: Var(0),
                    start: U256::ZERO,
                    end: U256::from(3),
                    body: vec![
                        Stmt::Grant(GrantId(1)),
                        Stmt::If(
                            Expr::Const(U256::from(1)),
                            vec![Stmt::Return(vec![])],
                            vec![],
                        ),
                    ],
                },
            ],
            ..Module::default()
        };
        verify(&m, false).unwrap();
        InsertRevokes.run(&mut m);
        verify(&m, true).unwrap();
        let text = m.to_string();
        let expected = "%1 = journal_len\njournal #0\n0\nrevoke_journal down_to %1\nloop %0 in 0..3 {\n    journal #1\n    if 1 {\n        revoke_journal\n        return\n    }\n}\nrevoke_journal\nstop\n";
        assert!(text.ends_with(expected), "{text}");
        // Removing any revocation before an exit must be caught.
        let mut broken = m.clone();
        broken.body.pop();
        broken.body.pop();
        broken.body.push(Stmt::Stop);
        assert!(verify(&broken, true).is_err());
    }

    #[test]
    fn with_blocks_revoke_at_their_end() {
        let mut m = Module {
            grants: vec![grant()],
            body: vec![
                Stmt::Grant(GrantId(0)),
                Stmt::Eval(Expr::Const(U256::ZERO)),
                Stmt::EndGrant(GrantId(0)),
                Stmt::Stop,
            ],
            ..Module::default()
        };
        InsertRevokes.run(&mut m);
        verify(&m, true).unwrap();
        assert_eq!(m.body[2], Stmt::Revoke(GrantId(0)));
    }
}
