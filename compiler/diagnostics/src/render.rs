//! Rendering diagnostics: ariadne for people, JSON for tools.
//!
//! Both are deterministic: diagnostics come out in the order given. Spans that point
//! past the end of their file (or into the middle of a character) are clamped, and a
//! span into a file the map does not hold is shown without an excerpt, so rendering
//! never panics.

use std::fmt;

use ariadne::{
    Cache, CharSet, Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind, Source,
};
use serde_json::{json, Value};

use crate::{Diagnostic, FileId, Severity, SourceFile, SourceMap, Span};

/// Renders diagnostics for a terminal, with source excerpts, optionally coloured.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut cache = MapCache::new(sources);
    let mut out = String::new();
    for diag in diags {
        out.push_str(&render_one(diag, &mut cache, color));
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
fn render_one(diag: &Diagnostic, cache: &mut MapCache<'_>, color: bool) -> String {
    let kind = match diag.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let shown: Vec<_> = diag
        .labels
        .iter()
        .filter_map(|l| cache.clamp(l.span).map(|range| (l, (l.span.file, range))))
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
    if report.finish().write(&mut *cache, &mut buf).is_err() {
        return plain_header(diag);
    }
    String::from_utf8_lossy(&buf).into_owned()
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

/// The files of a [`SourceMap`] as an ariadne cache, keyed by [`FileId`].
struct MapCache<'a> {
    files: Vec<(FileId, &'a str, &'a str, Source<&'a str>)>,
}

impl<'a> MapCache<'a> {
    fn new(map: &'a SourceMap) -> Self {
        let files = map
            .files()
            .map(|(id, f)| {
                (
                    id,
                    f.name.as_str(),
                    f.text.as_str(),
                    Source::from(f.text.as_str()),
                )
            })
            .collect();
        MapCache { files }
    }

    fn text(&self, id: FileId) -> Option<&'a str> {
        self.files
            .iter()
            .find(|(f, _, _, _)| *f == id)
            .map(|(_, _, text, _)| *text)
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
}

impl<'a> Cache<FileId> for MapCache<'a> {
    type Storage = &'a str;

    fn fetch(&mut self, id: &FileId) -> Result<&Source<&'a str>, impl fmt::Debug> {
        self.files
            .iter()
            .find(|(f, _, _, _)| f == id)
            .map(|(_, _, _, s)| s)
            .ok_or("unknown file")
    }

    fn display<'b>(&self, id: &'b FileId) -> Option<impl fmt::Display + 'b> {
        self.files
            .iter()
            .find(|(f, _, _, _)| f == id)
            .map(|(_, name, _, _)| name.to_string())
    }
}
