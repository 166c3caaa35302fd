// The tcpdump-like line's small decisions, on hand-built layers: IPv4 flags text, and whether a
// payload gets its own "payload N" (not when the header before already ended in "length N").

import { describe, it, expect } from 'vitest';
import { packetLine } from '../../harness/dissect/render.js';
import type { Layer } from '../../harness/dissect/layer.js';
import type { Packet } from '../../harness/wire/packet.js';

const pkt: Packet = { data: new Uint8Array(100), meta: { linkType: 1, timestampNs: 3_600_000_000_001n } };
const ip4 = (df: boolean, mf: boolean): Layer => ({
  name: 'ip4',
  offset: 14,
  length: 20,
  fields: { tos: 0, ttl: 64, id: 7, fragment_offset: 0, df, mf, protocol: 17, total_length: 86, src: '10.0.0.1', dst: '10.0.0.2' },
});
const udp: Layer = { name: 'udp', offset: 34, length: 8, fields: { src_port: 1, dst_port: 4789, checksum: 0, checksum_status: 'none', payload_length: 58 } };
const vxlan: Layer = { name: 'vxlan', offset: 42, length: 8, fields: { flags: 8, vni_valid: true, vni: 42 } };
const payload = (n: number): Layer => ({ name: 'payload', offset: 100 - n, length: n, fields: { length: n } });

describe('packetLine', () => {
  it('IPv4 flags: none, DF, + (more fragments), DF+', () => {
    const flagsOf = (df: boolean, mf: boolean) => /flags \[([^\]]*)\]/.exec(packetLine(pkt, [ip4(df, mf), udp]))![1];
    expect([flagsOf(false, false), flagsOf(true, false), flagsOf(false, true), flagsOf(true, true)]).toEqual(['none', 'DF', '+', 'DF+']);
  });

  it('a payload after a header ending in "length N" adds nothing; after any other header it says "payload N"', () => {
    const afterUdp = packetLine(pkt, [ip4(false, false), udp, payload(58)]);
    expect(afterUdp).toMatch(/UDP, length 58$/);
    expect(afterUdp).not.toContain('payload');
    const afterVxlan = packetLine(pkt, [ip4(false, false), udp, vxlan, payload(50)]);
    expect(afterVxlan).toMatch(/vni 42 payload 50$/);
    expect(packetLine(pkt, [payload(0)])).toBe('01:00:00.000000 ');
  });
});
