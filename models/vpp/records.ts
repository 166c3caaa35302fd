// Trace records of the built-in nodes -> Stage. Header decodes, hex dumps and number formats come
// from harness/vpp-trace (the one place VPP text is formatted). The node first lines below are
// the vpp-facts templates; they move to harness/vpp-trace/nodes/* as soon as that engineer's
// per-node formatters land (see the final report) - this file is the single seam to switch.

import type { FieldValue, Stage } from '../../harness/stage.js';
import { formatHeaders, headersFromBytes, headersToFields, type HeaderChain } from '../../harness/vpp-trace/format/headers.js';
import { formatHexDump } from '../../harness/vpp-trace/format/hexdump.js';
import { dec, hexn, hexw, udec } from '../../harness/vpp-trace/format/vppinfra.js';
import { hex } from '../../harness/wire/bytes.js';

type Fields = Record<string, FieldValue>;

function stage(node: string, lines: string[], fields: Fields, chain?: HeaderChain): Stage {
  if (chain) headersToFields(chain, fields);
  return { node, lines, fields };
}

/** Header decode of `max` bytes at `off` (vpp-facts byte counts), as lines at `col`. */
export function decode(bytes: Uint8Array, off: number, from: 'eth' | 'ip4', max: number | undefined, end?: number): HeaderChain {
  const view = end === undefined ? bytes : bytes.subarray(0, end);
  return headersFromBytes(view, off, from, max);
}

export function virtioInput(hwIfIndex: number, nextIndex: number, len: number): Stage {
  return stage(
    'virtio-input',
    [
      `  virtio: hw_if_index ${dec(hwIfIndex)} next-index ${dec(nextIndex)} vring 0 len ${udec(len)}`,
      '    hdr: flags 0x00 gso_type 0x00 hdr_len 0 gso_size 0 csum_start 0 csum_offset 0 num_buffers 1',
    ],
    { hw_if_index: hwIfIndex, next_index: nextIndex, vring: 0, len },
  );
}

export function tapcliRx(ifName: string): Stage {
  return stage('tapcli-rx', [`  ${ifName}`], { interface: ifName });
}

export interface BufferDump {
  bufferIndex: number;
  currentData: number;
  length: number;
  traceIndex: number;
  flagNames: string[];
  l2: number | undefined;
  l3: number | undefined;
}

/** dpdk-input / `<if>-tx`: interface line, buffer dump, mbuf block, header decode of 128 bytes. */
export function dpdkRecord(
  node: string,
  ifName: string,
  dir: 'rx' | 'tx',
  buf: BufferDump,
  mbuf: { port: number; pktLen: number; dataOff: number },
  chain: HeaderChain,
): Stage {
  const head = `  buffer 0x${hexn(buf.bufferIndex)}: `;
  const lines = [
    `  ${ifName} ${dir} queue 0`,
    `${head}current data ${dec(buf.currentData)}, length ${dec(buf.length)}, free-list 0, clone-count 0, totlen-nifb 0, trace 0x${hexn(buf.traceIndex)}`,
  ];
  let flags = buf.flagNames.map((n) => n + ' ').join('');
  if (buf.l2 !== undefined) flags += `l2-hdr-offset ${buf.l2} `;
  if (buf.l3 !== undefined) flags += `l3-hdr-offset ${buf.l3} `;
  if (flags) lines.push(' '.repeat(head.length) + flags);
  lines.push(
    `  PKT MBUF: port ${mbuf.port}, nb_segs 1, pkt_len ${mbuf.pktLen}`,
    `    buf_len 2176, data_len ${mbuf.pktLen}, ol_flags 0x0, data_off ${mbuf.dataOff}, phys_addr 0x0`,
    '    packet_type 0x0 l2_len 0 l3_len 0 outer_l2_len 0 outer_l3_len 0',
    ...formatHeaders(chain, 2),
  );
  return stage(
    node,
    lines,
    {
      interface: ifName,
      buffer_index: buf.bufferIndex,
      current_data: buf.currentData,
      length: buf.length,
      trace_index: buf.traceIndex,
      buffer_flags: flags.trim(),
      'mbuf.port': mbuf.port,
      'mbuf.pkt_len': mbuf.pktLen,
      'mbuf.data_off': mbuf.dataOff,
      'mbuf.phys_addr': 0,
    },
    chain,
  );
}

/** ethernet-input (one line), ip4-input (IP + L4 at column 2). */
export function headerOnly(node: string, chain: HeaderChain, col = 2): Stage {
  return stage(node, formatHeaders(chain, col), {}, chain);
}

