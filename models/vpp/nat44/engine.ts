// The NAT44 decisions of one VPP instance (vpp-facts §8.3-§8.5, §8.9): what nat44-out2in,
// nat44-in2out[-output] fast and slow paths do to a packet, returning the next *slot* of the §8.1
// tables and the session index the record prints. Node files (nodes.ts) only wrap this with
// records. State: mappings, the address pool, thread 0's sessions, and the shared LCG.
//
// Sessions are pool indices into NatThreadState's columns (sessions.ts); a packet that hits an
// existing session allocates nothing: keys are passed as numbers, and the outcome is one object per
// engine, refilled per packet (the node reads it before the next packet runs).

import { i32, u16, u32 } from '../../../harness/wire/bytes.js';
import { IpProtocol } from '../../../harness/wire/ipv4.js';
import { BufferFlag, NONE, type VlibBuffer } from '../buffer.js';
import { Fault, type FrameGroup, type Vm } from '../graph.js';
import { inTwoPacketLoop } from '../nodes/ip4-input.js';
import { AddressPool } from './addresses.js';
import { icmpEdKey, icmpKey, icmpTranslate, isIcmpError, setEchoId, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, type Direction } from './icmp.js';
import { NAT_PROTO_UNKNOWN, NatProto, natProtoOf, type NatKey, type NatProtoValue } from './keys.js';
import { StaticMappings, type MappingMatch } from './mappings.js';
import { NatRandom } from './random.js';
import { ip4HeaderLength, natRewrite, natRewriteAddress, type RewriteOptions } from './rewrite.js';
import { LB_STATIC, MISS, NatThreadState, SessionFlag } from './sessions.js';
import { grown } from './vpp-pool.js';

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
} as const;

export interface NatOutcome {
  /** Next slot in the node's table. */
  next: number;
  /** Session pool index, -1 when none. */
  session: number;
  /**
   * Error string for error-drop when next is the drop slot; undefined where VPP drops without
   * writing b0->error (the ICMP checksum checks), so the buffer keeps the error it carried.
   */
  error: string | undefined;
}

/**
 * The error of a drop on a bad ICMP checksum or a bad embedded IP header checksum: none. VPP's
 * icmp_out2in / icmp_in2out (FDio/vpp src/plugins/nat/out2in.c @ d5b1b85d, 18.01 era; in2out.c the
 * same) do `if (checksum0 != 0 && checksum0 != 0xffff) { next0 = ..._NEXT_DROP; goto out; }` and
 * `if (!ip4_header_checksum_is_valid (inner_ip0)) { next0 = ..._NEXT_DROP; goto out; }` without
 * writing b0->error, and the nat plugin's error list has no checksum string (vpp-facts §8.9).
 */
const CHECKSUM_DROP_SETS_NO_ERROR = undefined;

/**
 * snat_in2out_unknown_proto's `return 0;` when no pool address is free for the 3-tuple: no b->error
 * is written (in2out.c, see in2outUnknownProto), so the drop names no error of its own.
 */
const UNKNOWN_PROTO_NO_ADDRESS_SETS_NO_ERROR = undefined;

/** A `return 0;` of snat_out2in_lb / snat_in2out_lb that writes no b->error (see newLbOut2inSession). */
const NO_ERROR_SET = undefined;

/** slowPathSession's failure: an error string instead of a session index. */
type Made = number | string;

/** Load-balanced VIPs with more backends than this get no in2out_ed prefetch (one read per backend). */
const PREFETCH_BACKENDS = 4;

