// Writing goldens for --update: atomically (a temp file in the same folder, then rename, so a reader
// or a crash never sees half a golden), never deleting one, and saying what changed.

import { existsSync, readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { hex } from '../wire/bytes.js';
import type { CaptureWriter } from './peers.js';
import { basename, dirname, join } from 'node:path';
import type { PacketTrace } from '../stage.js';
import type { Packet } from '../wire/packet.js';
import { alignByKey } from '../diff/align.js';
import { stagesToJson } from './stage-json.js';
import type { GoldenSpec } from './case-spec.js';

export interface GoldenUpdate {
  file: string;
  created: boolean;
  /** Lines added/removed against the previous golden (text goldens). */
  added: number;
  removed: number;
  /** The first changed lines, `+ ...` / `- ...`, for the report. */
  preview: string[];
  unchanged: boolean;
  /** What added/removed count: lines of a text golden, packets of a capture. */
  unit: 'lines' | 'packets';
}

/** VPP `show trace` layout from stage records (each stage's lines are exactly as the node prints them). */
export function tracesToText(traces: readonly PacketTrace[]): string {
  const out: string[] = [];
  traces.forEach((t, i) => {
    out.push(`Packet ${t.number ?? i + 1}`, '');
    for (const s of t.stages) {
      out.push(`${s.time ?? '00:00:00:000000'}: ${s.node}`, ...s.lines);
    }
    out.push('');
  });
  return out.join('\n');
}

export function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
}

function lineDiff(before: string, after: string): Pick<GoldenUpdate, 'added' | 'removed' | 'preview'> {
  return itemDiff(before.split('\n'), after.split('\n'));
}

/** Added/removed items (LCS), the first few as `+ item` / `- item`. */
function itemDiff(a: string[], b: string[], show: (s: string) => string = (s) => s): Pick<GoldenUpdate, 'added' | 'removed' | 'preview'> {
  let added = 0;
  let removed = 0;
  const preview: string[] = [];
  for (const x of alignByKey(b, a, (s) => s, (s) => s)) {
    if (x.model !== undefined && x.golden === undefined) {
      added++;
      if (preview.length < 8) preview.push(`+ ${show(x.model)}`);
    } else if (x.golden !== undefined && x.model === undefined) {
      removed++;
      if (preview.length < 8) preview.push(`- ${show(x.golden)}`);
    }
  }
  return { added, removed, preview };
}

/** Text content of a golden in its own format (captures are written by the capture writer instead). */
export function goldenText(golden: GoldenSpec, traces: readonly PacketTrace[]): string {
  return golden.kind === 'stages' ? stagesToJson(traces) : tracesToText(traces);
}

export function updateTextGolden(golden: GoldenSpec, text: string): GoldenUpdate {
  const created = !existsSync(golden.file);
  const before = created ? '' : readFileSync(golden.file, 'utf8');
  if (before === text) return { file: golden.file, created: false, added: 0, removed: 0, preview: [], unchanged: true, unit: 'lines' };
  writeAtomically(golden.file, text);
  return { file: golden.file, created, ...lineDiff(before, text), unchanged: false, unit: 'lines' };
}

/**
 * Rewrite a capture golden with `packets` (the model's output on the golden's interface): written to
 * a temp file by the capture writer, kept only if its bytes differ, then renamed over the golden.
 * `before` are the golden's current packets; `label` names a packet in the preview.
 */
export async function updateCaptureGolden(
  golden: GoldenSpec,
  packets: readonly Packet[],
  before: readonly Packet[],
  write: CaptureWriter,
  label: (p: Packet) => string,
): Promise<GoldenUpdate> {
  const created = !existsSync(golden.file);
  const tmp = join(dirname(golden.file), `.${basename(golden.file)}.${process.pid}.tmp`);
  try {
    await write(tmp, packets);
    if (!created && Buffer.compare(readFileSync(tmp), readFileSync(golden.file)) === 0) {
      unlinkSync(tmp);
      return { file: golden.file, created: false, added: 0, removed: 0, preview: [], unchanged: true, unit: 'packets' };
    }
    renameSync(tmp, golden.file);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
  const labels = new Map<string, string>();
  const key = (p: Packet) => {
    const k = hex(p.data);
    if (!labels.has(k)) labels.set(k, label(p));
    return k;
  };
  return { file: golden.file, created, ...itemDiff(before.map(key), packets.map(key), (k) => labels.get(k)!), unchanged: false, unit: 'packets' };
}
