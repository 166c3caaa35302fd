// The prefetch policy keeps the faster of prefetching and not, measured on a clock the test drives
// (no timed test: the "speeds" here are made up, the decisions are what is checked); and whatever
// it decides, a replay's results are the same.

import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionTraffic } from '../../bench/connections.js';
import { POD_TO_SERVICE, repoRoot, serviceEndpoints } from '../../bench/service-endpoints.js';
import { hex } from '../../harness/wire/bytes.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { PrefetchPolicy, type PrefetchMode, type PrefetchPolicyOptions } from '../../models/vpp/prefetch-policy.js';

const OPTIONS: PrefetchPolicyOptions = { windowGroups: 2, trialWindows: 2, minRunWindows: 3, maxRunWindows: 12, margin: 0.03 };
const GROUP = 32;

/** A policy on a fake clock, and a driver running groups whose cost (ms per packet) depends on the side. */
function harness(options = OPTIONS) {
  let now = 0;
  const policy = new PrefetchPolicy(() => now, options);
  const sides: boolean[] = [];
  return {
    policy,
    sides,
    /** Run `n` groups; `cost(on, groupNumber)` is each group's ms per packet. */
    run(n: number, cost: (on: boolean, g: number) => number): void {
      for (let i = 0; i < n; i++) {
        const on = policy.beginGroup();
        sides.push(on);
        now += cost(on, sides.length - 1) * GROUP;
        policy.endGroup(GROUP);
      }
    },
    /** Time passes outside the model (the capture reader, the caller). */
    idle(ms: number): void {
      policy.pause();
      now += ms;
    },
  };
}

const trialGroups = 2 * OPTIONS.trialWindows * OPTIONS.windowGroups;
const onFaster = (on: boolean) => (on ? 1 : 1.5);
const offFaster = (on: boolean) => (on ? 1.5 : 1);

describe('PrefetchPolicy', () => {
  it('starts prefetching and opens with a trial alternating windows with and without it', () => {
    const h = harness();
    h.run(trialGroups, onFaster);
    expect(h.sides).toEqual([true, true, false, false, true, true, false, false]);
    expect(h.policy.trials).toBe(1);
  });

  it('keeps prefetching where it pays, runs the winner longer after each confirming trial, and tries again', () => {
    const h = harness();
    h.run(trialGroups, onFaster);
    // First run: the winner alone for minRunWindows * 2 (the first trial confirmed the starting side).
    const run1 = 2 * OPTIONS.minRunWindows * OPTIONS.windowGroups;
    h.run(run1, onFaster);
    expect(h.sides.slice(trialGroups)).toEqual(Array(run1).fill(true));
    h.run(trialGroups, onFaster);
    expect(h.sides.slice(trialGroups + run1)).toEqual([true, true, false, false, true, true, false, false]);
    expect(h.policy.trials).toBe(2);
    expect(h.policy.switches).toBe(0);
    // Runs double up to maxRunWindows.
    h.run(4 * OPTIONS.minRunWindows * OPTIONS.windowGroups, onFaster);
    expect(h.policy.trials).toBe(2);
    h.run(1, onFaster);
    expect(h.sides.at(-1)).toBe(true);
    expect(h.policy.trials).toBe(2);
  });

  it('stops prefetching where it costs, and starts again when the traffic changes', () => {
    const h = harness();
    h.run(trialGroups, offFaster);
    expect(h.policy.switches).toBe(1);
    expect(h.policy.prefetching).toBe(false);
    const run = OPTIONS.minRunWindows * OPTIONS.windowGroups;
    h.run(run, offFaster);
    expect(h.sides.slice(trialGroups)).toEqual(Array(run).fill(false));
    // The tables outgrow the caches: prefetch now pays, and the next trial finds it.
    h.run(trialGroups, onFaster);
    expect(h.policy.switches).toBe(2);
    expect(h.policy.prefetching).toBe(true);
    h.run(1, onFaster);
    expect(h.sides.at(-1)).toBe(true);
  });

  it('judges a side by its fastest window: one slow window (preempted, a GC pause) does not flip it', () => {
    const h = harness();
    // The first prefetching window is 10x slow; the second is fast.
    h.run(trialGroups, (on, g) => (on && g < OPTIONS.windowGroups ? 10 : on ? 1 : 1.5));
    expect(h.policy.switches).toBe(0);
    expect(h.policy.prefetching).toBe(true);
  });

  it('does not switch for a difference within the margin', () => {
    const h = harness();
    h.run(trialGroups, (on) => (on ? 1 : 0.99));
    expect(h.policy.switches).toBe(0);
    const k = harness();
    k.run(trialGroups, (on) => (on ? 1 : 0.9));
    expect(k.policy.switches).toBe(1);
  });

  it('does not count the time between calls (pause) against the window it falls in', () => {
    const h = harness();
    // Prefetching windows are faster, but a long pause falls inside each of them.
    for (let i = 0; i < trialGroups; i++) {
      h.run(1, onFaster);
      if (h.sides.at(-1)) h.idle(1000);
    }
    expect(h.policy.switches).toBe(0);
    expect(h.policy.prefetching).toBe(true);
  });

  it('mode on / off fixes the side and measures nothing', () => {
    for (const mode of ['on', 'off'] as const) {
      const h = harness();
      h.policy.mode = mode;
      h.run(3 * trialGroups, mode === 'on' ? offFaster : onFaster);
      expect(new Set(h.sides)).toEqual(new Set([mode === 'on']));
      expect(h.policy.trials).toBe(0);
    }
  });

  it('counts the groups it ran and prefetched', () => {
    const h = harness();
    h.run(trialGroups, offFaster);
    expect(h.policy.groups).toBe(trialGroups);
    expect(h.policy.prefetchedGroups).toBe(trialGroups / 2);
  });
});

