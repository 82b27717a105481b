//! Lowering: a checked program to IR.
//!
//! Locals become IR variables; interface calls become IR calls with their ABI
//! types; `approve` and annotated calls become the granting call followed by a
//! `grant` marker whose revocation reads variables set before the grant; `with`
//! blocks end in `end_grant`. Array-literal loops are unrolled. What the back end
//! cannot compile yet is reported here as an `E05xx` diagnostic, never
//! miscompiled. Nothing here knows about EVM opcodes.

mod call;
mod unroll;

use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
use call::is_word;
use nest_check::hir::{self, BinOp, ExprKind, Grant, RevokeArg, StmtKind, UnOp};
use nest_check::ty::Type;
use nest_diagnostics::{Diagnostic, SourceMap, Span};
use nest_ir::{
    Arg, Block, CallExpr, CheckedOp, Env, Expr, Failure, GrantId, GrantInfo, Loc, Module, Op,
    Operand, Revocation, Stmt, Var,
};

/// Lowers a checked program. `sources` resolves spans to lines for the source map.
pub fn lower(p: &hir::Program, sources: &SourceMap) -> Result<Module, Vec<Diagnostic>> {
    let mut l = Lowerer {
        p,
        sources,
        vars: p.locals.iter().map(|l| l.name.clone()).collect(),
        grants: Vec::new(),
        diags: Vec::new(),
        depth: 0,
        result: None,
        unrolled: 0,
        unroll_refused: false,
        outermost_unroll: None,
        grant_spans: Vec::new(),
    };
    let body = l.block(&p.body);
    let mut functions = Vec::new();
    for f in &p.fns {
        let result = f
            .ret
            .as_ref()
            .map(|_| l.temp(&format!("{}.result", f.name)));
        l.result = Some(result);
        let saved = std::mem::replace(&mut l.depth, 1);
        let body = l.block(&f.body);
        l.depth = saved;
        l.result = None;
        functions.push(nest_ir::Function {
            name: f.name.clone(),
            params: f.params.iter().map(|p| var(*p)).collect(),
            result,
            body,
        });
    }
    l.bound_revocations(&body);
    if !l.diags.is_empty() {
        return Err(l.diags);
    }
    let returns = p
        .return_types
        .iter()
        .filter_map(|t| p.abi_type(t))
        .collect();
    Ok(Module {
        body,
        vars: l.vars,
        grants: l.grants,
        returns,
        files: sources.files().map(|(_, f)| f.name.clone()).collect(),
        functions,
    })
}

pub(crate) struct Lowerer<'a> {
    p: &'a hir::Program,
    sources: &'a SourceMap,
    vars: Vec<String>,
    grants: Vec<GrantInfo>,
    diags: Vec<Diagnostic>,
    /// How many branches and run-time loops enclose the statement being lowered
    /// (function bodies count as one: their grants are always dynamic).
    depth: u32,
    /// Inside a function: the variable its `return` sets (`Some(None)`: no value).
    result: Option<Option<Var>>,
    /// IR nodes produced so far by unrolling array-literal loops (see [`unroll`]).
    unrolled: u64,
    /// The unrolling budget ran out (reported once, at the outermost loop).
    unroll_refused: bool,
    /// The outermost array-literal loop being unrolled, if any.
    outermost_unroll: Option<Span>,
    /// Where each grant of `grants` is made.
    grant_spans: Vec<Span>,
}

fn var(l: hir::LocalId) -> Var {
    Var(l.0)
}

fn op2(op: Op, a: Expr, b: Expr) -> Expr {
    Expr::Op(op, vec![a, b])
}

fn not(a: Expr) -> Expr {
    Expr::Op(Op::IsZero, vec![a])
}

/// The sign bit of a word.
const SIGN_BIT: U256 = U256::from_limbs([0, 0, 0, 1 << 63]);

fn mask(bits: u16) -> U256 {
    if bits >= 256 {
        U256::MAX
    } else {
        (U256::from(1u8) << bits as usize) - U256::from(1u8)
    }
}

