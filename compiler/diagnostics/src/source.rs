//! Source files and byte spans into them.

use serde::Serialize;

/// Identifies one source file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub struct Span {
    /// The file the span points into.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span of `start..end` in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both (they must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The byte range, for slicing source text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One source file: its display name (as given, never an absolute path unless the
/// user wrote one) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics, e.g. `examples/swap.ns` or `std::erc20`.
    pub name: String,
    /// The file's text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Makes a source file and indexes its lines.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = line_starts(&text);
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// The byte offset of a 1-based line and column (in characters), the inverse of
    /// [`SourceFile::line_col`]; None outside the text.
    pub fn offset_of(&self, line: usize, col: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let rest = &self.text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let col = col.checked_sub(1)?;
        match line_text.char_indices().nth(col) {
            Some((i, _)) => Some(start + i),
            None if col == line_text.chars().count() => Some(start + line_text.len()),
            None => None,
        }
    }

    /// The span from a 1-based line and column to the end of that line's code (before
    /// a `//` comment, without trailing spaces): a statement's extent when only its
    /// start is known.
    pub fn rest_of_line(&self, file: FileId, line: usize, col: usize) -> Option<Span> {
        let start = self.offset_of(line, col)?;
        let rest = &self.text[start..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let mut in_string = false;
        let mut escaped = false;
        let mut code_end = line_text.len();
        for (i, c) in line_text.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '/' if !in_string && line_text[i..].starts_with("//") => {
                    code_end = i;
                    break;
                }
                _ => {}
            }
        }
        let end = start + line_text[..code_end].trim_end().len();
        Some(Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        })
    }
}

/// All files of one compilation, addressed by [`FileId`].
///
/// [`SourceMap::add`] gives a file the next id in order (its position in the map);
/// [`SourceMap::add_fixed`] adds a file under an id chosen by the caller, from
/// [`FileId::FIXED`] upward (the checker gives each built-in stdlib module its own, so
/// that its parse is the same in every compilation). [`SourceMap::files`] lists files
/// in the order they were added either way, and [`SourceMap::position`] numbers them
/// in that order (artifacts' source maps count files so).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Each file's id, in the same order (the position, unless added with a fixed id).
    ids: Vec<FileId>,
}

impl FileId {
    /// The first id [`SourceMap::add_fixed`] takes; [`SourceMap::add`] gives ids below it.
    pub const FIXED: u32 = 1 << 31;
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file and returns its id: its position in the map.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        debug_assert!(id.0 < FileId::FIXED);
        self.push(id, name.into(), text.into())
    }

    /// Adds a file under `id` (at least [`FileId::FIXED`], and not in the map yet), so
    /// that its spans do not depend on what was added before it.
    pub fn add_fixed(
        &mut self,
        id: FileId,
        name: impl Into<String>,
        text: impl Into<String>,
    ) -> FileId {
        assert!(
            id.0 >= FileId::FIXED && !self.ids.contains(&id),
            "{id:?} is not free"
        );
        self.push(id, name.into(), text.into())
    }

    fn push(&mut self, id: FileId, name: String, text: String) -> FileId {
        self.files.push(SourceFile::new(name, text));
        self.ids.push(id);
        id
    }

    /// Where a file is in the order files were added (its index in [`SourceMap::files`]);
    /// `None` for an id the map does not hold.
    pub fn position(&self, id: FileId) -> Option<usize> {
        let at = id.0 as usize;
        if self.ids.get(at) == Some(&id) {
            return Some(at);
        }
        self.ids.iter().position(|f| *f == id)
    }

    /// Whether the map holds a file with this id.
    pub fn contains(&self, id: FileId) -> bool {
        self.position(id).is_some()
    }

    /// The file with this id (which must be in the map).
    pub fn get(&self, id: FileId) -> &SourceFile {
        let at = self
            .position(id)
            .unwrap_or_else(|| panic!("{id:?} is not in the source map"));
        &self.files[at]
    }

    /// All files in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.ids.iter().copied().zip(&self.files)
    }

    /// `file:line:col` of a span's start, as reports and source maps print it.
    pub fn location(&self, span: Span) -> String {
        let f = self.get(span.file);
        let (line, col) = f.line_col(span.start as usize);
        format!("{}:{}:{}", f.name, line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_of_inverts_line_col() {
        let f = SourceFile::new("a.ns", "let a = 1\n  é = \"x//\"  // note\n\nend");
        for offset in [0, 4, 10, 12, 14, 21, 23, 26] {
            if !f.text.is_char_boundary(offset) {
                continue;
            }
            let (line, col) = f.line_col(offset);
            assert_eq!(f.offset_of(line, col), Some(offset), "offset {offset}");
        }
        assert_eq!(f.offset_of(9, 1), None);
        assert_eq!(f.offset_of(1, 40), None);
        let s = f.rest_of_line(FileId(0), 2, 3).unwrap();
        assert_eq!(&f.text[s.start as usize..s.end as usize], "é = \"x//\"");
    }

    #[test]
    fn fixed_ids_keep_other_files_numbered_by_position() {
        let mut map = SourceMap::new();
        let a = map.add("a.ns", "a");
        let std = map.add_fixed(FileId(FileId::FIXED + 3), "std::x", "x");
        let b = map.add("b.ns", "b");
        assert_eq!((a, b), (FileId(0), FileId(2)));
        assert_eq!(map.get(std).name, "std::x");
        assert_eq!(map.get(b).name, "b.ns");
        assert_eq!(map.position(std), Some(1));
        assert_eq!(map.position(FileId(FileId::FIXED)), None);
        let ids: Vec<FileId> = map.files().map(|(id, _)| id).collect();
        assert_eq!(ids, [a, std, b]);
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let f = SourceFile::new("f.ns", "a\nb\r\nc\rd");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(2), (2, 1));
        assert_eq!(f.line_col(5), (3, 1));
        assert_eq!(f.line_col(7), (4, 1));
    }
}

/// The byte offset where each line of `text` starts (the first is 0). Lines end at `\n`,
/// and at a `\r` not followed by `\n`, as editors and the LSP specification count them.
pub fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    starts.extend(bytes.iter().enumerate().filter_map(|(i, b)| {
        let lone_cr = *b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        (*b == b'\n' || lone_cr).then_some(i + 1)
    }));
    starts
}
