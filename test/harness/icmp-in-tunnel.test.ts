// A header quoted by an ICMP error that is itself tunnelled (VXLAN outer, inner IPv4 carrying a port
// unreachable, the quoted IPv4 + UDP inside it) is named one level further in than the tunnel's inner
// header: `inner.inner.ip4.src`, `inner.inner.udp.dst_port` - compared and reported by name (it used to
// be compared by byte offset only), and addressed by masks of its own level.
import { describe, expect, it } from 'vitest';
import { packetStage } from '../../harness/diff/packet-stages.js';
import { fieldAtByte, fieldSpan } from '../../harness/diff/field-offsets.js';
import { compareTraces } from '../../harness/diff/compare.js';
import { parseFieldPath } from '../../harness/diff/mask-path.js';
import { dissect } from '../../harness/dissect/dissect.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { InputError } from '../../harness/io/input-error.js';
import type { Packet } from '../../harness/wire/packet.js';
import type { PacketTrace } from '../../harness/stage.js';

const ETH = 14;
const IP = 20;
// Offsets in the frame: outer eth | outer ip4 | outer udp | vxlan | inner eth | inner ip4 | icmp | quoted ip4 | quoted udp | 4 bytes
const OUTER_UDP = ETH + IP;
const INNER_ETH = OUTER_UDP + 8 + 8;
const INNER_IP = INNER_ETH + ETH;
const ICMP = INNER_IP + IP;
const QUOTED_IP = ICMP + 8;
const QUOTED_UDP = QUOTED_IP + IP;
const END = QUOTED_UDP + 8 + 4;

function ip4(b: Uint8Array, at: number, proto: number, len: number, src: number[], dst: number[], ttl: number): void {
  b.set([0x45, 0, len >> 8, len & 0xff, 0x12, 0x34, 0, 0, ttl, proto, 0, 0, ...src, ...dst], at);
  const c = internetChecksum(b, at, IP);
  b[at + 10] = c >> 8;
  b[at + 11] = c & 0xff;
}

/** VXLAN (VNI 42) carrying a port unreachable that quotes udp 10.0.0.5:40003 -> 172.30.0.11:`quotedDport`. */
function frame(quotedDport = 33333): Packet {
  const b = new Uint8Array(END);
  b.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00], 0);
  ip4(b, ETH, 17, END - ETH, [192, 168, 0, 1], [192, 168, 0, 2], 64);
  b.set([0xc0, 0x01, 0x12, 0xb5, (END - OUTER_UDP) >> 8, (END - OUTER_UDP) & 0xff, 0, 0], OUTER_UDP); // -> 4789, no checksum
  b.set([0x08, 0, 0, 0, 0, 0, 42, 0], OUTER_UDP + 8);
  b.set([2, 0, 0, 0, 0, 3, 2, 0, 0, 0, 0, 4, 0x08, 0x00], INNER_ETH);
  ip4(b, INNER_IP, 1, END - INNER_IP, [172, 30, 0, 11], [10, 0, 0, 5], 63);
  b.set([3, 3, 0, 0, 0, 0, 0, 0], ICMP);
  ip4(b, QUOTED_IP, 17, IP + 8 + 4, [10, 0, 0, 5], [172, 30, 0, 11], 1);
  b.set([40003 >> 8, 40003 & 0xff, quotedDport >> 8, quotedDport & 0xff, 0, 12, 0, 0, 1, 2, 3, 4], QUOTED_UDP);
  const c = internetChecksum(b, ICMP, END - ICMP);
  b[ICMP + 2] = c >> 8;
  b[ICMP + 3] = c & 0xff;
  return { data: b, meta: { linkType: 1 } };
}

const trace = (p: Packet): PacketTrace => ({ stages: [packetStage(p, 'wire', dissect)] });

describe('ICMP error inside a tunnel: the quoted header is inner.inner.*', () => {
  it('names every header by its level: tunnel outer plain, tunnelled inner.*, quoted inner.inner.*', () => {
    const p = frame();
    const f = packetStage(p, 'wire', dissect).fields;
    expect(f).toMatchObject({
      'ip4.src': '192.168.0.1',
      'udp.dst_port': 4789,
      'vxlan.vni': 42,
      'inner.ip4.src': '172.30.0.11',
      'icmp.type': 3,
      'inner.inner.ip4.src': '10.0.0.5',
      'inner.inner.ip4.ttl': 1,
      'inner.inner.udp.src_port': 40003,
      'inner.inner.udp.dst_port': 33333,
    });
    const layers = dissect(p);
    expect(fieldAtByte(layers, QUOTED_IP + 12)).toBe('inner.inner.ip4.src');
    expect(fieldAtByte(layers, QUOTED_UDP + 2)).toBe('inner.inner.udp.dst_port');
    expect(fieldAtByte(layers, INNER_IP + 12)).toBe('inner.ip4.src');
    expect(fieldSpan(layers, 'inner.inner.udp.dst_port')).toEqual([QUOTED_UDP + 2, 2]);
    // every quoted byte has a name: none is left to `bytes[N]`
    for (let i = QUOTED_IP; i < QUOTED_UDP + 8; i++) expect(fieldAtByte(layers, i), `byte ${i}`).toBeDefined();
  });

  it('fault: a quoted port differs -> the diff names inner.inner.udp.dst_port (not a byte range)', () => {
    const d = compareTraces([trace(frame())], [trace(frame(33334))], { dissect });
    const paths = d.diffs.map((x) => x.path);
    expect(paths[0]).toBe('inner.inner.udp.dst_port');
    expect(d.diffs[0]).toMatchObject({ expected: 33334, got: 33333 });
    expect(paths.some((x) => x.startsWith('bytes['))).toBe(false);
    expect(d.divergences[0].summary).toMatch(/inner\.inner\.udp\.dst_port expected 33334, got 33333/);
  });

  it('masks address a level: inner.inner.udp.* the quoted header only; inner.udp.* not it; a depth-less one every level', () => {
    const model = [trace(frame())];
    const golden = [trace(frame(33334))];
    const masked = (path: string) => compareTraces(model, golden, { dissect, masks: [parseFieldPath(path)] });
    const own = masked('inner.inner.udp.dst_port');
    expect(own.diffs.filter((x) => !x.path.includes('checksum'))).toEqual([]);
    // (its UDP checksum, zero = unused in this frame, cannot be checked once the port is masked: marked so)
    expect(own.traces[0].rows[0].masked).toEqual(['inner.inner.udp.dst_port', 'inner.inner.udp.checksum']);
    expect(masked('inner.udp.dst_port').diffs[0].path).toBe('inner.inner.udp.dst_port');
    expect(masked('outer.udp.dst_port').diffs[0].path).toBe('inner.inner.udp.dst_port');
    expect(masked('udp.dst_port').traces[0].rows[0].masked.filter((k) => !k.includes('checksum'))).toEqual(['udp.dst_port', 'inner.inner.udp.dst_port']);
  });

  it('inner.inner. parses as a level; a level needs a protocol after it', () => {
    expect(parseFieldPath('inner.inner.ip4.src')).toMatchObject({ depth: 'inner', level: 2, protos: ['ip4'], leaf: 'src' });
    expect(parseFieldPath('inner.ip4.src').level).toBeUndefined();
    expect(() => parseFieldPath('inner.inner.src')).toThrow(InputError);
    expect(() => parseFieldPath('outer.inner.ip4.src')).toThrow(InputError);
  });
});
