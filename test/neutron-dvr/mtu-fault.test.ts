// `dpconform check` over the extra phase's real-kernel captures (golden/neutron-dvr/captures-s9, built
// from scenario-mtu.yaml: the tenant devices at 1450) fails when the model ignores the output device's
// MTU (every device as if it had the largest MTU a veth takes): the pieces the kernel cut for sg- and
// qr- and its fragmentation-needed errors are not predicted, and the datagrams it refused are.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { join } from 'node:path';
import { runCheck, type CheckResult } from '../../harness/check/check.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { labCaptures } from '../../lab/dvr/cases.js';
import { EXTRA_CAPTURES, EXTRA_SCENARIO } from '../../lab/dvr/cases-extra.js';

const mtu = vi.hoisted(() => ({ ignored: false }));
vi.mock('../../models/neutron-dvr/fragment.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../models/neutron-dvr/fragment.js')>();
  const seen = (m: number): number => (mtu.ignored ? 0xffff : m);
  return {
    ...real,
    ipExceedsMtu: (f: Uint8Array, m: number, r: Parameters<typeof real.ipExceedsMtu>[2]) => real.ipExceedsMtu(f, seen(m), r),
    needsFragment: (f: Uint8Array, m: number, r: Parameters<typeof real.needsFragment>[2]) => real.needsFragment(f, seen(m), r),
    ipDoFragment: (f: Uint8Array, k: Parameters<typeof real.ipDoFragment>[1], m: number, r: Parameters<typeof real.ipDoFragment>[3]) => real.ipDoFragment(f, k, seen(m), r),
  };
});

afterEach(() => {
  mtu.ignored = false;
});

const check = (): Promise<CheckResult> =>
  runCheck({ model: neutronDvrModel, scenario: EXTRA_SCENARIO, captures: labCaptures(EXTRA_CAPTURES).map((c) => ({ node: c.node, iface: c.iface, file: join(EXTRA_CAPTURES, c.file) })) });

describe('check over the extra captures against a model that ignores the MTU', () => {
  it('matches with the MTU honoured (the mock is transparent when off)', async () => {
    expect((await check()).divergences).toEqual([]);
  });

  it('diverges on the MTU probes: sg-/qr- pieces and fragmentation needed at qg- missing, whole datagrams unexpected', async () => {
    mtu.ignored = true;
    const r = await check();
    expect(r.divergences.length).toBeGreaterThan(0);
    const at = (kind: string, dev: string) => r.divergences.filter((d) => d.kind === kind && d.device.endsWith(dev));
    // captured pieces the model does not cut
    expect(at('unexpected', ':sg-784e8801-08').length).toBeGreaterThan(0);
    expect(at('unexpected', ':qr-22378d26-ea').length).toBeGreaterThan(0);
    // the kernel's fragmentation needed out of qg-, never predicted; the refused DF datagram predicted on sg-
    expect(at('unexpected', ':qg-cf417cb0-53').some((d) => d.key.startsWith('icmperr:3:4:'))).toBe(true);
    expect(at('missing', ':sg-784e8801-08').length).toBeGreaterThan(0);
  });
});
