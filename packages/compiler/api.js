// The package's API over the WebAssembly exports (wasm/nest_wasm.js). Options cross the
// boundary as JSON text and results come back as JSON text; every text nestc also prints
// (artifact, asm listing, `check --json`, `run --json`, explanations) is kept as the exact
// bytes (`artifactJson`, `reportJson`, `diagnosticsJson`) next to its parsed form.
import * as wasm from './wasm/nest_wasm.js';

/** `{NAME: VALUE}` or `[[NAME, VALUE], …]` → `[[NAME, VALUE], …]`. */
function pairs(params) {
  if (params == null) return [];
  if (Array.isArray(params)) return params.map(([n, v]) => [String(n), String(v)]);
  if (typeof params === 'object') return Object.entries(params).map(([n, v]) => [n, String(v)]);
  throw new TypeError('params: an object {NAME: VALUE} or an array of [NAME, VALUE]');
}

function optionsJson(options = {}, allowed) {
  const out = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue;
    if (!allowed.includes(key)) {
      throw new TypeError(`unknown option \`${key}\`; the options are: ${allowed.join(', ')}`);
    }
    out[key] = key === 'params' ? pairs(value) : value;
  }
  return JSON.stringify(out);
}

/**
 * Thrown when a script nests deeper than the JavaScript engine's stack allows the compiler
 * to recurse (hundreds of levels; nestc runs on a 256 MiB stack and accepts up to its limit,
 * E0325). The module stays usable.
 */
export class NestStackError extends Error {
  constructor() {
    super(
      'the script nests too deeply for the WebAssembly build (the engine\'s stack ran out): ' +
        'flatten the deepest expression or block, or use the native nestc',
    );
    this.name = 'NestStackError';
  }
}

/** Calls into the module, turning a stack overflow into a NestStackError. */
function call(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new NestStackError();
    throw e;
  }
}

const COMPILE_OPTIONS = ['name', 'params', 'optimize', 'disable', 'strict', 'files'];
const RUN_OPTIONS = [...COMPILE_OPTIONS, 'scenario', 'hyvmBuild'];

function diagnosticsOf(text) {
  return text == null ? [] : JSON.parse(text).diagnostics;
}

export function compile(source, options) {
  const r = JSON.parse(call(() => wasm.compileJson(String(source), optionsJson(options, COMPILE_OPTIONS))));
  return {
    ok: r.ok,
    bytecode: r.bytecode,
    artifact: r.artifact == null ? null : JSON.parse(r.artifact),
    artifactJson: r.artifact,
    asm: r.asm,
    diagnostics: diagnosticsOf(r.diagnostics),
    diagnosticsJson: r.diagnostics,
  };
}

export function check(source, options) {
  const r = JSON.parse(call(() => wasm.checkJson(String(source), optionsJson(options, COMPILE_OPTIONS))));
  return { ok: r.ok, diagnostics: diagnosticsOf(r.diagnostics), diagnosticsJson: r.diagnostics };
}

export class NestSyntaxError extends Error {
  constructor(message, diagnostics) {
    super(message);
    this.name = 'NestSyntaxError';
    this.diagnostics = diagnostics;
  }
}

export function format(source) {
  const r = JSON.parse(call(() => wasm.formatJson(String(source))));
  if (r.ok) return r.text;
  if (r.diagnostics != null) {
    const diagnostics = diagnosticsOf(r.diagnostics);
    const first = diagnostics[0];
    throw new NestSyntaxError(
      `the script was not formatted: it has syntax errors${first ? ` (${first.code} at line ${first.line}: ${first.message})` : ''}`,
      diagnostics,
    );
  }
  throw new Error(`the script was not formatted: ${r.error}`);
}

export function explain(code) {
  return wasm.explain(String(code)) ?? null;
}

export function version() {
  return wasm.version();
}

function runResult(r) {
  return {
    ok: r.ok,
    bytecode: r.bytecode ?? null,
    report: r.report == null ? null : JSON.parse(r.report),
    reportJson: r.report ?? null,
    text: r.text ?? null,
    diagnostics: diagnosticsOf(r.diagnostics),
    diagnosticsJson: r.diagnostics ?? null,
    error: r.error ?? null,
  };
}

export function run(source, options) {
  return runResult(JSON.parse(call(() => wasm.runJson(String(source), optionsJson(options, RUN_OPTIONS)))));
}

export function runBytecode(hex, options) {
  const allowed = ['scenario', 'hyvmBuild'];
  return runResult(JSON.parse(call(() => wasm.runBytecodeJson(String(hex), optionsJson(options, allowed)))));
}

export function snapshot(scripts, options) {
  const allowed = ['previous', 'optimize', 'disable', 'strict'];
  const map = scripts instanceof Map ? Object.fromEntries(scripts) : scripts;
  return JSON.parse(call(() => wasm.snapshotJson(JSON.stringify(map ?? {}), optionsJson(options, allowed))));
}