/** Which first key prefetch queued for a frame. */
const OUTSIDE = 1;
const INSIDE = 2;

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
  /** `nat44 add address A twice-nat`: the addresses twice-NAT sessions give their external hosts. */
  readonly twiceNatAddresses = new AddressPool();
  readonly thread: NatThreadState;
  readonly random = new NatRandom(0);
  /** The outcome of the packet being processed (reused: valid until the next packet). */
  private readonly outcome: NatOutcome = { next: 0, session: -1, error: undefined };

  constructor(
    readonly insideFib: number,
    readonly outsideFib: number,
    readonly forwarding: boolean,
    readonly itfs: Nat44Interfaces,
    maxTranslationsPerUser: number,
    maxTranslations: number,
    /** Sessions to size the session tables for up front (startup `translation hash buckets`); 0: grow from small. */
    presize = 0,
  ) {
    this.mappings = new StaticMappings(outsideFib);
    this.thread = new NatThreadState(maxTranslationsPerUser, maxTranslations, this.addresses, presize, this.twiceNatAddresses);
  }

  /**
   * After all mappings are added: the 8-byte `~0` entries that steer a mapping's flows to the ED
   * path (snat_out2in_lb / snat_in2out_lb), as the Contiv fork installs them (vpp-dev/vpp
   * src/plugins/nat/nat.c @ 0d305478):
   *   - nat44_add_del_lb_static_mapping: out2in {external, e_port, proto, outside FIB}, and for each
   *     local in2out {addr, port, proto, m->fib_index}. Only static_mapping_by_local is behind
   *     `if (!out2in_only)`; the in2out `~0` of a local is added whatever out2in_only says;
   *   - snat_add_static_mapping, `if (twice_nat || out2in_only)`: the same two for a plain mapping,
   *     in2out {l_addr, l_port, m->proto, m->fib_index} and out2in {e_addr, e_port, m->proto, outside
   *     FIB} (twice_nat is TWICE_NAT or TWICE_NAT_SELF; an address-only mapping has port 0, proto 0).
   */
  installLbEntries(): void {
    for (const m of this.mappings.all) {
      const lb = m.locals.length > 0;
      if (!lb && !m.twiceNat && !m.selfTwiceNat && !m.out2inOnly) continue;
      NatThreadState.setKey8(this.thread.out2in, m.externalAddr, m.externalPort, m.proto, this.outsideFib, LB_STATIC);
      if (lb) for (const l of m.locals) NatThreadState.setKey8(this.thread.in2out, l.addr, l.port, m.proto, l.fib, LB_STATIC);
      else NatThreadState.setKey8(this.thread.in2out, m.localAddr, m.localPort, m.proto, m.fib, LB_STATIC);
    }
  }

  /**
   * Read ahead the session-hash slots a group of frames will look up (the plugin's prefetch hook),
   * for untagged TCP/UDP IPv4 frames:
   *   - arriving on an outside interface (the pod -> service path): the endpoint-dependent out2in
   *     slot; then, for the frames whose out2in home slot does not hold their key's hash (a new
   *     flow, or a session off its home slot) and whose destination is a load-balanced VIP with at
   *     most PREFETCH_BACKENDS backends, the in2out_ed slot a new session to each backend would
   *     take (which one is drawn only when the packet runs). A hit reads no in2out_ed slot: it
   *     would be one more random read per packet, of a slot only a new session writes;
   *   - arriving on an inside interface (a backend's reply): the 8-byte in2out slot; then, where
   *     that key is an LB backend's `~0` entry, the in2out_ed slot of the reply's session (the
   *     slow path's lookup). Other replies read no ED slot.
   * Changes nothing a lookup sees; returns the words read.
   */
  prefetch(vm: Vm, g: FrameGroup): number {
    const t = this.thread;
    let frames = this.prefetchFrames;
    let n = 0;
    for (let k = 0; k < g.count; k++) {
      const side = this.queueFirst(vm, g.rx[k], g.bytes[k], g.start[k], g.length[k]);
      if (side === 0) continue;
      if (n === frames.length) frames = this.prefetchFrames = grown(frames, n + 1);
      frames[n++] = side === OUTSIDE ? k : ~k;
    }
    const sink = t.out2inEd.flushPrefetch() ^ t.in2out.flushPrefetch();
    for (let j = 0, o2i = 0; j < n; j++) {
      const k = frames[j];
      if (k >= 0) {
        if (!t.out2inEd.homeHolds(o2i++)) this.queueIn2outBackends(g.bytes[k], g.start[k] + 14);
      } else this.queueReplyEd(vm, g.rx[~k], g.bytes[~k], g.start[~k] + 14);
    }
    return sink ^ t.in2outEd.flushPrefetch();
  }

  /** Frames of the group being read ahead whose first key was queued, in queue order (inside ones as ~index). */
  private prefetchFrames = new Int32Array(32);

  /**
   * prefetch's first step for one frame bytes[eth, eth + length): the out2in_ed key of a frame on
   * an outside interface (returns OUTSIDE), the 8-byte in2out key of one on an inside interface
   * (INSIDE), else nothing (0).
   */
  private queueFirst(vm: Vm, swIfIndex: number, bytes: Uint8Array, eth: number, length: number): number {
    if (length < 14 + 20 + 4 || bytes[eth + 12] !== 0x08 || bytes[eth + 13] !== 0x00) return 0;
    const ip = eth + 14;
    const proto = bytes[ip + 9];
    if (proto !== IpProtocol.TCP && proto !== IpProtocol.UDP) return 0;
    const outside = this.itfs.outside.has(swIfIndex);
    if (!outside && !this.itfs.inside.has(swIfIndex)) return 0;
    const l4 = ip + 20;
    const fib = vm.interfaces.get(swIfIndex)?.fibIndex ?? 0;
    if (outside) {
      this.thread.prefetchEdOut2in(u32(bytes, ip + 16), u32(bytes, ip + 12), proto, fib, u16(bytes, l4 + 2), u16(bytes, l4));
      return OUTSIDE;
    }
    this.thread.in2out.prefetch(i32(bytes, ip + 12), (u16(bytes, l4) << 16) | natProtoOf(proto), fib | 0, 0);
    return INSIDE;
  }

  /** prefetch's second step for an outside frame (IPv4 header at `ip`): the backends' in2out_ed keys. */
  private queueIn2outBackends(bytes: Uint8Array, ip: number): void {
    const l4 = ip + 20;
    const m = this.mappings.findByExternal(u32(bytes, ip + 16), u16(bytes, l4 + 2), natProtoOf(bytes[ip + 9]));
    if (!m || m.locals.length === 0 || m.locals.length > PREFETCH_BACKENDS) return;
    const client = u32(bytes, ip + 12);
    const sport = u16(bytes, l4);
    for (const l of m.locals) this.thread.prefetchEdIn2out(l.addr, client, bytes[ip + 9], l.fib, l.port, sport);
  }

  /**
   * prefetch's second step for an inside frame (IPv4 header at `ip`): its in2out_ed key, when its
   * 8-byte in2out key is an LB backend's `~0` entry (its slot was just read; the lookup of every
   * reply of one backend is the same, remembered by the KeyTable).
   */
  private queueReplyEd(vm: Vm, swIfIndex: number, bytes: Uint8Array, ip: number): void {
    const l4 = ip + 20;
    const proto = bytes[ip + 9];
    const src = u32(bytes, ip + 12);
    const sport = u16(bytes, l4);
    const fib = vm.interfaces.get(swIfIndex)?.fibIndex ?? 0;
    const t = this.thread;
    if (NatThreadState.getKey8(t.in2out, src, sport, natProtoOf(proto) as NatProtoValue, fib) !== LB_STATIC) return;
    t.prefetchEdIn2out(src, u32(bytes, ip + 16), proto, fib, sport, u16(bytes, l4 + 2));
  }

  private done(next: number, session = -1, error?: string): NatOutcome {
    const o = this.outcome;
    o.next = next;
    o.session = session;
    o.error = error;
    return o;
  }

  // ------------------------------------------------------------------ out2in
  out2in(vm: Vm, b: VlibBuffer): NatOutcome {
    const p = b.bytes;
    const ip = b.start;
    const rxFib = rxFibIndex(vm, b);
    const ipProto = p[ip + 9];
    const proto = natProtoOf(ipProto);
    if (proto === NAT_PROTO_UNKNOWN) {
      // snat_out2in_node_fn checks TTL 1 before the protocol in its two-packet loop and after it in
      // its one-packet loop (17.x/18.01-era out2in.c; vpp-facts §8.3 step 2): in the two-packet loop
      // an unknown protocol with TTL 1 gets the time exceeded, in the one-packet loop its 3-tuple path.
      if (p[ip + 8] === 1 && inTwoPacketLoop(vm.frame.size, vm.frame.index)) return this.ttlExpired(b, O2I.ICMP_ERROR);
      return this.out2inUnknownProto(vm, b, ip, ipProto, rxFib);
    }
    if (p[ip + 8] === 1) return this.ttlExpired(b, O2I.ICMP_ERROR);
    if (proto === NatProto.ICMP) return this.icmpOut2in(vm, b, ip, rxFib);
    if (isFragment(p, ip)) return this.done(O2I.REASS);
    const l4 = ip + ip4HeaderLength(p, ip);
    const dst = u32(p, ip + 16);
    const dport = u16(p, l4 + 2);
    const t = this.thread;
    const hit = NatThreadState.getKey8(t.out2in, dst, dport, proto, rxFib);
    let s: number;
    if (hit === MISS) {
      const m = this.mappings.matchExternal(dst, dport, proto, this.random, vm.hasFault(Fault.NAT_BACKEND_CHOICE));
      if (!m) {
        if (!this.forwarding) {
          if (proto === NatProto.UDP && dport === 68) return this.done(O2I.LOOKUP);
          return this.done(O2I.DROP, -1, NatError.NO_TRANSLATION);
        }
        if (this.nextSrcNat(p, ip, proto, u16(p, l4))) return this.done(O2I.IN2OUT);
        this.createBypass(p, ip, dst, u32(p, ip + 12), ipProto, dport, u16(p, l4));
        return this.done(O2I.LOOKUP);
      }
      s = this.sessionForStaticMapping(p, ip, m, dst, dport, proto, u16(p, l4));
      if (s < 0) return this.done(O2I.DROP, -1, NatError.MAX_SESSIONS_EXCEEDED);
    } else if (hit === LB_STATIC) {
      s = this.lbOut2inSession(vm, p, ip, ipProto, proto, dst, dport, rxFib, u16(p, l4));
      // `if (!s0) next0 = SNAT_OUT2IN_NEXT_DROP;` whatever the forwarding (out2in.c @ 0d305478)
      if (s < 0) return this.done(O2I.DROP, -1, this.lbError);
    } else {
      s = hit;
      if (!t.isLive(s)) return this.done(O2I.LOOKUP);
    }
    this.rewriteBySession(vm, b, ip, s, 'out2in');
    if (!vm.hasFault(Fault.NAT_TRANSLATION)) b.txSwIfIndex = t.i2oFib(s);
    this.afterTranslation(p, ip, s, 'out2in');
    return this.done(O2I.LOOKUP, s);
  }

  /**
   * Unknown IP protocol (snat_out2in_unknown_proto; vpp-dev/vpp src/plugins/nat/out2in.c @ 0d305478,
   * stable-1801-contiv): the session of the 3-tuple, else a new one on an address-only mapping.
   *   key.l_addr = ip->dst_address; key.r_addr = ip->src_address; key.fib_index = rx_fib_index;
   *   key.proto = ip->protocol; key.r_port = 0; key.l_port = 0;
   *   if (!clib_bihash_search_16_8 (&sm->out2in_ed, ...)) s = ...; new_addr = s->in2out.addr
   *   else { maximum_sessions_exceeded -> MAX_SESSIONS_EXCEEDED; static_mapping_by_external miss
   *     -> NO_TRANSLATION; u = nat_user_get_or_create (sm, &ip->src_address, m->fib_index, ...);
   *     s = nat_session_alloc_or_recycle (...); flags UNKNOWN_PROTO | STATIC_MAPPING |
   *     ENDPOINT_DEPENDENT; user_session_increment (sm, u, 1 /* static *\/); out2in_ed and in2out_ed }
   *   ... vnet_buffer(b)->sw_if_index[VLIB_TX] = s->in2out.fib_index;
   * The session is printed; the node drops a miss only with forwarding off
   * (`if (!sm->forwarding_enabled) if (!s0) next0 = SNAT_OUT2IN_NEXT_DROP;`).
   * Quirk kept: the user is the *outside* source address, in the mapping's FIB.
   */
  private out2inUnknownProto(vm: Vm, b: VlibBuffer, ip: number, ipProto: number, rxFib: number): NatOutcome {
    const t = this.thread;
    const [src, dst] = [u32(b.bytes, ip + 12), u32(b.bytes, ip + 16)];
    let s = NatThreadState.getEd(t.out2inEd, dst, src, ipProto, rxFib, 0, 0);
    if (s === MISS) {
      const full = t.maximumSessionsExceeded();
      const m = full ? undefined : this.mappings.findByExternal(dst, 0, 0);
      if (!m || !m.addrOnly) {
        if (this.forwarding) return this.done(O2I.LOOKUP);
        return this.done(O2I.DROP, -1, full ? NatError.MAX_SESSIONS_EXCEEDED : NatError.NO_TRANSLATION);
      }
      s = this.newUnknownProtoSession(t.userOf(src, m.fib), true, src, ipProto, m.localAddr, m.fib, dst, rxFib);
    }
    this.translateAddress(vm, b, ip, 'dst', t.i2oAddr(s));
    if (!vm.hasFault(Fault.NAT_TRANSLATION)) b.txSwIfIndex = t.i2oFib(s);
    t.touch(s);
    return this.done(O2I.LOOKUP, s);
  }

  private icmpOut2in(vm: Vm, b: VlibBuffer, ip: number, rxFib: number): NatOutcome {
    const p = b.bytes;
    const t = this.thread;
    const k = icmpKey(p, ip, 'out2in');
    if (!k) return this.done(O2I.DROP, -1, NatError.UNSUPPORTED_PROTOCOL);
    const type = p[ip + ip4HeaderLength(p, ip)];
    const key: NatKey = { ...k, fib: rxFib };
    const hit = NatThreadState.getKey8(t.out2in, key.addr, key.port, key.proto, key.fib);
    let s: number;
    if (hit === MISS) {
      const m = this.mappings.match(key, true, this.random, vm.hasFault(Fault.NAT_BACKEND_CHOICE));
      if (!m) {
        if (!this.forwarding) {
          if (isInterfaceAddress(vm, b.rxSwIfIndex, u32(p, ip + 16))) return this.done(O2I.LOOKUP);
          return this.done(O2I.DROP, -1, NatError.NO_TRANSLATION);
        }
        if (this.nextSrcNat(p, ip, k.proto, k.port)) return this.done(O2I.IN2OUT);
        // create_bypass_for_fwd keys an ICMP message by icmp_get_ed_key (an error: the quoted packet).
        const ek = icmpEdKey(p, ip, 'out2in');
        if (ek) this.createBypass(p, ip, ek.lAddr, ek.rAddr, ek.proto, ek.lPort, ek.rPort);
        return this.done(O2I.LOOKUP);
      }
      if (type !== ICMP_ECHO_REPLY && (type !== ICMP_ECHO_REQUEST || !m.mapping.addrOnly)) {
        return this.done(O2I.DROP, -1, NatError.BAD_ICMP_TYPE);
      }
      s = this.sessionForStaticMapping(p, ip, m, key.addr, key.port, key.proto, k.port);
      if (s < 0) return this.done(O2I.DROP, -1, NatError.MAX_SESSIONS_EXCEEDED);
    } else {
      if (type !== ICMP_ECHO_REPLY && type !== ICMP_ECHO_REQUEST && !isIcmpError(type)) {
        return this.done(O2I.DROP, -1, NatError.BAD_ICMP_TYPE);
      }
      s = hit === LB_STATIC ? this.icmpLbSession(p, ip, 'out2in', rxFib) : hit;
      if (s < 0) return this.done(O2I.DROP, -1, this.lbError);
      if (!t.isLive(s)) return this.done(O2I.LOOKUP);
    }
    if (!this.icmpRewrite(vm, b, ip, 'out2in', t.i2oAddr(s), t.i2oPort(s))) return this.done(O2I.DROP, s, CHECKSUM_DROP_SETS_NO_ERROR);
    if (!vm.hasFault(Fault.NAT_TRANSLATION)) b.txSwIfIndex = t.i2oFib(s);
    t.touch(s);
    return this.done(O2I.LOOKUP, s);
  }

  // ------------------------------------------------------------------ in2out
  /** The fast path (`nat44-in2out`, `nat44-in2out-output`). */
  in2outFast(vm: Vm, b: VlibBuffer, output: boolean): NatOutcome {
    const p = b.bytes;
    const ip = ipOffset(b, output);
    if (p[ip + 8] === 1) return this.ttlExpired(b, I2O.ICMP_ERROR);
    const ipProto = p[ip + 9];
    const proto = natProtoOf(ipProto);
    if (output && this.bypassedOnOutput(p, ip, ipProto)) return this.done(I2O.LOOKUP);
    if (proto === NAT_PROTO_UNKNOWN || proto === NatProto.ICMP) return this.done(I2O.SLOW_PATH);
    if (isFragment(p, ip)) return this.done(I2O.REASS);
    const l4 = ip + ip4HeaderLength(p, ip);
    const hit = NatThreadState.getKey8(this.thread.in2out, u32(p, ip + 12), u16(p, l4), proto, rxFibIndex(vm, b));
    if (hit === MISS || hit === LB_STATIC) return this.done(I2O.SLOW_PATH);
    if (!this.thread.isLive(hit)) return this.done(I2O.SLOW_PATH);
    this.in2outTranslate(vm, b, ip, hit, output, true);
    return this.done(I2O.LOOKUP, hit);
  }

  /** The slow path (`nat44-in2out-slowpath`, `nat44-in2out-output-slowpath`). */
  in2outSlow(vm: Vm, b: VlibBuffer, output: boolean): NatOutcome {
    const p = b.bytes;
    const ip = ipOffset(b, output);
    if (p[ip + 8] === 1) return this.ttlExpired(b, I2O.ICMP_ERROR);
    const ipProto = p[ip + 9];
    const proto = natProtoOf(ipProto);
    const rxFib = rxFibIndex(vm, b);
    if (output && this.bypassedOnOutput(p, ip, ipProto)) return this.done(I2O.LOOKUP);
    if (proto === NAT_PROTO_UNKNOWN) return this.in2outUnknownProto(vm, b, ip, ipProto, rxFib, output);
    if (proto === NatProto.ICMP) return this.icmpIn2out(vm, b, ip, rxFib, output);
    if (isFragment(p, ip)) return this.done(I2O.REASS);
    const l4 = ip + ip4HeaderLength(p, ip);
    const src = u32(p, ip + 12);
    const sport = u16(p, l4);
    const hit = NatThreadState.getKey8(this.thread.in2out, src, sport, proto, rxFib);
    let s: number;
    if (hit === LB_STATIC) {
      // The key as numbers (no key object per packet: every reply of a load-balanced service's backend comes here).
      s = this.lbIn2outSession(p, ip, ipProto, src, sport, proto, rxFib);
      // `if (!s0 && !sm->forwarding_enabled) next0 = SNAT_IN2OUT_NEXT_DROP;` (in2out.c @ 2994d210)
      if (s < 0) return this.forwarding ? this.done(I2O.LOOKUP) : this.done(I2O.DROP, -1, this.lbError);
      this.in2outTranslate(vm, b, ip, s, output, false);
      return this.done(I2O.LOOKUP, s);
    } else if (hit === MISS) {
      if (this.notTranslate(vm, b, p, ip, proto, u32(p, ip + 16), u16(p, l4 + 2), output)) return this.done(I2O.LOOKUP);
      const key: NatKey = { addr: src, port: sport, proto, fib: rxFib };
      const made = this.slowPathSession(p, ip, key, u16(p, l4 + 2));
      if (typeof made === 'string') return this.done(I2O.DROP, -1, made);
      s = made;
    } else {
      s = hit;
      if (!this.thread.isLive(s)) return this.done(I2O.LOOKUP);
    }
    this.in2outTranslate(vm, b, ip, s, output, true);
    return this.done(I2O.LOOKUP, s);
  }

  /**
   * The TCP/UDP rewrite of nat44-in2out(-slowpath/-output). `nated`: whether the path flags the
   * buffer VNET_BUFFER_F_IS_NATED (ip4-local skips its checks for one; dpdk tx dumps print
   * `nated`). In the Contiv fork only the plain session path does: snat_in2out_node_fn_inline
   * (vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210) writes `b0->flags |= VNET_BUFFER_F_IS_NATED;`
   * after its session lookup, and its load-balanced branch
   *   `s0 = snat_in2out_lb(sm, b0, ip0, ...); if (!s0 && !sm->forwarding_enabled) next0 = ..._DROP; goto trace0;`
   * jumps past it, as do the unknown-protocol (`s0 = snat_in2out_unknown_proto (...); ... goto trace0;`)
   * and ICMP branches; snat_in2out_lb, snat_in2out_unknown_proto, snat_hairpinning_unknown_proto
   * and icmp_in2out never write it. Nothing in out2in.c @ 0d305478 (snat_out2in_node_fn,
   * snat_out2in_lb, snat_out2in_unknown_proto, icmp_out2in) writes it either.
   */
  private in2outTranslate(vm: Vm, b: VlibBuffer, ip: number, s: number, output: boolean, nated: boolean): void {
    const t = this.thread;
    if (nated && !vm.hasFault(Fault.NAT_TRANSLATION)) b.flags |= BufferFlag.IS_NATED;
    this.rewriteBySession(vm, b, ip, s, 'in2out');
    if (!output && !vm.hasFault(Fault.NAT_TRANSLATION)) b.txSwIfIndex = t.o2iFib(s);
    this.afterTranslation(b.bytes, ip, s, 'in2out');
  }

  /**
   * Unknown IP protocol (snat_in2out_unknown_proto; vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210,
   * stable-1801-contiv; upstream liangfudeng/vpp @ 667cdb51 the same but for the recycling): a
   * 3-tuple session {src, dst, protocol} (ED keys with ports 0), created on a miss:
   *   maximum_sessions_exceeded -> MAX_SESSIONS_EXCEEDED, return 0;
   *   u = nat_user_get_or_create (sm, &ip->src_address, rx_fib_index, ...);
   *   static_mapping_by_local {src, 0, 0, rx_fib} hit -> new_addr = m->external_addr, is_sm = 1;
   *   else "Choose same out address as for TCP/UDP session to same destination" (unknownProtoAddress);
   *   s = nat_session_alloc_or_recycle; flags UNKNOWN_PROTO | ENDPOINT_DEPENDENT (| STATIC_MAPPING);
   *   in2out_ed {src, dst, proto, rx_fib}, out2in_ed {new_addr, dst, proto, outside fib}.
   * No address -> `return 0` without b->error: the node drops it (`if (!s0) next0 = ..._DROP`),
   * printing session ~0. After translating, on input nodes only (TX still ~0):
   *   if (vnet_buffer(b)->sw_if_index[VLIB_TX] == ~0) snat_hairpinning_unknown_proto(sm, b, ip);
   *   if (vnet_buffer(b)->sw_if_index[VLIB_TX] == ~0) vnet_buffer(b)->sw_if_index[VLIB_TX] = sm->outside_fib_index;
   */
  private in2outUnknownProto(vm: Vm, b: VlibBuffer, ip: number, ipProto: number, rxFib: number, output: boolean): NatOutcome {
    const t = this.thread;
    const src = u32(b.bytes, ip + 12);
    const dst = u32(b.bytes, ip + 16);
    let s = NatThreadState.getEd(t.in2outEd, src, dst, ipProto, rxFib, 0, 0);
    if (s === MISS) {
      if (t.maximumSessionsExceeded()) return this.done(I2O.DROP, -1, NatError.MAX_SESSIONS_EXCEEDED);
      const u = t.userOf(src, rxFib);
      const m = this.mappings.findByLocal(src, 0, 0, rxFib);
      const isSm = m !== undefined && m.addrOnly;
      const outAddr = isSm ? m.externalAddr : this.unknownProtoAddress(u, dst, ipProto, rxFib);
      if (outAddr === undefined) return this.done(I2O.DROP, -1, UNKNOWN_PROTO_NO_ADDRESS_SETS_NO_ERROR);
      s = this.newUnknownProtoSession(u, isSm, dst, ipProto, src, rxFib, outAddr, this.outsideFib);
    }
    this.translateAddress(vm, b, ip, 'src', t.o2iAddr(s));
    t.touch(s);
    if (!output && !vm.hasFault(Fault.NAT_TRANSLATION)) b.txSwIfIndex = this.hairpinUnknownProto(vm, b, ip, ipProto) ?? this.outsideFib;
    return this.done(I2O.LOOKUP, s);
  }

  /**
   * snat_hairpinning_unknown_proto (in2out.c @ 2994d210): a translated unknown-protocol packet to an
   * address of this NAT goes back inside - to the host of the 3-tuple session out2in_ed {dst, src,
   * protocol, outside FIB} names, else to the local address of an address-only mapping of dst:
   *   if (clib_bihash_search_16_8 (&sm->out2in_ed, &s_kv, &s_value)) {
   *     m_key = {dst, port 0, protocol 0, outside fib}; if (search static_mapping_by_external) return;
   *     TX = m->fib_index; new_addr = ip->dst_address.as_u32 = m->local_addr.as_u32;
   *   } else { s = ...; TX = s->in2out.fib_index; new_addr = ... = s->in2out.addr.as_u32; }
   *   (IP checksum updated for dst)
   * Returns the TX (FIB) it sets, undefined when dst is not hairpinned.
   */
  private hairpinUnknownProto(vm: Vm, b: VlibBuffer, ip: number, ipProto: number): number | undefined {
    const t = this.thread;
    const dst = u32(b.bytes, ip + 16);
    const s = NatThreadState.getEd(t.out2inEd, dst, u32(b.bytes, ip + 12), ipProto, this.outsideFib, 0, 0);
    if (s !== MISS) {
      this.translateAddress(vm, b, ip, 'dst', t.i2oAddr(s));
      return t.i2oFib(s);
    }
    const m = this.mappings.findByExternal(dst, 0, 0);
    if (!m || !m.addrOnly) return undefined;
    this.translateAddress(vm, b, ip, 'dst', m.localAddr);
    return m.fib;
  }

  /**
   * A new unknown-protocol session between {inAddr, inFib} and {outAddr, outFib} for the peer
   * `remote`: flags UNKNOWN_PROTO | ENDPOINT_DEPENDENT (| STATIC_MAPPING), `s->in2out.port =
   * s->out2in.port = ip->protocol`, ED keys to and from `remote` with ports 0. No address index is
   * kept: the model uses it only to free a dynamic port, and such a session holds none.
   */
  private newUnknownProtoSession(user: number, isStatic: boolean, remote: number, ipProto: number, inAddr: number, inFib: number, outAddr: number, outFib: number): number {
    const t = this.thread;
    const s = t.allocate(user, isStatic);
    t.addFlags(s, SessionFlag.UNKNOWN_PROTO | SessionFlag.ENDPOINT_DEPENDENT | (isStatic ? SessionFlag.STATIC_MAPPING : 0));
    t.setOutsideAddressIndex(s, -1);
    t.setExtHost(s, remote, 0);
    t.setIn2out(s, inAddr, ipProto, 0, inFib);
    t.setOut2in(s, outAddr, ipProto, 0, outFib);
    t.hashEdIn2out(s, inAddr, remote, ipProto, inFib, 0, 0);
    t.hashEdOut2in(s, outAddr, remote, ipProto, outFib, 0, 0);
    return s;
  }

  /**
   * snat_in2out_unknown_proto's "Fallback to 3-tuple key", as written (inverted test included):
   *   if (!clib_bihash_search_8_8 (&tsm->user_hash, &kv, &value))   // kv = {src, port 0, proto 0, rx_fib}
   *     walk the user's sessions, oldest first: the first with ext_host_addr == dst gives
   *     new_addr = s->out2in.addr; if out2in_ed {new_addr, dst, proto, outside fib} is *free*
   *     -> break (to the pool loop), else -> create_ses with new_addr (its key is overwritten);
   *   for each pool address: the first whose out2in_ed key is free; none -> return 0.
   * The user_hash probe uses the static-mapping key: it equals the user key {src, fib} only for FIB 0
   * (port 0, protocol 0, the FIB in bits 51-63 of the u64 instead of 32-63), so the walk happens
   * only for rx FIB 0. Undefined: no address.
   */
  private unknownProtoAddress(user: number, dst: number, ipProto: number, rxFib: number): number | undefined {
    const t = this.thread;
    if (rxFib === 0) {
      for (const s of t.userSessions(user)) {
        if (t.extHostAddr(s) !== dst) continue;
        const a = t.o2iAddr(s);
        if (NatThreadState.getEd(t.out2inEd, a, dst, ipProto, this.outsideFib, 0, 0) !== MISS) return a;
        break;
      }
    }
    for (const a of this.addresses.addresses) {
      if (NatThreadState.getEd(t.out2inEd, a.addr, dst, ipProto, this.outsideFib, 0, 0) === MISS) return a.addr;
    }
    return undefined;
  }

  private icmpIn2out(vm: Vm, b: VlibBuffer, ip: number, rxFib: number, output: boolean): NatOutcome {
    const p = b.bytes;
    const t = this.thread;
    const k = icmpKey(p, ip, 'in2out');
    if (!k) return this.done(I2O.DROP, -1, NatError.UNSUPPORTED_PROTOCOL);
    const type = p[ip + ip4HeaderLength(p, ip)];
    const key: NatKey = { ...k, fib: rxFib };
    const hit = NatThreadState.getKey8(t.in2out, key.addr, key.port, key.proto, key.fib);
    let s: number;
    if (hit === MISS) {
      if (this.notTranslate(vm, b, p, ip, NatProto.ICMP, u32(p, ip + 16), output ? k.port : icmpChecksumAsPort(p, ip), output)) return this.done(I2O.LOOKUP);
      if (isIcmpError(type)) return this.done(I2O.DROP, -1, NatError.BAD_ICMP_TYPE);
      const made = this.slowPathSession(p, ip, key, k.port);
      if (typeof made === 'string') return this.done(I2O.DROP, -1, made);
      s = made;
    } else {
      if (type !== ICMP_ECHO_REQUEST && type !== ICMP_ECHO_REPLY && !isIcmpError(type)) {
        return this.done(I2O.DROP, -1, NatError.BAD_ICMP_TYPE);
      }
      s = hit === LB_STATIC ? this.icmpLbSession(p, ip, 'in2out', rxFib) : hit;
      if (s < 0) return this.done(I2O.DROP, -1, this.lbError);
      if (!t.isLive(s)) return this.done(I2O.LOOKUP);
    }
    if (!this.icmpRewrite(vm, b, ip, 'in2out', t.o2iAddr(s), t.o2iPort(s))) return this.done(I2O.DROP, s, CHECKSUM_DROP_SETS_NO_ERROR);
    if (!output && !vm.hasFault(Fault.NAT_TRANSLATION)) {
      b.txSwIfIndex = t.o2iFib(s);
      // icmp_in2out_slow_path: `if (vnet_buffer(b0)->sw_if_index[VLIB_TX] == 0) snat_icmp_hairpinning (...)`
      if (b.txSwIfIndex === 0 && !isIcmpError(type)) this.icmpHairpin(vm, b, ip);
    }
    t.touch(s);
    return this.done(I2O.LOOKUP, s);
  }

  /**
   * snat_icmp_hairpinning (in2out.c @ 2994d210), for a translated echo message: one to an address of
   * this NAT goes back inside. Key {dst, the (translated) identifier, ICMP, outside FIB}:
   *   out2in miss -> snat_static_mapping_match (by external): dst := sm0.addr, TX := sm0.fib_index;
   *   out2in hit  -> dst := s0->in2out.addr, TX := s0->in2out.fib_index, identifier := s0->in2out.port;
   * the dst with an incremental IP checksum, the identifier with an incremental ICMP checksum.
   */
  private icmpHairpin(vm: Vm, b: VlibBuffer, ip: number): void {
    const p = b.bytes;
    const t = this.thread;
    const dst = u32(p, ip + 16);
    const id = u16(p, ip + ip4HeaderLength(p, ip) + 4);
    const s = NatThreadState.getKey8(t.out2in, dst, id, NatProto.ICMP, this.outsideFib);
    // An ICMP LB mapping's `~0` would make VPP index the session pool with ~0: left alone.
    if (s === LB_STATIC) return;
    let addr: number;
    if (s === MISS) {
      const m = this.mappings.matchExternal(dst, id, NatProto.ICMP, this.random);
      if (!m) return;
      addr = m.key.addr;
      b.txSwIfIndex = m.key.fib;
    } else {
      addr = t.i2oAddr(s);
      b.txSwIfIndex = t.i2oFib(s);
      setEchoId(p, ip, t.i2oPort(s), this.rewriteOptions(vm));
    }
    natRewriteAddress(p, ip, 'dst', addr, this.rewriteOptions(vm));
  }

  /**
   * An ICMP message whose 8-byte key is an LB mapping's `~0` (an echo of an ICMP LB mapping, or an
   * error quoting a packet of a load-balanced flow): the session of its endpoint-dependent key, never
   * a new one (icmp_match_out2in_slow / icmp_match_in2out_slow, out2in.c @ 0d305478, in2out.c @
   * 2994d210):
   *   if (PREDICT_FALSE (value0.value == ~0ULL)) { ...
   *     if (icmp_get_ed_key (ip0, &key)) { b0->error = ...[..._ERROR_UNSUPPORTED_PROTOCOL]; next0 = ..._DROP; goto out; }
   *     key.fib_index = rx_fib_index0; ...
   *     if (!clib_bihash_search_16_8 (&sm->out2in_ed (in2out_ed), &s_kv, &s_value)) s0 = ...;
   *     else { next0 = ..._DROP; goto out; } }
   * -1 (lbError set): none.
   */
  private icmpLbSession(p: Uint8Array, ip: number, dir: Direction, rxFib: number): number {
    const k = icmpEdKey(p, ip, dir);
    if (!k) return this.lbFailed(NatError.UNSUPPORTED_PROTOCOL);
    const t = this.thread;
    const s = NatThreadState.getEd(dir === 'out2in' ? t.out2inEd : t.in2outEd, k.lAddr, k.rAddr, k.proto, rxFib, k.lPort, k.rPort);
    return s === MISS ? this.lbFailed(NO_ERROR_SET) : s;
  }

  /**
   * snat_not_translate (input nodes) / nat_not_translate_output_feature (output nodes): whether an
   * in2out miss should pass untranslated.
   */
  private notTranslate(vm: Vm, b: VlibBuffer, p: Uint8Array, ip: number, proto: NatProtoValue, dst: number, dport: number, output: boolean): boolean {
    const t = this.thread;
    if (output) {
      const l4 = ip + ip4HeaderLength(p, ip);
      const sport = proto === NatProto.ICMP ? dport : u16(p, l4);
      if (NatThreadState.getKey8(t.out2in, u32(p, ip + 12), sport, proto, this.outsideFib) !== MISS) return true;
      if (NatThreadState.getKey8(t.in2out, dst, dport, proto, this.insideFib) !== MISS) {
        // Hairpinning: translate only when RX is an inside output-feature interface.
        return !(this.itfs.outputFeature.has(b.rxSwIfIndex) && this.itfs.inside.has(b.rxSwIfIndex));
      }
      return false;
    }
    if (NatThreadState.getKey8(t.out2in, dst, dport, proto, this.outsideFib) !== MISS) return false;
    // Note: for an LB mapping this draws from the generator, as VPP's match does.
    if (this.mappings.matchExternal(dst, dport, proto, this.random)) return false;
    if (this.forwarding) return true;
    if (isInterfaceAddress(vm, b.rxSwIfIndex, dst)) return true;
    const sw = resolvingInterface(vm, rxFibIndex(vm, b), dst) ?? resolvingInterface(vm, this.outsideFib, dst);
    return !(sw !== undefined && this.itfs.outside.has(sw));
  }

  /** slow_path(): a new session from a static mapping by local address, else a dynamic address/port. */
  private slowPathSession(p: Uint8Array, ip: number, key: NatKey, dport: number): Made {
    const t = this.thread;
    if (t.maximumSessionsExceeded()) return NatError.MAX_SESSIONS_EXCEEDED;
    const u = t.userOf(key.addr, key.fib);
    const m = this.mappings.match(key, false, this.random);
    let outAddr: number;
    let outPort: number;
    let addressIndex = -1;
    if (m) {
      outAddr = m.key.addr;
      outPort = m.key.port;
    } else {
      const a = this.addresses.allocate(key.proto, key.fib, this.random);
      if (!a) return NatError.OUT_OF_PORTS;
      addressIndex = a.index;
      outAddr = a.addr;
      outPort = a.port;
    }
    const s = t.allocate(u, m !== undefined);
    if (m) t.addFlags(s, SessionFlag.STATIC_MAPPING);
    t.setOutsideAddressIndex(s, addressIndex);
    t.setIn2out(s, key.addr, key.port, key.proto, key.fib);
    t.setOut2in(s, outAddr, outPort, key.proto, this.outsideFib);
    t.setExtHost(s, u32(p, ip + 16), dport);
    t.hash(s);
    return s;
  }

  /** create_session_for_static_mapping (out2in): a session initiated from outside to a static mapping. -1: too many. */
  private sessionForStaticMapping(p: Uint8Array, ip: number, m: MappingMatch, addr: number, port: number, proto: NatProtoValue, sport: number): number {
    const t = this.thread;
    if (t.maximumSessionsExceeded()) return -1;
    const s = t.allocate(t.userOf(m.key.addr, m.key.fib), true);
    t.addFlags(s, SessionFlag.STATIC_MAPPING);
    t.setOutsideAddressIndex(s, -1);
    t.setExtHost(s, u32(p, ip + 12), sport);
    t.setOut2in(s, addr, port, proto, this.outsideFib);
    t.setIn2out(s, m.key.addr, m.key.port, m.key.proto, m.key.fib);
    t.hash(s);
    return s;
  }

  /** Why the last LB session lookup gave none: the drop's error string, or undefined where VPP sets none. */
  private lbError: string | undefined = undefined;

  private lbFailed(error: string | undefined): number {
    this.lbError = error;
    return -1;
  }

  /** out2in via an LB mapping's `~0` entry (§8.5): the ED session, or a new one with a fresh pick. -1: none. */
  private lbOut2inSession(vm: Vm, p: Uint8Array, ip: number, ipProto: number, proto: NatProtoValue, vip: number, vport: number, rxFib: number, sport: number): number {
    const client = u32(p, ip + 12);
    const hit = this.lbOut2inEd(ipProto, vip, vport, rxFib, client, sport);
    if (hit !== MISS) return this.thread.isLive(hit) ? hit : this.lbFailed(NO_ERROR_SET);
    return this.newLbOut2inSession(vm, ipProto, proto, vip, vport, rxFib, client, sport);
  }

  /** The out2in_ed lookup of snat_out2in_lb: {l = VIP, r = client, proto, RX FIB, VIP port, client port}. */
  private lbOut2inEd(ipProto: number, vip: number, vport: number, rxFib: number, client: number, sport: number): number {
    return NatThreadState.getEd(this.thread.out2inEd, vip, client, ipProto, rxFib, vport, sport);
  }

  /** The in2out_ed lookup of snat_in2out_lb: {l = backend, r = remote, proto, FIB, backend port, remote port}. */
  private lbIn2outEd(ipProto: number, addr: number, port: number, fib: number, dst: number, dport: number): number {
    return NatThreadState.getEd(this.thread.in2outEd, addr, dst, ipProto, fib, port, dport);
  }

  /**
   * lbOut2inSession's new session (its own function: the session hit stays small enough to inline).
   * snat_out2in_lb (vpp-dev/vpp src/plugins/nat/out2in.c @ 0d305478) checks the session limit
   * before the mapping match (so a full table draws no backend) and sets an error only for it and
   * for a twice-NAT pool out of ports; a failed pick (u8 prefix wrap, §8.5) is `return 0;` alone:
   *   if (maximum_sessions_exceeded) { b->error = ...[SNAT_OUT2IN_ERROR_MAX_SESSIONS_EXCEEDED]; return 0; }
   *   if (snat_static_mapping_match(sm, e_key, &l_key, 1, 0, &twice_nat, &lb)) return 0;
   *   ... s = nat_session_alloc_or_recycle; ... out2in_ed add ...
   *   if (twice_nat ...) { if (snat_alloc_outside_address_and_port (...))
   *       { b->error = ...[SNAT_OUT2IN_ERROR_OUT_OF_PORTS]; return 0; } ... }
   * The last leaves the session made so far (in out2in_ed, not in2out_ed) in place.
   */
  private newLbOut2inSession(vm: Vm, ipProto: number, proto: NatProtoValue, vip: number, vport: number, rxFib: number, client: number, sport: number): number {
    const t = this.thread;
    if (t.maximumSessionsExceeded()) return this.lbFailed(NatError.MAX_SESSIONS_EXCEEDED);
    const m = this.mappings.matchExternal(vip, vport, proto, this.random, vm.hasFault(Fault.NAT_BACKEND_CHOICE));
    if (!m) return this.lbFailed(NO_ERROR_SET);
    const s = t.allocate(t.userOf(m.key.addr, m.key.fib), true);
    t.addFlags(s, sessionFlagsOfEdMapping(m));
    t.setExtHost(s, client, sport);
    t.setOut2in(s, vip, vport, proto, this.outsideFib);
    t.setIn2out(s, m.key.addr, m.key.port, m.key.proto, m.key.fib);
    t.hashEdOut2in(s, vip, client, ipProto, rxFib, vport, sport);
    const twice = m.mapping.twiceNat || (m.mapping.selfTwiceNat && client === m.key.addr);
    let rAddr = client;
    let rPort = sport;
    if (twice) {
      // From the twice-NAT pool, FIB 0, and the session keeps no address index (freed by address):
      //   snat_alloc_outside_address_and_port (sm->twice_nat_addresses, 0, thread_index, &eh_key, ...)
      //   key.r_addr.as_u32 = s->ext_host_nat_addr.as_u32 = eh_key.addr.as_u32; ...
      const a = this.twiceNatAddresses.allocate(proto, 0, this.random);
      if (!a) return this.lbFailed(NatError.OUT_OF_PORTS);
      t.addFlags(s, SessionFlag.TWICE_NAT);
      t.setExtHostNat(s, a.addr, a.port);
      rAddr = a.addr;
      rPort = a.port;
    }
    t.hashEdIn2out(s, m.key.addr, rAddr, ipProto, m.key.fib, m.key.port, rPort);
    return s;
  }

  /** in2out via an LB backend's `~0` entry {addr, port, proto, fib}: the ED session, else one from static_mapping_by_local. -1: none. */
  private lbIn2outSession(p: Uint8Array, ip: number, ipProto: number, addr: number, port: number, proto: NatProtoValue, fib: number): number {
    const t = this.thread;
    const l4 = ip + ip4HeaderLength(p, ip);
    const dst = u32(p, ip + 16);
    const dport = u16(p, l4 + 2);
    const hit = this.lbIn2outEd(ipProto, addr, port, fib, dst, dport);
    if (hit === MISS) return this.newLbIn2outSession(ipProto, addr, port, proto, fib, dst, dport);
    if (!t.isLive(hit)) return this.lbFailed(NO_ERROR_SET);
    // A backend's reply to a client that reached it directly (forwarding on): no translation.
    if (t.flags(hit) & SessionFlag.FWD_BYPASS) {
      this.bypassReply(p, ip, hit);
      return this.lbFailed(NO_ERROR_SET);
    }
    return hit;
  }

  /**
   * lbIn2outSession's new session (its own function: the session hit stays small). snat_in2out_lb
   * (in2out.c @ 2994d210): `if (maximum_sessions_exceeded) { b->error =
   * ...[SNAT_IN2OUT_ERROR_MAX_SESSIONS_EXCEEDED]; return 0; }`, then
   * `if (snat_static_mapping_match(sm, l_key, &e_key, 0, 0, 0, &lb)) return 0;` (no error).
   */
  private newLbIn2outSession(ipProto: number, addr: number, port: number, proto: NatProtoValue, fib: number, dst: number, dport: number): number {
    const t = this.thread;
    if (t.maximumSessionsExceeded()) return this.lbFailed(NatError.MAX_SESSIONS_EXCEEDED);
    const m = this.mappings.matchLocal(addr, port, proto, fib);
    if (!m) return this.lbFailed(NO_ERROR_SET);
    const s = t.allocate(t.userOf(addr, fib), true);
    t.addFlags(s, sessionFlagsOfEdMapping(m));
    t.setExtHost(s, dst, dport);
    t.setIn2out(s, addr, port, proto, fib);
    t.setOut2in(s, m.key.addr, m.key.port, m.key.proto, m.key.fib);
    t.hashEdIn2out(s, addr, dst, ipProto, fib, port, dport);
    t.hashEdOut2in(s, m.key.addr, dst, ipProto, this.outsideFib, m.key.port, dport);
    return s;
  }

  /** next_src_nat: is {src, sport} a known inside endpoint (then out2in hands it to in2out, next 4)? */
  private nextSrcNat(p: Uint8Array, ip: number, proto: NatProtoValue, sport: number): boolean {
    return NatThreadState.getKey8(this.thread.in2out, u32(p, ip + 12), sport, proto, this.insideFib) !== MISS;
  }

  /**
   * create_bypass_for_fwd: with forwarding on, an untranslated out2in packet still takes a session
   * (flag FWD_BYPASS) under the ED key {l=dst, r=src, FIB 0} (ICMP: icmp_get_ed_key's, see the
   * caller), with a NAT user for the destination.
   * It takes a NAT session POOL INDEX like any other session: vpp-facts §8.3 ("It uses up a pool
   * index") and §11.1 ("Forwarding bypass sessions consume NAT session indices"); tested in
   * test/vpp-perf/facts.test.ts.
   * Found or made, the session then follows the flow's TCP close (a bypassed flow's session is freed
   * like any other) and moves to its user's LRU tail: create_bypass_for_fwd (vpp-dev/vpp
   * src/plugins/nat/out2in.c @ 0d305478, stable-1801-contiv; the same in upstream 18.07+ with
   * nat44_set_tcp_session_state_o2i) ends
   *   if (ip->protocol == IP_PROTOCOL_TCP) { tcp_header_t *tcp = ip4_next_header(ip);
   *       nat44_set_tcp_session_state (sm, s, tcp, thread_index); }
   *   /\* Per-user LRU list maintenance *\/ clib_dlist_remove (...); clib_dlist_addtail (...);
   */
  private createBypass(p: Uint8Array, ip: number, lAddr: number, rAddr: number, edProto: number, lPort: number, rPort: number): void {
    const t = this.thread;
    let s = NatThreadState.getEd(t.in2outEd, lAddr, rAddr, edProto, 0, lPort, rPort);
    if (s === MISS) {
      if (t.maximumSessionsExceeded()) return;
      // The user is the packet's destination (`nat_user_get_or_create (sm, &ip->dst_address, ...)`).
      s = t.allocate(t.userOf(u32(p, ip + 16), this.insideFib), false);
      t.addFlags(s, SessionFlag.FWD_BYPASS);
      t.setExtHost(s, rAddr, rPort);
      const proto = natProtoOf(edProto);
      t.setOut2in(s, lAddr, lPort, proto < 0 ? 0 : proto, 0);
      t.setIn2out(s, lAddr, lPort, proto < 0 ? 0 : proto, 0);
      t.hashEdIn2out(s, lAddr, rAddr, edProto, 0, lPort, rPort);
    } else if (!t.isLive(s)) return;
    this.afterTranslation(p, ip, s, 'out2in');
  }

  /**
   * A packet from inside that hit a forwarding-bypass session leaves untranslated, but the session
   * follows its TCP close and LRU place as on the way in: nat_not_translate_output_feature_fwd and
   * snat_in2out_lb (vpp-dev/vpp src/plugins/nat/in2out.c @ 2994d210) both do
   *   if (is_fwd_bypass_session (s)) { if (ip->protocol == IP_PROTOCOL_TCP) { ...
   *       if (nat44_set_tcp_session_state (sm, s, tcp, thread_index)) return ...; }
   *     /\* Per-user LRU list maintenance *\/ ...; return ...; }
   */
  private bypassReply(p: Uint8Array, ip: number, s: number): void {
    this.afterTranslation(p, ip, s, 'in2out');
  }

  /** nat_not_translate_output_feature_fwd: a reply of a forwarding-bypass flow leaves untranslated. */
  private bypassedOnOutput(p: Uint8Array, ip: number, ipProto: number): boolean {
    const t = this.thread;
    let hit: number;
    if (ipProto === IpProtocol.TCP || ipProto === IpProtocol.UDP) {
      const l4 = ip + ip4HeaderLength(p, ip);
      hit = NatThreadState.getEd(t.in2outEd, u32(p, ip + 12), u32(p, ip + 16), ipProto, 0, u16(p, l4), u16(p, l4 + 2));
    } else if (ipProto === IpProtocol.ICMP) {
      // `if (icmp_get_ed_key (ip, &key)) return 0;` (an error: the quoted packet, in2out.c @ 2994d210)
      const k = icmpEdKey(p, ip, 'in2out');
      if (!k) return false;
      hit = NatThreadState.getEd(t.in2outEd, k.lAddr, k.rAddr, k.proto, 0, k.lPort, k.rPort);
    } else {
      // Other protocols: `key.l_port = key.r_port = 0;`
      hit = NatThreadState.getEd(t.in2outEd, u32(p, ip + 12), u32(p, ip + 16), ipProto, 0, 0, 0);
    }
    if (hit === MISS || !t.isLive(hit) || (t.flags(hit) & SessionFlag.FWD_BYPASS) === 0) return false;
    this.bypassReply(p, ip, hit);
    return true;
  }

  // ------------------------------------------------------------------ flow cache (../flow-cache.ts)
  /**
   * The session a TCP/UDP packet is translated with where it takes a NAT44 node's load-balanced
   * session hit, else -1; reads only, with the lookups the node makes (the flow cache's fast path
   * asks this instead of running the node):
   *   - out2in (nat44-out2in): TTL not 1, no fragment, the VIP's `~0` 8-byte entry, a live
   *     out2in_ed session, not twice-NAT; out2in() then rewrites the destination to the session's
   *     inside endpoint, sets TX to its inside FIB and runs afterTranslation;
   *   - in2out (nat44-in2out on an input interface): the same checks, the backend's `~0` 8-byte
   *     entry (so the fast path hands it to the slow path, which finds it again), a live in2out_ed
   *     session, neither twice-NAT nor a forwarding bypass; in2outSlow() then rewrites the source to
   *     the session's outside endpoint, sets TX to its outside FIB and runs afterTranslation.
   */
  lbHit(p: Uint8Array, ip: number, rxFib: number, dir: Direction): number {
    const proto = natProtoOf(p[ip + 9]);
    if ((proto !== NatProto.TCP && proto !== NatProto.UDP) || p[ip + 8] === 1 || isFragment(p, ip)) return -1;
    const ipProto = p[ip + 9];
    const t = this.thread;
    const l4 = ip + ip4HeaderLength(p, ip);
    const src = u32(p, ip + 12);
    const dst = u32(p, ip + 16);
    const sport = u16(p, l4);
    const dport = u16(p, l4 + 2);
    let s: number;
    let refused: number;
    if (dir === 'out2in') {
      if (NatThreadState.getKey8(t.out2in, dst, dport, proto, rxFib) !== LB_STATIC) return -1;
      s = this.lbOut2inEd(ipProto, dst, dport, rxFib, src, sport);
      refused = SessionFlag.TWICE_NAT;
    } else {
      if (NatThreadState.getKey8(t.in2out, src, sport, proto, rxFib) !== LB_STATIC) return -1;
      s = this.lbIn2outEd(ipProto, src, sport, rxFib, dst, dport);
      refused = SessionFlag.TWICE_NAT | SessionFlag.FWD_BYPASS;
    }
    return s === MISS || !t.isLive(s) || (t.flags(s) & refused) !== 0 ? -1 : s;
  }

  /**
   * The rewrite of a TCP/UDP packet by session s: out2in, the destination to the session's inside
   * endpoint (and, twice-NAT, the source to its external host's NAT address); in2out the reverse.
   */
  private rewriteBySession(vm: Vm, b: VlibBuffer, ip: number, s: number, dir: Direction): void {
    const t = this.thread;
    const twice = (t.flags(s) & SessionFlag.TWICE_NAT) !== 0;
    if (dir === 'out2in') {
      this.translate(vm, b, ip, 'dst', t.i2oAddr(s), t.i2oPort(s));
      if (twice) this.translate(vm, b, ip, 'src', t.extHostNatAddr(s), t.extHostNatPort(s));
    } else {
      this.translate(vm, b, ip, 'src', t.o2iAddr(s), t.o2iPort(s));
      if (twice) this.translate(vm, b, ip, 'dst', t.extHostAddr(s), t.extHostPort(s));
    }
  }

  /** rewriteBySession for the flow cache, where it makes a frame a caller keeps. */
  rewritten(vm: Vm, b: VlibBuffer, ip: number, s: number, dir: Direction): void {
    this.rewriteBySession(vm, b, ip, s, dir);
  }

  /**
   * What a translated packet does to its session besides the rewrite (afterTranslation: LRU, TCP
   * close tracking, the free at close), for the flow cache. `p`/`ip`: the packet's IP header before
   * or after the rewrite (only the protocol, header length, TCP flags and sequence numbers are read,
   * which NAT does not rewrite).
   */
  translated(p: Uint8Array, ip: number, s: number, dir: Direction): void {
    this.afterTranslation(p, ip, s, dir);
  }

  // ------------------------------------------------------------------ rewriting
  private rewriteOptions(vm: Vm): RewriteOptions {
    return vm.hasFault(Fault.NAT_CHECKSUM_UPDATE) ? STALE : FRESH;
  }

  private translate(vm: Vm, b: VlibBuffer, ip: number, side: 'src' | 'dst', addr: number, port: number): void {
    if (vm.hasFault(Fault.NAT_TRANSLATION)) return;
    natRewrite(b.bytes, ip, side, addr, port, this.rewriteOptions(vm));
  }

  private translateAddress(vm: Vm, b: VlibBuffer, ip: number, side: 'src' | 'dst', addr: number): void {
    if (vm.hasFault(Fault.NAT_TRANSLATION)) return;
    natRewriteAddress(b.bytes, ip, side, addr, this.rewriteOptions(vm));
  }

  /** icmp_out2in / icmp_in2out: the rewrite, and no IS_NATED either way (see in2outTranslate). */
  private icmpRewrite(vm: Vm, b: VlibBuffer, ip: number, dir: Direction, addr: number, port: number): boolean {
    if (vm.hasFault(Fault.NAT_TRANSLATION)) return true;
    return icmpTranslate(b.bytes, ip, dir, addr, port, this.rewriteOptions(vm));
  }

  /** LRU, and TCP close tracking: at state 0xf the session is freed (the packet was translated already). */
  private afterTranslation(p: Uint8Array, ip: number, s: number, dir: Direction): void {
    const t = this.thread;
    t.touch(s);
    if (p[ip + 9] !== IpProtocol.TCP) return;
    const flags = p[ip + ip4HeaderLength(p, ip) + 13];
    const state = t.tcpState(s);
    // Most packets carry no FIN and ACK no FIN of the other side: the state stays as it is.
    if ((flags & TCP_FIN) === 0 && (state & (dir === 'in2out' ? SES_O2I_FIN : SES_I2O_FIN)) === 0) {
      if (state === 0xf) t.delete(s);
      return;
    }
    this.trackClose(p, ip, s, dir, flags, state);
  }

  /** TCP close tracking of a FIN, or of an ACK after the other side's FIN. */
  private trackClose(p: Uint8Array, ip: number, s: number, dir: Direction, flags: number, state: number): void {
    const t = this.thread;
    const l4 = ip + ip4HeaderLength(p, ip);
    // The sequence and acknowledgement numbers are read only where a FIN makes them matter: read on
    // every packet, half of them (u32 at or above 2^31) were a heap number each.
    if (dir === 'in2out') {
      if (flags & TCP_FIN) {
        t.setI2oFinSeq(s, u32(p, l4 + 4));
        state |= SES_I2O_FIN;
      }
      if (flags & TCP_ACK && state & SES_O2I_FIN && u32(p, l4 + 8) > t.o2iFinSeq(s)) state |= SES_O2I_FIN_ACK;
    } else {
      if (flags & TCP_FIN) {
        t.setO2iFinSeq(s, u32(p, l4 + 4));
        state |= SES_O2I_FIN;
      }
      if (flags & TCP_ACK && state & SES_I2O_FIN && u32(p, l4 + 8) > t.i2oFinSeq(s)) state |= SES_I2O_FIN_ACK;
    }
    t.setTcpState(s, state);
    if (state === 0xf) t.delete(s);
  }

  /** TTL 1 on a NAT node: ICMP time exceeded (in transit), TX cleared, no decrement. */
  private ttlExpired(b: VlibBuffer, slot: number): NatOutcome {
    b.txSwIfIndex = NONE;
    b.setIcmp(11, 0, 0);
    return this.done(slot);
  }
}

