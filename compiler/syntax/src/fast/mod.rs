//! The fast path: a hand-written recursive-descent parser for clean input.
//!
//! It reads the same tokens as the chumsky parser (`crate::parser`) and either
//! builds exactly the tree that parser would build (same nodes, spans and doc
//! comments) or gives up (`None`) at the first token it does not expect. It never
//! reports anything: when it gives up, `parse` runs the chumsky parser, whose tree
//! and diagnostics are then the answer, so every message stays where it was.
//!
//! How it stays exact: each choice the chumsky grammar makes by trying an
//! alternative and backtracking is made here by looking at the next one to three
//! tokens, exactly the tokens with which that alternative can begin; once an
//! alternative is taken, any failure gives up rather than backtracks. A failure
//! chumsky would recover from is an error there, so giving up loses nothing. Input
//! chumsky accepts with a diagnostic (a chained comparison, a bad tuple index, an
//! assignment to a value, an unknown `use` root or Solidity modifier, a reserved
//! word) gives up too.
//!
//! Layout: `cursor` (token access, spans, the nesting limit), `types`, `expr`,
//! `stmt`, `item`, mirroring `crate::parser`'s modules.

mod cursor;
mod expr;
mod item;
mod stmt;
mod types;

pub(crate) use item::source_file;
