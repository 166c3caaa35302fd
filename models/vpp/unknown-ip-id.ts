// An IPv4 id the model cannot know: ip4-icmp-echo-request gives its reply a random fragment id
// (ip4-icmp-echo.ts), and the header checksum covers it. The harness compares nothing over bytes a
// model marks unknown in its stage's packet (Packet.known) when the stage states no value for the
// field (harness/diff/compare.ts unknownFields: "the model does not know these bytes ... nothing to
// compare"; a checksum over them is checked for validity in the golden instead). So every record of
// the reply after that node carries its bytes with the id and header checksum forgotten, and drops
// its `ip4.id` / `ip4.checksum` fields, as models/neutron-dvr/icmp-echo.ts does for the kernel's id.

import type { FieldValue, Stage } from '../../harness/stage.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import type { VlibBuffer } from './buffer.js';

/** Where the IP header with the unknown id is, in b.bytes (the reply never moves in the buffer). */
const UNKNOWN_ID_AT = 'ip4.unknownIdAt';
const ID_OFFSET = 4;
const CHECKSUM_OFFSET = 10;
const DPDK_INPUT = 'dpdk-input';

export function markIpIdUnknown(b: VlibBuffer, ipAt: number): void {
  b.plugin[UNKNOWN_ID_AT] = ipAt;
}

/** Does this buffer carry an IP id the model does not know? One read, for vm.trace's branch. */
export function hasUnknownIpId(b: VlibBuffer): boolean {
  return b.readPlugin(UNKNOWN_ID_AT) !== undefined;
}

/**
 * `stage` as the harness must see it for a buffer whose IP id is unknown. The stage's packet starts
 * where the record's view does, the buffer's current data (the L2 rewrite for ip4-rewrite's dump and
 * the output nodes' Ethernet decode, else the IP header), and forgets the id and header checksum of
 * the echo reply's IP header wherever that header is in it:
 * - the reply's own header is the outermost (ip4-load-balance .. tapN-output): its `ip4.id` /
 *   `ip4.checksum` fields are dropped;
 * - the reply inside a VXLAN tunnel (vxlan4-encap put an outer header in front; the outer records
 *   decode only the outer IP/UDP, vpp-facts §7.2): the outer `ip4.id` / `ip4.checksum` are known and
 *   stay; only the inner copy's bytes are forgotten.
 * A stage with `inner.*` fields is left as it is: where the model's stage packet would start is not
 * established for those records (see the report of branch s10-echo).
 */
export function withUnknownIpId(stage: Stage, b: VlibBuffer): Stage {
  const ipAt = b.readPlugin(UNKNOWN_ID_AT) as number;
  const f = stage.fields;
  const isDump = typeof f.dump === 'string';
  if (!('ip4.id' in f) && !isDump) return stage;
  if (Object.keys(f).some((k) => k.startsWith('inner.'))) return stage;
  const l2 = isDump || 'eth.type' in f;
  // dpdk-input decodes the frame from the buffer's data start after stepping current data past the
  // Ethernet header of an IPv4 frame (device-input.ts): a frame that crossed a link from another
  // instance with such a reply in it (index.ts) is seen there from its Ethernet header.
  const rx = stage.node === DPDK_INPUT;
  const from = rx ? b.abs(0) : b.start;
  const p = b.bytes;
  const outerIp = rx ? b.start : l2 ? from + b.saveRewriteLength : from;
  const encapsulated = outerIp !== ipAt;
  const end = outerIp + ((p[outerIp + 2] << 8) | p[outerIp + 3]);
  const data = p.slice(from, Math.max(end, from));
  const known = KnownBytes.all(data.length);
  known.forget(ipAt - from + ID_OFFSET, 2);
  known.forget(ipAt - from + CHECKSUM_OFFSET, 2);
  const packet: Packet = { data, known, meta: { linkType: l2 ? LinkType.ETHERNET : LinkType.IPV4, interfaceName: stage.node } };
  // A dump (ip4-rewrite's 60 bytes) is dropped only if it shows a forgotten byte: the outer
  // rewrite's dump of a VXLAN packet ends before the inner IP header.
  const dumpShowsId = isDump && ipAt - from + ID_OFFSET < (f.dump as string).length / 2;
  const fields: Record<string, FieldValue> = {};
  for (const k in f) {
    if (!encapsulated && (k === 'ip4.id' || k === 'ip4.checksum')) continue;
    if (k === 'dump' && dumpShowsId) continue;
    fields[k] = f[k];
  }
  return { ...stage, fields, packet };
}

/**
 * Which bytes of a transmitted copy of the buffer's current bytes (`frame`, from b.start) the model
 * knows: all but the IP id and header checksum when the buffer carries an unknown id (an echo reply),
 * else undefined (every byte known). A capture golden then checks the header checksum for validity
 * and compares nothing over the id, as for the records.
 */
export function knownBytesOfFrame(b: VlibBuffer, frame: Uint8Array): KnownBytes | undefined {
  const ip = unknownIpIdInFrame(b);
  if (ip === undefined) return undefined;
  const known = KnownBytes.all(frame.length);
  known.forget(ip + ID_OFFSET, 2);
  known.forget(ip + CHECKSUM_OFFSET, 2);
  return known;
}

/**
 * Where, in a frame transmitted from the buffer's current data, the IP header with the unknown id
 * starts; undefined when the buffer carries none. A frame crossing a link to another instance
 * carries it along (index.ts), so the peer marks its buffer with markIpIdUnknown at that offset
 * from where the frame lands: the id VPP chose is as unknown in the peer's records and transmitted
 * frames as in the sender's, not the model's stand-in value.
 */
export function unknownIpIdInFrame(b: VlibBuffer): number | undefined {
  const ipAt = b.readPlugin(UNKNOWN_ID_AT);
  return ipAt === undefined ? undefined : (ipAt as number) - b.start;
}
