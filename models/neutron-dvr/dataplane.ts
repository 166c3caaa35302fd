// The DVR dataplane: namespaces joined by veth pairs and L2 segments, each router namespace a graph of
// small stages in Linux's order:
//
//   netif_receive -> arp_process | ip_rcv -> nf_conntrack_in -> nf_nat:PREROUTING -> fib_lookup
//     -> ip_local_deliver | ip_forward (TTL) -> nf_filter:FORWARD -> nf_nat:POSTROUTING
//     -> nf_conntrack_confirm -> neigh_output (ARP when unresolved) -> dev_xmit
//   icmp_send -> fib_lookup (output) -> nf_nat:OUTPUT -> nf_nat:POSTROUTING -> neigh_output
//
// Hosts (the VM, the external host) are edges: what they send is injected, what reaches them is
// output. Every frame is output once per device it crosses (tx at the sender, rx at each receiver),
// which is exactly what a capture on that device holds.

import type { Injection, InjectionPoint, ModelInstance } from '../../harness/model.js';
import type { PacketTrace, FieldValue } from '../../harness/stage.js';
import { LinkType, type Packet } from '../../harness/wire/packet.js';
import { KnownBytes } from '../../harness/wire/known.js';
import { InputError } from '../../harness/io/input-error.js';
import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { parseCidr, u32ToIp4 } from './addr.js';
import { inputMartian } from './martian.js';
import { ARP_REPLY, ARP_REQUEST, arpText, buildArp, readArp } from './arp.js';
import { ConntrackTable, ORIGINAL, REPLY, tupleOf, tupleText, type CtLookup, type Direction, type Tuple } from './conntrack.js';
import { Fib, routeText, type Route } from './fib.js';
import { BROADCAST, ETHERTYPE_ARP, ETHERTYPE_IPV4, ETH_LEN, PROTO_ICMP, PROTO_TCP, PROTO_UDP, ethDst, ethSrc, ethType, FrameFieldsCache, ipDst, ipHl, ipProto, ipSrc, ipTotalLen, isIcmpError, l4Ports, setEth } from './frame.js';
import { evaluateChain, type MatchContext, type Table } from './iptables.js';
import { DefragQueues, isFragment } from './defrag.js';
import { ipDoFragment, ipExceedsMtu, needsFragment, type Reassembled } from './fragment.js';
import { buildEchoReply, isEchoRequest } from './icmp-echo.js';
import { compileOptions, echoOptions, forwardOptions, type CompiledOptions } from './ip-options.js';
import { generatedIpv4Frame } from './ip-header.js';
import { buildTcpReset } from './local-sockets.js';
import { l4ChecksumOk } from './l4-checksum.js';
import { ipDecreaseTtl } from './linux-csum.js';
import { forgetNatPort, natIcmpReply, natPacket, setupNat, type Manip } from './nat.js';
import { RandomPorts } from './random-port.js';
import { FrameCopier } from './frame-copy.js';
import type { BindingAware, UnboundValue } from '../../harness/check/bindings.js';
import type { DeviceAware } from '../../harness/check/known-devices.js';
import type { DeviceConfig, DvrScenario, NamespaceConfig } from './scenario.js';
import { Timers } from './timers.js';
import { IcmpPeerLimits, icmpRateLimited } from './icmp-ratelimit.js';
import { NEIGH_MAX_PROBES, NEIGH_RETRANS_NS, NEIGH_UCAST_PROBES, type QueuedPacket, type Resolution } from './neigh-resolution.js';

interface Neighbour { mac: string; permanent: boolean }

/**
 * Protocols a router namespace's kernel has a handler for (inet_protos): ICMP, IGMP, TCP, UDP. The model
 * assumes no tunnel or IPsec module registered another one (the lab's kernel had none for GRE).
 */
const HANDLED_PROTOCOLS = new Set([1, 2, 6, 17]);

/**
 * What icmp_send knows of the packet it answers: its compiled options, its local destination, its
 * connection; and `info`, the ICMP header's second word (the parameter problem's pointer << 24).
 */
interface OffendingPacket { opts?: CompiledOptions; localDst?: number; ct?: CtLookup; info?: number }

/** The neighbour layer writes the whole Ethernet header: from here on those bytes are known. */
function rewriteEth(frame: Uint8Array, known: KnownBytes | undefined, src: string, dst: string): void {
  setEth(frame, src, dst);
  known?.mark(0, ETH_LEN);
}

class Namespace {
  readonly fib: Fib;
  readonly devices = new Map<string, DeviceConfig>();
  readonly neigh = new Map<string, Neighbour>();
  /** Neighbours being resolved (NUD_INCOMPLETE: the arp_queue and the probes sent), by dev|ip. */
  readonly pending = new Map<string, Resolution>();
  /** Neighbours whose resolution failed (NUD_FAILED): still in the table, so an ARP from them updates them. */
  readonly failed = new Set<string>();
  /** Conntrack runs in a namespace once iptables NAT rules are loaded there. */
  readonly conntrack?: ConntrackTable;
  /** nf_defrag_ipv4 comes with conntrack: fragments are reassembled before it (defrag.ts). */
  readonly defrag?: DefragQueues;
  /** The inet_peer buckets that limit the ICMP errors this namespace sends (icmp-ratelimit.ts). */
  readonly icmpPeers = new IcmpPeerLimits();
  readonly short: string;

  constructor(readonly cfg: NamespaceConfig) {
    this.fib = new Fib(cfg);
    for (const d of cfg.devices) this.devices.set(d.name, d);
    for (const n of cfg.neighbours) this.neigh.set(`${n.dev}|${parseCidr(n.ip).addr}`, { mac: n.mac, permanent: true });
    if (cfg.iptables.size) {
      this.conntrack = new ConntrackTable();
      this.defrag = new DefragQueues();
    }
    this.short = cfg.name.split('-').slice(0, 2).join('-');
  }

  table(name: string): Table | undefined {
    return this.cfg.iptables.get(name);
  }
}

interface Segment { ports: { ns: string; dev: string }[]; fdb: Map<string, number> }

/** One frame on its way to a device. */
interface Delivery { ns: string; dev: string; frame: Uint8Array; known?: KnownBytes }

