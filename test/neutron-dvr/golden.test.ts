// The model against the real kernel: captures of lab/dvr (golden/neutron-dvr, see its README) are
// replayed with `check`: every device, both directions, every traffic kind. No root needed.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, type CaptureSpec } from '../../harness/check/check.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { checkCli } from './cli.js';

const GOLDEN = 'golden/neutron-dvr/captures';
const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';

function capturesIn(dir: string): CaptureSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => {
      const base = f.slice(0, -'.pcap'.length);
      const dot = base.indexOf('.');
      return { node: base.slice(0, dot), iface: base.slice(dot + 1), file: join(dir, f) };
    });
}

/** A copy of the golden captures with one byte of one frame of one file changed (a fault in the "kernel"). */
function withFault(file: string, frame: number, offsetInFrame: number, xor: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'dvr-golden-'));
  for (const f of readdirSync(GOLDEN)) copyFileSync(join(GOLDEN, f), join(dir, f));
  const b = readFileSync(join(GOLDEN, file));
  let off = 24; // pcap global header, then 16-byte record headers (little-endian caplen at +8)
  for (let i = 1; i < frame; i++) off += 16 + b.readUInt32LE(off + 8);
  b[off + 16 + offsetInFrame] ^= xor;
  writeFileSync(join(dir, file), b);
  return dir;
}

/** The frames of a classic little-endian pcap file. */
function pcapFrames(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 24; off < b.length; ) {
    const len = b.readUInt32LE(off + 8);
    out.push(b.subarray(off + 16, off + 16 + len));
    off += 16 + len;
  }
  return out;
}