// ------------------------------------------------------------------ helpers
/**
 * A session snat_out2in_lb / snat_in2out_lb make: `s->flags |= SNAT_SESSION_FLAG_STATIC_MAPPING; if
 * (lb) s->flags |= SNAT_SESSION_FLAG_LOAD_BALANCING; s->flags |= SNAT_SESSION_FLAG_ENDPOINT_DEPENDENT;`
 * (lb: the mapping has locals; a twice-NAT or out2in-only plain mapping has none).
 */
function sessionFlagsOfEdMapping(m: MappingMatch): number {
  const lb = m.mapping.locals.length > 0 ? SessionFlag.LOAD_BALANCING : 0;
  return SessionFlag.STATIC_MAPPING | lb | SessionFlag.ENDPOINT_DEPENDENT;
}

const STALE: RewriteOptions = { staleChecksums: true };
const FRESH: RewriteOptions = {};

function rxFibIndex(vm: Vm, b: VlibBuffer): number {
  return vm.interfaces.get(b.rxSwIfIndex)?.fibIndex ?? 0;
}

/**
 * The "destination port" snat_not_translate reads for an ICMP message on an input node: it takes
 * `udp0 = ip4_next_header (ip0); key0.port = udp0->dst_port;` whatever the protocol, i.e. bytes 2-3
 * of the ICMP header, the ICMP checksum, for its out2in and static-mapping lookups (in2out.c @
 * 2994d210; icmp_match_in2out_slow passes no port to it). The output variant,
 * nat_not_translate_output_feature, is given `key0.port, key0.port` (the echo identifier).
 */
