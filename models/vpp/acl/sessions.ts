// ACL plugin sessions (vpp-facts §9, §9.2): created by a permit+reflect match, keyed by the
// direction-normalised 5-tuple, held in a vppinfra pool (the `rule` a session hit prints is the pool
// index, reused LIFO). Each session tracks the TCP flags seen per direction, which decides its
// timeout class: 0 UDP idle (also non-TCP), 1 TCP established (SYN+ACK seen both ways), 2 TCP transient.
//
// Stored as one record of RECORD u32 words per session in a single typed array, indexed by its pool
// index: the packed key (five-tuple.ts sessionKey), the sw_if_index, the protocol with the TCP
// flags seen per direction in one word, and the time of its last packet. A session hit touches one
// cache line, and the connection hash (../record-index.ts) compares keys in these records, so a
// million sessions are no objects and the key is stored once.
//
// Connection lists (conn-lists.ts): a session is appended to the tail of its class's list when it
// is added (the class of its flags before the creating packet is tracked: tcp_flags_seen is 0
// there) and when a packet changes its class (acl_fa_restart_timer_for_session: unlinked, then
// appended to the new class's tail, stamped with the packet's time); a packet that leaves the class
// as it is does not touch the lists. When the table is full, a reflect first recycles the head of
// the TCP transient list (acl_fa_try_recycle_session). The idle cleaner (idle-cleaner.ts) removes
// idle sessions as the packets' clock passes their timeout.
//
// The clock: whole milliseconds since the first timestamped packet (int32 in the records: a replay
// may span 24 days), never going back (VPP's clock does not; a capture's timestamps may). Without
// timestamps (trace text) it stands still, so no session expires.

import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { grown, IndexPool } from '../nat44/vpp-pool.js';
import { RecordIndex, NOT_FOUND, type SessionKeyIndex, type SessionRecords } from '../record-index.js';
import { ConnectionLists, DYING, NO_LINK } from './conn-lists.js';
import type { AclSessionKey, FiveTuple } from './five-tuple.js';
import { ACL_DEFAULT_TIMEOUTS_SEC, IdleCleaner, type IdleSessions } from './idle-cleaner.js';

/** Lookup result for an absent key. */
export const MISS = NOT_FOUND;

export const TimeoutClass = { UDP_IDLE: 0, TCP_IDLE: 1, TCP_TRANSIENT: 2 } as const;

const TCP_FLAGS_RSTFINACKSYN = 0x17;
const TCP_FLAGS_ACKSYN = 0x12;

/** Words per session record (32 bytes: two records per cache line, none straddling one). */
const RECORD = 8;
/** Words 0..3: the key. */
const SW_IF_INDEX = 4;
/**
 * proto | tcp_flags_seen.as_u8[0] << 8 (output direction) | tcp_flags_seen.as_u8[1] << 16 (input
 * direction).
 */
const PROTO_FLAGS = 5;
/** Shift of a direction's seen-flags byte in PROTO_FLAGS. */
const seenShift = (isInput: boolean): number => (isInput ? 16 : 8);
// Words 6 and 7 are free. last_active_time is not in the record: a clock in int32 ms would end
// 24.8 days after the first packet (a capture spanning more failed the replay); see lastActiveMs.

/** fa_session_get_timeout_type from a PROTO_FLAGS word. */
function timeoutClassOf(w: number): number {
  if ((w & 0xff) !== IpProtocol.TCP) return TimeoutClass.UDP_IDLE;
  const both = (w >>> 8) & ((TCP_FLAGS_RSTFINACKSYN << 8) | TCP_FLAGS_RSTFINACKSYN);
  return both === ((TCP_FLAGS_ACKSYN << 8) | TCP_FLAGS_ACKSYN) ? TimeoutClass.TCP_IDLE : TimeoutClass.TCP_TRANSIENT;
}

export class AclSessionTable implements SessionRecords, IdleSessions {
  readonly pool = new IndexPool();
  /** RECORD words per session pool index (public for the connection hash, which compares keys in it). */
  records = new Int32Array(0);
  /**
   * Per session pool index: last_active_time, ms on the table's clock (a double: exact for any span
   * of capture time). Beside the records, not in them: a hit writes it only when the clock moved on.
   */
  private lastActiveMs = new Float64Array(0);
  private readonly byKey: SessionKeyIndex;
  /**
   * Live sessions per key interface (the key's lsb16, the sw_if_index the session was made on; VPP
   * counts session adds/dels per sw_if_index too). A key whose interface has none cannot be in the
   * table, so its lookup is answered without hashing it: the output-direction lookup of every
   * forward packet on an interface where no session was made.
   */
  private readonly perInterface = new Uint32Array(0x10000);
  readonly lists = new ConnectionLists();
  readonly cleaner: IdleCleaner;
  /** The table's clock, ms since `origin` (see the file comment). */
  private clock = 0;
  /** The latest packet time advance() saw (ms since the epoch). */
  private seenMs = -Infinity;
  /** The first packet timestamp seen (ms since the epoch); NaN before. */
  private origin = NaN;

