// The VPP graph: nodes, feature arcs, plugins, and the instance (`vm`) that runs a buffer through
// them. A node is a small function from (vm, buffer) to the name of the next node; what it wants to
// show in `show trace` it adds with vm.trace(b, stage), building the stage with the vpp-trace
// record formatters (harness/vpp-trace), so model and real traces print identically.
//
// Plugins (NAT44, ACL...) register nodes, feature-arc positions and a scenario section; see
// models/vpp/README.md.

import type { Stage } from '../../harness/stage.js';
import type { Packet } from '../../harness/wire/packet.js';
import type { SchemaNode } from '../../harness/scenario/schema.js';
import { NONE, type VlibBuffer } from './buffer.js';
import { IndexMap } from './index-map.js';
import { currentMtrie } from './fib-mtrie.js';
import { scanLongestFirst } from './fib-prefixes.js';
import { hasUnknownIpId, knownBytesOfFrame, unknownIpIdInFrame, withUnknownIpId } from './unknown-ip-id.js';
import {
  HIDDEN_LB_BASE,
  type Adjacency,
  type BridgeDomain,
  type Dpo,
  type Fib,
  type LoadBalance,
  type SwInterface,
  type VxlanTunnel,
} from './state.js';

export { NONE, VlibBuffer, BufferFlag, HEADROOM } from './buffer.js';
export type * from './state.js';

/** Returned by a node that consumed the buffer (transmitted it, dropped it). */
export const DONE = null;
export type Next = string | null;

export interface GraphNode {
  /** Node name as `show trace` prints it (`ip4-rewrite`, `acl-plugin-in-ip4-fa`). */
  readonly name: string;
  /**
   * Static next-node slots as VPP registers them (slot i = nextNodes[i]), for nodes whose trace
   * prints a `next index` (NAT44 tables in vpp-facts §8.1). Dynamic slots come from vm.nextSlot.
   */
  readonly nextNodes?: readonly string[];
  /** Process one buffer; return the next node's name, or DONE. */
  process(vm: Vm, b: VlibBuffer): Next;
}

/**
 * A feature's place on an arc. VPP orders a interface's enabled features by the registrations'
 * runs-before/after constraints, not by configuration order; `order` is that resolved order
 * (lower runs first), e.g. on ip4-unicast acl-plugin-in-ip4-fa 10 < nat44-out2in 20.
 */
export interface FeatureRegistration {
  /** `ip4-unicast` (input features, end node ip4-lookup) or `ip4-output` (end node: interface output). */
  arc: FeatureArcName;
  node: string;
  order: number;
}

export type FeatureArcName = 'ip4-unicast' | 'ip4-output';

/** Where scenario errors point: plugin config checks report through this (file, line, key path). */
export interface ConfigContext {
  /** Throw an InputError naming the key path (relative to the plugin's section) and its line. */
  fail(reason: string, keyPath: string): never;
  /** Interface by name or throw an InputError at keyPath. */
  interfaceByName(name: string, keyPath: string): SwInterface;
  /**
   * A plugin's local /32 for `address` (big-endian u32) in the FIB of interface `swIfIndex`:
   * fib_table_entry_update_one_path with FIB_SOURCE_PLUGIN_HI and FIB_ENTRY_FLAG_LOCAL, a receive DPO.
   */
  addPluginReceiveEntry(swIfIndex: number, address: number): void;
}

/** The RangeErrors V8 throws when a typed array's memory cannot be had (no other RangeError). */
const ALLOCATION_FAILED = /Array buffer allocation failed|Invalid typed array length/;

/**
 * Run `make`, which allocates tables of the size the knob at keyPath asked for (`asked`: whether the
 * configuration set it); if that memory cannot be had, fail at the knob instead. Any other error,
 * or a failed allocation the knob did not ask for, passes through unchanged.
 */
export function allocating<T>(ctx: ConfigContext, keyPath: string, asked: boolean, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (!asked || !(e instanceof RangeError) || !ALLOCATION_FAILED.test(e.message)) throw e;
    return ctx.fail(`cannot allocate the tables this size asks for (${e.message})`, keyPath);
  }
}