function icmpChecksumAsPort(p: Uint8Array, ip: number): number {
  return u16(p, ip + ip4HeaderLength(p, ip) + 2);
}

/** Output-feature nodes read the IP header after the L2 rewrite ip4-rewrite put in front. */
function ipOffset(b: VlibBuffer, output: boolean): number {
  return b.start + (output ? b.saveRewriteLength : 0);
}

/** ip4_is_fragment: MF set or a non-zero offset. */
function isFragment(p: Uint8Array, ip: number): boolean {
  return (u16(p, ip + 6) & 0x3fff) !== 0;
}

/**
 * is_interface_addr (vpp-dev/vpp src/plugins/nat/nat.h @ 2994d210, "Don't NAT packet aimed at the
 * intfc address"): compares with ip4_interface_first_address (sw_if_index) only, the head of the
 * interface's address list; ip_interface_address_add_del (lookup.c, 18.01 era) appends a new
 * address at the tail, so that is the address configured first (the scenario's first). An echo to
 * a second address of the interface is not "the intfc address". (The node's one-entry cache of that
 * address per sw_if_index changes nothing while configuration does not change.)
 */
function isInterfaceAddress(vm: Vm, swIfIndex: number, addr: number): boolean {
  const first = vm.interfaces.get(swIfIndex)?.ip4[0];
  return first !== undefined && first.address === addr;
}

/** fib_entry_get_resolving_interface: the one interface the entry's DPO leads to, if any. */
function resolvingInterface(vm: Vm, fib: number, addr: number): number | undefined {
  const lbIndex = vm.fibLookupLb(fib, addr);
  const lb = lbIndex >= 0 ? vm.loadBalances.get(lbIndex) : undefined;
  if (!lb || lb.buckets.length !== 1) return undefined;
  const d = lb.buckets[0];
  if (d.type === 'adj') return vm.adjacencies.get(d.index)?.swIfIndex;
  if (d.type === 'receive') return d.swIfIndex;
  return undefined;
}