  /** `presize`: sessions to make room for up front (startup `connection hash buckets`), 0 = grow from small. */
  constructor(
    readonly maxSessions: number,
    presize = 0,
    timeoutsSec: readonly number[] = ACL_DEFAULT_TIMEOUTS_SEC,
  ) {
    this.cleaner = new IdleCleaner(timeoutsSec);
    // The connection hash stays at most half full: room for n keys is 2n slots.
    this.byKey = new RecordIndex(this, RECORD, presize * 2);
    if (presize > 0) {
      this.records = new Int32Array(presize * RECORD);
      this.lastActiveMs = new Float64Array(presize);
      this.pool.reserve(presize);
      this.lists.reserve(presize);
    }
  }

  /**
   * The packet at `nowMs` (ms since the epoch; NaN: no timestamp) is next: the clock moves to it, and
   * the cleaner first does what was due before it (unless `expire` is off: the fault that keeps
   * sessions forever).
   */
  advance(nowMs: number, expire: boolean): void {
    // A packet in the millisecond of the one before has nothing new to do (timeouts changed since
    // then - setTimeouts - still look again); NaN (no timestamp) falls through to the test below.
    if (!(nowMs > this.seenMs) && this.cleaner.dueAt !== -Infinity) return;
    if (nowMs !== nowMs) return; // NaN
    this.seenMs = nowMs;
    if (this.origin !== this.origin) this.origin = nowMs;
    const t = nowMs - this.origin;
    if (t > this.clock) {
      this.clock = t;
    }
    if (expire && this.clock > this.cleaner.dueAt) this.cleaner.run(this, this.clock);
  }

  /** The table's clock (ms since its first timestamped packet). */
  get now(): number {
    return this.clock;
  }

  /** The session stored under the key, or MISS. */
  find(k: AclSessionKey): number {
    if (this.perInterface[k[3] & 0xffff] === 0) return MISS;
    return this.byKey.get(k[0], k[1], k[2], k[3]);
  }

  /** Queue the slot the key will be looked up in for flushPrefetch (RecordIndex.prefetch). */
  prefetch(a: number, b: number, c: number, d: number): void {
    this.byKey.prefetch(a, b, c, d);
  }

  flushPrefetch(): number {
    return this.byKey.flushPrefetch();
  }

  canAdd(): boolean {
    return this.pool.size < this.maxSessions;
  }

  /**
   * acl_fa_add_session; the creating packet's TCP flags count as seen in its direction. Returns the
   * pool index. Right after find() missed the key (the engine's reflect), the hash reuses that miss.
   */
  add(k: AclSessionKey, t: FiveTuple, isInput: boolean): number {
    const s = this.pool.get();
    let rec = this.records;
    if ((s + 1) * RECORD > rec.length) rec = this.records = grown(rec, (s + 1) * RECORD);
    const o = s * RECORD;
    rec[o] = k[0];
    rec[o + 1] = k[1];
    rec[o + 2] = k[2];
    rec[o + 3] = k[3];
    rec[o + SW_IF_INDEX] = t.swIfIndex;
    rec[o + PROTO_FLAGS] = t.proto | (t.tcpFlagsValid ? t.tcpFlags << seenShift(isInput) : 0);
    let la = this.lastActiveMs;
    if (s >= la.length) la = this.lastActiveMs = grown(la, s + 1);
    la[s] = this.clock;
    this.byKey.set(k[0], k[1], k[2], k[3], s);
    this.perInterface[k[3] & 0xffff]++;
    // VPP enqueues before tracking the creating packet (no flags seen). One direction's flags never
    // make a TCP session established, so the list is also the class of the record's flags.
    this.enqueue(s, timeoutClassOf(t.proto));
    return s;
  }

  /**
   * acl_fa_restart_timer_for_session, which the node calls when a packet changed the session's
   * timeout class: the session leaves its old class's list and joins the tail of the new one's.
   */
  changeClass(s: number, after: number): void {
    this.lists.unlink(s);
    this.enqueue(s, after);
  }