export class DvrInstance implements ModelInstance, BindingAware, DeviceAware {
  private readonly ns = new Map<string, Namespace>();
  private readonly segments = new Map<string, Segment>();
  private traces: PacketTrace[] = [];
  private outputs: Packet[] = [];
  private queue: Delivery[] = [];
  /**
   * skb->mark of the packet being processed. One packet is taken through its namespace to the end
   * (transmit or drop) before the next, and a packet that enters another namespace or is generated
   * (icmp_send) starts with mark 0, as a new skb / a veth crossing (skb_scrub_packet) does.
   */
  private skbMark = 0;
  /** NAT ports the kernel picked at random, until check binds them from a capture. */
  private readonly randomPorts = new RandomPorts();
  private readonly fields = new FrameFieldsCache();
  private readonly copier = new FrameCopier();
  /** Datagrams reassembled by a namespace's defrag: their fragments' sizes and frag_max_size (fragment.ts). */
  private readonly reassembled = new WeakMap<Uint8Array, Reassembled>();
  /** The capture clock and the kernel timers armed on it (neighbour retransmits and failure). */
  private readonly timers = new Timers();

  constructor(readonly scenario: DvrScenario) {
    for (const n of scenario.namespaces) this.ns.set(n.name, new Namespace(n));
    for (const s of scenario.segments) this.segments.set(s, { ports: [], fdb: new Map() });
    for (const n of scenario.namespaces) for (const d of n.devices) if (d.segment) this.segments.get(d.segment)!.ports.push({ ns: n.name, dev: d.name });
  }

  /** The hosts' ports: what they transmit enters the dataplane (harness/check EdgeAware). */
  edges(): { node: string; iface: string; mac: string }[] {
    return this.scenario.namespaces.filter((n) => n.role === 'host').flatMap((n) => n.devices.map((d) => ({ node: n.name, iface: d.name, mac: d.mac })));
  }

  /** Every device of every namespace (harness/check DeviceAware: a capture of another name is refused). */
  devices(): { node: string; iface: string }[] {
    return this.scenario.namespaces.flatMap((n) => n.devices.map((d) => ({ node: n.name, iface: d.name })));
  }

  /** A frame transmitted by device `at.interface` of namespace `at.instance` (an edge host's port). */
  inject(packet: Packet, at: InjectionPoint): Injection {
    const n = at.instance ? this.ns.get(at.instance) : undefined;
    if (!n) throw new InputError(`no namespace '${at.instance}' in the scenario`, { key: 'instance' }, 'model.injection');
    if (!at.interface || !n.devices.has(at.interface)) throw new InputError(`no device '${at.interface}' in namespace ${n.cfg.name}`, { key: 'interface' }, 'model.injection');
    if (packet.meta.linkType !== LinkType.ETHERNET) throw new InputError(`link type ${packet.meta.linkType} is not Ethernet`, { packet: packet.meta.frame }, 'model.injection');
    this.traces = [];
    this.outputs = [];
    // Kernel timers due before this packet was captured fire first (their traces and frames are part of
    // this injection, before the packet's own).
    if (packet.meta.timestampNs !== undefined) this.timers.runUntil(packet.meta.timestampNs, () => this.settle());
    const trace = this.newTrace();
    this.stage(trace, n, 'dev_xmit', [`injected: ${at.instance}:${at.interface} transmits`], packet.data, { dev: at.interface });
    this.transmit(n, at.interface, this.copier.copy(packet.data), packet.known?.clone(), `${n.short}/dev_xmit`);
    this.settle();
    return { traces: this.traces, outputs: this.outputs };
  }

  /**
   * After the last input: the timers still pending fire, up to `untilNs` (the end of the capture; all
   * of them when undefined), as if the dataplane kept running with no more input.
   */
  finish(untilNs?: bigint): Injection {
    this.traces = [];
    this.outputs = [];
    this.timers.runUntil(untilNs, () => this.settle());
    return { traces: this.traces, outputs: this.outputs };
  }

  /** Every frame in flight reaches its device (and what that sends, in turn). */
  private settle(): void {
    while (this.queue.length) this.receive(this.queue.shift()!);
  }

  /** harness/check BindingAware: the random NAT ports a predicted frame carries. */
  unboundValues(out: Packet): UnboundValue[] {
    return this.randomPorts.unboundValues(out.data, out.known);
  }

  /** harness/check BindingAware: the port the kernel chose, read from a capture. */
  bind(id: string, value: Uint8Array): void {
    this.randomPorts.bind(id, value);
  }

  // ---- plumbing: devices, veth pairs, bridges --------------------------------------------------

  private newTrace(): PacketTrace {
    const t: PacketTrace = { stages: [] };
    this.traces.push(t);
    return t;
  }

  private stage(trace: PacketTrace, n: Namespace, node: string, lines: string[], frame: Uint8Array, extra: Record<string, FieldValue> = {}): void {
    trace.stages.push({ node: `${n.short}/${node}`, lines, fields: { netns: n.cfg.name, ...extra, ...this.fields.get(frame) } });
  }

  private output(ns: string, dev: string, frame: Uint8Array, known: KnownBytes | undefined, origin: string): void {
    this.outputs.push({ data: this.copier.copy(frame), known: known?.clone(), meta: { linkType: LinkType.ETHERNET, interfaceName: `${ns}:${dev}`, comment: origin } });
  }

  /** dev_queue_xmit on a veth: the frame shows on this device, then arrives on the peer or bridge. */
  private transmit(n: Namespace, devName: string, frame: Uint8Array, known: KnownBytes | undefined, origin: string): void {
    const dev = n.devices.get(devName)!;
    const reasm = this.reassembled.get(frame);
    if (n.cfg.role === 'router' && ethType(frame) === ETHERTYPE_IPV4 && needsFragment(frame, dev.mtu, reasm)) {
      // __ip_finish_output -> ip_fragment: bigger than the device's MTU, or reassembled by defrag (fragment.ts).
      this.reassembled.delete(frame);
      for (const p of ipDoFragment(frame, known, dev.mtu, reasm)) this.transmit(n, devName, p.frame, p.known, origin);
      return;
    }
    this.output(n.cfg.name, devName, frame, known, origin);
    if (dev.peer) {
      this.output(dev.peer.namespace, dev.peer.device, frame, known, origin);
      this.queue.push({ ns: dev.peer.namespace, dev: dev.peer.device, frame: this.copier.copy(frame), known: known?.clone() });
      return;
    }
    // A learning bridge (the segment): learn the source, forward to the known port or flood.
    const seg = this.segments.get(dev.segment!)!;
    const inPort = seg.ports.findIndex((p) => p.ns === n.cfg.name && p.dev === devName);
    const src = ethSrc(frame);
    if (!(frame[6] & 1)) seg.fdb.set(src, inPort);
    const dst = ethDst(frame);
    const known1 = frame[0] & 1 ? undefined : seg.fdb.get(dst);
    const outPorts = known1 !== undefined ? [known1] : seg.ports.map((_, i) => i);
    for (const i of outPorts) {
      if (i === inPort) continue;
      const p = seg.ports[i];
      this.output(p.ns, p.dev, frame, known, origin);
      this.queue.push({ ns: p.ns, dev: p.dev, frame: this.copier.copy(frame), known: known?.clone() });
    }
  }

