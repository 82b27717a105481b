// Builds the package's WebAssembly module: cargo (wasm32-unknown-unknown, release, in
// target/wasm so it never waits for the host build's lock), then wasm-bindgen (the CLI of
// exactly the version in Cargo.lock) with `--target web`, whose glue runs in browsers and,
// given the module's bytes (node.js), in Node.
//
// Usage: node scripts/build.mjs            (from packages/compiler)
//   NEST_WASM_PROFILE=dev  builds unoptimised (faster to build, much larger).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const root = resolve(pkg, '../..');
const targetDir = process.env.NEST_WASM_TARGET_DIR || join(root, 'target', 'wasm');
const release = process.env.NEST_WASM_PROFILE !== 'dev';

function run(cmd, args, env = {}) {
  console.error(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

/** The wasm-bindgen version Cargo.lock pins: the CLI must be the same. */
export function lockedBindgenVersion() {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
  const m = lock.match(/\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!m) throw new Error('wasm-bindgen is not in Cargo.lock');
  return m[1];
}

const want = lockedBindgenVersion();
let have = '';
try {
  have = execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' }).trim();
} catch {
  throw new Error(
    `wasm-bindgen is not installed: cargo install wasm-bindgen-cli --version ${want}`,
  );
}
if (have !== `wasm-bindgen ${want}`) {
  throw new Error(`${have} is installed but Cargo.lock has ${want}: install that version`);
}

const cargoArgs = ['build', '-p', 'nest-wasm', '--target', 'wasm32-unknown-unknown', '--locked'];
if (release) cargoArgs.push('--release');
run('cargo', cargoArgs, { CARGO_TARGET_DIR: targetDir });

const wasm = join(targetDir, 'wasm32-unknown-unknown', release ? 'release' : 'debug', 'nest_wasm.wasm');
const out = join(pkg, 'wasm');
if (!existsSync(out)) mkdirSync(out);
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out, wasm]);

const bytes = readFileSync(join(out, 'nest_wasm_bg.wasm'));
const size = statSync(join(out, 'nest_wasm_bg.wasm')).size;
console.error(
  `wasm: ${(size / 1048576).toFixed(2)} MiB, gzipped ${(gzipSync(bytes, { level: 9 }).length / 1048576).toFixed(2)} MiB`,
);
