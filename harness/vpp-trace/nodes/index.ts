// Node name -> node kind. Exact names first, then the patterns VPP node names follow
// (`<if>-output`, `<dpdk-if>-tx`, `nat44-*`, `acl-plugin-*`). A name that maps to nothing is an
// unknown node: the parser keeps its raw lines and never fails on it.

import type { FieldValue, Stage } from '../../stage.js';
import type { NodeKind } from './kind.js';
import { virtioInput, type VirtioInputRecord } from './virtio-input.js';
import { tapcliRx, type TapcliRxRecord } from './tapcli-rx.js';
import { dpdk, type DpdkRecord } from './dpdk.js';
import { afPacketInput, type AfPacketInputRecord } from './af-packet-input.js';
import { pgInput, type PgInputRecord } from './pg-input.js';
import { ethernetDecode, ipDecode, type HeaderDecodeRecord } from './header-decode.js';
import { lookup, type LookupRecord } from './lookup.js';
import { rewrite, type RewriteRecord } from './rewrite.js';
import { udpLookup, type UdpLookupRecord } from './udp-lookup.js';
import { acl, type AclRecord } from './acl.js';
import { nat44, type Nat44Record } from './nat44.js';
import { l2Mac, l2Classify, l2Output, type L2MacRecord, type L2ClassifyRecord, type L2OutputRecord } from './l2.js';
import { vxlanEncap, vxlanInput, type VxlanEncapRecord, type VxlanInputRecord } from './vxlan.js';
import { interfaceOutput, type InterfaceOutputRecord } from './interface-output.js';
import { errorDrop, type ErrorDropRecord } from './error-drop.js';
import { fip64, type Fip64Record } from './fip64.js';
import { featureBitmapDrop } from './feature-bitmap-drop.js';
import { icmpEcho, type IcmpEchoRecord } from './icmp-echo.js';

export type AnyRecord =
  | VirtioInputRecord
  | TapcliRxRecord
  | DpdkRecord
  | AfPacketInputRecord
  | PgInputRecord
  | HeaderDecodeRecord
  | LookupRecord
  | RewriteRecord
  | UdpLookupRecord
  | AclRecord
  | Nat44Record
  | L2MacRecord
  | L2ClassifyRecord
  | L2OutputRecord
  | VxlanEncapRecord
  | VxlanInputRecord
  | InterfaceOutputRecord
  | ErrorDropRecord
  | Fip64Record
  | IcmpEchoRecord;

export interface NodeEntry {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  kind: NodeKind<any>;
  /** Decode column for header-only kinds (ip4-local prints its IP decode at column 4). */
  column?: number;
}

const EXACT = new Map<string, NodeEntry>();
function add(names: string[], kind: NodeKind<never> | NodeKind<any>, column?: number): void {
  for (const n of names) EXACT.set(n, column === undefined ? { kind } : { kind, column });
}

add(['virtio-input'], virtioInput);
add(['tapcli-rx'], tapcliRx);
add(['dpdk-input'], dpdk);
add(['af-packet-input'], afPacketInput);
add(['pg-input'], pgInput);
add(['ethernet-input'], ethernetDecode, 2);
// ip4-icmp-input and ip4-icmp-echo-request trace the IP header as ip4-icmp-error does (icmp4.c format_icmp_input_trace).
add(['ip4-input', 'ip4-input-no-checksum', 'ip6-input', 'ip4-icmp-error', 'ip6-icmp-error', 'ip4-icmp-input', 'ip4-icmp-echo-request'], ipDecode, 2);
add(['ip4-icmp-echo-reply', 'ip6-icmp-echo-reply'], icmpEcho);
add(['ip4-local', 'ip4-drop', 'ip4-arp', 'ip4-glean', 'ip4-midchain', 'ip4-punt'], ipDecode, 4);
add(['ip4-lookup', 'ip4-load-balance', 'ip6-lookup', 'ip6-load-balance'], lookup);
add(['ip4-rewrite', 'ip6-rewrite'], rewrite);
add(['ip4-udp-lookup', 'ip6-udp-lookup'], udpLookup);
add(['l2-input', 'l2-learn', 'l2-fwd', 'l2-flood'], l2Mac);
add(['l2-input-classify'], l2Classify);
add(['l2-output', 'l2-output-vtr'], l2Output);
add(['vxlan4-encap', 'vxlan6-encap'], vxlanEncap);
add(['vxlan4-input', 'vxlan6-input'], vxlanInput);
add(['error-drop', 'error-punt', 'drop', 'punt'], errorDrop);
add(['ip6-fip64', 'ip4-fip64'], fip64);
add(['feature-bitmap-drop'], featureBitmapDrop);

const PATTERNS: Array<[RegExp, NodeEntry]> = [
  [/^nat44-/, { kind: nat44 }],
  [/^acl-plugin-/, { kind: acl }],
  // Only DPDK tx nodes add records (virtio/tap/loop tx functions do not: vpp-facts §2.3).
  [/-tx$/, { kind: dpdk }],
  [/-output$/, { kind: interfaceOutput }],
];

