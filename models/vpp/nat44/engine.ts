// The NAT44 decisions of one VPP instance (vpp-facts §8.3-§8.5, §8.9): what nat44-out2in,
// nat44-in2out[-output] fast and slow paths do to a packet, returning the next *slot* of the §8.1
// tables and the session index the record prints. Node files (nodes.ts) only wrap this with
// records. State: mappings, the address pool, thread 0's sessions, and the shared LCG.

import { u16, u32 } from '../../../harness/wire/bytes.js';
import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { BufferFlag, NONE, type VlibBuffer } from '../buffer.js';
import { Fault, type Vm } from '../graph.js';
import { AddressPool } from './addresses.js';
import { icmpKey, icmpTranslate, isIcmpError, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, type Direction } from './icmp.js';
import { ed, k8, keyOf, NAT_PROTO_UNKNOWN, NatProto, natProtoOf, type NatKey, type NatProtoValue } from './keys.js';
import { StaticMappings, type MappingMatch } from './mappings.js';
import { NatRandom } from './random.js';
import { ip4HeaderLength, natRewrite, natRewriteAddress, type RewriteOptions } from './rewrite.js';
import { LB_STATIC, NatThreadState, SessionFlag, type NatSession } from './sessions.js';

/** Next slots, vpp-facts §8.1. */
export const O2I = { DROP: 0, LOOKUP: 1, ICMP_ERROR: 2, REASS: 3, IN2OUT: 4 } as const;
export const I2O = { LOOKUP: 0, DROP: 1, ICMP_ERROR: 2, SLOW_PATH: 3, REASS: 4 } as const;

/** Error strings (upstream v18.01 nat plugin). */
export const NatError = {
  UNSUPPORTED_PROTOCOL: 'Unsupported protocol',
  OUT_OF_PORTS: 'Out of ports',
  BAD_ICMP_TYPE: 'unsupported ICMP type',
  NO_TRANSLATION: 'No translation',
  MAX_SESSIONS_EXCEEDED: 'Maximum sessions exceeded',
  DROP_FRAGMENT: 'Drop fragment',
  BAD_CHECKSUM: 'Bad ICMP checksum',
} as const;

export interface NatOutcome {
  /** Next slot in the node's table. */
  next: number;
  /** Session pool index, -1 when none. */
  session: number;
  /** Error string for error-drop when next is the drop slot. */
  error?: string;
}

/** TCP close tracking bits (fork backport of 18.04 close detection). */
const SES_I2O_FIN = 1;
const SES_O2I_FIN = 2;
const SES_I2O_FIN_ACK = 4;
const SES_O2I_FIN_ACK = 8;
const TCP_FIN = 0x01;
const TCP_ACK = 0x10;

export interface Nat44Interfaces {
  inside: Set<number>;
  outside: Set<number>;
  outputFeature: Set<number>;
}

export class Nat44 {
  readonly mappings: StaticMappings;
  readonly addresses = new AddressPool();
  readonly thread: NatThreadState;
  readonly random = new NatRandom(0);

  constructor(
    readonly insideFib: number,
    readonly outsideFib: number,
    readonly forwarding: boolean,
    readonly itfs: Nat44Interfaces,
    maxTranslationsPerUser: number,
    maxTranslations: number,
  ) {
    this.mappings = new StaticMappings(outsideFib);
    this.thread = new NatThreadState(maxTranslationsPerUser, maxTranslations, this.addresses);
  }

  /** After all mappings are added: the 8-byte `~0` entries that steer LB mappings to the ED path. */
  installLbEntries(): void {
    for (const m of this.mappings.all) {
      if (m.locals.length === 0) continue;
      this.thread.out2in.set(k8(m.externalAddr, m.externalPort, m.proto, this.outsideFib), LB_STATIC);
      if (!m.out2inOnly) for (const l of m.locals) this.thread.in2out.set(k8(l.addr, l.port, m.proto, l.fib), LB_STATIC);
    }
  }

