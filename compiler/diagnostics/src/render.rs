//! Rendering diagnostics: ariadne for people, JSON for tools.
//!
//! Both are deterministic: diagnostics come out in the order given. Spans that point
//! past the end of their file (or into the middle of a character) are clamped, and a
//! span into a file the map does not hold is shown without an excerpt, so rendering
//! never panics.
//!
//! Excerpts are inert and bounded: control, bidi and invisible characters in them are
//! shown as `<U+202E>` (so a terminal cannot reorder or hide the line being
//! reported; labels point at the escaped text), a line longer than [`LONG_LINE`]
//! characters is shown as windows of [`CONTEXT`] characters around each label's ends
//! joined by `…`, and at most [`MAX_PER_FILE`] diagnostics are rendered per file,
//! followed by a line saying how many more there are. JSON keeps every diagnostic.

use std::fmt;

use ariadne::{
    Cache, CharSet, Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind, Source,
};
use serde_json::{json, Value};

use crate::{Diagnostic, FileId, Severity, SourceFile, SourceMap, Span};

/// The most diagnostics rendered for one file (by the file of the primary label);
/// the rest are counted in a closing line. [`render_json`] keeps them all.
pub(crate) const MAX_PER_FILE: usize = 100;

/// Lines longer than this many characters are shown in windows around the labels.
pub(crate) const LONG_LINE: usize = 200;

/// The characters shown on each side of a label's start and end on a long line.
pub(crate) const CONTEXT: usize = 60;

/// Renders diagnostics for a terminal, with source excerpts, optionally coloured.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let cache = MapCache::new(sources);
    let mut out = String::new();
    // Per file (None: no label), how many were rendered and how many were not.
    let mut counts: Vec<(Option<FileId>, usize, usize, usize)> = Vec::new();
    for diag in diags {
        let file = diag
            .primary_span()
            .or_else(|| diag.labels.first().map(|l| l.span))
            .map(|s| s.file);
        let at = match counts.iter().position(|c| c.0 == file) {
            Some(i) => i,
            None => {
                counts.push((file, 0, 0, 0));
                counts.len() - 1
            }
        };
        let entry = &mut counts[at];
        if entry.1 < MAX_PER_FILE {
            entry.1 += 1;
            out.push_str(&render_one(diag, &cache, color));
        } else if diag.is_error() {
            entry.2 += 1;
        } else {
            entry.3 += 1;
        }
    }
    for (file, _, errors, warnings) in counts {
        if errors + warnings == 0 {
            continue;
        }
        let count = |n: usize, what: &str| match n {
            0 => None,
            1 => Some(format!("1 more {what}")),
            n => Some(format!("{n} more {what}s")),
        };
        let what = [count(errors, "error"), count(warnings, "warning")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ");
        let place = file
            .and_then(|f| cache.name(f))
            .map(|n| format!(" in `{}`", escape(n)))
            .unwrap_or_default();
        out.push_str(&format!(
            "{what}{place} not shown (the first {MAX_PER_FILE} are)\n"
        ));
    }
    out
}

/// Renders without colour (for snapshots and logs).
pub fn render_plain(diags: &[Diagnostic], sources: &SourceMap) -> String {
    render(diags, sources, false)
}