  // ---- receive -----------------------------------------------------------------------------------

  private receive(d: Delivery): void {
    const n = this.ns.get(d.ns)!;
    const dev = n.devices.get(d.dev)!;
    const trace = this.newTrace();
    const dst = ethDst(d.frame);
    if (n.cfg.role === 'host') {
      this.stage(trace, n, 'netif_receive', [`${d.dev}: delivered to the edge host`], d.frame, { dev: d.dev });
      return;
    }
    const forUs = dst === dev.mac || dst === BROADCAST;
    this.stage(trace, n, 'netif_receive', [`${d.dev}: ${forUs ? (dst === BROADCAST ? 'PACKET_BROADCAST' : 'PACKET_HOST') : 'PACKET_OTHERHOST, dropped'}`], d.frame, { dev: d.dev, pkt_type: forUs ? 'host' : 'otherhost' });
    if (!forUs) return;
    const type = ethType(d.frame);
    if (type === ETHERTYPE_ARP) this.arpProcess(n, dev, d.frame, trace);
    else if (type === ETHERTYPE_IPV4) this.ipRcv(n, dev, d.frame, d.known, trace);
    else this.stage(trace, n, 'drop', [`ethertype 0x${type.toString(16)} not modelled`], d.frame);
  }

  /** arp_process: answer for local addresses, proxy for routes out another device, learn senders. */
  private arpProcess(n: Namespace, dev: DeviceConfig, frame: Uint8Array, trace: PacketTrace): void {
    const a = readArp(frame);
    if (!a) {
      this.stage(trace, n, 'arp_process', ['malformed ARP, dropped'], frame);
      return;
    }
    const lines = [arpText(a)];
    let reply = false;
    let node = 'arp_process';
    if (a.op === ARP_REQUEST && a.sip !== 0) {
      if (n.fib.isLocal(a.tip)) {
        reply = true;
        lines.push(`${u32ToIp4(a.tip)} is local: reply`);
      } else if (dev.proxyArp) {
        const r = n.fib.lookup(a.sip, a.tip);
        if (r && r.route.type === 'unicast' && r.route.dev !== dev.name) {
          reply = true;
          node = 'arp_proxy';
          lines.push(`proxy_arp on ${dev.name}: ${u32ToIp4(a.tip)} routes via ${r.route.dev} (${routeText(r.route)}): reply with ${dev.mac}`);
        } else lines.push(`proxy_arp on ${dev.name}: no route out another device, no reply`);
      } else lines.push('not local, no proxy_arp: ignored');
      if (reply) this.learn(n, dev.name, a.sip, a.sha, true, trace, frame);
    }
    const key = `${dev.name}|${a.sip}`;
    if (!reply && (n.pending.has(key) || n.neigh.has(key) || n.failed.has(key))) this.learn(n, dev.name, a.sip, a.sha, false, trace, frame);
    this.stage(trace, n, node, lines, frame, { dev: dev.name, 'arp.reply': reply });
    if (reply) {
      const out = buildArp(ARP_REPLY, dev.mac, a.tip, a.sip, a.sha);
      this.stage(trace, n, 'arp_send', [`reply ${u32ToIp4(a.tip)} is-at ${dev.mac} to ${a.sha}`], out, { dev: dev.name });
      this.transmit(n, dev.name, out, undefined, `${n.short}/${node}`);
    }
  }

  /** neigh_event_ns / neigh_update: record the sender; a resolved entry releases the queued packets. */
  private learn(n: Namespace, dev: string, ip: number, mac: string, create: boolean, trace: PacketTrace, frame: Uint8Array): void {
    const key = `${dev}|${ip}`;
    const cur = n.neigh.get(key);
    if (cur?.permanent) return;
    // arp_process updates an entry the table holds, FAILED ones too (__neigh_lookup, then neigh_update).
    if (!cur && !create && !n.pending.has(key) && !n.failed.has(key)) return;
    n.neigh.set(key, { mac, permanent: false });
    n.failed.delete(key);
    const resolving = n.pending.get(key);
    if (!resolving) return;
    n.pending.delete(key);
    this.timers.cancel(resolving.timer); // __neigh_update: neigh_del_timer on the way to a valid state
    const queued = resolving.queue;
    this.stage(trace, n, 'neigh_update', [`${u32ToIp4(ip)} lladdr ${mac} on ${dev}: ${queued.length} queued packet(s) sent`], frame, { dev });
    const d = n.devices.get(dev)!;
    for (const q of queued) {
      rewriteEth(q.frame, q.known, d.mac, mac);
      this.stage(trace, n, 'neigh_output', [`queued packet to ${u32ToIp4(ip)} via ${dev}`], q.frame, { dev });
      this.transmit(n, dev, q.frame, q.known, `${n.short}/neigh_update`);
    }
  }

  // ---- IPv4 --------------------------------------------------------------------------------------