  // ------------------------------------------------------------------ out2in
  out2in(vm: Vm, b: VlibBuffer): NatOutcome {
    const p = b.bytes;
    const ip = b.start;
    const rxFib = rxFibIndex(vm, b);
    const ipProto = p[ip + 9];
    const proto = natProtoOf(ipProto);
    if (proto === NAT_PROTO_UNKNOWN) return this.out2inUnknownProto(vm, b, ip);
    if (p[ip + 8] === 1) return ttlExpired(b, O2I.ICMP_ERROR);
    if (proto === NatProto.ICMP) return this.icmpOut2in(vm, b, ip, rxFib);
    if (isFragment(p, ip)) return { next: O2I.REASS, session: -1 };
    const l4 = ip + ip4HeaderLength(p, ip);
    const key: NatKey = { addr: u32(p, ip + 16), port: u16(p, l4 + 2), proto, fib: rxFib };
    const hit = this.thread.out2in.get(keyOf(key));
    let s: NatSession | undefined;
    if (hit === undefined) {
      const m = this.mappings.match(key, true, this.random, vm.faults.has(Fault.NAT_BACKEND_CHOICE));
      if (!m) {
        if (!this.forwarding) {
          if (proto === NatProto.UDP && key.port === 68) return { next: O2I.LOOKUP, session: -1 };
          return { next: O2I.DROP, session: -1, error: NatError.NO_TRANSLATION };
        }
        if (this.nextSrcNat(p, ip, proto, u16(p, l4))) return { next: O2I.IN2OUT, session: -1 };
        this.createBypass(p, ip, ipProto, u16(p, l4 + 2), u16(p, l4));
        return { next: O2I.LOOKUP, session: -1 };
      }
      s = this.sessionForStaticMapping(p, ip, m, key, u16(p, l4));
      if (!s) return { next: O2I.DROP, session: -1, error: NatError.MAX_SESSIONS_EXCEEDED };
    } else if (hit === LB_STATIC) {
      s = this.lbOut2inSession(vm, p, ip, ipProto, proto, key, u16(p, l4));
      if (!s) return { next: O2I.DROP, session: -1, error: NatError.NO_TRANSLATION };
    } else {
      s = this.thread.at(hit);
      if (!s) return { next: O2I.LOOKUP, session: -1 };
    }
    this.translate(vm, b, ip, 'dst', s.in2out.addr, s.in2out.port);
    if (s.flags & SessionFlag.TWICE_NAT) this.translate(vm, b, ip, 'src', s.extHostNatAddr, s.extHostNatPort);
    if (!vm.faults.has(Fault.NAT_TRANSLATION)) b.txSwIfIndex = s.in2out.fib;
    this.afterTranslation(p, ip, s, 'out2in');
    return { next: O2I.LOOKUP, session: s.index };
  }

  /** Unknown IP protocol: an address-only static mapping by external address, else pass / drop. */
  private out2inUnknownProto(vm: Vm, b: VlibBuffer, ip: number): NatOutcome {
    const m = this.mappings.findByExternal(u32(b.bytes, ip + 16), 0, 0);
    if (m && m.addrOnly) {
      this.translateAddress(vm, b, ip, 'dst', m.localAddr);
      return { next: O2I.LOOKUP, session: -1 };
    }
    return this.forwarding ? { next: O2I.LOOKUP, session: -1 } : { next: O2I.DROP, session: -1, error: NatError.NO_TRANSLATION };
  }

  private icmpOut2in(vm: Vm, b: VlibBuffer, ip: number, rxFib: number): NatOutcome {
    const p = b.bytes;
    const k = icmpKey(p, ip, 'out2in');
    if (!k) return { next: O2I.DROP, session: -1, error: NatError.UNSUPPORTED_PROTOCOL };
    const type = p[ip + ip4HeaderLength(p, ip)];
    const key: NatKey = { ...k, fib: rxFib };
    const hit = this.thread.out2in.get(keyOf(key));
    let s: NatSession | undefined;
    if (hit === undefined || hit === LB_STATIC) {
      const m = this.mappings.match(key, true, this.random, vm.faults.has(Fault.NAT_BACKEND_CHOICE));
      if (!m) {
        if (!this.forwarding) {
          if (isInterfaceAddress(vm, b.rxSwIfIndex, u32(p, ip + 16))) return { next: O2I.LOOKUP, session: -1 };
          return { next: O2I.DROP, session: -1, error: NatError.NO_TRANSLATION };
        }
        if (this.nextSrcNat(p, ip, k.proto, k.port)) return { next: O2I.IN2OUT, session: -1 };
        this.createBypass(p, ip, IpProtocol.ICMP, k.port, k.port);
        return { next: O2I.LOOKUP, session: -1 };
      }
      if (type !== ICMP_ECHO_REPLY && (type !== ICMP_ECHO_REQUEST || !m.mapping.addrOnly)) {
        return { next: O2I.DROP, session: -1, error: NatError.BAD_ICMP_TYPE };
      }
      s = this.sessionForStaticMapping(p, ip, m, key, k.port);
      if (!s) return { next: O2I.DROP, session: -1, error: NatError.MAX_SESSIONS_EXCEEDED };
    } else {
      if (type !== ICMP_ECHO_REPLY && type !== ICMP_ECHO_REQUEST && !isIcmpError(type)) {
        return { next: O2I.DROP, session: -1, error: NatError.BAD_ICMP_TYPE };
      }
      s = this.thread.at(hit);
      if (!s) return { next: O2I.LOOKUP, session: -1 };
    }
    if (!this.icmpRewrite(vm, b, ip, 'out2in', s.in2out.addr, s.in2out.port)) return { next: O2I.DROP, session: s.index, error: NatError.BAD_CHECKSUM };
    if (!vm.faults.has(Fault.NAT_TRANSLATION)) b.txSwIfIndex = s.in2out.fib;
    this.thread.touch(s);
    return { next: O2I.LOOKUP, session: s.index };
  }

