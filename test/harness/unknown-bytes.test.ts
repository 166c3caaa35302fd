// Capture goldens against model packets with unknown bytes (KnownBytes): a NAT port chosen at random
// on a clash cannot be predicted, so its field is "unknown" (counted apart, neither matched nor
// diverged), and a checksum over it is verified in the golden instead of compared.

import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { incrementalUpdate16 } from '../../harness/wire/checksum.js';
import { runSuite } from '../../harness/suite/run-suite.js';
import { cli } from './cli.js';
import { FIXTURES, fixtureCopy, models } from './helpers.js';
import { compareTraces } from '../../harness/diff/compare.js';
import { dissect } from '../../harness/dissect/dissect.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { LinkType } from '../../harness/wire/packet.js';
import type { PacketTrace } from '../../harness/stage.js';

// The golden pcap holds one frame: pcap header 24 + record header 16; Ethernet 14 + IPv4 20.
const TCP = 24 + 16 + 14 + 20;
const SPORT = TCP;
const TCP_CSUM = TCP + 16;

function randomPortCopy(): string {
  const root = fixtureCopy();
  const sc = join(root, 'toy-model/scenario.yaml');
  writeFileSync(sc, readFileSync(sc, 'utf8') + 'random_port: true\n');
  return root;
}

function editGolden(file: string, edit: (b: Buffer) => void): void {
  const b = readFileSync(file);
  edit(b);
  writeFileSync(file, b);
}

/** The golden as if the real dataplane had chosen another source port (TCP checksum updated, RFC 1624). */
function goldenWithPort(root: string, port: number): void {
  editGolden(join(root, 'capture-cases/toy-capture/tap8.golden.pcap'), (b) => {
    const old = b.readUInt16BE(SPORT);
    b.writeUInt16BE(port, SPORT);
    b.writeUInt16BE(incrementalUpdate16(b.readUInt16BE(TCP_CSUM), old, port), TCP_CSUM);
  });
}

describe('unknown model bytes in capture goldens', () => {
  it('a field the model does not know is counted unknown; the checksum over it is verified in the golden', async () => {
    const root = randomPortCopy();
    const r = await runSuite({ paths: [join(root, 'capture-cases/toy-capture')], models });
    const c = r.cases[0];
    expect(c.errors).toEqual([]);
    expect(c.status).toBe('passed');
    expect(c.counters.unknown).toBe(1);
    expect(c.counters.matched).toBe(c.counters.compared);
    const row = c.comparisons[0].diff!.traces[0].rows[0];
    expect(row.unknown).toEqual(['tcp.src_port']);
    // The model wrote a placeholder there; the dissector shows no value for unknown bytes.
    expect(row.model!.fields['tcp.src_port']).toBeUndefined();
    expect(row.model!.fields['tcp.checksum']).toBeUndefined();
    expect(row.golden!.fields['tcp.src_port']).toBe(40112);
    const text = await cli(['run', join(root, 'capture-cases/toy-capture')]);
    expect(text.stdout).toMatch(/PASS toy\/capture  \d+ fields compared, \d+ matched, 0 masked, 1 unknown in the model/);
  });

  it('the real dataplane chose another port: still passes (any port, as long as its checksum is valid)', async () => {
    const root = randomPortCopy();
    goldenWithPort(root, 61000);
    const r = await runSuite({ paths: [join(root, 'capture-cases/toy-capture')], models });
    expect(r.cases[0].status).toBe('passed');
    expect(r.cases[0].comparisons[0].diff!.traces[0].rows[0].golden!.fields['tcp.src_port']).toBe(61000);
  });

  it('fault: the golden checksum corrupted -> the case fails saying the golden checksum is invalid', async () => {
    const root = randomPortCopy();
    editGolden(join(root, 'capture-cases/toy-capture/tap8.golden.pcap'), (b) => b.writeUInt16BE(b.readUInt16BE(TCP_CSUM) ^ 0x0101, TCP_CSUM));
    const r = await runSuite({ paths: [join(root, 'capture-cases/toy-capture')], models });
    const c = r.cases[0];
    expect(c.status).toBe('failed');
    expect(c.summary).toMatch(/diverges at tap8: tcp\.checksum expected 0x[0-9a-f]{4}, got \(absent\) \(the golden checksum is invalid for its own bytes/);
    expect(c.comparisons[0].diff!.diffs).toHaveLength(1);
  });

  it('fault: a field the model does know still diverges (golden TTL 62)', async () => {
    const root = randomPortCopy();
    const r = await runSuite({ paths: [join(root, 'failing/toy-capture-ttl')], models });
    expect(r.cases[0].status).toBe('failed');
    expect(r.cases[0].summary).toMatch(/diverges at tap8: ip4\.ttl expected 62, got 63/);
    expect(r.cases[0].counters.unknown).toBe(1);
  });

  it('without unknown bytes the same model port difference is a plain divergence', async () => {
    const root = fixtureCopy();
    goldenWithPort(root, 61000);
    const r = await runSuite({ paths: [join(root, 'capture-cases/toy-capture')], models });
    expect(r.cases[0].status).toBe('failed');
    expect(r.cases[0].summary).toMatch(/diverges at tap8: tcp\.src_port expected 61000, got 40112/);
    expect(r.cases[0].counters.unknown).toBe(0);
  });

  it('a value the model states is compared even over bytes it marks unknown (trace records are its claim)', () => {
    const frame = Buffer.from(JSON.parse(readFileSync(join(FIXTURES, 'capture-cases/frames.json'), 'utf8')).tap8, 'hex');
    const known = KnownBytes.all(frame.length);
    known.forget(14 + 8, 1);
    const model: PacketTrace = { stages: [{ node: 'ip4-rewrite', lines: [], fields: { 'ip4.ttl': 62 }, packet: { data: frame, known, meta: { linkType: LinkType.ETHERNET } } }] };
    const golden: PacketTrace = { stages: [{ node: 'ip4-rewrite', lines: [], fields: { 'ip4.ttl': 63 }, packet: { data: frame, meta: { linkType: LinkType.ETHERNET } } }] };
    const d = compareTraces([model], [golden], { dissect });
    expect(d.diffs.map((x) => `${x.path} ${x.expected} ${x.got}`)).toEqual(['ip4.ttl 63 62']);
    expect(d.counters.unknown).toBe(0);
  });
});
