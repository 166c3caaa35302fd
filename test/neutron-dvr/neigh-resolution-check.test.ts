// `dpconform check` and the model's timers after the last input. The extra phase ends with the VM's
// datagrams to 172.30.0.99 (nobody has it): its last datagram restarts fip's resolution, and the
// retransmits and the host unreachable come after the last input (golden/neutron-dvr/README.md,
// captures-s9). check runs the pending timers up to the end of the capture: the whole capture
// matches, and a capture cut right after the last input matches too (what the timers do later is not
// in it, so it is not predicted).
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCli } from './cli.js';
import { labCaptures } from '../../lab/dvr/cases.js';
import { EXTRA_SCENARIO } from '../../lab/dvr/cases-extra.js';

const CAPTURES = 'golden/neutron-dvr/captures-s9';
const VM_PCAP = 'vm-a7884fb1.eth0.pcap';
const VM_MAC = Buffer.from([0xfa, 0x16, 0x3e, 0x66, 0x15, 0x3c]);

/** Record offsets and timestamps (µs) of a classic little-endian pcap file. */
function records(b: Buffer): { off: number; end: number; us: bigint }[] {
  const out: { off: number; end: number; us: bigint }[] = [];
  for (let off = 24; off < b.length; ) {
    const end = off + 16 + b.readUInt32LE(off + 8);
    out.push({ off, end, us: BigInt(b.readUInt32LE(off)) * 1_000_000n + BigInt(b.readUInt32LE(off + 4)) });
    off = end;
  }
  return out;
}

/** The --capture arguments for every device's capture in `dir` (lab file names: <namespace>.<device>.pcap). */
const args = (dir: string): string[] => labCaptures(dir).flatMap((c) => ['--capture', `${c.node}:${c.iface}=${join(dir, c.file)}`]);

describe('check runs the model timers pending after the last input up to the end of the capture', () => {
  it('the whole extra-phase capture matches, the failure after the last input included', async () => {
    const r = await checkCli(['--scenario', EXTRA_SCENARIO, '--model', 'neutron-dvr', ...args(CAPTURES)]);
    expect(r.stdout).toContain('check: MATCH');
    expect(r.code).toBe(0);
  });

  it('captures cut right after the last input match too: later timers are not predicted', async () => {
    const vm = readFileSync(join(CAPTURES, VM_PCAP));
    const sent = records(vm).filter((x) => vm.subarray(x.off + 16 + 6, x.off + 16 + 12).equals(VM_MAC));
    const cut = sent[sent.length - 1].us + 100_000n; // 0.1 s after the VM's last datagram
    const dir = mkdtempSync(join(tmpdir(), 'dvr-neigh-'));
    let dropped = 0;
    for (const f of readdirSync(CAPTURES)) {
      if (!f.endsWith('.pcap')) continue;
      const b = readFileSync(join(CAPTURES, f));
      const kept = records(b).filter((x) => x.us <= cut);
      dropped += records(b).length - kept.length;
      writeFileSync(join(dir, f), Buffer.concat([b.subarray(0, 24), ...kept.map((x) => b.subarray(x.off, x.end))]));
    }
    expect(dropped).toBeGreaterThan(0); // the restart's retransmits and its host unreachable
    const r = await checkCli(['--scenario', EXTRA_SCENARIO, '--model', 'neutron-dvr', ...args(dir)]);
    expect(r.stdout).toContain('check: MATCH');
    expect(r.code).toBe(0);
  });
});