  // ------------------------------------------------------------------ in2out
  /** The fast path (`nat44-in2out`, `nat44-in2out-output`). */
  in2outFast(vm: Vm, b: VlibBuffer, output: boolean): NatOutcome {
    const p = b.bytes;
    const ip = ipOffset(b, output);
    if (p[ip + 8] === 1) return ttlExpired(b, I2O.ICMP_ERROR);
    const ipProto = p[ip + 9];
    const proto = natProtoOf(ipProto);
    if (output && this.bypassedOnOutput(p, ip, ipProto)) return { next: I2O.LOOKUP, session: -1 };
    if (proto === NAT_PROTO_UNKNOWN || proto === NatProto.ICMP) return { next: I2O.SLOW_PATH, session: -1 };
    if (isFragment(p, ip)) return { next: I2O.REASS, session: -1 };
    const l4 = ip + ip4HeaderLength(p, ip);
    const hit = this.thread.in2out.get(k8(u32(p, ip + 12), u16(p, l4), proto, rxFibIndex(vm, b)));
    if (hit === undefined || hit === LB_STATIC) return { next: I2O.SLOW_PATH, session: -1 };
    const s = this.thread.at(hit);
    if (!s) return { next: I2O.SLOW_PATH, session: -1 };
    this.in2outTranslate(vm, b, ip, s, output);
    return { next: I2O.LOOKUP, session: s.index };
  }

  /** The slow path (`nat44-in2out-slowpath`, `nat44-in2out-output-slowpath`). */
  in2outSlow(vm: Vm, b: VlibBuffer, output: boolean): NatOutcome {
    const p = b.bytes;
    const ip = ipOffset(b, output);
    if (p[ip + 8] === 1) return ttlExpired(b, I2O.ICMP_ERROR);
    const ipProto = p[ip + 9];
    const proto = natProtoOf(ipProto);
    const rxFib = rxFibIndex(vm, b);
    if (output && this.bypassedOnOutput(p, ip, ipProto)) return { next: I2O.LOOKUP, session: -1 };
    if (proto === NAT_PROTO_UNKNOWN) return this.in2outUnknownProto(vm, b, ip, rxFib);
    if (proto === NatProto.ICMP) return this.icmpIn2out(vm, b, ip, rxFib, output);
    if (isFragment(p, ip)) return { next: I2O.REASS, session: -1 };
    const l4 = ip + ip4HeaderLength(p, ip);
    const key: NatKey = { addr: u32(p, ip + 12), port: u16(p, l4), proto, fib: rxFib };
    const hit = this.thread.in2out.get(keyOf(key));
    let s: NatSession | undefined;
    if (hit === LB_STATIC) {
      s = this.lbIn2outSession(vm, p, ip, ipProto, key);
      if (!s) return { next: I2O.DROP, session: -1, error: NatError.NO_TRANSLATION };
    } else if (hit === undefined) {
      if (this.notTranslate(vm, b, p, ip, proto, u32(p, ip + 16), u16(p, l4 + 2), output)) return { next: I2O.LOOKUP, session: -1 };
      const made = this.slowPathSession(vm, p, ip, key, u16(p, l4 + 2));
      if ('error' in made) return { next: I2O.DROP, session: -1, error: made.error };
      s = made;
    } else {
      s = this.thread.at(hit);
      if (!s) return { next: I2O.LOOKUP, session: -1 };
    }
    this.in2outTranslate(vm, b, ip, s, output);
    return { next: I2O.LOOKUP, session: s.index };
  }

