// NAT44 sessions, users and the translation hashes of one VPP thread (vpp-facts §8.2, §8.6):
//   - sessions live in a vppinfra pool, so the index a trace prints is the pool index, reused LIFO;
//   - every session belongs to a user {address, FIB} with an LRU list; at max_translations_per_user
//     the user's oldest dynamic session is recycled and keeps its index;
//   - forwarding-bypass and static-mapping sessions take pool indices like dynamic ones (§8.3).
//
// Stored as VPP stores them, not as one object per session: the pool hands out indices and every
// session field is a column (typed array) indexed by it; the per-user LRU is a doubly linked list
// through two index columns (VPP's dlist); the 8-byte and 16-byte hashes are KeyTables of packed
// u32 words. A million live sessions are a few dozen typed arrays, not millions of objects for the
// garbage collector to trace.

import { KeyTable, MISS } from './bihash.js';
import { grown, IndexPool } from './vpp-pool.js';
import type { AddressPool } from './addresses.js';
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

/** Value an 8-byte hash holds for an LB mapping's VIP/backend keys: "use the ED path". */
export const LB_STATIC = 0xffffffff;

/** No session / no list neighbour. */
const NIL = -1;

/** Which hashes a session registered (so deletion removes exactly those). */
const IN_HASHES = 1;
const HAS_ED_IN2OUT = 2;
const HAS_ED_OUT2IN = 4;

export interface NatUser {
  addr: number;
  fib: number;
  nsessions: number;
  nstaticsessions: number;
  /** LRU list ends: head = least recently used session index, tail = most recent (NIL when empty). */
  head: number;
  tail: number;
}

/** 8-byte key words (snat_session_key_t): address, port << 16 | protocol, FIB. */
function w1(port: number, proto: number): number {
  return ((port << 16) | proto) >>> 0;
}

/** 16-byte ED key words (nat_ed_ses_key_t): l_addr, r_addr, proto << 24 | fib (24 bits), l_port << 16 | r_port. */
function edW2(proto: number, fib: number): number {
  return ((proto << 24) | (fib & 0xffffff)) >>> 0;
}

export class NatThreadState {
  /** Pool indices of the sessions (size = live sessions). */
  readonly sessions = new IndexPool();
  readonly users: NatUser[] = [];
  private readonly userIndex = new KeyTable();
  /** 8-byte hashes: key -> session index, or LB_STATIC (~0) for an LB mapping's entries. */
  readonly in2out = new KeyTable();
  readonly out2in = new KeyTable();
  /** 16-byte endpoint-dependent hashes (global in VPP; one thread here). */
  readonly in2outEd = new KeyTable();
  readonly out2inEd = new KeyTable();

  // ---- session columns, indexed by pool index ----
  i2oAddr = new Uint32Array(0);
  i2oPort = new Uint16Array(0);
  i2oProto = new Uint8Array(0);
  i2oFib = new Uint32Array(0);
  o2iAddr = new Uint32Array(0);
  o2iPort = new Uint16Array(0);
  o2iProto = new Uint8Array(0);
  o2iFib = new Uint32Array(0);
  flags = new Uint8Array(0);
  extHostAddr = new Uint32Array(0);
  extHostPort = new Uint16Array(0);
  /** Twice-NAT: the address/port the remote side is rewritten to. */
  extHostNatAddr = new Uint32Array(0);
  extHostNatPort = new Uint16Array(0);
  /** Index of the pool address a dynamic session took its port from; -1 for static sessions. */
  outsideAddressIndex = new Int32Array(0);
  user = new Int32Array(0);
  totalPkts = new Uint32Array(0);
  /** TCP close tracking (fork, §8.5): bits 1 FIN in2out, 2 FIN out2in, 4 ACK of in2out FIN, 8 ACK of out2in FIN. */
  tcpState = new Uint8Array(0);
  i2oFinSeq = new Uint32Array(0);
  o2iFinSeq = new Uint32Array(0);
  private hashed = new Uint8Array(0);
  /** The ED keys a session registered, four words each. */
  private edIn2outKey = new Uint32Array(0);
  private edOut2inKey = new Uint32Array(0);
  private lruPrev = new Int32Array(0);
  private lruNext = new Int32Array(0);

  constructor(
    private readonly maxTranslationsPerUser: number,
    private readonly maxTranslations: number,
    private readonly addresses: AddressPool,
  ) {}

  maximumSessionsExceeded(): boolean {
    return this.sessions.size >= this.maxTranslations;
  }

  /** nat_user_get_or_create: the user's index. */
  userOf(addr: number, fib: number): number {
    const hit = this.userIndex.get(addr >>> 0, fib >>> 0);
    if (hit !== MISS) return hit;
    const u = this.users.push({ addr, fib, nsessions: 0, nstaticsessions: 0, head: NIL, tail: NIL }) - 1;
    this.userIndex.set(addr >>> 0, fib >>> 0, 0, 0, u);
    return u;
  }

