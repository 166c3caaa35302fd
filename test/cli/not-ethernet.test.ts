// A capture whose link type is not Ethernet (a Linux cooked capture from `tcpdump -i any`) given to
// `check` or `replay` was read as Ethernet anyway: `check` reported a conformance failure (exit 1)
// and `replay` printed a trace of garbage (exit 0). Both now refuse it: one line naming the file and
// the packet, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { bytesOf, cat, pcapHeader, pcapRecord } from '../io/blocks.js';

const main = join(process.cwd(), 'dist/harness/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'dpconform-not-ethernet-'));
const LINUX_SLL = 113;
const sll = join(dir, 'any.pcap');
writeFileSync(sll, cat(pcapHeader({ linkWord: LINUX_SLL }), pcapRecord(bytesOf(60))));

function dpconform(args: string[]) {
  return spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 30_000 });
}

function expectRefused(r: ReturnType<typeof dpconform>, why: RegExp): void {
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^dpconform: ${sll} \\(packet 1\\): link type 113, not Ethernet \\(1\\): `));
  expect(lines[0]).toMatch(why);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
}

describe('a capture that is not Ethernet', () => {
  it('check refuses it instead of reporting a divergence', () => {
    const r = dpconform(['check', '--model', 'neutron-dvr', '--scenario', 'fixtures/neutron-dvr/scenario.yaml', '--capture', `vm-a7884fb1:eth0=${sll}`]);
    expectRefused(r, /check compares Ethernet frames/);
  });

  it('replay refuses it instead of replaying its bytes as Ethernet', () => {
    const r = dpconform(['replay', '--scenario', 'fixtures/contiv/scenario.yaml', '--instance', 'k8s-master', '--interface', 'tap8', '--input', sll]);
    expectRefused(r, /the VPP model takes Ethernet frames/);
  });
});
