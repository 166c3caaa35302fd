// An exact per-flow path cache for untraced runs (in the spirit of OVS's megaflow cache, but
// exact): once a flow's packets have been seen to take the Contiv pod<->service forwarding path,
//   <tap/dpdk>-input -> ethernet-input -> ip4-input -> [acl-plugin-in-ip4-fa: session hit]
//   -> nat44-out2in (LB session) | nat44-in2out -> nat44-in2out-slowpath (LB session)
//   -> ip4-lookup (one bucket, a rewrite adjacency) -> ip4-rewrite
//   -> [acl-plugin-out-ip4-fa: session hit] -> <if>-output -> transmit,
// a later packet of the flow that passes every check below does what those nodes would do to the
// model's state - ACL sessions' flags, times and class lists (AclState.sessionHit), the NAT44
// session's LRU place, packet count and TCP close tracking (Nat44.translated), the transmit count
// (Vm.transmit) - with no node dispatch, no copy into a buffer and no session hash lookup for the
// ACL sessions (each is checked in its own record instead: AclSessionTable.holds). The flow's entry
// is found through the NAT44 session the packet's own lookups find (see STRIDE).
//
// Measured (the benchmark's connection workload, warm, CPU per packet, the same build with the cache
// off and on): ~1,050 ns -> ~750 ns; 76% of its packets take the fast path (a connection's SYN and
// SYN-ACK, which make sessions, and the packets before a flow's entry is learnt run the graph). The fast path costs ~280 ns where the flows' state is in the caches; on a million
// connections' tables its cache misses, which the graph's node work hides, are most of its cost.
//
// Why it is exact: every decision those nodes take is either re-checked per packet (the frame's
// Ethernet/IPv4 header as ethernet-input and ip4-input test it, TTL, fragments, MTU; the ACL
// sessions in their records; the NAT44 session by the lookups the NAT node makes:
// Nat44.lbHit), or is configuration that the entry's shape pins: the feature
// lists on both interfaces (by identity of the sorted lists Vm keeps), interfaces, load-balances
// and adjacencies (their maps' versions and the objects' fields), the FIB's mtrie (the object the
// entry's load-balance was looked up in, not stale). A shape is checked once per run (beginRun: one
// counting call, during which only packets run, and packets change no configuration), as any
// code that may change configuration runs between runs. All checks come before the first state
// change; any check failing leaves the packet to the graph, untouched. Faults (vm.faults),
// tracing and injection at a node never use the cache.
//
// A frame nobody keeps (a counting replay: injectCounting, injectFramesCounting, the benchmark) is
// only counted; a frame kept as an output or sent across a link is made with the nodes' own
// rewrites (Nat44.rewritten, ip4-rewrite's decrementTtl and writeL2Rewrite) in a buffer as the
// graph would have it, and transmitted by Vm.transmit.

import { i32, setU16, setU32, u16 } from '../../harness/wire/bytes.js';
import { IpProtocol } from '../../harness/wire/ipv4.js';
import { ACL_STATE } from './acl/nodes.js';
import type { AclState } from './acl/engine.js';
import type { Vm } from './graph.js';
import { NAT44_STATE } from './nat44/nodes.js';
import type { Nat44 } from './nat44/engine.js';
import type { Direction } from './nat44/icmp.js';
import { macAcceptsUnicast } from './nodes/ethernet-input.js';
import { headerSumsTo0xffff } from './nodes/ip4-input.js';
import { decrementTtl, writeL2Rewrite } from './nodes/ip4-rewrite.js';
import type { VlibBuffer } from './buffer.js';
import type { Adjacency, Dpo, Fib, LoadBalance, SwInterface } from './state.js';
import { currentMtrie, type Ip4Mtrie } from './fib-mtrie.js';
import { grown } from './nat44/vpp-pool.js';

const ACL_IN = 'acl-plugin-in-ip4-fa';
const ACL_OUT = 'acl-plugin-out-ip4-fa';
const NAT_OUT2IN = 'nat44-out2in';
const NAT_IN2OUT = 'nat44-in2out';

