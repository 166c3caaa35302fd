// ACL plugin sessions (vpp-facts §9, §9.2): created by a permit+reflect match, keyed by the
// direction-normalised 5-tuple, held in a vppinfra pool (the `rule` a session hit prints is the pool
// index, reused LIFO). Each session tracks the TCP flags seen per direction, which decides its
// timeout class: 0 UDP idle (also non-TCP), 1 TCP established (SYN+ACK seen both ways), 2 TCP transient.

import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { VppPool } from '../nat44/vpp-pool.js';
import type { FiveTuple } from './five-tuple.js';

export interface AclSession {
  index: number;
  key: string;
  proto: number;
  swIfIndex: number;
  /** tcp_flags_seen.as_u8[is_input]: [0] output direction, [1] input direction. */
  tcpFlagsSeen: [number, number];
}

export const TimeoutClass = { UDP_IDLE: 0, TCP_IDLE: 1, TCP_TRANSIENT: 2 } as const;

const TCP_FLAGS_RSTFINACKSYN = 0x17;
const TCP_FLAGS_ACKSYN = 0x12;

/** fa_session_get_timeout_type. */
export function timeoutClass(s: AclSession): number {
  if (s.proto !== IpProtocol.TCP) return TimeoutClass.UDP_IDLE;
  const masked = (s.tcpFlagsSeen[0] & TCP_FLAGS_RSTFINACKSYN) | ((s.tcpFlagsSeen[1] & TCP_FLAGS_RSTFINACKSYN) << 8);
  return masked === ((TCP_FLAGS_ACKSYN << 8) | TCP_FLAGS_ACKSYN) ? TimeoutClass.TCP_IDLE : TimeoutClass.TCP_TRANSIENT;
}

export class AclSessionTable {
  readonly pool = new VppPool<AclSession>();
  private readonly byKey = new Map<string, number>();

  constructor(readonly maxSessions: number) {}

  prime(allocated: number, free: readonly number[] = []): void {
    this.pool.prime(allocated, { index: -1, key: '', proto: 0, swIfIndex: -1, tcpFlagsSeen: [0, 0] }, free);
  }

  find(key: string): AclSession | undefined {
    const i = this.byKey.get(key);
    return i === undefined ? undefined : this.pool.at(i);
  }

  canAdd(): boolean {
    return this.pool.size < this.maxSessions;
  }

  /** acl_fa_add_session; the creating packet's TCP flags count as seen in its direction. */
  add(key: string, t: FiveTuple, isInput: boolean): AclSession {
    const s = this.pool.get((index) => ({ index, key, proto: t.proto, swIfIndex: t.swIfIndex, tcpFlagsSeen: [0, 0] as [number, number] }));
    if (t.tcpFlagsValid) s.tcpFlagsSeen[isInput ? 1 : 0] = t.tcpFlags;
    this.byKey.set(key, s.index);
    return s;
  }

  /** acl_fa_track_session: OR the packet's TCP flags into its direction. */
  track(s: AclSession, t: FiveTuple, isInput: boolean): void {
    if (t.tcpFlagsValid) s.tcpFlagsSeen[isInput ? 1 : 0] |= t.tcpFlags;
  }

  /** Session deletion (idle timeout, interface ACL change): the index goes back to the pool. */
  delete(s: AclSession): void {
    this.byKey.delete(s.key);
    this.pool.put(s.index);
  }

  get size(): number {
    return this.pool.size;
  }
}
