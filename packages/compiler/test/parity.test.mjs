// The package against the native nestc, byte for byte: every example compiled both ways
// (bytecode, artifact, asm listing, check --json), a dry run of examples/swap.ns (and of its
// payload alone), a script with errors, explain, format and snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as nest from '../node.js';
import { exampleNames, nestc, root } from './helpers.mjs';

const examples = exampleNames();

test('there are examples to compare', () => {
  assert.ok(examples.length >= 10, `found ${examples.length} examples`);
  assert.ok(examples.includes('examples/swap.ns'));
});

for (const name of examples) {
  test(`${name}: compile and check equal nestc's output`, () => {
    const source = readFileSync(join(root, name), 'utf8');
    const ours = nest.compile(source, { name });
    assert.equal(ours.ok, true, JSON.stringify(ours.diagnostics, null, 1));

    const bytecode = nestc(['compile', name]);
    assert.equal(bytecode.status, 0, bytecode.stderr);
    assert.equal(`${ours.bytecode}\n`, bytecode.stdout, 'bytecode');

    const artifact = nestc(['compile', name, '--emit', 'artifact']);
    assert.equal(artifact.status, 0, artifact.stderr);
    assert.equal(ours.artifactJson, artifact.stdout, 'artifact JSON, byte for byte');
    assert.deepEqual(ours.artifact, JSON.parse(artifact.stdout));
    assert.equal(ours.artifact.bytecode, ours.bytecode);

    const asm = nestc(['compile', name, '--emit', 'asm']);
    assert.equal(asm.status, 0, asm.stderr);
    assert.equal(ours.asm, asm.stdout, 'asm listing');

    const checked = nest.check(source, { name });
    const cli = nestc(['check', name, '--json']);
    assert.equal(checked.diagnosticsJson, cli.stdout, 'check --json');
    assert.equal(checked.ok, cli.status === 0);
  });
}

test('examples/swap.ns: the dry run equals nestc run --json, and runBytecode its payload', () => {
  const name = 'examples/swap.ns';
  const source = readFileSync(join(root, name), 'utf8');
  const ours = nest.run(source, { name });
  const cli = nestc(['run', name, '--json']);
  assert.equal(cli.status, 0, cli.stderr);
  assert.equal(ours.ok, true);
  assert.equal(ours.reportJson, cli.stdout, 'run --json, byte for byte');
  assert.equal(ours.report.success, true);
  assert.ok(ours.report.asset_changes.length > 0, 'a swap changes balances');
  assert.deepEqual(ours.report.allowances_left, []);
  assert.match(ours.text, /no permission left behind/);

  const bare = nest.runBytecode(ours.bytecode);
  const cliBare = nestc(['run', '--bytecode', ours.bytecode, '--json']);
  assert.equal(bare.reportJson, cliBare.stdout, 'run --bytecode --json');
  assert.equal(bare.ok, cliBare.status === 0);
});