  private ipRcv(n: Namespace, dev: DeviceConfig, frame: Uint8Array, known: KnownBytes | undefined, trace: PacketTrace): void {
    const ip = ETH_LEN;
    if (frame.length < ip + 20 || frame[ip] >> 4 !== 4 || ipTotalLen(frame, ip) > frame.length - ip) {
      this.stage(trace, n, 'ip_rcv', ['truncated or not IPv4, dropped'], frame);
      return;
    }
    this.skbMark = 0;
    this.stage(trace, n, 'ip_rcv', [`${u32ToIp4(ipSrc(frame, ip))} -> ${u32ToIp4(ipDst(frame, ip))} ttl ${frame[ip + 8]}`], frame, { dev: dev.name });
    if (n.defrag && isFragment(frame)) {
      const r = n.defrag.add(frame, known);
      if (r.kind === 'queued') {
        this.stage(trace, n, 'ip_defrag', [`fragment at offset ${r.offset} queued (${r.have} bytes from the start in)`], frame);
        return;
      }
      if (r.kind === 'overlap') {
        this.stage(trace, n, 'ip_defrag', ['overlapping fragment: the whole datagram discarded'], frame);
        return;
      }
      frame = r.frame;
      known = r.known;
      this.reassembled.set(frame, { pieces: r.pieces, fragMaxSize: r.maxSize });
      this.stage(trace, n, 'ip_defrag', [`reassembled from ${r.pieces.length} fragments (${r.pieces.join('+')} bytes)`], frame);
    }
    const ct = this.conntrackIn(n, frame, trace, 'PREROUTING');
    if (!this.filterHook(n, 'raw', 'PREROUTING', frame, ct, dev.name, undefined, trace)) return;
    if (!this.filterHook(n, 'mangle', 'PREROUTING', frame, ct, dev.name, undefined, trace)) return;
    known = this.natHook(n, 'PREROUTING', 'DST', frame, known, ct, dev.name, undefined, trace);
    const martian = inputMartian(ipSrc(frame, ip), ipDst(frame, ip));
    if (martian) {
      this.stage(trace, n, 'ip_route_input_slow', [`${martian}: dropped`], frame);
      return;
    }
    const res = n.fib.lookupInput(ipSrc(frame, ip), ipDst(frame, ip), dev.name);
    if (!res) {
      this.stage(trace, n, 'fib_lookup', ['no route: dropped (ICMP net unreachable not modelled)'], frame);
      return;
    }
    const badSource = n.fib.invalidSource(ipSrc(frame, ip), ipDst(frame, ip));
    if (badSource) {
      // fib_validate_source (fib.ts invalidSource), called by ip_route_input_slow for local, broadcast
      // and forwarded input alike; dropped after PREROUTING, before conntrack confirms it. Seen in the
      // lab (LAB_ONLY=extra): an echo from "172.30.89.140" to the floating IP, sent from outside,
      // crossed fip and rfp- but qrouter (where 172.30.89.140 is local) sent nothing; a UDP datagram
      // from the VM with source 10.0.111.255 went no further than qrouter (qr-'s subnet broadcast).
      this.stage(trace, n, 'fib_validate_source', [`martian source ${u32ToIp4(ipSrc(frame, ip))}: ${badSource} address here, dropped`], frame);
      return;
    }
    this.stage(trace, n, 'fib_lookup', [`rule ${res.rule.priority}${res.rule.from ? ` from ${u32ToIp4(res.rule.from.addr)}/${res.rule.from.len}` : ''} lookup ${res.rule.table}: ${routeText(res.route)}`], frame, {
      rule: res.rule.priority,
      table: res.route.table,
      oif: res.route.dev,
      gateway: res.route.via !== undefined ? u32ToIp4(res.route.via) : null,
    });
    const opts = this.rcvOptions(n, res.route, frame, known, ct, trace);
    if (!opts) return;
    if (res.route.type === 'broadcast') {
      // Delivered locally as RTCF_BROADCAST, where nothing answers: icmp_rcv drops echo requests
      // (icmp_echo_ignore_broadcasts, default 1), UDP goes to __udp4_lib_mcast_deliver (no socket: no
      // ICMP), tcp_v4_send_reset sends no RST unless rt_type is RTN_LOCAL. Seen in the lab (extra phase).
      if (ct && n.conntrack) n.conntrack.confirm(ct.conn);
      this.stage(trace, n, 'ip_local_deliver', ['to a broadcast address: delivered locally, nothing answers a broadcast'], frame);
      return;
    }
    if (res.route.type === 'local') {
      if (ct && n.conntrack) n.conntrack.confirm(ct.conn);
      if (isEchoRequest(frame)) {
        this.icmpEcho(n, frame, opts, trace);
        return;
      }
      const proto = ipProto(frame, ip);
      if (proto === PROTO_UDP || proto === PROTO_TCP) {
        this.noSocket(n, frame, known, opts, trace);
        return;
      }
      if (!HANDLED_PROTOCOLS.has(proto)) {
        // ip_local_deliver_finish -> ip_protocol_deliver_rcu: no handler and no raw socket for this
        // protocol -> icmp_send(ICMP_DEST_UNREACH, ICMP_PROT_UNREACH). Seen in the lab (LAB_ONLY=extra):
        // protocol 47 (GRE) to qr-'s address -> protocol unreachable from 10.0.111.1.
        this.stage(trace, n, 'ip_local_deliver', [`no handler for protocol ${proto}: ICMP protocol unreachable`], frame);
        this.icmpSend(n, frame, known, 3, 2, trace, { opts, localDst: ipDst(frame, ip) });
        return;
      }
      this.stage(trace, n, 'ip_local_deliver', ['addressed to this namespace: local delivery (sockets not modelled)'], frame);
      return;
    }
    this.ipForward(n, dev, res.route, frame, known, ct, opts, trace);
  }

  /**
   * ip_rcv_options: the IP options compiled once the input route is known (ip-options.ts); undefined
   * when a malformed option dropped the packet (ip_options_compile: ICMP parameter problem first).
   */
  private rcvOptions(n: Namespace, route: Route, frame: Uint8Array, known: KnownBytes | undefined, ct: CtLookup | undefined, trace: PacketTrace): CompiledOptions | undefined {
    const ip = ETH_LEN;
    if (ipHl(frame, ip) <= 20) return {};
    // fib_compute_spec_dst: the destination when it is local, else the route back's preferred source.
    const specDst = route.type === 'local' ? ipDst(frame, ip) : (n.fib.lookup(0, ipSrc(frame, ip))?.route.prefsrc ?? 0);
    const c = compileOptions(frame, specDst);
    if (c.problem !== undefined) {
      this.stage(trace, n, 'ip_rcv_options', [`malformed IP option at byte ${c.problem}: ICMP parameter problem, dropped`], frame);
      // __icmp_send answers no link-layer broadcast and no broadcast route.
      if (route.type !== 'broadcast' && ethDst(frame) !== BROADCAST) {
        this.icmpSend(n, frame, known, 12, 0, trace, { opts: c, localDst: route.type === 'local' ? ipDst(frame, ip) : undefined, ct, info: c.problem << 24 });
      }
      return undefined;
    }
    if (c.unmodelled) this.stage(trace, n, 'ip_rcv_options', ['IP options other than Record Route (source route, timestamp, router alert, CIPSO): not modelled, left as they are'], frame);
    else if (c.slot !== undefined) this.stage(trace, n, 'ip_rcv_options', [`record route: spec_dst ${u32ToIp4(specDst)} written, pointer advanced (header checksum not updated)`], frame);
    else if (c.changed) this.stage(trace, n, 'ip_rcv_options', ['bytes after End of Options set to End (header checksum not updated)'], frame);
    return c;
  }

