//! The IR verifier: runs after every pass in tests and debug builds.
//!
//! It checks that variables are assigned before they are read, that grant ids are
//! in range, and — once revocations have been inserted — the safety invariant:
//! **at every exit, every grant made on the path to it has been revoked, newest
//! first**. A revert (`fail`) undoes everything, so it needs no revocation.

use crate::*;
use std::collections::BTreeSet;
use std::fmt;

/// A broken invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyError {
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for VerifyError {}

/// Checks a module. With `revoked` set (after `insert_revokes`), every exit must
/// have every grant revoked and no `end_grant` may remain.
pub fn verify(m: &Module, revoked: bool) -> Result<(), VerifyError> {
    let journal = revoked && m.grants.iter().any(|g| g.dynamic);
    let mut v = Verifier {
        m,
        revoked,
        journal,
        assigned: BTreeSet::new(),
        trail: Vec::new(),
        revoked_all: false,
        in_fn: false,
    };
    let mut held = Vec::new();
    let ends = v.block(&m.body, &mut held)?;
    if revoked && !ends {
        return Err(err(
            "the script's body can run off its end without a `stop` or `return`",
        ));
    }
    for (i, f) in m.functions.iter().enumerate() {
        let mut v = Verifier {
            m,
            revoked,
            journal,
            assigned: f.params.iter().copied().collect(),
            trail: Vec::new(),
            revoked_all: false,
            in_fn: true,
        };
        for p in &f.params {
            v.var_ok(*p)?;
        }
        let mut held = Vec::new();
        v.block(&f.body, &mut held)
            .map_err(|e| err(format!("in fn @{i} `{}`: {}", f.name, e.message)))?;
    }
    Ok(())
}

fn err(msg: impl Into<String>) -> VerifyError {
    VerifyError {
        message: msg.into(),
    }
}

struct Verifier<'a> {
    m: &'a Module,
    revoked: bool,
    /// Journal mode: grants are journaled and revoked from the journal at exits.
    journal: bool,
    assigned: BTreeSet<Var>,
    /// Variables in the order they became assigned (each once), so that a branch's
    /// assignments can be undone in time proportional to the branch, not the program.
    trail: Vec<Var>,
    /// Whether the previous statement (ignoring `loc`) revoked the whole journal.
    revoked_all: bool,
    /// Checking a function body: `return` returns from the function.
    in_fn: bool,
}

