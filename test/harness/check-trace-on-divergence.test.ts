// check replays a model that can switch tracing off untraced (trace-plan.ts): tracing every input was
// most of check's cost. Only when something diverged is the replay run again on a fresh instance,
// tracing the diverged inputs and the ones setEarlier looks back at; the stages it names are those a
// fully traced replay names. Captures: 100 SYNs from the client pod through the Contiv pod->service
// scenario and what the model itself sent on tap4 (a self-consistency set), one of those frames'
// TTL changed.

import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCheck, runCheck, type CaptureSpec } from '../../harness/check/check.js';
import type { DataplaneModel, InjectionPoint } from '../../harness/model.js';
import type { Packet } from '../../harness/wire/packet.js';
import { VppInstance } from '../../models/vpp/index.js';
import { loadScenario } from '../../models/vpp/configure.js';
import { Fault, type FaultName } from '../../models/vpp/graph.js';
import { POD_TO_SERVICE as SCENARIO, podToServiceSyns, writeCapture } from './check-self-captures.js';

const INPUTS = 100;
const MANY = 1500;
/** The input whose DNATed SYN the capture shows with another TTL (0-based). */
const CHANGED = 79;

/** A VPP instance that notes which of its injections (0-based) came back with traces. */
class Noting extends VppInstance {
  readonly traced: number[] = [];
  injected = 0;

  override inject(packet: Packet, at: InjectionPoint) {
    const r = super.inject(packet, at);
    if (r.traces.length) this.traced.push(this.injected);
    this.injected++;
    return r;
  }
}

/** The VPP model, its instances kept; `switchable: false` hides setTracing (a model that traces always). */
function noting(switchable: boolean, faults: FaultName[] = []): DataplaneModel & { made: Noting[] } {
  const made: Noting[] = [];
  return {
    name: 'vpp',
    made,
    async instantiate(path: string) {
      const inst = new Noting(loadScenario(path));
      for (const f of faults) inst.setFault(f);
      if (!switchable) Object.defineProperty(inst, 'setTracing', { value: undefined });
      made.push(inst);
      return inst;
    },
  };
}

describe('check traces only the inputs a divergence needs', () => {
  let captures: CaptureSpec[];
  let changed: CaptureSpec[];
  /** More inputs than the untraced replay sees before it may give up. */
  let many: CaptureSpec[];
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'check-trace-'));
    const { sent, delivered } = podToServiceSyns(INPUTS, 1_000_000n);
    writeCapture(join(dir, 'tap2.pcapng'), 'tap2', sent);
    writeCapture(join(dir, 'tap4.pcapng'), 'tap4', delivered);
    delivered[CHANGED].data[22]--; // IPv4 TTL
    writeCapture(join(dir, 'tap4-changed.pcapng'), 'tap4', delivered);
    const tap2 = { node: 'k8s-master', iface: 'tap2', file: join(dir, 'tap2.pcapng') };
    captures = [tap2, { node: 'k8s-master', iface: 'tap4', file: join(dir, 'tap4.pcapng') }];
    changed = [tap2, { node: 'k8s-master', iface: 'tap4', file: join(dir, 'tap4-changed.pcapng') }];
    const more = podToServiceSyns(MANY, 1_000_000n);
    writeCapture(join(dir, 'tap2-many.pcapng'), 'tap2', more.sent);
    writeCapture(join(dir, 'tap4-many.pcapng'), 'tap4', more.delivered);
    many = [{ node: 'k8s-master', iface: 'tap2', file: join(dir, 'tap2-many.pcapng') }, { node: 'k8s-master', iface: 'tap4', file: join(dir, 'tap4-many.pcapng') }];
  });

  it('MATCH: one replay, no input traced', async () => {
    const model = noting(true);
    const r = await runCheck({ model, scenario: SCENARIO, captures });
    expect(r.divergences).toEqual([]);
    expect(r.matched).toBe(INPUTS);
    expect(model.made.map((m) => m.traced)).toEqual([[]]);
  });

  it('a divergence: replayed again up to it, tracing it and the 31 inputs before it; the result of a replay tracing every input', async () => {
    const model = noting(true);
    const r = await runCheck({ model, scenario: SCENARIO, captures: changed });
    expect(model.made).toHaveLength(2);
    expect(model.made[0].traced).toEqual([]);
    expect(model.made[1].traced).toEqual(Array.from({ length: 32 }, (_, k) => CHANGED - 31 + k));
    expect(model.made[1].injected).toBe(CHANGED + 1); // no further than the last input that diverged
    expect(r.divergences).toMatchObject([{ kind: 'field', device: 'k8s-master:tap4', stage: 'tap4-output', diff: { field: 'ip4.ttl', model: 63, captured: 62 } }]);

    const always = noting(false);
    const traced = await runCheck({ model: always, scenario: SCENARIO, captures: changed });
    expect(always.made).toHaveLength(1);
    expect(always.made[0].traced).toHaveLength(INPUTS);
    expect(formatCheck(r)).toEqual(formatCheck(traced));
    expect(r).toEqual(traced);
  });

  // The TTL not decremented: every input diverges. Once 1,024 inputs are replayed and more than a
  // quarter of them diverged, the untraced replay stops and one replay tracing every input names the stages.
  it('most inputs diverging: the untraced replay gives up at 1,024 inputs, one traced replay does it all', async () => {
    const model = noting(true, [Fault.TTL_DECREMENT]);
    const r = await runCheck({ model, scenario: SCENARIO, captures: many });
    expect(model.made.map((m) => [m.injected, m.traced.length])).toEqual([[1024, 0], [MANY, MANY]]);
    expect(r.divergences).toHaveLength(MANY);
    expect(r.divergences[0]).toMatchObject({ kind: 'field', stage: 'tap4-output', diff: { field: 'ip4.ttl', model: 64, captured: 63 } });
    const always = noting(false, [Fault.TTL_DECREMENT]);
    expect(formatCheck(r)).toEqual(formatCheck(await runCheck({ model: always, scenario: SCENARIO, captures: many })));
  });
});
