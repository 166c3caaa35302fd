// The ACL plugin's idle-session cleaner, on the packets' clock (capture timestamps, whole ms).
//
// What VPP does (FDio/vpp src/plugins/acl/fa_node.c @ 1d639257, the per-worker cleaner of 17.10 that
// 18.01 keeps; acl.h has the defaults and acl.c `set acl-plugin session timeout ...` sets them):
// * A packet never tests a session's age: acl_fa_node_fn uses any session acl_fa_find_session finds
//   (action 3) and acl_fa_track_session sets `sess->last_active_time = now`. So a session is there
//   until the cleaner removes it, however long it was idle.
// * The cleaner (acl_fa_check_idle_sessions, run by acl_fa_worker_conn_cleaner_process when the
//   cleaner process acl_fa_session_cleaner_process wakes at the earliest list head's expiry) takes a
//   list head once `link_enqueue_time + shortest timeout < now` (acl_fa_conn_time_to_check: every
//   list waits the SHORTEST of the three timeouts, fa_session_get_list_timeout), then:
//   `if (now < sess->last_active_time + fa_session_get_timeout (am, sess))` requeue it at the tail of
//   its class's list with enqueue time `now`, else acl_fa_delete_session (its pool index is freed).
// So a session idle since L, of class timeout T, is removed at the first check at or after L + T;
// checks come every `shortest` seconds after it was enqueued (at its creation, at a class change, at
// the previous check).
//
// One cleaner run (acl_fa_check_idle_sessions; the same text in 1d639257 and in the 17.x/18.01-era copy
// liangfudeng/vpp 667cdb51, as is acl_fa_session_cleaner_process) first takes the due heads off the lists, list by list
// in the order UDP idle, TCP idle, TCP transient (`for(tt = 0; tt < ACL_N_TIMEOUTS; tt++)`), each
// list from its head, and stops at `fa_max_deleted_sessions_per_interval` heads in all (acl.h
// ACL_FA_DEFAULT_MAX_DELETED_SESSIONS_PER_INTERVAL 100; a requeued head counts as much as a deleted
// one: the limit is on `vec_len(pw->expired)`); only then requeues or deletes each, in that order (a
// requeued head is not taken twice in one run). A run that took the limit sets interrupt_is_needed
// (acl_fa_worker_conn_cleaner_process) and the heads left due make acl_fa_session_cleaner_process
// skip its wait (`timeout <= 0`), so the next run follows at once - but not sooner than the process's
// `vlib_process_suspend (vm, 0.0001)` while it waits for the worker's interrupt_generation: with no
// worker threads (the model's one pool) the interrupt node runs only when the process has suspended,
// so runs of a flood are at least FULL_RUN_GAP_MS apart (vlib_process_suspend: "expiration time in
// 10us ticks").
//
// The model runs the cleaner at the earliest times VPP can: a run at the first head's due time, and
// after a full run the next one FULL_RUN_GAP_MS later (each requeue stamped with its run's time).
// Before a run's time VPP certainly still holds the run's sessions. After it, VPP removes them at a
// time the source does not bound: the process wakes late by the main loop's timing and the worker
// interrupt, and each requeue carries that lateness into the next check. A packet in between cannot
// be answered with confidence, and the harness has no way to say "the ACL decision is unknown" (its
// unknown values are bytes, not branches of the graph), so the model gives it the answer "session
// still present" for CLEANER_SLACK_MS after the run that found it idle: such a session goes on the
// DYING list and is removed only then, unless a packet hit it meanwhile (then it is requeued as VPP
// would have, had its check come after that packet). Packets answered that way are counted
// (AclSessionTable.hitsAfterIdleCheck): their outcome rests on that choice, not on VPP's source.
// Packets after the slack are answered "removed", which VPP's source does not guarantee either.

import { ConnectionLists, DYING, NO_LINK } from './conn-lists.js';

/** acl.h: UDP_SESSION_IDLE_TIMEOUT_SEC, TCP_SESSION_IDLE_TIMEOUT_SEC, TCP_SESSION_TRANSIENT_TIMEOUT_SEC, by timeout class. */
export const ACL_DEFAULT_TIMEOUTS_SEC: readonly number[] = [600, 3600 * 24, 120];

/**
 * acl.h ACL_FA_DEFAULT_MAX_DELETED_SESSIONS_PER_INTERVAL: the list heads one cleaner run takes
 * (acl_fa_check_idle_sessions), requeued or deleted.
 */
export const MAX_CHECKS_PER_RUN = 100;

/**
 * The earliest a cleaner run follows one that took MAX_CHECKS_PER_RUN heads: the
 * `vlib_process_suspend (vm, 0.0001)` acl_fa_session_cleaner_process waits for the worker's run in
 * (with no worker threads it always waits at least once).
 */
export const FULL_RUN_GAP_MS = 0.1;

