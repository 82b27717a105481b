//! Drives the language server over an in-memory connection, as an editor does:
//! initialize, open a script with a type error, fix it, hover, go to definition,
//! complete, and format.

use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

const URI: &str = "file:///nonexistent/nest-lsp-test/swap.ns";

const BROKEN: &str = "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}
param a: USDC = 10 USDC
param b: WETH = 1 WETH
let c = a + b
return c
";

const FIXED: &str = "use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}
param a: USDC = 10 USDC
param b: WETH = 1 WETH
let c = a + a
return c
";

struct Client {
    conn: Connection,
    next_id: i32,
}

impl Client {
    fn start() -> (Client, std::thread::JoinHandle<()>) {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            nest_lsp::serve(&server).expect("the server stops cleanly");
        });
        let mut c = Client {
            conn: client,
            next_id: 0,
        };
        let init = c.request("initialize", json!({ "capabilities": {} }));
        assert_eq!(init["capabilities"]["textDocumentSync"], json!(1), "{init}");
        c.notify("initialized", json!({}));
        (c, handle)
    }

    fn recv(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("the server answers")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.response(method, params);
        assert!(r.error.is_none(), "{:?}", r.error);
        r.result.unwrap_or(Value::Null)
    }

    /// Sends a request and returns its response, error or not.
    fn response(&mut self, method: &str, params: Value) -> lsp_server::Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.conn
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_string(),
                params,
            )))
            .expect("send");
        loop {
            if let Message::Response(r) = self.recv() {
                assert_eq!(r.id, id);
                return r;
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Message::Notification(Notification::new(
                method.to_string(),
                params,
            )))
            .expect("send");
    }

    fn diagnostics(&self) -> Value {
        loop {
            if let Message::Notification(n) = self.recv() {
                if n.method == "textDocument/publishDiagnostics" {
                    return n.params;
                }
            }
        }
    }

    fn at(&self, line: u32, character: u32) -> Value {
        json!({ "textDocument": { "uri": URI }, "position": { "line": line, "character": character } })
    }

    fn change(&self, version: i32, text: &str) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": text }] }),
        );
        self.diagnostics()
    }

    fn stop(mut self, handle: std::thread::JoinHandle<()>) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        handle.join().expect("the server thread ends");
    }
}

fn labels(completions: &Value) -> Vec<String> {
    completions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn an_editor_session() {
    let cache = std::env::temp_dir().join(format!("nest-lsp-test-{}", std::process::id()));
    std::env::set_var("XDG_CACHE_HOME", &cache);
    let (mut c, handle) = Client::start();

    // A type error, on the line where it is, with its code.
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "nest", "version": 1, "text": BROKEN } }),
    );
    let diags = c.diagnostics();
    insta::assert_json_snapshot!("type_error", diags);
    assert_eq!(diags["diagnostics"][0]["code"], json!("E0302"));
    assert_eq!(diags["diagnostics"][0]["range"]["start"]["line"], json!(3));

    // Fixed: the diagnostics are cleared.
    let diags = c.change(2, FIXED);
    assert_eq!(diags["diagnostics"], json!([]), "{diags}");

    // Hover on the `USDC` of `param a: USDC` shows the token and its decimals.
    let hover = c.request("textDocument/hover", c.at(1, 10));
    insta::assert_json_snapshot!("hover_token", hover);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .contains("decimals 6"),
        "{hover}"
    );

    // Hover on a param of an amount type shows its type and value with the token.
    let hover = c.request("textDocument/hover", c.at(3, 8));
    insta::assert_json_snapshot!("hover_amount_param", hover["contents"]["value"]);

    // The router is defined in the stdlib, written to the cache folder.
    let def = c.request("textDocument/definition", c.at(0, 36));
    let target = def["uri"].as_str().unwrap_or("");
    assert!(target.ends_with("/nest/stdlib/0.1.0/ethereum.ns"), "{def}");
    let path = target.trim_start_matches("file://");
    let stdlib_text = std::fs::read_to_string(path).expect("the stdlib file is written");
    let line = def["range"]["start"]["line"].as_u64().unwrap_or(0) as usize;
    assert!(
        stdlib_text
            .lines()
            .nth(line)
            .unwrap_or("")
            .contains("UNISWAP_V2_ROUTER"),
        "{def}"
    );

    // Completion after `UNISWAP_V2_ROUTER.` lists the router's functions.
    let typing = format!("{FIXED}let q = UNISWAP_V2_ROUTER.");
    c.change(3, &typing);
    let items = c.request("textDocument/completion", c.at(5, 26));
    let names = labels(&items);
    assert!(
        names.contains(&"swapExactTokensForTokens".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"getAmountsOut".to_string()), "{names:?}");

    // Signature help inside the call's parentheses.
    let typing = format!("{FIXED}let q = UNISWAP_V2_ROUTER.getAmountsOut(a, ");
    c.change(4, &typing);
    let help = c.request("textDocument/signatureHelp", c.at(5, 44));
    insta::assert_json_snapshot!("signature_help", help);

    // `use std::` offers the stdlib modules; other positions offer names and keywords.
    c.change(5, "use std::");
    let names = labels(&c.request("textDocument/completion", c.at(0, 9)));
    assert!(
        names.contains(&"ethereum".to_string()) && names.contains(&"erc20".to_string()),
        "{names:?}"
    );
    c.change(6, FIXED);
    let names = labels(&c.request("textDocument/completion", c.at(4, 7)));
    for expected in ["a", "b", "c", "USDC", "balance", "approve", "let", "return"] {
        assert!(
            names.contains(&expected.to_string()),
            "{expected} missing from {names:?}"
        );
    }

    // Symbols and formatting.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    insta::assert_json_snapshot!("symbols", symbols);
    c.change(7, "param a: uint256=1\nif a>0{return a*2}\n");
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 4, "insertSpaces": true } }),
    );
    insta::assert_json_snapshot!("formatting", edits);

    // Broken input never stops the server.
    c.change(8, "let x = (1 +\nfn f( { UNISWAP_V2_ROUTER.");
    let _ = c.request("textDocument/hover", c.at(1, 3));
    let _ = c.request("textDocument/completion", c.at(1, 26));
    let _ = c.request("textDocument/signatureHelp", c.at(1, 5));

    c.stop(handle);
    let _ = std::fs::remove_dir_all(cache);
}

