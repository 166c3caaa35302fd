// `dpconform trace to-pcap`: one packet per stage that shows packet bytes, with the node name and
// the stage text as the pcapng packet comment, so a VPP trace opens in Wireshark. Bytes the trace
// does not show are zeros (the comment lists the known ranges).

import type { Packet } from '../wire/packet.js';
import { writePcapng } from '../io/pcapng.js';
import { stageBody } from './format.js';
import { allPackets, type TraceFile } from './trace-file.js';
import { packetOf } from './reconstruct.js';

/** h:m:s:u since VPP start as nanoseconds (relative time; Wireshark shows it from 1970). */
function stageNs(time: string | undefined): bigint {
  const m = time && /^(\d+):(\d\d):(\d\d):(\d{6})$/.exec(time);
  if (m) return ((BigInt(m[1]) * 60n + BigInt(m[2])) * 60n + BigInt(m[3])) * 1_000_000_000n + BigInt(m[4]) * 1000n;
  if (time && /^\d+\.\d+$/.test(time)) {
    const [s, f] = time.split('.');
    return BigInt(s) * 1_000_000_000n + BigInt(f.padEnd(9, '0').slice(0, 9));
  }
  const d = time ? Date.parse(time) : NaN;
  return Number.isNaN(d) ? 0n : BigInt(d) * 1_000_000n;
}

export function tracePackets(f: TraceFile): { packets: Packet[]; linkTypes: number[] } {
  const linkTypes: number[] = [];
  const packets: Packet[] = [];
  let n = 0;
  for (const p of allPackets(f)) {
    n++;
    for (const s of p.stages) {
      const pkt = packetOf(f, s);
      if (!pkt) continue;
      let ifId = linkTypes.indexOf(pkt.meta.linkType);
      if (ifId < 0) ifId = linkTypes.push(pkt.meta.linkType) - 1;
      const known = pkt.known?.ranges().map(([o, l]) => `${o}-${o + l - 1}`).join(',');
      const comment = [`packet ${p.number ?? n} ${s.node}${s.line ? ` (line ${s.line})` : ''}`, `${s.time ?? ''}: ${s.node}`, ...stageBody(s), `known bytes: ${known}`].join('\n');
      packets.push({ data: pkt.data, known: pkt.known, meta: { ...pkt.meta, interfaceId: ifId, timestampNs: stageNs(s.time), comment } });
    }
  }
  return { packets, linkTypes };
}

export async function writeTracePcapng(f: TraceFile, out: string): Promise<number> {
  const { packets, linkTypes } = tracePackets(f);
  await writePcapng(out, packets, { nanosecond: true, interfaces: (linkTypes.length ? linkTypes : [1]).map((linkType) => ({ linkType, name: `vpp-trace-linktype-${linkType}` })) });
  return packets.length;
}