/** ip4-lookup / ip4-load-balance. */
export function lookupRecord(node: string, fib: number, dpoIdx: number, flowHash: number, chain: HeaderChain): Stage {
  return stage(
    node,
    [`  fib ${dec(fib)} dpo-idx ${dec(dpoIdx)} flow hash: 0x${hexw(flowHash, 8)}`, ...formatHeaders(chain, 2)],
    { fib, dpo_idx: dpoIdx, flow_hash: flowHash },
    chain,
  );
}

/** ip4-rewrite: adjacency line + 60-byte dump from current data. */
export function rewriteRecord(txSwIfIndex: number, adjIdx: number, adjText: string, flowHash: number, dump: Uint8Array | null): Stage {
  const lines = [`  tx_sw_if_index ${dec(txSwIfIndex)} dpo-idx ${dec(adjIdx)} : ${adjText} flow hash: 0x${hexw(flowHash, 8)}`];
  lines.push(...(dump ? formatHexDump(dump, 2) : ['  ']));
  return stage('ip4-rewrite', lines, {
    tx_sw_if_index: txSwIfIndex,
    dpo_idx: adjIdx,
    adjacency: adjText,
    flow_hash: flowHash,
    data: dump ? hex(dump) : null,
  });
}

export function udpLookupRecord(srcPort: number, dstPort: number, noListener: boolean): Stage {
  return stage('ip4-udp-lookup', [`  UDP: src-port ${srcPort} dst-port ${dstPort}${noListener ? ' (no listener)' : ''}`], {
    'udp.src_port': srcPort,
    'udp.dst_port': dstPort,
    no_listener: noListener,
  });
}

/** l2-input, l2-learn, l2-fwd, l2-flood: `{label}: sw_if_index N dst M src M[ bd_index B]`. */
export function l2Record(node: string, label: string, swIfIndex: number, dst: string, src: string, bdIndex?: number): Stage {
  return stage(
    node,
    [`  ${label}sw_if_index ${dec(swIfIndex)} dst ${dst} src ${src}${bdIndex === undefined ? '' : ` bd_index ${dec(bdIndex)}`}`],
    { sw_if_index: swIfIndex, 'eth.dst': dst, 'eth.src': src, ...(bdIndex === undefined ? {} : { bd_index: bdIndex }) },
  );
}

export function l2ClassifyRecord(swIfIndex: number, table: number, offset: number, next: number): Stage {
  return stage('l2-input-classify', [`  l2-classify: sw_if_index ${dec(swIfIndex)}, table ${dec(table)}, offset ${hexn(offset)}, next ${dec(next)}`], {
    sw_if_index: swIfIndex,
    table,
    offset,
    next_index: next,
  });
}

export function l2OutputRecord(swIfIndex: number, dst: string, src: string, data12: Uint8Array): Stage {
  const data = [...data12].map((x) => hexw(x, 2)).join(' ');
  return stage('l2-output', [`  l2-output: sw_if_index ${dec(swIfIndex)} dst ${dst} src ${src} data ${data}`], {
    sw_if_index: swIfIndex,
    'eth.dst': dst,
    'eth.src': src,
    data: hex(data12),
  });
}

export function vxlanEncapRecord(tunnel: number, vni: number): Stage {
  return stage('vxlan4-encap', [`  VXLAN encap to vxlan_tunnel${dec(tunnel)} vni ${udec(vni)}`], { tunnel, vni });
}

export function vxlanDecapRecord(tunnel: number | null, vni: number, next: number, error: number): Stage {
  if (tunnel === null)
    return stage('vxlan4-input', [`  VXLAN decap error - tunnel for vni ${udec(vni)} does not exist`], { vni, error });
  return stage('vxlan4-input', [`  VXLAN decap from vxlan_tunnel${dec(tunnel)} vni ${udec(vni)} next ${dec(next)} error ${dec(error)}`], {
    tunnel,
    vni,
    next_index: next,
    error,
  });
}

/** `<if>-output`: interface name, then the Ethernet decode of 124 bytes from current data. */
export function interfaceOutputRecord(node: string, ifName: string, chain: HeaderChain): Stage {
  return stage(node, [`  ${ifName}`, ...formatHeaders(chain, 2)], { interface: ifName }, chain);
}

export function errorDropRecord(errorNode: string, text: string): Stage {
  return stage('error-drop', [`  ${errorNode}: ${text}`], { error_node: errorNode, error: text });
}
