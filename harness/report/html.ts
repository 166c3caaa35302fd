// The HTML report: one self-contained file (inline CSS and JS, no network) a person opens from a CI
// artifact. Suite summary; per case the stage pipeline as an SVG graph with the diverging stage
// highlighted; the selected stage's fields side by side (golden | model); the packet bytes with the
// bytes of changed fields marked.

import type { CaseResult, SuiteResult } from '../suite/result.js';
import type { StageRow, TraceDiff, CaseDiff, FieldDiff, MaskUse } from '../diff/types.js';
import type { FieldValue } from '../stage.js';
import type { Packet } from '../wire/packet.js';
import { formatValue } from '../diff/values.js';
import { counterText } from './text.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{font-size:1.4em;margin:0 0 .3em} h2{font-size:1.1em;margin:.2em 0}
.summary span{margin-right:1.2em;font-weight:600}
.passed{color:#1a7f37}.failed{color:#c62828}.error{color:#8e24aa}.skipped{color:#00838f}
.case{background:#fff;border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.8em 1em}
.case.snapshot{border-left:6px solid #f9a825}
.badge{display:inline-block;font-size:.75em;padding:1px 6px;border-radius:8px;background:#eee;margin-left:.5em}
.badge.snap{background:#fff3c4;color:#7a5b00}
.divergence{font-family:ui-monospace,monospace;background:#fdecea;padding:.4em .6em;border-radius:4px;margin:.4em 0;white-space:pre-wrap}
.followers{font-family:ui-monospace,monospace;color:#666;margin:.2em 0 .6em 1.2em;white-space:pre-wrap}
svg.pipeline{display:block;margin:.5em 0;overflow:visible}
svg .stage rect{fill:#e8f5e9;stroke:#66bb6a;stroke-width:1.5;cursor:pointer}
svg .stage.differ rect{fill:#fff3e0;stroke:#fb8c00}
svg .stage.missing rect{fill:#fff;stroke:#9e9e9e;stroke-dasharray:5 3}
svg .stage.extra rect{fill:#e3f2fd;stroke:#1e88e5;stroke-dasharray:2 2}
svg .stage.diverging rect{fill:#ffcdd2;stroke:#d32f2f;stroke-width:4}
svg .stage.selected rect{filter:drop-shadow(0 0 3px #333)}
svg .stage text{font:12px ui-monospace,monospace;pointer-events:none}
svg line{stroke:#888;stroke-width:1.5}
table.fields{border-collapse:collapse;font:12px ui-monospace,monospace;margin:.4em 0}
table.fields td,table.fields th{border:1px solid #ddd;padding:2px 8px;text-align:left}
tr.diff td{background:#ffebee} tr.diff td.got{color:#c62828;font-weight:700}
tr.masked td{color:#999;font-style:italic} tr.bound td{background:#e8eaf6} tr.unknown td{color:#6d4c41;font-style:italic}
.bytes{font:12px ui-monospace,monospace;white-space:pre;margin:.4em 0}
.bytes mark{background:#ef9a9a;color:#000;font-weight:700}
.detail{display:none}.detail.shown{display:block}
.errors{font-family:ui-monospace,monospace;color:#8e24aa;white-space:pre-wrap}
`;

const JS = `
document.querySelectorAll('svg .stage').forEach(function(g){
  g.addEventListener('click',function(){
    var c=g.closest('.case');
    c.querySelectorAll('.detail').forEach(function(d){d.classList.remove('shown')});
    c.querySelectorAll('svg .stage').forEach(function(s){s.classList.remove('selected')});
    var d=document.getElementById(g.getAttribute('data-detail'));
    if(d){d.classList.add('shown');g.classList.add('selected')}
  });
});
`;

const BOX_W = 150;
const BOX_H = 34;
const GAP = 28;
const PER_ROW = 6;

function pipeline(caseId: string, t: TraceDiff, divergingRow: number | undefined): string {
  const rows = t.rows;
  const lines = Math.ceil(rows.length / PER_ROW) || 1;
  const width = Math.min(rows.length, PER_ROW) * (BOX_W + GAP);
  const height = lines * (BOX_H + GAP);
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const x = (i % PER_ROW) * (BOX_W + GAP);
    const y = Math.floor(i / PER_ROW) * (BOX_H + GAP);
    if (i > 0) {
      const px = ((i - 1) % PER_ROW) * (BOX_W + GAP) + BOX_W;
      const py = Math.floor((i - 1) / PER_ROW) * (BOX_H + GAP) + BOX_H / 2;
      parts.push(py === y + BOX_H / 2
        ? `<line x1="${px}" y1="${py}" x2="${x - 4}" y2="${py}" marker-end="url(#arrow)"/>`
        : `<line x1="${px - BOX_W / 2}" y1="${py + BOX_H / 2}" x2="${x + BOX_W / 2}" y2="${y - 4}" marker-end="url(#arrow)"/>`);
    }
    const cls = ['stage', r.status, i === divergingRow ? 'diverging' : ''].filter(Boolean).join(' ');
    const label = r.node.length > 19 ? r.node.slice(0, 18) + '…' : r.node;
    const sym = r.status === 'missing' ? ' (missing)' : r.status === 'extra' ? ' (extra)' : '';
    parts.push(`<g class="${cls}" data-node="${esc(r.node)}" data-status="${r.status}" data-detail="${caseId}-t${t.trace}-r${i}" transform="translate(${x},${y})"><title>${esc(r.node + sym)}</title><rect width="${BOX_W}" height="${BOX_H}" rx="5"/><text x="8" y="21">${esc(label)}</text></g>`);
  });
  return `<svg class="pipeline" width="${width}" height="${height}" viewBox="-2 -2 ${width + 4} ${height + 4}" role="img" aria-label="stage pipeline"><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>${parts.join('')}</svg>`;
}

/** `masked by ip4.id (case): reason` - which mask hid the field and why. */
function maskNote(r: StageRow, key: string, masks: readonly MaskUse[]): string {
  const m = masks[r.maskedBy?.[key] ?? -1];
  if (!m) return 'masked';
  return `masked by ${m.path} (${m.origin === 'runtime' ? 'runtime mask' : `${m.origin} mask`}): ${m.reason ?? 'no reason given'}`;
}

function fieldsTable(r: StageRow, diffs: FieldDiff[], masks: readonly MaskUse[]): string {
  const g = r.golden?.fields ?? {};
  const m = r.model?.fields ?? {};
  const keys = [...new Set([...Object.keys(g), ...Object.keys(m)])];
  const byPath = new Map(diffs.map((d) => [d.path, d]));
  const rows = keys.map((k) => {
    const d = byPath.get(k);
    const unknown = r.unknown?.includes(k);
    const cls = d ? 'diff' : r.masked.includes(k) ? 'masked' : r.bound.includes(k) ? 'bound' : unknown ? 'unknown' : '';
    const val = (v: FieldValue | undefined) => esc(formatValue(v, k));
    const note = d?.note ?? (r.masked.includes(k) ? maskNote(r, k, masks) : r.bound.includes(k) ? 'bound' : unknown ? 'unknown: the model does not know these bytes' : '');
    return `<tr class="${cls}" data-field="${esc(k)}"><td>${esc(k)}</td><td class="expected">${val(g[k])}</td><td class="got">${val(k in m ? m[k] : undefined)}</td><td>${esc(note)}</td></tr>`;
  });
  for (const d of diffs) if (!keys.includes(d.path) && d.path) rows.push(`<tr class="diff" data-field="${esc(d.path)}"><td>${esc(d.path)}</td><td class="expected">${esc(formatValue(d.expected, d.path))}</td><td class="got">${esc(formatValue(d.got, d.path))}</td><td>${esc(d.note ?? '')}</td></tr>`);
  return `<table class="fields"><thead><tr><th>field</th><th>expected (golden)</th><th>got (model)</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function bytesView(p: Packet | undefined, changed: ReadonlySet<number>, title: string): string {
  if (!p) return '';
  const out: string[] = [];
  for (let off = 0; off < p.data.length; off += 16) {
    const cells: string[] = [];
    for (let i = off; i < Math.min(off + 16, p.data.length); i++) {
      const known = !p.known || p.known.has(i);
      const h = known ? p.data[i].toString(16).padStart(2, '0') : '..';
      cells.push(changed.has(i) ? `<mark title="byte ${i}">${h}</mark>` : h);
    }
    out.push(`${off.toString(16).padStart(4, '0')}  ${cells.join(' ')}`);
  }
  return `<div><b>${esc(title)}</b><div class="bytes">${out.join('\n')}</div></div>`;
}

function caseHtml(c: CaseResult, idx: number): string {
  const id = `c${idx}`;
  const snap = c.evidence === 'snapshot';
  const parts: string[] = [
    `<section class="case st-${c.status}${snap ? ' snapshot' : ''}" id="${id}" data-name="${esc(c.name)}" data-status="${c.status}">`,
    `<h2><span class="${c.status}">${c.status.toUpperCase()}</span> ${esc(c.name)}${snap ? '<span class="badge snap">snapshot: regression only, not conformance evidence</span>' : '<span class="badge">conformance</span>'}</h2>`,
    `<div>${esc(counterText(c.counters))} · ${esc(c.file)}</div>`,
  ];
  if (c.errors.length) parts.push(`<div class="errors">${c.errors.map((e) => esc(e.message)).join('\n')}</div>`);
  if (c.skipReason) parts.push(`<div>${esc(c.skipReason)}</div>`);
  c.comparisons.forEach((cmp) => {
    if (cmp.note) parts.push(`<div>${esc(cmp.note)}</div>`);
    const d: CaseDiff | undefined = cmp.diff;
    if (!d) return;
    for (const v of d.divergences) {
      parts.push(`<div class="divergence">${esc(v.summary)}</div>`);
      if (v.followers.length) parts.push(`<div class="followers">${v.followers.map((f) => esc(`${f.stage}: ${f.path} expected ${formatValue(f.expected, f.path)}, got ${formatValue(f.got, f.path)}`)).join('\n')}</div>`);
    }
    for (const t of d.traces) {
      const first = d.divergences.find((v) => v.first.trace === t.trace)?.first;
      // A golden sequence: name the file this trace came from, and its packet number there.
      const part = cmp.parts?.find((p) => t.trace >= p.firstTrace && t.trace < p.firstTrace + p.traces);
      const from = part ? `${part.file} packet ${t.trace - part.firstTrace + 1}` : cmp.file;
      const source = part ? part.source : cmp.source;
      parts.push(`<div class="trace"><b>${esc(t.label)}</b> <small>(golden ${esc(from)}${source ? `, ${esc(source)}` : ''})</small>`);
      parts.push(pipeline(id, t, first?.row));
      t.rows.forEach((r, i) => {
        const diffs = d.diffs.filter((x) => x.trace === t.trace && x.row === i);
        const changed = new Set(r.changedBytes);
        for (const [o, l] of r.changedFields) for (let b = o; b < o + l; b++) changed.add(b);
        const shown = i === first?.row ? ' shown' : '';
        parts.push(`<div class="detail${shown}" id="${id}-t${t.trace}-r${i}"><h3>${esc(r.node)} <small>${r.status}</small></h3>${fieldsTable(r, diffs, d.masks ?? [])}${bytesView(r.golden?.packet, changed, 'golden packet')}${bytesView(r.model?.packet, changed, 'model packet (changed fields marked)')}</div>`);
      });
      parts.push('</div>');
    }
  });
  parts.push('</section>');
  return parts.join('\n');
}

export function htmlReport(r: SuiteResult): string {
  const t = r.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dpconform report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<style>${CSS}</style></head><body>
<h1>dpconform run</h1>
<div class="summary"><span>${r.cases.length} cases</span><span class="passed">${t.passed} passed</span><span class="failed">${t.failed} failed</span><span class="error">${t.error} errors</span><span class="skipped">${t.skipped} skipped</span>${r.shard ? `<span>shard ${esc(r.shard)}</span>` : ''}</div>
<div>conformance: ${esc(counterText(r.conformance))}</div>
<div>snapshots (regression only, not evidence): ${esc(counterText(r.snapshot))}</div>
${r.cases.map(caseHtml).join('\n')}
<script>${JS}</script>
</body></html>
`;
}
