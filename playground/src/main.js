// The playground: an editor with Nest highlighting and diagnostics as you type, the
// examples, compile output (bytecode, asm with source lines, artifact) and the dry run
// rendered for people. The script and its parameters live in the URL's hash.
import * as nest from '@nest-lang/compiler';
import { EXAMPLES } from './examples.gen.js';
import { escapeHtml as h, highlight, squiggles } from './highlight.js';
import { renderReport } from './report.js';

const NAME = 'main.ns';
const $ = (id) => document.getElementById(id);
const source = $('source');
const overlay = $('highlight');
const gutter = $('gutter');
const status = $('status');
const timings = { checks: [], compiles: [], runs: [] };
let params = {};
let lastDiagnostics = [];

function time(f) {
  const t0 = performance.now();
  const result = f();
  return [result, performance.now() - t0];
}

// ---- the URL hash: #example=NAME, or #code=BASE64URL&params=BASE64URL(JSON) ----------------
function b64encode(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function b64decode(text) {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  let code = null;
  let p = {};
  try {
    if (q.get('code')) code = b64decode(q.get('code'));
    if (q.get('params')) p = JSON.parse(b64decode(q.get('params')));
  } catch {
    status.textContent = 'the link is damaged: starting from an example';
  }
  const example = q.get('example');
  if (code == null && example) {
    const found = EXAMPLES.find((e) => e.name === example || e.name === `${example}.ns`);
    if (found) code = found.source;
    else status.textContent = `no example named “${example}”`;
  }
  return { code, params: p && typeof p === 'object' ? p : {}, example };
}
let hashTimer = 0;
function writeHash() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => {
    const q = new URLSearchParams();
    q.set('code', b64encode(source.value));
    const set = Object.fromEntries(Object.entries(params).filter(([, v]) => v.trim() !== ''));
    if (Object.keys(set).length) q.set('params', b64encode(JSON.stringify(set)));
    history.replaceState(null, '', `#${q}`);
  }, 250);
}

// ---- the editor --------------------------------------------------------------------------
function paint() {
  const text = source.value;
  overlay.innerHTML = highlight(text, squiggles(text, lastDiagnostics, NAME));
  const lines = text.split('\n').length;
  const bad = new Map();
  for (const d of lastDiagnostics) {
    if (d.file === NAME && d.line != null && bad.get(d.line) !== 'error') bad.set(d.line, d.severity);
  }
  let g = '';
  for (let i = 1; i <= lines; i++) {
    const sev = bad.get(i);
    g += sev ? `<span class="${sev === 'error' ? 'bad' : 'warned'}" data-line="${i}">${i}</span>\n` : `${i}\n`;
  }
  gutter.innerHTML = g;
  source.style.height = `${overlay.scrollHeight}px`;
  source.style.width = `${Math.max(overlay.scrollWidth, overlay.parentElement.clientWidth)}px`;
}

function renderDiagnostics(diags, where) {
  lastDiagnostics = diags;
  const box = $('diagnostics');
  if (!diags.length) {
    box.innerHTML = `<div class="diag ok">✓ no problems (${where})</div>`;
  } else {
    box.innerHTML = diags
      .map((d) => {
        const at = d.line != null ? `${d.file === NAME ? '' : `${h(d.file)}:`}${d.line}:${d.col}` : '';
        const label = d.labels.find((l) => l.primary && l.message);
        return `<div class="diag ${d.severity}" data-line="${d.line ?? ''}" data-code="${h(d.code)}">
          <span class="where">line ${at}</span> <span class="code">${h(d.code)}</span> ${h(d.message)}
          ${label ? `<div class="note">${h(label.message)}</div>` : ''}
          ${d.notes.map((n) => `<div class="note">note: ${h(n)}</div>`).join('')}
          ${d.help ? `<div class="help">help: ${h(d.help)}</div>` : ''}</div>`;
      })
      .join('');
  }
  paint();
}

// ---- parameters --------------------------------------------------------------------------
const PARAM = /^[ \t]*param[ \t]+([A-Za-z_]\w*)[ \t]*:[ \t]*([^=\n]*?)[ \t]*(?:=[ \t]*([^\n]*?))?[ \t]*$/gm;
function renderParams() {
  const found = [...source.value.matchAll(PARAM)].map((m) => ({ name: m[1], type: m[2], value: m[3] ?? '' }));
  const tbody = $('params').tBodies[0];
  const key = JSON.stringify(found);
  if (tbody.dataset.names === key) return;
  tbody.dataset.names = key;
  tbody.innerHTML = found
    .map(
      (p) => `<tr><td><label for="param-${h(p.name)}">${h(p.name)}</label></td><td class="ty">${h(p.type)}</td>
        <td><input id="param-${h(p.name)}" data-param="${h(p.name)}" placeholder="${h(p.value || 'required')}" value="${h(params[p.name] ?? '')}"></td></tr>`,
    )
    .join('');
  $('params-hint').hidden = found.length === 0;
  $('params-box').querySelector('h2').textContent = found.length ? 'Parameters' : 'Parameters (none)';
}
$('params').addEventListener('input', (e) => {
  const name = e.target.dataset.param;
  if (!name) return;
  params[name] = e.target.value;
  writeHash();
  scheduleCheck();
});
function paramPairs() {
  return Object.entries(params).filter(([, v]) => v.trim() !== '');
}

// ---- checking as you type ----------------------------------------------------------------
let checkTimer = 0;
/** Shows an error the compiler threw (a script nested too deeply for the engine's stack). */
function showThrown(e) {
  lastDiagnostics = [];
  $('diagnostics').innerHTML = `<div class="diag error">${h(e.message ?? String(e))}</div>`;
  status.textContent = e.name ?? 'error';
  paint();
}

