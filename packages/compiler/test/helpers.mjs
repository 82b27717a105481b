// Shared by the package's tests: the repository's paths and the native nestc to compare with.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const root = resolve(pkgDir, '../..');
export const examplesDir = join(root, 'examples');

/** The native compiler: $NESTC, else target/debug/nestc (built by `cargo build -p nestc`). */
export const nestcPath = (() => {
  const candidates = [
    process.env.NESTC,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug', 'nestc'),
    join(root, 'target', 'debug', 'nestc'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no native nestc at ${candidates.join(' or ')}: cargo build -p nestc`);
  return found;
})();

/** Runs nestc in the repository's root; returns {status, stdout, stderr}. */
export function nestc(args, options = {}) {
  const r = spawnSync(nestcPath, args, {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every example script, as `examples/NAME.ns`. */
export function exampleNames() {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.ns'))
    .sort()
    .map((f) => `examples/${f}`);
}

export { execFileSync };
