//! The server's state and its message loop: documents in, diagnostics and answers out.
//! One thread; each edit re-checks the edited document (checking is fast and pure).

use std::collections::HashMap;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{PublishDiagnosticsParams, TextEdit, Uri};
use nest_check::index::Index;
use serde_json::Value;

use crate::analysis::Analysis;
use crate::text::LineIndex;
use crate::{completion, definition, diagnostics, hover, signature, symbols, uri};

/// Open documents and their latest analyses.
#[derive(Default)]
pub struct State {
    /// Text of each open document, by name (its path), for the import resolver.
    texts: HashMap<String, String>,
    /// The analysis of each open document, by URI.
    analyses: HashMap<Uri, Analysis>,
    /// The index of each document's last analysis without syntax errors.
    last_good: HashMap<Uri, Index>,
}

/// Runs the loop until the client asks to exit.
pub(crate) fn main_loop(connection: &Connection) -> Result<(), crate::ServerError> {
    let mut state = State::default();
    for msg in &connection.receiver {
        match msg {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = state.answer(request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) => {
                for out in state.notify(n) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn parse<P: serde::de::DeserializeOwned>(params: Value) -> Option<P> {
    serde_json::from_value(params).ok()
}

impl State {
    /// Handles a notification; returns the notifications to send back (diagnostics).
    pub fn notify(&mut self, n: Notification) -> Vec<Notification> {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Some(p) = parse::<lsp_types::DidOpenTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                self.update(
                    p.text_document.uri,
                    p.text_document.text,
                    Some(p.text_document.version),
                )
            }
            notif::DidChangeTextDocument::METHOD => {
                let Some(p) = parse::<lsp_types::DidChangeTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                let Some(text) = self.apply_changes(&p.text_document.uri, p.content_changes) else {
                    return Vec::new();
                };
                self.update(p.text_document.uri, text, Some(p.text_document.version))
            }
            notif::DidCloseTextDocument::METHOD => {
                let Some(p) = parse::<lsp_types::DidCloseTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                self.texts.remove(&uri::document_name(&p.text_document.uri));
                self.analyses.remove(&p.text_document.uri);
                self.last_good.remove(&p.text_document.uri);
                vec![publish(p.text_document.uri, Vec::new(), None)]
            }
            _ => Vec::new(),
        }
    }

    /// Applies edits (whole-text or ranged) to a document's current text.
    fn apply_changes(
        &self,
        doc: &Uri,
        changes: Vec<lsp_types::TextDocumentContentChangeEvent>,
    ) -> Option<String> {
        let mut text = self.texts.get(&uri::document_name(doc))?.clone();
        for change in changes {
            match change.range {
                None => text = change.text,
                Some(range) => {
                    let lines = LineIndex::new(&text);
                    let (start, end) = (lines.offset(range.start), lines.offset(range.end));
                    if start <= end && text.is_char_boundary(start) && text.is_char_boundary(end) {
                        text.replace_range(start..end, &change.text);
                    }
                }
            }
        }
        Some(text)
    }

    /// Stores a document's new text, re-checks it and returns its diagnostics.
    pub fn update(&mut self, doc: Uri, text: String, version: Option<i32>) -> Vec<Notification> {
        let name = uri::document_name(&doc);
        self.texts.insert(name.clone(), text.clone());
        let analysis = Analysis::run(&name, &text, &self.texts);
        let diags = diagnostics::for_document(&analysis);
        if !analysis
            .out
            .diagnostics
            .iter()
            .any(|d| d.code.starts_with("E01"))
        {
            self.last_good
                .insert(doc.clone(), analysis.out.index.clone());
        }
        self.analyses.insert(doc.clone(), analysis);
        let mut out = vec![publish(doc.clone(), diags, version)];
        out.extend(self.recheck_importers(&doc, &name));
        out
    }

    /// Re-checks the other open documents that import the file `name`, whose
    /// diagnostics may have changed with it.
    fn recheck_importers(&mut self, changed: &Uri, name: &str) -> Vec<Notification> {
        let importers: Vec<Uri> = self
            .analyses
            .iter()
            .filter(|(u, a)| {
                *u != changed
                    && a.out
                        .sources
                        .files()
                        .any(|(id, f)| id != a.file && f.name == name)
            })
            .map(|(u, _)| u.clone())
            .collect();
        let mut out = Vec::new();
        for doc in importers {
            let Some(text) = self.texts.get(&uri::document_name(&doc)).cloned() else {
                continue;
            };
            let analysis = Analysis::run(&uri::document_name(&doc), &text, &self.texts);
            out.push(publish(
                doc.clone(),
                diagnostics::for_document(&analysis),
                None,
            ));
            self.analyses.insert(doc, analysis);
        }
        out
    }

    /// Answers a request.
    pub fn answer(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        if request.method == req::Formatting::METHOD {
            return self.format(request);
        }
        match self.dispatch(request) {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => {
                Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
            }
        }
    }

    /// Formats a document: the edits, or an error (`RequestFailed`) saying why the
    /// document was not formatted (syntax errors, nesting past the parser's limit).
    fn format(&mut self, request: Request) -> Response {
        let id = request.id;
        let p: lsp_types::DocumentFormattingParams = match serde_json::from_value(request.params) {
            Ok(p) => p,
            Err(e) => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::InvalidParams as i32,
                    format!("invalid parameters for `{}`: {e}", req::Formatting::METHOD),
                )
            }
        };
        let Some(a) = self.analysis(&p.text_document.uri) else {
            return Response::new_ok(id, Value::Null);
        };
        match nest_fmt::format(&a.text) {
            Ok(formatted) if formatted == a.text => Response::new_ok(id, Vec::<TextEdit>::new()),
            Ok(formatted) => Response::new_ok(
                id,
                vec![TextEdit {
                    range: LineIndex::new(&a.text).whole(),
                    new_text: formatted,
                }],
            ),
            Err(e) => Response::new_err(
                id,
                lsp_server::ErrorCode::RequestFailed as i32,
                format!("the document was not formatted: {e}"),
            ),
        }
    }

    fn dispatch(&mut self, request: Request) -> Result<Value, String> {
        let Request { method, params, .. } = request;
        let bad = |e: serde_json::Error| format!("invalid parameters for `{method}`: {e}");
        let json = |v: Result<Value, serde_json::Error>| v.map_err(|e| e.to_string());
        match method.as_str() {
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = serde_json::from_value(params).map_err(bad)?;
                let at = p.text_document_position_params;
                json(serde_json::to_value(
                    self.analysis(&at.text_document.uri)
                        .and_then(|a| hover::hover(a, at.position)),
                ))
            }
            req::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams =
                    serde_json::from_value(params).map_err(bad)?;
                let at = p.text_document_position_params;
                let loc = self
                    .analysis(&at.text_document.uri)
                    .and_then(|a| definition::definition(a, at.position));
                json(serde_json::to_value(
                    loc.map(lsp_types::GotoDefinitionResponse::Scalar),
                ))
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = serde_json::from_value(params).map_err(bad)?;
                let at = p.text_document_position;
                let doc = &at.text_document.uri;
                let items = self
                    .analysis(doc)
                    .map(|a| completion::complete(a, self.last_good.get(doc), at.position))
                    .unwrap_or_default();
                json(serde_json::to_value(lsp_types::CompletionResponse::Array(
                    items,
                )))
            }
            req::SignatureHelpRequest::METHOD => {
                let p: lsp_types::SignatureHelpParams =
                    serde_json::from_value(params).map_err(bad)?;
                let at = p.text_document_position_params;
                let doc = &at.text_document.uri;
                let help = self.analysis(doc).and_then(|a| {
                    signature::signature_help(a, self.last_good.get(doc), at.position)
                });
                json(serde_json::to_value(help))
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams =
                    serde_json::from_value(params).map_err(bad)?;
                let syms = self
                    .analysis(&p.text_document.uri)
                    .map(|a| symbols::document_symbols(&a.text));
                json(serde_json::to_value(
                    syms.map(lsp_types::DocumentSymbolResponse::Nested),
                ))
            }
            _ => Err(format!("unsupported request `{method}`")),
        }
    }

    fn analysis(&self, doc: &Uri) -> Option<&Analysis> {
        self.analyses.get(doc)
    }
}

fn publish(
    doc: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Notification {
    let params = PublishDiagnosticsParams {
        uri: doc,
        diagnostics,
        version,
    };
    Notification::new(notif::PublishDiagnostics::METHOD.to_string(), params)
}

/// Makes a request id for tests and benches.
pub fn request_id(n: i32) -> RequestId {
    RequestId::from(n)
}
