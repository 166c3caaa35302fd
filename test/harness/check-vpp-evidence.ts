// Per-device captures rebuilt from seed 004's REAL VPP traces (golden/contiv), for `check --model
// vpp`: evidence that is not the model's own output.
//
// - What a pod (or the other node) sent: the frame entering a packet trace's first node, rebuilt by
//   models/vpp/entry-frame.ts (the replay's own reader of real traces).
// - What VPP transmitted: the frame its last record (`<if>-tx`, `<if>-output`) dumps. A record
//   prints headers, not payload: each byte it does not show is taken from the latest earlier
//   record of the same packet trace that shows it (the inner frame of a VXLAN packet is the
//   loop0-output record's frame), the frame's tail aligned (VPP adds and rewrites headers in front
//   of a payload it never touches), last from the entering frame as the capture holds it (bytes
//   the trace never shows, e.g. TCP options past the 60 bytes ip4-rewrite dumps, are zeros there,
//   as in `dpconform replay` of the trace). The VXLAN header no record dumps
//   is the one vxlan4-encap's record names: flags 0x08 (I: VNI valid) and the VNI it prints
//   (RFC 7348 5: "Flags (8 bits): where the I flag MUST be set to 1 for a valid VXLAN Network ID").
// - Times: each record's time (h:m:s:us since that VPP started, harness/vpp-trace/pcap.ts), moved
//   by a per-instance offset where two nodes' clocks differ (the test computes it from one frame
//   seen on both: the first node's tx record and the second's dpdk-input record).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Packet } from '../../harness/wire/packet.js';
import type { VppStage } from '../../harness/vpp-trace/nodes/index.js';
import { parseTraceWithPackets } from '../../harness/vpp-trace/parse-packets.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { packetOf } from '../../harness/vpp-trace/reconstruct.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { entryPacket } from '../../harness/vpp-trace/entry.js';

export const GOLDEN = join(import.meta.dirname, '../../golden/contiv');

/** One packet trace of a seed block: where it was taken (the guide says "client's node", "server's node"). */
export interface TracedOn {
  instance: string;
  /** The interface its entering frame arrived on (the record names it by hw_if_index or name). */
  entered: string;
  /** Added to its record times: that node's clock onto the first node's (ns). */
  clockOffsetNs?: bigint;
}

export interface DeviceFrame {
  device: string;
  packet: Packet;
}

/** h:m:s:us since VPP start, in ns. */
export function recordNs(time: string | undefined): bigint {
  const m = /^(\d+):(\d\d):(\d\d):(\d{6})$/.exec(time ?? '');
  if (!m) throw new Error(`record time '${time}' is not h:m:s:us`);
  return ((BigInt(m[1]) * 60n + BigInt(m[2])) * 60n + BigInt(m[3])) * 1_000_000_000n + BigInt(m[4]) * 1000n;
}

/** The frames a seed trace file shows: per packet trace, its entering frame and the frame it transmitted. */
export function framesOfTrace(file: string, on: TracedOn[]): { entered: DeviceFrame; sent?: DeviceFrame }[] {
  const tf = parseTraceWithPackets(readFileSync(join(GOLDEN, file), 'utf8'), file);
  const traces = [...allPackets(tf)];
  if (traces.length !== on.length) throw new Error(`${file}: ${traces.length} packet traces, ${on.length} placed`);
  return traces.map((t, i) => {
    const where = on[i];
    const offset = where.clockOffsetNs ?? 0n;
    // The frame as its records show it, unchecked: the peer's dpdk-input record of a VXLAN frame
    // shows it only to the UDP header, which replay refuses (entry-headers.ts); the bytes no record
    // shows are filled below.
    const shownEntry = entryPacket(t);
    if (!shownEntry) throw new Error(`${file}: packet ${i + 1} shows no entering frame`);
    const entry = { packet: shownEntry };
    const entered = { device: `${where.instance}:${where.entered}`, packet: stamped(entry.packet, recordNs(t.stages[0].time) + offset) };
    const last = t.stages[t.stages.length - 1] as VppStage;
    const tx = /^(.+)-(tx|output)$/.exec(last.node);
    if (!tx) return { entered };
    const shown = packetOf(tf, last);
    if (!shown) throw new Error(`${file}: ${last.node} shows no packet`);
    const earlier = (t.stages as VppStage[]).slice(0, -1).map((s) => packetOf(tf, s)).filter((p): p is Packet => p !== undefined && reachesItsEnd(p)).reverse();
    // The entering frame last, whole: the bytes no record shows are those the capture's input
    // frame carries (zeros where the trace shows none), which VPP passes on untouched.
    const data = filled(shown, [...earlier, { data: entry.packet.data, meta: entry.packet.meta }], vxlanHeaderOf(t.stages as VppStage[]));
    return { entered, sent: { device: `${where.instance}:${tx[1]}`, packet: stamped({ data, meta: { linkType: 1 } }, recordNs(last.time) + offset) } };
  });
}

