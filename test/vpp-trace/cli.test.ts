// `dpconform trace ...` in process: the command registered on a fresh program, stdout/stderr captured.

import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCapture } from '../../harness/io/capture.js';
import { DAMAGED_BLOCK, seedBlocks } from './seed.js';
import { runTrace } from './trace-cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'vpp-trace-cli-'));
const block2 = join(dir, 'block2.txt');
writeFileSync(block2, seedBlocks()[2].text);

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const { out, err, code } = await runTrace(...args);
  return { out, err, code };
}

afterEach(() => {
  process.exitCode = 0;
});

describe('dpconform trace', () => {
  it('parse: one line per packet, warnings on stderr with file:line', async () => {
    const r = await run('parse', block2);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^packet 1 \(line 3\): 23 stages, 23 typed: virtio-input > ethernet-input > ip4-input/m);
    expect(r.out).toMatch(/1 thread\(s\), 2 packet\(s\), 1 stitch\(es\)/);
    expect(r.err).toMatch(new RegExp(`${block2.replace(/[/.]/g, '\\$&')}:\\d+: warning: dpdk-input starts a new packet`));
  });

  it('parse --json: typed fields, bigints as hex, packets with known ranges', async () => {
    const r = await run('parse', '--json', block2);
    const j = JSON.parse(r.out);
    const st = j.threads[0].packets[0].stages[3];
    expect(st.node).toBe('acl-plugin-in-ip4-fa');
    expect(st.fields['pkt_info.1']).toBe('0x0c01010a00000000');
    expect(j.threads[0].packets[0].stages[2].packet.known).toEqual([[0, 32], [33, 5]]); // TCP byte 12 (data offset + reserved bits) is not fully printed
    expect(j.stitches).toHaveLength(1);
  });

  it('fmt: a stage that lost its node header prints 00:00:00:000000 and a warning naming its line', async () => {
    const damaged = join(dir, 'damaged.txt');
    writeFileSync(damaged, seedBlocks()[DAMAGED_BLOCK].text);
    const r = await run('fmt', damaged);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^00:00:00:000000: virtio-input$/m);
    // After the reader's warnings, as `trace parse` prints them (every command that reads a trace does).
    const read = (await run('parse', damaged)).err;
    expect(read).toMatch(/^\S+:1: warning: body line without its node header: read as virtio-input$/m);
    expect(r.err).toBe(`${read}${damaged}:1: warning: virtio-input has no node header line of its own: printed with time 00:00:00:000000\n`);
    // Verbatim keeps the header lost (nothing invented): only the reader's warnings.
    expect((await run('fmt', '--verbatim', damaged)).err).toBe(read);
    // A complete trace gets no warning of fmt's own.
    expect((await run('fmt', block2)).err).toBe((await run('parse', block2)).err);
  });

  it('fmt: canonical show-trace text that parses back to the same text', async () => {
    const r = await run('fmt', block2);
    expect(r.out).toMatch(/^------------------- Start of thread 0 vpp_main -------------------\nPacket 1\n\n04:26:22:973829: virtio-input\n/);
    const again = join(dir, 'again.txt');
    writeFileSync(again, r.out);
    expect((await run('fmt', again)).out).toBe(r.out);
    expect((await run('fmt', '--verbatim', block2)).out).toBe(seedBlocks()[2].text);
  });

  it('show: header changes between stages highlighted', async () => {
    const r = await run('show', block2);
    expect(r.out).toMatch(/ip4-rewrite .*tx_sw_if_index=3/);
    expect(r.out).toMatch(/loop0-output .*ip4\.ttl 64->63 {2}ip4\.checksum 0xf302->0xf402/);
    expect(r.out).toMatch(/-> continues on the peer VPP \(vni 10/);
  });

  it('to-pcap: one packet per stage with a comment, readable by our capture reader', async () => {
    const out = join(dir, 'b2.pcapng');
    const r = await run('to-pcap', block2, '-o', out);
    expect(r.code).toBe(0);
    const pkts = [];
    for await (const batch of readCapture(out)) pkts.push(...batch);
    expect(r.err).toMatch(/: 19 frame\(s\) of 2 packet\(s\)\n$/);
    expect(pkts.length).toBe(Number(/(\d+) frame/.exec(r.err)![1]));
    expect(pkts.length).toBe(11 + 8); // stages that show packet bytes, client node + server node
    expect(pkts[0].meta.comment).toMatch(/^packet 1 ethernet-input \(line 6\)\n04:26:22:973852: ethernet-input\n  IP4: /);
  });

  it('bad input: one line naming the file and line, exit 2', async () => {
    const prose = join(dir, 'prose.txt');
    writeFileSync(prose, 'just some text\nno trace here\n');
    const r = await run('parse', prose);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`dpconform: ${prose} (line 2): no VPP trace found (no \`HH:MM:SS:uuuuuu: node\` line)\n`);
    const bin = join(dir, 'bin.txt');
    writeFileSync(bin, Buffer.from([0x50, 0x0a, 0x00, 0x01, 0x0a]));
    expect((await run('show', bin)).err).toMatch(/bin\.txt \(line 2\): NUL byte/);
    expect((await run('fmt', join(dir, 'missing.txt'))).code).toBe(2);
    expect(readFileSync(block2, 'utf8').length).toBeGreaterThan(0);
  });
});
