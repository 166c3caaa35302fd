// JSON form of a parsed trace (`dpconform trace parse --json`): bigints (ACL pkt-info words) as
// 0x-hex strings, packets' bytes as hex with their known ranges.

import { hex } from '../wire/bytes.js';
import type { Stitch } from './stitch.js';
import type { TraceFile } from './trace-file.js';
import type { Packet } from '../wire/packet.js';
import { packetOf } from './reconstruct.js';

export function traceJson(f: TraceFile, stitches: Stitch[] = []): unknown {
  return {
    file: f.file,
    limit: f.limit,
    threads: f.threads.map((t) => ({
      index: t.index,
      name: t.name,
      empty: t.empty,
      packets: t.packets.map((p) => ({
        number: p.number,
        line: p.line,
        caption: p.caption,
        elided: p.elided,
        stages: p.stages.map((s) => ({
          node: s.node,
          time: s.time,
          line: s.line,
          kind: s.kind,
          fields: s.fields,
          lines: s.lines,
          packet: packetJson(packetOf(f, s)),
        })),
      })),
    })),
    stitches: stitches.map((s) => ({ from: { packet_line: s.from.packet.line, stage: s.from.stage }, to: { packet_line: s.to.packet.line, stage: s.to.stage }, vni: s.vni })),
    warnings: f.warnings,
  };
}

function packetJson(p: Packet | undefined): unknown {
  return p && { link_type: p.meta.linkType, data: hex(p.data), known: p.known?.ranges() };
}

export function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? '0x' + x.toString(16).padStart(16, '0') : x), 2);
}