#[test]
fn imports_resolve_through_open_documents() {
    let common = "file:///nonexistent/nest-lsp-imports/common.ns";
    let main = "file:///nonexistent/nest-lsp-imports/main.ns";
    let (c, handle) = Client::start();
    let open = |uri: &str, text: &str| {
        c.notify("textDocument/didOpen", json!({ "textDocument": { "uri": uri, "languageId": "nest", "version": 1, "text": text } }));
        c.diagnostics()
    };
    // Neither file exists on disk: the import is read from the open document.
    let d = open(common, "const LIMIT = 5\n");
    assert_eq!(d["diagnostics"], json!([]), "{d}");
    let d = open(main, "use \"./common.ns\"::{LIMIT}\nreturn LIMIT + 1\n");
    assert_eq!(d["diagnostics"], json!([]), "{d}");

    // Definition of `LIMIT` goes to the imported document.
    let mut c = c;
    let def = c.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": main }, "position": { "line": 1, "character": 8 } }),
    );
    assert_eq!(def["uri"], json!(common), "{def}");
    assert_eq!(
        def["range"]["start"],
        json!({ "line": 0, "character": 6 }),
        "{def}"
    );

    // Removing `LIMIT` from the imported file re-checks the importer.
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": common, "version": 2 }, "contentChanges": [{ "text": "const OTHER = 5\n" }] }),
    );
    let first = c.diagnostics();
    assert_eq!(first["uri"], json!(common));
    let second = c.diagnostics();
    assert_eq!(second["uri"], json!(main));
    assert_ne!(second["diagnostics"], json!([]), "{second}");
    c.stop(handle);
}

