// How many of a packet's bytes are the frame itself. A capture may keep each frame's FCS (pcap: the
// link-type word's FCS bits; pcapng: if_fcslen, or epb_flags per packet), which the reader leaves
// at the end of `data` and states as meta.fcsLength. Those octets are a checksum of the frame, not
// its contents: tshark shows them as eth.fcs, apart from the payload.

import type { Packet } from '../wire/packet.js';
import type { CaptureMeta } from './capture-decoder.js';

/** The frame's length without the FCS octets its capture declares. */
export function frameLength(p: Packet): number {
  const fcs = (p.meta as CaptureMeta).fcsLength ?? 0;
  return p.data.length - Math.min(fcs, p.data.length);
}

/**
 * The frame's length on the wire: its original length (pcap orig_len, pcapng Original Packet Length)
 * without the FCS. More than frameLength when the capture cut the frame (tcpdump -s, a snaplen):
 * the bytes past the captured ones are unknown, not absent.
 */
export function wireFrameLength(p: Packet): number {
  const fcs = (p.meta as CaptureMeta).fcsLength ?? 0;
  const orig = p.meta.origLength ?? p.data.length;
  return Math.max(frameLength(p), orig - Math.min(fcs, orig));
}

/** The captured length of a frame its capture cut (wireFrameLength > frameLength), else undefined. */
export function cutAt(p: Packet): number | undefined {
  const captured = frameLength(p);
  return wireFrameLength(p) > captured ? captured : undefined;
}
