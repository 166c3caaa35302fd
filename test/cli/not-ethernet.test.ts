// A capture whose link type is not Ethernet (a Linux cooked capture from `tcpdump -i any`) given to
// `check` or `replay` was read as Ethernet anyway: `check` reported a conformance failure (exit 1)
// and `replay` printed a trace of garbage (exit 0). Both now refuse it: one line naming the file and
// the packet, exit 2.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

  it('run names the input file when the model refuses the packet (the model sees the packet, never its file)', () => {
    const caseDir = join(dir, 'case');
    mkdirSync(caseDir, { recursive: true });
    const root = process.cwd();
    writeFileSync(
      join(caseDir, 'case.yaml'),
      [
        'name: not-ethernet-input',
        'model: neutron-dvr',
        `scenario: ${join(root, 'fixtures/neutron-dvr/scenario.yaml')}`,
        'inputs:',
        `  - file: ${sll}`,
        '    at: { instance: ext-host, interface: eth0 }',
        'golden:',
        `  - file: ${join(root, 'golden/neutron-dvr/cases/icmp-echo/inbound/ext-host.eth0.pcap')}`,
        "    interface: 'ext-host:eth0'",
        '    evidence: snapshot',
        '    source: test',
        '',
      ].join('\n'),
    );
    const r = dpconform(['run', caseDir]);
    expect(r.status).toBe(2);
    // The report names files relative to the working directory.
    const named = /(\S+) \(packet 1\): link type 113 is not Ethernet/.exec(r.stdout);
    expect(named).not.toBeNull();
    expect(resolve(named![1])).toBe(sll);
  });

  it('replay refuses it instead of replaying its bytes as Ethernet', () => {
    const r = dpconform(['replay', '--scenario', 'fixtures/contiv/scenario.yaml', '--instance', 'k8s-master', '--interface', 'tap8', '--input', sll]);
    expectRefused(r, /the VPP model takes Ethernet frames/);
  });
});