  private conntrackIn(n: Namespace, frame: Uint8Array, trace: PacketTrace, hook: 'PREROUTING' | 'OUTPUT'): CtLookup | undefined {
    if (!n.conntrack) return undefined;
    if (hook === 'PREROUTING' && !l4ChecksumOk(frame)) {
      // tcp_error / udp_error / icmp_error (nf_conntrack_checksum=1): a wrong checksum is INVALID, so
      // the packet goes on untracked and un-NATed. Seen in the lab (LAB_ONLY=extra): a UDP datagram
      // with a wrong checksum left qrouter (and the snat namespace) with the VM's fixed address.
      this.stage(trace, n, 'nf_conntrack_in', [`INVALID: ${tupleText(tupleOf(frame, ETH_LEN))} has a wrong L4 checksum, not tracked`], frame, { ctstate: 'INVALID' });
      return undefined;
    }
    const ct = n.conntrack.classify(frame);
    if (ct.state === 'INVALID') {
      // nf_conntrack_in: the TCP state machine (or the ICMP tracker) refused the packet; it goes on untracked (never NATed).
      const why = ipProto(frame, ETH_LEN) === PROTO_ICMP ? 'is no ICMP type that opens a connection' : "does not fit the connection's TCP state";
      this.stage(trace, n, 'nf_conntrack_in', [`INVALID: ${tupleText(tupleOf(frame, ETH_LEN))} ${why}, not tracked`], frame, { ctstate: 'INVALID' });
      return undefined;
    }
    if (ct.state === 'NEW' && isIcmpError(frame, ETH_LEN)) {
      // An ICMP error that quotes no known connection: INVALID, never NATed.
      this.stage(trace, n, 'nf_conntrack_in', ['INVALID: ICMP error for no known connection'], frame, { ctstate: 'INVALID' });
      return undefined;
    }
    this.stage(trace, n, 'nf_conntrack_in', [`${ct.state}${ct.dir ? ' (reply)' : ''}: ${tupleText(ct.conn.tuples[0])}`], frame, { ctstate: ct.state, ctdir: ct.dir ? 'reply' : 'original' });
    return ct;
  }

  private matchContext(frame: Uint8Array, ct: CtLookup | undefined, inIf?: string, outIf?: string): MatchContext {
    const ip = ETH_LEN;
    const states: string[] = ct ? [ct.state] : ['INVALID'];
    if (ct?.conn.dstNat) states.push('DNAT');
    if (ct?.conn.srcNat) states.push('SNAT');
    return { src: ipSrc(frame, ip), dst: ipDst(frame, ip), proto: ipProto(frame, ip), dport: l4Ports(frame, ip).dport, inIf, outIf, ctstates: states, mark: this.skbMark };
  }

  /** A raw/mangle/filter hook: ACCEPT or DROP only. */
  private filterHook(n: Namespace, table: string, chain: string, frame: Uint8Array, ct: CtLookup | undefined, inIf: string | undefined, outIf: string | undefined, trace: PacketTrace): boolean {
    const t = n.table(table);
    if (!t?.has(chain)) return true;
    const v = evaluateChain(t, chain, this.matchContext(frame, ct, inIf, outIf));
    const ok = v.target.kind !== 'DROP';
    const marked = v.mark !== this.skbMark;
    this.skbMark = v.mark;
    this.stage(trace, n, `nf_${table}:${chain}`, [...v.path.map((p) => `matched: ${p}`), ...(marked ? [`mark 0x${v.mark.toString(16)}`] : []), ok ? 'ACCEPT' : 'DROP'], frame, { verdict: v.target.kind, mark: v.mark });
    return ok;
  }

  /**
   * nf_nat_inet_fn: the nat table's chain is consulted only for a NEW connection whose NAT of this
   * type is not decided yet; then every packet is rewritten from the connection (nf_nat_packet), and
   * ICMP errors through nf_nat_icmp_reply_translation.
   */
  private natHook(n: Namespace, chain: string, manip: Manip, frame: Uint8Array, known: KnownBytes | undefined, ct: CtLookup | undefined, inIf: string | undefined, outIf: string | undefined, trace: PacketTrace): KnownBytes | undefined {
    if (!ct || !n.conntrack) return known;
    const lines: string[] = [];
    const fields: Record<string, FieldValue> = {};
    if (ct.state === 'RELATED' && ipProto(frame, ETH_LEN) === PROTO_ICMP) {
      const done = natIcmpReply(frame, ct.conn, ct.dir, manip);
      lines.push(done ? `ICMP error of a NATed connection: quoted packet and outer ${manip === 'SRC' ? 'source' : 'destination'} translated` : 'ICMP error: nothing to translate at this hook');
    } else {
      if (ct.state === 'NEW' && !(manip === 'SRC' ? ct.conn.natDoneSrc : ct.conn.natDoneDst)) {
        const v = evaluateChain(n.table('nat'), chain, this.matchContext(frame, ct, inIf, outIf));
        this.skbMark = v.mark;
        lines.push(...v.path.map((p) => `matched: ${p}`));
        const tgt = v.target;
        if ((tgt.kind === 'SNAT' && manip === 'SRC') || (tgt.kind === 'DNAT' && manip === 'DST')) {
          const randomFully = tgt.kind === 'SNAT' && tgt.randomFully;
          const b = setupNat(n.conntrack, ct.conn, manip, parseCidr(tgt.to).addr, tgt.port, randomFully);
          if (b.portChanged) {
            ct.conn.randomPort = manip;
            const id = this.randomPorts.register(n.cfg.name, n.conntrack, ct.conn, manip, { kept: b.kept, range: b.range, randomFully });
            const why = randomFully ? '--random-fully: Linux picks a random port' : 'port taken: Linux picks a pseudo-random free one';
            lines.push(`${why}, not predicted; bound from the first capture as '${id}'`);
          }
          lines.push(`${tgt.kind} to ${tgt.to}: reply tuple ${tupleText(ct.conn.tuples[1])}`);
          fields.nat = tgt.kind;
        } else {
          const cur = manip === 'SRC' ? ipSrc(frame, ETH_LEN) : ipDst(frame, ETH_LEN);
          setupNat(n.conntrack, ct.conn, manip, cur);
          lines.push(`${tgt.kind === 'ACCEPT' ? 'ACCEPT' : tgt.kind}: no ${manip} NAT (null binding)`);
        }
      }
      if (natPacket(frame, ct.conn, ct.dir, manip)) {
        lines.push(`packet ${manip === 'SRC' ? 'source' : 'destination'} rewritten from the connection (${ct.dir ? 'reply' : 'original'} direction)`);
        // The original direction now carries the port get_unique_tuple chose at random (the reply
        // direction is rewritten back to the port its sender knows).
        if (ct.conn.randomPort === manip && ct.dir === ORIGINAL) {
          known = forgetNatPort(known ?? KnownBytes.all(frame.length), frame, ETH_LEN, manip);
          lines.push('port and the checksum over it not predicted (random port)');
        }
      }
    }
    if (lines.length) this.stage(trace, n, `nf_nat:${chain}`, lines, frame, fields);
    return known;
  }