/** Which NAT44 node the rx interface's ip4-unicast arc ends its features with. */
const OUT2IN = 1;
const IN2OUT = 2;
/** NAT44's name for each. */
const DIRECTION: readonly Direction[] = ['out2in', 'out2in', 'in2out'];

/**
 * Words per entry. Entries are found through the NAT44 session the packet's own lookups find (the
 * one lookup the fast path must make anyway, as NAT44's hashes may map a key to another session
 * over time): entry 2s + direction belongs to session s. So the entries live in a table as dense as
 * the session pool (sessions' indices are reused), not in a hash of their own.
 */
const STRIDE = 16;
// Words 0-3: the flow's key (src, dst, the L4 port word, protocol | rx sw_if_index << 8); word 3
// is EMPTY where no entry was made (a key's is never 0: its protocol is TCP or UDP).
const EMPTY = 0;
const SHAPE = 4;
const ACL_IN_SESSION = 5;
const ACL_OUT_SESSION = 6;
/** The ACL output session's key words (7-10), made from the translated header. */
const OUT_KEY = 7;
/** The NAT44 translation: the new address and port of the rewritten side, and the FIB TX is set to. */
const XL_ADDR = 11;
const XL_PORT = 12;
const XL_FIB = 13;

/** Shapes kept before the cache starts over (a shape is an interface pair and an adjacency). */
const MAX_SHAPES = 256;
/** rx sw_if_index values the cache takes frames from (an interface index is small in practice). */
const PLANS = 1 << 16;

const NO_FEATURES: string[] = [];

/** learnFlow's `sentOn` for a flow not run yet. */
const NO_INTERFACE = -1;

const TCP_SYN = 0x02;
const TCP_ACK = 0x10;

/** Smallest frame the fast path takes: Ethernet, a 20-byte IPv4 header, 20 bytes of TCP or UDP and more. */
const MIN_FRAME = 14 + 20 + 20;

/**
 * What a flow's path depends on besides the flow: the configuration it went through, as the graph
 * read it when the entry was made. Checked once per run (shapeHolds).
 */
interface Shape {
  /** Its place in FlowCache.shapes (entries name it so). */
  index: number;
  /** The run it was last checked in, and the outcome (shapeHolds). */
  checkedRun: number;
  holds: boolean;
  /** ip4-rewrite's MTU, read when checked (the packet path reads no configuration object). */
  mtu: number;
  rx: SwInterface;
  /** vm.features('ip4-unicast', rx) when made: the same array while the list is unchanged. */
  unicast: string[];
  aclIn: boolean;
  lbIndex: number;
  lb: LoadBalance;
  dpo: Dpo;
  adj: Adjacency;
  tx: SwInterface;
  output: string[];
  aclOut: boolean;
  /** The FIB TX names after NAT44 (the session's), and the mtrie the entries' load-balances were looked up in. */
  fib: Fib;
  mtrie: Ip4Mtrie;
  interfacesVersion: number;
  loadBalancesVersion: number;
  adjacenciesVersion: number;
}

/** Where the fast path gets the buffer of a frame someone keeps (VppInstance's reused one). */
export interface FrameBuffers {
  /** A buffer holding bytes[start, start + length) as a device input node fills it (VlibBuffer.refillFrom). */
  refill(bytes: Uint8Array, start: number, length: number): VlibBuffer;
}

/** The flow cache's reading of an rx interface's ip4-unicast features (Plan), per run. */
interface Plan {
  run: number;
  /** OUT2IN, IN2OUT, or 0: the arc does not end in a NAT44 node the cache follows. */
  nat: number;
  aclIn: boolean;
  rxFib: number;
  /** vm.features('ip4-unicast', rx) this run. */
  unicast: string[];
  /** What ethernet-input's my-MAC filter reads (SwInterface loads are megamorphic: not per packet). */
  mac: Uint8Array;
  macFilter: boolean;
}

