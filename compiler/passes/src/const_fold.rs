//! `const_fold`: computes at compile time what only depends on constants.
//!
//! Plain word operations on constants become constants; checked arithmetic and
//! narrowing fold only when they cannot fail (a failing one is left to revert at run
//! time, with its panic); `iszero(iszero(iszero(x)))` becomes `iszero(x)`; `min`,
//! `max`, `&&` and `||` of constants fold. A `check` of a non-zero constant is
//! dropped and one of zero becomes `fail`; an `if` on a constant keeps only the branch
//! taken. Nothing with an effect is removed.

use crate::Pass;
use alloy_primitives::{I256, U256};
use nest_ir::{CheckedOp, Expr, Module, Op, Stmt};

/// The pass.
pub struct ConstFold;

impl Pass for ConstFold {
    fn name(&self) -> &'static str {
        "const_fold"
    }

    fn run(&self, m: &mut Module) {
        m.body = fold_block(std::mem::take(&mut m.body));
        for f in &mut m.functions {
            f.body = fold_block(std::mem::take(&mut f.body));
        }
    }
}

fn fold_block(b: Vec<Stmt>) -> Vec<Stmt> {
    let mut out = Vec::with_capacity(b.len());
    for s in b {
        match s {
            Stmt::Set(v, e) => out.push(Stmt::Set(v, fold(e))),
            Stmt::Eval(e) => out.push(Stmt::Eval(fold(e))),
            Stmt::Check(c, f) => match fold(c) {
                Expr::Const(k) if !k.is_zero() => {}
                Expr::Const(_) => out.push(Stmt::Fail(f)),
                c => out.push(Stmt::Check(c, f)),
            },
            Stmt::If(c, t, e) => match fold(c) {
                Expr::Const(k) => out.extend(fold_block(if k.is_zero() { e } else { t })),
                c => out.push(Stmt::If(c, fold_block(t), fold_block(e))),
            },
            Stmt::Loop {
                var,
                start,
                end,
                body,
            } => out.push(Stmt::Loop {
                var,
                start,
                end,
                body: fold_block(body),
            }),
            Stmt::ForceApprove {
                token,
                spender,
                amount,
            } => out.push(Stmt::ForceApprove {
                token: fold(token),
                spender: fold(spender),
                amount: fold(amount),
            }),
            Stmt::Return(vs) => out.push(Stmt::Return(vs.into_iter().map(fold).collect())),
            // Statements without expressions or blocks, named so that a new kind is a
            // compile error here rather than one whose expressions are not folded.
            other @ (Stmt::Loc(_)
            | Stmt::Fail(_)
            | Stmt::Grant(_)
            | Stmt::EndGrant(_)
            | Stmt::Revoke(_)
            | Stmt::Journal(_)
            | Stmt::JournalMark(_)
            | Stmt::RevokeJournal(_)
            | Stmt::Stop) => out.push(other),
        }
    }
    out
}