  private ipForward(n: Namespace, inDev: DeviceConfig, route: Route, frame: Uint8Array, known: KnownBytes | undefined, ct: CtLookup | undefined, opts: CompiledOptions, trace: PacketTrace): void {
    const ip = ETH_LEN;
    const ttl = frame[ip + 8];
    if (ttl <= 1) {
      this.stage(trace, n, 'ip_forward', [`ttl ${ttl}: too many hops, ICMP time exceeded`], frame, { verdict: 'time-exceeded' });
      this.icmpSend(n, frame, known, 11, 0, trace, { opts, ct });
      return;
    }
    const mtu = n.devices.get(route.dev)!.mtu;
    if (ipExceedsMtu(frame, mtu, this.reassembled.get(frame))) {
      // ip_forward: icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu)) - the next-hop MTU in
      // the low 16 bits of the header's second word; never rate limited (icmp-ratelimit.ts).
      this.stage(trace, n, 'ip_forward', [`${ipTotalLen(frame, ip)} bytes with DF > mtu ${mtu} of ${route.dev}: ICMP fragmentation needed`], frame, { verdict: 'frag-needed', mtu });
      this.icmpSend(n, frame, known, 3, 4, trace, { opts, ct, info: mtu });
      return;
    }
    ipDecreaseTtl(frame, ip);
    this.stage(trace, n, 'ip_forward', [`ttl ${ttl} -> ${frame[ip + 8]} (ip_decrease_ttl)`], frame, { oif: route.dev });
    if (!this.filterHook(n, 'filter', 'FORWARD', frame, ct, inDev.name, route.dev, trace)) return;
    if (forwardOptions(frame, opts, route.prefsrc)) {
      const what = opts.slot !== undefined ? `record route: ${u32ToIp4(route.prefsrc)} (the output route's source) written` : 'options changed at receive';
      this.stage(trace, n, 'ip_forward_options', [`${what}, header checksum recomputed`], frame);
    }
    this.postRouting(n, inDev.name, route, frame, known, ct, trace);
  }

  private postRouting(n: Namespace, inIf: string | undefined, route: Route, frame: Uint8Array, known: KnownBytes | undefined, ct: CtLookup | undefined, trace: PacketTrace): void {
    known = this.natHook(n, 'POSTROUTING', 'SRC', frame, known, ct, inIf, route.dev, trace);
    // __nf_conntrack_confirm confirms only from the original direction (an attached error does not).
    if (ct && n.conntrack && !ct.conn.confirmed && ct.dir === ORIGINAL) {
      n.conntrack.confirm(ct.conn);
      this.stage(trace, n, 'nf_conntrack_confirm', [`confirmed: ${tupleText(ct.conn.tuples[0])} / reply ${tupleText(ct.conn.tuples[1])}`], frame);
    }
    this.neighOutput(n, route.dev, route.via ?? ipDst(frame, ETH_LEN), { frame, known, ct }, trace);
  }

  /** neigh_output: resolved -> rewrite Ethernet and send; unresolved -> queue and arp_solicit. */
  private neighOutput(n: Namespace, devName: string, nexthop: number, pkt: QueuedPacket, trace: PacketTrace): void {
    const { frame, known } = pkt;
    const dev = n.devices.get(devName)!;
    const key = `${devName}|${nexthop}`;
    const nb = n.neigh.get(key);
    if (nb) {
      rewriteEth(frame, known, dev.mac, nb.mac);
      this.stage(trace, n, 'neigh_output', [`${u32ToIp4(nexthop)} lladdr ${nb.mac}${nb.permanent ? ' PERMANENT' : ''} on ${devName}`], frame, { dev: devName, nexthop: u32ToIp4(nexthop) });
      this.transmit(n, devName, frame, known, `${n.short}/neigh_output`);
      return;
    }
    const waiting = n.pending.get(key);
    if (waiting) {
      // __neigh_event_send, NUD_INCOMPLETE: queued behind the others, no probe of its own.
      waiting.queue.push(pkt);
      this.stage(trace, n, 'neigh_output', [`${u32ToIp4(nexthop)} INCOMPLETE: queued`], frame, { dev: devName });
      return;
    }
    // __neigh_event_send from NUD_NONE or NUD_FAILED: INCOMPLETE, probes = ucast_probes, one probe at
    // once (immediate_ok), the timer at retrans_time (net/core/neighbour.c).
    const again = n.failed.delete(key);
    const r: Resolution = { dev: devName, ip: nexthop, queue: [pkt], probes: NEIGH_UCAST_PROBES };
    n.pending.set(key, r);
    r.timer = this.timers.after(NEIGH_RETRANS_NS, () => this.neighTimer(n, key));
    this.neighProbe(n, r, trace, `${u32ToIp4(nexthop)} ${again ? 'FAILED, resolution restarted' : 'unresolved'} on ${devName}: packet queued`);
  }

  /**
   * neigh_probe -> arp_solicit about the latest queued packet (skb_peek_tail): with arp_announce=0 its
   * source if that is local here, else inet_select_addr; a broadcast request once probes >= ucast_probes
   * (always, from INCOMPLETE: they start there). Then probes counts it.
   */
  private neighProbe(n: Namespace, r: Resolution, trace: PacketTrace, why: string): void {
    const dev = n.devices.get(r.dev)!;
    const src = ipSrc(r.queue[r.queue.length - 1].frame, ETH_LEN);
    const sip = n.fib.isLocal(src) ? src : (n.fib.selectAddr(r.dev, r.ip) ?? 0);
    const req = buildArp(ARP_REQUEST, dev.mac, sip, r.ip);
    this.stage(trace, n, 'arp_solicit', [`${why}, who-has ${u32ToIp4(r.ip)} tell ${u32ToIp4(sip)}`], req, { dev: r.dev });
    this.transmit(n, r.dev, req, undefined, `${n.short}/arp_solicit`);
    r.probes++;
  }