impl Lowerer<'_> {
    pub(crate) fn unsupported(&mut self, span: Span, what: &str, help: &str) {
        self.diags.push(
            Diagnostic::error(
                "E0504",
                format!("{what} is not supported by the code generator yet"),
            )
            .with_primary(span, "cannot be compiled yet")
            .with_note("the compiler refuses rather than risk wrong bytecode")
            .with_help(help.to_string()),
        );
    }

    fn loc(&self, span: Span) -> Loc {
        let f = self.sources.get(span.file);
        let (line, col) = f.line_col(span.start as usize);
        Loc {
            // The file's index in the source map's order (stdlib modules have fixed ids).
            file: self
                .sources
                .position(span.file)
                .map_or(span.file.0, |i| i as u32),
            line: line as u32,
            col: col as u32,
        }
    }

    fn temp(&mut self, name: &str) -> Var {
        self.vars.push(name.to_string());
        Var(self.vars.len() as u32 - 1)
    }

    fn block(&mut self, stmts: &[hir::Stmt]) -> Block {
        let mut out = Vec::new();
        for s in stmts {
            self.stmt(s, &mut out);
        }
        out
    }

    fn stmt(&mut self, s: &hir::Stmt, out: &mut Block) {
        out.push(Stmt::Loc(self.loc(s.span)));
        match &s.kind {
            StmtKind::Let(l, e) | StmtKind::Assign(l, e) => {
                let v = self.expr(e);
                out.push(Stmt::Set(var(*l), v));
            }
            StmtKind::If(c, t, e) => {
                let c = self.expr(c);
                self.depth += 1;
                let t = self.block(t);
                let e = self.block(e);
                self.depth -= 1;
                out.push(Stmt::If(c, t, e));
            }
            StmtKind::ForRange {
                var: v,
                start,
                end,
                body,
            } => {
                self.depth += 1;
                let body = self.block(body);
                self.depth -= 1;
                out.push(Stmt::Loop {
                    var: var(*v),
                    start: *start,
                    end: *end,
                    body,
                });
            }
            StmtKind::ForArray {
                var: v,
                elems,
                body,
            } => self.unroll(s.span, *v, elems, body, out),
            StmtKind::Require(c, msg) => {
                let c = self.expr(c);
                out.push(Stmt::Check(c, Failure::Error(msg.clone())));
            }
            StmtKind::Revert(msg) => out.push(Stmt::Fail(Failure::Error(msg.clone()))),
            StmtKind::Return(vs) => {
                let vs = vs.iter().map(|v| self.expr(v)).collect();
                out.push(Stmt::Return(vs));
            }
            StmtKind::Expr(e) => {
                let v = match &e.kind {
                    ExprKind::Call(c) => self.call(c, e.span, false),
                    _ => self.expr(e),
                };
                if !v.is_pure() {
                    out.push(Stmt::Eval(v));
                }
            }
            StmtKind::Grant(g) => {
                let dynamic = self.depth > 0;
                self.grant(g, s.span, dynamic, out);
            }
            StmtKind::With(g, body) => {
                let in_fn = self.result.is_some();
                let id = self.grant(g, s.span, in_fn, out);
                let b = self.block(body);
                out.extend(b);
                if let Some(id) = id {
                    out.push(Stmt::EndGrant(id));
                }
            }
        }
    }

    /// An operand that a later revocation can read: constants stay constants,
    /// anything else is saved in a variable first.
    ///
    /// A variable is copied too: the revocation runs at the script's exits, and the
    /// variable may be assigned again before then (`let mut`, a loop variable of an
    /// unrolled loop); the copy is assigned once, here.
    fn operand(&mut self, e: Expr, name: &str, out: &mut Block) -> Operand {
        match e {
            Expr::Const(c) => Operand::Const(c),
            other => {
                let t = self.temp(name);
                out.push(Stmt::Set(t, other));
                Operand::Var(t)
            }
        }
    }

    /// Lowers a grant. `dynamic` grants are held only on some paths (inside a
    /// branch or a run-time loop) and make the module revoke from a journal.
    fn grant(&mut self, g: &Grant, span: Span, dynamic: bool, out: &mut Block) -> Option<GrantId> {
        let loc = Some(self.loc(span));
        let id = GrantId(self.grants.len() as u32);
        match g {
            Grant::Erc20Approve {
                token,
                spender,
                amount,
            } => {
                let t = self.expr(token);
                let s = self.expr(spender);
                let t = self.operand(t, "approve.token", out);
                let s = self.operand(s, "approve.spender", out);
                let a = self.expr(amount);
                out.push(Stmt::ForceApprove {
                    token: operand_expr(t),
                    spender: operand_expr(s),
                    amount: a,
                });
                self.grants.push(GrantInfo {
                    kind: "erc20-allowance".into(),
                    revoke: Revocation::Erc20 {
                        token: t,
                        spender: s,
                    },
                    loc,
                    dynamic,
                });
            }
            Grant::Annotated(c) => {
                let f = &self.p.interfaces[c.interface.0 as usize].functions[c.function];
                let spec = f.grant.clone()?;
                let revoke_fn =
                    &self.p.interfaces[c.interface.0 as usize].functions[spec.revoke_fn];
                if !revoke_fn.inputs.iter().all(is_word) || !f.inputs.iter().all(is_word) {
                    self.unsupported(
                        span,
                        "a grant whose functions take non-word arguments",
                        "grant through `approve(…)` or a function with word arguments",
                    );
                    return None;
                }
                let target = self.expr(&c.target);
                let target = self.operand(target, "grant.target", out);
                let mut args = Vec::new();
                for (i, a) in c.args.iter().enumerate() {
                    let x = self.expr(a);
                    let needed = spec
                        .revoke_args
                        .iter()
                        .any(|r| matches!(r, RevokeArg::Param(p) if *p == i));
                    args.push(if needed {
                        operand_expr(self.operand(x, "grant.arg", out))
                    } else {
                        x
                    });
                }
                let revoke_args: Vec<Operand> = spec
                    .revoke_args
                    .iter()
                    .map(|r| match r {
                        RevokeArg::Const(v) => Operand::Const(*v),
                        RevokeArg::Param(i) => match &args[*i] {
                            Expr::Const(v) => Operand::Const(*v),
                            Expr::Var(v) => Operand::Var(*v),
                            _ => Operand::Const(U256::ZERO),
                        },
                    })
                    .collect();
                let value = c.value.as_ref().map(|v| self.expr(v));
                out.push(Stmt::Eval(Expr::Call(Box::new(CallExpr {
                    is_static: f.is_view,
                    target: operand_expr(target),
                    value,
                    signature: f.signature.clone(),
                    selector: f.selector,
                    args: args.into_iter().map(Arg::Word).collect(),
                    outputs: Vec::new(),
                    declares_outputs: !f.outputs.is_empty(),
                }))));
                self.grants.push(GrantInfo {
                    kind: f.signature.clone(),
                    revoke: Revocation::Call {
                        target,
                        signature: revoke_fn.signature.clone(),
                        selector: revoke_fn.selector,
                        args: revoke_args,
                    },
                    loc,
                    dynamic,
                });
            }
        }
        self.grant_spans.push(span);
        out.push(Stmt::Grant(id));
        Some(id)
    }

    pub(crate) fn expr(&mut self, e: &hir::Expr) -> Expr {
        match &e.kind {
            ExprKind::Word(v) => Expr::Const(*v),
            ExprKind::Local(l) => Expr::Var(var(*l)),
            ExprKind::SelfAddress => Expr::Env(Env::SelfAddress),
            ExprKind::Env(env) => Expr::Env(match env {
                hir::EnvValue::Timestamp => Env::Timestamp,
                hir::EnvValue::Number => Env::Number,
                hir::EnvValue::ChainId => Env::ChainId,
                hir::EnvValue::SelfBalance => Env::SelfBalance,
            }),
            ExprKind::Balance(token) => {
                let t = self.expr(token);
                let call = CallExpr {
                    is_static: true,
                    target: t,
                    value: None,
                    signature: "balanceOf(address)".into(),
                    selector: [0x70, 0xa0, 0x82, 0x31],
                    args: vec![Arg::Word(Expr::Env(Env::SelfAddress))],
                    outputs: vec![DynSolType::Uint(256)],
                    declares_outputs: true,
                };
                Expr::Word {
                    ptr: Box::new(Expr::Call(Box::new(call))),
                    offset: 0,
                }
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, &e.ty),
            ExprKind::Unary { op, expr } => {
                let x = self.expr(expr);
                match op {
                    UnOp::Not => not(x),
                    UnOp::BitNot => match expr.ty.int_bits() {
                        Some((bits, false)) if bits < 256 => {
                            op2(Op::Xor, x, Expr::Const(mask(bits)))
                        }
                        _ => Expr::Op(Op::Not, vec![x]),
                    },
                    UnOp::Neg => {
                        let bits = e.ty.int_bits().map_or(256, |(b, _)| b);
                        Expr::Signed {
                            op: CheckedOp::Sub,
                            bits,
                            lhs: Box::new(Expr::Const(U256::ZERO)),
                            rhs: Box::new(x),
                        }
                    }
                }
            }
            ExprKind::Cast(inner) => {
                let x = self.expr(inner);
                // `bytesN` is left-aligned in its word, `uint(8N)` right-aligned.
                match (&inner.ty, &e.ty) {
                    (Type::FixedBytes(n), Type::Uint(_)) => {
                        return op2(Op::Shr, x, Expr::Const(U256::from(256 - 8 * *n as u16)))
                    }
                    (Type::Uint(_), Type::FixedBytes(n)) => {
                        return op2(Op::Shl, x, Expr::Const(U256::from(256 - 8 * *n as u16)))
                    }
                    _ => {}
                }
                match (inner.ty.int_bits(), e.ty.int_bits()) {
                    // Widening within a signedness: the value is already extended.
                    (Some((from, a)), Some((to, b))) if a == b && from <= to => x,
                    (Some((_, false)), Some((to, false))) => Expr::Narrow {
                        expr: Box::new(x),
                        bits: to,
                    },
                    (Some((_, true)), Some((to, true))) => Expr::NarrowSigned {
                        expr: Box::new(x),
                        bits: to,
                    },
                    // A non-negative signed value is below 2**(N-1).
                    (Some((_, false)), Some((to, true))) => Expr::Narrow {
                        expr: Box::new(x),
                        bits: to - 1,
                    },
                    // Negative values have the top bit set: they never fit.
                    (Some((_, true)), Some((to, false))) => Expr::Narrow {
                        expr: Box::new(x),
                        bits: to.min(255),
                    },
                    _ => {
                        self.unsupported(
                            e.span,
                            "this conversion",
                            "convert between integer types",
                        );
                        x
                    }
                }
            }
            ExprKind::Call(c) => self.call_value(c, e.span),
            ExprKind::Field { base, index } => self.field(base, *index, e.span),
            ExprKind::Index { base, index } => {
                let i = self.expr(index);
                match &base.kind {
                    ExprKind::Array(elems) => match i {
                        Expr::Const(c) if c < U256::from(elems.len()) => {
                            self.expr(&elems[c.to::<usize>()])
                        }
                        _ => self.index(base, i, e.span),
                    },
                    _ => self.index(base, i, e.span),
                }
            }
            ExprKind::FnCall { func, args } => {
                let args = args.iter().map(|a| self.expr(a)).collect();
                Expr::CallFn { func: func.0, args }
            }
            ExprKind::MinMax { max, lhs, rhs } => {
                let l = self.expr(lhs);
                let r = self.expr(rhs);
                if matches!(e.ty, Type::Int(_)) {
                    // Flipping the sign bit maps signed order onto unsigned order.
                    let flip = |x| op2(Op::Xor, x, Expr::Const(SIGN_BIT));
                    let m = Expr::MinMax {
                        max: *max,
                        lhs: Box::new(flip(l)),
                        rhs: Box::new(flip(r)),
                    };
                    return flip(m);
                }
                Expr::MinMax {
                    max: *max,
                    lhs: Box::new(l),
                    rhs: Box::new(r),
                }
            }
            ExprKind::Str(_) | ExprKind::Bytes(_) | ExprKind::Array(_) | ExprKind::Tuple(_) => {
                self.materialize(e)
            }
            ExprKind::Keccak(data) => Expr::Keccak(Box::new(self.expr(data))),
            ExprKind::AbiEncode(values) => {
                let mut args = Vec::new();
                for v in values {
                    match self.p.abi_type(&v.ty) {
                        Some(t) => args.push(self.arg(v, &t)),
                        None => {
                            self.unsupported(v.span, "encoding this value", "encode ABI values")
                        }
                    }
                }
                Expr::Encode(args)
            }
            ExprKind::Error => Expr::Const(U256::ZERO),
        }
    }

    /// A value that is not a word (a string, bytes, array or tuple literal):
    /// allocated on the heap as its ABI encoding; the value is a pointer to it (to
    /// the length word of `bytes`, `string` and `T[]`).
    fn materialize(&mut self, e: &hir::Expr) -> Expr {
        let Some(t) = self.p.abi_type(&e.ty) else {
            self.unsupported(e.span, "a value of this type", "use ABI types");
            return Expr::Const(U256::ZERO);
        };
        // `abi.encode(v)` is a length word, then (for dynamic v) an offset, then v.
        let skip = if nest_ir::abi::is_dynamic(&t) {
            64u64
        } else {
            32
        };
        let a = self.arg(e, &t);
        op2(
            Op::Add,
            Expr::Encode(vec![a]),
            Expr::Const(U256::from(skip)),
        )
    }

    fn binary(&mut self, op: BinOp, lhs: &hir::Expr, rhs: &hir::Expr, ty: &Type) -> Expr {
        let signed = matches!(lhs.ty, Type::Int(_));
        let l = self.expr(lhs);
        let r = self.expr(rhs);
        let bits = ty.int_bits().map(|(b, _)| b).unwrap_or(256);
        if signed {
            let arith = |op| Expr::Signed {
                op,
                bits,
                lhs: Box::new(l.clone()),
                rhs: Box::new(r.clone()),
            };
            return match op {
                BinOp::Add => arith(CheckedOp::Add),
                BinOp::Sub => arith(CheckedOp::Sub),
                BinOp::Mul => arith(CheckedOp::Mul),
                BinOp::Div => arith(CheckedOp::Div),
                BinOp::Rem => arith(CheckedOp::Rem),
                BinOp::Pow => Expr::SignedPow {
                    bits,
                    base: Box::new(l),
                    exp: Box::new(r),
                },
                BinOp::Lt => op2(Op::Slt, l, r),
                BinOp::Gt => op2(Op::Sgt, l, r),
                BinOp::Le => not(op2(Op::Sgt, l, r)),
                BinOp::Ge => not(op2(Op::Slt, l, r)),
                BinOp::Shl if bits < 256 => op2(
                    Op::SignExtend,
                    Expr::Const(U256::from(bits / 8 - 1)),
                    op2(Op::Shl, l, r),
                ),
                BinOp::Shr => op2(Op::Sar, l, r),
                _ => self.unsigned_binary(op, l, r, bits),
            };
        }
        match op {
            BinOp::Pow => Expr::Pow {
                bits,
                base: Box::new(l),
                exp: Box::new(r),
            },
            _ => self.unsigned_binary(op, l, r, bits),
        }
    }

    /// Operators on unsigned words (and those whose result does not depend on signs).
    fn unsigned_binary(&mut self, op: BinOp, l: Expr, r: Expr, bits: u16) -> Expr {
        let checked = |op| Expr::Checked {
            op,
            bits,
            lhs: Box::new(l.clone()),
            rhs: Box::new(r.clone()),
        };
        match op {
            BinOp::Add => checked(CheckedOp::Add),
            BinOp::Sub => checked(CheckedOp::Sub),
            BinOp::Mul => checked(CheckedOp::Mul),
            BinOp::Div => checked(CheckedOp::Div),
            BinOp::Rem => checked(CheckedOp::Rem),
            BinOp::Pow => Expr::Pow {
                bits,
                base: Box::new(l),
                exp: Box::new(r),
            },
            BinOp::Eq => op2(Op::Eq, l, r),
            BinOp::Ne => not(op2(Op::Eq, l, r)),
            BinOp::Lt => op2(Op::Lt, l, r),
            BinOp::Gt => op2(Op::Gt, l, r),
            BinOp::Le => not(op2(Op::Gt, l, r)),
            BinOp::Ge => not(op2(Op::Lt, l, r)),
            BinOp::And => Expr::Logic {
                and: true,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
            BinOp::Or => Expr::Logic {
                and: false,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
            BinOp::BitAnd => op2(Op::And, l, r),
            BinOp::BitOr => op2(Op::Or, l, r),
            BinOp::BitXor => op2(Op::Xor, l, r),
            BinOp::Shl if bits < 256 => op2(Op::And, op2(Op::Shl, l, r), Expr::Const(mask(bits))),
            BinOp::Shl => op2(Op::Shl, l, r),
            BinOp::Shr => op2(Op::Shr, l, r),
        }
    }
}

fn operand_expr(o: Operand) -> Expr {
    match o {
        Operand::Const(c) => Expr::Const(c),
        Operand::Var(v) => Expr::Var(v),
    }
}
