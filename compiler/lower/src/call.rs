//! Lowering interface calls: arguments by ABI type, outputs to decode.

use crate::Lowerer;
use alloy_dyn_abi::DynSolType;
use nest_check::hir::{self, ExprKind};
use nest_diagnostics::Span;
use nest_ir::{Arg, CallExpr, Expr};

/// Whether values of this ABI type are one static word.
pub(crate) fn is_word(t: &DynSolType) -> bool {
    matches!(t, DynSolType::Uint(_) | DynSolType::Int(_) | DynSolType::Bool | DynSolType::Address | DynSolType::FixedBytes(_))
}

/// Whether the back end can decode return data of these types.
pub(crate) fn decodable(outputs: &[DynSolType]) -> bool {
    outputs.iter().all(|t| is_word(t) || matches!(t, DynSolType::Array(e) if is_word(e)))
}

impl Lowerer<'_> {
    /// Lowers a call. With `used` false the return data is not decoded.
    pub(crate) fn call(&mut self, c: &hir::Call, span: Span, used: bool) -> Expr {
        let f = self.p.interfaces[c.interface.0 as usize].functions[c.function].clone();
        let target = self.expr(&c.target);
        let value = c.value.as_ref().map(|v| self.expr(v));
        let mut args = Vec::new();
        for (a, t) in c.args.iter().zip(&f.inputs) {
            if is_word(t) {
                args.push(Arg::Word(self.expr(a)));
            } else if let (DynSolType::Array(e), ExprKind::Array(elems)) = (t, &a.kind) {
                if is_word(e) {
                    args.push(Arg::Array(elems.iter().map(|x| self.expr(x)).collect()));
                } else {
                    self.unsupported(a.span, "an array argument of non-word elements", "pass arrays of integers or addresses");
                }
            } else {
                self.unsupported(
                    a.span,
                    &format!("an argument of type `{}`", t.sol_type_name()),
                    "pass words (integers, addresses, bools) or array literals of words",
                );
            }
        }
        let outputs = if used {
            if !decodable(&f.outputs) {
                self.unsupported(span, "decoding this call's return data", "use functions returning words or arrays of words");
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
        }))
    }

}
