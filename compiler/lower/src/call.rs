//! Lowering interface calls: arguments shaped by their ABI types, outputs to
//! decode, and reads of decoded values (tuple fields, array elements).
//!
//! A value that is not a word is a pointer to its ABI encoding in memory (the
//! validated copy of some return data): to the length word of `T[]`, `bytes` and
//! `string`, to the first word of a tuple or `T[N]`.

use crate::Lowerer;
use alloy_dyn_abi::DynSolType;
use alloy_primitives::U256;
use nest_check::hir::{self, ExprKind};
use nest_diagnostics::Span;
use nest_ir::abi::{head_offsets, is_dynamic, static_size, supported};
use nest_ir::{Arg, ArrayShape, CallExpr, Expr, Op};

pub(crate) use nest_ir::abi::is_word;

/// The value of the member of type `t` whose head slot is `off` bytes into the
/// encoding at `base`: the word itself, or a pointer to the member's encoding.
fn read(base: Expr, off: u64, t: &DynSolType) -> Expr {
    let off32 = off as u32;
    if is_word(t) {
        Expr::Word {
            ptr: Box::new(base),
            offset: off32,
        }
    } else if is_dynamic(t) {
        Expr::ArrayPtr {
            ptr: Box::new(base),
            head: off32,
        }
    } else if off == 0 {
        base
    } else {
        Expr::Op(Op::Add, vec![base, Expr::Const(U256::from(off))])
    }
}

/// The shape of an array type for [`Expr::Elem`], when it fits the IR.
fn shape(t: &DynSolType) -> Option<(ArrayShape, &DynSolType)> {
    let (len, e) = match t {
        DynSolType::Array(e) => (None, &**e),
        DynSolType::FixedArray(e, n) => (Some(u32::try_from(*n).ok()?), &**e),
        _ => return None,
    };
    let stride = match static_size(e) {
        Some(s) => Some(u32::try_from(s).ok()?),
        None => None,
    };
    Some((ArrayShape { len, stride }, e))
}

