// Capture goldens (pcap/pcapng per interface): frames computed by fixtures/harness/make_fixtures.py
// with plain arithmetic, written as pcap by harness/io/pcap.ts; a passing case, a failing variant
// (one TTL changed), and --update of a snapshot capture.

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePcap } from '../../harness/io/pcap.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { fromHex } from '../../harness/wire/bytes.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { readCapturePackets } from '../../harness/suite/sources.js';
import { cli } from './cli.js';
import { FIXTURES, fixtureCopy } from './helpers.js';

const frames = JSON.parse(readFileSync(join(FIXTURES, 'capture-cases/frames.json'), 'utf8')) as Record<string, string>;
const frame = (name: string, second: number): Packet => ({ data: fromHex(frames[name]), meta: { linkType: LinkType.ETHERNET, timestampNs: BigInt(1_700_000_000 + second) * 1_000_000_000n } });
const FILES: Array<[string, string]> = [
  ['capture-cases/toy-capture/syn-mss.input.pcap', 'input'],
  ['capture-cases/toy-capture/tap8.golden.pcap', 'tap8'],
  ['failing/toy-capture-ttl/tap8.golden.pcap', 'tap8-ttl62'],
];

describe('capture goldens', () => {
  it('the fixture pcaps are make_fixtures.py frames written by the pcap writer (UPDATE_HARNESS_CAPTURES=1 rewrites them)', () => {
    for (const [file, name] of FILES) {
      const bytes = encodePcap([frame(name, name === 'input' ? 0 : 1)], { nanosecond: true });
      if (process.env.UPDATE_HARNESS_CAPTURES === '1') writeFileSync(join(FIXTURES, file), bytes);
      expect(new Uint8Array(readFileSync(join(FIXTURES, file))), file).toEqual(bytes);
    }
  });

  it('a capture golden that matches passes, every dissected field compared (TCP options too)', async () => {
    const root = fixtureCopy();
    const r = await cli(['run', join(root, 'capture-cases/toy-capture'), '--reporter', 'json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout).cases[0];
    expect(c.status).toBe('passed');
    const row = c.comparisons[0].diff.traces[0].rows[0];
    expect(row.node).toBe('tap8');
    expect(row.golden.fields).toMatchObject({ 'ip4.ttl': 63, 'tcp.src_port': 40112, 'eth.src': '02:fe:16:79:39:cb' });
    expect(Object.keys(row.golden.fields).some((k) => k.startsWith('tcp.option'))).toBe(true);
    expect(c.counters.compared).toBe(c.counters.matched);
    expect(c.counters.compared).toBeGreaterThan(25);
  });

  it('the failing variant (golden TTL 62) exits 1 naming the interface and the field', async () => {
    const root = fixtureCopy();
    const r = await cli(['run', join(root, 'failing/toy-capture-ttl')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL toy/capture-ttl');
    expect(r.stdout).toMatch(/SYN 10\.1\.1\.12:40112 -> 10\.1\.1\.9:8080  diverges at tap8: ip4\.ttl expected 62, got 63; \d+ later differences? follows? from it/);
    expect(r.stdout).toMatch(/tap8: ip4\.checksum expected 0x098a, got 0x088a \(model checksum valid for its bytes; differs because covered fields differ\)/);
  });

  it('--update writes a snapshot capture, rewrites it atomically when the model changes, and is refused under CI', async () => {
    const root = fixtureCopy();
    const dir = join(root, 'capture-cases/toy-capture-snapshot');
    const snap = join(dir, 'tap8.snapshot.pcapng');
    const skip = await cli(['run', dir]);
    expect(skip.stdout).toMatch(/SKIP toy\/capture-snapshot/);
    const w = await cli(['run', dir, '--update']);
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/written .*tap8\.snapshot\.pcapng \(\+1 -0 packets\)/);
    const written = await readCapturePackets(snap);
    expect(written.map((p) => [Buffer.from(p.data).toString('hex'), p.meta.interfaceName])).toEqual([[frames.tap8, 'tap8']]);
    expect((await cli(['run', dir])).stdout).toMatch(/PASS toy\/capture-snapshot \[snapshot/);
    // Unchanged model, unchanged file.
    const same = await cli(['run', dir, '--update']);
    expect(same.stdout).toMatch(/PASS toy\/capture-snapshot/);
    // A stale snapshot (TTL 62): CI refuses to touch it; --update replaces the packet and says which.
    const stale = encodePcapng([frame('tap8-ttl62', 1)], { interfaces: [{ linkType: LinkType.ETHERNET, name: 'tap8' }] });
    writeFileSync(snap, stale);
    const mtime = statSync(snap).mtimeMs;
    const ci = await cli(['run', dir, '--update'], { CI: 'true' });
    expect(ci.code).toBe(2);
    expect(new Uint8Array(readFileSync(snap))).toEqual(stale);
    expect(statSync(snap).mtimeMs).toBe(mtime);
    const u = await cli(['run', dir, '--update']);
    expect(u.stdout).toMatch(/updated .*tap8\.snapshot\.pcapng \(\+1 -1 packets\)/);
    expect(u.stdout).toMatch(/\+ SYN 10\.1\.1\.12:40112 -> 10\.1\.1\.9:8080/);
    expect((await readCapturePackets(snap)).map((p) => Buffer.from(p.data).toString('hex'))).toEqual([frames.tap8]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // A conformance capture is evidence: --update never rewrites it.
    const conf = join(root, 'failing/toy-capture-ttl/tap8.golden.pcap');
    const before = readFileSync(conf);
    const c = await cli(['run', join(root, 'failing/toy-capture-ttl'), '--update']);
    expect(c.code).toBe(1);
    expect(c.stdout).toMatch(/conformance golden left as is/);
    expect(readFileSync(conf)).toEqual(before);
    expect(existsSync(snap)).toBe(true);
  });
});
