//! The stdio transport: `lsp_server`'s message types over stdin and stdout, with limits.
//!
//! `lsp_server::Connection::stdio` allocates whatever `Content-Length` a client announces,
//! so one bad header aborts the process, and stops at the first message it cannot
//! decode. Here a header line is at most [`MAX_HEADER_LINE`] bytes and a message at
//! most [`MAX_MESSAGE`]; a client that sends more, or breaks the framing, is refused
//! with an error (the server then stops, as it does when stdin closes: the stream
//! cannot be resynchronised). A well-framed message whose body cannot be decoded (not
//! JSON, not UTF-8, a lone surrogate) is answered with a JSON-RPC parse error
//! (-32700, id null), one that is JSON but not a message with an invalid-request error
//! (-32600), and a batch (`[…]`, which LSP does not use) with an invalid-request error
//! too, as JSON-RPC 2.0 allows a server that does not handle batches; the server
//! carries on with the next message.

use crossbeam_channel::{bounded, select, Receiver, Sender};
use lsp_server::Message;
use serde_json::{json, Value};
use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

/// The largest message accepted: far beyond any source file an editor sends.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// The longest header line accepted.
const MAX_HEADER_LINE: usize = 1024;

/// The two threads moving messages; join them when the server is done.
pub struct IoThreads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads; the reader's error (a refused message) comes first.
    pub fn join(self) -> io::Result<()> {
        let read = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader thread panicked")));
        let write = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the writer thread panicked")));
        read.and(write)
    }
}

/// A connection over stdin and stdout, and the threads that serve it.
pub fn stdio() -> (lsp_server::Connection, IoThreads) {
    connect(io::BufReader::new(io::stdin()), io::stdout())
}

/// A connection reading framed messages from `input` and writing to `output`, and the
/// threads that serve it (stdio, or any stream in tests).
pub fn connect(
    mut input: impl BufRead + Send + 'static,
    mut output: impl Write + Send + 'static,
) -> (lsp_server::Connection, IoThreads) {
    let (to_server, receiver) = bounded::<Message>(0);
    let (sender, from_server) = bounded::<Message>(0);
    let (refusals, refused) = bounded::<Value>(0);
    let reader = std::thread::spawn(move || read_loop(&mut input, &to_server, &refusals));
    let writer = std::thread::spawn(move || write_loop(&mut output, &from_server, &refused));
    (
        lsp_server::Connection { sender, receiver },
        IoThreads { reader, writer },
    )
}

fn read_loop(
    input: &mut impl BufRead,
    to_server: &Sender<Message>,
    refusals: &Sender<Value>,
) -> io::Result<()> {
    while let Some(body) = read_frame(input)? {
        match decode(&body) {
            Ok(message) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if to_server.send(message).is_err() || is_exit {
                    break;
                }
            }
            Err(refusal) => {
                if refusals.send(refusal.response()).is_err() {
                    break;
                }
            }
        }
    }
    Ok(())
}

fn write_loop(
    output: &mut impl Write,
    from_server: &Receiver<Message>,
    refused: &Receiver<Value>,
) -> io::Result<()> {
    let mut refusals_open = true;
    loop {
        if refusals_open {
            select! {
                recv(from_server) -> m => match m {
                    Ok(message) => message.write(output)?,
                    Err(_) => return Ok(()),
                },
                recv(refused) -> r => match r {
                    Ok(response) => write_json(output, &response)?,
                    Err(_) => refusals_open = false,
                },
            }
        } else {
            match from_server.recv() {
                Ok(message) => message.write(output)?,
                Err(_) => return Ok(()),
            }
        }
    }
}

fn write_json(output: &mut impl Write, value: &Value) -> io::Result<()> {
    let text = value.to_string();
    write!(output, "Content-Length: {}\r\n\r\n", text.len())?;
    output.write_all(text.as_bytes())?;
    output.flush()
}

/// A message body that was refused, and how to answer it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The JSON-RPC error code: -32700 (parse error) or -32600 (invalid request).
    pub code: i32,
    /// Why, for the client's log.
    pub message: String,
    /// The request's id when it could be read, else null.
    pub id: Value,
}

impl Refusal {
    /// The JSON-RPC error response.
    pub fn response(&self) -> Value {
        json!({
            "jsonrpc": "2.0",
            "id": self.id,
            "error": { "code": self.code, "message": self.message },
        })
    }
}