export interface VppPlugin {
  name: string;
  /** Key of the plugin's section inside a scenario instance (`nat44`, `acl`). */
  scenarioKey: string;
  /** Declarative schema of that section (validated with line numbers before configure runs). */
  schema: SchemaNode;
  nodes: GraphNode[];
  features: FeatureRegistration[];
  /** Build the plugin's state from its (already schema-valid) section; keep it via vm.pluginState. */
  configure(vm: Vm, section: unknown, ctx: ConfigContext): void;
  /**
   * Optional, speed only: read the session-hash slots that the group's frames will look up, so that
   * a group of packets has its cache misses overlapped before the packets run (VPP nodes prefetch
   * bihash buckets for the packets ahead of the one they process). Changes no state; returns the
   * words read, for a sink that keeps the reads from being optimised away.
   */
  prefetch?(vm: Vm, group: FrameGroup): number;
  /** The plugin's part of ModelInstance.assumptions for this instance (harness/model.ts). */
  assumptions?(vm: Vm): string[];
}

/**
 * The frames of a group about to be injected, as plugins' prefetch hooks see them: frame k is
 * bytes[k][start[k], start[k] + length[k]) (a Packet's data, or a region of a capture's file
 * buffer), arriving on sw_if_index rx[k] (-1: unknown, skip it).
 */
export interface FrameGroup {
  count: number;
  readonly bytes: Uint8Array[];
  readonly start: Int32Array;
  readonly length: Int32Array;
  readonly rx: Int32Array;
}

/**
 * Mechanisms a test may switch off to prove a conformance check can fail (TEAM.md truth rules).
 * Each node consults `vm.hasFault(...)` at the one place it implements the mechanism.
 */
const NO_FEATURES: string[] = [];

export const Fault = {
  TTL_DECREMENT: 'ttl-decrement',
  IP4_CHECKSUM_UPDATE: 'ip4-checksum-update',
  MAC_REWRITE: 'mac-rewrite',
  VXLAN_SOURCE_PORT: 'vxlan-source-port',
  VXLAN_VNI: 'vxlan-vni',
  FLOW_HASH: 'flow-hash',
  NAT_TRANSLATION: 'nat-translation',
  NAT_BACKEND_CHOICE: 'nat-backend-choice',
  NAT_CHECKSUM_UPDATE: 'nat-checksum-update',
  ACL_SESSIONS: 'acl-sessions',
  ACL_SESSION_EXPIRY: 'acl-session-expiry',
} as const;
export type FaultName = (typeof Fault)[keyof typeof Fault] | (string & {});

/**
 * Copies of transmitted frames, carved from 64 KiB slabs: a view on a shared ArrayBuffer is much
 * cheaper to make than a fresh ArrayBuffer per frame (`slice`). A slab lives while any frame in it
 * does, so a caller keeping one frame keeps at most 64 KiB with it.
 */
class FrameSlab {
  private static readonly SIZE = 64 * 1024;
  private slab = new Uint8Array(0);
  private used = 0;

  copy(from: Uint8Array, start: number, length: number): Uint8Array {
    if (length > FrameSlab.SIZE / 4) return from.slice(start, start + length);
    if (this.used + length > this.slab.length) {
      this.slab = new Uint8Array(FrameSlab.SIZE);
      this.used = 0;
    }
    const at = this.used;
    const slab = this.slab;
    for (let i = 0; i < length; i++) slab[at + i] = from[start + i];
    this.used += length;
    return slab.subarray(at, at + length);
  }
}

/** A wire from some of an instance's interfaces to a peer instance's (the scenario's links). */
export interface Wire {
  /** Is this interface linked to a peer? */
  links(itf: SwInterface): boolean;
  /**
   * The frame leaves on a linked interface (a copy the peer may keep). `unknownIpIdAt`: where in it
   * the IP header whose id the model does not know starts (unknown-ip-id.ts), if there is one.
   */
  send(itf: SwInterface, frame: Uint8Array, unknownIpIdAt: number | undefined): void;
}