  isStatic(s: number): boolean {
    return (this.flags[s] & SessionFlag.STATIC_MAPPING) !== 0;
  }

  isLive(s: number): boolean {
    return this.sessions.isLive(s);
  }

  /**
   * nat_session_alloc_or_recycle + user_session_increment: at the per-user limit the least recently
   * used dynamic session is emptied and reused in place (same index); otherwise a pool index.
   */
  allocate(userIndex: number, isStaticSession: boolean): number {
    const u = this.users[userIndex];
    let s: number;
    if (u.nsessions + u.nstaticsessions >= this.maxTranslationsPerUser) {
      let oldest = u.head;
      while (oldest !== NIL && this.isStatic(oldest)) oldest = this.lruNext[oldest];
      if (oldest === NIL) throw new Error('NAT user at its session limit with only static sessions');
      this.unhash(oldest);
      this.unlink(oldest);
      u.nsessions--;
      s = oldest;
    } else {
      s = this.sessions.get();
      this.ensure(s);
    }
    this.blank(s, userIndex);
    if (isStaticSession) u.nstaticsessions++;
    else u.nsessions++;
    this.touch(s);
    return s;
  }

  /** Per-user LRU maintenance on every translated packet: move to the tail. */
  touch(s: number): void {
    const u = this.users[this.user[s]];
    if (u.tail !== s) {
      this.unlink(s);
      this.lruPrev[s] = u.tail;
      this.lruNext[s] = NIL;
      if (u.tail !== NIL) this.lruNext[u.tail] = s;
      else u.head = s;
      u.tail = s;
    }
    this.totalPkts[s]++;
  }

  setIn2out(s: number, addr: number, port: number, proto: number, fib: number): void {
    this.i2oAddr[s] = addr;
    this.i2oPort[s] = port;
    this.i2oProto[s] = proto;
    this.i2oFib[s] = fib;
  }

  setOut2in(s: number, addr: number, port: number, proto: number, fib: number): void {
    this.o2iAddr[s] = addr;
    this.o2iPort[s] = port;
    this.o2iProto[s] = proto;
    this.o2iFib[s] = fib;
  }

  /** Register the 8-byte keys of a session. */
  hash(s: number): void {
    this.in2out.set(this.i2oAddr[s], w1(this.i2oPort[s], this.i2oProto[s]), this.i2oFib[s], 0, s);
    this.out2in.set(this.o2iAddr[s], w1(this.o2iPort[s], this.o2iProto[s]), this.o2iFib[s], 0, s);
    this.hashed[s] |= IN_HASHES;
  }

  /** An 8-byte hash entry not owned by a session (LB mappings' `~0`). */
  static setKey8(table: KeyTable, addr: number, port: number, proto: number, fib: number, value: number): void {
    table.set(addr >>> 0, w1(port, proto), fib >>> 0, 0, value);
  }

  /** 8-byte lookup: session index, LB_STATIC, or MISS. */
  static getKey8(table: KeyTable, addr: number, port: number, proto: number, fib: number): number {
    return table.get(addr >>> 0, w1(port, proto), fib >>> 0, 0);
  }

  /** Register the session under a 16-byte in2out_ed key. */
  hashEdIn2out(s: number, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.hashEd(this.in2outEd, this.edIn2outKey, HAS_ED_IN2OUT, s, lAddr, rAddr, proto, fib, lPort, rPort);
  }

  hashEdOut2in(s: number, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.hashEd(this.out2inEd, this.edOut2inKey, HAS_ED_OUT2IN, s, lAddr, rAddr, proto, fib, lPort, rPort);
  }

  /** 16-byte lookup: the session index, or MISS. */
  static getEd(table: KeyTable, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): number {
    return table.get(lAddr >>> 0, rAddr >>> 0, edW2(proto, fib), w1(lPort, rPort));
  }

  /** Queue the out2in_ed / in2out_ed slot of a key for flushPrefetch (KeyTable.prefetch). */
  prefetchEdOut2in(lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.out2inEd.prefetch(lAddr >>> 0, rAddr >>> 0, edW2(proto, fib), w1(lPort, rPort));
  }

  prefetchEdIn2out(lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    this.in2outEd.prefetch(lAddr >>> 0, rAddr >>> 0, edW2(proto, fib), w1(lPort, rPort));
  }

  /** Read the queued slots of both ED tables. */
  flushPrefetch(): number {
    return this.out2inEd.flushPrefetch() ^ this.in2outEd.flushPrefetch();
  }

  /** Remove a session and return its index to the pool (TCP close, `nat44 del session`). */
  delete(s: number): void {
    this.unhash(s);
    this.unlink(s);
    const u = this.users[this.user[s]];
    if (this.isStatic(s)) u.nstaticsessions--;
    else u.nsessions--;
    this.sessions.put(s);
  }

