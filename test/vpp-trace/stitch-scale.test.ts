// Stitching compared every VXLAN encap with every decap, and `trace show` scanned every stitch for
// every packet: both quadratic. A 50 MB trace of tunnelled flows took 11 minutes and 2.5 GB in
// `trace show`. The pairs found, and their order, are unchanged.

import { describe, expect, it } from 'vitest';
import type { VppStage } from '../../harness/vpp-trace/nodes/index.js';
import type { TraceFile, VppPacketTrace } from '../../harness/vpp-trace/trace-file.js';
import { stitch, type Stitch } from '../../harness/vpp-trace/stitch.js';
import { NO_PAINT, showTrace } from '../../harness/vpp-trace/show.js';

function stage(node: string, fields: Record<string, string | number>, kind?: string): VppStage {
  return { node, lines: [], fields, ...(kind ? { kind } : {}) };
}

/** Inner headers of flow i (distinct per i). */
function inner(i: number): Record<string, string | number> {
  return { 'ip4.src': '10.1.1.1', 'ip4.dst': '10.1.2.1', 'ip4.id': i & 0xffff, 'ip4.ttl': 64, 'ip4.checksum': i >> 16, 'ip4.proto': 6 };
}

function encap(i: number): VppPacketTrace {
  return { line: 2 * i + 1, stages: [stage('ip4-rewrite', inner(i)), stage('vxlan4-encap', { vni: 10 }, 'vxlan-encap')] };
}

function decap(i: number): VppPacketTrace {
  return { line: 2 * i + 2, stages: [stage('vxlan4-input', { vni: 10, tunnel: 0 }, 'vxlan-input'), stage('ip4-input', inner(i))] };
}

function traceOf(packets: VppPacketTrace[]): TraceFile {
  return { threads: [{ packets }], warnings: [], lines: 0 };
}

describe('stitching at scale', () => {
  it('pairs each encap with the decaps of the same VNI and inner headers, in packet order', () => {
    const packets = [encap(1), decap(2), decap(1), encap(2), decap(1)];
    const pairs = stitch(traceOf(packets)).map((s) => [packets.indexOf(s.from.packet), packets.indexOf(s.to.packet)]);
    expect(pairs).toEqual([[0, 2], [0, 4], [3, 1]]);
  });

  it('40,000 encaps and 40,000 decaps of distinct flows stitch in linear time', () => {
    const n = 40_000;
    const packets: VppPacketTrace[] = [];
    for (let i = 0; i < n; i++) packets.push(encap(i), decap(i));
    const t0 = performance.now();
    const pairs = stitch(traceOf(packets));
    const ms = performance.now() - t0;
    expect(pairs).toHaveLength(n);
    // Compared pairwise this is 1.6e9 comparisons (seconds); indexed, tens of milliseconds.
    expect(ms).toBeLessThan(1500);
  });

  it('show reads each stitch a bounded number of times, not once per packet', () => {
    const packets: VppPacketTrace[] = [];
    for (let i = 0; i < 2000; i++) packets.push(encap(i), decap(i));
    let reads = 0;
    const counted: Stitch[] = stitch(traceOf(packets)).map((s) => ({
      ...s,
      get from() {
        reads++;
        return s.from;
      },
    }));
    const text = showTrace(traceOf(packets), NO_PAINT, counted);
    expect(text.match(/continues on the peer VPP/g)).toHaveLength(2000);
    expect(reads).toBeLessThanOrEqual(2 * counted.length);
  });
});