export class FlowCache {
  /** STRIDE words per entry, entry 2s + direction - 1 for NAT44 session s. */
  private records = new Int32Array(0);
  private shapes: Shape[] = [];
  /** Per rx sw_if_index below PLANS: its Plan. */
  private readonly plans: (Plan | undefined)[] = [];
  /** The instance's ACL and NAT44 state, read where the nodes made it (never made here; a state, once made, is never replaced). */
  private acl: AclState | undefined;
  private nat: Nat44 | undefined;
  /** The current run (beginRun). */
  private run = 0;
  /** A session key learn() looks up with. */
  private readonly key = new Int32Array(4);

  constructor(readonly vm: Vm) {}

  /**
   * A run starts: configuration may have changed since the last (tests, a CLI), so every shape and
   * plan is checked again at its first use.
   */
  beginRun(): void {
    this.run++;
  }

  /** Forget every entry. */
  clear(): void {
    this.records.fill(EMPTY);
    this.shapes = [];
  }

  /** Entries made (tests). */
  get size(): number {
    let n = 0;
    for (let o = 0; o < this.records.length; o += STRIDE) if (this.records[o + 3] !== EMPTY) n++;
    return n;
  }

  /**
   * Run the frame bytes[start, start + length), arrived on `rx`, by its flow's entry if it has one
   * and every check holds: returns true when it did (the packet is done, as vm.run would have left
   * it), false when the graph must run it (nothing changed that the graph would not change the same
   * way). The caller has set vm.nowMs and vm.wire, and rules out tracing and faults.
   */
  forward(rx: SwInterface, bytes: Uint8Array, start: number, length: number, buffers: FrameBuffers): boolean {
    if (length < MIN_FRAME || bytes[start + 12] !== 0x08 || bytes[start + 13] !== 0x00) return false;
    const ip = start + 14;
    const proto = bytes[ip + 9];
    // ip4-input's checks and NAT44's: no options, TTL above 1 (no expiry anywhere on the path), no
    // fragment, a total length the frame holds, a valid header checksum.
    if (bytes[ip] !== 0x45 || bytes[ip + 8] <= 1 || (u16(bytes, ip + 6) & 0x3fff) !== 0) return false;
    const total = u16(bytes, ip + 2);
    if (total < 20 || length - 14 < total || (proto !== IpProtocol.TCP && proto !== IpProtocol.UDP)) return false;
    // Speed only: a connection's first SYN is a new flow (the graph makes its sessions): no NAT44
    // lookup spent on finding that out here (learn() makes no entry from one either).
    if (proto === IpProtocol.TCP && (bytes[ip + 20 + 13] & (TCP_SYN | TCP_ACK)) === TCP_SYN) return false;
    if (!headerSumsTo0xffff(bytes, ip)) return false;
    const sw = rx.swIfIndex;
    const plan = this.planOf(rx);
    if (plan === undefined || plan.nat === 0) return false;
    // ethernet-input's L3 my-MAC filter (dpdk-input hands IPv4 to ip4-input without it).
    if (plan.macFilter && (bytes[start] & 1) === 0 && !macAcceptsUnicast(plan.mac, bytes, start)) return false;
    const vm = this.vm;
    const acl = this.acl;
    // The frame passes ethernet-input and ip4-input, so the graph reaches the arc's first feature:
    // acl-plugin-in-ip4-fa's tick is due whatever follows.
    if (plan.aclIn) acl!.tick(vm);
    const nat = this.nat!;
    const s = nat.lbHit(bytes, ip, plan.rxFib, DIRECTION[plan.nat]);
    if (s < 0 || 2 * s + 2 > this.records.length / STRIDE) return false;
    const r = this.records;
    const o = (2 * s + plan.nat - 1) * STRIDE;
    const k0 = i32(bytes, ip + 12);
    const k1 = i32(bytes, ip + 16);
    const k2 = i32(bytes, ip + 20);
    if (r[o] !== k0 || r[o + 1] !== k1 || r[o + 2] !== k2 || r[o + 3] !== (proto | (sw << 8))) return false;
    const shape = this.shapes[r[o + SHAPE]];
    if (shape.checkedRun !== this.run) {
      shape.holds = this.shapeHolds(shape);
      shape.checkedRun = this.run;
    }
    if (!shape.holds || shape.rx !== rx) return false;
    // ip4-rewrite's MTU check.
    if (length - 14 > shape.mtu) return false;
    const sIn = r[o + ACL_IN_SESSION];
    if (shape.aclIn && !acl!.sessions.holds(sIn, k0, k1, k2, (proto << 16) | (sw & 0xffff), sw)) return false;
    // The same session translating as when the entry was made: the same header after NAT44, so the
    // same ip4-lookup result (the shape's mtrie) and the same ACL output key.
    if (!this.translationHolds(nat, s, plan.nat, o)) return false;
    const sOut = r[o + ACL_OUT_SESSION];
    if (shape.aclOut) {
      // The graph reaches acl-plugin-out-ip4-fa (NAT44 translates as before): its tick is due.
      acl!.tick(vm);
      if (!acl!.sessions.holds(sOut, r[o + OUT_KEY], r[o + OUT_KEY + 1], r[o + OUT_KEY + 2], r[o + OUT_KEY + 3], shape.tx.swIfIndex)) return false;
    }
    // Every check held: the nodes' state changes, in the graph's order.
    const tcp = proto === IpProtocol.TCP;
    const flags = bytes[ip + 20 + 13];
    const dir = DIRECTION[plan.nat];
    const tx = shape.tx;
    if (shape.aclIn) acl!.sessionHit(sIn, tcp, flags, true);
    // A frame someone keeps is made as the nodes make it (NAT44's rewrite before afterTranslation,
    // which may free the session at a TCP close); one nobody keeps is counted only (Vm.transmit).
    const b = vm.keepsFrameOf(tx) ? this.translatedFrame(buffers, rx, bytes, start, length, s, dir) : undefined;
    nat.translated(bytes, ip, s, dir);
    if (b !== undefined) this.forwardedFrame(b, shape.adj);
    if (shape.aclOut) acl!.sessionHit(sOut, tcp, flags, false);
    if (b !== undefined) vm.transmit(b, tx);
    else vm.transmitted++;
    return true;
  }

