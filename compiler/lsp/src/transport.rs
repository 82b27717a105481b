//! The stdio transport: `lsp_server`'s message types over stdin and stdout, with limits.
//!
//! `lsp_server::Connection::stdio` allocates whatever `Content-Length` a client announces,
//! so one bad header aborts the process. Here a header line is at most
//! [`MAX_HEADER_LINE`] bytes and a message at most [`MAX_MESSAGE`]; a client that sends
//! more is refused with an error (the server then stops, as it does when stdin closes).

use crossbeam_channel::{bounded, Receiver, Sender};
use lsp_server::Message;
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
    let (to_server, receiver) = bounded::<Message>(0);
    let (sender, from_server) = bounded::<Message>(0);
    let reader = std::thread::spawn(move || read_loop(&mut io::stdin().lock(), &to_server));
    let writer = std::thread::spawn(move || write_loop(&mut io::stdout().lock(), &from_server));
    (
        lsp_server::Connection { sender, receiver },
        IoThreads { reader, writer },
    )
}

fn read_loop(input: &mut impl BufRead, to_server: &Sender<Message>) -> io::Result<()> {
    while let Some(message) = read_message(input)? {
        let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to_server.send(message).is_err() || is_exit {
            break;
        }
    }
    Ok(())
}

fn write_loop(output: &mut impl Write, from_server: &Receiver<Message>) -> io::Result<()> {
    for message in from_server {
        message.write(output)?;
    }
    Ok(())
}

/// Reads one framed message; `None` at the end of the input.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Message>> {
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
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| invalid(format!("malformed LSP payload: {e}")))
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
}
