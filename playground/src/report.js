// The dry-run report rendered for people: verdict, permissions, asset and position changes,
// the call tree, gas, return values, events and warnings.
import { escapeHtml as h } from './highlight.js';

/** A base-unit integer string as a decimal amount (`1000000`, 6 → `1`). */
export function formatUnits(value, decimals) {
  if (decimals == null || !/^-?\d+$/.test(String(value))) return String(value);
  let v = BigInt(value);
  const neg = v < 0n;
  if (neg) v = -v;
  const scale = 10n ** BigInt(decimals);
  const whole = v / scale;
  let frac = (v % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

const signed = (text) => (text.startsWith('-') ? 'neg' : text === '0' ? '' : 'pos');
const plus = (text) => (text.startsWith('-') || text === '0' ? text : `+${text}`);

/** Address → name, from what the report names: called contracts, tokens, spenders. */
let names = new Map();
function collectNames(report) {
  names = new Map();
  const walk = (calls) => {
    for (const c of calls) {
      if (c.name) names.set(c.to.toLowerCase(), c.name);
      walk(c.calls);
    }
  };
  walk(report.calls);
  for (const a of report.asset_changes) names.set(a.token.toLowerCase(), a.symbol);
  for (const a of report.allowances_left) if (a.spender_name) names.set(a.spender.toLowerCase(), a.spender_name);
}

function value(v) {
  if (v == null) return '';
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v) && names.has(v.toLowerCase())) {
    return `<span title="${h(v)}">${h(names.get(v.toLowerCase()))}</span>`;
  }
  if (typeof v !== 'object') return h(v);
  if (Array.isArray(v)) return `[${v.map(value).join(', ')}]`;
  if ('value' in v) return `${v.name ? `${h(v.name)}: ` : ''}${value(v.value)}`;
  return h(JSON.stringify(v));
}

function callTree(calls) {
  if (!calls.length) return '';
  const items = calls.map((c) => {
    const fn = c.signature ? c.signature.slice(0, c.signature.indexOf('(')) : c.input.slice(0, 10) || 'receive';
    const what = `${c.name ?? c.to}.${fn}`;
    const args = c.args ? `(${c.args.map(value).join(', ')})` : '';
    const rets = c.returns && c.returns.length ? ` → ${c.returns.map(value).join(', ')}` : '';
    const status = c.success ? '' : ` <span class="failed">reverted${c.revert_reason ? `: ${h(c.revert_reason)}` : ''}</span>`;
    const eth = c.value && c.value !== '0' ? ` <span class="to">value ${h(formatUnits(c.value, 18))} ETH</span>` : '';
    return `<li><span class="kind">${h(c.kind)}</span> <span class="fn">${h(what)}${args}${rets}</span>${eth}
      <span class="loc">${c.location ? h(c.location) : ''} · ${c.gas_used.toLocaleString('en-US')} gas</span>${status}
      ${callTree(c.calls)}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

/** The report's HTML. */
export function renderReport(report) {
  collectNames(report);
  const parts = [];
  if (report.success) {
    parts.push('<p class="verdict good">✓ The dry run succeeded</p>');
  } else {
    const r = report.revert ?? {};
    parts.push(
      `<p class="verdict bad">✗ The dry run reverted: ${h(r.reason ?? '')}${r.location ? ` <span class="loc">at ${h(r.location)}</span>` : ''}</p>`,
    );
  }
  parts.push('<h3>Permissions</h3>');
  if (!report.allowances_left.length) {
    parts.push('<p class="perm-ok" id="permissions-verdict">✓ no permission left behind</p>');
  } else {
    parts.push(
      `<p class="perm-bad" id="permissions-verdict">✗ ${report.allowances_left.length} permission(s) left behind</p><ul>${report.allowances_left
        .map((a) => `<li>${h(a.what)} <span class="loc">(before ${h(a.before)}, after ${h(a.after)})</span></li>`)
        .join('')}</ul>`,
    );
  }
  if (report.vault_storage_changes.length) {
    parts.push(`<p class="perm-bad">✗ the vault's own storage was written (${report.vault_storage_changes.length} slot(s))</p>`);
  }
  parts.push('<h3>Asset changes</h3>');
  if (!report.asset_changes.length) {
    parts.push('<p class="hint">The vault\'s balances did not change.</p>');
  } else {
    const rows = report.asset_changes.map((a) => {
      const delta = formatUnits(a.delta, a.decimals);
      return `<tr><td>${h(a.symbol)}${a.token_id ? ` #${h(a.token_id)}` : ''}</td><td class="num">${h(formatUnits(a.before, a.decimals))}</td>
        <td class="num">${h(formatUnits(a.after, a.decimals))}</td><td class="num ${signed(delta)}">${h(plus(delta))}</td></tr>`;
    });
    parts.push(`<table id="asset-changes"><thead><tr><th>Asset</th><th>Before</th><th>After</th><th>Change</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  if (report.position_changes.length) {
    parts.push('<h3>Positions</h3>');
    const rows = report.position_changes.map((p) => {
      const delta = formatUnits(p.delta, p.decimals);
      return `<tr><td>${h(p.protocol)} ${h(p.market)}</td><td>${h(p.kind)} ${h(p.asset)}</td><td class="num">${h(formatUnits(p.before, p.decimals))}</td>
        <td class="num">${h(formatUnits(p.after, p.decimals))}</td><td class="num ${signed(delta)}">${h(plus(delta))}</td></tr>`;
    });
    parts.push(`<table><thead><tr><th>Market</th><th>Position</th><th>Before</th><th>After</th><th>Change</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  parts.push('<h3>Calls</h3>');
  parts.push(report.calls.length ? `<div class="calls">${callTree(report.calls)}</div>` : '<p class="hint">No calls.</p>');
  const g = report.gas;
  parts.push('<h3>Gas</h3>');
  const gasRows = [
    ['Total (transaction)', g.total],
    ['Base', g.base],
    ['Calldata', g.calldata],
    ['Execution', g.execution],
    ['HyVM overhead', g.hyvm_overhead],
    ['Vault overhead', g.vault_overhead],
    ['Refund', g.refund],
  ];
  if (g.calldata_floor_topup) gasRows.push(['Calldata floor top-up', g.calldata_floor_topup]);
  parts.push(
    `<table id="gas">${gasRows.map(([k, v]) => `<tr><th>${k}</th><td class="num">${v.toLocaleString('en-US')}</td></tr>`).join('')}
     <tr><th>Guest instructions</th><td class="num">${report.guest_instructions.toLocaleString('en-US')}</td></tr></table>`,
  );
  if (report.return && report.return.length) {
    parts.push(`<h3>Returned</h3><p>${report.return.map(value).join(', ')}</p>`);
  }
  if (report.events.length) {
    parts.push(
      `<h3>Events</h3><ul>${report.events.map((e) => `<li><span class="fn">${h(e.name ?? e.event ?? e.topics[0] ?? 'log')}</span>${e.args ? `(${e.args.map(value).join(', ')})` : ''} <span class="to">${h(e.address)}</span></li>`).join('')}</ul>`,
    );
  }
  if (report.warnings.length) {
    parts.push(`<h3>Warnings</h3><ul>${report.warnings.map((w) => `<li>${h(w.message)}</li>`).join('')}</ul>`);
  }
  return `<div class="report">${parts.join('\n')}</div>`;
}