  /** The frame in a buffer as ethernet-input hands it on, rewritten as NAT44 rewrites it by session s. */
  private translatedFrame(buffers: FrameBuffers, rx: SwInterface, bytes: Uint8Array, start: number, length: number, s: number, dir: Direction): VlibBuffer {
    const b = buffers.refill(bytes, start, length);
    b.rxSwIfIndex = rx.swIfIndex;
    b.advance(14);
    this.nat!.rewritten(this.vm, b, b.start, s, dir);
    return b;
  }

  /** ip4-rewrite's changes to the frame: TTL and checksum, the adjacency's L2 header in front. */
  private forwardedFrame(b: VlibBuffer, adj: Adjacency): void {
    const vm = this.vm;
    decrementTtl(vm, b.bytes, b.start);
    const rw = adj.rewrite;
    writeL2Rewrite(vm, b.bytes, b.start, rw);
    b.advance(-rw.length);
    b.txSwIfIndex = adj.swIfIndex;
  }

  /** The plan of `rx` for this run (made at its first use in the run); undefined above PLANS. */
  private planOf(rx: SwInterface): Plan | undefined {
    const sw = rx.swIfIndex;
    const plan = sw >= 0 && sw < PLANS ? this.plans[sw] : undefined;
    return plan !== undefined && plan.run === this.run ? plan : this.prepare(rx);
  }

  /**
   * Read (once per run) what `rx`'s ip4-unicast features say the cache follows. Changes nothing
   * the graph sees.
   */
  private prepare(rx: SwInterface): Plan | undefined {
    const sw = rx.swIfIndex;
    if (sw < 0 || sw >= PLANS) return undefined;
    const known = this.plans[sw];
    const vm = this.vm;
    const plan: Plan = known ?? { run: 0, nat: 0, aclIn: false, rxFib: 0, unicast: NO_FEATURES, mac: rx.mac, macFilter: false };
    plan.run = this.run;
    plan.nat = 0;
    this.plans[sw] = plan;
    this.nat ??= vm.peekState<Nat44>(NAT44_STATE);
    this.acl ??= vm.peekState<AclState>(ACL_STATE);
    if (this.nat === undefined || rx.l2 !== undefined || rx.kind === 'vxlan' || vm.interfaces.get(sw) !== rx) return plan;
    const unicast = vm.features('ip4-unicast', sw);
    plan.unicast = unicast;
    const n = unicast.length;
    if (n < 1 || n > 2 || (n === 2 && (unicast[0] !== ACL_IN || this.acl === undefined))) return plan;
    const natNode = unicast[n - 1];
    plan.nat = natNode === NAT_OUT2IN ? OUT2IN : natNode === NAT_IN2OUT ? IN2OUT : 0;
    plan.aclIn = n === 2;
    plan.rxFib = rx.fibIndex;
    plan.mac = rx.mac;
    plan.macFilter = rx.kind !== 'dpdk';
    return plan;
  }

