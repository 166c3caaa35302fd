// The model against the real kernel: captures of lab/dvr (golden/neutron-dvr, see its README) are
// replayed with `check`: every device, both directions, every traffic kind. No root needed.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, type CaptureSpec } from '../../harness/check/check.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';

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

describe('neutron-dvr model vs real kernel captures (golden/neutron-dvr)', () => {
  it('matches every captured packet at every device, field by field', async () => {
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: capturesIn(GOLDEN) });
    expect(r.divergences).toEqual([]);
    expect(r.devices).toHaveLength(8);
    expect(r.inputs).toBeGreaterThan(30);
    expect(r.matched).toBe(r.predicted);
    expect(r.matched).toBeGreaterThan(150);
  });

  it('detects a wrong TTL on the rfp link (fault injected into the capture) and names ip4.ttl', async () => {
    // frame 3 on rfp is the VM's first echo request after SNAT; byte 14+8 is its TTL
    const dir = withFault('qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1.rfp-517ba029-f.pcap', 3, 22, 0x01);
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: capturesIn(dir) });
    expect(r.divergences[0]).toMatchObject({ kind: 'field', device: 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:rfp-517ba029-f' });
    expect(r.divergences[0].diff?.field).toBe('ip4.ttl');
    expect(r.divergences[0].stage).toBe('qrouter-517ba029/ip_forward');
  });

  it('detects a stale checksum in a translated ICMP error at the VM', async () => {
    const vm = readdirSync(GOLDEN).find((f) => f.startsWith('vm-'))!;
    // the time exceeded from the fip namespace (quoting the TTL-2 UDP probe) is the VM's only ICMP type 11 from 169.254.106.115
    const b = readFileSync(join(GOLDEN, vm));
    let off = 24;
    let frame = 0;
    let target = -1;
    while (off < b.length) {
      frame++;
      const len = b.readUInt32LE(off + 8);
      const p = b.subarray(off + 16, off + 16 + len);
      if (p[23] === 1 && p[34] === 11 && p[26] === 169) target = frame;
      off += 16 + len;
    }
    expect(target).toBeGreaterThan(0);
    const dir = withFault(vm, target, 14 + 20 + 8 + 20 + 7, 0x10); // inner UDP checksum low byte
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: capturesIn(dir) });
    expect(r.divergences[0].diff?.field).toBe('inner.udp.checksum');
    expect(r.divergences[0].stage).toBe('qrouter-517ba029/nf_nat:PREROUTING');
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
