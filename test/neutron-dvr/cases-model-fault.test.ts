// Each bundled DVR case fails when the model is broken, and the failure is in the case's own traffic,
// not only in the warm-up it replays first:
//  - the TTL decrement switched off (ip_decrease_ttl a no-op): every case whose traffic is forwarded;
//  - icmp_send sending the wrong code (1, reassembly time exceeded, for 0): the TTL-exceeded cases,
//    whose inbound probe is never forwarded (TTL 1 ends at the first router).
import { describe, it, expect, vi, afterEach } from 'vitest';
import { BUNDLED } from '../../lab/dvr/cases.js';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { failingDiffs, runDvrCase } from './cases-helpers.js';

const ttl = vi.hoisted(() => ({ broken: false }));
vi.mock('../../models/neutron-dvr/linux-csum.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../models/neutron-dvr/linux-csum.js')>();
  return { ...real, ipDecreaseTtl: (b: Uint8Array, ip: number) => (ttl.broken ? b[ip + 8] : real.ipDecreaseTtl(b, ip)) };
});

type IcmpSend = (this: unknown, n: unknown, orig: Uint8Array, known: unknown, type: number, code: number, trace: unknown) => void;
const proto = DvrInstance.prototype as unknown as { icmpSend: IcmpSend };
const realIcmpSend = proto.icmpSend;

afterEach(() => {
  ttl.broken = false;
  proto.icmpSend = realIcmpSend;
});

describe('bundled DVR cases against a broken model', () => {
  it('the unbroken model passes them (the mocks are transparent when off)', async () => {
    for (const { name } of BUNDLED) expect((await runDvrCase('.', name)).status, name).toBe('passed');
  });

  for (const { name } of BUNDLED.filter((t) => t.name !== 'ttl-exceeded/inbound')) {
    it(`${name}: TTL decrement off -> fails on ip4.ttl in its own traffic`, async () => {
      ttl.broken = true;
      const r = await runDvrCase('.', name);
      expect(r.status).toBe('failed');
      const own = failingDiffs(r).filter((d) => d.traffic === name);
      expect(own.some((d) => d.path === 'ip4.ttl')).toBe(true);
    });
  }

  for (const name of ['ttl-exceeded/outbound', 'ttl-exceeded/inbound', 'ttl-exceeded/snat']) {
    it(`${name}: wrong ICMP code from icmp_send -> fails on icmp.code in its own traffic`, async () => {
      proto.icmpSend = function (n, orig, known, type, code, trace) {
        realIcmpSend.call(this, n, orig, known, type, code ^ 1, trace);
      };
      const r = await runDvrCase('.', name);
      expect(r.status).toBe('failed');
      const own = failingDiffs(r).filter((d) => d.traffic === name);
      expect(own.some((d) => d.path === 'icmp.code')).toBe(true);
    });
  }
});