  private in2outTranslate(vm: Vm, b: VlibBuffer, ip: number, s: NatSession, output: boolean): void {
    this.translate(vm, b, ip, 'src', s.out2in.addr, s.out2in.port);
    if (s.flags & SessionFlag.TWICE_NAT) this.translate(vm, b, ip, 'dst', s.extHostAddr, s.extHostPort);
    if (!output && !vm.faults.has(Fault.NAT_TRANSLATION)) b.txSwIfIndex = s.out2in.fib;
    this.afterTranslation(b.bytes, ip, s, 'in2out');
  }

  private in2outUnknownProto(vm: Vm, b: VlibBuffer, ip: number, rxFib: number): NatOutcome {
    const m = this.mappings.findByLocal(u32(b.bytes, ip + 12), 0, 0, rxFib);
    if (m && m.addrOnly) this.translateAddress(vm, b, ip, 'src', m.externalAddr);
    return { next: I2O.LOOKUP, session: -1 };
  }

  private icmpIn2out(vm: Vm, b: VlibBuffer, ip: number, rxFib: number, output: boolean): NatOutcome {
    const p = b.bytes;
    const k = icmpKey(p, ip, 'in2out');
    if (!k) return { next: I2O.DROP, session: -1, error: NatError.UNSUPPORTED_PROTOCOL };
    const type = p[ip + ip4HeaderLength(p, ip)];
    const key: NatKey = { ...k, fib: rxFib };
    const hit = this.thread.in2out.get(keyOf(key));
    let s: NatSession | undefined;
    if (hit === undefined || hit === LB_STATIC) {
      if (this.notTranslate(vm, b, p, ip, NatProto.ICMP, u32(p, ip + 16), k.port, output)) return { next: I2O.LOOKUP, session: -1 };
      if (isIcmpError(type)) return { next: I2O.DROP, session: -1, error: NatError.BAD_ICMP_TYPE };
      const made = this.slowPathSession(vm, p, ip, key, k.port);
      if ('error' in made) return { next: I2O.DROP, session: -1, error: made.error };
      s = made;
    } else {
      if (type !== ICMP_ECHO_REQUEST && type !== ICMP_ECHO_REPLY && !isIcmpError(type)) {
        return { next: I2O.DROP, session: -1, error: NatError.BAD_ICMP_TYPE };
      }
      s = this.thread.at(hit);
      if (!s) return { next: I2O.LOOKUP, session: -1 };
    }
    if (!this.icmpRewrite(vm, b, ip, 'in2out', s.out2in.addr, s.out2in.port)) return { next: I2O.DROP, session: s.index, error: NatError.BAD_CHECKSUM };
    if (!output && !vm.faults.has(Fault.NAT_TRANSLATION)) b.txSwIfIndex = s.out2in.fib;
    this.thread.touch(s);
    return { next: I2O.LOOKUP, session: s.index };
  }

  /**
   * snat_not_translate (input nodes) / nat_not_translate_output_feature (output nodes): whether an
   * in2out miss should pass untranslated.
   */
  private notTranslate(vm: Vm, b: VlibBuffer, p: Uint8Array, ip: number, proto: NatProtoValue, dst: number, dport: number, output: boolean): boolean {
    if (output) {
      const l4 = ip + ip4HeaderLength(p, ip);
      const sport = proto === NatProto.ICMP ? dport : u16(p, l4);
      if (this.thread.out2in.has(k8(u32(p, ip + 12), sport, proto, this.outsideFib))) return true;
      if (this.thread.in2out.has(k8(dst, dport, proto, this.insideFib))) {
        // Hairpinning: translate only when RX is an inside output-feature interface.
        return !(this.itfs.outputFeature.has(b.rxSwIfIndex) && this.itfs.inside.has(b.rxSwIfIndex));
      }
      return false;
    }
    const key: NatKey = { addr: dst, port: dport, proto, fib: this.outsideFib };
    if (this.thread.out2in.has(keyOf(key))) return false;
    // Note: for an LB mapping this draws from the generator, as VPP's match does.
    if (this.mappings.match(key, true, this.random)) return false;
    if (this.forwarding) return true;
    if (isInterfaceAddress(vm, b.rxSwIfIndex, dst)) return true;
    const sw = resolvingInterface(vm, rxFibIndex(vm, b), dst) ?? resolvingInterface(vm, this.outsideFib, dst);
    return !(sw !== undefined && this.itfs.outside.has(sw));
  }

