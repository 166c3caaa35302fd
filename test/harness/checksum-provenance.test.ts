// Checksum provenance with the real dissector (harness/dissect): a checksum that differs from its
// golden is called invalid (wrong for the model's own bytes) or valid-but-different, with the reason.
// Packets here are built with a local RFC 1071 / RFC 1624 computation, not with harness/wire.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareTraces } from '../../harness/diff/compare.js';
import { packetStage } from '../../harness/diff/packet-stages.js';
import { dissect } from '../../harness/dissect/dissect.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { runSuite } from '../../harness/suite/run-suite.js';
import { fixtureCopy, models } from './helpers.js';

const sum = (b: Uint8Array, s = 0) => {
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
};
const put16 = (b: Uint8Array, o: number, v: number) => ((b[o] = v >> 8), (b[o + 1] = v & 0xff));
const get16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const bytes16 = (...v: number[]) => Uint8Array.from(v.flatMap((x) => [x >> 8, x & 0xff]));
const PAYLOAD = new TextEncoder().encode('GET / HTTP/1');
const L4 = 34;

/** Ethernet + IPv4 + TCP (ACK, sport 39820 -> 80) + 12 payload bytes, both checksums right. */
function original(): Uint8Array {
  const b = new Uint8Array(L4 + 20 + PAYLOAD.length);
  b.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]);
  b.set([0x45, 0, 0, 20 + 20 + PAYLOAD.length, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 10, 1, 1, 3, 10, 104, 221, 85], 14);
  put16(b, 24, ~sum(b.subarray(14, 34)) & 0xffff);
  b.set([0x9b, 0x8c, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x10, 0x72, 0x10, 0, 0, 0, 0], L4);
  b.set(PAYLOAD, L4 + 20);
  put16(b, L4 + 16, ~sum(b.subarray(L4), sum(b.subarray(26, 34)) + 6 + 20 + PAYLOAD.length) & 0xffff);
  return b;
}

/** The dataplane's NAT: source port to 1025, TCP checksum updated incrementally (RFC 1624 eqn 3). */
function natIncremental(b: Uint8Array): Uint8Array {
  const out = b.slice();
  const old = get16(out, L4);
  put16(out, L4, 1025);
  put16(out, L4 + 16, ~sum(bytes16(~get16(out, L4 + 16) & 0xffff, ~old & 0xffff, 1025)) & 0xffff);
  return out;
}

/** The same NAT with the TCP checksum recomputed over the bytes the model holds. */
function natFullRecompute(b: Uint8Array, port = 1025): Uint8Array {
  const out = b.slice();
  put16(out, L4, port);
  put16(out, L4 + 16, 0);
  put16(out, L4 + 16, ~sum(out.subarray(L4), sum(out.subarray(26, 34)) + 6 + out.length - L4) & 0xffff);
  return out;
}

const pkt = (data: Uint8Array, knownUpTo?: number): Packet => {
  if (knownUpTo === undefined) return { data, meta: { linkType: LinkType.ETHERNET } };
  const known = new KnownBytes(data.length);
  known.mark(0, knownUpTo);
  return { data, known, meta: { linkType: LinkType.ETHERNET } };
};
const trace = (p: Packet) => ({ stages: [packetStage(p, 'nat44-in2out', dissect)] });

describe('checksum provenance (real dissector)', () => {
  it('valid but different: a full recompute over a partial packet where the dataplane updates incrementally', () => {
    // The golden (a VPP trace) shows the headers only; the payload is not shown (zero, unknown).
    const wire = natIncremental(original());
    const shown = wire.slice();
    shown.fill(0, L4 + 20);
    const golden = pkt(shown, L4 + 20);
    // Replaying that trace, the model's input has the same unknown payload as zeros, and it recomputes.
    const model = pkt(natFullRecompute(shown));
    expect(dissect(model).find((l) => l.name === 'tcp')!.fields.checksum_valid).toBe(true);
    expect(dissect(golden).find((l) => l.name === 'tcp')!.fields.checksum_valid).toBeUndefined();
    const d = compareTraces([trace(model)], [trace(golden)], { dissect });
    expect(d.diffs.map((x) => x.path)).toEqual(['tcp.checksum']);
    // Checksums print 0x%04x, as VPP's trace does (format_ip4_header: "checksum 0x%04x").
    const hex4 = (v: number) => '0x' + v.toString(16).padStart(4, '0');
    expect(d.divergences[0].summary).toContain("tcp.checksum expected " + hex4(get16(wire, L4 + 16)) + ', got ' + hex4(get16(model.data, L4 + 16))
      + " (model checksum valid but different: the golden shows a partial packet, so its checksum covers bytes not shown (a full recompute over them differs from the dataplane's incremental update, RFC 1624))");
    // The incremental update the dataplane does gives the golden's value from the same partial input.
    expect(trace(pkt(natIncremental(original()))).stages[0].fields['tcp.checksum']).toBe(get16(wire, L4 + 16));
  });

  it('valid but different: the golden carried a wrong checksum through an incremental update', () => {
    const bad = original();
    put16(bad, L4 + 16, get16(bad, L4 + 16) ^ 0x0101); // arrived with a corrupt TCP checksum
    const golden = pkt(natIncremental(bad));
    const model = pkt(natFullRecompute(bad));
    const d = compareTraces([trace(model)], [trace(golden)], { dissect });
    expect(d.diffs.map((x) => [x.path, x.note])).toEqual([
      ['tcp.checksum', 'model checksum valid but different: the golden checksum is itself invalid (the dataplane updated a wrong checksum incrementally, RFC 1624; the model recomputed it)'],
    ]);
  });

  it('invalid: a stale IPv4 checksum after a TTL change (toy model fault, through the runner)', async () => {
    const root = fixtureCopy();
    const sc = join(root, 'toy-model/scenario.yaml');
    writeFileSync(sc, readFileSync(sc, 'utf8').replace('fault: none', 'fault: stale-checksum'));
    const r = await runSuite({ paths: [join(root, 'cases/toy-syn')], models });
    expect(r.cases[0].summary).toBe('SYN 10.1.1.12:39820 -> 10.1.1.9:8080  diverges at toy-rewrite: ip4.checksum expected 0xf19b, got 0xf09b (model checksum invalid for its own bytes (stale or miscomputed)); 1 later difference follows from it');
  });

  it('valid because a covered field differs: says so instead of blaming the checksum', () => {
    const golden = pkt(natIncremental(original()));
    const model = pkt(natFullRecompute(original(), 1026)); // wrong port, checksum right for it
    const d = compareTraces([trace(model)], [trace(golden)], { dissect });
    expect(d.divergences).toHaveLength(1);
    expect(d.divergences[0].first.path).toBe('tcp.src_port');
    expect(d.divergences[0].followers.find((f) => f.path === 'tcp.checksum')?.note).toBe('model checksum valid for its bytes; differs because covered fields differ');
  });
});
