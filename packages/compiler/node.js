// Node entry point: instantiates the WebAssembly module synchronously from the package's
// own file, so every function is ready as soon as the import resolves.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm/nest_wasm.js';

initSync({ module: readFileSync(new URL('./wasm/nest_wasm_bg.wasm', import.meta.url)) });

export * from './api.js';
/** Already done in Node; kept so code written for the browser entry runs unchanged. */
export async function init() {}
