// The frame that entered a VPP trace's first node, for replaying a real trace through the model.
// The merge of what the first stages show is the harness's (harness/vpp-trace/entry.ts
// `entryPacket`, one implementation for the harness and the model); this adds only what a replay
// needs besides the bytes: the node to start at and the device the first record names (dpdk's
// interface name, virtio/tapcli's hw_if_index), and an error naming file and packet when the trace
// shows no bytes of the entering frame.

import type { Packet } from '../../harness/wire/packet.js';
import type { PacketTrace } from '../../harness/stage.js';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { reconstructPackets } from '../../harness/vpp-trace/reconstruct.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { entryPacket } from '../../harness/vpp-trace/entry.js';
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

/** The entry frame of one packet trace whose stages carry reconstructed packets. */
export function entryFrameOf(t: PacketTrace, number: number, file?: string): EntryFrame {
  const first = t.stages[0];
  if (!first) throw new InputError('a packet trace without records', { file, packet: number, line: t.line }, 'replay.empty-trace');
  const packet = entryPacket(t);
  if (!packet) throw new InputError('no record shows the bytes of the entering frame', { file, packet: number, line: t.line }, 'replay.no-entry-packet');
  const f = first.fields;
  return {
    node: first.node,
    packet,
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