function checkNow() {
  try {
    checkOnce();
  } catch (e) {
    showThrown(e);
  }
}

function checkOnce() {
  const [r, ms] = time(() => nest.check(source.value, { name: NAME, params: paramPairs() }));
  timings.checks.push(ms);
  renderDiagnostics(r.diagnostics, `checked in ${ms.toFixed(1)} ms`);
  status.textContent = r.ok ? `checked in ${ms.toFixed(1)} ms` : `${r.diagnostics.filter((d) => d.severity === 'error').length} error(s)`;
}
function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkNow, 120);
}
source.addEventListener('input', () => {
  select.value = '';
  paint();
  renderParams();
  writeHash();
  scheduleCheck();
});
source.addEventListener('keydown', (e) => {
  if (e.key === 'Tab' && !e.shiftKey) {
    e.preventDefault();
    document.execCommand('insertText', false, '    ');
  } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    runNow();
  }
});

// ---- compile and run ---------------------------------------------------------------------
/** The asm listing with each location's source line shown after it. */
function asmWithSource(asm, text) {
  const lines = text.split('\n');
  const esc = NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const loc = new RegExp(`${esc}:(\\d+)(?::\\d+)?`);
  let last = null;
  return asm
    .split('\n')
    .map((line) => {
      const m = loc.exec(line);
      if (!m || m[1] === last) return h(line);
      last = m[1];
      const src = (lines[Number(m[1]) - 1] ?? '').trim();
      return `${h(line)}  <span class="tok-com">// ${h(src)}</span>`;
    })
    .join('\n');
}

function showTab(name) {
  for (const b of document.querySelectorAll('#tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== `panel-${name}`;
}
for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));

function runNow() {
  clearTimeout(checkTimer);
  try {
    runOnce();
  } catch (e) {
    showThrown(e);
  }
}

function runOnce() {
  const opts = { name: NAME, params: paramPairs() };
  const [compiled, compileMs] = time(() => nest.compile(source.value, opts));
  timings.compiles.push(compileMs);
  if (!compiled.ok) {
    renderDiagnostics(compiled.diagnostics, 'compile');
    status.textContent = `does not compile: ${compiled.diagnostics.filter((d) => d.severity === 'error').length} error(s)`;
    $('panel-report').innerHTML = '<p class="verdict bad">✗ The script does not compile: see the diagnostics.</p>';
    for (const id of ['bytecode', 'asm', 'artifact']) $(id).textContent = '';
    showTab('report');
    return;
  }
  renderDiagnostics(compiled.diagnostics, `compiled in ${compileMs.toFixed(1)} ms`);
  $('bytecode').textContent = compiled.bytecode;
  $('asm').innerHTML = asmWithSource(compiled.asm, source.value);
  $('artifact').textContent = compiled.artifactJson;
  const [ran, runMs] = time(() => nest.run(source.value, opts));
  timings.runs.push(runMs);
  if (ran.report) {
    $('panel-report').innerHTML = renderReport(ran.report);
  } else {
    $('panel-report').innerHTML = `<p class="verdict bad">✗ ${h(ran.error ?? 'the dry run failed')}</p>`;
  }
  status.textContent = `compiled in ${compileMs.toFixed(1)} ms (${(compiled.bytecode.length - 2) / 2} bytes), dry run in ${runMs.toFixed(0)} ms`;
  showTab('report');
}
$('run').addEventListener('click', runNow);
$('format').addEventListener('click', () => {
  try {
    const formatted = nest.format(source.value);
    if (formatted !== source.value) {
      source.focus();
      source.select();
      document.execCommand('insertText', false, formatted);
    }
  } catch (e) {
    renderDiagnostics(e.diagnostics ?? [], 'format');
    status.textContent = 'not formatted: syntax errors';
  }
});

// ---- examples ----------------------------------------------------------------------------
const select = $('examples');
select.innerHTML = `<option value="">(your script)</option>${EXAMPLES.map((e) => `<option value="${h(e.name)}">${h(e.name)}</option>`).join('')}`;
select.addEventListener('change', () => {
  if (!select.value) return;
  location.hash = `example=${encodeURIComponent(select.value.replace(/\.ns$/, ''))}`;
});
function load() {
  const { code, params: p, example } = readHash();
  source.value = code ?? EXAMPLES.find((e) => e.name === 'swap.ns')?.source ?? EXAMPLES[0].source;
  params = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));
  select.value = example && EXAMPLES.some((e) => e.name === `${example}.ns`) ? `${example}.ns` : '';
  const tbody = $('params').tBodies[0];
  delete tbody.dataset.names;
  renderParams();
  checkNow();
}
window.addEventListener('hashchange', () => {
  // Our own replaceState does not fire this: only links, the menu and the user do.
  load();
});

$('version').textContent = `nestc ${nest.version()} (WebAssembly)`;
load();
document.body.dataset.ready = '1';
window.nestPlayground = { nest, timings, readyAt: performance.now(), runNow, checkNow, warmedAt: null };
// Once the page is interactive, deploy the devnet in the background (an empty payload's dry
// run builds and keeps it), so that the first Run costs only the run itself.
setTimeout(() => {
  const t0 = performance.now();
  nest.runBytecode('0x00');
  window.nestPlayground.warmedAt = performance.now();
  window.nestPlayground.warmMs = window.nestPlayground.warmedAt - t0;
}, 0);
