//! The checker's diagnostics as LSP diagnostics: the same code and message as the
//! CLI, help and notes appended, secondary labels as related information.

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position, Range,
};
use nest_diagnostics::{Diagnostic, Severity};

use crate::analysis::Analysis;

/// The diagnostics of the document itself. Those in other files (an imported file
/// with errors) are shown at the top of the document, named by their location.
pub(crate) fn for_document(analysis: &Analysis) -> Vec<lsp_types::Diagnostic> {
    analysis
        .out
        .diagnostics
        .iter()
        .map(|d| convert(analysis, d))
        .collect()
}

fn convert(analysis: &Analysis, d: &Diagnostic) -> lsp_types::Diagnostic {
    let mut message = d.message.clone();
    let primary = d.primary_span();
    let (range, elsewhere) = match primary {
        Some(span) if span.file == analysis.file => (analysis.range(span), None),
        Some(span) => (Range::default(), Some(analysis.out.sources.location(span))),
        None => (
            Range {
                start: Position::default(),
                end: Position::default(),
            },
            None,
        ),
    };
    if let Some(at) = elsewhere {
        message = format!("{at}: {message}");
    }
    if let Some(label) = d
        .labels
        .iter()
        .find(|l| l.primary && !l.message.is_empty() && l.message != d.message)
    {
        message.push_str(&format!("\n{}", label.message));
    }
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter(|l| !l.primary)
        .filter_map(|l| {
            let location = analysis.location(l.span)?;
            Some(DiagnosticRelatedInformation {
                location,
                message: l.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("nestc".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}