/** The VXLAN header vxlan4-encap's record names (see the file comment), if the trace encapsulated. */
function vxlanHeaderOf(stages: readonly VppStage[]): Uint8Array | undefined {
  const encap = stages.find((s) => s.node === 'vxlan4-encap');
  if (!encap) return undefined;
  const v = encap.fields.vni;
  if (typeof v !== 'number') throw new Error('vxlan4-encap record without a vni');
  return Uint8Array.of(0x08, 0, 0, 0, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff, 0);
}

/**
 * Does a record's packet run to the end of what it carries (an IPv4 packet, or an Ethernet frame of
 * one, as long as its total length says)? Only then is its tail the transmitted frame's tail: an
 * ethernet-input or l2-output record shows a header alone.
 */
function reachesItsEnd(p: Packet): boolean {
  const b = p.data;
  const ipAt = b.length >= 34 && b[12] === 0x08 && b[13] === 0x00 ? 14 : 0;
  return b.length >= ipAt + 20 && b[ipAt] >> 4 === 4 && ((b[ipAt + 2] << 8) | b[ipAt + 3]) === b.length - ipAt;
}

/** `shown`'s bytes, those it does not know taken from `sources` in order (tail-aligned), then the VXLAN header. */
function filled(shown: Packet, sources: Packet[], vxlan: Uint8Array | undefined): Uint8Array {
  const data = shown.data.slice();
  const L = data.length;
  const known = (p: Packet, i: number) => !p.known || p.known.has(i);
  const have = new Array<boolean>(L).fill(false).map((_, i) => known(shown, i));
  for (const s of sources) {
    const shift = s.data.length - L;
    for (let i = 0; i < L; i++) {
      const j = i + shift;
      if (have[i] || j < 0 || !known(s, j)) continue;
      data[i] = s.data[j];
      have[i] = true;
    }
  }
  // Outer Ethernet + IPv4 + UDP (the outer a tx record dumps): the VXLAN header follows.
  if (vxlan && L >= 50) for (let i = 0; i < 8; i++) if (!have[42 + i]) {
    data[42 + i] = vxlan[i];
    have[42 + i] = true;
  }
  const missing = have.findIndex((h) => !h);
  if (missing >= 0) throw new Error(`byte ${missing} of a transmitted frame is shown by no record`);
  return data;
}

function stamped(p: Packet, ns: bigint): Packet {
  return { data: p.data, meta: { linkType: 1, timestampNs: ns } };
}

/** Write one capture per device (frames in time order), named by device; returns NODE:IF=FILE. */
export function writeDeviceCaptures(dir: string, frames: DeviceFrame[]): Map<string, string> {
  const byDevice = new Map<string, Packet[]>();
  for (const f of frames) {
    const list = byDevice.get(f.device) ?? [];
    list.push(f.packet);
    byDevice.set(f.device, list);
  }
  const files = new Map<string, string>();
  for (const [device, packets] of byDevice) {
    packets.sort((a, b) => (a.meta.timestampNs! < b.meta.timestampNs! ? -1 : a.meta.timestampNs! > b.meta.timestampNs! ? 1 : 0));
    const file = join(dir, `${device.replace(/[:/]/g, '_')}.pcapng`);
    writeFileSync(file, encodePcapng(packets.map((p) => ({ ...p, meta: { ...p.meta, interfaceId: 0 } })), { nanosecond: true, interfaces: [{ linkType: 1, name: device.split(':')[1] }] }));
    files.set(device, file);
  }
  return files;
}

/** Seed 004 blocks 9-10 (pod to service, backend on the same node): the SYN from tap2's pod, the SYN-ACK from tap4's, and what VPP sent each. */
export function podToServiceSameNodeFrames(): DeviceFrame[] {
  const frames: DeviceFrame[] = [];
  for (const f of [
    ...framesOfTrace('pod-to-service-same-node.request.trace', [{ instance: 'k8s-master', entered: 'tap2' }]),
    ...framesOfTrace('pod-to-service-same-node.response.trace', [{ instance: 'k8s-master', entered: 'tap4' }]),
  ]) frames.push(f.entered, ...(f.sent ? [f.sent] : []));
  return frames;
}
