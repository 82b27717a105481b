// Browser and bundler entry point: fetches and instantiates the WebAssembly module that lies
// next to the glue (`new URL('nest_wasm_bg.wasm', import.meta.url)`, which bundlers rewrite
// or copy) with a top-level await, so every function is ready once the import resolves.
import initWasm from './wasm/nest_wasm.js';

await initWasm();

export * from './api.js';
/** Already done by the import; kept so code written for either entry runs unchanged. */
export async function init() {}
