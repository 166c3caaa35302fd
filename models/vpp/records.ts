// Trace records of the built-in nodes -> Stage, through harness/vpp-trace's node kinds: the one
// place VPP text is formatted. Nodes build typed records; nothing here writes VPP text itself.

import type { FieldValue, Stage } from '../../harness/stage.js';
import { headersFromBytes, type HeaderChain } from '../../harness/vpp-trace/format/headers.js';
import type { BufferText } from '../../harness/vpp-trace/format/buffer.js';
import type { Adjacency as TraceAdjacency } from '../../harness/vpp-trace/format/adjacency.js';
import type { NodeKind } from '../../harness/vpp-trace/nodes/kind.js';
import { virtioInput as virtioKind } from '../../harness/vpp-trace/nodes/virtio-input.js';
import { tapcliRx as tapcliKind } from '../../harness/vpp-trace/nodes/tapcli-rx.js';
import { dpdk as dpdkKind } from '../../harness/vpp-trace/nodes/dpdk.js';
import { lookup as lookupKind } from '../../harness/vpp-trace/nodes/lookup.js';
import { rewrite as rewriteKind } from '../../harness/vpp-trace/nodes/rewrite.js';
import { udpLookup as udpLookupKind } from '../../harness/vpp-trace/nodes/udp-lookup.js';
import { ethernetDecode, ipDecode } from '../../harness/vpp-trace/nodes/header-decode.js';
import { l2Classify as l2ClassifyKind, l2Mac as l2MacKind, l2Output as l2OutputKind, type L2MacRecord } from '../../harness/vpp-trace/nodes/l2.js';
import { vxlanEncap as vxlanEncapKind, vxlanInput as vxlanInputKind } from '../../harness/vpp-trace/nodes/vxlan.js';
import { interfaceOutput as interfaceOutputKind } from '../../harness/vpp-trace/nodes/interface-output.js';
import { errorDrop as errorDropKind } from '../../harness/vpp-trace/nodes/error-drop.js';
import { featureBitmapDrop as featureBitmapDropKind } from '../../harness/vpp-trace/nodes/feature-bitmap-drop.js';
import { hex } from '../../harness/wire/bytes.js';

type Fields = Record<string, FieldValue>;

/** A Stage from one of harness/vpp-trace's node kinds: its exact formatter and its field names. */
function fromKind<R>(node: string, kind: NodeKind<R>, r: R, column?: number): Stage {
  const fields: Fields = {};
  kind.toFields(r, fields);
  return { node, lines: kind.format(r, column), fields };
}

/** Header decode of `max` bytes at `off` (vpp-facts byte counts), as lines at `col`. */
export function decode(bytes: Uint8Array, off: number, from: 'eth' | 'ip4', max: number | undefined, end?: number): HeaderChain {
  const view = end === undefined ? bytes : bytes.subarray(0, end);
  return headersFromBytes(view, off, from, max);
}

export function virtioInput(hwIfIndex: number, nextIndex: number, len: number): Stage {
  const hdr = { flags: 0, gsoType: 0, hdrLen: 0, gsoSize: 0, csumStart: 0, csumOffset: 0, numBuffers: 1 };
  return fromKind('virtio-input', virtioKind, { hwIfIndex, nextIndex, vring: 0, len, hdr });
}

export function tapcliRx(ifName: string): Stage {
  return fromKind('tapcli-rx', tapcliKind, { ifName } as Parameters<typeof tapcliKind.format>[0]);
}

/** dpdk-input / `<if>-tx`: interface line, buffer dump, mbuf block, header decode of 128 bytes. */
export function dpdkRecord(
  node: string,
  ifName: string,
  dir: 'rx' | 'tx',
  buffer: BufferText,
  mbuf: { port: number; pktLen: number; dataOff: number },
  headers: HeaderChain,
): Stage {
  return fromKind(node, dpdkKind, {
    ifName,
    direction: dir,
    queue: 0,
    buffer,
    mbuf: {
      port: mbuf.port, nbSegs: 1, pktLen: mbuf.pktLen, bufLen: 2176, dataLen: mbuf.pktLen, olFlags: 0,
      dataOff: mbuf.dataOff, physAddr: 0, packetType: 0, l2Len: 0, l3Len: 0, outerL2Len: 0, outerL3Len: 0,
    },
    headers,
  });
}

/** ethernet-input (one line), ip4-input (IP + L4 at column 2), ip4-local & co (column 4). */
export function headerOnly(node: string, headers: HeaderChain, col = 2): Stage {
  return fromKind(node, headers[0]?.kind === 'eth' ? ethernetDecode : ipDecode, { headers }, col);
}

/** ip4-lookup / ip4-load-balance. */
export function lookupRecord(node: string, fib: number, dpoIdx: number, flowHash: number, headers: HeaderChain): Stage {
  return fromKind(node, lookupKind, { fib, dpoIdx, flowHash, headers });
}

/** ip4-rewrite: adjacency line + 60-byte dump from current data. */
export function rewriteRecord(txSwIfIndex: number, adjIdx: number, adjacency: TraceAdjacency, flowHash: number, dump: Uint8Array | null): Stage {
  return fromKind('ip4-rewrite', rewriteKind, { txSwIfIndex, idxLabel: 'dpo-idx', adjIndex: adjIdx, adjacency, flowHash, dump: dump ? hex(dump) : '' });
}

export function udpLookupRecord(srcPort: number, dstPort: number, noListener: boolean): Stage {
  return fromKind('ip4-udp-lookup', udpLookupKind, { srcPort, dstPort, noListener });
}

/** l2-input, l2-learn, l2-fwd, l2-flood: `{label}: sw_if_index N dst M src M[ bd_index B]`. */
export function l2Record(node: string, label: L2MacRecord['label'], swIfIndex: number, dst: string, src: string, bdIndex?: number): Stage {
  return fromKind(node, l2MacKind, { label, swIfIndex, dst, src, bdIndex });
}

export function l2ClassifyRecord(swIfIndex: number, table: number, offset: number, next: number): Stage {
  return fromKind('l2-input-classify', l2ClassifyKind, { swIfIndex, table, offset, next });
}

export function l2OutputRecord(swIfIndex: number, dst: string, src: string, data12: Uint8Array): Stage {
  return fromKind('l2-output', l2OutputKind, { label: 'l2-output', swIfIndex, dst, src, data: hex(data12) });
}

export function vxlanEncapRecord(tunnel: number, vni: number): Stage {
  return fromKind('vxlan4-encap', vxlanEncapKind, { tunnel, vni });
}

export function vxlanDecapRecord(tunnel: number | null, vni: number, next: number, error: number): Stage {
  return fromKind('vxlan4-input', vxlanInputKind, tunnel === null ? { vni } : { tunnel, vni, next, error });
}

/** feature-bitmap-drop: `feat_bitmap_drop: feature bitmap 0x%08x` of the buffer's l2 feature bitmap. */
export function featureBitmapDropRecord(featureBitmap: number): Stage {
  return fromKind('feature-bitmap-drop', featureBitmapDropKind, { featureBitmap });
}

/** `<if>-output`: interface name, then the Ethernet decode of 124 bytes from current data. */
export function interfaceOutputRecord(node: string, ifName: string, headers: HeaderChain): Stage {
  return fromKind(node, interfaceOutputKind, { ifName, headers });
}

/** error-drop's record, or error-punt's (`node`): both are format_vnet_error_trace. */
export function errorDropRecord(errorNode: string, error: string, node: 'error-drop' | 'error-punt' = 'error-drop'): Stage {
  return fromKind(node, errorDropKind, { errorNode, error });
}