/** Hard stop for a misconfigured graph that would loop forever. */
const MAX_HOPS = 512;

/**
 * A node as one instance runs it (vlib_node_runtime_t): the node and its next arcs, resolved to
 * runtimes. A node names its next node; the name is looked up once per (node, next) pair, the first
 * time that edge is taken or at registration for static `nextNodes` (vlib_node_add_next), and from
 * then on is a scan of this node's few next names compared by identity (the names are string
 * constants, so the comparison is a pointer compare) - no map lookup by name per packet.
 */
interface NodeRuntime extends NextArcs {
  readonly node: GraphNode;
  readonly index: number;
}

/**
 * A node's next arcs, and the one its last packet took: a replay's packets mostly leave a node the
 * way the one before did (VPP's node->cached_next_index), so that one is compared first.
 */
interface NextArcs {
  readonly nextNames: string[];
  readonly nextRuntimes: NodeRuntime[];
  /** NO_EDGE until an edge is taken: a string, so that `===` on it only ever sees strings. */
  lastName: string;
  lastRuntime: NodeRuntime | undefined;
}

/**
 * lastName of a node no packet has left yet. Not undefined: V8 compiles a `===` whose operands have
 * only been internalized strings to a pointer compare, one that has also seen undefined to a call
 * of the generic StrictEqual builtin (~1% of the hit path, per hop).
 */
const NO_EDGE = '\0no edge taken';

/**
 * The internalized copy of a node name made at run time (a template like `tap4-output`, a feature
 * name out of the scenario's YAML): follow() compares the names nodes return by identity, which V8
 * does with a pointer compare only while every name it has seen was internalized (property keys
 * are; Object.keys hands back the key the object holds).
 */
export function nodeName(name: string): string {
  return Object.keys({ [name]: 0 })[0];
}

/** sw_if_index values Vm resolves into an array (an interface index is small in practice). */
const RESOLVED_LIMIT = 1 << 16;

/** A feature arc's sorted features on one interface, kept while its enabled list is unchanged. */
interface ResolvedArc {
  /**
   * A copy of the enabled list it was sorted from. The list is the configuration's own array, which
   * a plugin may push to, replace, or change in place (a feature disabled and another enabled keeps
   * its length): only its contents say whether it is still the same list.
   */
  enabled: string[];
  sorted: string[];
}

/** Does the enabled list (undefined: none) hold exactly `kept`, in order? A list is 0-3 names long. */
function sameFeatures(enabled: readonly string[] | undefined, kept: readonly string[]): boolean {
  const n = enabled === undefined ? 0 : enabled.length;
  if (n !== kept.length) return false;
  for (let i = 0; i < n; i++) if (enabled![i] !== kept[i]) return false;
  return true;
}

/** Vm.resolved: an interface as the packet path reads it. */
interface ResolvedInterface {
  readonly interfacesVersion: number;
  readonly orderVersion: number;
  /** The interface's `features` (an interface keeps its one record; the lists in it may change). */
  readonly features: Readonly<Record<string, string[] | undefined>>;
  readonly outputNode: string;
  readonly unicast: ResolvedArc;
  readonly output: ResolvedArc;
}

/** Vm.features reads each arc by name: a new FeatureArcName fails to compile here until it does. */
function unknownArc(arc: never): never {
  throw new Error(`no feature arc '${String(arc)}'`);
}


