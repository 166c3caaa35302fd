// A binding must be able to fail. A model that predicts a NAT clash where the kernel had none names
// the port unknown; Linux keeps a free port (get_unique_tuple re-chooses only on a clash), so the
// capture shows the kept one - and the binding is refused with a divergence naming it, in
// `dpconform check` and in `dpconform run` alike (one Bindings class). The fault: setupNat told to
// pick a port for every SNAT while the rule has no --random-fully (what the model would do if it saw
// clashes that are not there).
import { describe, it, expect, vi, afterEach } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCheck, type CaptureSpec } from '../../harness/check/check.js';
import { ruleBroken } from '../../harness/check/bindings.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { BUNDLED } from '../../lab/dvr/cases.js';
import { runDvrCase } from './cases-helpers.js';
import { textReport } from '../../harness/report/text.js';
import type { SuiteResult } from '../../harness/suite/result.js';
import { checkCli } from './cli.js';

const fault = vi.hoisted(() => ({ clashEverywhere: false }));
vi.mock('../../models/neutron-dvr/nat.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../models/neutron-dvr/nat.js')>();
  return {
    ...real,
    // only a rule's NAT (a null binding passes no port/random flag): its port is picked, not kept
    setupNat: (...a: Parameters<typeof real.setupNat>) => real.setupNat(a[0], a[1], a[2], a[3], a[4], a.length > 4 ? fault.clashEverywhere || a[5] : a[5]),
  };
});
afterEach(() => {
  fault.clashEverywhere = false;
});

const GOLDEN = 'golden/neutron-dvr/captures';
const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const KEPT = /^the model predicted a clash; the kernel kept (port|id) (\d+)$/;

function captures(): CaptureSpec[] {
  return readdirSync(GOLDEN).filter((f) => f.endsWith('.pcap')).map((f) => {
    const base = f.slice(0, -'.pcap'.length);
    const dot = base.indexOf('.');
    return { node: base.slice(0, dot), iface: base.slice(dot + 1), file: join(GOLDEN, f) };
  });
}

describe('a binding refuses a capture that contradicts the predicted clash', () => {
  it('check: every binding of the real clashes is accepted (the mock is transparent when off)', async () => {
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: captures() });
    expect(r.divergences).toEqual([]);
    expect(r.bound).toHaveLength(2);
  });

  it('fault: check refuses each binding the kernel kept, naming it, the kept value and the capture; exit 1', async () => {
    fault.clashEverywhere = true;
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: captures() });
    const refused = r.divergences.filter((d) => d.kind === 'binding');
    // every SNAT/DNAT'd flow except the two real clashes binds a value, and each is refused
    expect(refused.length).toBeGreaterThanOrEqual(r.bound.length - 2);
    expect(refused.length).toBeGreaterThan(3);
    for (const d of refused) {
      const m = KEPT.exec(d.binding!.reason);
      expect(m, d.binding!.reason).not.toBeNull();
      expect((d.binding!.value[0] << 8) | d.binding!.value[1]).toBe(Number(m![2])); // the captured value is the kept one
      expect(d.captured).toMatch(/\.pcap:\d+$/);
    }
    const args = ['--scenario', SCENARIO, '--model', 'neutron-dvr', ...captures().map((c) => `--capture=${c.node}:${c.iface}=${c.file}`)];
    const cli = await checkCli(args);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/binding \S.* = \d+ refused: the model predicted a clash; the kernel kept (port|id) \d+ \[captured /);
  });

  it('fault: every bundled case with NATed traffic fails in run, on a binding diff naming the kept value', async () => {
    fault.clashEverywhere = true;
    let failed = 0;
    for (const { name } of BUNDLED) {
      const r = await runDvrCase('.', name);
      if (!r.bound?.length) continue; // no NATed flow in this case's goldens
      const refused = r.bound.filter((b) => b.refused);
      expect(refused.length, name).toBeGreaterThan(0);
      expect(r.status, name).toBe('failed');
      const diffs = r.comparisons.flatMap((c) => c.diff?.diffs ?? []).filter((d) => d.kind === 'binding' && /refused: the model predicted a clash; the kernel kept/.test(d.note ?? ''));
      expect(diffs.length, name).toBeGreaterThanOrEqual(refused.length);
      expect(r.summary, name).toMatch(/refused: the model predicted a clash; the kernel kept (port|id) \d+/); // the first divergence says why
      // the text report's `bound` line says the value was refused, not only the diff below it
      if (failed === 0) {
        const zero = { compared: 0, matched: 0, masked: 0 } as SuiteResult['conformance'];
        const suite: SuiteResult = { cases: [r], conformance: zero, snapshot: zero, totals: { passed: 0, failed: 1, error: 0, skipped: 0 }, durationMs: 0, exitCode: 1 };
        const text = textReport(suite, { color: false, verbose: true });
        expect(text).toMatch(/bound \S.* = \d+ \(from [^)]*\) - REFUSED: the model predicted a clash; the kernel kept/);
      }
      failed++;
    }
    expect(failed).toBe(BUNDLED.length);
  });
});

describe('ruleBroken', () => {
  const v = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
  const clash = { not: { value: 40003, reason: 'kept 40003' }, range: { lo: 1024, hi: 65535, what: 'the range' } };
  it('a clash refuses the kept port and anything outside the range; accepts another port in range', () => {
    expect(ruleBroken(clash, v(40003))).toBe('kept 40003');
    expect(ruleBroken(clash, v(80))).toBe('the captured 80 is outside 1024-65535, the range');
    expect(ruleBroken(clash, v(40004))).toBeUndefined();
  });
  it('--random-fully (no `not`): the kept port is a possible random choice', () => {
    expect(ruleBroken({ range: clash.range }, v(40003))).toBeUndefined();
    expect(ruleBroken(undefined, v(1))).toBeUndefined();
  });
});