impl Lowerer<'_> {
    /// Lowers a call. With `used` false the return data is not decoded.
    pub(crate) fn call(&mut self, c: &hir::Call, span: Span, used: bool) -> Expr {
        let f = self.p.interfaces[c.interface.0 as usize].functions[c.function].clone();
        let target = self.expr(&c.target);
        let value = c.value.as_ref().map(|v| self.expr(v));
        let mut args = Vec::new();
        for (a, t) in c.args.iter().zip(&f.inputs) {
            if !supported(t) {
                self.unsupported(
                    a.span,
                    &format!("an argument of type `{}`", t.sol_type_name()),
                    "use ABI types nested at most 8 deep",
                );
                continue;
            }
            args.push(self.arg(a, t));
        }
        let outputs = if used {
            if let Some(t) = f.outputs.iter().find(|t| !supported(t)) {
                self.unsupported(
                    span,
                    &format!("decoding return data of type `{}`", t.sol_type_name()),
                    "use functions whose outputs are ABI types nested at most 8 deep",
                );
            }
            f.outputs.clone()
        } else {
            Vec::new()
        };
        Expr::Call(Box::new(CallExpr {
            is_static: f.is_view,
            target,
            value,
            signature: f.signature.clone(),
            selector: f.selector,
            args,
            outputs,
            declares_outputs: !f.outputs.is_empty(),
        }))
    }

    /// An argument of ABI type `t`: literals member by member, other values from
    /// their encoding in memory.
    pub(crate) fn arg(&mut self, a: &hir::Expr, t: &DynSolType) -> Arg {
        if is_word(t) {
            return Arg::Word(self.expr(a));
        }
        match (t, &a.kind) {
            (DynSolType::Array(e), ExprKind::Array(xs)) => {
                Arg::Array(xs.iter().map(|x| self.arg(x, e)).collect())
            }
            (DynSolType::FixedArray(e, n), ExprKind::Array(xs)) if xs.len() == *n => {
                Arg::Tuple(xs.iter().map(|x| self.arg(x, e)).collect())
            }
            (DynSolType::Tuple(ts), ExprKind::Tuple(xs)) if xs.len() == ts.len() => {
                Arg::Tuple(xs.iter().zip(ts).map(|(x, m)| self.arg(x, m)).collect())
            }
            (DynSolType::Bytes | DynSolType::String, ExprKind::Bytes(b)) => Arg::Bytes(b.clone()),
            (DynSolType::Bytes | DynSolType::String, ExprKind::Str(s)) => {
                Arg::Bytes(s.as_bytes().to_vec())
            }
            _ => match self.p.abi_type(&a.ty) {
                Some(src) if src == *t => Arg::Encoded {
                    ptr: self.expr(a),
                    ty: t.clone(),
                },
                // A decoded `T[N]` passed as a `T[]`: element by element.
                Some(DynSolType::FixedArray(se, n)) if matches!(t, DynSolType::Array(e) if **e == *se) =>
                {
                    let ptr = self.expr(a);
                    if !ptr.is_pure() {
                        self.unsupported(
                            a.span,
                            "passing a fixed-size array call result as a dynamic array",
                            "bind it with `let` first",
                        );
                        return Arg::Array(Vec::new());
                    }
                    let size = static_size(&se).unwrap_or(32);
                    let elems = (0..n as u64)
                        .map(|i| {
                            let v = if is_dynamic(&se) {
                                read(ptr.clone(), 32 * i, &se)
                            } else {
                                read(ptr.clone(), size * i, &se)
                            };
                            if is_word(&se) {
                                Arg::Word(v)
                            } else {
                                Arg::Encoded {
                                    ptr: v,
                                    ty: (*se).clone(),
                                }
                            }
                        })
                        .collect();
                    Arg::Array(elems)
                }
                _ => {
                    self.unsupported(
                        a.span,
                        &format!("this value as an argument of type `{}`", t.sol_type_name()),
                        "pass literals, or values returned by calls",
                    );
                    Arg::Word(Expr::Const(U256::ZERO))
                }
            },
        }
    }

    /// The value of a call expression: its one output, or a pointer to the tuple of outputs.
    pub(crate) fn call_value(&mut self, c: &hir::Call, span: Span) -> Expr {
        let call = self.call(c, span, true);
        let f = &self.p.interfaces[c.interface.0 as usize].functions[c.function];
        match f.outputs.as_slice() {
            [t] => read(call, 0, t),
            _ => call,
        }
    }

    /// `base.index` on a tuple value.
    pub(crate) fn field(&mut self, base: &hir::Expr, index: usize, span: Span) -> Expr {
        if let ExprKind::Tuple(xs) = &base.kind {
            let lowered: Vec<Expr> = xs.iter().map(|x| self.expr(x)).collect();
            if lowered
                .iter()
                .enumerate()
                .all(|(i, x)| i == index || x.is_pure())
            {
                if let Some(x) = lowered.into_iter().nth(index) {
                    return x;
                }
            }
            self.unsupported(
                span,
                "a field of a tuple literal with effects",
                "bind the fields with `let` first",
            );
            return Expr::Const(U256::ZERO);
        }
        match self.p.abi_type(&base.ty) {
            Some(DynSolType::Tuple(ts)) if index < ts.len() => {
                let b = self.expr(base);
                let off = head_offsets(&ts)[index];
                read(b, off, &ts[index])
            }
            _ => {
                self.unsupported(
                    span,
                    "this kind of tuple field",
                    "read fields of values returned by calls",
                );
                Expr::Const(U256::ZERO)
            }
        }
    }

    /// `base[index]` on an array value that is not a literal.
    pub(crate) fn index(&mut self, base: &hir::Expr, index: Expr, span: Span) -> Expr {
        let abi = self.p.abi_type(&base.ty);
        let Some((shape, e)) = abi.as_ref().and_then(shape) else {
            self.unsupported(
                span,
                "indexing this kind of array",
                "index arrays returned by calls",
            );
            return Expr::Const(U256::ZERO);
        };
        let a = self.expr(base);
        if shape.len.is_none() && is_word(e) {
            return Expr::ArrayGet {
                array: Box::new(a),
                index: Box::new(index),
            };
        }
        let elem = Expr::Elem {
            array: Box::new(a),
            index: Box::new(index),
            shape,
        };
        if is_word(e) {
            Expr::Word {
                ptr: Box::new(elem),
                offset: 0,
            }
        } else {
            elem
        }
    }
}