  /**
   * acl_fa_try_recycle_session: when the table is full, delete the head of the TCP transient list
   * (the transient session enqueued longest ago), if there is one. Returns its pool index, which
   * the next add() takes (LIFO pool), or MISS. A transient session the cleaner already found idle
   * (on DYING, idle-cleaner.ts) goes first: VPP either removed it already (its index is then the one
   * freed last, which the new session takes) or still has it at the head of the transient list
   * (recycled), and both end with the new session in its place.
   */
  recycleTransient(): number {
    let s = this.lists.head[DYING];
    while (s !== NO_LINK && this.timeoutClass(s) !== TimeoutClass.TCP_TRANSIENT) s = this.lists.next(s);
    if (s === NO_LINK) s = this.lists.head[TimeoutClass.TCP_TRANSIENT];
    if (s === NO_LINK) return MISS;
    this.delete(s);
    return s;
  }

  /** The sessions of a connection list (a timeout class, or DYING), head first. */
  listOf(list: number): number[] {
    return this.lists.members(list);
  }

  /** acl_fa_conn_list_add_session at the clock's time. */
  private enqueue(s: number, cls: number): void {
    if (this.lists.head[cls] === NO_LINK) this.cleaner.newHead(this.clock);
    this.lists.enqueue(s, cls, this.clock);
  }

  /**
   * acl_fa_track_session: OR the packet's TCP flags into its direction. Returns the timeout class
   * before (bits 0-7) and after (bits 8-15), which the trace_bits of a class change print.
   */
  trackClasses(s: number, tcpFlagsValid: boolean, tcpFlags: number, isInput: boolean): number {
    const i = s * RECORD + PROTO_FLAGS;
    const w = this.records[i];
    const after = tcpFlagsValid ? w | (tcpFlags << seenShift(isInput)) : w;
    // Written only when a flag is new: most packets of a connection change nothing, and a store
    // dirties the session's cache line (written back to memory later) for nothing.
    if (after !== w) this.records[i] = after;
    return timeoutClassOf(w) | (timeoutClassOf(after) << 8);
  }

  /**
   * Packets that found a session after the cleaner run that found it idle (on DYING, idle-cleaner.ts):
   * VPP may have removed it before them. Their outcome ("session present") is the model's choice, not
   * VPP's source; this count makes them visible.
   */
  hitsAfterIdleCheck = 0;

  /**
   * Is `s` a live session stored under key (a, b, c, d), made on `swIfIndex`? Then find() of that
   * key returns `s` (a key is added only after find() missed it, and leaves with its session) and
   * decide takes the hit with no LSB16 collision: the flow cache's check of a session it remembered.
   */
  holds(s: number, a: number, b: number, c: number, d: number, swIfIndex: number): boolean {
    if (!this.pool.isLive(s)) return false;
    const r = this.records;
    const o = s * RECORD;
    return r[o] === a && r[o + 1] === b && r[o + 2] === c && r[o + 3] === d && r[o + SW_IF_INDEX] === swIfIndex;
  }

  /** acl_fa_track_session's `sess->last_active_time = now`. */
  touch(s: number): void {
    // The list is read only while some session waits on DYING: a plain hit touches no link line.
    if (this.lists.head[DYING] !== NO_LINK && this.lists.listOf(s) === DYING) this.hitsAfterIdleCheck++;
    const la = this.lastActiveMs;
    // Written only when the time moved on (a replay without timestamps never writes).
    if (la[s] !== this.clock) la[s] = this.clock;
  }

  lastActive(s: number): number {
    return this.lastActiveMs[s];
  }

  timeoutClass(s: number): number {
    return timeoutClassOf(this.records[s * RECORD + PROTO_FLAGS]);
  }

  /** The sw_if_index the session was made on, as an int32 (the key holds only its low 16 bits). */
  swIfIndexOf(s: number): number {
    return this.records[s * RECORD + SW_IF_INDEX];
  }

  /** Session deletion (recycling; idle timeout, interface ACL change): the index goes back to the pool. */
  delete(s: number): void {
    this.pool.put(s); // first: it refuses an index that is not live
    const r = this.records;
    const o = s * RECORD;
    this.lists.unlink(s);
    this.byKey.delete(r[o], r[o + 1], r[o + 2], r[o + 3]);
    this.perInterface[r[o + 3] & 0xffff]--;
  }

  get size(): number {
    return this.pool.size;
  }
}
