// The original length `trace to-pcap` gives each stage frame of a packet: the whole frame's, as a
// capture cut by its snaplen states it (shown-length.ts). A stage whose record shows an IP (or ARP)
// header states its frame's length itself (the rebuilt frame is as long as the IP total length says).
// A stage that shows only an Ethernet header (ethernet-input: `IP4: 00:00:00:00:00:02 -> ...`)
// states none: its frame was written as 14 of 14 bytes while the same packet's ip4-rewrite frame was
// 60 of 74. Such a stage takes the length of the frame before it in the packet - the device record's
// (`virtio: ... len 74`, dpdk's mbuf pkt_len: entry-complete.ts statedLength) or an earlier stage's -
// else the next stage's that states one, among frames of its link type. A packet where no record states a length keeps what its
// stages show (the original length is then the captured length: nothing says more).

import { LinkType, type Packet } from '../wire/packet.js';
import type { PacketTrace } from '../stage.js';
import { ethFromBytes, ethHeaderLength } from './format/ethernet.js';
import { statedLength } from './entry-complete.js';
import { stageFields } from './parse.js';
import type { VppStage } from './nodes/index.js';

/** Bytes of the network header whose length field gives the frame's length, by ethertype (IPv4, IPv6, ARP). */
const LENGTH_HEADER: ReadonlyMap<number, number> = new Map([
  [0x0800, 20],
  [0x86dd, 40],
  [0x0806, 28],
]);

/**
 * Whether a stage's frame is as long as its record says the frame is: an IP packet (a raw-IP stage),
 * or an Ethernet frame showing its whole IP/ARP header, from which it was rebuilt to its length.
 * An Ethernet header alone (ethernet-input), or with the first bytes after it (l2-output's `data 08
 * 00 45 00 00 3c ...`, 12 bytes), states nothing about the rest.
 */
function statesItsLength(frame: Packet): boolean {
  if (frame.meta.linkType !== LinkType.ETHERNET) return true;
  const eth = ethFromBytes(frame.data);
  const header = eth && LENGTH_HEADER.get(eth.type);
  return eth !== undefined && header !== undefined && frame.data.length >= ethHeaderLength(eth) + header;
}

/**
 * Per stage of `t` (frames[i] its frame, if any): the frame's original length (undefined: no frame).
 * Lengths pass only between frames of one link type: an ip4-input stage's frame is the IP packet (60
 * bytes of a 74-byte Ethernet frame).
 */
export function stageFrameLengths(t: PacketTrace, frames: ReadonlyArray<Packet | undefined>): Array<number | undefined> {
  const own = frames.map((f) => (f && statesItsLength(f) ? f.data.length : undefined));
  const found: Array<number | undefined> = [];
  // The device record states the Ethernet frame's length (fields are filled here for a reader that skipped them).
  const device = t.stages.length ? statedLength({ ...t.stages[0], fields: stageFields(t.stages[0] as VppStage) }) : undefined;
  const before = new Map<number, number>(device !== undefined ? [[LinkType.ETHERNET, device]] : []);
  frames.forEach((f, i) => {
    if (!f) return found.push(undefined);
    const n = own[i];
    if (n !== undefined) before.set(f.meta.linkType, n);
    found.push(before.get(f.meta.linkType));
  });
  const after = new Map<number, number>();
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    if (!f) continue;
    const n = own[i];
    if (n !== undefined) after.set(f.meta.linkType, n);
    found[i] ??= after.get(f.meta.linkType);
  }
  return frames.map((f, i) => (f ? Math.max(f.data.length, found[i] ?? 0) : undefined));
}