describe('neutron-dvr model vs real kernel captures (golden/neutron-dvr)', () => {
  it('matches every captured packet at every device, field by field', async () => {
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: capturesIn(GOLDEN) });
    expect(r.divergences).toEqual([]);
    expect(r.devices).toHaveLength(9);
    expect(r.inputs).toBeGreaterThan(50);
    expect(r.matched).toBe(r.predicted);
    expect(r.matched).toBeGreaterThan(250);
  });

  it('the NAT port clash: the port the kernel chose is bound from the first capture (qg-), then required and un-NATed', async () => {
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: capturesIn(GOLDEN) });
    expect(r.bound).toHaveLength(2);
    const [b, icmp] = r.bound;
    expect(b.id).toBe('snat-517ba029-f811-4af8-9cfd-6cef0babd1d1: source NAT port of udp 10.0.111.6:40030 -> 172.30.0.11:7777');
    expect(b.captured).toMatch(/snat-517ba029-f811-4af8-9cfd-6cef0babd1d1\.qg-cf417cb0-53\.pcap:\d+$/);
    const port = (b.value[0] << 8) | b.value[1];
    expect(port).not.toBe(40030); // the kernel really had to pick another one
    // the external host's echo reply went to that port, and reached the VM un-NATed (10.0.111.6:40030)
    const vm2 = readFileSync(join(GOLDEN, 'vm-3b6f0d2e.eth0.pcap'));
    const frames = pcapFrames(vm2);
    const back = frames.filter((p) => p.length > 42 && p[23] === 17 && p.readUInt16BE(34) === 7777);
    expect(back.map((p) => [p.subarray(30, 34).join('.'), p.readUInt16BE(36)])).toEqual([['10.0.111.5', 40030], ['10.0.111.6', 40030]]);
    // the same for an ICMP echo: the id the kernel chose is bound, the reply reaches the VM with id 24577
    expect(icmp.id).toBe('snat-517ba029-f811-4af8-9cfd-6cef0babd1d1: source NAT id of icmp 10.0.111.6 -> 172.30.0.11 id 24577');
    expect((icmp.value[0] << 8) | icmp.value[1]).not.toBe(24577);
    const replies = frames.filter((p) => p.length > 42 && p[23] === 1 && p[34] === 0 && p.readUInt16BE(38) === 24577);
    expect(replies.map((p) => p.subarray(30, 34).join('.'))).toEqual(['10.0.111.5', '10.0.111.6']);
  });

  it('dpconform check prints the binding (text) and carries it in --json; exit 0', async () => {
    const args = ['--scenario', SCENARIO, '--model', 'neutron-dvr', ...capturesIn(GOLDEN).map((c) => `--capture=${c.node}:${c.iface}=${c.file}`)];
    const text = await checkCli(args);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^check: bound snat-517ba029-f811-4af8-9cfd-6cef0babd1d1: source NAT port of udp 10\.0\.111\.6:40030 -> 172\.30\.0\.11:7777 = \d+ \(from .*qg-cf417cb0-53\.pcap:\d+\)$/);
    expect(lines[2]).toMatch(/^check: bound .*source NAT id of icmp 10\.0\.111\.6 -> 172\.30\.0\.11 id 24577 = \d+ /);
    expect(lines[3]).toMatch(/MATCH/);
    const json = await checkCli([...args, '--json']);
    expect(JSON.parse(json.stdout).bound).toHaveLength(2);
  });

  // A "kernel" fault in one capture byte, found by content: the first divergence is at that device and
  // field (and, where given, names the model stage that set it). The clashed connections after their
  // binding (bound values are required downstream and un-NATed back), TTL, a translated checksum.
  const VM2 = 'vm-3b6f0d2e.eth0.pcap';
  const VM1 = 'vm-a7884fb1.eth0.pcap'; // the floating-IP VM
  const EXT = 'ext-host.eth0.pcap';
  const QROUTER = 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1';
  const RFP = `${QROUTER}.rfp-517ba029-f.pcap`;
  /** Index of the one frame `pick` selects (-1 unless exactly one). */
  const only = (f: Buffer[], pick: (p: Buffer) => boolean) => (f.filter(pick).length === 1 ? f.findIndex(pick) : -1);
  const L4 = 14 + 20;
  const isUdpTo = (p: Buffer, port: number) => p.length > 42 && p[23] === 17 && p.readUInt16BE(36) === port;
  interface CaptureFault {
    what: string;
    file: string;
    device: string;
    field: string;
    offset: number;
    /** Bits flipped (default 0x01). */
    xor?: number;
    /** The model stage the divergence names, where the test pins it. */
    stage?: string;
    pick: (f: Buffer[]) => number;
  }
  it.each<CaptureFault>([
    {
      what: 'an echo reply of the clashed ping the kernel had not un-NATed (its id left at the chosen one)',
      file: VM2, device: 'vm-3b6f0d2e:eth0', field: 'icmp.id', offset: L4 + 5, // low byte of icmp.id
      pick: (f: Buffer[]) => f.findIndex((p) => p.length > 42 && p[23] === 1 && p[34] === 0 && p.readUInt16BE(38) === 24577 && p[33] === 6),
    },
    {
      what: 'the clashed connection on another port downstream of where it was bound (ext-host capture changed)',
      file: EXT, device: 'ext-host:eth0', field: 'udp.src_port', offset: L4 + 1, // low byte of udp.src_port
      // the second datagram to 7777 as the external host received it: its source port is the bound one
      pick: (f: Buffer[]) => f.map((p, k) => [p, k] as const).filter(([p]) => isUdpTo(p, 7777))[1]?.[1] ?? -1,
    },
    {
      what: 'a reply of the clashed connection the kernel had not un-NATed at the VM (vm-3b6f0d2e capture changed)',
      file: VM2, device: 'vm-3b6f0d2e:eth0', field: 'udp.dst_port', offset: L4 + 3, // low byte of udp.dst_port
      pick: (f: Buffer[]) => f.findIndex((p) => p.length > 42 && p[23] === 17 && p.readUInt16BE(34) === 7777 && p[33] === 6),
    },
    {
      what: 'a wrong TTL on the rfp link, named ip4.ttl at ip_forward',
      file: RFP, device: `${QROUTER}:rfp-517ba029-f`, field: 'ip4.ttl', offset: 14 + 8, stage: 'qrouter-517ba029/ip_forward',
      // the VM's first echo request after SNAT
      pick: (f: Buffer[]) => f.findIndex((p) => p.length > 42 && p[23] === 1 && p[34] === 8),
    },
    {
      what: 'a stale checksum in a translated ICMP error at the VM, named where it was translated',
      file: VM1, device: 'vm-a7884fb1:eth0', field: 'inner.udp.checksum', offset: L4 + 8 + 20 + 7, xor: 0x10, stage: 'qrouter-517ba029/nf_nat:PREROUTING',
      // the time exceeded from the fip namespace (quoting the TTL-2 UDP probe): the floating-IP VM's only ICMP type 11 from 169.254.106.115
      pick: (f: Buffer[]) => only(f, (p) => p[23] === 1 && p[34] === 11 && p[26] === 169),
    },
  ])('detects $what', async ({ file, device, field, offset, pick, xor, stage }) => {
    const i = pick(pcapFrames(readFileSync(join(GOLDEN, file))));
    expect(i).toBeGreaterThanOrEqual(0);
    const dir = withFault(file, i + 1, offset, xor ?? 0x01);
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: capturesIn(dir) });
    expect(r.divergences[0]).toMatchObject({ kind: 'field', device });
    expect(r.divergences[0].diff?.field).toBe(field);
    if (stage) expect(r.divergences[0].stage).toBe(stage);
  });

  it('detects a model whose snat namespace SNATs to another address, naming snat-/nf_nat:POSTROUTING (packet held for ARP)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvr-scn-'));
    const scn = join(dir, 'scenario.yaml');
    const text = readFileSync(SCENARIO, 'utf8');
    writeFileSync(scn, text.replace('-o qg-cf417cb0-53 -j SNAT --to-source 172.30.89.126', '-o qg-cf417cb0-53 -j SNAT --to-source 172.30.89.150'));
    const r = await runCheck({ model: neutronDvrModel, scenario: scn, captures: capturesIn(GOLDEN) });
    expect(r.divergences[0]).toMatchObject({ kind: 'field', device: 'snat-517ba029-f811-4af8-9cfd-6cef0babd1d1:qg-cf417cb0-53', stage: 'snat-517ba029/nf_nat:POSTROUTING' });
    expect(r.divergences[0].diff).toMatchObject({ field: 'ip4.src', model: '172.30.89.150', captured: '172.30.89.126' });
  });

  it('detects a qrouter without the subnet rule to sg- (the VM without a floating IP gets no route)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvr-scn-'));
    const scn = join(dir, 'scenario.yaml');
    const text = readFileSync(SCENARIO, 'utf8');
    const broken = text.replace('      - { priority: 167800577, from: 10.0.111.1/24, table: 167800577 }\n', '');
    expect(broken).not.toBe(text);
    writeFileSync(scn, broken);
    const r = await runCheck({ model: neutronDvrModel, scenario: scn, captures: capturesIn(GOLDEN) });
    expect(r.divergences[0]).toMatchObject({ kind: 'unexpected', device: 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:qr-22378d26-ea' });
  });

  it('detects a model configured with a different floating IP for SNAT, at nf_nat:POSTROUTING', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvr-scn-'));
    const scn = join(dir, 'scenario.yaml');
    writeFileSync(scn, readFileSync(SCENARIO, 'utf8').replace('-j SNAT --to-source 172.30.89.140', '-j SNAT --to-source 172.30.89.150'));
    const r = await runCheck({ model: neutronDvrModel, scenario: scn, captures: capturesIn(GOLDEN) });
    expect(r.divergences.length).toBeGreaterThan(0);
    expect(r.divergences[0].diff?.field).toBe('ip4.src');
    expect(r.divergences[0].stage).toBe('qrouter-517ba029/nf_nat:POSTROUTING');
  });
});
