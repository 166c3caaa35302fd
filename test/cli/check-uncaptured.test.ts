// What `check` says about what it did not compare, and how it names what it did.
//
// A newcomer captured only the client pod's tap of the Contiv pod->service scenario: check printed
// "0 predicted at 1 captured devices, 0 matched ... MATCH", exit 0, while the model sent every SYN
// out of tap4, which nobody captured. Now the frames the model sends out of an uncaptured device are
// named (how many, at which device), and a check that compared nothing is INCONCLUSIVE (exit 4, not
// 0: a CI gate on 0 would pass on an empty comparison). When something was compared and matched, it
// is MATCH for the captured devices (exit 0: the captures given were all in agreement; what was not
// checked is listed).
//
// Divergent packets are named as diff names them (SYN a:p -> b:q), not by check's flow key
// (`tcp:3636733120:0:2:0`: kept in --json as `key`); --json says model/captured like the text, and
// counts of one are singular.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dpconform } from './spawn-cli.js';
import { podToServiceSyns, writeCapture } from '../harness/check-self-captures.js';

const SCENARIO = 'fixtures/contiv/pod-to-service-same-node/scenario.yaml';
const dir = mkdtempSync(join(tmpdir(), 'check-uncaptured-'));
const MS = 1_000_000n;

/** The model's SYNs on tap2 and what it delivers on tap4 for each, as captures (tap4's optional). */
function vppCaptures(name: string, syns: number, tap4 = true): string[] {
  const { sent, delivered } = podToServiceSyns(syns, MS);
  const tap2 = join(dir, `${name}-tap2.pcapng`);
  writeCapture(tap2, 'tap2', sent);
  const args = ['--capture', `k8s-master:tap2=${tap2}`];
  if (!tap4) return args;
  const tap4File = join(dir, `${name}-tap4.pcapng`);
  // The first delivered SYN with TTL one less than the model's, the second not captured at all.
  const first = delivered[0].data.slice();
  first[14 + 8]--;
  writeCapture(tap4File, 'tap4', [{ ...delivered[0], data: first }, ...delivered.slice(2)]);
  return [...args, '--capture', `k8s-master:tap4=${tap4File}`];
}

const check = (model: string, scenario: string, captures: string[], json = false) => dpconform(['check', '--model', model, '--scenario', scenario, ...captures, ...(json ? ['--json'] : [])]);

describe('check: predictions at devices nobody captured', () => {
  it('vpp, only the client tap captured: the 3 SYNs out of tap4 named, INCONCLUSIVE, exit 4', () => {
    const r = check('vpp', SCENARIO, vppCaptures('client-only', 3, false));
    expect(r.errLines).toEqual([]);
    expect(r.stdout).toBe(
      'check: 3 input packets replayed, 0 predicted at 1 captured device, 0 matched field by field, 3 captured\n' +
        'check: 3 predicted at k8s-master:tap4, not captured\n' +
        'check: INCONCLUSIVE: nothing compared (every frame the model predicts leaves by a device not captured; capture it)\n',
    );
    expect(r.status).toBe(4);
  });

  it('vpp --json: verdict INCONCLUSIVE and the uncaptured device with its count', () => {
    const r = check('vpp', SCENARIO, vppCaptures('client-only-json', 3, false), true);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ verdict: 'INCONCLUSIVE', predicted: 0, uncaptured: [{ device: 'k8s-master:tap4', predicted: 3 }], divergences: [] });
    expect(r.status).toBe(4);
  });

  it('neutron-dvr, the golden captures but the qr- device: MATCH for the captured devices, its 64 predictions named, exit 0', () => {
    const golden = 'golden/neutron-dvr/captures';
    const captures = readdirSync(golden)
      .filter((f) => f.endsWith('.pcap') && !f.includes('.qr-'))
      .flatMap((f) => {
        const base = f.slice(0, -'.pcap'.length);
        return ['--capture', `${base.slice(0, base.indexOf('.'))}:${base.slice(base.indexOf('.') + 1)}=${join(golden, f)}`];
      });
    const r = check('neutron-dvr', 'fixtures/neutron-dvr/scenario.yaml', captures);
    expect(r.errLines).toEqual([]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('check: 61 input packets replayed, 226 predicted at 8 captured devices, 226 matched field by field, 287 captured');
    expect(lines.slice(-2)).toEqual([
      'check: 64 predicted at qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1:qr-22378d26-ea, not captured',
      'check: MATCH at the captured devices: every captured packet predicted, every prediction there captured',
    ]);
    expect(r.status).toBe(0);
  });
});

describe('check: divergences named like diff names packets, in model/captured terms', () => {
  it('text: the field and the missing SYN by their labels, model and captured values', () => {
    const r = check('vpp', SCENARIO, vppCaptures('diverged', 3));
    expect(r.errLines).toEqual([]);
    expect(r.stdout.split(dir).join('<dir>').split('\n')).toEqual([
      'check: 3 input packets replayed, 3 predicted at 2 captured devices, 1 matched field by field, 5 captured',
      'check: DIVERGED (2); first: k8s-master:tap4 (stage tap4-output): SYN 10.1.1.3:2000 -> 10.1.1.5:8080: field ip4.ttl: model 63, captured 62 [captured <dir>/diverged-tap4.pcapng:1, input <dir>/diverged-tap2.pcapng:1]',
      '  then: k8s-master:tap4: the model sends a packet (SYN 10.1.1.3:2001 -> 10.1.1.5:8080) that the capture does not have [input <dir>/diverged-tap2.pcapng:2]',
      '',
    ]);
    expect(r.status).toBe(1);
  });

  it('--json: diff says model/captured (no expected/actual), the flow key kept beside the label', () => {
    const r = check('vpp', SCENARIO, vppCaptures('diverged-json', 3), true);
    const j = JSON.parse(r.stdout);
    expect(j.verdict).toBe('DIVERGED');
    const field = j.divergences.find((d: { kind: string }) => d.kind === 'field');
    expect(field.diff).toEqual({ field: 'ip4.ttl', model: 63, captured: 62 });
    expect(field.label).toMatch(/^SYN 10\.1\.1\.3:2000 -> /);
    expect(field.key).toMatch(/^tcp:/);
    expect(r.status).toBe(1);
  });

  it('one of each count: 1 input packet, 1 captured device', () => {
    const r = check('vpp', SCENARIO, vppCaptures('one', 1, false));
    expect(r.stdout.split('\n')[0]).toBe('check: 1 input packet replayed, 0 predicted at 1 captured device, 0 matched field by field, 1 captured');
  });
});