  /** slow_path(): a new session from a static mapping by local address, else a dynamic address/port. */
  private slowPathSession(vm: Vm, p: Uint8Array, ip: number, key: NatKey, dport: number): NatSession | { error: string } {
    const t = this.thread;
    if (t.maximumSessionsExceeded()) return { error: NatError.MAX_SESSIONS_EXCEEDED };
    const u = t.user(key.addr, key.fib);
    const m = this.mappings.match(key, false, this.random);
    let out: NatKey;
    let addressIndex = -1;
    if (m) out = m.key;
    else {
      const a = this.addresses.allocate(key.proto, key.fib, this.random);
      if (!a) return { error: NatError.OUT_OF_PORTS };
      addressIndex = a.index;
      out = { addr: a.addr, port: a.port, proto: key.proto, fib: this.outsideFib };
    }
    const s = t.allocate(u, m !== undefined);
    if (m) s.flags |= SessionFlag.STATIC_MAPPING;
    s.outsideAddressIndex = addressIndex;
    s.in2out = { ...key };
    s.out2in = { ...out, proto: key.proto, fib: this.outsideFib };
    s.extHostAddr = u32(p, ip + 16);
    s.extHostPort = dport;
    t.hash(s);
    return s;
  }

  /** create_session_for_static_mapping (out2in): a session initiated from outside to a static mapping. */
  private sessionForStaticMapping(p: Uint8Array, ip: number, m: MappingMatch, key: NatKey, sport: number): NatSession | undefined {
    const t = this.thread;
    if (t.maximumSessionsExceeded()) return undefined;
    const u = t.user(m.key.addr, m.key.fib);
    const s = t.allocate(u, true);
    s.flags |= SessionFlag.STATIC_MAPPING;
    s.outsideAddressIndex = -1;
    s.extHostAddr = u32(p, ip + 12);
    s.extHostPort = sport;
    s.out2in = { ...key, fib: this.outsideFib };
    s.in2out = { ...m.key };
    t.hash(s);
    return s;
  }

  /** out2in via an LB mapping's `~0` entry (§8.5): the ED session, or a new one with a fresh pick. */
  private lbOut2inSession(vm: Vm, p: Uint8Array, ip: number, ipProto: number, proto: NatProtoValue, key: NatKey, sport: number): NatSession | undefined {
    const t = this.thread;
    const client = u32(p, ip + 12);
    const edKey = ed(key.addr, client, ipProto, key.fib, key.port, sport);
    const hit = t.out2inEd.get(edKey);
    if (hit !== undefined) return t.at(hit);
    const m = this.mappings.match(key, true, this.random, vm.faults.has(Fault.NAT_BACKEND_CHOICE));
    if (!m || t.maximumSessionsExceeded()) return undefined;
    const u = t.user(m.key.addr, m.key.fib);
    const s = t.allocate(u, true);
    s.flags |= SessionFlag.STATIC_MAPPING | SessionFlag.LOAD_BALANCING | SessionFlag.ENDPOINT_DEPENDENT;
    s.extHostAddr = client;
    s.extHostPort = sport;
    s.out2in = { ...key, fib: this.outsideFib };
    s.in2out = { ...m.key };
    s.edOut2in = edKey;
    t.out2inEd.set(edKey, s.index);
    const twice = m.mapping.twiceNat || (m.mapping.selfTwiceNat && client === m.key.addr);
    let rAddr = client;
    let rPort = sport;
    if (twice) {
      const a = this.addresses.allocate(proto, this.outsideFib, this.random);
      if (a) {
        s.flags |= SessionFlag.TWICE_NAT;
        s.extHostNatAddr = a.addr;
        s.extHostNatPort = a.port;
        s.outsideAddressIndex = a.index;
        rAddr = a.addr;
        rPort = a.port;
      }
    }
    s.edIn2out = ed(m.key.addr, rAddr, ipProto, m.key.fib, m.key.port, rPort);
    t.in2outEd.set(s.edIn2out, s.index);
    return s;
  }