describe('a replay under any prefetch decision', () => {
  const SCENARIO = join(repoRoot(), POD_TO_SERVICE);
  // Enough connections for several trial windows of the default policy (3,072 packets a trial).
  const traffic = new ConnectionTraffic(serviceEndpoints(SCENARIO, 'k8s-master'), { connections: 500, open: 50 });
  const packets: Packet[] = [];
  traffic.forEach((k, j) => packets.push({ data: traffic.frame(k, j), meta: { linkType: LinkType.ETHERNET, interfaceName: traffic.arrival(k, j) } }));
  const AT = { instance: 'k8s-master' };

  /** Every frame transmitted (hex, in order) and the sessions left, with the policy's side chosen by `mode`. */
  async function replay(mode: PrefetchMode | 'alternating') {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(false);
    if (mode === 'alternating') {
      let g = 0;
      vi.spyOn(inst.prefetchPolicy, 'beginGroup').mockImplementation(() => g++ % 2 === 0);
    } else inst.setPrefetch(mode);
    const sent: string[] = [];
    inst.injectBatch(packets, AT, (r) => sent.push(...r.outputs.map((o) => hex(o.data))));
    const vm = inst.vm('k8s-master');
    return { sent, nat: nat44Of(vm)!.thread.sessions.size, acl: aclOf(vm).sessions.size, policy: inst.prefetchPolicy };
  }

  it('transmits the same frames and leaves the same sessions with prefetch on, off, alternating and measured', async () => {
    const on = await replay('on');
    expect(on.sent).toHaveLength(packets.length);
    expect(on.policy.prefetchedGroups).toBe(on.policy.groups);
    const off = await replay('off');
    expect(off.policy.prefetchedGroups).toBe(0);
    for (const other of [off, await replay('alternating'), await replay('auto')]) {
      expect(other.sent).toEqual(on.sent);
      expect([other.nat, other.acl]).toEqual([on.nat, on.acl]);
    }
    const auto = await replay('auto');
    expect(auto.policy.trials).toBeGreaterThan(0);
  });

  it('stops the window clock when a call ends, also by an error (the time until the next call is not the model\'s)', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    inst.setTracing(false);
    const pause = vi.spyOn(inst.prefetchPolicy, 'pause');
    inst.injectCounting(packets.slice(0, 100), AT);
    expect(pause).toHaveBeenCalledTimes(1);
    const stray = { data: packets[0].data, meta: { ...packets[0].meta, interfaceName: 'no-such-tap' } };
    expect(() => inst.injectCounting([...packets.slice(0, 40), stray], AT)).toThrow(/no interface 'no-such-tap'/);
    expect(pause).toHaveBeenCalledTimes(2);
  });
});
