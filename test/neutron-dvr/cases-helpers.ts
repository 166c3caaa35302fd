// Shared by the bundled-case tests: run a DVR case through the harness runner, copy a case tree to
// change one golden byte, and say which traffic a diff's golden packet belongs to.

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import type { CaseResult } from '../../harness/suite/result.js';
import { getModel } from '../../models/index.js';
import { readCaptureBytes } from '../../harness/io/capture.js';
import type { Packet } from '../../harness/wire/packet.js';
import { CASE_FIXTURES, CASE_GOLDENS, trafficOf } from '../../lab/dvr/cases.js';

export async function runDvrCase(root: string, name: string): Promise<CaseResult> {
  const { spec, errors } = loadCase(join(root, CASE_FIXTURES, name, 'case.yaml'), name);
  if (!spec) throw new Error(errors.map((e) => e.message).join('\n'));
  return runCase(spec, { resolveModel: getModel });
}

export function goldenPackets(root: string, name: string, file: string): Packet[] {
  return readCaptureBytes(readFileSync(join(root, CASE_GOLDENS, name, file)), file);
}

/** A copy of the repository's DVR cases and goldens in a temporary root (same relative layout). */
export function copyCases(): string {
  const root = mkdtempSync(join(tmpdir(), 'dvr-cases-'));
  cpSync(CASE_FIXTURES, join(root, CASE_FIXTURES), { recursive: true });
  cpSync(CASE_GOLDENS, join(root, CASE_GOLDENS), { recursive: true });
  return root;
}

/** XOR one byte of frame `frame` (1-based) of a pcap file in place. */
export function flipByte(path: string, frame: number, offsetInFrame: number, xor: number): void {
  const b = readFileSync(path);
  let off = 24; // pcap global header, then 16-byte record headers (caplen at +8, little-endian)
  for (let i = 1; i < frame; i++) off += 16 + b.readUInt32LE(off + 8);
  b[off + 16 + offsetInFrame] ^= xor;
  writeFileSync(path, b);
}

/** The failing field diffs of a result, each with the traffic its golden packet belongs to. */
export function failingDiffs(r: CaseResult): { device: string; trace: number; path: string; traffic?: string }[] {
  const out: { device: string; trace: number; path: string; traffic?: string }[] = [];
  for (const c of r.comparisons) {
    if (!c.diff) continue;
    const file = c.file.split('/').pop()!;
    const packets = readCaptureBytes(readFileSync(c.file), file);
    for (const d of c.diff.diffs) out.push({ device: c.interface ?? '', trace: d.trace, path: d.path, traffic: packets[d.trace - 1] ? trafficOf(packets[d.trace - 1]) : undefined });
  }
  return out;
}
