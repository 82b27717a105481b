//! `nest-wasm`: the Nest compiler and devnet built for WebAssembly, behind the npm package
//! `@nest-lang/compiler` (`packages/compiler`).
//!
//! The exports are thin: options come in as JSON text and results go out as JSON text
//! ([`api`]), so what `nestc` prints (artifact, `check --json`, `run --json`, …) crosses the
//! boundary as the very same bytes and the JavaScript wrapper only parses the envelope. The
//! build has no file system, network or clock: imports come from the `files` option, and the
//! devnet is built without its `fork` feature (fork mode and `doctor`, the only network code).

pub mod api;
pub mod snapshot;

use wasm_bindgen::prelude::*;

fn usage(e: api::UsageError) -> JsError {
    JsError::new(&e.0)
}

/// `compile(source, optionsJson)`: see [`api::compile`].
#[wasm_bindgen(js_name = compileJson)]
pub fn compile_json(source: &str, options: &str) -> Result<String, JsError> {
    api::compile(source, &api::Options::parse(options).map_err(usage)?).map_err(usage)
}

/// `check(source, optionsJson)`: see [`api::check`].
#[wasm_bindgen(js_name = checkJson)]
pub fn check_json(source: &str, options: &str) -> Result<String, JsError> {
    api::check(source, &api::Options::parse(options).map_err(usage)?).map_err(usage)
}

/// `format(source)`: see [`api::format`].
#[wasm_bindgen(js_name = formatJson)]
pub fn format_json(source: &str) -> String {
    api::format(source)
}

/// `explain(code)`: the explanation's text, or `undefined` for an unknown code.
#[wasm_bindgen]
pub fn explain(code: &str) -> Option<String> {
    api::explain(code)
}

/// The compiler's version.
#[wasm_bindgen]
pub fn version() -> String {
    api::version()
}

/// `run(source, optionsJson)`: see [`api::run`].
#[wasm_bindgen(js_name = runJson)]
pub fn run_json(source: &str, options: &str) -> Result<String, JsError> {
    api::run(source, &api::Options::parse(options).map_err(usage)?).map_err(usage)
}

/// `runBytecode(hex, optionsJson)`: see [`api::run_bytecode`].
#[wasm_bindgen(js_name = runBytecodeJson)]
pub fn run_bytecode_json(hex: &str, options: &str) -> Result<String, JsError> {
    api::run_bytecode(hex, &api::Options::parse(options).map_err(usage)?).map_err(usage)
}

/// `snapshot(scriptsJson, optionsJson)`: see [`snapshot::snapshot`].
#[wasm_bindgen(js_name = snapshotJson)]
pub fn snapshot_json(scripts: &str, options: &str) -> Result<String, JsError> {
    snapshot::snapshot(scripts, options).map_err(usage)
}