  /**
   * After the graph ran a frame forward() did not take (and it transmitted one frame, on interface
   * `sentOn`): if the flow's next packet would take the cached path, make its entry. The path is
   * predicted from the state the packet left (the sessions its successors will hit), with the
   * lookups the nodes make; forward() checks all of it again per packet.
   */
  learn(rx: SwInterface, bytes: Uint8Array, start: number, length: number, sentOn: number): void {
    if (length < MIN_FRAME || bytes[start + 12] !== 0x08 || bytes[start + 13] !== 0x00) return;
    const ip = start + 14;
    const proto = bytes[ip + 9];
    if (bytes[ip] !== 0x45 || (proto !== IpProtocol.TCP && proto !== IpProtocol.UDP)) return;
    // Speed only: a connection's first SYN has no session the other way yet (its output ACL session
    // comes with the SYN-ACK), so its entry would not be made; the packets after it make it.
    if (proto === IpProtocol.TCP && (bytes[ip + 20 + 13] & (TCP_SYN | TCP_ACK)) === TCP_SYN) return;
    const plan = this.planOf(rx);
    if (plan === undefined || plan.nat === 0) return;
    if (!this.learnFlow(rx, plan, bytes, ip, sentOn)) return;
    // The reply direction too, as its packets will look: arriving where this one left, from where
    // it went to, before NAT44 (so a connection's first packet from its client, right after the
    // SYN-ACK made the last session it needs, takes the fast path already).
    const tx = this.learnt;
    const back = this.planOf(tx);
    if (back === undefined || back.nat === 0) return;
    const r = this.reply;
    const t = this.translatedWords;
    r[14 + 9] = proto;
    setU32(r, 14 + 12, t[1]);
    setU32(r, 14 + 16, t[0]);
    setU16(r, 14 + 20, t[3]);
    setU16(r, 14 + 22, t[2]);
    this.learnFlow(tx, back, r, 14, NO_INTERFACE);
  }

  /** The interface learnFlow's flow leaves on, and its header after NAT44 (src, dst, sport, dport). */
  private learnt!: SwInterface;
  private readonly translatedWords = new Int32Array(4);
  /**
   * A reply's frame as learnFlow reads it (Ethernet type IPv4, a 20-byte header with TTL 64, TCP
   * flags ACK): only addresses, ports and the protocol are filled in per reply.
   */
  private readonly reply = (() => {
    const f = new Uint8Array(MIN_FRAME);
    f[12] = 0x08;
    f[14] = 0x45;
    f[14 + 8] = 64;
    f[14 + 20 + 13] = TCP_ACK;
    return f;
  })();

