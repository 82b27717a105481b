//! The parser: tokens to syntax tree, with chumsky.
//!
//! Layout: `common` holds token matchers and recovery helpers, `types` written types,
//! `expr` expressions by precedence, `stmt` statements and blocks, `item` items and
//! the file. Statements end at a line break or a `;`; recovery skips to the next
//! line (respecting delimiters), so one run reports every error.

mod common;
mod expr;
mod item;
mod precedence;
mod stmt;
mod types;

pub(crate) use item::source_file;
