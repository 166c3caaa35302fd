// `dpconform diff A B` as a library function: read two traces or two captures (format from the file
// name), then match and diff their packets (diff/packet-match.ts).

import { InputError } from '../io/input-error.js';
import { parseFieldPath } from '../diff/mask-path.js';
import { runtimeMaskRules, type MaskRule } from '../diff/runtime-masks.js';
import type { SourceKind } from './case-spec.js';
import { diffPacketSets, type PacketSetDiff } from '../diff/packet-match.js';
import { packetsAsTraces } from '../diff/packet-stages.js';
import type { PacketTrace } from '../stage.js';
import { kindFromExtension } from './load-case.js';
import { readCapturePackets, readTraces } from './sources.js';
import { dissector } from './peers.js';

function kindOf(file: string): SourceKind {
  const kind = kindFromExtension(file);
  if (!kind) throw new InputError('cannot tell the format from the file name (.trace/.txt, .pcap/.pcapng, .json)', { file }, 'diff.unknown-format');
  return kind;
}

async function readAny(file: string): Promise<PacketTrace[]> {
  const kind = kindOf(file);
  if (kind === 'capture') return packetsAsTraces(await readCapturePackets(file), await dissector());
  return readTraces(file, kind);
}

export async function diffFiles(a: string, b: string, opts: { masks?: string[] } = {}): Promise<PacketSetDiff> {
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
  const [ta, tb] = await Promise.all([readAny(a), readAny(b)]);
  // Captures of one packet on two interfaces differ in interface name only: compare by position in the pair.
  for (const t of [...ta, ...tb]) for (const s of t.stages) if (t.stages.length === 1) s.node = 'packet';
  return diffPacketSets(ta, tb, { masks, dissect: await dissector() });
}
