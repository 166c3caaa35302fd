// NAT44 sessions, users and the translation hashes of one VPP thread (vpp-facts §8.2, §8.6):
//   - sessions live in a vppinfra pool, so the index a trace prints is the pool index, reused LIFO;
//   - every session belongs to a user {address, FIB} with an LRU list; at max_translations_per_user
//     the user's least recently used session (static or not, as 18.01) is recycled and keeps its index;
//   - forwarding-bypass and static-mapping sessions take pool indices like dynamic ones (§8.3).
//
// Stored as VPP stores them, not as one object per session: the pool hands out indices and a
// session is a fixed-size record of u32 words at its index (VPP's snat_session_t is one struct that
// pool_get memsets): the fields every packet or every new session touches share one 64-byte record
// (one cache line to write on creation, one to read on a hit, one array to grow), the ED keys a
// session registered (the ED hashes compare keys in them; deletion reads them) and the TCP FIN
// sequence numbers (written only by a FIN) live in two colder arrays at the same index. The per-user
// LRU is a doubly linked list through two record words (VPP's dlist); the 8-byte hashes are
// KeyTables of packed int32 words, the 16-byte (ED) ones RecordIndexes over the sessions' ED words
// (../record-index.ts). A million live sessions are three typed arrays, not millions of objects.

import { KeyTable, MISS } from './bihash.js';
import { RecordIndex, type SessionKeyIndex } from '../record-index.js';
import { grown, IndexPool } from './vpp-pool.js';
import { AddressPool } from './addresses.js';
import type { NatProtoValue } from './keys.js';

export const SessionFlag = {
  STATIC_MAPPING: 1,
  UNKNOWN_PROTO: 2,
  LOAD_BALANCING: 4,
  TWICE_NAT: 8,
  ENDPOINT_DEPENDENT: 16,
  FWD_BYPASS: 32,
} as const;

export { MISS };

/**
 * Value an 8-byte hash holds for an LB mapping's VIP/backend keys: "use the ED path" (VPP stores ~0;
 * the value is never printed). 2^31 - 1 rather than ~0: a number that fits a small integer is
 * returned from a lookup without a heap number made for it, once per pod->service packet. Never a
 * session index (pool indices stay far below) and never MISS.
 */
export const LB_STATIC = 0x7fffffff;

/** No session / no list neighbour. */
const NIL = -1;

/** Which hashes a session registered (so deletion removes exactly those). */
const IN_HASHES = 1;
const HAS_ED_IN2OUT = 2;
const HAS_ED_OUT2IN = 4;

/**
 * The hot record: u32 words per session. Ports, protocols and external ports are u16/u8 values
 * packed two to a word (masked on write, as the typed columns they replace truncated them).
 */
const R = 16;
const I2O_ADDR = 0;
const O2I_ADDR = 1;
const I2O_FIB = 2;
const O2I_FIB = 3;
/** i2o port | o2i port << 16. */
const PORTS = 4;
/** i2o protocol | o2i protocol << 8. */
const PROTOS = 5;
const EXT_ADDR = 6;
const EXT_NAT_ADDR = 7;
/** ext_host_port | ext_host_nat_port << 16. */
const EXT_PORTS = 8;
const FLAGS = 9;
/** TCP close bits | registered hashes << 8. */
const STATE = 10;
/** Pool address index, or ~0 (-1) for static sessions. */
const OUT_ADDR_INDEX = 11;
const USER = 12;
const TOTAL_PKTS = 13;
const LRU_PREV = 14;
const LRU_NEXT = 15;
/** The cold ED-key record: the in2out_ed key's four words, then the out2in_ed key's. */
const ED = 8;

export interface NatUser {
  addr: number;
  fib: number;
  nsessions: number;
  nstaticsessions: number;
  /** LRU list ends: head = least recently used session index, tail = most recent (NIL when empty). */
  head: number;
  tail: number;
}

/**
 * 8-byte key words (snat_session_key_t): address, port << 16 | protocol, FIB. All key words are
 * int32 (the session hashes' element kind, ../record-index.ts): a u32 at or above 2^31 would be a
 * heap number wherever it crosses a call.
 */
function w1(port: number, proto: number): number {
  return (port << 16) | proto;
}

