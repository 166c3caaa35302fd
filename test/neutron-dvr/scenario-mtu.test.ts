// A device's MTU in the DVR scenario: optional (a veth's 1500 when unset), an integer that `ip link set
// DEV mtu N` accepts on a veth (68..65535), refused otherwise with file, line and key like every other
// scenario key; the lab sets the same number on the device and on its bridge port (lab/dvr/plan.ts).
// The extra phase's variant (scenario-mtu.yaml) differs from scenario.yaml in the tenant MTUs only.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/io/input-error.js';
import { loadDvrScenario, parseDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { planBuild } from '../../lab/dvr/plan.js';
import { checkCli } from './cli.js';
import { scenarioErrorOf } from './scenario-edit.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const VARIANT = 'fixtures/neutron-dvr/scenario-mtu.yaml';
const TEXT = readFileSync(SCENARIO, 'utf8');
const QR = "{ name: qr-22378d26-ea, mac: 'fa:16:3e:b0:bc:f0', addresses: [10.0.111.1/24], segment: tenant }";
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

const errorOf = (mtu: string): { e: InputError; text: string } => scenarioErrorOf(TEXT, QR, QR.replace(' }', `, mtu: ${mtu} }`));

describe('DVR scenario: per-device mtu', () => {
  it('defaults to 1500 (a veth nobody configured); the variant sets 1450 on the tenant devices only', async () => {
    const plain = await loadDvrScenario(SCENARIO);
    expect(plain.namespaces.flatMap((n) => n.devices.map((d) => d.mtu))).toEqual(Array(9).fill(1500));
    const v = await loadDvrScenario(VARIANT);
    const mtus = Object.fromEntries(v.namespaces.flatMap((n) => n.devices.map((d) => [`${n.name}:${d.name}`, d.mtu])));
    expect(mtus).toMatchObject({ 'vm-a7884fb1:eth0': 1450, 'vm-3b6f0d2e:eth0': 1450, 'ext-host:eth0': 1500 });
    expect(mtus['qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:qr-22378d26-ea']).toBe(1450);
    expect(mtus['qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:rfp-517ba029-f']).toBe(1500);
    expect(mtus['snat-517ba029-f811-4af8-9cfd-6cef0babd1d1:sg-784e8801-08']).toBe(1450);
    expect(mtus['snat-517ba029-f811-4af8-9cfd-6cef0babd1d1:qg-cf417cb0-53']).toBe(1500);
  });

  it('the variant is scenario.yaml plus its mtu keys (and its header comment)', () => {
    const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('#')).join('\n').replaceAll(', mtu: 1450 }', ' }');
    expect(body(readFileSync(VARIANT, 'utf8'))).toBe(body(TEXT));
  });

  it('a value that is not an integer: file, line and key; exit-2 error kind', () => {
    const { e, text } = errorOf('big');
    expect(e.where).toMatchObject({ file: 'bad.yaml', line: lineOf(text, 'mtu: big'), key: 'namespaces[1].devices[0].mtu' });
    expect(e.reason).toMatch(/expected an integer in \[68, 65535\]/);
  });

  it('out of range: below IPv4\'s 68, above a veth\'s 65535', () => {
    for (const v of ['67', '65536', '0']) {
      const { e, text } = errorOf(v);
      expect(e.where).toMatchObject({ file: 'bad.yaml', line: lineOf(text, `mtu: ${v}`), key: 'namespaces[1].devices[0].mtu' });
    }
    expect(() => parseDvrScenario(TEXT.replace(QR, QR.replace(' }', ', mtu: 68 }')), 'ok.yaml')).not.toThrow();
    expect(() => parseDvrScenario(TEXT.replace(QR, QR.replace(' }', ', mtu: 65535 }')), 'ok.yaml')).not.toThrow();
  });

  it('dpconform check on an mtu out of range: one line naming file, line and key; exit 2', async () => {
    const { text } = errorOf('67');
    const bad = join(mkdtempSync(join(tmpdir(), 'dvr-mtu-')), 'scenario.yaml');
    writeFileSync(bad, text);
    const r = await checkCli(['--scenario', bad, '--model', 'neutron-dvr', '--capture', 'vm-a7884fb1:eth0=golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${bad} (line ${lineOf(text, 'mtu: 67')}, key namespaces[1].devices[0].mtu)`);
  });

  it('the lab sets each device\'s MTU, and its bridge port\'s, from the scenario', async () => {
    const plan = planBuild(await loadDvrScenario(VARIANT), 'dpct');
    expect(plan).toContain("ip -n 'dpct-qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1' link set 'qr-22378d26-ea' mtu 1450");
    expect(plan).toContain("ip -n 'dpct-fip-cb1f1abb-443c-49df-b863-ba4cebf10d18' link set 'fg-73de653f-c4' mtu 1500");
    // qr- is the second device on a bridge (p1, after the VM's eth0)
    expect(plan).toMatch(/link add p1 type veth peer name 'qr-22378d26-ea'[\s\S]*ip -n 'dpct-l2' link set p1 mtu 1450/);
    expect(plan.match(/ mtu \d+$/gm)).toHaveLength(9 + 7); // 9 devices, 7 of them on a bridge
  });
});
