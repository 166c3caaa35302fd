// The frame that entered a VPP trace's first node, rebuilt from the trace text (for replaying a real
// trace through the model). No stage shows it whole: the device node shows the Ethernet header
// (ethernet-input) or the full frame (dpdk-input's buffer dump); ip4-input shows the IP header and
// the L4 header fields as they were on entry; the first ip4-rewrite dump shows 64 bytes from the new
// Ethernet header on (TCP options included). Entry-state bytes win; the rewrite dump only fills
// bytes no earlier stage showed and that no node before it changes (beyond the IP and L4 headers
// that ip4-input already gave). Bytes no stage shows are zero and left unknown in `known`.

import { KnownBytes } from '../../harness/wire/known.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import type { PacketTrace, Stage } from '../../harness/stage.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { reconstructPackets } from '../../harness/vpp-trace/reconstruct.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { InputError } from '../../harness/io/input-error.js';

export interface EntryFrame {
  /** The first node of the trace (where the frame entered). */
  node: string;
  packet: Packet;
  /** Device identity the first record prints: dpdk's interface name or virtio/tapcli hw_if_index. */
  interfaceName?: string;
  hwIfIndex?: number;
  /** 1-based packet number in the file and its line. */
  number: number;
  line?: number;
}

const ETH = 14;

/** Overlay the known bytes of `src` (from its offset `from`) onto `dst` at `to`, where dst does not know them yet. */
function fill(dst: Uint8Array, dk: KnownBytes, to: number, src: Packet, from: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const s = from + i;
    const d = to + i;
    if (s >= src.data.length || d >= dst.length || dk.flags[d]) continue;
    if (src.known && !src.known.flags[s]) continue;
    dst[d] = src.data[s];
    dk.flags[d] = 1;
  }
}

/** The entry frame of one packet trace whose stages carry reconstructed packets. */
export function entryFrameOf(t: PacketTrace, number: number, file?: string): EntryFrame {
  const stages = t.stages;
  const first: Stage | undefined = stages[0];
  if (!first) throw new InputError('a packet trace without records', { file, packet: number, line: t.line }, 'replay.empty-trace');
  const eth = stages.find((s) => s.packet?.meta.linkType === LinkType.ETHERNET);
  const ipIn = stages.find((s) => s.node === 'ip4-input' && s.packet);
  if (!eth?.packet) throw new InputError('no record shows the Ethernet header of the entering frame', { file, packet: number, line: t.line }, 'replay.no-entry-packet');
  const ipLen = ipIn?.packet ? ipIn.packet.data.length : Math.max(0, eth.packet.data.length - ETH);
  const frame = new Uint8Array(Math.max(eth.packet.data.length, ETH + ipLen));
  const known = new KnownBytes(frame.length);
  fill(frame, known, 0, eth.packet, 0, eth.packet.data.length);
  if (ipIn?.packet) {
    // ip4-input's header fields are the entry state; they override nothing the device dump showed.
    fill(frame, known, ETH, ipIn.packet, 0, ipLen);
    const rw = stages.slice(stages.indexOf(ipIn)).find((s) => s.node === 'ip4-rewrite' && s.packet?.meta.linkType === LinkType.ETHERNET);
    if (rw?.packet) fill(frame, known, ETH, rw.packet, ETH, ipLen);
  }
  const f = first.fields;
  return {
    node: first.node,
    packet: { data: frame, known, meta: { linkType: LinkType.ETHERNET, ...(typeof f.interface === 'string' ? { interfaceName: f.interface } : {}) } },
    ...(typeof f.interface === 'string' ? { interfaceName: f.interface } : {}),
    ...(typeof f.hw_if_index === 'number' ? { hwIfIndex: f.hw_if_index } : {}),
    number,
    line: t.line,
  };
}

/** Every packet trace of a `show trace` text, as entry frames. */
export function entryFrames(text: string, file?: string): EntryFrame[] {
  const tf = parseTrace(text, { file });
  reconstructPackets(tf);
  return [...allPackets(tf)].map((t, i) => entryFrameOf(t, i + 1, file));
}