/** 16-byte ED key words (nat_ed_ses_key_t): l_addr, r_addr, proto << 24 | fib (24 bits), l_port << 16 | r_port. */
function edW2(proto: number, fib: number): number {
  return (proto << 24) | (fib & 0xffffff);
}

export class NatThreadState {
  /** Pool indices of the sessions (size = live sessions). */
  readonly sessions = new IndexPool();
  readonly users: NatUser[] = [];
  private readonly userIndex = new KeyTable();
  /** 8-byte hashes: key -> session index, or LB_STATIC for an LB mapping's entries. */
  readonly in2out: KeyTable;
  readonly out2in: KeyTable;
  /**
   * The 16-byte endpoint-dependent hashes (global in VPP; one thread here), indexing the sessions' own ED words (each session keeps its
   * in2out_ed key in words 0-3 and its out2in_ed key in words 4-7 for deletion anyway): the key is
   * stored once, and a new session touches a slot per hash and its ED words, no entry array.
   */
  readonly in2outEd: RecordIndex;
  readonly out2inEd: RecordIndex;
  /** ED words per session index: the ED keys it registered. */
  private readonly ed: { records: Int32Array } = { records: new Int32Array(0) };

  /** R words per session index (the layout above). */
  private rec = new Uint32Array(0);
  /** Two words per session index: the in2out FIN's sequence number, the out2in FIN's. */
  private finSeqs = new Uint32Array(0);
  /** Sessions the columns hold room for. */
  private capacity = 0;

  /** `presize`: sessions to make room for up front (startup `translation hash buckets`), 0 = grow from small. */
  constructor(
    private readonly maxTranslationsPerUser: number,
    private readonly maxTranslations: number,
    private readonly addresses: AddressPool,
    presize = 0,
    /** The twice-NAT pool (`nat44 add address A twice-nat`). */
    private readonly twiceNatAddresses: AddressPool = new AddressPool(),
  ) {
    // A KeyTable stays at most half full: room for n keys is 2n slots.
    const slots = presize * 2;
    this.in2out = new KeyTable(slots);
    this.out2in = new KeyTable(slots);
    this.in2outEd = new RecordIndex(this.ed, ED, slots, 0);
    this.out2inEd = new RecordIndex(this.ed, ED, slots, 4);
    if (presize > 0) {
      this.ensure(presize - 1);
      this.sessions.reserve(presize);
    }
  }

  maximumSessionsExceeded(): boolean {
    return this.sessions.size >= this.maxTranslations;
  }

  /** nat_user_get_or_create: the user's index. */
  userOf(addr: number, fib: number): number {
    // Users are never removed (an index stays its user's), so the last one found can be reused:
    // the sessions a VIP's backend gets, one per new flow, all belong to one user.
    if (addr === this.lastUserAddr && fib === this.lastUserFib) return this.lastUser;
    let u = this.userIndex.get(addr | 0, fib | 0);
    if (u === MISS) {
      u = this.users.push({ addr, fib, nsessions: 0, nstaticsessions: 0, head: NIL, tail: NIL }) - 1;
      this.userIndex.set(addr | 0, fib | 0, 0, 0, u);
    }
    this.lastUserAddr = addr;
    this.lastUserFib = fib;
    this.lastUser = u;
    return u;
  }

  /** The user userOf found last (NaN address: none yet). */
  private lastUserAddr = NaN;
  private lastUserFib = NaN;
  private lastUser = -1;

  isStatic(s: number): boolean {
    return (this.rec[s * R + FLAGS] & SessionFlag.STATIC_MAPPING) !== 0;
  }

  isLive(s: number): boolean {
    return this.sessions.isLive(s);
  }