  /** in2out via an LB backend's `~0` entry: the ED session, else one from static_mapping_by_local. */
  private lbIn2outSession(vm: Vm, p: Uint8Array, ip: number, ipProto: number, key: NatKey): NatSession | undefined {
    const t = this.thread;
    const l4 = ip + ip4HeaderLength(p, ip);
    const dst = u32(p, ip + 16);
    const dport = u16(p, l4 + 2);
    const edKey = ed(key.addr, dst, ipProto, key.fib, key.port, dport);
    const hit = t.in2outEd.get(edKey);
    if (hit !== undefined) return t.at(hit);
    const m = this.mappings.match(key, false, this.random);
    if (!m || t.maximumSessionsExceeded()) return undefined;
    const u = t.user(key.addr, key.fib);
    const s = t.allocate(u, true);
    s.flags |= SessionFlag.STATIC_MAPPING | SessionFlag.LOAD_BALANCING | SessionFlag.ENDPOINT_DEPENDENT;
    s.extHostAddr = dst;
    s.extHostPort = dport;
    s.in2out = { ...key };
    s.out2in = { ...m.key };
    s.edIn2out = edKey;
    t.in2outEd.set(edKey, s.index);
    s.edOut2in = ed(m.key.addr, dst, ipProto, this.outsideFib, m.key.port, dport);
    t.out2inEd.set(s.edOut2in, s.index);
    return s;
  }

  /** next_src_nat: is {src, sport} a known inside endpoint (then out2in hands it to in2out, next 4)? */
  private nextSrcNat(p: Uint8Array, ip: number, proto: NatProtoValue, sport: number): boolean {
    return this.thread.in2out.has(k8(u32(p, ip + 12), sport, proto, this.insideFib));
  }

  /**
   * create_bypass_for_fwd: with forwarding on, an untranslated out2in packet still takes a session
   * (flag FWD_BYPASS) under the ED key {l=dst, r=src, FIB 0}, with a NAT user for the destination.
   */
  private createBypass(p: Uint8Array, ip: number, ipProto: number, lPort: number, rPort: number): void {
    const t = this.thread;
    const dst = u32(p, ip + 16);
    const edKey = ed(dst, u32(p, ip + 12), ipProto, 0, lPort, rPort);
    const hit = t.in2outEd.get(edKey);
    if (hit !== undefined) {
      const s = t.at(hit);
      if (s) t.touch(s);
      return;
    }
    if (t.maximumSessionsExceeded()) return;
    const u = t.user(dst, this.insideFib);
    const s = t.allocate(u, false);
    s.flags |= SessionFlag.FWD_BYPASS;
    s.extHostAddr = u32(p, ip + 12);
    s.extHostPort = rPort;
    const proto = natProtoOf(ipProto);
    s.out2in = { addr: dst, port: lPort, proto: (proto < 0 ? 0 : proto) as NatProtoValue, fib: 0 };
    s.in2out = { ...s.out2in };
    s.edIn2out = edKey;
    t.in2outEd.set(edKey, s.index);
  }

  /** nat_not_translate_output_feature_fwd: a reply of a forwarding-bypass flow leaves untranslated. */
  private bypassedOnOutput(p: Uint8Array, ip: number, ipProto: number): boolean {
    const l4 = ip + ip4HeaderLength(p, ip);
    let lPort = 0;
    let rPort = 0;
    if (ipProto === IpProtocol.ICMP) {
      lPort = rPort = u16(p, l4 + 4);
    } else if (ipProto === IpProtocol.TCP || ipProto === IpProtocol.UDP) {
      lPort = u16(p, l4);
      rPort = u16(p, l4 + 2);
    } else return false;
    const hit = this.thread.in2outEd.get(ed(u32(p, ip + 12), u32(p, ip + 16), ipProto, 0, lPort, rPort));
    const s = hit === undefined ? undefined : this.thread.at(hit);
    return s !== undefined && (s.flags & SessionFlag.FWD_BYPASS) !== 0;
  }