/// Renders as a JSON array, one object per diagnostic, with 1-based `line`/`col`
/// positions of the primary label and of every label.
pub fn render_json(diags: &[Diagnostic], sources: &SourceMap) -> serde_json::Value {
    let files: Vec<(FileId, &SourceFile)> = sources.files().collect();
    let find = |id: FileId| files.iter().find(|(f, _)| *f == id).map(|(_, file)| *file);
    let position = |span: Span| -> Value {
        match find(span.file) {
            Some(file) => {
                let (line, col) = file.line_col(span.start as usize);
                let (end_line, end_col) = file.line_col(span.end as usize);
                json!({ "file": file.name, "line": line, "col": col, "end_line": end_line, "end_col": end_col })
            }
            None => json!({ "file": Value::Null, "line": Value::Null, "col": Value::Null,
                            "end_line": Value::Null, "end_col": Value::Null }),
        }
    };
    let items = diags
        .iter()
        .map(|d| {
            let mut obj = serde_json::Map::new();
            obj.insert("severity".into(), json!(severity_word(d.severity)));
            obj.insert("code".into(), json!(d.code));
            obj.insert("message".into(), json!(d.message));
            let primary = d
                .primary_span()
                .or_else(|| d.labels.first().map(|l| l.span));
            let at = primary.map(position).unwrap_or_else(|| {
                json!({ "file": Value::Null, "line": Value::Null, "col": Value::Null,
                        "end_line": Value::Null, "end_col": Value::Null })
            });
            if let Value::Object(fields) = at {
                obj.extend(fields);
            }
            let labels: Vec<Value> = d
                .labels
                .iter()
                .map(|l| {
                    let mut label = match position(l.span) {
                        Value::Object(fields) => fields,
                        _ => serde_json::Map::new(),
                    };
                    label.insert("message".into(), json!(l.message));
                    label.insert("primary".into(), json!(l.primary));
                    Value::Object(label)
                })
                .collect();
            obj.insert("labels".into(), Value::Array(labels));
            obj.insert("notes".into(), json!(d.notes));
            obj.insert("help".into(), json!(d.help));
            Value::Object(obj)
        })
        .collect();
    Value::Array(items)
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One report; falls back to a header without excerpt when no label can be shown.
fn render_one(diag: &Diagnostic, files: &MapCache<'_>, color: bool) -> String {
    let kind = match diag.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let clamped: Vec<_> = diag
        .labels
        .iter()
        .filter_map(|l| files.clamp(l.span).map(|range| (l, l.span.file, range)))
        .collect();
    let mut cache = excerpts(&clamped, files);
    let headers = corrected_headers(&clamped, &cache, files);
    let shown: Vec<_> = clamped
        .iter()
        .filter_map(|(l, file, range)| {
            let view = cache.views.iter().find(|(f, _, _)| f == file)?;
            Some((*l, (*file, view.2.map(range.start)..view.2.map(range.end))))
        })
        .collect();
    let primary = shown
        .iter()
        .find(|(l, _)| l.primary)
        .or(shown.first())
        .map(|(_, s)| s.clone());
    let Some(primary) = primary else {
        return plain_header(diag);
    };
    let config = Config::default()
        .with_color(color)
        .with_index_type(IndexType::Byte)
        .with_char_set(CharSet::Unicode);
    let mut report = Report::build(kind, primary)
        .with_config(config)
        .with_code(diag.code)
        .with_message(&diag.message);
    for (label, span) in shown {
        let mut l = AriadneLabel::new(span)
            .with_message(&label.message)
            .with_order(if label.primary { 0 } else { 1 });
        if color {
            l = l.with_color(if label.primary {
                Color::Red
            } else {
                Color::Blue
            });
        }
        report = report.with_label(l);
    }
    for note in &diag.notes {
        report = report.with_note(note);
    }
    if let Some(help) = &diag.help {
        report = report.with_help(help);
    }
    let mut buf = Vec::new();
    if report.finish().write(&mut cache, &mut buf).is_err() {
        return plain_header(diag);
    }
    let out = String::from_utf8_lossy(&buf).into_owned();
    with_headers(out, &headers)
}

/// A label, its file and its byte range clamped to the file.
type Clamped<'d> = (&'d crate::Label, FileId, std::ops::Range<usize>);

/// The excerpts of one diagnostic: escaped, windowed, with the spans mapped into them.
fn excerpts<'m>(clamped: &[Clamped<'_>], files: &'m MapCache<'_>) -> ViewCache<'m> {
    let mut cache = ViewCache::default();
    for (_, file, _) in clamped {
        if cache.views.iter().any(|(f, _, _)| f == file) {
            continue;
        }
        let ranges: Vec<std::ops::Range<usize>> = clamped
            .iter()
            .filter(|(_, f, _)| f == file)
            .map(|(_, _, r)| r.clone())
            .collect();
        if let Some(view) = files.view(*file, &ranges) {
            cache
                .views
                .push((*file, files.name(*file).unwrap_or("").to_string(), view));
        }
    }
    cache
}

/// Where each label starts, as ariadne computes it on the excerpt and in the file: the
/// headers (`[ file:line:col ]`) to correct to the file's columns, as (shown, right).
fn corrected_headers(
    clamped: &[Clamped<'_>],
    cache: &ViewCache<'_>,
    files: &MapCache<'_>,
) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (_, file, range) in clamped {
        let Some((_, name, view)) = cache.views.iter().find(|(f, _, _)| f == file) else {
            continue;
        };
        if let (Some((vl, vc)), Some((ol, oc))) = (
            view.excerpt_line_col(view.map(range.start)),
            files.line_col(*file, range.start),
        ) {
            if (vl, vc) != (ol, oc) {
                headers.push((format!("{name}:{vl}:{vc} ]"), format!("{name}:{ol}:{oc} ]")));
            }
        }
    }
    headers
}

