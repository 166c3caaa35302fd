// Static mappings: plain (address or address+port), identity (local == external) and
// load-balanced (a VIP with weighted backends), and snat_static_mapping_match (vpp-facts §8.2,
// §8.5). Lookups by local use the mapping's FIB; lookups by external use the outside FIB. A miss on
// {addr, port, proto} retries address-only {addr, 0, 0}, so an address-only mapping keeps ports.

import { KeyTable, MISS } from './bihash.js';
import type { NatKey, NatProtoValue } from './keys.js';
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

/** Key words of a mapping's 8-byte key {address, port, protocol, FIB} in the by-local/by-external tables. */
function portProto(port: number, proto: number): number {
  return (port << 16) | proto;
}

export class StaticMappings {
  // The two lookup tables map the 8-byte key to the mapping's index in `all`. KeyTables rather than
  // Maps keyed by a packed number: every new flow looks its mapping up (twice on the LB path, with
  // the prefetch), and a lookup by numbers allocates nothing (a packed 53-bit key is a heap number).
  private readonly byLocal = new KeyTable();
  private readonly byExternal = new KeyTable();
  readonly all: StaticMapping[] = [];
  /** match()'s result, refilled per call: valid until the next match (callers use it at once). */
  private readonly result: MappingMatch = { mapping: undefined as unknown as StaticMapping, backend: -1, key: { addr: 0, port: 0, proto: 0, fib: 0 } };

  constructor(private readonly outsideFib: number) {}

  add(m: StaticMapping): void {
    const proto = m.addrOnly ? 0 : m.proto;
    const ePort = m.addrOnly ? 0 : m.externalPort;
    const index = this.all.push(m) - 1;
    this.lastExtAddr = NaN;
    this.byExternal.set(m.externalAddr >>> 0, portProto(ePort, proto), this.outsideFib >>> 0, 0, index);
    if (m.locals.length > 0) {
      m.prefixes = lbPrefixes(m.locals.map((l) => l.probability));
      m.locals.forEach((l, i) => (l.prefix = m.prefixes[i]));
      if (!m.out2inOnly) for (const l of m.locals) this.byLocal.set(l.addr >>> 0, portProto(l.port, proto), l.fib >>> 0, 0, index);
    } else if (!m.out2inOnly) {
      // snat_add_static_mapping (nat.c @ 0d305478): `if (!out2in_only) clib_bihash_add_del_8_8
      // (&sm->static_mapping_by_local, &kv, 1);` - an out2in-only mapping is never found by local.
      this.byLocal.set(m.localAddr >>> 0, portProto(m.addrOnly ? 0 : m.localPort, proto), m.fib >>> 0, 0, index);
    }
  }

  /** The mapping for an external (outside) endpoint, without side effects. */
  findByExternal(addr: number, port: number, proto: number): StaticMapping | undefined {
    // A new flow to a VIP looks it up twice (the prefetch, then the match): the last answer is
    // kept until the next lookup of another endpoint or the next add().
    if (addr === this.lastExtAddr && port === this.lastExtPort && proto === this.lastExtProto) return this.lastExt;
    const m = this.find(this.byExternal, addr, port, proto, this.outsideFib);
    this.lastExtAddr = addr;
    this.lastExtPort = port;
    this.lastExtProto = proto;
    this.lastExt = m;
    return m;
  }

  /** findByExternal's last key and answer (NaN address: none). */
  private lastExtAddr = NaN;
  private lastExtPort = 0;
  private lastExtProto = 0;
  private lastExt: StaticMapping | undefined = undefined;

  findByLocal(addr: number, port: number, proto: number, fib: number): StaticMapping | undefined {
    return this.find(this.byLocal, addr, port, proto, fib);
  }

  /** {addr, port, proto, fib}, else the address-only {addr, 0, 0, fib}. */
  private find(table: KeyTable, addr: number, port: number, proto: number, fib: number): StaticMapping | undefined {
    let i = table.get(addr | 0, portProto(port, proto), fib | 0, 0);
    if (i === MISS) i = table.get(addr | 0, 0, fib | 0, 0);
    return i === MISS ? undefined : this.all[i];
  }

  /**
   * snat_static_mapping_match. By external: the local endpoint (an LB mapping draws a backend from
   * the shared generator, even when the caller only wanted to know whether a mapping exists). By
   * local: the external endpoint in the outside FIB. Undefined on a miss or a failed LB pick.
   * The result object is reused by the next call.
   */
  match(key: NatKey, byExternal: boolean, random: NatRandom, wrongBackend = false): MappingMatch | undefined {
    return byExternal ? this.matchExternal(key.addr, key.port, key.proto, random, wrongBackend) : this.matchLocal(key.addr, key.port, key.proto, key.fib);
  }

  /** match by external, the key given as numbers (the per-packet callers: no key object). */
  matchExternal(addr: number, port: number, proto: NatProtoValue, random: NatRandom, wrongBackend = false): MappingMatch | undefined {
    const m = this.findByExternal(addr, port, proto);
    if (!m) return undefined;
    if (m.locals.length > 0) {
      let i = pickBackend(m.prefixes, random);
      // Fault injection (tests): take the next backend instead of VPP's choice.
      if (wrongBackend && i >= 0) i = (i + 1) % m.locals.length;
      if (i < 0) return undefined;
      const l = m.locals[i];
      return this.matched(m, i, l.addr, l.port, proto, l.fib);
    }
    return this.matched(m, -1, m.localAddr, m.addrOnly ? port : m.localPort, proto, m.fib);
  }

  /** match by local, the key given as numbers. */
  matchLocal(addr: number, port: number, proto: NatProtoValue, fib: number): MappingMatch | undefined {
    const m = this.findByLocal(addr, port, proto, fib);
    if (!m) return undefined;
    if (m.locals.length > 0) return this.matched(m, -1, m.externalAddr, m.externalPort, proto, this.outsideFib);
    return this.matched(m, -1, m.externalAddr, m.addrOnly ? port : m.externalPort, proto, this.outsideFib);
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