  // ---- session fields (snat_session_t), by pool index ----
  i2oAddr(s: number): number {
    return this.rec[s * R + I2O_ADDR];
  }
  i2oPort(s: number): number {
    return this.rec[s * R + PORTS] & 0xffff;
  }
  i2oProto(s: number): number {
    return this.rec[s * R + PROTOS] & 0xff;
  }
  i2oFib(s: number): number {
    return this.rec[s * R + I2O_FIB];
  }
  o2iAddr(s: number): number {
    return this.rec[s * R + O2I_ADDR];
  }
  o2iPort(s: number): number {
    return this.rec[s * R + PORTS] >>> 16;
  }
  o2iProto(s: number): number {
    return (this.rec[s * R + PROTOS] >>> 8) & 0xff;
  }
  o2iFib(s: number): number {
    return this.rec[s * R + O2I_FIB];
  }
  flags(s: number): number {
    return this.rec[s * R + FLAGS];
  }
  addFlags(s: number, flags: number): void {
    this.rec[s * R + FLAGS] |= flags;
  }
  extHostAddr(s: number): number {
    return this.rec[s * R + EXT_ADDR];
  }
  extHostPort(s: number): number {
    return this.rec[s * R + EXT_PORTS] & 0xffff;
  }
  /** The remote endpoint of the session (ext_host_addr / ext_host_port). */
  setExtHost(s: number, addr: number, port: number): void {
    const o = s * R;
    this.rec[o + EXT_ADDR] = addr;
    this.rec[o + EXT_PORTS] = (this.rec[o + EXT_PORTS] & 0xffff0000) | (port & 0xffff);
  }
  /** Twice-NAT: the address/port the remote side is rewritten to. */
  extHostNatAddr(s: number): number {
    return this.rec[s * R + EXT_NAT_ADDR];
  }
  extHostNatPort(s: number): number {
    return this.rec[s * R + EXT_PORTS] >>> 16;
  }
  setExtHostNat(s: number, addr: number, port: number): void {
    const o = s * R;
    this.rec[o + EXT_NAT_ADDR] = addr;
    this.rec[o + EXT_PORTS] = (this.rec[o + EXT_PORTS] & 0xffff) | ((port & 0xffff) << 16);
  }
  /** Index of the pool address a dynamic session took its port from; -1 for static sessions. */
  outsideAddressIndex(s: number): number {
    return this.rec[s * R + OUT_ADDR_INDEX] | 0;
  }
  setOutsideAddressIndex(s: number, index: number): void {
    this.rec[s * R + OUT_ADDR_INDEX] = index;
  }
  user(s: number): number {
    return this.rec[s * R + USER];
  }
  totalPkts(s: number): number {
    return this.rec[s * R + TOTAL_PKTS];
  }
  /** TCP close tracking (fork, §8.5): bits 1 FIN in2out, 2 FIN out2in, 4 ACK of in2out FIN, 8 ACK of out2in FIN. */
  tcpState(s: number): number {
    return this.rec[s * R + STATE] & 0xff;
  }
  setTcpState(s: number, state: number): void {
    const o = s * R + STATE;
    this.rec[o] = (this.rec[o] & ~0xff) | (state & 0xff);
  }
  /** The sequence number of the session's in2out FIN (meaningful once its FIN bit is set). */
  i2oFinSeq(s: number): number {
    return this.finSeqs[s * 2];
  }
  setI2oFinSeq(s: number, seq: number): void {
    this.finSeqs[s * 2] = seq;
  }
  o2iFinSeq(s: number): number {
    return this.finSeqs[s * 2 + 1];
  }
  setO2iFinSeq(s: number, seq: number): void {
    this.finSeqs[s * 2 + 1] = seq;
  }

  /**
   * nat_session_alloc_or_recycle + user_session_increment: at the per-user limit the least recently
   * used session is emptied and reused in place (same index); otherwise a pool index.
   * The counters are u32 (a recycled static session replaced by a dynamic one, then deleted, wraps
   * nsessions) and user_session_increment counts only below the limit (vpp-dev/vpp
   * src/plugins/nat/nat.h @ 2994d210, stable-1801-contiv; the same in every later upstream nat.h):
   *   if (u->nsessions + u->nstaticsessions < sm->max_translations_per_user)
   *     { if (is_static) u->nstaticsessions++; else u->nsessions++; }
   * so a recycled session leaves them as they were.
   */
  allocate(userIndex: number, isStaticSession: boolean): number {
    const u = this.users[userIndex];
    let s: number;
    const below = ((u.nsessions + u.nstaticsessions) >>> 0) < this.maxTranslationsPerUser;
    if (!below && u.head !== NIL) {
      // The LRU head is recycled whatever it is, static-mapping sessions included (upstream 18.01
      // nat_session_alloc_or_recycle; vpp-facts §8.6), and the user's counters are not decremented
      // for it.
      const oldest = u.head;
      this.unhash(oldest);
      this.unlink(oldest);
      s = oldest;
    } else {
      s = this.sessions.get();
      if (s >= this.capacity) this.ensure(s);
    }
    this.blank(s, userIndex);
    if (below) {
      if (isStaticSession) u.nstaticsessions = (u.nstaticsessions + 1) >>> 0;
      else u.nsessions = (u.nsessions + 1) >>> 0;
    }
    this.touch(s);
    return s;
  }