/** One VPP instance: its configuration state, the node graph, per-node state, and the run loop. */
export class Vm {
  readonly interfaces = new IndexMap<SwInterface>();
  readonly interfacesByName = new Map<string, SwInterface>();
  readonly fibs = new IndexMap<Fib>();
  readonly fibByTableId = new Map<number, Fib>();
  readonly adjacencies = new IndexMap<Adjacency>();
  /** Dense from 0 and from HIDDEN_LB_BASE, where configure.ts numbers the load-balances it adds. */
  readonly loadBalances = new IndexMap<LoadBalance>(null, HIDDEN_LB_BASE);
  readonly bridgeDomains = new Map<number, BridgeDomain>();
  readonly vxlanTunnels: VxlanTunnel[] = [];
  readonly nodes = new Map<string, GraphNode>();
  /** Runtimes by node index (registration order), and by name for resolving new edges. */
  private readonly runtimes: NodeRuntime[] = [];
  private readonly runtimeByName = new Map<string, NodeRuntime>();
  /** The nodes `run` was started at (device input nodes), as the next arcs of a virtual entry node. */
  private readonly entryPoint: NextArcs = { nextNames: [], nextRuntimes: [], lastName: NO_EDGE, lastRuntime: undefined };
  /** Per-node / per-plugin state (NAT sessions, ACL sessions, counters), created on first use. */
  private readonly states = new Map<string, unknown>();
  /** Dynamic next-slot tables: node -> next node names by slot (slot 0 is error-drop). */
  private readonly slots = new Map<string, string[]>();
  /** Feature order per arc, from the plugins' and built-in registrations. */
  private readonly featureOrder = new Map<string, number>();
  readonly faults = new Set<FaultName>();

  /** Is this mechanism switched off? (No set lookup per packet while no fault is on, the replay case.) */
  hasFault(fault: FaultName): boolean {
    return this.faults.size !== 0 && this.faults.has(fault);
  }
  /** Record traces (off for the benchmark's hot path). */
  tracing = true;
  /** Packets the instance transmitted, in order. */
  readonly outputs: Packet[] = [];
  /**
   * Error counters of dropped packets, by node and error string (`show errors`): counts, not a list,
   * so a replay of millions of dropped packets holds nothing per packet.
   */
  readonly errorCounts = new Map<string, Map<string, number>>();

  /** Count one packet dropped with this error (error-drop). */
  countError(node: string, text: string): void {
    let byText = this.errorCounts.get(node);
    if (!byText) this.errorCounts.set(node, (byText = new Map()));
    byText.set(text, (byText.get(text) ?? 0) + 1);
  }
  /**
   * The current packet's time: its capture timestamp in whole ms since the epoch, NaN when the input
   * has none (VPP trace text). Set by the caller per packet; the ACL plugin's idle cleaner runs on it.
   */
  nowMs = NaN;
  /** A plugin whose state runs on nowMs sets this: the caller reads capture timestamps only then. */
  usesClock = false;
  /** The frame the current packet is in (ip4-input's two-packet loop depends on it). */
  frame = { size: 1, index: 0 };
  /** Where transmitted frames go besides `outputs` (a wire to another instance). */
  wire: Wire | null = null;
  /**
   * Keep an output Packet (a copy of the frame) per transmitted frame? Off while the caller discards
   * outputs (VppInstance.injectCounting): a frame is then copied only when it crosses a wire.
   */
  keepOutputs = true;
  /** Frames transmitted so far (kept or not). */
  transmitted = 0;
  /** Where transmitted frames are copied to (they outlive the buffer, which the next packet reuses). */
  private readonly frameCopies = new FrameSlab();
  /** Running trace index (`trace 0x..` in buffer dumps), one per traced packet. */
  nextTraceIndex = 0;

  constructor(readonly name: string) {}

  // ---- nodes and plugins ----
  addNode(node: GraphNode): void {
    if (this.nodes.has(node.name)) throw new Error(`node ${node.name} registered twice`);
    if (node.name === NO_EDGE) throw new Error(`a node may not be named ${JSON.stringify(NO_EDGE)}`);
    this.nodes.set(node.name, node);
    const rt: NodeRuntime = { node, index: this.runtimes.length, nextNames: [], nextRuntimes: [], lastName: NO_EDGE, lastRuntime: undefined };
    this.runtimes.push(rt);
    this.runtimeByName.set(node.name, rt);
    // Static next slots whose nodes exist already are resolved now; later ones on first use.
    for (const n of node.nextNodes ?? []) {
      const to = this.runtimeByName.get(n);
      if (to) {
        rt.nextNames.push(n);
        rt.nextRuntimes.push(to);
      }
    }
  }