/// A rendered report with its `─[ file:line:col ]` headers corrected.
fn with_headers(out: String, headers: &[(String, String)]) -> String {
    if headers.is_empty() {
        return out;
    }
    out.split_inclusive('\n')
        .map(|line| {
            if !line.contains("─[") {
                return line.to_string();
            }
            let mut line = line.to_string();
            if let Some((from, to)) = headers
                .iter()
                .find(|(from, _)| line.contains(from.as_str()))
            {
                line = line.replacen(from.as_str(), to, 1);
            }
            line
        })
        .collect()
}

fn plain_header(diag: &Diagnostic) -> String {
    let mut out = format!(
        "[{}] {}: {}\n",
        diag.code,
        severity_word(diag.severity),
        diag.message
    );
    for note in &diag.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    if let Some(help) = &diag.help {
        out.push_str(&format!("  help: {help}\n"));
    }
    out
}

/// The files of a [`SourceMap`], with where their lines start.
struct MapCache<'a> {
    files: Vec<(FileId, &'a str, &'a str, Vec<usize>)>,
}

impl<'a> MapCache<'a> {
    fn new(map: &'a SourceMap) -> Self {
        let files = map
            .files()
            .map(|(id, f)| {
                let starts = std::iter::once(0)
                    .chain(f.text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect();
                (id, f.name.as_str(), f.text.as_str(), starts)
            })
            .collect();
        MapCache { files }
    }

    fn file(&self, id: FileId) -> Option<&(FileId, &'a str, &'a str, Vec<usize>)> {
        self.files.iter().find(|(f, _, _, _)| *f == id)
    }

    fn text(&self, id: FileId) -> Option<&'a str> {
        self.file(id).map(|(_, _, text, _)| *text)
    }

    /// The 1-based line and column (in characters) of byte `pos` of file `id`.
    fn line_col(&self, id: FileId, pos: usize) -> Option<(usize, usize)> {
        let (_, _, text, starts) = self.file(id)?;
        let line = match starts.binary_search(&pos) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let col = text.get(starts[line]..pos)?.chars().count();
        Some((line + 1, col + 1))
    }

    fn name(&self, id: FileId) -> Option<&'a str> {
        self.file(id).map(|(_, name, _, _)| *name)
    }

    /// The span as a byte range inside its file's text, on character boundaries.
    fn clamp(&self, span: Span) -> Option<std::ops::Range<usize>> {
        let text = self.text(span.file)?;
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(span.start as usize);
        let end = floor(span.end as usize).max(start);
        Some(start..end)
    }

    /// The excerpt of file `id` that shows `ranges` (clamped byte ranges): the lines
    /// they start and end on (and the line after a start, which ariadne shows inside
    /// a multi-line label), escaped and windowed; other lines between them are empty.
    fn view(&self, id: FileId, ranges: &[std::ops::Range<usize>]) -> Option<View<'_>> {
        let (_, _, text, starts) = self.file(id)?;
        let line_of = |pos: usize| match starts.binary_search(&pos) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut shown: Vec<usize> = Vec::new();
        for r in ranges {
            let (a, b) = (line_of(r.start), line_of(r.end));
            // Also the lines before: ariadne puts an offset at the start of a line (or
            // at the end of the file) at the end of the line before.
            let before = |p: usize| line_of(p.saturating_sub(1));
            shown.extend([a, b, before(r.start), before(r.end)]);
            if b > a {
                shown.push(a + 1);
            }
        }
        shown.sort_unstable();
        shown.dedup();
        // Lines before the first shown are kept (empty) so that ariadne numbers the
        // lines right (its margin ignores `Source::with_display_line_offset`).
        let (first, &last) = (0, shown.last()?);
        let mut out = String::new();
        let mut lines = Vec::new();
        for line in first..=last {
            if line > first {
                out.push('\n');
            }
            let start = starts[line];
            let end = starts.get(line + 1).map_or(text.len(), |s| s - 1);
            let raw = &text[start..end];
            let content = raw.strip_suffix('\r').unwrap_or(raw);
            let view_start = out.len();
            if shown.binary_search(&line).is_err() {
                lines.push(ViewLine {
                    start,
                    content_end: start,
                    view_start,
                    windows: Vec::new(),
                });
                continue;
            }
            let points: Vec<usize> = ranges
                .iter()
                .flat_map(|r| [r.start, r.end])
                .filter(|&p| p >= start && p <= start + content.len())
                .map(|p| p - start)
                .collect();
            let windows = windows(content, &points);
            let mut view_windows = Vec::new();
            let mut at = 0;
            for w in windows {
                if w.start > at {
                    out.push('…');
                }
                view_windows.push((w.clone(), out.len()));
                push_escaped(&mut out, &content[w.clone()]);
                at = w.end;
            }
            if at < content.len() {
                out.push('…');
            }
            lines.push(ViewLine {
                start,
                content_end: start + content.len(),
                view_start,
                windows: view_windows,
            });
        }
        if last + 1 < starts.len() {
            // The line ends in a newline in the file: so it does here (ariadne counts it).
            out.push('\n');
        }
        Some(View {
            source: Source::from(out.clone()),
            excerpt: out,
            lines,
            first,
            starts,
            text,
        })
    }
}

