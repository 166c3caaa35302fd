// check's compareFrames and a checksum the model states: when the model leaves some bytes of a frame
// unknown, every checksum in the captured frame must be valid (it vouches for the bytes nobody
// compared) - except one the model stated whole, which is compared like any field: Linux quotes a
// Record Route datagram in an ICMP error with the header checksum it left stale when it filled the
// option (the DVR lab's extra phase), and the model reproduces those bytes exactly.

import { describe, expect, it } from 'vitest';
import { compareFrames } from '../../harness/check/compare.js';
import { setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4 } from '../../harness/wire/checksum.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';

const IP = 14;
const UDP = IP + 20;
const PAYLOAD = UDP + 8;

/** Ethernet/IPv4/UDP with 8 payload bytes; the IP header checksum stale (off by one) when asked. */
function frame(payloadByte: number, staleIpChecksum: boolean): Uint8Array {
  const b = new Uint8Array(PAYLOAD + 8);
  b.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
  b.set([0x45, 0, 0, 36, 0x12, 0x34, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], IP);
  setU16(b, IP + 10, (internetChecksum(b, IP, 20) + (staleIpChecksum ? 1 : 0)) & 0xffff);
  b.set([0x13, 0x88, 0x17, 0x70, 0, 16, 0, 0], UDP);
  b.fill(payloadByte, PAYLOAD);
  setU16(b, UDP + 6, internetChecksum(b, UDP, 16, pseudoHeaderSum4(b, IP + 12, IP + 16, 17, 16)));
  return b;
}

/** The model's prediction: the payload and the UDP checksum over it unknown; the IP checksum stated or not. */
function predicted(ipChecksumKnown: boolean): Packet {
  const known = KnownBytes.all(PAYLOAD + 8);
  known.forget(PAYLOAD, 8);
  known.forget(UDP + 6, 2);
  if (!ipChecksumKnown) known.forget(IP + 10, 2);
  return { data: frame(0, true), known, meta: { linkType: LinkType.ETHERNET } };
}

const captured = (stale: boolean): Packet => ({ data: frame(0x5a, stale), meta: { linkType: LinkType.ETHERNET } });

describe('check: checksums in a frame with unknown bytes', () => {
  it('a stale IP checksum the model states byte for byte matches the capture holding it', () => {
    expect(compareFrames(predicted(true), captured(true))).toBeUndefined();
  });

  it('fault: a stale IP checksum the model left unknown is a divergence (nobody vouches for the header)', () => {
    expect(compareFrames(predicted(false), captured(true))).toMatchObject({ field: 'ip4.checksum_valid', captured: false });
  });

  it('fault: the model states a stale checksum and the capture holds a valid one', () => {
    expect(compareFrames(predicted(true), captured(false))?.field).toBe('ip4.checksum');
  });

  it('fault: the UDP checksum over the unknown payload is wrong in the capture', () => {
    const c = captured(true);
    c.data[UDP + 7] ^= 1;
    expect(compareFrames(predicted(true), c)).toMatchObject({ field: 'udp.checksum_valid', captured: false });
  });
});
