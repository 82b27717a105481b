//! The memory layout of generated code.
//!
//! | range | use |
//! |---|---|
//! | `0x00..0x40` | scratch: return values, revert payloads, `approve` results |
//! | `0x40` | the heap pointer (only when calls return data) |
//! | `0x60..` | one word per IR variable |
//! | then 32 bytes | padding, so a selector can be stored with one MSTORE |
//! | then | the call buffer: the largest call data of the script |
//! | then | the journal, in journal mode: its length, a scratch word, then entries |
//! | then | the heap: copies of return data, bump-allocated, never freed |

use nest_ir::{Arg, Block, Expr, Module, Revocation, Stmt};

/// Where things live in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Address of variable 0.
    pub vars: u64,
    /// Start of the call buffer.
    pub call_buf: u64,
    /// The journal's length word (entries follow after a scratch word).
    pub journal: u64,
    /// Bytes per journal entry (grant id, then its revocation's operands).
    pub journal_entry: u64,
    /// Start of the heap.
    pub heap: u64,
    /// Whether any call returns data (so the heap pointer must be set up).
    pub uses_heap: bool,
}

/// The heap pointer's address.
pub const HEAP_PTR: u64 = 0x40;

impl Layout {
    /// Computes the layout of a module.
    pub fn of(m: &Module) -> Layout {
        let mut max_call = 0x44u64; // force-approve's call data
        let mut uses_heap = false;
        walk_block(&m.body, &mut |e| {
            if let Expr::Call(c) = e {
                max_call = max_call.max(calldata_len(&c.args));
                uses_heap |= !c.outputs.is_empty();
            }
        });
        for g in &m.grants {
            if let Revocation::Call { args, .. } = &g.revoke {
                max_call = max_call.max(4 + 32 * args.len() as u64);
            }
        }
        let vars = 0x60;
        let call_buf = vars + 32 * m.vars.len() as u64 + 32;
        let journal = call_buf + max_call.div_ceil(32) * 32;
        let (journal_entry, entries) = crate::journal::size(m);
        let heap = journal + if entries > 0 { 64 + journal_entry * entries } else { 0 };
        Layout { vars, call_buf, journal, journal_entry, heap, uses_heap }
    }

    /// The address of a variable.
    pub fn var(&self, v: nest_ir::Var) -> u64 {
        self.vars + 32 * v.0 as u64
    }
}

/// The length of the call data for these arguments.
pub fn calldata_len(args: &[Arg]) -> u64 {
    4 + args
        .iter()
        .map(|a| match a {
            Arg::Word(_) => 32,
            Arg::Array(es) => 32 + 32 + 32 * es.len() as u64,
        })
        .sum::<u64>()
}

fn walk_block(b: &Block, f: &mut impl FnMut(&Expr)) {
    for s in b {
        match s {
            Stmt::Set(_, e) | Stmt::Eval(e) | Stmt::Check(e, _) => walk_expr(e, f),
            Stmt::If(c, t, e) => {
                walk_expr(c, f);
                walk_block(t, f);
                walk_block(e, f);
            }
            Stmt::Loop { body, .. } => walk_block(body, f),
            Stmt::ForceApprove { token, spender, amount } => {
                walk_expr(token, f);
                walk_expr(spender, f);
                walk_expr(amount, f);
            }
            Stmt::Return(vs) => vs.iter().for_each(|v| walk_expr(v, f)),
            _ => {}
        }
    }
}

/// Visits every expression node, parents before children.
pub fn walk_expr(e: &Expr, f: &mut impl FnMut(&Expr)) {
    f(e);
    match e {
        Expr::Op(_, xs) => xs.iter().for_each(|x| walk_expr(x, f)),
        Expr::Checked { lhs, rhs, .. } | Expr::Logic { lhs, rhs, .. } | Expr::MinMax { lhs, rhs, .. } => {
            walk_expr(lhs, f);
            walk_expr(rhs, f);
        }
        Expr::Narrow { expr, .. } => walk_expr(expr, f),
        Expr::Call(c) => {
            walk_expr(&c.target, f);
            if let Some(v) = &c.value {
                walk_expr(v, f);
            }
            for a in &c.args {
                match a {
                    Arg::Word(x) => walk_expr(x, f),
                    Arg::Array(xs) => xs.iter().for_each(|x| walk_expr(x, f)),
                }
            }
        }
        Expr::Word { ptr, .. } | Expr::ArrayPtr { ptr, .. } => walk_expr(ptr, f),
        Expr::ArrayGet { array, index } => {
            walk_expr(array, f);
            walk_expr(index, f);
        }
        Expr::Const(_) | Expr::Var(_) | Expr::Env(_) => {}
    }
}