  /** Is a node of this name in the graph? */
  hasNode(name: string): boolean {
    return this.runtimeByName.has(name);
  }

  /** The node index of a registered node (registration order), as VPP's node->index. */
  nodeIndex(name: string): number {
    const rt = this.runtimeByName.get(name);
    if (!rt) throw new Error(`${this.name}: no graph node named '${name}'`);
    return rt.index;
  }

  addFeature(f: FeatureRegistration): void {
    this.featureOrder.set(`${f.arc}/${f.node}`, f.order);
    this.featureOrderVersion++;
  }

  /** The state under `key` if something made it (state() does), without making it. */
  peekState<T>(key: string): T | undefined {
    return this.states.get(key) as T | undefined;
  }

  /** Per-node or per-plugin state, created by `init` on first use. */
  state<T>(key: string, init: () => T): T {
    let s = this.states.get(key) as T | undefined;
    if (s === undefined) {
      s = init();
      this.states.set(key, s);
    }
    return s;
  }

  /** Configure one dynamic next slot of a node (scenario `next_slots`: VPP's order depends on config history). */
  setNextSlot(node: string, next: string, index: number): void {
    let table = this.slots.get(node);
    if (!table) this.slots.set(node, (table = ['error-drop']));
    while (table.length <= index) table.push('');
    table[index] = next;
  }

  /**
   * The slot index `from` uses to reach `to`, as `next index` prints it: the node's static nextNodes
   * if it has them, else the dynamic table (allocated in order of first use after any configured
   * slots, like vlib_node_add_next).
   */
  nextSlot(from: string, to: string): number {
    const stat = this.nodes.get(from)?.nextNodes;
    if (stat) {
      const i = stat.indexOf(to);
      if (i >= 0) return i;
    }
    let table = this.slots.get(from);
    if (!table) {
      table = ['error-drop'];
      this.slots.set(from, table);
    }
    let i = table.indexOf(to);
    if (i < 0) i = table.push(to) - 1;
    return i;
  }

  // ---- feature arcs ----
  /** The enabled features of an arc on an interface, in arc order. */
  features(arc: FeatureArcName, swIfIndex: number): string[] {
    const r = this.resolved(swIfIndex);
    if (r === null) return NO_FEATURES;
    // Named loads, not features[arc]: a load keyed by a variable string is a generic (megamorphic)
    // lookup, and this runs twice per packet.
    const unicast = arc === 'ip4-unicast';
    if (!unicast && arc !== 'ip4-output') return unknownArc(arc);
    const sorted = unicast ? r.unicast : r.output;
    const enabled = unicast ? r.features['ip4-unicast'] : r.features['ip4-output'];
    if (sameFeatures(enabled, sorted.enabled)) return sorted.sorted;
    return this.sortFeatures(arc, sorted, enabled);
  }

  /**
   * Per sw_if_index (below RESOLVED_LIMIT): what the packet path reads of an interface, resolved
   * once. An array read instead of an IndexMap lookup plus loads from the SwInterface, whose objects
   * differ in shape (optional keys, keys added later), so V8's loads of their properties were
   * megamorphic - measured ~3% of the connection workload in features() alone.
   */
  private readonly resolvedItfs: (ResolvedInterface | undefined)[] = [];
  /** Bumped by every addFeature: a resolved arc order is kept only while this is unchanged. */
  private featureOrderVersion = 0;

  /**
   * The interface's resolved record, null if there is no interface with this index. Made again when
   * vm.interfaces changed (any set or delete) or a feature registration did since it was made.
   */
  private resolved(swIfIndex: number): ResolvedInterface | null {
    const r = swIfIndex >= 0 && swIfIndex < RESOLVED_LIMIT ? this.resolvedItfs[swIfIndex] : undefined;
    if (r !== undefined && r.interfacesVersion === this.interfaces.version && r.orderVersion === this.featureOrderVersion) return r;
    const itf = this.interfaces.get(swIfIndex);
    if (!itf) return null;
    const made: ResolvedInterface = {
      interfacesVersion: this.interfaces.version,
      orderVersion: this.featureOrderVersion,
      features: itf.features,
      outputNode: (itf.outputNode ??= nodeName(`${itf.name}-output`)),
      unicast: { enabled: NO_FEATURES, sorted: NO_FEATURES },
      output: { enabled: NO_FEATURES, sorted: NO_FEATURES },
    };
    if (swIfIndex >= 0 && swIfIndex < RESOLVED_LIMIT) {
      while (this.resolvedItfs.length < swIfIndex) this.resolvedItfs.push(undefined);
      this.resolvedItfs[swIfIndex] = made;
    }
    return made;
  }