  /**
   * learn() of the flow of the header at bytes[ip] arriving on `rx` (whose plan is `plan`), which
   * left on `sentOn` (NO_INTERFACE: not run; any). Makes the entry if the flow's next packet would
   * take the cached path; then `learnt` and `translatedWords` say where and as what it leaves.
   */
  private learnFlow(rx: SwInterface, plan: Plan, bytes: Uint8Array, ip: number, sentOn: number): boolean {
    const sw = rx.swIfIndex;
    const proto = bytes[ip + 9];
    const vm = this.vm;
    const nat = this.nat!;
    const acl = this.acl;
    const k0 = i32(bytes, ip + 12);
    const k1 = i32(bytes, ip + 16);
    const k2 = i32(bytes, ip + 20);
    const key = this.key;
    let sIn = -1;
    if (plan.aclIn) {
      key[0] = k0;
      key[1] = k1;
      key[2] = k2;
      key[3] = (proto << 16) | (sw & 0xffff);
      sIn = acl!.sessions.find(key);
      if (sIn < 0 || !acl!.sessions.holds(sIn, k0, k1, k2, key[3], sw)) return false;
    }
    const dir = plan.nat;
    const s = nat.lbHit(bytes, ip, plan.rxFib, DIRECTION[dir]);
    if (s < 0) return false;
    const t = nat.thread;
    const xlAddr = dir === OUT2IN ? t.i2oAddr(s) : t.o2iAddr(s);
    const xlPort = dir === OUT2IN ? t.i2oPort(s) : t.o2iPort(s);
    const xlFib = dir === OUT2IN ? t.i2oFib(s) : t.o2iFib(s);
    // The translated header: out2in rewrites the destination, in2out the source.
    const src = dir === OUT2IN ? k0 : xlAddr | 0;
    const dst = dir === OUT2IN ? xlAddr | 0 : k1;
    const sport = dir === OUT2IN ? k2 >>> 16 : xlPort;
    const dport = dir === OUT2IN ? xlPort : k2 & 0xffff;
    const lbIndex = vm.fibLookupLb(xlFib, dst >>> 0);
    // The path past NAT44 as a shape made before knows it (the same FIB and load-balance from the
    // same interface, the shape still the configuration's), else read from the configuration.
    const known = this.knownShape(rx, plan, xlFib, lbIndex);
    const shape = known ?? this.newShape(rx, plan, xlFib, lbIndex);
    if (shape === undefined) return false;
    const adj = shape.adj;
    if (sentOn !== NO_INTERFACE && adj.swIfIndex !== sentOn) return false;
    const txItf = shape.tx;
    const aclOut = shape.aclOut;
    const tx = txItf.swIfIndex;
    // acl_make_5tuple_session_key on output: slot 0 is the packet's destination (five-tuple.ts sessionKey).
    key[0] = dst;
    key[1] = src;
    key[2] = (dport << 16) | sport;
    key[3] = (proto << 16) | (tx & 0xffff);
    let sOut = -1;
    if (aclOut) {
      if (acl === undefined) return false;
      sOut = acl.sessions.find(key);
      if (sOut < 0 || !acl.sessions.holds(sOut, key[0], key[1], key[2], key[3], tx)) return false;
    }
    const e = 2 * s + dir - 1;
    if ((e + 1) * STRIDE > this.records.length) this.records = grown(this.records, (e + 1) * STRIDE);
    const r = this.records;
    const o = e * STRIDE;
    r[o] = k0;
    r[o + 1] = k1;
    r[o + 2] = k2;
    r[o + 3] = proto | (sw << 8);
    r[o + SHAPE] = shape.index;
    r[o + ACL_IN_SESSION] = sIn;
    r[o + ACL_OUT_SESSION] = sOut;
    for (let i = 0; i < 4; i++) r[o + OUT_KEY + i] = key[i];
    r[o + XL_ADDR] = xlAddr;
    r[o + XL_PORT] = xlPort;
    r[o + XL_FIB] = xlFib;
    this.learnt = txItf;
    const w = this.translatedWords;
    w[0] = src;
    w[1] = dst;
    w[2] = sport;
    w[3] = dport;
    return true;
  }

  /**
   * A shape made before for flows from `rx` (as `plan` reads it) whose translated packets ip4-lookup
   * finds load-balance `lbIndex` for in FIB `fib`, if it still holds this run: then the
   * configuration past NAT44 is as it was when the shape was made (shapeHolds), and so is what a
   * new entry would read of it.
   */
  private knownShape(rx: SwInterface, plan: Plan, fib: number, lbIndex: number): Shape | undefined {
    const shapes = this.shapes;
    for (let i = 0; i < shapes.length; i++) {
      const x = shapes[i];
      if (x.rx !== rx || x.fib.index !== fib || x.lbIndex !== lbIndex || x.aclIn !== plan.aclIn || x.unicast !== plan.unicast) continue;
      if (x.checkedRun !== this.run) {
        x.holds = this.shapeHolds(x);
        x.checkedRun = this.run;
      }
      if (x.holds) return x;
    }
    return undefined;
  }

