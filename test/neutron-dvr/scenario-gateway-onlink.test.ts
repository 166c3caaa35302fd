// A route whose gateway is not on-link on its device is refused with file, line and key, as the kernel
// refuses it: fib_check_nh_v4_gw (net/ipv4/fib_semantics.c) looks the gateway up among the routes of
// scope link/host out of that device - the route's table, then the policy rules - and answers
// "Nexthop has invalid gateway" when it finds none, or finds a broadcast route. The model used to load
// such a route and forward through it, while the lab's `ip route replace` failed. Each case below was
// tried on the lab's kernel (6.18.44) in a scratch namespace with veth devices: refused ("Error: Nexthop
// has invalid gateway.") or accepted exactly as asserted here.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../harness/io/input-error.js';
import { parseDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { checkCli } from './cli.js';

const TEXT = readFileSync('fixtures/neutron-dvr/scenario.yaml', 'utf8');
const ROUTER = 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1';
const FIP_NS = 'fip-cb1f1abb-443c-49df-b863-ba4cebf10d18';
const TABLE16 = '      - { table: 16, dst: default, via: 169.254.106.115, dev: rfp-517ba029-f }';
const FIP_DEFAULT = '      - { dst: default, via: 172.30.0.1, dev: fg-73de653f-c4 }';
const VM_DEFAULT = '      - { dst: default, via: 10.0.111.1, dev: eth0 }';

function errorOf(from: string, to: string): { e?: InputError; text: string } {
  expect(TEXT).toContain(from);
  const text = TEXT.replace(from, to);
  try {
    parseDvrScenario(text, 'bad.yaml');
    return { text };
  } catch (e) {
    if (e instanceof InputError) return { e, text };
    throw e;
  }
}

const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('a DVR route whose gateway is not on-link', () => {
  it('a gateway outside rfp-\'s /31 (table 16 falls back to the main table, which does not hold it either)', () => {
    const bad = '      - { table: 16, dst: default, via: 169.254.106.117, dev: rfp-517ba029-f }';
    const { e, text } = errorOf(TABLE16, bad);
    expect(e?.where).toMatchObject({ file: 'bad.yaml', line: lineOf(text, bad), key: 'namespaces[1].routes[0].via' });
    expect(e?.reason).toBe(
      `gateway 169.254.106.117 is not on-link on rfp-517ba029-f in ${ROUTER} (no address or device route of rfp-517ba029-f holds it): ip route refuses it, "Nexthop has invalid gateway"`,
    );
    expect(e?.message).toMatch(/^bad\.yaml \(line \d+, key namespaces\[1\]\.routes\[0\]\.via\): gateway 169\.254\.106\.117 /);
  });

  it('a gateway on-link on another device of the namespace (the lookup is out of the route\'s device only)', () => {
    const { e } = errorOf(FIP_DEFAULT, '      - { dst: default, via: 172.30.0.1, dev: fpr-517ba029-f }');
    expect(e?.where.key).toBe('namespaces[2].routes[1].via');
    expect(e?.reason).toContain(`on fpr-517ba029-f in ${FIP_NS}`);
  });

  it("the subnet's broadcast address as gateway (the local table answers RTN_BROADCAST)", () => {
    const { e } = errorOf(VM_DEFAULT, '      - { dst: default, via: 10.0.111.255, dev: eth0 }');
    expect(e?.where.key).toBe('namespaces[0].routes[0].via');
  });

  it("the device's own address is accepted (RTN_LOCAL), and so is the seed", () => {
    expect(errorOf(VM_DEFAULT, '      - { dst: default, via: 10.0.111.9, dev: eth0 }').e).toBeUndefined();
    expect(errorOf(VM_DEFAULT, VM_DEFAULT).e).toBeUndefined();
  });

  it('a device route added before the gateway route makes it on-link; after it, it does not (the lab adds routes in order)', () => {
    const deviceRoute = '      - { dst: 192.0.2.0/24, dev: fg-73de653f-c4 }';
    const viaRoute = '      - { dst: 198.51.100.0/24, via: 192.0.2.1, dev: fg-73de653f-c4 }';
    expect(errorOf(FIP_DEFAULT, `${FIP_DEFAULT}\n${deviceRoute}\n${viaRoute}`).e).toBeUndefined();
    expect(errorOf(FIP_DEFAULT, `${FIP_DEFAULT}\n${viaRoute}\n${deviceRoute}`).e?.where.key).toBe('namespaces[2].routes[2].via');
  });

  it('tens of thousands of routes are checked in linear time (a scan of every route per route took minutes)', () => {
    // 20,000 device routes each followed by a route through a gateway they hold: ~1.6 MB of YAML,
    // well under the 4 MiB a scenario may hold. A loose bound: it catches the quadratic scan only.
    const extra: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const net = `10.${64 + (n >> 8)}.${n & 0xff}`;
      extra.push(`      - { dst: ${net}.0/30, dev: fg-73de653f-c4 }`, `      - { dst: 100.${64 + (n >> 8)}.${n & 0xff}.0/24, via: ${net}.1, dev: fg-73de653f-c4 }`);
    }
    const t0 = Date.now();
    expect(errorOf(FIP_DEFAULT, [FIP_DEFAULT, ...extra].join('\n')).e).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(15_000); // measured: ~4 s, the quadratic scan 33 s
  }, 60_000);

  it('dpconform check on it: one line on stderr naming file, line and key; exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dvr-onlink-'));
    const file = join(dir, 'scenario.yaml');
    const bad = '      - { table: 16, dst: default, via: 169.254.106.117, dev: rfp-517ba029-f }';
    const text = TEXT.replace(TABLE16, bad);
    writeFileSync(file, text);
    const r = await checkCli(['--scenario', file, '--model', 'neutron-dvr', '--capture', 'vm-a7884fb1:eth0=golden/neutron-dvr/captures/vm-a7884fb1.eth0.pcap']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file} (line ${lineOf(text, bad)}, key namespaces[1].routes[0].via): gateway 169.254.106.117 is not on-link`);
  });
});
