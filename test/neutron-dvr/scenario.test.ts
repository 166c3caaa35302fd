// The DVR scenario goes through the shared loader (harness/scenario): a broken scenario is one line
// naming file, line and key, and `dpconform check` exits 2 on it.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/io/input-error.js';
import { loadDvrScenario, parseDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { checkCli } from './cli.js';
import { scenarioErrorOf } from './scenario-edit.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const TEXT = readFileSync(SCENARIO, 'utf8');
const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

/** The seed scenario with one edit; returns the error it raises. */
const errorOf = (from: string, to: string): { e: InputError; text: string } => scenarioErrorOf(TEXT, from, to);

describe('DVR scenario through the shared loader', () => {
  it('loads seed 001: namespaces, devices, rules, routes, iptables and the floating IP', async () => {
    const s = await loadDvrScenario(SCENARIO);
    expect(s.name).toBe('seed-001-node-12');
    expect(s.namespaces.map((n) => n.name)).toEqual([
      'vm-a7884fb1',
      'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1',
      'fip-cb1f1abb-443c-49df-b863-ba4cebf10d18',
      'snat-517ba029-f811-4af8-9cfd-6cef0babd1d1',
      'ext-host',
      'vm-3b6f0d2e',
    ]);
    expect(s.floatingIps).toEqual([{ router: '517ba029-f811-4af8-9cfd-6cef0babd1d1', floatingIp: '172.30.89.140', fixedIp: '10.0.111.9' }]);
    const q = s.namespaces[1];
    expect(q.rules.map((r) => r.table)).toEqual([16, 167800577]);
    expect(q.iptables.get('nat')?.has('neutron-l3-agent-float-snat')).toBe(true);
    // The snat namespace: the L3 agent's gateway SNAT, the DNAT-reply SNAT guarded by the ingress mark, the mark itself.
    const snat = s.namespaces[3].iptables;
    expect(snat.get('nat')?.get('neutron-l3-agent-snat')?.rules.map((r) => r.target)).toEqual([
      { kind: 'SNAT', to: '172.30.89.126', port: undefined, randomFully: false },
      { kind: 'SNAT', to: '172.30.89.126', port: undefined, randomFully: false },
    ]);
    expect(snat.get('nat')?.get('neutron-l3-agent-snat')?.rules[1].mark).toEqual({ value: 2, mask: 0xffff, neg: true });
    expect(snat.get('mangle')?.get('neutron-l3-agent-mark')?.rules[0].target).toEqual({ kind: 'MARK', value: 2, mask: 0xffff });
  });

  it('unknown key: file, line and key path', () => {
    const { e, text } = errorOf('proxy_arp: true', 'proxy_arpp: true');
    expect(e.where).toMatchObject({ file: 'bad.yaml', line: lineOf(text, 'proxy_arpp'), key: 'namespaces[2].devices[1].proxy_arpp' });
    expect(e.message).toMatch(/^bad\.yaml \(line \d+, key namespaces\[2\]\.devices\[1\]\.proxy_arpp\): unknown key 'proxy_arpp'/);
  });

  it('wrong type: a rule priority that is not an integer', () => {
    const { e, text } = errorOf('{ priority: 32768,', '{ priority: high,');
    expect(e.where).toMatchObject({ file: 'bad.yaml', line: lineOf(text, 'priority: high'), key: 'namespaces[1].rules[0].priority' });
    expect(e.reason).toMatch(/expected an integer/);
  });

  it('wrong format: a MAC that is not one', () => {
    const { e } = errorOf("mac: '6a:41:cd:d4:c5:c8'", "mac: '6a:41:cd:d4:c5'");
    expect(e.where.key).toBe('namespaces[2].devices[0].mac');
    expect(e.reason).toMatch(/MAC address/);
  });

  it('a route to an unknown device', () => {
    const { e, text } = errorOf('{ dst: 172.30.89.140/32, via: 169.254.106.114, dev: fpr-517ba029-f }', '{ dst: 172.30.89.140/32, via: 169.254.106.114, dev: fpr-nowhere }');
    expect(e.where).toMatchObject({ file: 'bad.yaml', line: lineOf(text, 'dev: fpr-nowhere'), key: 'namespaces[2].routes[0].dev' });
    expect(e.reason).toBe("no device 'fpr-nowhere' in namespace fip-cb1f1abb-443c-49df-b863-ba4cebf10d18");
  });

  it('a floating IP on an unknown router', () => {
    const { e, text } = errorOf('{ router: 517ba029-f811-4af8-9cfd-6cef0babd1d1, floating_ip', '{ router: 00000000-dead, floating_ip');
    expect(e.where).toMatchObject({ file: 'bad.yaml', line: lineOf(text, '00000000-dead'), key: 'floating_ips[0].router' });
    expect(e.reason).toMatch(/no router '00000000-dead'/);
  });

  it('a floating IP the router does not carry', () => {
    const { e } = errorOf('floating_ip: 172.30.89.140,', 'floating_ip: 172.30.89.141,');
    expect(e.where.key).toBe('floating_ips[0].floating_ip');
  });

  it('a veth peer that does not point back, an unknown segment, a device name over 15 characters', () => {
    expect(errorOf('peer: { namespace: fip-cb1f1abb-443c-49df-b863-ba4cebf10d18, device: fpr-517ba029-f }', 'peer: { namespace: fip-cb1f1abb-443c-49df-b863-ba4cebf10d18, device: fg-73de653f-c4 }').e.where.key).toBe(
      'namespaces[1].devices[1].peer',
    );
    expect(errorOf("segment: external, proxy_arp", "segment: outside, proxy_arp").e.where.key).toBe('namespaces[2].devices[1].segment');
    expect(errorOf('name: fg-73de653f-c4,', 'name: fg-73de653f-c4-toolong,').e.reason).toMatch(/IFNAMSIZ/);
  });

  it('a bad iptables line is located inside the block', () => {
    const { e, text } = errorOf('-A neutron-l3-agent-float-snat -s 10.0.111.9/32 -j SNAT', '-A neutron-l3-agent-float-snat -s 10.0.111.9/32 -j FROB');
    expect(e.where).toMatchObject({ key: 'namespaces[1].iptables', line: lineOf(text, '-j FROB') });
  });

  it('a MARK without --set-xmark and a bad mark value are located inside the block', () => {
    const a = errorOf('-j MARK --set-xmark 0x2/0xffff', '-j MARK --set-mark 0x2/0xffff');
    expect(a.e.where).toMatchObject({ key: 'namespaces[3].iptables', line: lineOf(a.text, '--set-mark') });
    expect(a.e.reason).toMatch(/MARK needs --set-xmark/);
    const b = errorOf('! --mark 0x2/0xffff', '! --mark 0x2/zz');
    expect(b.e.reason).toMatch(/bad mark '0x2\/zz'/);
  });

  it('YAML syntax errors carry the line', () => {
    const { e } = errorOf('segments: [tenant, external]', 'segments: [tenant, external');
    expect(e.where.file).toBe('bad.yaml');
    expect(e.where.line).toBeGreaterThan(0);
  });

  it('dpconform check on a broken scenario: one line on stderr naming file, line and key; exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvr-scn-'));
    const bad = join(dir, 'scenario.yaml');
    const text = TEXT.replace('{ dst: default, via: 172.30.0.1, dev: fg-73de653f-c4 }', '{ dst: default, via: 172.30.0.1, dev: fg-missing }');
    writeFileSync(bad, text);
    const r = await checkCli(['--scenario', bad, '--model', 'neutron-dvr', '--capture', 'vm-a7884fb1:eth0=golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${bad} (line ${lineOf(text, 'dev: fg-missing')}, key namespaces[2].routes[1].dev): no device 'fg-missing'`);
  });

  it('dpconform check on a missing scenario file: exit 2, one line', async () => {
    const r = await checkCli(['--scenario', '/nonexistent/scenario.yaml', '--model', 'neutron-dvr', '--capture', 'vm-a7884fb1:eth0=golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/nonexistent/scenario.yaml');
  });
});
