// The ACL plugin's idle cleaner takes at most 100 list heads per run (FDio/vpp
// src/plugins/acl/fa_node.c @ 1d639257, acl_fa_check_idle_sessions: `while((vec_len(pw->expired) <
// am->fa_max_deleted_sessions_per_interval) && ...)`, acl.h ACL_FA_DEFAULT_MAX_DELETED_SESSIONS_PER_INTERVAL
// 100), requeued heads counting as much as deleted ones, lists in the order UDP idle, TCP idle, TCP
// transient. A full run is followed by the next one no sooner than the 0.1 ms the cleaner process
// suspends for the worker's run (acl_fa_session_cleaner_process: `vlib_process_suspend (vm, 0.0001)`),
// so a flood of more than 100 sessions coming due at once is checked over several runs, the k-th
// (from 0) at the earliest k * 0.1 ms after the first. The model places the runs there and removes a
// session found idle CLEANER_SLACK_MS after its own run (idle-cleaner.ts).

import { describe, expect, it } from 'vitest';
import type { Vm } from '../../models/vpp/graph.js';
import { aclOf } from '../../models/vpp/acl/nodes.js';
import { CLEANER_SLACK_MS, FULL_RUN_GAP_MS, MAX_CHECKS_PER_RUN } from '../../models/vpp/acl/idle-cleaner.js';
import { reflectInDenyOut, tap1Packet } from './acl-tap1.js';

const EPOCH_MS = 1_700_000_000_000;
const HIT = { action: 3, acl: -1 };
const DENIED = { action: 0, acl: 1, rule: 0 };
const SYN = 0x02;

function at(vm: Vm, ms: number, dir: 'in' | 'out', proto: 6 | 17, port: number, flags = SYN): Record<string, unknown> {
  vm.nowMs = EPOCH_MS + ms;
  return tap1Packet(vm, dir, proto, port, flags);
}

/** `n` sessions of one protocol opened at `ms`, client ports from `firstPort` (pool indices in order). */
function open(vm: Vm, ms: number, proto: 6 | 17, firstPort: number, n: number): void {
  for (let i = 0; i < n; i++) expect(at(vm, ms, 'in', proto, firstPort + i)).toMatchObject({ action: 2 });
}

/** The run (from 0) of a flood that checks the `i`-th head, and that run's time after the first. */
const runOf = (i: number): number => Math.floor(i / MAX_CHECKS_PER_RUN);

describe('ACL idle cleaner: at most 100 heads per run', () => {
  it('1500 UDP sessions found idle at once leave over 15 runs 0.1 ms apart: 1 ms after the slack the first 10 runs are gone, the later ones still there', () => {
    expect(MAX_CHECKS_PER_RUN).toBe(100);
    expect(FULL_RUN_GAP_MS).toBe(0.1);
    const vm = reflectInDenyOut();
    open(vm, 0, 17, 10000, 1500);
    // UDP idle 600 s, checked every 120 s (the shortest timeout, TCP transient): the checks at 120 ...
    // 480 s requeue the 1500 in 15 runs each (so their stamps spread over 1.4 ms); the runs at 600 s
    // + k * 0.1 ms find run k's 100 sessions idle, removed CLEANER_SLACK_MS later.
    const t = 600_000 + CLEANER_SLACK_MS + 1; // after runs 0-9 (+0.9 ms), before runs 11-14 (+1.1 ms)
    expect(runOf(950)).toBe(9);
    expect(runOf(1150)).toBe(11);
    expect(at(vm, t, 'out', 17, 10000 + 950)).toMatchObject(DENIED);
    expect(at(vm, t, 'out', 17, 10000 + 1150)).toMatchObject({ ...HIT, rule: 1150 });
    expect(at(vm, t, 'out', 17, 10000 + 1499)).toMatchObject({ ...HIT, rule: 1499 });
    // That hit came after the run found 1150 idle: VPP may already have removed it (counted).
    expect(aclOf(vm).sessions.hitsAfterIdleCheck).toBe(2);
    // Later than the last run + the slack, every session not hit since is gone.
    expect(at(vm, t + 1, 'out', 17, 10000 + 1400)).toMatchObject(DENIED);
  });

  it('requeued heads count toward the 100, the UDP list first: 1050 active UDP sessions fill runs 0-10, the idle TCP transient ones wait for runs 10 and 11', () => {
    const vm = reflectInDenyOut();
    open(vm, 0, 6, 20000, 100); // pool 0-99: TCP transient (120 s), idle from 0 s
    open(vm, 0, 17, 30000, 1050); // pool 100-1149: UDP (600 s), made in the same ms
    // All 1150 heads come due at 120 s. Runs 0-9 take UDP heads only (requeued: not idle), run 10
    // (+1.0 ms) the last 50 UDP and transient 0-49, run 11 (+1.1 ms) transient 50-99 (found idle).
    expect(runOf(1050 + 99)).toBe(11);
    const t = 120_000 + CLEANER_SLACK_MS + 1; // after run 9 + the slack, before run 11 + the slack
    expect(at(vm, t, 'out', 6, 20000 + 99, 0x12)).toMatchObject({ ...HIT, rule: 99 });
    expect(aclOf(vm).sessions.hitsAfterIdleCheck).toBe(1);
    expect(at(vm, t + 1, 'out', 6, 20000 + 49, 0x12)).toMatchObject(DENIED);
    // The UDP sessions were requeued, not removed.
    expect(at(vm, t + 1, 'out', 17, 30000, 0)).toMatchObject({ ...HIT, rule: 100 });
  });

  it('a plain hit is not counted as one after an idle check', () => {
    const vm = reflectInDenyOut();
    open(vm, 0, 17, 10000, 1);
    expect(at(vm, 599_000, 'out', 17, 10000)).toMatchObject({ ...HIT, rule: 0 });
    expect(aclOf(vm).sessions.hitsAfterIdleCheck).toBe(0);
  });
});
