// The playground's sizes and speeds, measured in headless Chromium (a benchmark, not a
// test: it prints numbers and the goals, and exits 0 whatever they are).
//   wasm gzipped size  < 4 MB      first compile after load < 50 ms
//   example compile    < 20 ms     dry run                  < 300 ms
//   page interactive   < 2 s (navigation start to the editor checked and ready)
// Usage: node playground/bench.mjs   (after building the package and the page)
// Writes playground/test-output/bench.json too.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { serve } from './serve.mjs';
import { launch, outDir, root } from './test/browser.mjs';

const wasmPath = join(root, 'playground', 'dist', 'nest_wasm_bg.wasm');
const wasm = readFileSync(wasmPath);
const gzipped = gzipSync(wasm, { level: 9 }).length;

const server = await serve(0);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let results;
try {
  const loads = [];
  const firstCompiles = [];
  for (let i = 0; i < 5; i++) {
    // A fresh page each time (the browser may cache the module's compiled code, as a
    // returning visitor's would).
    const page = await browser.context.newPage();
    await page.goto(`${origin}/#example=swap`);
    await page.waitForSelector('body[data-ready="1"]');
    const m = await page.evaluate(() => {
      const { nest, readyAt, timings } = window.nestPlayground;
      // The compile comes before the background deploy of the devnet (a timer after ready).
      const source = document.getElementById('source').value;
      const t0 = performance.now();
      const c = nest.compile(source, { name: 'main.ns' });
      const first = performance.now() - t0;
      if (!c.ok) throw new Error('swap does not compile');
      return { readyAt, first, firstCheck: timings.checks[0] };
    });
    // The background deploy: the first dry run of a page (the devnet built, then an empty run).
    const warm = await page.evaluate(async () => {
      const pg = window.nestPlayground;
      while (pg.warmedAt == null) await new Promise((r) => setTimeout(r, 5));
      return pg.warmMs;
    });
    m.warm = warm;
    loads.push(m);
    firstCompiles.push(m.first);
    await page.close();
  }
  const page = await browser.context.newPage();
  await page.goto(`${origin}/#example=swap`);
  await page.waitForSelector('body[data-ready="1"]');
  const names = await page.evaluate(() =>
    [...document.querySelectorAll('#examples option')].map((o) => o.value).filter(Boolean),
  );
  const perExample = {};
  for (const name of names) {
    const times = await page.evaluate(async (n) => {
      location.hash = `example=${n.replace(/\.ns$/, '')}`;
      await new Promise((r) => setTimeout(r, 50));
      const { nest } = window.nestPlayground;
      const source = document.getElementById('source').value;
      const ts = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const c = nest.compile(source, { name: n });
        ts.push(performance.now() - t0);
        if (!c.ok) throw new Error(`${n} does not compile`);
      }
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const r = nest.run(source, { name: n });
        runs.push(performance.now() - t0);
        if (!r.report) throw new Error(`${n}: ${r.error}`);
      }
      return { compile: ts, run: runs };
    }, name);
    perExample[name] = { compile: median(times.compile), run: median(times.run) };
  }
  const compiles = Object.values(perExample).map((e) => e.compile);
  const runs = Object.values(perExample).map((e) => e.run);
  results = {
    wasm_bytes: wasm.length,
    wasm_gzipped_bytes: gzipped,
    page_interactive_ms: { median: median(loads.map((l) => l.readyAt)), all: loads.map((l) => l.readyAt) },
    first_dry_run_deploying_devnet_ms: median(loads.map((l) => l.warm)),
    first_check_during_load_ms: median(loads.map((l) => l.firstCheck)),
    first_compile_after_load_ms: { median: median(firstCompiles), all: firstCompiles },
    example_compile_ms: { median: median(compiles), max: Math.max(...compiles) },
    dry_run_ms: { median: median(runs), max: Math.max(...runs), swap: perExample['swap.ns']?.run },
    per_example: perExample,
  };
} finally {
  await browser.close();
  server.close();
}

const mb = (n) => (n / 1e6).toFixed(2);
const ms = (n) => `${n.toFixed(1)} ms`;
const line = (what, value, goal, ok) => console.log(`${ok ? '✓' : '✗'} ${what.padEnd(30)} ${value.padStart(12)}   goal ${goal}`);
line('wasm module, gzipped', `${mb(results.wasm_gzipped_bytes)} MB`, '< 4 MB', results.wasm_gzipped_bytes < 4e6);
line('page interactive', ms(results.page_interactive_ms.median), '< 2000 ms', results.page_interactive_ms.median < 2000);
line('first compile after load', ms(results.first_compile_after_load_ms.median), '< 50 ms', results.first_compile_after_load_ms.median < 50);
line('example compile (median)', ms(results.example_compile_ms.median), '< 20 ms', results.example_compile_ms.median < 20);
line('example compile (slowest)', ms(results.example_compile_ms.max), '< 20 ms', results.example_compile_ms.max < 20);
line('dry run (median)', ms(results.dry_run_ms.median), '< 300 ms', results.dry_run_ms.median < 300);
line('dry run (slowest)', ms(results.dry_run_ms.max), '< 300 ms', results.dry_run_ms.max < 300);
console.log(
  `(wasm ${mb(results.wasm_bytes)} MB uncompressed; first check during load ${ms(results.first_check_during_load_ms)}; ` +
    `the devnet's deploy, done in the background once the page is interactive, ${ms(results.first_dry_run_deploying_devnet_ms)})`,
);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
