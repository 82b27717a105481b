//! `nest-lsp`: the Nest language server (`nestc lsp`), over stdio.
//!
//! Diagnostics on open and change (the same codes and messages as the CLI), hover,
//! go to definition (into imported files and the stdlib), completion, signature
//! help, document symbols and formatting (through `nest-fmt`). Every answer comes
//! from one check of the document (`nest_driver::analyze`) and its semantic index;
//! the server never panics on partial input because the parser and checker never do.
//!
//! The file system is touched in two places only: imports of files that are not
//! open in the editor are read from disk, and the stdlib is written to a cache
//! folder so that its definitions can be opened (see [`stdlib_files`]).
// This crate meets the outside world (an editor: files on disk, standard input and output):
// it may use the file system, network and environment that clippy.toml keeps out of the
// pipeline.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]
// Unit-test builds also see the dev-dependencies the crate's other targets use.
#![cfg_attr(test, allow(unused_crate_dependencies))]

mod analysis;
mod builtins;
mod completion;
mod context;
mod definition;
mod diagnostics;
mod hover;
mod resolver;
mod scope;
mod server;
mod signature;
pub mod stdlib_files;
mod symbols;
mod text;
pub mod transport;
mod uri;

use lsp_server::Connection;
use lsp_types::{
    CompletionOptions, HoverProviderCapability, OneOf, ServerCapabilities, ServerInfo,
    SignatureHelpOptions, TextDocumentSyncCapability, TextDocumentSyncKind,
};

pub use server::{request_id, State};

/// Why the server stopped abnormally.
pub type ServerError = Box<dyn std::error::Error + Send + Sync>;

/// What the server can do, as sent in the `initialize` answer.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), ":".to_string()]),
            ..CompletionOptions::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".to_string(), ",".to_string()]),
            ..SignatureHelpOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Serves one client on `connection`: the `initialize` handshake, then requests and
/// notifications until `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), ServerError> {
    let init = lsp_types::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "nestc".to_string(),
            version: Some(nest_driver::COMPILER_VERSION.to_string()),
        }),
    };
    let (id, _params) = connection.initialize_start()?;
    connection.initialize_finish(id, serde_json::to_value(init)?)?;
    server::main_loop(connection)
}

/// The stack of the thread that checks documents: deeply nested input recurses deeply
/// in the parser, and a half-typed file must not crash the editor's server.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Serves a client over stdin and stdout (`nestc lsp`).
pub fn run_stdio() -> Result<(), ServerError> {
    let worker = std::thread::Builder::new()
        .name("nest-lsp".to_string())
        .stack_size(STACK_SIZE)
        .spawn(|| {
            let (connection, io_threads) = transport::stdio();
            let served = serve(&connection);
            drop(connection);
            // A refused message stops the reader and so the server: its reason comes first.
            io_threads.join()?;
            served
        })?;
    worker
        .join()
        .map_err(|_| ServerError::from("the language server thread panicked"))?
}