  /**
   * neigh_timer_handler for an INCOMPLETE entry: another probe and the timer again, until probes
   * reaches neigh_max_probes; then NUD_FAILED and neigh_invalidate: each queued packet, oldest first,
   * goes to arp_error_report -> dst_link_failure -> ipv4_link_failure -> ipv4_send_dest_unreach ->
   * __icmp_send(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH), joined to its connection like every icmp_send.
   */
  private neighTimer(n: Namespace, key: string): void {
    const r = n.pending.get(key)!;
    const trace = this.newTrace();
    const at = u32ToIp4(r.ip);
    if (r.probes < NEIGH_MAX_PROBES) {
      this.stage(trace, n, 'neigh_timer', [`${at} on ${r.dev}: INCOMPLETE, no answer in retrans_time`], r.queue[r.queue.length - 1].frame, { dev: r.dev });
      r.timer = this.timers.after(NEIGH_RETRANS_NS, () => this.neighTimer(n, key));
      this.neighProbe(n, r, trace, `${at} still unresolved on ${r.dev} (probe ${r.probes - NEIGH_UCAST_PROBES + 1} of ${NEIGH_MAX_PROBES - NEIGH_UCAST_PROBES})`);
      return;
    }
    n.pending.delete(key);
    n.failed.add(key);
    this.stage(trace, n, 'neigh_timer', [`${at} on ${r.dev}: FAILED after ${NEIGH_MAX_PROBES - NEIGH_UCAST_PROBES} probes, ${r.queue.length} queued packet(s) reported (neigh_invalidate)`], r.queue[0].frame, { dev: r.dev, nud: 'FAILED' });
    for (const q of r.queue) {
      if (this.reassembled.has(q.frame) || ipHl(q.frame, ETH_LEN) > 20) {
        // The kernel queues each fragment (ip_fragment runs before the neighbour) and recompiles the
        // options of the queued header (ipv4_send_dest_unreach); the model has neither.
        this.stage(trace, n, 'arp_error_report', ['queued packet sent in fragments or with IP options: its host unreachable not modelled'], q.frame);
        continue;
      }
      this.stage(trace, n, 'arp_error_report', [`${u32ToIp4(ipSrc(q.frame, ETH_LEN))} -> ${at}: host unreachable (ipv4_link_failure)`], q.frame);
      this.icmpSend(n, q.frame, q.known, 3, 1, trace, { ct: q.ct });
    }
  }

  /**
   * icmp_send: quote the offending packet (from its IP header, as much as fits in 576 bytes), TOS
   * with precedence 0xc0, TTL ip_default_ttl, no DF. The IP id comes from the kernel's hashed
   * generator, so the model leaves it (and the header checksum over it) unknown. What the model did
   * not know of the offending packet (`origKnown`: a port an earlier NAT chose at random) it does not
   * know in the quote either, nor the ICMP checksum over the quote (the harness then verifies the
   * captured checksum for its own bytes).
   */
  private icmpSend(n: Namespace, orig: Uint8Array, origKnown: KnownBytes | undefined, type: number, code: number, trace: PacketTrace, about: OffendingPacket = {}): void {
    const { opts: origOpts = {}, localDst, ct: origCt, info = 0 } = about;
    const ip = ETH_LEN;
    if (isIcmpError(orig, ip) || (orig[ip + 6] & 0x1f) !== 0 || orig[ip + 7] !== 0) return; // never about errors or later fragments
    // __icmp_send: about a packet addressed to this namespace (RTCF_LOCAL) the error comes from that
    // address and is routed from it; otherwise the source is left to the route (prefsrc).
    const res = n.fib.lookup(localDst ?? 0, ipSrc(orig, ip));
    if (!res) return;
    const source = localDst ?? res.route.prefsrc;
    // __ip_options_echo: the offending packet's Record Route comes back in the error (ip-options.ts).
    const options = echoOptions(orig, origOpts, source);
    if (!options) {
      this.stage(trace, n, 'icmp_send', ['IP options not modelled (or no room to echo them): no ICMP error sent by the model'], orig);
      return;
    }
    // icmpv4_xrlim_allow, after the route lookup: the error's destination has used its tokens. "No rate
    // limit on loopback": an error to one of this namespace's own addresses (a queued packet already
    // SNATed to it) goes out of lo. Seen in the lab: snat's host unreachables for its queue, sent to
    // its own 172.30.89.126 and un-SNATed to VM2, were 32 in one instant, not 6.
    if (icmpRateLimited(type, code) && res.route.type !== 'local' && !n.icmpPeers.allow(ipSrc(orig, ip), this.timers.now)) {
      this.stage(trace, n, 'icmp_send', [`type ${type} code ${code} to ${u32ToIp4(ipSrc(orig, ip))}: rate limited (icmpv4_xrlim_allow, icmp_ratelimit 1000 ms, burst 6), not sent`], orig, { 'icmp.ratelimited': true });
      return;
    }
    this.skbMark = 0; // a new skb
    // room = 576 - IP header - echoed options - ICMP header
    const quote = Math.min(ipTotalLen(orig, ip), 576 - 20 - options.length - 8);
    const f = generatedIpv4Frame({ tos: (orig[ip + 1] & 0x1e) | 0xc0, df: false, ttl: 64, proto: PROTO_ICMP, src: source, dst: ipSrc(orig, ip), options }, 8 + quote);
    const icmp = ip + ipHl(f, ip);
    f[icmp] = type;
    f[icmp + 1] = code;
    setU32(f, icmp + 4, info);
    f.set(orig.subarray(ip, ip + quote), icmp + 8);
    setU16(f, icmp + 2, internetChecksum(f, icmp, 8 + quote));
    const known = KnownBytes.all(f.length);
    known.forget(0, ETH_LEN); // filled by neigh_output
    known.forget(ip + 4, 2); // IP id: __ip_select_ident
    known.forget(ip + 10, 2); // header checksum covers the id
    if (origKnown && !origKnown.has(ip, quote)) {
      for (let i = 0; i < quote; i++) if (!origKnown.has(ip + i)) known.forget(icmp + 8 + i, 1);
      known.forget(icmp + 2, 2);
    }
    this.stage(trace, n, 'icmp_send', [`type ${type} code ${code} from ${u32ToIp4(source)} to ${u32ToIp4(ipSrc(orig, ip))}, ${quote} bytes quoted`], f, { 'icmp.type': type });
    // icmp_glue_bits -> nf_ct_attach: an error joins the offending packet's connection even before
    // that connection is confirmed (a packet dropped in ip_forward never reaches confirm), as RELATED in
    // the other direction (nf_conntrack_attach), so NAT translates it (nf_nat_icmp_reply_translation).
    // Seen in the lab (LAB_ONLY=extra): TTL 1 after qrouter's DNAT -> the error came from the floating
    // IP, quoting the packet as sent to the floating IP.
    const attached: CtLookup | undefined = origCt && { conn: origCt.conn, dir: origCt.dir === ORIGINAL ? REPLY : ORIGINAL, state: 'RELATED' };
    this.localOut(n, f, known, res.route, trace, attached);
  }

