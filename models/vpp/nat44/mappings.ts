// Static mappings: plain (address or address+port), identity (local == external) and
// load-balanced (a VIP with weighted backends), and snat_static_mapping_match (vpp-facts §8.2,
// §8.5). Lookups by local use the mapping's FIB; lookups by external use the outside FIB. A miss on
// {addr, port, proto} retries address-only {addr, 0, 0}, so an address-only mapping keeps ports.

import { k8, type Key8, type NatKey, type NatProtoValue } from './keys.js';
import { lbPrefixes, pickBackend } from './lb.js';
import type { NatRandom } from './random.js';

export interface LbLocal {
  addr: number;
  port: number;
  probability: number;
  /** Running u8 sum of probabilities up to this backend. */
  prefix: number;
  fib: number;
}

export interface StaticMapping {
  localAddr: number;
  localPort: number;
  externalAddr: number;
  externalPort: number;
  /** 0 for address-only mappings. */
  proto: NatProtoValue | 0;
  addrOnly: boolean;
  /** FIB of the local side. */
  fib: number;
  twiceNat: boolean;
  selfTwiceNat: boolean;
  out2inOnly: boolean;
  /** Non-empty for a load-balanced mapping. */
  locals: LbLocal[];
  /** locals[i].prefix, kept as one array for the pick. */
  prefixes: number[];
}

/** What a match yields: the translated endpoint, and the mapping it came from. */
export interface MappingMatch {
  key: NatKey;
  mapping: StaticMapping;
  /** Index into mapping.locals of the chosen backend (LB by external), else -1. */
  backend: number;
}

export class StaticMappings {
  private readonly byLocal = new Map<Key8, StaticMapping>();
  private readonly byExternal = new Map<Key8, StaticMapping>();
  readonly all: StaticMapping[] = [];
  /** match()'s result, refilled per call: valid until the next match (callers use it at once). */
  private readonly result: MappingMatch = { mapping: undefined as unknown as StaticMapping, backend: -1, key: { addr: 0, port: 0, proto: 0, fib: 0 } };

  constructor(private readonly outsideFib: number) {}

  add(m: StaticMapping): void {
    const proto = m.addrOnly ? 0 : m.proto;
    const ePort = m.addrOnly ? 0 : m.externalPort;
    this.byExternal.set(k8(m.externalAddr, ePort, proto, this.outsideFib), m);
    if (m.locals.length > 0) {
      m.prefixes = lbPrefixes(m.locals.map((l) => l.probability));
      m.locals.forEach((l, i) => (l.prefix = m.prefixes[i]));
      if (!m.out2inOnly) for (const l of m.locals) this.byLocal.set(k8(l.addr, l.port, proto, l.fib), m);
    } else {
      this.byLocal.set(k8(m.localAddr, m.addrOnly ? 0 : m.localPort, proto, m.fib), m);
    }
    this.all.push(m);
  }

  /** The mapping for an external (outside) endpoint, without side effects. */
  findByExternal(addr: number, port: number, proto: number): StaticMapping | undefined {
    return this.byExternal.get(k8(addr, port, proto, this.outsideFib)) ?? this.byExternal.get(k8(addr, 0, 0, this.outsideFib));
  }

  findByLocal(addr: number, port: number, proto: number, fib: number): StaticMapping | undefined {
    return this.byLocal.get(k8(addr, port, proto, fib)) ?? this.byLocal.get(k8(addr, 0, 0, fib));
  }

  /**
   * snat_static_mapping_match. By external: the local endpoint (an LB mapping draws a backend from
   * the shared generator, even when the caller only wanted to know whether a mapping exists). By
   * local: the external endpoint in the outside FIB. Undefined on a miss or a failed LB pick.
   * The result object is reused by the next call.
   */
  match(key: NatKey, byExternal: boolean, random: NatRandom, wrongBackend = false): MappingMatch | undefined {
    if (byExternal) {
      const m = this.findByExternal(key.addr, key.port, key.proto);
      if (!m) return undefined;
      if (m.locals.length > 0) {
        let i = pickBackend(m.prefixes, random);
        // Fault injection (tests): take the next backend instead of VPP's choice.
        if (wrongBackend && i >= 0) i = (i + 1) % m.locals.length;
        if (i < 0) return undefined;
        const l = m.locals[i];
        return this.matched(m, i, l.addr, l.port, key.proto, l.fib);
      }
      return this.matched(m, -1, m.localAddr, m.addrOnly ? key.port : m.localPort, key.proto, m.fib);
    }
    const m = this.findByLocal(key.addr, key.port, key.proto, key.fib);
    if (!m) return undefined;
    if (m.locals.length > 0) return this.matched(m, -1, m.externalAddr, m.externalPort, key.proto, this.outsideFib);
    return this.matched(m, -1, m.externalAddr, m.addrOnly ? key.port : m.externalPort, key.proto, this.outsideFib);
  }

  private matched(mapping: StaticMapping, backend: number, addr: number, port: number, proto: NatProtoValue, fib: number): MappingMatch {
    const r = this.result;
    r.mapping = mapping;
    r.backend = backend;
    r.key.addr = addr;
    r.key.port = port;
    r.key.proto = proto;
    r.key.fib = fib;
    return r;
  }
}
