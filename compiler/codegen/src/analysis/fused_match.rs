//! Fused-read matching: which reads of a call's result the code generator fuses with the
//! call (see `crate::fused` for the shapes and the code). Pure analysis of the IR.

use crate::options::Options;
use alloy_dyn_abi::DynSolType;
use nest_ir::abi::{is_dynamic, is_word, static_size};
use nest_ir::{CallExpr, Expr};

/// The most return data a fused word read takes (the scratch words below the heap pointer).
pub(crate) const SCRATCH_LEN: u64 = 64;

/// A read the code generator fuses with its call.
pub(crate) enum FusedRead<'a> {
    /// The word at `offset` of static return data.
    Word { call: &'a CallExpr, offset: u32 },
    /// Element `index` of the call's only output, a `T[]` of clean words.
    Elem { call: &'a CallExpr, index: &'a Expr },
}

impl FusedRead<'_> {
    /// The call, by address (for the layout).
    pub(crate) fn call(&self) -> *const CallExpr {
        match self {
            FusedRead::Word { call, .. } | FusedRead::Elem { call, .. } => *call as *const CallExpr,
        }
    }
}

/// The fused read `e` is, if fusing is on and `e` has the shape.
pub(crate) fn fused_read<'a>(e: &'a Expr, opts: &Options) -> Option<FusedRead<'a>> {
    if !opts.fused_reads {
        return None;
    }
    match e {
        Expr::Word { ptr, offset } => {
            let Expr::Call(call) = &**ptr else {
                return None;
            };
            // The outputs' static size, as `static_size` of their tuple (no copy).
            let head = call.outputs.iter().map(static_size).sum::<Option<u64>>()?;
            (!call.outputs.is_empty() && head <= SCRATCH_LEN && u64::from(*offset) + 32 <= head)
                .then_some(FusedRead::Word {
                    call,
                    offset: *offset,
                })
        }
        Expr::ArrayGet { array, index } => {
            let Expr::ArrayPtr { ptr, head: 0 } = &**array else {
                return None;
            };
            let Expr::Call(call) = &**ptr else {
                return None;
            };
            let [DynSolType::Array(elem)] = call.outputs.as_slice() else {
                return None;
            };
            (is_word(elem) && !needs_check(elem) && !is_dynamic(elem) && index.is_pure())
                .then_some(FusedRead::Elem { call, index })
        }
        _ => None,
    }
}

/// Whether some word of the type must be checked for clean upper or lower bits.
pub(crate) fn needs_check(t: &DynSolType) -> bool {
    match t {
        DynSolType::Uint(256) | DynSolType::Int(256) | DynSolType::FixedBytes(32) => false,
        t if is_word(t) => true,
        DynSolType::Array(e) | DynSolType::FixedArray(e, _) => needs_check(e),
        DynSolType::Tuple(ts) => ts.iter().any(needs_check),
        _ => false,
    }
}
