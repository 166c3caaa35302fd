// A capture golden whose `interface:` names a device the model lacks matched none of the model's
// output: every golden frame "the model produced no trace" (exit 1), and --update wrote an empty
// capture over a snapshot. Refused at case.yaml's interface: line, naming the node's devices; the
// golden is left as it was.

import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSuite } from '../../harness/suite/run-suite.js';

const REPO = resolve(import.meta.dirname, '../..');
const CAPTURES = join(REPO, 'golden/neutron-dvr/cases/icmp-echo/outbound');

/** neutron-dvr icmp-echo/outbound's inputs, with ext-host:eth0's capture as a snapshot golden on `device`. */
function dvrCase(device: string): { dir: string; golden: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-golden-device-'));
  const golden = join(dir, 'ext.pcap');
  copyFileSync(join(CAPTURES, 'ext-host.eth0.pcap'), golden);
  const input = (file: string, at: string, packets: string) => `  - { file: ${join(CAPTURES, file)}, at: { instance: ${at}, interface: eth0 }, packets: ${packets} }`;
  writeFileSync(join(dir, 'case.yaml'), [
    'name: golden-device',
    'model: neutron-dvr',
    `scenario: ${join(REPO, 'fixtures/neutron-dvr/scenario.yaml')}`,
    'inputs:',
    input('vm-a7884fb1.eth0.pcap', 'vm-a7884fb1', '[1, 3]'),
    input('ext-host.eth0.pcap', 'ext-host', '[2, 4, 6]'),
    input('vm-3b6f0d2e.eth0.pcap', 'vm-3b6f0d2e', '[2, 4]'),
    input('ext-host.eth0.pcap', 'ext-host', '[8, 10]'),
    input('vm-3b6f0d2e.eth0.pcap', 'vm-3b6f0d2e', '[7]'),
    'golden:',
    `  - { file: ext.pcap, interface: '${device}', evidence: snapshot }`,
    '',
  ].join('\n'));
  return { dir, golden };
}

describe('a capture golden on a device the model lacks', () => {
  it('run --update: refused at the interface: line, the snapshot kept', async () => {
    const { dir, golden } = dvrCase('ext-host:eth9');
    const before = readFileSync(golden);
    const r = await runSuite({ paths: [dir], update: true });
    expect(r.cases[0].errors).toMatchObject([{ code: 'run.unknown-device', file: join(dir, 'case.yaml'), line: 11, key: 'golden[0].interface' }]);
    expect(r.cases[0].errors[0].message).toMatch(/no device 'ext-host:eth9' in .*scenario\.yaml \(node ext-host has ext-host:eth0\)$/);
    expect(readFileSync(golden)).toEqual(before);
    expect(r.exitCode).toBe(2);
  });

  it('no interface: at all, on a model with several devices: refused at the golden, the snapshot kept', async () => {
    const { dir, golden } = dvrCase('ext-host:eth0');
    writeFileSync(join(dir, 'case.yaml'), readFileSync(join(dir, 'case.yaml'), 'utf8').replace("interface: 'ext-host:eth0', ", ''));
    const before = readFileSync(golden);
    const r = await runSuite({ paths: [dir], update: true });
    expect(r.cases[0].errors).toMatchObject([{ code: 'run.golden-device', line: 11, key: 'golden[0]' }]);
    expect(r.cases[0].errors[0].message).toMatch(/a capture golden of a model with \d+ devices names the one it was taken on: add interface: NODE:IF$/);
    expect(readFileSync(golden)).toEqual(before);
  });

  it('the right device passes', async () => {
    const r = await runSuite({ paths: [dvrCase('ext-host:eth0').dir] });
    expect(r.cases[0].status).toBe('passed');
  });
});
