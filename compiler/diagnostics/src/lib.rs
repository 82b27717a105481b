//! Diagnostics as data: spans into source files, labelled messages with a code,
//! notes and help, rendered in one place (ariadne for terminals, JSON for tools).
//!
//! Every stage of the compiler reports problems as [`Diagnostic`] values; nothing
//! below the CLI prints. Codes are grouped by stage (`E01xx` syntax, `E02xx` names,
//! `E03xx` types, `E04xx` permissions and safety, `E05xx` codegen and limits,
//! `E06xx` parameters and imports), and each has a long explanation in [`codes`].

pub mod codes;
mod render;
mod source;

pub use render::{render, render_json, render_plain};
pub use source::{line_starts, FileId, SourceFile, SourceMap, Span};

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is wrong; no output is produced.
    Error,
    /// Suspicious but accepted.
    Warning,
}

/// A span with a message attached, pointing at a piece of source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where the label points.
    pub span: Span,
    /// What the label says (may be empty).
    pub message: String,
    /// The primary label is the one the diagnostic is about; others give context.
    pub primary: bool,
}

/// One problem found in the input, with everything needed to render it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code such as `E0301`; `nestc explain` describes it.
    pub code: &'static str,
    /// Lower case, no full stop, code in backticks.
    pub message: String,
    /// Labelled spans; the first primary label is where the diagnostic points.
    pub labels: Vec<Label>,
    /// Why: background facts.
    pub notes: Vec<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a code and a message, and no labels yet.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// A warning with a code and a message.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Adds the primary label.
    pub fn with_primary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: true,
        });
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The span of the primary label, if any.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).map(|l| l.span)
    }

    /// True for errors (as opposed to warnings).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic in the list is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}
