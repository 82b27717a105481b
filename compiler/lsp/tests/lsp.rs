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
                assert!(r.error.is_none(), "{:?}", r.error);
                return r.result.unwrap_or(Value::Null);
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
