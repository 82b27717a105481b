// Nest highlighting and diagnostic squiggles for the editor's overlay: the text becomes
// HTML spans (token classes, and an underline where a diagnostic points).

const KEYWORDS = new Set([
  'use', 'token', 'interface', 'const', 'param', 'fn', 'let', 'mut', 'if', 'else', 'for', 'in',
  'with', 'return', 'as', 'true', 'false', 'self',
]);

const TOKEN = new RegExp(
  [
    '(?<com>//[^\\n]*|/\\*[\\s\\S]*?(?:\\*/|$))',
    '(?<str>"(?:[^"\\\\\\n]|\\\\.)*"?)',
    '(?<attr>#\\[[^\\]\\n]*\\]?)',
    '(?<num>0[xX][0-9a-fA-F_]+|\\d[\\d_]*(?:\\.\\d[\\d_]*)?(?:[eE]\\d+)?)',
    '(?<word>[A-Za-z_][A-Za-z0-9_]*)',
  ].join('|'),
  'g',
);

/** The token spans of `text`: [start, end, class] in UTF-16 offsets, in order. */
export function tokens(text) {
  const out = [];
  for (const m of text.matchAll(TOKEN)) {
    const g = m.groups;
    let cls = null;
    if (g.com !== undefined) cls = 'tok-com';
    else if (g.str !== undefined) cls = 'tok-str';
    else if (g.attr !== undefined) cls = 'tok-attr';
    else if (g.num !== undefined) cls = 'tok-num';
    else if (KEYWORDS.has(g.word)) cls = 'tok-kw';
    else if (/^[A-Z]/.test(g.word)) cls = 'tok-ty';
    if (cls) out.push([m.index, m.index + m[0].length, cls]);
  }
  return out;
}

/** The UTF-16 offset of a 1-based line and column counted in characters (code points). */
export function offsetOf(text, lineStarts, line, col) {
  if (line == null || col == null) return null;
  const start = lineStarts[Math.min(Math.max(line, 1), lineStarts.length) - 1];
  let at = start;
  for (let c = 1; c < col && at < text.length && text[at] !== '\n'; c++) {
    at += text.codePointAt(at) > 0xffff ? 2 : 1;
  }
  return at;
}

export function lineStartsOf(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/**
 * The squiggles of `diagnostics` (those in file `name`): [start, end, severity], each at
 * least one character wide (an empty span marks the character before it, or after).
 */
export function squiggles(text, diagnostics, name) {
  const starts = lineStartsOf(text);
  const out = [];
  for (const d of diagnostics) {
    for (const label of d.labels.length ? d.labels : [d]) {
      if (label.file !== name || label.line == null) continue;
      if (d.labels.length && !label.primary) continue;
      let s = offsetOf(text, starts, label.line, label.col);
      let e = offsetOf(text, starts, label.end_line, label.end_col) ?? s;
      if (e <= s) {
        e = s + 1;
        if (s >= text.length || text[s] === '\n') {
          s = Math.max(0, s - 1);
          e = s + 1;
        }
      }
      out.push([s, Math.min(e, text.length), d.severity]);
    }
  }
  return out;
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export const escapeHtml = (s) => String(s).replace(/[&<>"]/g, (c) => ESCAPES[c]);

/** The overlay's HTML: highlighted tokens, squiggled where a diagnostic points. */
export function highlight(text, marks = []) {
  const toks = tokens(text);
  const cuts = new Set([0, text.length]);
  for (const [s, e] of toks) cuts.add(s).add(e);
  for (const [s, e] of marks) cuts.add(s).add(e);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  let html = '';
  let ti = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    while (ti < toks.length && toks[ti][1] <= a) ti++;
    const classes = [];
    if (ti < toks.length && toks[ti][0] <= a && b <= toks[ti][1]) classes.push(toks[ti][2]);
    const over = marks.filter(([s, e]) => s <= a && b <= e);
    if (over.some((m) => m[2] === 'error')) classes.push('squiggle-error');
    else if (over.length) classes.push('squiggle-warning');
    const piece = escapeHtml(text.slice(a, b));
    html += classes.length ? `<span class="${classes.join(' ')}">${piece}</span>` : piece;
  }
  // A final newline needs a line after it to keep the overlay as tall as the textarea.
  return `${html}\n`;
}