test('parameters and a scenario reach the compiler and the devnet as on the command line', () => {
  const name = 'examples/swap.ns';
  const source = readFileSync(join(root, name), 'utf8');
  const param = /param\s+(\w+)\s*:[^=\n]*=\s*([^\n]+)/.exec(source);
  assert.ok(param, 'swap.ns has a parameter with a default');
  const dir = mkdtempSync(join(tmpdir(), 'nest-scenario-'));
  const scenario = join(dir, 'scenario.toml');
  writeFileSync(scenario, '[block]\ntimestamp = 1800000000\n');
  try {
    const value = param[2].trim().replace(/(\d+)/, (n) => String(Number(n) * 2));
    const ours = nest.run(source, {
      name,
      params: { [param[1]]: value },
      scenario: readFileSync(scenario, 'utf8'),
    });
    const cli = nestc(['run', name, '--json', '--param', `${param[1]}=${value}`, '--scenario', scenario]);
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(ours.reportJson, cli.stdout);
    const deadline = ours.report.calls.flatMap((c) => c.args ?? []).find((a) => a.name === 'deadline');
    assert.equal(deadline.value, String(1800000000 + 600), 'the clock of the scenario reached the run');
    const compiled = nest.compile(source, { name, params: [[param[1], value]] });
    const cliCompiled = nestc(['compile', name, '--param', `${param[1]}=${value}`]);
    assert.equal(`${compiled.bytecode}\n`, cliCompiled.stdout);
    assert.notEqual(compiled.bytecode, nest.compile(source, { name }).bytecode, 'the parameter changed the payload');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-O0 and --strict are the same settings as on the command line', () => {
  const name = 'examples/swap.ns';
  const source = readFileSync(join(root, name), 'utf8');
  const o0 = nest.compile(source, { name, optimize: false });
  const cli = nestc(['compile', name, '-O0', '--emit', 'artifact']);
  assert.equal(o0.artifactJson, cli.stdout);
  const strict = nest.check(source, { name, strict: true });
  assert.equal(strict.diagnosticsJson, nestc(['check', name, '--json', '--strict']).stdout);
});

test('a script with a unit error: the same diagnostics, with line, code and help', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-bad-'));
  try {
    const name = 'bad.ns';
    const source =
      'use std::ethereum::{USDC, WETH}\n\nlet a = 1 USDC\nlet b = a + 1 WETH\nreturn b\n';
    writeFileSync(join(dir, name), source);
    const cli = nestc(['check', name, '--json'], { cwd: dir });
    assert.equal(cli.status, 1);
    const ours = nest.check(source, { name });
    assert.equal(ours.diagnosticsJson, cli.stdout);
    assert.equal(ours.ok, false);
    const error = ours.diagnostics.find((d) => d.severity === 'error');
    assert.ok(error, 'an error');
    assert.match(error.code, /^E03/);
    assert.equal(error.line, 4);
    const compiled = nest.compile(source, { name });
    assert.equal(compiled.ok, false);
    assert.equal(compiled.bytecode, null);
    assert.equal(compiled.diagnosticsJson, nestc(['compile', name, '--json'], { cwd: dir }).stdout);
    const ran = nest.run(source, { name });
    assert.equal(ran.ok, false);
    assert.equal(ran.report, null);
    assert.equal(ran.diagnostics[0].code, error.code);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('imports come from the files option, as nestc reads them from disk', () => {
  const lib = 'use std::ethereum::{USDC}\n\nconst AMOUNT = 5 USDC\n';
  const main = 'use "./lib/amounts.ns"::{AMOUNT}\n\nreturn AMOUNT\n';
  const dir = mkdtempSync(join(tmpdir(), 'nest-imports-'));
  try {
    writeFileSync(join(dir, 'main.ns'), main);
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'amounts.ns'), lib);
    const ours = nest.compile(main, { name: 'main.ns', files: { './lib/amounts.ns': lib } });
    assert.equal(ours.ok, true, JSON.stringify(ours.diagnostics));
    const cli = nestc(['compile', 'main.ns', '--emit', 'artifact'], { cwd: dir });
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(ours.artifactJson, cli.stdout);
    const ran = nest.run(main, { name: 'main.ns', files: { 'lib/amounts.ns': lib } });
    assert.equal(ran.reportJson, nestc(['run', 'main.ns', '--json'], { cwd: dir }).stdout);
    assert.deepEqual(ran.report.return, ['5000000']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const missing = nest.check(main, { name: 'main.ns' });
  assert.equal(missing.ok, false);
  assert.ok(missing.diagnostics.some((d) => d.severity === 'error' && d.line === 1));
});

test('explain and version are nestc explain and nestc --version', () => {
  for (const code of ['E0302', 'W0401', 'E0101']) {
    assert.equal(nest.explain(code), nestc(['explain', code]).stdout);
  }
  assert.equal(nest.explain('E9999'), null);
  assert.equal(`nestc ${nest.version()}\n`, nestc(['--version']).stdout);
});

test('format is nestc fmt; a syntax error throws with the diagnostics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-fmt-'));
  try {
    const messy = 'use std::ethereum::{USDC}\nlet x=1 USDC\nreturn   x\n';
    const file = join(dir, 'messy.ns');
    writeFileSync(file, messy);
    assert.equal(nestc(['fmt', file]).status, 0);
    assert.equal(nest.format(messy), readFileSync(file, 'utf8'));
    assert.notEqual(nest.format(messy), messy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => nest.format('let x = (1\n'), (e) => {
    assert.equal(e.name, 'NestSyntaxError');
    assert.ok(e.diagnostics.length > 0 && e.diagnostics[0].code.startsWith('E01'));
    return true;
  });
});

test('snapshot writes the file nestc snapshot writes, and diffs against it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-snapshot-'));
  try {
    const scripts = {};
    for (const name of examples) {
      const base = name.slice('examples/'.length);
      copyFileSync(join(root, name), join(dir, base));
      scripts[base] = readFileSync(join(root, name), 'utf8');
    }
    const cli = nestc(['snapshot', dir]);
    assert.equal(cli.status, 0, cli.stderr);
    const file = readFileSync(join(dir, '.nest-snapshot'), 'utf8');
    const ours = nest.snapshot(scripts, { previous: file });
    assert.equal(ours.text, file, 'the snapshot file, byte for byte');
    assert.equal(ours.ok, true);
    assert.equal(ours.changed, false);

    const changed = { ...scripts, 'swap.ns': scripts['swap.ns'].replace(/\n*$/, '\nreturn 7\n') };
    const edited = nest.snapshot(changed, { previous: file });
    assert.equal(edited.changed, true);
    writeFileSync(join(dir, 'swap.ns'), changed['swap.ns']);
    const cliDiff = nestc(['snapshot', dir, '--diff']);
    assert.ok(cliDiff.stdout.includes(edited.diff), `${cliDiff.stdout}\n---\n${edited.diff}`);
    assert.match(edited.summary, /^1 changed, 0 added, 0 removed$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad options are errors, not silent defaults', () => {
  assert.throws(() => nest.compile('return 1\n', { optimise: 0 }), /unknown option `optimise`/);
  assert.throws(() => nest.compile('return 1\n', { disable: ['no_such_pass'] }), /unknown optimisation/);
  assert.throws(() => nest.runBytecode('0xzz'), /invalid hex/);
  const bad = nest.run('return 1\n', { scenario: 'timestamp = "soon"\n' });
  assert.equal(bad.ok, false);
  assert.match(bad.error, /scenario/);
});

test('a script nested deeper than the engine stack allows is a NestStackError, and the module stays usable', () => {
  const deep = `return ${Array(20000).fill('1').join(' + ')}\n`;
  assert.throws(() => nest.compile(deep), (e) => e.name === 'NestStackError' && e instanceof nest.NestStackError);
  // nestc itself reports E0325 there (its 256 MiB stack reaches its own limit).
  const dir = mkdtempSync(join(tmpdir(), 'nest-deep-'));
  try {
    writeFileSync(join(dir, 'deep.ns'), deep);
    assert.match(nestc(['check', 'deep.ns', '--json'], { cwd: dir }).stdout, /E0325/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const swap = readFileSync(join(root, 'examples/swap.ns'), 'utf8');
  assert.equal(nest.compile(swap, { name: 'examples/swap.ns' }).artifactJson,
    nestc(['compile', 'examples/swap.ns', '--emit', 'artifact']).stdout);
  assert.equal(nest.run(swap).ok, true);
});