impl Verifier<'_> {
    /// Marks `v` assigned.
    fn assign(&mut self, v: Var) {
        if self.assigned.insert(v) {
            self.trail.push(v);
        }
    }

    /// Forgets the assignments made since the trail had length `mark`; returns them.
    fn undo_to(&mut self, mark: usize) -> Vec<Var> {
        let undone = self.trail.split_off(mark);
        for v in &undone {
            self.assigned.remove(v);
        }
        undone
    }

    /// Checks a block; returns whether it always ends in an exit.
    fn block(&mut self, b: &Block, held: &mut Vec<GrantId>) -> Result<bool, VerifyError> {
        for s in b {
            if self.stmt(s, held)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn stmt(&mut self, s: &Stmt, held: &mut Vec<GrantId>) -> Result<bool, VerifyError> {
        let revoked_all = std::mem::replace(&mut self.revoked_all, false);
        if self.journal {
            match s {
                Stmt::Grant(g) | Stmt::Revoke(g) | Stmt::EndGrant(g) => {
                    return Err(err(format!(
                        "journal mode, but grant #{} is tracked statically",
                        g.0
                    )));
                }
                Stmt::Return(_) if self.in_fn => {}
                Stmt::Return(_) | Stmt::Stop if !revoked_all => {
                    return Err(err("an exit is not preceded by `revoke_journal`"));
                }
                _ => {}
            }
        }
        match s {
            Stmt::Set(v, e) => {
                self.expr(e)?;
                self.var_ok(*v)?;
                // A held grant's revocation reads its operands at the exits: they must
                // not change while it is held.
                for g in held.iter() {
                    if let Some(info) = self.m.grants.get(g.0 as usize) {
                        if info.revoke.operands().contains(&Operand::Var(*v)) {
                            return Err(err(format!(
                                "%{} is assigned while grant #{} reads it to revoke",
                                v.0, g.0
                            )));
                        }
                    }
                }
                self.assign(*v);
            }
            Stmt::If(c, t, e) => {
                self.expr(c)?;
                let mark = self.trail.len();
                let mut ht = held.clone();
                let t_exits = self.block(t, &mut ht)?;
                let in_t = self.undo_to(mark);
                let mut he = held.clone();
                let e_exits = self.block(e, &mut he)?;
                let in_e = self.undo_to(mark);
                // A variable is assigned after the `if` when both branches assign it
                // (or one branch always exits and the other assigns it).
                let after: Vec<Var> = match (t_exits, e_exits) {
                    (true, _) => in_e,
                    (_, true) => in_t,
                    _ => {
                        let in_e: BTreeSet<Var> = in_e.into_iter().collect();
                        in_t.into_iter().filter(|v| in_e.contains(v)).collect()
                    }
                };
                for v in after {
                    self.assign(v);
                }
                if !t_exits && !e_exits && (ht != *held || he != *held) {
                    return Err(err(
                        "a grant made in one branch of an `if` is still held after it",
                    ));
                }
                return Ok(t_exits && e_exits);
            }
            Stmt::Loop { var, body, .. } => {
                self.var_ok(*var)?;
                self.assign(*var);
                let mark = self.trail.len();
                let mut h = held.clone();
                // A body that always exits never reaches its end: every exit in it was
                // checked, and what it held there does not flow anywhere.
                let exits = self.block(body, &mut h)?;
                self.undo_to(mark);
                if !exits && h != *held {
                    return Err(err("a grant made in a loop body is still held after it"));
                }
            }
            Stmt::Eval(e) | Stmt::Check(e, _) => self.expr(e)?,
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => {
                self.expr(token)?;
                self.expr(spender)?;
                self.expr(amount)?;
            }
            Stmt::Fail(_) => return Ok(true),
            Stmt::Grant(g) => {
                let info = self.grant_ok(*g)?;
                for op in info.revoke.operands() {
                    if let Operand::Var(v) = op {
                        if !self.assigned.contains(&v) {
                            return Err(err(format!(
                                "grant #{} revokes through %{} before it is assigned",
                                g.0, v.0
                            )));
                        }
                    }
                }
                if info.dynamic {
                    // Held only at run time: revoked from the journal.
                    return Ok(false);
                }
                if self.in_fn {
                    return Err(err(format!("grant #{} in a function must be dynamic", g.0)));
                }
                if held.contains(g) {
                    return Err(err(format!(
                        "grant #{} is granted twice without a revocation",
                        g.0
                    )));
                }
                held.push(*g);
            }
            Stmt::EndGrant(g) => {
                if self.revoked {
                    return Err(err(format!(
                        "`end_grant #{}` remains after revocations were inserted",
                        g.0
                    )));
                }
                if !self.m.grants.get(g.0 as usize).is_some_and(|i| i.dynamic) {
                    // The end of a `with` block ends its grant and every grant made
                    // inside the block after it.
                    self.grant_ok(*g)?;
                    match held.iter().rposition(|h| h == g) {
                        Some(pos) => held.truncate(pos),
                        None => return Err(err(format!("`end_grant #{}` without its grant", g.0))),
                    }
                }
            }
            Stmt::Revoke(g) => self.pop(*g, held)?,
            Stmt::Journal(g) => {
                self.grant_ok(*g)?;
                if !self.journal {
                    return Err(err(format!("`journal #{}` outside journal mode", g.0)));
                }
            }
            Stmt::JournalMark(v) => {
                self.var_ok(*v)?;
                self.assign(*v);
            }
            Stmt::RevokeJournal(mark) => {
                if let Some(v) = mark {
                    if !self.assigned.contains(v) {
                        return Err(err(format!(
                            "`revoke_journal` down to %{} before it is assigned",
                            v.0
                        )));
                    }
                } else {
                    self.revoked_all = true;
                }
            }
            Stmt::Loc(_) => self.revoked_all = revoked_all,
            Stmt::Return(vs) => {
                for v in vs {
                    self.expr(v)?;
                }
                if let Some(t) = self.m.returns.iter().find(|t| !abi::supported(t)) {
                    return Err(err(format!(
                        "the script returns `{}`, which cannot be encoded",
                        t.sol_type_name()
                    )));
                }
                self.exit(held)?;
                return Ok(true);
            }
            Stmt::Stop => {
                self.exit(held)?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn exit(&self, held: &[GrantId]) -> Result<(), VerifyError> {
        if self.revoked {
            if let Some(g) = held.last() {
                return Err(err(format!("grant #{} is still held at an exit", g.0)));
            }
        }
        Ok(())
    }

    fn pop(&self, g: GrantId, held: &mut Vec<GrantId>) -> Result<(), VerifyError> {
        self.grant_ok(g)?;
        match held.last() {
            Some(top) if *top == g => {
                held.pop();
                Ok(())
            }
            Some(top) => Err(err(format!(
                "grant #{} is revoked before the newer grant #{}",
                g.0, top.0
            ))),
            None => Err(err(format!("grant #{} is revoked but not held", g.0))),
        }
    }

    fn grant_ok(&self, g: GrantId) -> Result<&GrantInfo, VerifyError> {
        self.m
            .grants
            .get(g.0 as usize)
            .ok_or_else(|| err(format!("unknown grant #{}", g.0)))
    }

    fn var_ok(&self, v: Var) -> Result<(), VerifyError> {
        if (v.0 as usize) < self.m.vars.len() {
            Ok(())
        } else {
            Err(err(format!("unknown variable %{}", v.0)))
        }
    }

    fn expr(&self, e: &Expr) -> Result<(), VerifyError> {
        match e {
            Expr::Const(_) | Expr::Env(_) => Ok(()),
            Expr::Var(v) => {
                self.var_ok(*v)?;
                if self.assigned.contains(v) {
                    Ok(())
                } else {
                    Err(err(format!("%{} is read before it is assigned", v.0)))
                }
            }
            Expr::Op(op, args) => {
                let want = match op {
                    Op::IsZero | Op::Not => 1,
                    _ => 2,
                };
                if args.len() != want {
                    return Err(err(format!(
                        "`{op:?}` takes {want} operands, has {}",
                        args.len()
                    )));
                }
                args.iter().try_for_each(|a| self.expr(a))
            }
            Expr::Checked { lhs, rhs, bits, .. }
            | Expr::Signed { lhs, rhs, bits, .. }
            | Expr::Pow {
                base: lhs,
                exp: rhs,
                bits,
            }
            | Expr::SignedPow {
                base: lhs,
                exp: rhs,
                bits,
            } => {
                width_ok(*bits)?;
                self.expr(lhs)?;
                self.expr(rhs)
            }
            Expr::NarrowSigned { expr, bits } => {
                width_ok(*bits)?;
                self.expr(expr)
            }
            Expr::Keccak(ptr) => self.expr(ptr),
            Expr::Encode(args) => args.iter().try_for_each(|a| self.arg(a)),
            Expr::Logic { lhs, rhs, .. } | Expr::MinMax { lhs, rhs, .. } => {
                self.expr(lhs)?;
                self.expr(rhs)
            }
            Expr::Narrow { expr, .. } => self.expr(expr),
            Expr::Call(c) => {
                self.expr(&c.target)?;
                if let Some(v) = &c.value {
                    self.expr(v)?;
                }
                for a in &c.args {
                    self.arg(a)?;
                }
                if let Some(t) = c.outputs.iter().find(|t| !abi::supported(t)) {
                    return Err(err(format!(
                        "`{}` returns `{}`, which cannot be decoded",
                        c.signature,
                        t.sol_type_name()
                    )));
                }
                Ok(())
            }
            Expr::Elem {
                array,
                index,
                shape,
            } => {
                if shape.len == Some(0) || shape.stride.is_some_and(|s| s == 0 || s % 32 != 0) {
                    return Err(err(format!("invalid array shape {shape:?}")));
                }
                self.expr(array)?;
                self.expr(index)
            }
            Expr::Word { ptr, .. } | Expr::ArrayPtr { ptr, .. } => self.expr(ptr),
            Expr::ArrayGet { array, index } => {
                self.expr(array)?;
                self.expr(index)
            }
            Expr::CallFn { func, args } => {
                let f = self
                    .m
                    .functions
                    .get(*func as usize)
                    .ok_or_else(|| err(format!("unknown function @{func}")))?;
                if f.params.len() != args.len() {
                    return Err(err(format!(
                        "@{func} takes {} arguments, {} given",
                        f.params.len(),
                        args.len()
                    )));
                }
                args.iter().try_for_each(|a| self.expr(a))
            }
        }
    }
}

impl Verifier<'_> {
    fn arg(&self, a: &Arg) -> Result<(), VerifyError> {
        match a {
            Arg::Word(e) => self.expr(e),
            Arg::Tuple(xs) if xs.is_empty() => Err(err("an empty tuple argument")),
            Arg::Tuple(xs) | Arg::Array(xs) => xs.iter().try_for_each(|x| self.arg(x)),
            Arg::Bytes(_) => Ok(()),
            Arg::Encoded { ptr, ty } => {
                if abi::is_word(ty) || !abi::supported(ty) {
                    return Err(err(format!(
                        "cannot copy an encoded `{}`",
                        ty.sol_type_name()
                    )));
                }
                self.expr(ptr)
            }
        }
    }
}

/// Integer widths are multiples of 8 from 8 to 256.
fn width_ok(bits: u16) -> Result<(), VerifyError> {
    if bits == 0 || bits > 256 || !bits.is_multiple_of(8) {
        return Err(err(format!("invalid width {bits}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module_with(body: Block) -> Module {
        Module {
            body,
            vars: vec!["t".into()],
            grants: vec![GrantInfo {
                kind: "erc20-allowance".into(),
                revoke: Revocation::Erc20 {
                    token: Operand::Const(U256::from(1)),
                    spender: Operand::Const(U256::from(2)),
                },
                loc: None,
                dynamic: false,
            }],
            ..Module::default()
        }
    }

    #[test]
    fn unrevoked_grant_at_exit_is_caught() {
        let m = module_with(vec![Stmt::Grant(GrantId(0)), Stmt::Stop]);
        assert!(verify(&m, false).is_ok());
        let e = verify(&m, true).unwrap_err();
        assert!(e.message.contains("still held"), "{e}");
    }

    #[test]
    fn revoked_grant_passes() {
        let m = module_with(vec![
            Stmt::Grant(GrantId(0)),
            Stmt::Revoke(GrantId(0)),
            Stmt::Stop,
        ]);
        assert!(verify(&m, true).is_ok());
    }

    #[test]
    fn revert_needs_no_revocation() {
        let m = module_with(vec![Stmt::Grant(GrantId(0)), Stmt::Fail(Failure::Panic(1))]);
        assert!(verify(&m, true).is_ok());
    }

    #[test]
    fn early_return_in_branch_is_checked() {
        let m = module_with(vec![
            Stmt::Grant(GrantId(0)),
            Stmt::If(
                Expr::Const(U256::from(1)),
                vec![Stmt::Return(vec![])],
                vec![],
            ),
            Stmt::Revoke(GrantId(0)),
            Stmt::Stop,
        ]);
        assert!(verify(&m, true).is_err());
    }

    #[test]
    fn read_before_assign_is_caught() {
        let mut m = module_with(vec![Stmt::Eval(Expr::Var(Var(0))), Stmt::Stop]);
        assert!(verify(&m, true).is_err());
        m.body.insert(0, Stmt::Set(Var(0), Expr::Const(U256::ZERO)));
        assert!(verify(&m, true).is_ok());
    }

    #[test]
    fn a_variable_is_assigned_after_an_if_only_when_every_branch_that_goes_on_assigns_it() {
        let one = || Expr::Const(U256::from(1));
        let set = |v: u32| Stmt::Set(Var(v), one());
        let read = |v: u32| Stmt::Eval(Expr::Var(Var(v)));
        let run = |body: Block| {
            let mut m = module_with(body);
            m.vars = vec!["a".into(), "b".into()];
            verify(&m, true)
        };
        // Both branches assign %0; only one assigns %1.
        let both = Stmt::If(one(), vec![set(0), set(1)], vec![set(0)]);
        assert!(run(vec![both.clone(), read(0), Stmt::Stop]).is_ok());
        assert!(run(vec![both, read(1), Stmt::Stop]).is_err());
        // A branch that always exits does not count.
        let exits = Stmt::If(one(), vec![Stmt::Stop], vec![set(1)]);
        assert!(run(vec![exits, read(1), Stmt::Stop]).is_ok());
        // Nested: the inner `if` assigns %0 on both sides, so the outer then-branch does.
        let inner = Stmt::If(one(), vec![set(0)], vec![set(0)]);
        let outer = Stmt::If(one(), vec![inner], vec![set(0), set(1)]);
        assert!(run(vec![outer.clone(), read(0), Stmt::Stop]).is_ok());
        assert!(run(vec![outer, read(1), Stmt::Stop]).is_err());
        // A loop body's assignments are not visible after the loop.
        let looped = Stmt::Loop {
            var: Var(1),
            start: U256::ZERO,
            end: U256::from(2),
            body: vec![set(0)],
        };
        assert!(run(vec![looped, read(0), Stmt::Stop]).is_err());
    }
}