/// The windows of `line` to show: all of it when short, else [`CONTEXT`] characters
/// around each point (byte offsets in the line), merged, on character boundaries.
fn windows(line: &str, points: &[usize]) -> Vec<std::ops::Range<usize>> {
    if line.chars().count() <= LONG_LINE {
        return std::iter::once(0..line.len()).collect();
    }
    let back = |p: usize| {
        line[..p]
            .char_indices()
            .rev()
            .nth(CONTEXT - 1)
            .map_or(0, |(i, _)| i)
    };
    let forward = |p: usize| {
        line[p..]
            .char_indices()
            .nth(CONTEXT)
            .map_or(line.len(), |(i, _)| p + i)
    };
    let mut spans: Vec<std::ops::Range<usize>> =
        points.iter().map(|&p| back(p)..forward(p)).collect();
    spans.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in spans {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// True for characters an excerpt shows as `<U+XXXX>`: controls (but tab), bidi
/// controls, line and paragraph separators, and invisible formatting characters.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
}

/// `text` with hidden characters shown as `<U+XXXX>`.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// One line of a [`View`]: where it is in the file and in the excerpt.
struct ViewLine {
    /// Byte offset of the line in the file.
    start: usize,
    /// Byte offset of the end of its content (before `\r\n` or `\n`).
    content_end: usize,
    /// Byte offset of the line in the excerpt.
    view_start: usize,
    /// The windows shown (byte ranges in the line) and where each starts in the excerpt.
    windows: Vec<(std::ops::Range<usize>, usize)>,
}

/// An excerpt of a file for one diagnostic, and the map from the file's offsets to it.
struct View<'a> {
    source: Source<String>,
    /// The text of `source`.
    excerpt: String,
    lines: Vec<ViewLine>,
    first: usize,
    starts: &'a [usize],
    text: &'a str,
}

impl View<'_> {
    /// The 1-based line and column (in characters) of excerpt offset `at`, as ariadne
    /// shows them.
    fn excerpt_line_col(&self, at: usize) -> Option<(usize, usize)> {
        let before = self.excerpt.get(..at)?;
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Some((
            self.first + line + 1,
            before[line_start..].chars().count() + 1,
        ))
    }

    /// Where byte `pos` of the file is in the excerpt.
    fn map(&self, pos: usize) -> usize {
        let line = match self.starts.binary_search(&pos) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let Some(l) = line.checked_sub(self.first).and_then(|i| self.lines.get(i)) else {
            return self.source.len();
        };
        let in_line = pos.min(l.content_end) - l.start;
        let escaped_len = |r: std::ops::Range<usize>| {
            self.text
                .get(l.start + r.start..l.start + r.end)
                .unwrap_or("")
                .chars()
                .map(|c| {
                    if is_hidden(c) {
                        format!("<U+{:04X}>", c as u32).len()
                    } else {
                        c.len_utf8()
                    }
                })
                .sum::<usize>()
        };
        // The window holding the position (every label end is in one), else the end.
        for (w, at) in &l.windows {
            if w.start <= in_line && in_line <= w.end {
                return at + escaped_len(w.start..in_line);
            }
        }
        l.windows
            .last()
            .map_or(l.view_start, |(w, at)| at + escaped_len(w.clone()))
    }
}

/// The excerpts of one diagnostic, as an ariadne cache keyed by [`FileId`].
#[derive(Default)]
struct ViewCache<'a> {
    views: Vec<(FileId, String, View<'a>)>,
}

impl Cache<FileId> for ViewCache<'_> {
    type Storage = String;

    fn fetch(&mut self, id: &FileId) -> Result<&Source<String>, impl fmt::Debug> {
        self.views
            .iter()
            .find(|(f, _, _)| f == id)
            .map(|(_, _, v)| &v.source)
            .ok_or("unknown file")
    }

    fn display<'b>(&self, id: &'b FileId) -> Option<impl fmt::Display + 'b> {
        self.views
            .iter()
            .find(|(f, _, _)| f == id)
            .map(|(_, name, _)| name.clone())
    }
}