  /** Per-user LRU maintenance on every translated packet: move to the tail. */
  touch(s: number): void {
    const r = this.rec;
    const o = s * R;
    const u = this.users[r[o + USER]];
    if (u.tail !== s) {
      this.unlink(s);
      r[o + LRU_PREV] = u.tail;
      r[o + LRU_NEXT] = NIL;
      if (u.tail !== NIL) r[u.tail * R + LRU_NEXT] = s;
      else u.head = s;
      u.tail = s;
    }
    r[o + TOTAL_PKTS]++;
  }

  setIn2out(s: number, addr: number, port: number, proto: number, fib: number): void {
    const r = this.rec;
    const o = s * R;
    r[o + I2O_ADDR] = addr;
    r[o + I2O_FIB] = fib;
    r[o + PORTS] = (r[o + PORTS] & 0xffff0000) | (port & 0xffff);
    r[o + PROTOS] = (r[o + PROTOS] & 0xff00) | (proto & 0xff);
  }

  setOut2in(s: number, addr: number, port: number, proto: number, fib: number): void {
    const r = this.rec;
    const o = s * R;
    r[o + O2I_ADDR] = addr;
    r[o + O2I_FIB] = fib;
    r[o + PORTS] = (r[o + PORTS] & 0xffff) | ((port & 0xffff) << 16);
    r[o + PROTOS] = (r[o + PROTOS] & 0xff) | ((proto & 0xff) << 8);
  }

  /** Register the 8-byte keys of a session. */
  hash(s: number): void {
    this.in2out.set(this.i2oAddr(s), w1(this.i2oPort(s), this.i2oProto(s)), this.i2oFib(s), 0, s);
    this.out2in.set(this.o2iAddr(s), w1(this.o2iPort(s), this.o2iProto(s)), this.o2iFib(s), 0, s);
    this.rec[s * R + STATE] |= IN_HASHES << 8;
  }

  /** An 8-byte hash entry not owned by a session (LB mappings' `~0`). */
  static setKey8(table: KeyTable, addr: number, port: number, proto: number, fib: number, value: number): void {
    table.set(addr | 0, w1(port, proto), fib | 0, 0, value);
  }

  /** 8-byte lookup: session index, LB_STATIC, or MISS. */
  static getKey8(table: KeyTable, addr: number, port: number, proto: number, fib: number): number {
    return table.get(addr | 0, w1(port, proto), fib | 0, 0);
  }

  /** Register the session under a 16-byte in2out_ed key. */
  hashEdIn2out(s: number, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.hashEd(this.in2outEd, 0, HAS_ED_IN2OUT, s, lAddr, rAddr, proto, fib, lPort, rPort);
  }

  hashEdOut2in(s: number, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.hashEd(this.out2inEd, 4, HAS_ED_OUT2IN, s, lAddr, rAddr, proto, fib, lPort, rPort);
  }

  /** 16-byte lookup: the session index, or MISS. */
  static getEd(table: SessionKeyIndex, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): number {
    return table.get(lAddr | 0, rAddr | 0, edW2(proto, fib), w1(lPort, rPort));
  }

  /** Queue the out2in_ed / in2out_ed slot of a key for flushPrefetch (RecordIndex.prefetch). */
  prefetchEdOut2in(lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.out2inEd.prefetch(lAddr | 0, rAddr | 0, edW2(proto, fib), w1(lPort, rPort));
  }

  prefetchEdIn2out(lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.in2outEd.prefetch(lAddr | 0, rAddr | 0, edW2(proto, fib), w1(lPort, rPort));
  }

  /** Remove a session and return its index to the pool (TCP close, `nat44 del session`). */
  delete(s: number): void {
    this.unhash(s);
    this.unlink(s);
    const u = this.users[this.user(s)];
    if (this.isStatic(s)) u.nstaticsessions = (u.nstaticsessions - 1) >>> 0;
    else u.nsessions = (u.nsessions - 1) >>> 0;
    this.sessions.put(s);
  }