  /** icmp_echo: the namespace answers an echo request to one of its addresses (icmp-echo.ts). */
  private icmpEcho(n: Namespace, req: Uint8Array, opts: CompiledOptions, trace: PacketTrace): void {
    const ip = ETH_LEN;
    const options = echoOptions(req, opts, ipDst(req, ip));
    if (!options || this.reassembled.has(req)) {
      // A reply to a reassembled request is cut by ip_append_data: not modelled, nor options other than RR.
      this.stage(trace, n, 'ip_local_deliver', ['echo request reassembled from fragments or with IP options not modelled: reply not modelled'], req);
      return;
    }
    const r = buildEchoReply(req, options);
    const res = n.fib.lookup(r.src, r.dst);
    if (!res) {
      this.stage(trace, n, 'icmp_echo', [`no route back to ${u32ToIp4(r.dst)}: no reply`], req);
      return;
    }
    this.skbMark = 0; // a new skb
    this.stage(trace, n, 'icmp_echo', [`echo reply from ${u32ToIp4(r.src)} to ${u32ToIp4(r.dst)}`], r.frame, { 'icmp.type': 0 });
    this.localOut(n, r.frame, r.known, res.route, trace);
  }

  /** TCP/UDP to this namespace's own address: no socket listens in a router namespace (local-sockets.ts). */
  private noSocket(n: Namespace, seg: Uint8Array, known: KnownBytes | undefined, opts: CompiledOptions, trace: PacketTrace): void {
    const ip = ETH_LEN;
    const { dport } = l4Ports(seg, ip);
    if (!l4ChecksumOk(seg)) {
      this.stage(trace, n, 'ip_local_deliver', ['L4 checksum wrong: dropped'], seg);
      return;
    }
    if (ipProto(seg, ip) === PROTO_UDP) {
      this.stage(trace, n, 'udp_rcv', [`no socket on port ${dport}: ICMP port unreachable`], seg);
      this.icmpSend(n, seg, known, 3, 3, trace, { opts, localDst: ipDst(seg, ip) });
      return;
    }
    const options = echoOptions(seg, opts, ipDst(seg, ip));
    if (!options) {
      this.stage(trace, n, 'tcp_v4_send_reset', ['IP options not modelled (or no room to echo them): no RST sent by the model'], seg);
      return;
    }
    const r = buildTcpReset(seg, options);
    if (!r) {
      this.stage(trace, n, 'tcp_v4_rcv', [`RST to port ${dport} with no socket: not answered`], seg);
      return;
    }
    const res = n.fib.lookup(r.src, r.dst);
    if (!res) {
      this.stage(trace, n, 'tcp_v4_send_reset', [`no route back to ${u32ToIp4(r.dst)}: no RST`], seg);
      return;
    }
    this.skbMark = 0; // a new skb
    this.stage(trace, n, 'tcp_v4_send_reset', [`no socket on port ${dport}: RST from ${u32ToIp4(r.src)} to ${u32ToIp4(r.dst)}`], r.frame);
    this.localOut(n, r.frame, r.known, res.route, trace);
  }

  /** ip_local_out for a packet this namespace generated. */
  private localOut(n: Namespace, frame: Uint8Array, known: KnownBytes, route: Route, trace: PacketTrace, attached?: CtLookup): void {
    if (attached) this.stage(trace, n, 'nf_conntrack_in', [`RELATED${attached.dir ? ' (reply)' : ''}: attached to ${tupleText(attached.conn.tuples[0])} (nf_ct_attach)`], frame, { ctstate: 'RELATED', ctdir: attached.dir ? 'reply' : 'original' });
    const ct = attached ?? this.conntrackIn(n, frame, trace, 'OUTPUT');
    const k = this.natHook(n, 'OUTPUT', 'DST', frame, known, ct, undefined, route.dev, trace);
    const out = ct ? this.routeMeHarder(n, frame, ct.conn.tuples, ct.dir, route, trace) : route;
    if (!out) return;
    if (out.type === 'local') {
      // ip_route_output_key_hash_rcu (net/ipv4/route.c): an RTN_LOCAL result goes out of the loopback
      // device, which no capture holds, and comes back in as local input. What the model generates
      // (ICMP errors, echo replies, RSTs) and routes here is an ICMP error to this namespace's own
      // address (an echo request or SYN from an own address is a martian source): icmp_rcv ->
      // icmp_unreach hands it to the quoted protocol's error handler, which sends nothing.
      this.stage(trace, n, 'ip_local_deliver', [`to ${u32ToIp4(ipDst(frame, ETH_LEN))}, this namespace's own address: out of lo and delivered locally, nothing answers it`], frame, { oif: 'lo' });
      return;
    }
    this.postRouting(n, undefined, out, frame, k, ct, trace);
  }

  /**
   * nf_nat_ipv4_local_fn (net/netfilter/nf_nat_proto.c): after the OUTPUT hook's NAT, when the
   * connection translates the destination in this packet's direction (tuplehash[dir].dst !=
   * tuplehash[!dir].src), ip_route_me_harder routes the packet again, from its (local) source to its
   * destination as it now is. An ICMP error to the SNAT address of a connection (snat's host
   * unreachable for a queued, already SNATed datagram) is un-SNATed here (nf_nat_icmp_reply_translation)
   * and leaves toward the connection's original source instead of looping back. Undefined: no route,
   * dropped (NF_DROP_ERR).
   */
  private routeMeHarder(n: Namespace, frame: Uint8Array, tuples: [Tuple, Tuple], dir: Direction, route: Route, trace: PacketTrace): Route | undefined {
    if (tuples[dir].dst === tuples[dir === ORIGINAL ? REPLY : ORIGINAL].src) return route;
    const src = ipSrc(frame, ETH_LEN);
    const dst = ipDst(frame, ETH_LEN);
    const res = n.fib.lookup(src, dst);
    if (!res) {
      this.stage(trace, n, 'ip_route_me_harder', [`no route from ${u32ToIp4(src)} to ${u32ToIp4(dst)}: dropped`], frame);
      return undefined;
    }
    this.stage(trace, n, 'ip_route_me_harder', [`destination translated at OUTPUT: routed again, ${routeText(res.route)}`], frame, { oif: res.route.dev });
    return res.route;
  }
}