/**
 * How long after the run that found a session idle the model still answers "present". Not a VPP
 * constant (the source bounds VPP's lateness only from below, see the file comment): the cleaner
 * process sleeps until the earliest head's expiry and at most max_timer_wait_interval (cps / 2, "at
 * least twice a second", plus at most one 0.1 s fa_cleaner_wait_time_increment) at a time, so an
 * idle VPP runs a due check within ~0.6 s unless the main loop is starved; one second covers that.
 * The runs of a flood are placed at their earliest times (FULL_RUN_GAP_MS apart), so the slack counts
 * from each run's own time.
 */
export const CLEANER_SLACK_MS = 1000;

/** What the cleaner needs of the session table. */
export interface IdleSessions {
  readonly lists: ConnectionLists;
  /** last_active_time, on the table's clock. */
  lastActive(s: number): number;
  /** fa_session_get_timeout_type. */
  timeoutClass(s: number): number;
  /** acl_fa_delete_session. */
  delete(s: number): void;
}

export class IdleCleaner {
  /** Per timeout class, ms. */
  private readonly timeoutMs = new Float64Array(3);
  /** fa_session_get_shortest_timeout, ms: how long every list entry waits for its check. */
  private shortestMs = 0;
  /** No event is due before this (a lower bound: the packet path compares one number). */
  dueAt = Infinity;
  /** When the run after a full one comes (NaN: the last run was not full). */
  private followUpAt = NaN;
  /** The heads a run took (`pw->expired`), reused. */
  private readonly taken: number[] = [];

  constructor(timeoutsSec: readonly number[] = ACL_DEFAULT_TIMEOUTS_SEC) {
    this.setTimeouts(timeoutsSec);
  }

  /** acl_set_timeout_sec for every class (UDP idle, TCP idle, TCP transient), in seconds. */
  setTimeouts(sec: readonly number[]): void {
    // VPP takes any u32; 0 would make every check due again at once (the model would loop), and no
    // scenario needs sub-second timeouts (the schema asks for at least 1).
    for (let c = 0; c < 3; c++) {
      if (!(sec[c] >= 1)) throw new RangeError(`ACL session timeout ${sec[c]} s: at least 1 s`);
      this.timeoutMs[c] = sec[c] * 1000;
    }
    this.shortestMs = Math.min(...this.timeoutMs);
    // Already queued entries are checked by the new timeouts: look again at the next packet.
    this.dueAt = -Infinity;
  }

  timeoutSec(cls: number): number {
    return this.timeoutMs[cls] / 1000;
  }

  /** A class list had no head and got one, enqueued at `at`: its check is due at + the shortest timeout. */
  newHead(at: number): void {
    const due = at + this.shortestMs;
    if (due < this.dueAt) this.dueAt = due;
  }

  /**
   * Every cleaner run and removal due before `now`, in time order (a run before a removal due at the
   * same time), as they would have happened before the packet at `now` arrived.
   */
  run(table: IdleSessions, now: number): void {
    const lists = table.lists;
    for (;;) {
      const runAt = this.nextRunAt(lists);
      const h = lists.head[DYING];
      const removeAt = h === NO_LINK ? Infinity : lists.enqueuedAt(h) + CLEANER_SLACK_MS;
      const due = Math.min(runAt, removeAt);
      // acl_fa_conn_time_to_check: `timeout_time < now`.
      if (!(due < now)) {
        this.dueAt = due;
        return;
      }
      if (runAt <= removeAt) this.runOnce(table, runAt);
      else {
        const foundIdleAt = lists.enqueuedAt(h);
        lists.unlink(h);
        // A packet hit it after the run found it idle: VPP's own check may have come after that
        // packet, which then kept it (the conservative answer); otherwise it is gone by now.
        if (table.lastActive(h) >= foundIdleAt) lists.enqueue(h, table.timeoutClass(h), removeAt);
        else table.delete(h);
      }
    }
  }

  /** When the next run comes: right after a full run, else when the earliest list head is due. */
  private nextRunAt(lists: ConnectionLists): number {
    if (this.followUpAt === this.followUpAt) return this.followUpAt;
    let at = Infinity;
    for (let l = 0; l < DYING; l++) {
      const h = lists.head[l];
      if (h !== NO_LINK) at = Math.min(at, lists.enqueuedAt(h) + this.shortestMs);
    }
    return at;
  }

  /** acl_fa_check_idle_sessions at `at`: take at most MAX_CHECKS_PER_RUN due heads, then requeue or delete each. */
  private runOnce(table: IdleSessions, at: number): void {
    const lists = table.lists;
    const taken = this.taken;
    taken.length = 0;
    for (let l = 0; l < DYING; l++) {
      for (let h = lists.head[l]; taken.length < MAX_CHECKS_PER_RUN && h !== NO_LINK && lists.enqueuedAt(h) + this.shortestMs <= at; h = lists.head[l]) {
        taken.push(h);
        lists.unlink(h);
      }
    }
    for (const s of taken) {
      const cls = table.timeoutClass(s);
      // `now < sess_timeout_time`: requeued at the tail of its class's list, stamped `now`, else
      // deleted (here: after the slack).
      lists.enqueue(s, at < table.lastActive(s) + this.timeoutMs[cls] ? cls : DYING, at);
    }
    this.followUpAt = taken.length >= MAX_CHECKS_PER_RUN ? at + FULL_RUN_GAP_MS : NaN;
  }
}
