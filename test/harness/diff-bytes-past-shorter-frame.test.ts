// A stage whose frames differ in length and in a byte of a field that runs past the shorter frame's
// end ended the case run with "internal error ... reading 'toString'": compareBytes printed the
// field's bytes over the span the model frame's layers give, past the end of the golden frame. Met
// with a DVR model that ignored the MTU: its ICMP error quoted more of a datagram (93 bytes) than the
// real kernel's (65), and the quoted inner.udp.dst_port ran past the golden's end. Each side now
// shows the bytes it has.

import { describe, expect, it } from 'vitest';
import { compareTraces } from '../../harness/diff/compare.js';
import { dissector } from '../../harness/suite/peers.js';
import type { PacketTrace } from '../../harness/stage.js';
import { LinkType } from '../../harness/wire/packet.js';

/** Ethernet + IPv4 ICMP port unreachable quoting an IPv4 header and its 8-byte UDP header (70 bytes). */
function icmpError(): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8 + 20 + 8);
  f.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00], 0);
  f.set([0x45, 0, 0, 56, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1], 14);
  f.set([3, 3, 0, 0, 0, 0, 0, 0], 34);
  f.set([0x45, 0, 0, 28, 0, 2, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 42);
  f.set([0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0], 62);
  return f;
}

/** The first byte of the quoted UDP destination port (the field inner.udp.dst_port spans bytes 64-65). */
const INNER_DST_PORT = 64;

const trace = (data: Uint8Array): PacketTrace[] => [{ stages: [{ node: 'tx', lines: [], fields: {}, packet: { data, meta: { linkType: LinkType.ETHERNET } } }] }];

describe('compareBytes: a field running past the shorter frame', () => {
  it.each([
    ['the golden frame is the shorter', 70, 65],
    ['the model frame is the shorter', 65, 70],
  ])("%s: the byte difference is reported with each side's own bytes", async (_what, modelLength, goldenLength) => {
    const model = icmpError().subarray(0, modelLength);
    const golden = icmpError().subarray(0, goldenLength);
    golden[INNER_DST_PORT] = 0x99;
    // Dissected as `run` does (named fields: the span of inner.udp.dst_port comes from the model's frame).
    const d = compareTraces(trace(model), trace(golden), { dissect: await dissector() });
    const port = d.diffs.find((x) => x.kind === 'bytes' && (x.path === 'inner.udp.dst_port' || x.path === 'inner.payload'));
    expect(port).toBeDefined();
    // The golden's 65 bytes end inside the port: it shows its one byte, the model its two.
    if (goldenLength === 65) expect(port).toMatchObject({ path: 'inner.udp.dst_port', expected: '99', got: '0035' });
    // The model's 65 bytes cut the quoted UDP header: its byte 64 is the quote's payload.
    else expect(port).toMatchObject({ path: 'inner.payload', expected: '99', got: '00' });
  });
});
