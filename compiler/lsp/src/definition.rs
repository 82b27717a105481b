//! Go to definition: where the name at a position is defined — in the document, an
//! imported file, or the stdlib.

use lsp_types::{Location, Position};

use crate::analysis::Analysis;

/// The definition of the name at `pos`.
pub(crate) fn definition(analysis: &Analysis, pos: Position) -> Option<Location> {
    let offset = analysis.offset(pos) as u32;
    let r = analysis.out.index.at(analysis.file, offset)?;
    analysis.location(r.def?)
}
