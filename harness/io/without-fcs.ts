// A captured frame as a model takes it: without the FCS octets its capture declares (pcap link-type
// FCS bits, pcapng if_fcslen / epb_flags; see frame-length.ts). Models build and parse frames
// without FCS (seed 004's virtio-input says `len 74` of the 74-octet frame entering host-to-pod,
// golden/contiv/host-to-pod.request.trace), so a frame injected with its FCS
// attached carried 4 octets of trailer as payload, and a captured frame compared with a model's
// prediction differed by them.

import type { Packet } from '../wire/packet.js';
import type { CaptureMeta } from './capture-decoder.js';
import { frameLength, wireFrameLength } from './frame-length.js';

/** `p` without its declared FCS (the same packet when it declares none); the bytes are shared, not copied. */
export function withoutFcs(p: Packet): Packet {
  const length = frameLength(p);
  if (length === p.data.length) return p;
  const { fcsLength: _fcs, ...meta } = p.meta as CaptureMeta;
  // Its original length without the FCS too: else a whole frame looked cut by the capture (frame-length.ts cutAt).
  return { data: p.data.subarray(0, length), meta: { ...meta, origLength: wireFrameLength(p) } };
}