/** Nodes that hold no trace record in 18.01 (if they appear anyway, their lines stay raw). */
const NO_RECORD = new Set(['interface-output']);

/** Pattern results per name: a trace repeats a few names (`tap8-output`) millions of times. */
const BY_PATTERN = new Map<string, NodeEntry | null>();
const BY_PATTERN_MAX = 4096;

export function lookupNode(name: string): NodeEntry | undefined {
  const e = EXACT.get(name);
  if (e) return e;
  const c = BY_PATTERN.get(name);
  if (c !== undefined) return c ?? undefined;
  let found: NodeEntry | null = null;
  if (!NO_RECORD.has(name)) {
    for (const [re, entry] of PATTERNS) {
      if (re.test(name)) {
        found = entry;
        break;
      }
    }
  }
  if (BY_PATTERN.size >= BY_PATTERN_MAX) BY_PATTERN.clear();
  BY_PATTERN.set(name, found);
  return found ?? undefined;
}

/** Device input nodes: where a packet's trace starts. The parser splits unnumbered packets here. */
const INPUT_NODES = new Set([
  'virtio-input', 'tapcli-rx', 'dpdk-input', 'af-packet-input', 'pg-input', 'memif-input', 'vhost-user-input',
  'netmap-input', 'avf-input', 'rdma-input', 'vmxnet3-input', 'af-xdp-input', 'tuntap-rx', 'ixge-input',
]);

export function isInputNode(name: string): boolean {
  return INPUT_NODES.has(name);
}

export function formatRecord(node: string, record: AnyRecord): string[] {
  const e = lookupNode(node);
  if (!e) throw new Error(`no trace record kind for node '${node}'`);
  return e.kind.format(record, e.column);
}

export function recordFields(node: string, record: AnyRecord): Record<string, FieldValue> {
  const e = lookupNode(node);
  if (!e) throw new Error(`no trace record kind for node '${node}'`);
  const fields: Record<string, FieldValue> = {};
  e.kind.toFields(record, fields);
  return fields;
}

/** A VPP stage: the shared Stage plus the typed record it came from. */
export interface VppStage extends Stage {
  /** Node kind name when the node is known and its lines parsed. */
  kind?: string;
  record?: AnyRecord;
  /**
   * When the node wrote several records for this packet in a row, VPP prints them under one header
   * (vpp-facts §2.2.3): all of them, in order (`record` is the first). Fields of record i >= 1 are
   * `records.{i}.`-prefixed.
   */
  records?: AnyRecord[];
}

/**
 * What a model node calls to emit its trace: the Stage with VPP's exact body lines and the same
 * fields a parsed real trace has. `time` is left undefined (masked in diffs).
 */
export function recordToStage(node: string, record: AnyRecord, opts: { time?: string } = {}): VppStage {
  const e = lookupNode(node);
  if (!e) throw new Error(`no trace record kind for node '${node}'`);
  const fields: Record<string, FieldValue> = {};
  e.kind.toFields(record, fields);
  const s: VppStage = { node, lines: e.kind.format(record, e.column), fields, kind: e.kind.kind, record };
  if (opts.time !== undefined) s.time = opts.time;
  return s;
}

/** Fields of several records of one stage: the first under the plain names, record i under `records.{i}.`. */
export function recordsFields(kind: NodeKind<any>, records: readonly AnyRecord[]): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  kind.toFields(records[0], out);
  for (let i = 1; i < records.length; i++) {
    const f: Record<string, FieldValue> = {};
    kind.toFields(records[i], f);
    for (const k in f) out[`records.${i}.${k}`] = f[k];
  }
  return out;
}

/** Several consecutive records of one node, as VPP prints them: one header, the bodies in order. */
export function recordsToStage(node: string, records: readonly AnyRecord[], opts: { time?: string } = {}): VppStage {
  if (records.length === 1) return recordToStage(node, records[0], opts);
  const e = lookupNode(node);
  if (!e || records.length === 0) throw new Error(`no trace record kind for node '${node}' or no records`);
  const lines = records.flatMap((r) => e.kind.format(r, e.column));
  const s: VppStage = { node, lines, fields: recordsFields(e.kind, records), kind: e.kind.kind, record: records[0], records: [...records] };
  if (opts.time !== undefined) s.time = opts.time;
  return s;
}

export {
  virtioInput, tapcliRx, dpdk, afPacketInput, pgInput, ethernetDecode, ipDecode, lookup, rewrite, udpLookup, acl, nat44,
  l2Mac, l2Classify, l2Output, vxlanEncap, vxlanInput, interfaceOutput, errorDrop, fip64,
};
export type {
  VirtioInputRecord, TapcliRxRecord, DpdkRecord, AfPacketInputRecord, PgInputRecord, HeaderDecodeRecord, LookupRecord, RewriteRecord,
  UdpLookupRecord, AclRecord, Nat44Record, L2MacRecord, L2ClassifyRecord, L2OutputRecord, VxlanEncapRecord, VxlanInputRecord,
  InterfaceOutputRecord, ErrorDropRecord, Fip64Record,
};
