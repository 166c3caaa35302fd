// Our reading of one captured packet against tshark's (libwiretap) record: the comparison the
// capture oracle tests share.

import type { Packet } from '../../harness/wire/packet.js';
import { hex } from '../../harness/wire/bytes.js';
import { epochString } from './corpus.js';
import { WTAP_ENCAP_TO_LINKTYPE, type TsharkFrame } from './tshark.js';

/** Differences between our reading of one packet and tshark's, as "field: ours != tshark's" lines. */
export function compareCaptureMeta(ours: Packet, theirs: TsharkFrame, expectedInterfaceName?: string): string[] {
  const d: string[] = [];
  const eq = (what: string, a: unknown, b: unknown) => {
    if (a !== b) d.push(`${what}: ours ${String(a)} != tshark ${String(b)}`);
  };
  eq('frame', ours.meta.frame, theirs.number);
  const lt = WTAP_ENCAP_TO_LINKTYPE[theirs.encapType ?? -1];
  if (!lt?.includes(ours.meta.linkType)) d.push(`link type: ours ${ours.meta.linkType} != tshark encap ${theirs.encapType} (${lt?.join('|')})`);
  eq('caplen', ours.data.length, theirs.capLen);
  eq('origlen', ours.meta.origLength ?? ours.data.length, theirs.len);
  eq('bytes', hex(ours.data), theirs.bytesHex);
  // A Simple Packet Block has no timestamp: tshark prints none, we must not invent one.
  eq('timestamp', ours.meta.timestampNs === undefined ? undefined : epochString(ours.meta.timestampNs), theirs.timeEpoch);
  eq('comment', ours.meta.comment, theirs.comments.length ? theirs.comments.join('\n') : undefined);
  if (theirs.interfaceId !== undefined) eq('interface id', ours.meta.interfaceId, theirs.interfaceId);
  if (expectedInterfaceName !== undefined) eq('interface name', ours.meta.interfaceName, expectedInterfaceName);
  return d;
}

