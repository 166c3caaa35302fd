// `dpconform inspect`: the library form (inspectFiles) on captures we write ourselves, and two
// end-to-end runs of the built CLI for exit codes and the one-line error.

import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { inspectFiles } from '../../harness/cli/inspect.js';
import { encodePcap } from '../../harness/io/pcap.js';
import { buildPacket } from '../wire/build.js';
import { emitEthernet } from '../../harness/wire/ethernet.js';
import { emitIpv4 } from '../../harness/wire/ipv4.js';
import { emitTcp } from '../../harness/wire/tcp.js';
import { emitUdp } from '../../harness/wire/udp.js';
import type { Packet } from '../../harness/wire/packet.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-inspect-'));

function packet(ttl: number, dstPort: number, frame: number): Packet {
  const p = buildPacket([
    emitEthernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', tags: [], etherType: 0x0800 }),
    emitIpv4({ version: 4, headerLength: 20, tos: 0, totalLength: 0, id: frame, flags: 0, fragmentOffset: 0, ttl, protocol: dstPort === 53 ? 17 : 6, checksum: 0, src: '10.0.0.1', dst: '10.0.0.2', options: new Uint8Array(0) }),
    dstPort === 53
      ? emitUdp({ srcPort: 5353, dstPort, length: 0, checksum: 0 })
      : emitTcp({ srcPort: 40000, dstPort, seq: 1, ack: 0, headerLength: 20, reserved: 0, flags: 2, window: 1000, checksum: 0, urgent: 0, options: [] }),
  ]);
  p.meta.timestampNs = 1_700_000_000_123_456_789n + BigInt(frame);
  return p;
}

const packets = [packet(64, 80, 1), packet(63, 80, 2), packet(64, 53, 3), packet(64, 443, 4)];
const good = join(dir, 'good.pcap');
const cut = join(dir, 'cut.pcap');

async function run(files: string[], opts: Parameters<typeof inspectFiles>[1]): Promise<{ out: string; n: number }> {
  let out = '';
  const n = await inspectFiles(files, opts, (s) => (out += s));
  return { out, n };
}

beforeAll(() => {
  const bytes = encodePcap(packets, { nanosecond: true });
  writeFileSync(good, bytes);
  writeFileSync(cut, bytes.subarray(0, bytes.length - 10)); // the last record is cut short
});

describe('inspectFiles', () => {
  it('--json prints the contract fields, timestamps with 9 fraction digits', async () => {
    const { out, n } = await run([good], { json: true });
    expect(n).toBe(4);
    const objs = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(objs[0]).toMatchObject({ frame: 1, interface: 0, link_type: 1, timestamp: '1700000000.123456790', caplen: 54, origlen: 54 });
    expect(objs[0].layers.map((l: { name: string }) => l.name)).toEqual(['eth', 'ip4', 'tcp']);
    expect(objs[0].layers[1]).toMatchObject({ name: 'ip4', ttl: 64, checksum_valid: true });
    expect(objs[2].layers[2]).toMatchObject({ name: 'udp', dst_port: 53, checksum_valid: true });
  });

  it('text lines look like tcpdump -n -v and carry no colour unless asked', async () => {
    const { out } = await run([good], {});
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^1 \d\d:\d\d:\d\d\.\d{6} .*IP \(tos 0x0, ttl 64, id 1, offset 0, flags \[none\], proto TCP \(6\), length 40\) 10\.0\.0\.1\.40000 > 10\.0\.0\.2\.80: Flags \[S\], cksum 0x[0-9a-f]{4} \(correct\)/);
    expect(out).not.toMatch(/\u001b\[/);
    const coloured = await run([good], { color: true });
    expect(coloured.out).toMatch(/\u001b\[/);
  });

  it('--filter ANDs field equalities; --count counts what matches', async () => {
    expect((await run([good], { count: true })).out).toBe('4\n');
    expect((await run([good], { count: true, filter: ['ip4.ttl=64'] })).out).toBe('3\n');
    expect((await run([good], { count: true, filter: ['ip4.ttl=64', 'tcp.dst_port=80'] })).out).toBe('1\n');
    expect((await run([good], { count: true, filter: ['udp.dst_port=0x35'] })).out).toBe('1\n');
    await expect(run([good], { filter: ['nonsense'] })).rejects.toThrow(/^--filter: bad filter 'nonsense': expected LAYER.FIELD=VALUE/);
  });

  it('--keep-going reports the packets before a fault, then raises it with file and packet', async () => {
    let out = '';
    await expect(inspectFiles([cut], { json: true, keepGoing: true }, (s) => (out += s))).rejects.toThrow(/cut\.pcap.*packet 4/);
    expect(out.trim().split('\n')).toHaveLength(3);
    out = '';
    await expect(inspectFiles([cut], { json: true }, (s) => (out += s))).rejects.toThrow(/cut\.pcap/);
    expect(out).toBe('');
  });
});

describe('dpconform inspect (built CLI)', () => {
  const main = join(process.cwd(), 'dist/harness/cli/main.js');
  beforeAll(() => {
    // tsc emits even when someone else's half-written file has type errors; only our output matters.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'ignore' });
  }, 120_000);

  it('prints JSON lines and exits 0', () => {
    expect(existsSync(main)).toBe(true);
    const r = spawnSync('node', [main, 'inspect', '--json', good], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('a bad --filter is a usage error naming the option, not the input: one line, exit 2, nothing printed', () => {
    const r = spawnSync('node', [main, 'inspect', '--filter', 'ip4.ttl=64', '--filter', 'nonsense', good], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("dpconform: --filter: bad filter 'nonsense': expected LAYER.FIELD=VALUE, e.g. ip4.ttl=64\n");
  });

  it('a damaged capture with --keep-going: packets, then one error line, exit 2', () => {
    const r = spawnSync('node', [main, 'inspect', '--keep-going', cut], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^dpconform: .*cut\.pcap \(packet 4, offset \d+\): /);
  });
});