  /** The sessions of a user from least to most recently used (tests, `show nat44 sessions`). */
  userSessions(userIndex: number): number[] {
    const out: number[] = [];
    for (let s = this.users[userIndex].head; s !== NIL; s = this.lruNext[s]) out.push(s);
    return out;
  }

  private hashEd(table: KeyTable, keys: Uint32Array, bit: number, s: number, lAddr: number, rAddr: number, proto: number, fib: number, lPort: number, rPort: number): void {
    const o = s * 4;
    keys[o] = lAddr >>> 0;
    keys[o + 1] = rAddr >>> 0;
    keys[o + 2] = edW2(proto, fib);
    keys[o + 3] = w1(lPort, rPort);
    table.set(keys[o], keys[o + 1], keys[o + 2], keys[o + 3], s);
    this.hashed[s] |= bit;
  }

  private unhash(s: number): void {
    const h = this.hashed[s];
    if (h & IN_HASHES) {
      this.in2out.delete(this.i2oAddr[s], w1(this.i2oPort[s], this.i2oProto[s]), this.i2oFib[s], 0);
      this.out2in.delete(this.o2iAddr[s], w1(this.o2iPort[s], this.o2iProto[s]), this.o2iFib[s], 0);
    }
    const o = s * 4;
    if (h & HAS_ED_IN2OUT) this.in2outEd.delete(this.edIn2outKey[o], this.edIn2outKey[o + 1], this.edIn2outKey[o + 2], this.edIn2outKey[o + 3]);
    if (h & HAS_ED_OUT2IN) this.out2inEd.delete(this.edOut2inKey[o], this.edOut2inKey[o + 1], this.edOut2inKey[o + 2], this.edOut2inKey[o + 3]);
    this.hashed[s] = 0;
    const a = this.outsideAddressIndex[s];
    if (a >= 0) this.addresses.free(a, this.o2iProto[s] as NatProtoValue, this.o2iPort[s]);
  }

  /** Take a session out of its user's LRU list. */
  private unlink(s: number): void {
    const u = this.users[this.user[s]];
    const prev = this.lruPrev[s];
    const next = this.lruNext[s];
    if (prev !== NIL) this.lruNext[prev] = next;
    else if (u.head === s) u.head = next;
    if (next !== NIL) this.lruPrev[next] = prev;
    else if (u.tail === s) u.tail = prev;
    this.lruPrev[s] = this.lruNext[s] = NIL;
  }

  /** A fresh session at index s (pool_get memsets the element). */
  private blank(s: number, userIndex: number): void {
    this.setIn2out(s, 0, 0, 0, 0);
    this.setOut2in(s, 0, 0, 0, 0);
    this.flags[s] = 0;
    this.extHostAddr[s] = this.extHostPort[s] = 0;
    this.extHostNatAddr[s] = this.extHostNatPort[s] = 0;
    this.outsideAddressIndex[s] = -1;
    this.user[s] = userIndex;
    this.totalPkts[s] = 0;
    this.tcpState[s] = 0;
    this.i2oFinSeq[s] = this.o2iFinSeq[s] = 0;
    this.hashed[s] = 0;
    this.lruPrev[s] = this.lruNext[s] = NIL;
  }

  /** Grow every column to hold index s (doubling, so a million sessions cost ~20 copies). */
  private ensure(s: number): void {
    if (s < this.flags.length) return;
    this.flags = grown(this.flags, s + 1);
    // Every column gets the same capacity as flags, whose length is the test above.
    const n = this.flags.length;
    this.i2oAddr = grown(this.i2oAddr, n);
    this.i2oPort = grown(this.i2oPort, n);
    this.i2oProto = grown(this.i2oProto, n);
    this.i2oFib = grown(this.i2oFib, n);
    this.o2iAddr = grown(this.o2iAddr, n);
    this.o2iPort = grown(this.o2iPort, n);
    this.o2iProto = grown(this.o2iProto, n);
    this.o2iFib = grown(this.o2iFib, n);
    this.extHostAddr = grown(this.extHostAddr, n);
    this.extHostPort = grown(this.extHostPort, n);
    this.extHostNatAddr = grown(this.extHostNatAddr, n);
    this.extHostNatPort = grown(this.extHostNatPort, n);
    this.outsideAddressIndex = grown(this.outsideAddressIndex, n);
    this.user = grown(this.user, n);
    this.totalPkts = grown(this.totalPkts, n);
    this.tcpState = grown(this.tcpState, n);
    this.i2oFinSeq = grown(this.i2oFinSeq, n);
    this.o2iFinSeq = grown(this.o2iFinSeq, n);
    this.hashed = grown(this.hashed, n);
    this.edIn2outKey = grown(this.edIn2outKey, n * 4);
    this.edOut2inKey = grown(this.edOut2inKey, n * 4);
    this.lruPrev = grown(this.lruPrev, n);
    this.lruNext = grown(this.lruNext, n);
  }
}
