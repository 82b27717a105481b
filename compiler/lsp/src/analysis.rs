//! One document's analysis: the checker's output for its current text, and the
//! conversions from the checker's spans to editor locations.

use std::collections::HashMap;

use lsp_types::{Location, Range, Uri};
use nest_check::CheckOutput;
use nest_diagnostics::{FileId, Span};

use crate::resolver::DocumentResolver;
use crate::text::LineIndex;
use crate::{stdlib_files, uri};

/// A document's text and what the checker made of it.
pub(crate) struct Analysis {
    /// The text analysed.
    pub text: String,
    /// Sources, diagnostics and the semantic index.
    pub out: CheckOutput,
    /// The document's own id among `out.sources`.
    pub file: FileId,
}

impl Analysis {
    /// Checks `text`, named `name`, resolving imports through `open` then the disk.
    pub(crate) fn run(name: &str, text: &str, open: &HashMap<String, String>) -> Analysis {
        let resolver = DocumentResolver { open };
        let req = nest_driver::CompileRequest {
            name,
            text,
            resolver: &resolver,
            params: &[],
        };
        let out = nest_driver::analyze(&req);
        let file = out
            .sources
            .files()
            .find(|(_, f)| f.name == name)
            .map_or(FileId(0), |(id, _)| id);
        Analysis {
            text: text.to_string(),
            out,
            file,
        }
    }

    /// The byte offset of an editor position in the document.
    pub(crate) fn offset(&self, pos: lsp_types::Position) -> usize {
        LineIndex::new(&self.text).offset(pos)
    }

    /// The editor range of a span in the document itself.
    pub(crate) fn range(&self, span: Span) -> Range {
        LineIndex::new(&self.text).range(span.start as usize, span.end as usize)
    }

    /// Where a span is, in any file of the analysis: the document, an imported file,
    /// or a stdlib module (written to the cache folder on demand).
    pub(crate) fn location(&self, span: Span) -> Option<Location> {
        let source = self
            .out
            .sources
            .files()
            .find(|(id, _)| *id == span.file)
            .map(|(_, f)| f)?;
        let path = if source.name.starts_with("std::") {
            stdlib_files::file_for(&source.name)?
        } else {
            let p = std::path::PathBuf::from(&source.name);
            if p.is_absolute() {
                p
            } else {
                std::env::current_dir().ok()?.join(p)
            }
        };
        let target: Uri = uri::from_path(&path)?;
        let range = LineIndex::new(&source.text).range(span.start as usize, span.end as usize);
        Some(Location { uri: target, range })
    }
}
