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
// The model runs the same checks at their due times, as if the cleaner woke exactly on time (each
// requeue stamped with the due time, not a later `now`). VPP's checks come a little late (the wait
// for the process timer and the worker interrupt), and each requeue carries that lateness into the
// next check, so VPP removes a session at or somewhat after the model's check. A packet in between
// cannot be answered with confidence, and the harness has no way to say "the ACL decision is
// unknown" (its unknown values are bytes, not branches of the graph), so the model gives it the
// conservative answer "session still present": a session found idle goes on the DYING list for
// CLEANER_SLACK_MS and is removed only then, unless a packet hit it meanwhile (then it is requeued as
// VPP would have, had its check come after that packet).

import { ConnectionLists, DYING, NO_LINK } from './conn-lists.js';

/** acl.h: UDP_SESSION_IDLE_TIMEOUT_SEC, TCP_SESSION_IDLE_TIMEOUT_SEC, TCP_SESSION_TRANSIENT_TIMEOUT_SEC, by timeout class. */
export const ACL_DEFAULT_TIMEOUTS_SEC: readonly number[] = [600, 3600 * 24, 120];

/**
 * How late VPP may remove a session after the model's on-time check, with confidence. Not a VPP
 * constant: the cleaner process sleeps until the earliest head's expiry and at most
 * max_timer_wait_interval (cps / 2, "at least twice a second", plus at most one 0.1 s
 * fa_cleaner_wait_time_increment) at a time, so a due check runs within ~0.6 s of its due time unless
 * the main loop is starved; requeues add that lateness up, but by milliseconds when the cleaner keeps
 * up. One second covers that for a cleaner that keeps up with fewer than
 * fa_max_deleted_sessions_per_interval (100) sessions due at once; a flood of expiries beyond that is
 * removed over several cleaner rounds, later than this margin.
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
   * Every check and removal due before `now`, in time order (ties: the lists in VPP's order, UDP
   * idle, TCP idle, TCP transient, then DYING), as they would have happened before the packet at
   * `now` arrived.
   */
  run(table: IdleSessions, now: number): void {
    const lists = table.lists;
    for (;;) {
      let list = -1;
      let due = Infinity;
      for (let l = 0; l <= DYING; l++) {
        const h = lists.head[l];
        if (h === NO_LINK) continue;
        const d = lists.enqueuedAt(h) + (l === DYING ? CLEANER_SLACK_MS : this.shortestMs);
        if (d < due) {
          due = d;
          list = l;
        }
      }
      // acl_fa_conn_time_to_check: `timeout_time < now`.
      if (!(due < now)) {
        this.dueAt = due;
        return;
      }
      const s = lists.head[list];
      const enqueued = lists.enqueuedAt(s);
      lists.unlink(s);
      if (list === DYING) {
        // A packet hit it after the check found it idle: VPP's own check may have come after that
        // packet, which then kept it (the conservative answer); otherwise it is gone by now.
        if (table.lastActive(s) >= enqueued) lists.enqueue(s, table.timeoutClass(s), due);
        else table.delete(s);
      } else {
        const cls = table.timeoutClass(s);
        // `now < sess_timeout_time`: requeued at the tail of its class's list, stamped `now` (here
        // the due time), else deleted (here: after the slack).
        if (due < table.lastActive(s) + this.timeoutMs[cls]) lists.enqueue(s, cls, due);
        else lists.enqueue(s, DYING, due);
      }
    }
  }
}