#[test]
fn formatting_deep_nesting_answers_bounded_edits_or_an_error() {
    let (mut c, handle) = Client::start();
    let nested = |levels: usize| format!("let x = {}1{}\n", "(".repeat(levels), ")".repeat(levels));
    let format = |c: &mut Client, version: i32, text: &str| {
        c.change(version, text);
        c.response(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": URI }, "options": { "tabSize": 4, "insertSpaces": true } }),
        )
    };
    c.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "nest", "version": 1, "text": "" } }),
    );
    c.diagnostics();
    // 1,000 levels parse (and check): the edit is about as long as the document.
    let text = nested(1_000);
    let r = format(&mut c, 2, &text);
    assert!(r.error.is_none(), "{:?}", r.error);
    let new_text = r
        .result
        .as_ref()
        .map(|v| v[0]["newText"].as_str().unwrap_or("").len());
    let new_text = new_text.unwrap_or(usize::MAX);
    assert!(
        new_text <= 2 * text.len() + 4096,
        "{} -> {new_text}",
        text.len()
    );
    // Past the parser's 1,024 open brackets: an error answer, and the server lives on.
    for (version, levels) in [(3, 8_000), (4, 16_000)] {
        let r = format(&mut c, version, &nested(levels));
        let error = r.error.expect("an error answer");
        assert_eq!(error.code, lsp_server::ErrorCode::RequestFailed as i32);
        assert!(error.message.contains("not formatted"), "{}", error.message);
    }
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(symbols.is_array(), "{symbols}");
    c.stop(handle);
}

/// A writer whose bytes the test reads after the server is done.
#[derive(Clone, Default)]
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut out = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    [
        format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
        body,
    ]
    .concat()
}

#[test]
fn undecodable_messages_are_answered_and_the_server_carries_on() {
    let request = |id: i32, method: &str, params: Value| {
        frame(
            json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })
                .to_string()
                .as_bytes(),
        )
    };
    let bad: [(&[u8], i32); 8] = [
        (
            br#"{"jsonrpc":"2.0","id":50,"method":"textDocument/hover","params":{"x":"\ud800"}}"#,
            -32700,
        ),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":51,\"method\":\"shut\xffdown\"}",
            -32700,
        ),
        (
            br#"[{"jsonrpc":"2.0","id":52,"method":"shutdown"}]"#,
            -32600,
        ),
        (b"[]", -32600),
        (b"{\"jsonrpc\":", -32700),
        (b"\xff\xfe\x00", -32700),
        (br#"{"jsonrpc":"2.0","id":53,"method":17}"#, -32600),
        (b"", -32700),
    ];
    let mut input = request(1, "initialize", json!({ "capabilities": {} }));
    input.extend(frame(
        br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    for (k, (body, _)) in bad.iter().enumerate() {
        input.extend(frame(body));
        let params = json!({ "textDocument": { "uri": URI } });
        input.extend(request(
            100 + k as i32,
            "textDocument/documentSymbol",
            params,
        ));
    }
    input.extend(request(999, "shutdown", Value::Null));
    input.extend(frame(br#"{"jsonrpc":"2.0","method":"exit"}"#));

    let output = Shared::default();
    let (conn, io) = nest_lsp::transport::connect(std::io::Cursor::new(input), output.clone());
    nest_lsp::serve(&conn).expect("the server stops cleanly");
    drop(conn);
    io.join().expect("the transport ends cleanly");

    let bytes = output.0.lock().map(|b| b.clone()).unwrap_or_default();
    let mut reader = std::io::Cursor::new(bytes);
    let mut answers = Vec::new();
    while let Ok(Some(body)) = nest_lsp::transport::read_frame(&mut reader) {
        answers.push(serde_json::from_slice::<Value>(&body).expect("the server writes JSON"));
    }
    // initialize, then an error and an answer for each bad message, then shutdown.
    // The errors come from the reader and the answers from the server: both are in
    // order, but an error may overtake the answer to the request before it.
    let ids: Vec<String> = answers.iter().map(|a| a["id"].to_string()).collect();
    assert_eq!(answers.len(), 2 + 2 * bad.len(), "{ids:?}");
    assert_eq!(answers[0]["id"], json!(1));
    assert_eq!(answers[answers.len() - 1]["id"], json!(999));
    let (errors, answered): (Vec<&Value>, Vec<&Value>) = answers[1..answers.len() - 1]
        .iter()
        .partition(|a| a.get("error").is_some());
    assert_eq!(errors.len(), bad.len(), "{ids:?}");
    for (k, ((body, code), error)) in bad.iter().zip(&errors).enumerate() {
        let expected_id = if *code == -32600 && body.starts_with(b"{") {
            json!(53)
        } else {
            Value::Null
        };
        assert_eq!(error["id"], expected_id, "{error}");
        assert_eq!(error["error"]["code"], json!(code), "{k}: {error}");
        let answer = answered[k];
        assert_eq!(answer["id"], json!(100 + k), "{ids:?} {answer}");
        assert!(answer.get("result").is_some(), "{answer}");
    }
}