  /**
   * `enabled` in arc order, kept in `into`. Apart from features() on purpose: a closure over `arc`
   * in features() itself would make V8 allocate a context on every call of it (twice per packet).
   */
  private sortFeatures(arc: FeatureArcName, into: ResolvedArc, enabled: readonly string[] | undefined): string[] {
    into.enabled = enabled === undefined ? NO_FEATURES : [...enabled];
    into.sorted = enabled === undefined || enabled.length === 0 ? NO_FEATURES : [...enabled].sort((a, b) => (this.featureOrder.get(`${arc}/${a}`) ?? 0) - (this.featureOrder.get(`${arc}/${b}`) ?? 0)).map(nodeName);
    return into.sorted;
  }

  /** Enter an arc (vnet_feature_arc_start): the first feature, or `end` if none is enabled. */
  featureStart(b: VlibBuffer, arc: FeatureArcName, swIfIndex: number, end: string): string {
    const list = this.features(arc, swIfIndex);
    if (list.length === 0) {
      b.arc = null;
      return end;
    }
    b.arc = b.enterArc(arc, swIfIndex, end, list);
    return list[0];
  }

  /** vnet_feature_next: the feature after the current one on the buffer's arc, or the arc's end node. */
  featureNext(b: VlibBuffer): string {
    const arc = b.arc;
    if (!arc) throw new Error('featureNext called off a feature arc');
    const list = arc.list ?? this.features(arc.name as FeatureArcName, arc.swIfIndex);
    arc.position++;
    if (arc.position < list.length) return list[arc.position];
    b.arc = null;
    return arc.end;
  }

  // ---- lookups nodes share ----
  interface(swIfIndex: number): SwInterface {
    const i = this.interfaces.get(swIfIndex);
    if (!i) throw new Error(`${this.name}: no interface with sw_if_index ${swIfIndex}`);
    return i;
  }

  /** The FIB a lookup uses: TX if set (vpp-facts §5.2), else the RX interface's. */
  lookupFibIndex(b: VlibBuffer): number {
    return b.txSwIfIndex !== NONE ? b.txSwIfIndex : (this.interfaces.get(b.rxSwIfIndex)?.fibIndex ?? 0);
  }

  /** Longest-prefix match of a big-endian u32 address; undefined on a miss. */
  fibLookup(fibIndex: number, addr: number): { lbIndex: number; prefixLength: number } | undefined {
    const lbIndex = this.fibLookupLb(fibIndex, addr);
    return lbIndex < 0 ? undefined : { lbIndex, prefixLength: this.lastPrefixLength };
  }

  /** Prefix length of the last fibLookupLb hit. */
  lastPrefixLength = -1;

  /**
   * The packet path's longest-prefix match: the load-balance index, or -1 on a miss (no object per
   * lookup). Searched in the FIB's mtrie (fib-mtrie.ts, rebuilt after any change of the FIB's
   * maps); a FIB whose maps cannot be watched is scanned, longest prefix length first.
   */
  fibLookupLb(fibIndex: number, addr: number): number {
    const fib = this.fibs.get(fibIndex);
    if (!fib) return -1;
    const trie = currentMtrie(fib);
    if (trie === null) {
      const e = scanLongestFirst(fib.byLength, addr, this.scanHit);
      if (!e) return -1;
      this.lastPrefixLength = this.scanHit.length;
      return e.lbIndex;
    }
    const slot = trie.lookup(addr);
    if (slot < 0) return -1;
    const hits = trie.hits;
    this.lastPrefixLength = hits[2 * slot + 1];
    return hits[2 * slot];
  }