/// Folds an expression bottom-up.
pub(crate) fn fold(e: Expr) -> Expr {
    match e {
        Expr::Op(op, args) => {
            let args: Vec<Expr> = args.into_iter().map(fold).collect();
            if let [Expr::Op(Op::IsZero, inner)] = args.as_slice() {
                if op == Op::IsZero {
                    if let [Expr::Op(Op::IsZero, x)] = inner.as_slice() {
                        // iszero(iszero(iszero(x))) = iszero(x)
                        return Expr::Op(Op::IsZero, x.clone());
                    }
                }
            }
            let consts: Option<Vec<U256>> = args.iter().map(constant).collect();
            match consts.and_then(|ks| eval_op(op, &ks)) {
                Some(k) => Expr::Const(k),
                None => Expr::Op(op, args),
            }
        }
        Expr::Checked { op, bits, lhs, rhs } => {
            let (lhs, rhs) = (fold(*lhs), fold(*rhs));
            match (constant(&lhs), constant(&rhs)) {
                (Some(a), Some(b)) => match eval_checked(op, bits, a, b) {
                    Some(k) => Expr::Const(k),
                    None => Expr::Checked {
                        op,
                        bits,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                },
                _ => Expr::Checked {
                    op,
                    bits,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
            }
        }
        Expr::Narrow { expr, bits } => match fold(*expr) {
            Expr::Const(k) if fits(k, bits) => Expr::Const(k),
            x => Expr::Narrow {
                expr: Box::new(x),
                bits,
            },
        },
        Expr::MinMax { max, lhs, rhs } => match (fold(*lhs), fold(*rhs)) {
            (Expr::Const(a), Expr::Const(b)) => Expr::Const(if max { a.max(b) } else { a.min(b) }),
            (l, r) => Expr::MinMax {
                max,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
        },
        Expr::Logic { and, lhs, rhs } => match (fold(*lhs), fold(*rhs)) {
            // `a && b` is `a` when a is zero, else b; `a || b` is `a` when a is non-zero, else b.
            (Expr::Const(a), r) if a.is_zero() == and => {
                let _ = r;
                Expr::Const(a)
            }
            (Expr::Const(_), r) => r,
            (l, r) => Expr::Logic {
                and,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
        },
        Expr::Word { ptr, offset } => Expr::Word {
            ptr: Box::new(fold(*ptr)),
            offset,
        },
        Expr::ArrayPtr { ptr, head } => Expr::ArrayPtr {
            ptr: Box::new(fold(*ptr)),
            head,
        },
        Expr::ArrayGet { array, index } => Expr::ArrayGet {
            array: Box::new(fold(*array)),
            index: Box::new(fold(*index)),
        },
        Expr::Elem {
            array,
            index,
            shape,
        } => Expr::Elem {
            array: Box::new(fold(*array)),
            index: Box::new(fold(*index)),
            shape,
        },
        Expr::CallFn { func, args } => Expr::CallFn {
            func,
            args: args.into_iter().map(fold).collect(),
        },
        Expr::Call(mut c) => {
            c.target = fold(c.target);
            c.value = c.value.map(fold);
            for a in &mut c.args {
                fold_arg(a);
            }
            Expr::Call(c)
        }
        // Leaves, and (so far) kinds whose operands are left as they are: named so that
        // a new kind is a compile error here.
        other @ (Expr::Const(_)
        | Expr::Var(_)
        | Expr::Env(_)
        | Expr::Signed { .. }
        | Expr::NarrowSigned { .. }
        | Expr::Pow { .. }
        | Expr::SignedPow { .. }
        | Expr::Keccak(_)
        | Expr::Encode(_)) => other,
    }
}

fn fold_arg(a: &mut nest_ir::Arg) {
    match a {
        nest_ir::Arg::Word(e) | nest_ir::Arg::Encoded { ptr: e, .. } => {
            *e = fold(std::mem::replace(e, Expr::Const(U256::ZERO)))
        }
        nest_ir::Arg::Tuple(xs) | nest_ir::Arg::Array(xs) => xs.iter_mut().for_each(fold_arg),
        nest_ir::Arg::Bytes(_) => {}
    }
}

fn constant(e: &Expr) -> Option<U256> {
    match e {
        Expr::Const(k) => Some(*k),
        _ => None,
    }
}

fn bool_word(b: bool) -> U256 {
    U256::from(u8::from(b))
}

/// A plain EVM operation on constants, as the EVM computes it.
fn eval_op(op: Op, ks: &[U256]) -> Option<U256> {
    let signed = |k: U256| I256::from_raw(k);
    Some(match (op, ks) {
        (Op::Add, [a, b]) => a.wrapping_add(*b),
        (Op::Sub, [a, b]) => a.wrapping_sub(*b),
        (Op::Mul, [a, b]) => a.wrapping_mul(*b),
        (Op::Lt, [a, b]) => bool_word(a < b),
        (Op::Gt, [a, b]) => bool_word(a > b),
        (Op::Slt, [a, b]) => bool_word(signed(*a) < signed(*b)),
        (Op::Sgt, [a, b]) => bool_word(signed(*a) > signed(*b)),
        (Op::Eq, [a, b]) => bool_word(a == b),
        (Op::IsZero, [a]) => bool_word(a.is_zero()),
        (Op::And, [a, b]) => a & b,
        (Op::Or, [a, b]) => a | b,
        (Op::Xor, [a, b]) => a ^ b,
        (Op::Not, [a]) => !*a,
        (Op::Shl, [a, b]) => shift(*a, *b, true),
        (Op::Shr, [a, b]) => shift(*a, *b, false),
        _ => return None,
    })
}

/// `a << b` or `a >> b` (shift amount second), zero from 256 on, as the EVM does.
fn shift(a: U256, b: U256, left: bool) -> U256 {
    if b >= U256::from(256) {
        return U256::ZERO;
    }
    let n = b.to::<usize>();
    if left {
        a << n
    } else {
        a >> n
    }
}

fn fits(k: U256, bits: u16) -> bool {
    bits >= 256 || k < (U256::from(1u8) << bits as usize)
}

/// Checked arithmetic on constants; None when it would fail (it is left to run time).
fn eval_checked(op: CheckedOp, bits: u16, a: U256, b: U256) -> Option<U256> {
    if !fits(a, bits) || !fits(b, bits) {
        return None;
    }
    let k = match op {
        CheckedOp::Add => a.checked_add(b)?,
        CheckedOp::Sub => a.checked_sub(b)?,
        CheckedOp::Mul => a.checked_mul(b)?,
        CheckedOp::Div => a.checked_div(b)?,
        CheckedOp::Rem => a.checked_rem(b)?,
    };
    fits(k, bits).then_some(k)
}
