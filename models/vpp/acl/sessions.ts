// ACL plugin sessions (vpp-facts §9, §9.2): created by a permit+reflect match, keyed by the
// direction-normalised 5-tuple, held in a vppinfra pool (the `rule` a session hit prints is the pool
// index, reused LIFO). Each session tracks the TCP flags seen per direction, which decides its
// timeout class: 0 UDP idle (also non-TCP), 1 TCP established (SYN+ACK seen both ways), 2 TCP transient.
//
// Stored struct-of-arrays: a session is a pool index into typed-array columns, and the key table is
// a KeyTable of the packed 5-tuple (five-tuple.ts sessionKey), so a million sessions are no objects.

import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { KeyTable, MISS } from '../nat44/bihash.js';
import { grown, IndexPool } from '../nat44/vpp-pool.js';
import type { AclSessionKey, FiveTuple } from './five-tuple.js';

export { MISS };

export const TimeoutClass = { UDP_IDLE: 0, TCP_IDLE: 1, TCP_TRANSIENT: 2 } as const;

const TCP_FLAGS_RSTFINACKSYN = 0x17;
const TCP_FLAGS_ACKSYN = 0x12;

export class AclSessionTable {
  readonly pool = new IndexPool();
  private readonly byKey = new KeyTable();
  private proto = new Uint8Array(0);
  private swIfIndex = new Uint32Array(0);
  /** tcp_flags_seen.as_u8[is_input]: [2s] output direction, [2s+1] input direction. */
  private tcpFlagsSeen = new Uint8Array(0);
  /** The key each session is stored under (four words), for deletion. */
  private keys = new Uint32Array(0);
  /**
   * Live sessions per key interface (the key's lsb16, the sw_if_index the session was made on; VPP
   * counts session adds/dels per sw_if_index too). A key whose interface has none cannot be in the
   * table, so its lookup is answered without a read of the million-key hash: the output-direction
   * lookup of every forward packet on an interface where no session was made.
   */
  private readonly perInterface = new Uint32Array(0x10000);

  constructor(readonly maxSessions: number) {}

  /** The session stored under the key, or MISS. */
  find(k: AclSessionKey): number {
    if (this.perInterface[k[3] & 0xffff] === 0) return MISS;
    return this.byKey.get(k[0], k[1], k[2], k[3]);
  }

  /** Queue the slot the key will be looked up in for flushPrefetch (KeyTable.prefetch). */
  prefetch(a: number, b: number, c: number, d: number): void {
    this.byKey.prefetch(a, b, c, d);
  }

  flushPrefetch(): number {
    return this.byKey.flushPrefetch();
  }

  canAdd(): boolean {
    return this.pool.size < this.maxSessions;
  }

  /** acl_fa_add_session; the creating packet's TCP flags count as seen in its direction. Returns the pool index. */
  add(k: AclSessionKey, t: FiveTuple, isInput: boolean): number {
    const s = this.pool.get();
    if (s >= this.proto.length) {
      this.proto = grown(this.proto, s + 1);
      const n = this.proto.length;
      this.swIfIndex = grown(this.swIfIndex, n);
      this.tcpFlagsSeen = grown(this.tcpFlagsSeen, n * 2);
      this.keys = grown(this.keys, n * 4);
    }
    this.proto[s] = t.proto;
    this.swIfIndex[s] = t.swIfIndex;
    this.tcpFlagsSeen[2 * s] = this.tcpFlagsSeen[2 * s + 1] = 0;
    if (t.tcpFlagsValid) this.tcpFlagsSeen[2 * s + (isInput ? 1 : 0)] = t.tcpFlags;
    this.keys.set(k, 4 * s);
    this.byKey.set(k[0], k[1], k[2], k[3], s);
    this.perInterface[k[3] & 0xffff]++;
    return s;
  }

  /** acl_fa_track_session: OR the packet's TCP flags into its direction. */
  track(s: number, t: FiveTuple, isInput: boolean): void {
    if (t.tcpFlagsValid) this.tcpFlagsSeen[2 * s + (isInput ? 1 : 0)] |= t.tcpFlags;
  }

  /** fa_session_get_timeout_type. */
  timeoutClass(s: number): number {
    if (this.proto[s] !== IpProtocol.TCP) return TimeoutClass.UDP_IDLE;
    const masked = (this.tcpFlagsSeen[2 * s] & TCP_FLAGS_RSTFINACKSYN) | ((this.tcpFlagsSeen[2 * s + 1] & TCP_FLAGS_RSTFINACKSYN) << 8);
    return masked === ((TCP_FLAGS_ACKSYN << 8) | TCP_FLAGS_ACKSYN) ? TimeoutClass.TCP_IDLE : TimeoutClass.TCP_TRANSIENT;
  }

  /** Session deletion (idle timeout, interface ACL change): the index goes back to the pool. */
  delete(s: number): void {
    const o = 4 * s;
    this.byKey.delete(this.keys[o], this.keys[o + 1], this.keys[o + 2], this.keys[o + 3]);
    this.perInterface[this.keys[o + 3] & 0xffff]--;
    this.pool.put(s);
  }

  get size(): number {
    return this.pool.size;
  }
}