  /** Where the scan reports the length of its hit. */
  private readonly scanHit = { length: -1 };

  /** The next node a DPO leads to from ip4-lookup / ip4-load-balance. */
  dpoNextNode(dpo: Dpo): string {
    switch (dpo.type) {
      case 'adj': {
        const adj = this.adjacencies.get(dpo.index);
        if (!adj) return 'ip4-drop';
        return adj.kind === 'rewrite' ? 'ip4-rewrite' : adj.kind === 'glean' ? 'ip4-glean' : 'ip4-arp';
      }
      case 'lb':
        return 'ip4-load-balance';
      case 'receive':
        return 'ip4-local';
      case 'drop':
        return 'ip4-drop';
    }
  }

  // ---- tracing and running ----
  /** Add a trace record for the node that is processing b. */
  trace(b: VlibBuffer, stage: Stage): void {
    if (!this.tracing) return;
    // Only an echo reply (ip4-icmp-echo.ts) carries bytes the model cannot know: its records say so.
    b.trace.push(hasUnknownIpId(b) ? withUnknownIpId(stage, b) : stage);
  }

  /** Run a buffer from `first` until a node consumes it. */
  run(b: VlibBuffer, first: string): void {
    let rt = this.follow(this.entryPoint, first);
    for (let hops = 0; ; hops++) {
      if (hops >= MAX_HOPS) throw new Error(`${this.name}: packet looped through ${MAX_HOPS} nodes (last ${rt.node.name})`);
      const next = rt.node.process(this, b);
      if (next === null) return; // DONE
      rt = this.follow(rt, next);
    }
  }

  /** The runtime of the node `from` continues to: its next arcs scanned by name identity. */
  private follow(from: NextArcs, next: string): NodeRuntime {
    if (from.lastName === next) return from.lastRuntime!;
    const names = from.nextNames;
    for (let i = 0; i < names.length; i++)
      if (names[i] === next) {
        from.lastName = next;
        return (from.lastRuntime = from.nextRuntimes[i]);
      }
    // A new edge (vlib_node_add_next at run time): resolved once, kept on the node.
    const to = this.runtimeByName.get(next);
    if (!to) throw new Error(`${this.name}: no graph node named '${next}'`);
    names.push(next);
    from.nextRuntimes.push(to);
    return to;
  }

  /** `<if>-output` of an interface, formatted once per interface (not per packet). */
  outputNodeName(swIfIndex: number): string {
    const r = this.resolved(swIfIndex);
    if (r === null) throw new Error(`${this.name}: no interface with sw_if_index ${swIfIndex}`);
    return r.outputNode;
  }

  /**
   * Does a frame leaving on `itf` need its bytes: an output Packet is kept, or it crosses a wire to
   * another instance? When not, transmit only counts it.
   */
  keepsFrameOf(itf: SwInterface): boolean {
    return this.keepOutputs || (this.wire !== null && this.wire.links(itf));
  }

  /** A frame leaves on an interface (tx function). */
  transmit(b: VlibBuffer, itf: SwInterface): void {
    this.transmitted++;
    if (!this.keepsFrameOf(itf)) return;
    const wire = this.wire;
    const crosses = wire !== null && wire.links(itf);
    const frame = this.frameCopies.copy(b.bytes, b.start, b.currentLength);
    if (this.keepOutputs) {
      // An echo reply's IP id is random in VPP (ip4-icmp-echo.ts): its copy says the model does not know it.
      const known = knownBytesOfFrame(b, frame);
      this.outputs.push(known === undefined ? { data: frame, meta: { linkType: 1, interfaceName: itf.name } } : { data: frame, known, meta: { linkType: 1, interfaceName: itf.name } });
    }
    if (crosses) wire.send(itf, frame, unknownIpIdInFrame(b));
  }

  /** File an error for error-drop (the node name is the one whose error table the string is from). */
  drop(b: VlibBuffer, node: string, text: string): string {
    b.error = { node, text };
    return 'error-drop';
  }
}
