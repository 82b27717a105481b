//! What the checker remembers about tokens and amounts between expressions, for
//! `#[units]` (filled and read by `units.rs` and `units_call.rs`). Its own file so that
//! the checker's state (`scope.rs`) does not import the code that uses it.

use crate::hir::{self, LocalId};
use crate::ty::TokenId;
use alloy_primitives::Address;
use nest_diagnostics::Span;
use std::collections::HashMap;

/// What the checker remembers about tokens and amounts between expressions.
#[derive(Default)]
pub(crate) struct UnitState {
    /// `#[views(asset = DAI)]` on a token or contract declaration, by its address.
    pub views: HashMap<Address, Vec<(String, TokenId)>>,
    /// Immutable locals bound to an array, tuple, byte string or word literal: where a
    /// path or a market's tokens are read from.
    pub known: HashMap<LocalId, hir::Expr>,
    /// Immutable locals holding an array of amounts (`let amounts = router.swap…`),
    /// with the token of each element where it is known.
    pub amount_arrays: HashMap<LocalId, Vec<Option<TokenId>>>,
    /// The same for calls, by the call's span (`router.getAmountsOut(…)[1]`).
    pub call_arrays: HashMap<Span, Vec<Option<TokenId>>>,
    /// `x as uintN` where `x` is an amount: its token, by the cast's span.
    pub amount_casts: HashMap<Span, TokenId>,
}
