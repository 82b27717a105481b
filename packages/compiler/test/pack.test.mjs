// `npm pack` gives a tarball that installs into an empty project and works from TypeScript:
// a typed consumer type-checks with tsc (pinned in packages/package-lock.json), a misuse
// does not, and the compiled consumer compiles and dry-runs examples/swap.ns to the same
// bytes and report as nestc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { nestc, pkgDir, root } from './helpers.mjs';

const tsc = join(root, 'packages', 'node_modules', 'typescript', 'bin', 'tsc');

const CONSUMER = `import { compile, run, explain, type CompileResult, type RunResult, type Diagnostic } from '@nest-lang/compiler';

export function main(source: string): string {
  const compiled: CompileResult = compile(source, { name: 'examples/swap.ns', optimize: true });
  if (!compiled.ok || compiled.bytecode === null) {
    const first: Diagnostic | undefined = compiled.diagnostics[0];
    throw new Error(first ? first.code + ': ' + first.message : 'no bytecode');
  }
  const ran: RunResult = run(source, { name: 'examples/swap.ns' });
  const left: number = ran.report === null ? -1 : ran.report.allowances_left.length;
  return JSON.stringify({
    bytecode: compiled.bytecode,
    artifact: compiled.artifactJson,
    report: ran.reportJson,
    left,
    explained: (explain('E0302') ?? '').split('\\n')[0],
  });
}
`;

const MISUSE = `import { compile } from '@nest-lang/compiler';
const r = compile(42, { optimise: 0 });
const n: number = r.bytecode;
`;

test('the packed tarball installs and type-checks in a TypeScript project', () => {
  assert.ok(existsSync(join(pkgDir, 'wasm', 'nest_wasm_bg.wasm')), 'the package is built');
  const dir = mkdtempSync(join(tmpdir(), 'nest-pack-'));
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: pkgDir, encoding: 'utf8' }),
    );
    const tarball = join(dir, packed[0].filename);
    const files = packed[0].files.map((f) => f.path).sort();
    assert.deepEqual(files, [
      'README.md', 'api.js', 'index.d.ts', 'index.js', 'node.js', 'package.json',
      'wasm/nest_wasm.js', 'wasm/nest_wasm_bg.wasm',
    ]);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline'], { cwd: app, stdio: 'pipe' });
    assert.ok(existsSync(join(app, 'node_modules', '@nest-lang', 'compiler', 'wasm', 'nest_wasm_bg.wasm')));

    writeFileSync(join(app, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true,
          outDir: 'out', types: [], skipLibCheck: false,
        },
        files: ['consumer.ts'],
      }),
    );
    const typed = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    assert.equal(typed.status, 0, `tsc: ${typed.stdout}${typed.stderr}`);

    // The types are real: a misuse does not type-check.
    writeFileSync(join(app, 'misuse.ts'), MISUSE);
    writeFileSync(
      join(app, 'tsconfig.misuse.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, files: ['misuse.ts'] }),
    );
    const bad = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.misuse.json'], { cwd: app, encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /misuse\.ts\(2,/, bad.stdout);
    assert.match(bad.stdout, /misuse\.ts\(3,/, bad.stdout);

    const source = readFileSync(join(root, 'examples', 'swap.ns'), 'utf8');
    const driver = `import { main } from './out/consumer.js';\nimport { readFileSync } from 'node:fs';\nprocess.stdout.write(main(readFileSync(process.argv[2], 'utf8')));\n`;
    writeFileSync(join(app, 'driver.mjs'), driver);
    const out = JSON.parse(
      execFileSync(process.execPath, ['driver.mjs', join(root, 'examples', 'swap.ns')], { cwd: app, encoding: 'utf8' }),
    );
    assert.equal(`${out.bytecode}\n`, nestc(['compile', 'examples/swap.ns']).stdout);
    assert.equal(out.artifact, nestc(['compile', 'examples/swap.ns', '--emit', 'artifact']).stdout);
    assert.equal(out.report, nestc(['run', 'examples/swap.ns', '--json']).stdout);
    assert.equal(out.left, 0);
    assert.match(out.explained, /^E0302: /);
    assert.ok(source.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
