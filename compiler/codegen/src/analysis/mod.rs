//! Pure analyses of the IR that code generation decides with: ABI sizes are
//! `nest_ir::abi`'s; here, journal sizing, fused-read matching and which variables live
//! on the stack or hold constants. Nothing here emits code or imports a module that
//! does: the layout, `Gen` and the feature files import these, never the reverse.

pub(crate) mod fused_match;
pub(crate) mod journal_size;
pub(crate) mod vars;