  /** The shape of a path past NAT44 read from the configuration (as the nodes read it), or undefined where it is not the cached path. */
  private newShape(rx: SwInterface, plan: Plan, xlFib: number, lbIndex: number): Shape | undefined {
    const vm = this.vm;
    const fib = vm.fibs.get(xlFib);
    const mtrie = fib === undefined ? null : currentMtrie(fib);
    if (fib === undefined || mtrie === null) return undefined;
    const lb = lbIndex >= 0 ? vm.loadBalances.get(lbIndex) : undefined;
    if (lb === undefined || lb.buckets.length !== 1) return undefined;
    const dpo = lb.buckets[0];
    if (dpo.type !== 'adj') return undefined;
    const adj = vm.adjacencies.get(dpo.index);
    if (adj === undefined || adj.kind !== 'rewrite') return undefined;
    const tx = vm.interfaces.get(adj.swIfIndex);
    if (tx === undefined || !(tx.kind === 'tap' || tx.kind === 'tapcli' || tx.kind === 'dpdk')) return undefined;
    const output = vm.features('ip4-output', tx.swIfIndex);
    if (output.length > 1 || (output.length === 1 && output[0] !== ACL_OUT)) return undefined;
    if (this.shapes.length >= MAX_SHAPES) this.clear();
    const shape: Shape = {
      index: this.shapes.length,
      checkedRun: this.run,
      holds: true,
      mtu: adj.maxL3PacketBytes,
      rx,
      unicast: plan.unicast,
      aclIn: plan.aclIn,
      lbIndex,
      lb,
      dpo,
      adj,
      tx,
      output,
      aclOut: output.length === 1,
      fib,
      mtrie,
      interfacesVersion: vm.interfaces.version,
      loadBalancesVersion: vm.loadBalances.version,
      adjacenciesVersion: vm.adjacencies.version,
    };
    this.shapes.push(shape);
    return shape;
  }

  /** The session still translates as when the entry was made (same inside/outside endpoint and FIB). */
  private translationHolds(nat: Nat44, s: number, dir: number, o: number): boolean {
    const t = nat.thread;
    const r = this.records;
    if (dir === OUT2IN) return (t.i2oAddr(s) | 0) === r[o + XL_ADDR] && t.i2oPort(s) === r[o + XL_PORT] && t.i2oFib(s) === r[o + XL_FIB];
    return (t.o2iAddr(s) | 0) === r[o + XL_ADDR] && t.o2iPort(s) === r[o + XL_PORT] && t.o2iFib(s) === r[o + XL_FIB];
  }

  /**
   * The configuration the shape was made from is still the graph's (and what the packet path reads
   * of it is read into the shape afresh).
   */
  private shapeHolds(sh: Shape): boolean {
    const vm = this.vm;
    if (vm.interfaces.version !== sh.interfacesVersion || vm.loadBalances.version !== sh.loadBalancesVersion || vm.adjacencies.version !== sh.adjacenciesVersion) return false;
    const rx = sh.rx;
    const tx = sh.tx;
    if (rx.l2 !== undefined || rx.kind === 'vxlan' || vm.features('ip4-unicast', rx.swIfIndex) !== sh.unicast || vm.features('ip4-output', tx.swIfIndex) !== sh.output) return false;
    if (!(tx.kind === 'tap' || tx.kind === 'tapcli' || tx.kind === 'dpdk')) return false;
    if (vm.fibs.get(sh.fib.index) !== sh.fib || currentMtrie(sh.fib) !== sh.mtrie) return false;
    // The objects themselves may have been changed in place (a test may): what the nodes read of them.
    const lb = sh.lb;
    const dpo = sh.dpo;
    const adj = sh.adj;
    if (!(lb.buckets.length === 1 && lb.buckets[0] === dpo && dpo.type === 'adj' && dpo.index === adj.index && adj.kind === 'rewrite' && adj.swIfIndex === tx.swIfIndex)) return false;
    sh.mtu = adj.maxL3PacketBytes;
    return true;
  }

}
