// NAT44 sessions, users and the translation hashes of one VPP thread (vpp-facts §8.2, §8.6):
//   - sessions live in a vppinfra pool, so the index a trace prints is the pool index, reused LIFO;
//   - every session belongs to a user {address, FIB} with an LRU list; at max_translations_per_user
//     the user's oldest dynamic session is recycled and keeps its index;
//   - forwarding-bypass and static-mapping sessions take pool indices like dynamic ones.

import { keyOf, type Key8, type NatKey } from './keys.js';
import { VppPool } from './vpp-pool.js';
import type { AddressPool } from './addresses.js';

export const SessionFlag = {
  STATIC_MAPPING: 1,
  UNKNOWN_PROTO: 2,
  LOAD_BALANCING: 4,
  TWICE_NAT: 8,
  ENDPOINT_DEPENDENT: 16,
  FWD_BYPASS: 32,
} as const;

export interface NatSession {
  index: number;
  in2out: NatKey;
  out2in: NatKey;
  flags: number;
  extHostAddr: number;
  extHostPort: number;
  /** Twice-NAT: the address/port the remote side is rewritten to. */
  extHostNatAddr: number;
  extHostNatPort: number;
  /** Index of the pool address a dynamic session took its port from; -1 for static sessions. */
  outsideAddressIndex: number;
  user: NatUser;
  /** ED keys this session registered (so deletion removes them). */
  edIn2out: string | undefined;
  edOut2in: string | undefined;
  /** Whether the 8-byte in2out/out2in hashes hold this session. */
  inHashes: boolean;
  totalPkts: number;
  /** TCP close tracking (fork, §8.5): bits 1 FIN in2out, 2 FIN out2in, 4 ACK of in2out FIN, 8 ACK of out2in FIN. */
  state: number;
  i2oFinSeq: number;
  o2iFinSeq: number;
}

export interface NatUser {
  addr: number;
  fib: number;
  nsessions: number;
  nstaticsessions: number;
  /** LRU order: first = least recently used (a Set keeps insertion order). */
  lru: Set<NatSession>;
}

export function isStatic(s: NatSession): boolean {
  return (s.flags & SessionFlag.STATIC_MAPPING) !== 0;
}

export class NatThreadState {
  readonly sessions = new VppPool<NatSession>();
  readonly users = new Map<string, NatUser>();
  /** 8-byte hashes: key -> session index, or LB_STATIC (~0) for an LB mapping's entries. */
  readonly in2out = new Map<Key8, number>();
  readonly out2in = new Map<Key8, number>();
  /** 16-byte endpoint-dependent hashes (global in VPP; one thread here). */
  readonly in2outEd = new Map<string, number>();
  readonly out2inEd = new Map<string, number>();

  constructor(
    private readonly maxTranslationsPerUser: number,
    private readonly maxTranslations: number,
    private readonly addresses: AddressPool,
  ) {}

  maximumSessionsExceeded(): boolean {
    return this.sessions.size >= this.maxTranslations;
  }

  /** nat_user_get_or_create. */
  user(addr: number, fib: number): NatUser {
    const k = `${addr >>> 0}:${fib}`;
    let u = this.users.get(k);
    if (!u) {
      u = { addr, fib, nsessions: 0, nstaticsessions: 0, lru: new Set() };
      this.users.set(k, u);
    }
    return u;
  }

  /**
   * nat_session_alloc_or_recycle + user_session_increment: at the per-user limit the least recently
   * used dynamic session is emptied and reused in place (same index); otherwise a pool index.
   */
  allocate(u: NatUser, isStaticSession: boolean): NatSession {
    let s: NatSession;
    if (u.nsessions + u.nstaticsessions >= this.maxTranslationsPerUser) {
      let oldest: NatSession | undefined;
      for (const x of u.lru) {
        if (!isStatic(x)) {
          oldest = x;
          break;
        }
      }
      if (!oldest) throw new Error('NAT user at its session limit with only static sessions');
      this.unhash(oldest);
      u.nsessions--;
      s = Object.assign(oldest, this.blank(oldest.index, u));
    } else {
      s = this.sessions.get((index) => this.blank(index, u));
    }
    if (isStaticSession) u.nstaticsessions++;
    else u.nsessions++;
    this.touch(s);
    return s;
  }

  /** Per-user LRU maintenance on every translated packet: move to the tail. */
  touch(s: NatSession): void {
    s.user.lru.delete(s);
    s.user.lru.add(s);
    s.totalPkts++;
  }

  /** Register the 8-byte keys of a session. */
  hash(s: NatSession): void {
    this.in2out.set(keyOf(s.in2out), s.index);
    this.out2in.set(keyOf(s.out2in), s.index);
    s.inHashes = true;
  }

  /** Remove a session and return its index to the pool (TCP close, `nat44 del session`). */
  delete(s: NatSession): void {
    this.unhash(s);
    s.user.lru.delete(s);
    if (isStatic(s)) s.user.nstaticsessions--;
    else s.user.nsessions--;
    this.sessions.put(s.index);
  }

  at(index: number): NatSession | undefined {
    const s = this.sessions.at(index);
    return s && s.index >= 0 ? s : undefined;
  }

  private unhash(s: NatSession): void {
    if (s.inHashes) {
      this.in2out.delete(keyOf(s.in2out));
      this.out2in.delete(keyOf(s.out2in));
      s.inHashes = false;
    }
    if (s.edIn2out) this.in2outEd.delete(s.edIn2out);
    if (s.edOut2in) this.out2inEd.delete(s.edOut2in);
    s.edIn2out = s.edOut2in = undefined;
    if (s.outsideAddressIndex >= 0) this.addresses.free(s.outsideAddressIndex, s.out2in.proto, s.out2in.port);
  }

  private blank(index: number, user: NatUser): NatSession {
    const k: NatKey = { addr: 0, port: 0, proto: 0, fib: 0 };
    return {
      index,
      in2out: k,
      out2in: { ...k },
      flags: 0,
      extHostAddr: 0,
      extHostPort: 0,
      extHostNatAddr: 0,
      extHostNatPort: 0,
      outsideAddressIndex: -1,
      user,
      edIn2out: undefined,
      edOut2in: undefined,
      inHashes: false,
      totalPkts: 0,
      state: 0,
      i2oFinSeq: 0,
      o2iFinSeq: 0,
    };
  }
}

/** Value an 8-byte hash holds for an LB mapping's VIP/backend keys: "use the ED path". */
export const LB_STATIC = 0xffffffff;

