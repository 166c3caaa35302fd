// The ACL plugin's connection lists (acl_fa_conn_list_add_session / acl_fa_conn_list_delete_session;
// FDio/vpp src/plugins/acl/fa_node.c @ 1d639257 (17.10) and session_inlines.h (18.04), identical in
// both on everything here, 18.01 lies between them): one doubly linked list per timeout class, in
// enqueue order, each session stamped with the time it joined its list (`sess->link_enqueue_time =
// now`) and the list it is on (`link_list_id`). The idle cleaner (idle-cleaner.ts) walks them from
// the head. The model adds one list of its own, DYING (idle-cleaner.ts: sessions whose removal
// time VPP does not fix exactly).
//
// Kept apart from the session records (sessions.ts) in a typed array of their own: a packet that
// hits a session and leaves its class as it is touches no list, so the hit path reads one record
// line and no link line.

import { grown } from '../nat44/vpp-pool.js';

/** The model's list of sessions the cleaner found idle, awaiting removal (idle-cleaner.ts). */
export const DYING = 3;
const LISTS = 4;
/** A list end (VPP's ~0). */
export const NO_LINK = -1;

/** Words per session: previous, next, list. */
const STRIDE = 3;
const PREV = 0;
const NEXT = 1;
const LIST = 2;

export class ConnectionLists {
  private links = new Int32Array(0);
  /** Per session: when it joined its list, ms on the table's clock (a double: no end to the clock). */
  private enqueued = new Float64Array(0);
  /** Per list: the first and last session (fa_conn_list_head / fa_conn_list_tail). */
  readonly head = new Int32Array(LISTS).fill(NO_LINK);
  private readonly tail = new Int32Array(LISTS).fill(NO_LINK);

  /** Make room for sessions [0, n) up front. */
  reserve(n: number): void {
    if (n * STRIDE > this.links.length) this.links = grown(this.links, n * STRIDE);
    if (n > this.enqueued.length) this.enqueued = grown(this.enqueued, n);
  }

  /** Append session `s` at the tail of `list`, enqueued at `at` (acl_fa_conn_list_add_session). */
  enqueue(s: number, list: number, at: number): void {
    if ((s + 1) * STRIDE > this.links.length) this.links = grown(this.links, (s + 1) * STRIDE);
    if (s >= this.enqueued.length) this.enqueued = grown(this.enqueued, s + 1);
    const l = this.links;
    const o = s * STRIDE;
    const tail = this.tail[list];
    l[o + PREV] = tail;
    l[o + NEXT] = NO_LINK;
    this.enqueued[s] = at;
    l[o + LIST] = list;
    if (tail !== NO_LINK) l[tail * STRIDE + NEXT] = s;
    else this.head[list] = s;
    this.tail[list] = s;
  }

  /** Take session `s` off the list it is on (acl_fa_conn_list_delete_session). */
  unlink(s: number): void {
    const l = this.links;
    const o = s * STRIDE;
    const list = l[o + LIST];
    const prev = l[o + PREV];
    const next = l[o + NEXT];
    if (prev !== NO_LINK) l[prev * STRIDE + NEXT] = next;
    else this.head[list] = next;
    if (next !== NO_LINK) l[next * STRIDE + PREV] = prev;
    else this.tail[list] = prev;
  }

  /** When `s` joined the list it is on. */
  enqueuedAt(s: number): number {
    return this.enqueued[s];
  }

  /** The list `s` is on. */
  listOf(s: number): number {
    return this.links[s * STRIDE + LIST];
  }

  /** The session after `s` on its list, or NO_LINK. */
  next(s: number): number {
    return this.links[s * STRIDE + NEXT];
  }

  /** The sessions of a list, head first. */
  members(list: number): number[] {
    const out: number[] = [];
    for (let s = this.head[list]; s !== NO_LINK; s = this.next(s)) out.push(s);
    return out;
  }
}