  // ------------------------------------------------------------------ rewriting
  private rewriteOptions(vm: Vm): RewriteOptions {
    return vm.faults.size > 0 && vm.faults.has(Fault.NAT_CHECKSUM_UPDATE) ? STALE : FRESH;
  }

  private translate(vm: Vm, b: VlibBuffer, ip: number, side: 'src' | 'dst', addr: number, port: number): void {
    if (vm.faults.has(Fault.NAT_TRANSLATION)) return;
    natRewrite(b.bytes, ip, side, addr, port, this.rewriteOptions(vm));
    b.flags |= BufferFlag.IS_NATED;
  }

  private translateAddress(vm: Vm, b: VlibBuffer, ip: number, side: 'src' | 'dst', addr: number): void {
    if (vm.faults.has(Fault.NAT_TRANSLATION)) return;
    natRewriteAddress(b.bytes, ip, side, addr, this.rewriteOptions(vm));
    b.flags |= BufferFlag.IS_NATED;
  }

  private icmpRewrite(vm: Vm, b: VlibBuffer, ip: number, dir: Direction, addr: number, port: number): boolean {
    if (vm.faults.has(Fault.NAT_TRANSLATION)) return true;
    const ok = icmpTranslate(b.bytes, ip, dir, addr, port, this.rewriteOptions(vm));
    if (ok) b.flags |= BufferFlag.IS_NATED;
    return ok;
  }

  /** LRU, and TCP close tracking: at state 0xf the session is freed (the packet was translated already). */
  private afterTranslation(p: Uint8Array, ip: number, s: NatSession, dir: Direction): void {
    this.thread.touch(s);
    if (p[ip + 9] !== IpProtocol.TCP) return;
    const l4 = ip + ip4HeaderLength(p, ip);
    const flags = p[l4 + 13];
    const seq = u32(p, l4 + 4);
    const ack = u32(p, l4 + 8);
    if (dir === 'in2out') {
      if (flags & TCP_FIN) {
        s.i2oFinSeq = seq;
        s.state |= SES_I2O_FIN;
      }
      if (flags & TCP_ACK && s.state & SES_O2I_FIN && ack > s.o2iFinSeq) s.state |= SES_O2I_FIN_ACK;
    } else {
      if (flags & TCP_FIN) {
        s.o2iFinSeq = seq;
        s.state |= SES_O2I_FIN;
      }
      if (flags & TCP_ACK && s.state & SES_I2O_FIN && ack > s.i2oFinSeq) s.state |= SES_I2O_FIN_ACK;
    }
    if (s.state === 0xf) this.thread.delete(s);
  }
}

// ------------------------------------------------------------------ helpers
const STALE: RewriteOptions = { staleChecksums: true };
const FRESH: RewriteOptions = {};

function rxFibIndex(vm: Vm, b: VlibBuffer): number {
  return vm.interfaces.get(b.rxSwIfIndex)?.fibIndex ?? 0;
}

/** Output-feature nodes read the IP header after the L2 rewrite ip4-rewrite put in front. */
function ipOffset(b: VlibBuffer, output: boolean): number {
  return b.start + (output ? b.saveRewriteLength : 0);
}

/** ip4_is_fragment: MF set or a non-zero offset. */
function isFragment(p: Uint8Array, ip: number): boolean {
  return (u16(p, ip + 6) & 0x3fff) !== 0;
}

/** TTL 1 on a NAT node: ICMP time exceeded (in transit), TX cleared, no decrement. */
function ttlExpired(b: VlibBuffer, slot: number): NatOutcome {
  b.txSwIfIndex = NONE;
  b.setIcmp(11, 0, 0);
  return { next: slot, session: -1 };
}

function isInterfaceAddress(vm: Vm, swIfIndex: number, addr: number): boolean {
  return vm.interfaces.get(swIfIndex)?.ip4.some((a) => a.address === addr) ?? false;
}

/** fib_entry_get_resolving_interface: the one interface the entry's DPO leads to, if any. */
function resolvingInterface(vm: Vm, fib: number, addr: number): number | undefined {
  const hit = vm.fibLookup(fib, addr);
  const lb = hit && vm.loadBalances.get(hit.lbIndex);
  if (!lb || lb.buckets.length !== 1) return undefined;
  const d = lb.buckets[0];
  if (d.type === 'adj') return vm.adjacencies.get(d.index)?.swIfIndex;
  if (d.type === 'receive') return d.swIfIndex;
  return undefined;
}
