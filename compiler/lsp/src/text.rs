//! Byte offsets to LSP positions and back. LSP counts columns in UTF-16 code units.

use lsp_types::{Position, Range};

/// The line starts of one text, for converting positions.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = nest_diagnostics::line_starts(text);
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let col: usize = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position {
            line: line as u32,
            character: col as u32,
        }
    }

    /// The range of bytes `start..end`.
    pub(crate) fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end),
        }
    }

    /// The byte offset of `pos` (clamped to its line and to the text).
    pub(crate) fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let line_end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |&s| s - 1);
        let mut units = 0usize;
        for (i, c) in self.text.get(start..line_end).unwrap_or("").char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        line_end
    }

    /// The range covering the whole text.
    pub(crate) fn whole(&self) -> Range {
        self.range(0, self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_utf16_columns() {
        let text = "a\n€x = 1\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        assert_eq!(
            idx.position(x),
            Position {
                line: 1,
                character: 1
            }
        );
        assert_eq!(
            idx.offset(Position {
                line: 1,
                character: 1
            }),
            x
        );
        assert_eq!(
            idx.offset(Position {
                line: 9,
                character: 0
            }),
            text.len()
        );
    }
}
