// `dpconform diff A B` as a library function: read two traces or two captures (format from the file
// name), then match and diff their packets (diff/packet-match.ts). Two captures go through
// diff-captures.ts, two VPP trace files through diff-traces.ts (bounded memory, same result); stage
// records, and a trace on a pipe, are read whole, their stage packets built one matched pair at a
// time (stage-packets.ts).

import { InputError } from '../io/input-error.js';
import { parseFieldPath } from '../diff/mask-path.js';
import { runtimeMaskRules, type MaskRule } from '../diff/runtime-masks.js';
import type { SourceKind } from './case-spec.js';
import { diffPacketSets, type PacketSetDiff } from '../diff/packet-match.js';
import { packetsAsTraces } from '../diff/packet-stages.js';
import type { PacketTrace } from '../stage.js';
import { kindFromExtension } from './load-case.js';
import { readTraces } from './sources.js';
import { isRebuiltFromRecord, withStagePackets } from './stage-packets.js';
import { captureReader, dissector } from './peers.js';
import { basename } from 'node:path';
import { diffCaptures, type CaptureReadSizes, type DiffProgress } from './diff-captures.js';
import { diffTraces } from './diff-traces.js';
import { statSync } from 'node:fs';
import { sameFile } from '../io/same-file.js';

/** A regular file (a pipe or device cannot be read a second time). */
function isPlainFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

function kindOf(file: string): SourceKind {
  const kind = kindFromExtension(file);
  if (!kind) throw new InputError('cannot tell the format from the file name (.trace/.txt, .pcap/.pcapng, .json)', { file }, 'diff.unknown-format');
  return kind;
}

/** Progress of a diff: packets read so far (total unknown), then pairs compared of all matched. */
export type { DiffProgress };

async function readAny(file: string, progress?: DiffProgress): Promise<PacketTrace[]> {
  const kind = kindOf(file);
  if (kind !== 'capture') return readTraces(file, kind);
  const read = await captureReader(file);
  const dissect = await dissector();
  const out: PacketTrace[] = [];
  for await (const batch of read(file)) {
    // Dissected batch by batch, so a large capture shows progress while it is read.
    for (const t of packetsAsTraces(batch, dissect)) out.push(t);
    progress?.(out.length, undefined, `reading ${basename(file)}`);
  }
  // Numbered by frame, else by position in the whole file (not in its batch).
  out.forEach((t, i) => (t.number = t.stages[0]?.packet?.meta.frame ?? i + 1));
  return out;
}

export interface DiffFilesOptions {
  masks?: string[];
  progress?: DiffProgress;
  /** Captures and VPP traces too: every packet's fields in memory, then diffPacketSets (the reference the bounded paths are tested against). */
  inMemory?: boolean;
  /** Captures: read sizes (tests make them small, so pairs straddle batches and recycled buffers). */
  read?: CaptureReadSizes;
}

export async function diffFiles(a: string, b: string, opts: DiffFilesOptions = {}): Promise<PacketSetDiff> {
  const own = (opts.masks ?? []).map((m, i): MaskRule => {
    try {
      return { path: parseFieldPath(m), reason: null, origin: 'cli' };
    } catch (e) {
      throw e instanceof InputError ? new InputError(e.reason, { key: `--mask[${i}]` }, e.code) : e;
    }
  });
  // Two runs of a real dataplane differ in runtime state too (clock, buffer indices): masked as in `run`.
  const kinds = [...new Set([kindOf(a), kindOf(b)])];
  const masks = [...kinds.flatMap((k) => runtimeMaskRules(k)), ...own];
  if (kinds.length === 1 && kinds[0] === 'capture' && !opts.inMemory) return diffCaptures(a, b, { masks, peers: true, dissect: await dissector() }, opts.progress, opts.read);
  // Two VPP trace files: read twice, in bounded memory. A pipe can be read once only: held whole, as before.
  if (kinds.length === 1 && kinds[0] === 'trace' && !opts.inMemory && [a, b].every(isPlainFile)) return diffTraces(a, b, { masks, peers: true, dissect: await dissector(), rebuiltPacket: isRebuiltFromRecord }, opts.progress);
  // One after the other: one progress line at a time, and one file's packets in memory while reading.
  const ta = await readAny(a, opts.progress);
  // One file given twice is read once (diff-traces.ts): its warnings told once.
  const tb = sameFile(a, b) ? ta : await readAny(b, opts.progress);
  // Captures of one packet on two interfaces differ in interface name only: compare by position in the pair.
  for (const t of [...ta, ...tb]) for (const s of t.stages) if (t.stages.length === 1) s.node = 'packet';
  const progress = opts.progress;
  return diffPacketSets(ta, tb, { masks, peers: true, dissect: await dissector(), withPackets: withStagePackets, rebuiltPacket: isRebuiltFromRecord, onProgress: progress && ((done, total) => progress(done, total, 'comparing matched packets')) });
}
