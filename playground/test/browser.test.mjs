// The playground in a real browser (Debian's Chromium, headless, driven by playwright-core):
// load the page from the local server, type a script with a unit error, see the diagnostic
// at its line, fix it, run it, and find the asset changes and "no permission left behind".
// A screenshot is saved to playground/test-output/ (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { serve } from '../serve.mjs';
import { launch, outDir } from './browser.mjs';

// Line 5 says WETH but the amount is in USDC: a unit error (E03xx) at line 5.
const BROKEN = `// A swap with a unit mistake.
use std::ethereum::{USDC, WETH, UNISWAP_V2_ROUTER}

param amount: USDC = 1_000 USDC
param min_out: WETH = 0.25 USDC

approve(USDC, UNISWAP_V2_ROUTER, amount)
let amounts = UNISWAP_V2_ROUTER.swapExactTokensForTokens(amount, min_out, [USDC, WETH], self, block.timestamp + 600)
let out = amounts[1] as WETH
require(out >= min_out, "slippage")
return out
`;

let server;
let browser;
let origin;

before(async () => {
  server = await serve(0);
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('type a unit error, see it at its line, fix it, run, see the report', async () => {
  const page = await browser.context.newPage();
  const foreign = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${origin}/#example=swap`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
  assert.match(await page.inputValue('#source'), /swapExactTokensForTokens/, '#example=swap opened');
  await page.waitForSelector('.diag.ok');

  // Type the broken script (real key presses: the editor checks as you type).
  await page.click('#source');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(BROKEN.slice(0, 40));
  await page.keyboard.type(BROKEN.slice(40), { delay: 0 });
  const diag = await page.waitForSelector('.diag.error[data-line="5"]', { timeout: 10_000 });
  const text = await diag.innerText();
  assert.match(text, /line 5:\d+ E03\d\d/, text);
  assert.ok(await page.$('#gutter .bad[data-line="5"]'), 'the gutter marks line 5');
  assert.ok(await page.$('#highlight .squiggle-error'), 'the error is underlined in the editor');
  assert.ok(await page.$('#highlight .tok-kw'), 'keywords are highlighted');

  // Fix it: select the wrong unit on line 5 and type the right one.
  await page.evaluate(() => {
    const ta = document.getElementById('source');
    const at = ta.value.indexOf('0.25 USDC') + '0.25 '.length;
    ta.focus();
    ta.setSelectionRange(at, at + 'USDC'.length);
  });
  await page.keyboard.type('WETH');
  await page.waitForSelector('.diag.ok', { timeout: 10_000 });
  assert.equal(await page.$('.diag.error'), null);

  // Edit a parameter, then run.
  await page.fill('#param-amount', '2_000 USDC');
  await page.click('#run');
  const verdict = await page.waitForSelector('#permissions-verdict', { timeout: 20_000 });
  assert.equal((await verdict.innerText()).trim(), '✓ no permission left behind');
  const report = await page.innerText('#panel-report');
  assert.match(report, /The dry run succeeded/);
  const assets = await page.innerText('#asset-changes');
  assert.match(assets, /USDC[^\n]*-2,000/, assets);
  assert.match(assets, /WETH[^\n]*\+0\.\d+/, assets);
  assert.match(report, /swapExactTokensForTokens/, 'the call tree');
  assert.match(report, /HyVM overhead/, 'the gas');

  // Compile output: bytecode, asm with source lines, artifact.
  await page.click('#tabs button[data-tab="asm"]');
  assert.match(await page.innerText('#asm'), /\/\/ approve\(USDC, UNISWAP_V2_ROUTER, amount\)/);
  assert.match(await page.innerText('#bytecode'), /^0x[0-9a-f]+$/);
  const artifact = JSON.parse(await page.innerText('#artifact'));
  assert.equal(artifact.params.find((p) => p.name === 'amount').raw, '2000000000', 'the edited parameter was compiled in');

  mkdirSync(outDir, { recursive: true });
  await page.click('#tabs button[data-tab="report"]');
  await page.screenshot({ path: join(outDir, 'playground.png'), fullPage: true });

  // The link reproduces the run's script and parameters.
  await page.waitForFunction(() => location.hash.includes('params='));
  const link = page.url();
  const again = await browser.context.newPage();
  await again.goto(link);
  await again.waitForSelector('body[data-ready="1"]');
  assert.equal(await again.inputValue('#source'), await page.inputValue('#source'));
  assert.equal(await again.inputValue('#param-amount'), '2_000 USDC');

  assert.deepEqual(foreign, [], 'no request leaves the local server');
  assert.deepEqual(errors, []);
});