  /** The sessions of a user from least to most recently used (tests, `show nat44 sessions`). */
  userSessions(userIndex: number): number[] {
    const out: number[] = [];
    for (let s = this.users[userIndex].head; s !== NIL; s = this.rec[s * R + LRU_NEXT] | 0) out.push(s);
    return out;
  }

  private hashEd(table: SessionKeyIndex, at: number, bit: number, s: number, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    const k = this.ed.records;
    const o = s * ED + at;
    k[o] = lAddr;
    k[o + 1] = rAddr;
    k[o + 2] = edW2(proto, fib);
    k[o + 3] = w1(lPort, rPort);
    table.set(k[o], k[o + 1], k[o + 2], k[o + 3], s);
    this.rec[s * R + STATE] |= bit << 8;
  }

  private unhash(s: number): void {
    const o = s * R;
    const h = this.rec[o + STATE] >>> 8;
    if (h & IN_HASHES) {
      this.in2out.delete(this.i2oAddr(s), w1(this.i2oPort(s), this.i2oProto(s)), this.i2oFib(s), 0);
      this.out2in.delete(this.o2iAddr(s), w1(this.o2iPort(s), this.o2iProto(s)), this.o2iFib(s), 0);
    }
    const k = this.ed.records;
    const e = s * ED;
    if (h & HAS_ED_IN2OUT) this.in2outEd.delete(k[e], k[e + 1], k[e + 2], k[e + 3]);
    if (h & HAS_ED_OUT2IN) this.out2inEd.delete(k[e + 4], k[e + 5], k[e + 6], k[e + 7]);
    this.rec[o + STATE] &= 0xff;
    const a = this.outsideAddressIndex(s);
    if (a >= 0) this.addresses.free(a, this.o2iProto(s) as NatProtoValue, this.o2iPort(s));
    // nat_free_session_data: "Twice NAT address and port for external host" - the twice-NAT pool
    // address equal to ext_host_nat_addr frees ext_host_nat_port (protocol s->in2out.protocol).
    if (this.rec[o + FLAGS] & SessionFlag.TWICE_NAT) {
      const i = this.twiceNatAddresses.addresses.findIndex((x) => x.addr === this.extHostNatAddr(s));
      if (i >= 0) this.twiceNatAddresses.free(i, this.i2oProto(s) as NatProtoValue, this.extHostNatPort(s));
    }
  }

  /** Take a session out of its user's LRU list. */
  private unlink(s: number): void {
    const r = this.rec;
    const o = s * R;
    const u = this.users[r[o + USER]];
    const prev = r[o + LRU_PREV] | 0;
    const next = r[o + LRU_NEXT] | 0;
    if (prev !== NIL) r[prev * R + LRU_NEXT] = next;
    else if (u.head === s) u.head = next;
    if (next !== NIL) r[next * R + LRU_PREV] = prev;
    else if (u.tail === s) u.tail = prev;
    r[o + LRU_PREV] = r[o + LRU_NEXT] = NIL;
  }

  /** A fresh session at index s (pool_get memsets the element): the whole hot record is written. */
  private blank(s: number, userIndex: number): void {
    const r = this.rec;
    const o = s * R;
    r[o + I2O_ADDR] = 0;
    r[o + O2I_ADDR] = 0;
    r[o + I2O_FIB] = 0;
    r[o + O2I_FIB] = 0;
    r[o + PORTS] = 0;
    r[o + PROTOS] = 0;
    r[o + EXT_ADDR] = 0;
    r[o + EXT_NAT_ADDR] = 0;
    r[o + EXT_PORTS] = 0;
    r[o + FLAGS] = 0;
    r[o + STATE] = 0;
    r[o + OUT_ADDR_INDEX] = -1;
    r[o + USER] = userIndex;
    r[o + TOTAL_PKTS] = 0;
    r[o + LRU_PREV] = NIL;
    r[o + LRU_NEXT] = NIL;
    // The ED keys are read only under their STATE bits, the FIN sequences only under their TCP
    // close bits: both are written before they can be read, so a fresh session leaves them.
  }

  /** Grow the arrays to hold index s (doubling, so a million sessions cost ~20 copies). */
  private ensure(s: number): void {
    let n = Math.max(16, this.capacity);
    while (n <= s) n *= 2;
    this.rec = grown(this.rec, n * R);
    this.ed.records = grown(this.ed.records, n * ED);
    this.finSeqs = grown(this.finSeqs, n * 2);
    this.capacity = n;
  }
}