/// Decodes a message body.
pub fn decode(body: &[u8]) -> Result<Message, Refusal> {
    let value: Value = serde_json::from_slice(body).map_err(|e| Refusal {
        code: lsp_server::ErrorCode::ParseError as i32,
        message: format!("parse error: the message is not valid JSON text in UTF-8 ({e})"),
        id: Value::Null,
    })?;
    let invalid = |message: String, id: Value| Refusal {
        code: lsp_server::ErrorCode::InvalidRequest as i32,
        message,
        id,
    };
    if value.is_array() {
        return Err(invalid(
            "invalid request: JSON-RPC batches are not supported by this server".into(),
            Value::Null,
        ));
    }
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    let well_formed = match &value {
        Value::Object(o) => match o.get("method") {
            Some(method) => method.is_string(),
            // A response: an id, and a result or an error.
            None => o.contains_key("id") && (o.contains_key("result") || o.contains_key("error")),
        },
        _ => false,
    };
    if !well_formed {
        return Err(invalid(
            "invalid request: not a JSON-RPC request, notification or response".into(),
            id,
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| invalid(format!("invalid request: not a JSON-RPC message ({e})"), id))
}

/// Reads one framed message; `None` at the end of the input. Errors on a message
/// that cannot be decoded (see [`read_frame`] and [`decode`]).
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Message>> {
    let Some(body) = read_frame(input)? else {
        return Ok(None);
    };
    decode(&body)
        .map(Some)
        .map_err(|r| invalid(format!("malformed LSP payload: {}", r.message)))
}

/// Reads one message's body by its headers; `None` at the end of the input. A header
/// that breaks the framing or announces too much is an error.
pub fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut length = None;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if line.len() > MAX_HEADER_LINE || !line.ends_with(b"\r\n") {
            return Err(invalid(format!(
                "malformed header line (at most {MAX_HEADER_LINE} bytes, ending in CRLF)"
            )));
        }
        let line = String::from_utf8_lossy(&line[..line.len() - 2]).into_owned();
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(": ") else {
            return Err(invalid(format!("malformed header: {line:?}")));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            let size: usize = value
                .trim()
                .parse()
                .map_err(|_| invalid(format!("bad Content-Length: {value:?}")))?;
            if size > MAX_MESSAGE {
                return Err(invalid(format!(
                    "a message of {size} bytes exceeds the limit of {MAX_MESSAGE}"
                )));
            }
            length = Some(size);
        }
    }
    let length = length.ok_or_else(|| invalid("a message without Content-Length".into()))?;
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(body))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> io::Result<Option<Message>> {
        read_message(&mut io::Cursor::new(bytes.to_vec()))
    }

    #[test]
    fn a_message_is_read_and_the_end_is_none() {
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let text = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let msg = read(text.as_bytes()).unwrap().unwrap();
        assert!(matches!(msg, Message::Notification(n) if n.method == "exit"));
        assert!(read(b"").unwrap().is_none());
    }

    #[test]
    fn huge_or_malformed_headers_are_refused_without_allocating() {
        let huge = read(b"Content-Length: 99999999999\r\n\r\n{}").unwrap_err();
        assert!(huge.to_string().contains("exceeds the limit"), "{huge}");
        assert!(read(b"Content-Length: x\r\n\r\n").is_err());
        assert!(read(b"\r\n{}").is_err());
        let long = [b"X-Long: ".as_slice(), &[b'a'; 5000], b"\r\n"].concat();
        assert!(read(&long).is_err());
    }

    #[test]
    fn undecodable_bodies_are_parse_errors_and_batches_invalid_requests() {
        let code = |body: &[u8]| decode(body).map(|_| ()).map_err(|r| (r.code, r.id));
        let parse_error = Err((-32700, Value::Null));
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":1,"method":"\ud800"}"#),
            parse_error
        );
        assert_eq!(
            code(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\"}"),
            parse_error
        );
        assert_eq!(code(b"{"), parse_error);
        assert_eq!(code(b""), parse_error);
        let batch = br#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#;
        assert_eq!(code(batch), Err((-32600, Value::Null)));
        assert_eq!(code(b"[]"), Err((-32600, Value::Null)));
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            Err((-32600, json!(7)))
        );
        assert_eq!(
            code(br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
            Ok(())
        );
    }
}
