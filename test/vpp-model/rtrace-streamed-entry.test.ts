// A trace file replayed through `dpconform replay --input FILE` is streamed: each packet trace's
// entry frame is rebuilt as it completes and its stages are dropped (a 50 MB trace read whole, a
// packet on every stage, peaked at ~900 MB). The streamed reading gives the same inputs and the same
// warnings as the whole-text one, and keeps a packet trace only where a picked frame was refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tracePackets, tracePacketsOfFile } from '../../models/vpp/entry-frame.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { inputsFromTraceFile, inputsFromTraceText } from '../../models/vpp/replay.js';
import type { TraceWarning } from '../../harness/vpp-trace/trace-file.js';

const SCENARIO = 'fixtures/contiv/scenario.yaml';
const SEED = 'golden/contiv/seed/004_c3bde7ba11825164.txt';
const GOLDEN = 'golden/contiv/pod-to-pod-same-node.request.trace';
const tmp = mkdtempSync(join(tmpdir(), 'rtrace-'));

describe('a trace file read for replay is streamed', () => {
  it('keeps an entry frame per packet, no packet trace (no stages, no packet per stage)', async () => {
    const read = await tracePacketsOfFile(GOLDEN);
    expect(read.packets.length).toBeGreaterThan(0);
    for (const p of read.packets) {
      expect(p.entry).toBeDefined();
      expect(p.trace).toBeUndefined();
    }
  });

  it('rebuilds only the picked packets; the others keep their label and line alone', async () => {
    const read = await tracePacketsOfFile(SEED, SEED, (label) => label === 2);
    expect(read.packets.filter((p) => p.entry).map((p) => p.label)).toEqual([2]);
    // Besides, a packet that continues another through a tunnel keeps that packet's label and VNI (continues).
    for (const p of read.packets.filter((x) => x.label !== 2)) expect(Object.keys(p).filter((k) => k !== 'continues').sort()).toEqual(['label', 'line']);
  });

  it('keeps the packet trace of a refused frame, so it is refused again with every warning known', async () => {
    const bad = join(tmp, 'ttl.trace');
    writeFileSync(bad, readFileSync(GOLDEN, 'utf8').split('ttl 64,').join('ttl 99999999999999999999,'));
    const read = await tracePacketsOfFile(bad);
    expect(read.packets[0].entry).toBeUndefined();
    expect(read.packets[0].trace?.stages.length).toBeGreaterThan(0);
  });

  it('gives the inputs and warnings of the whole-text reading, for all packets and for --packets', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const text = readFileSync(SEED, 'utf8');
    expect([...(await tracePacketsOfFile(SEED)).warnings]).toEqual(tracePackets(text, SEED).warnings);
    for (const packets of [undefined, [5, 3]]) {
      const heard: TraceWarning[][] = [[], []];
      const whole = inputsFromTraceText(SEED, text, inst, { instance: 'k8s-master' }, packets, (w) => heard[0].push(w));
      const streamed = await inputsFromTraceFile(SEED, SEED, inst, { instance: 'k8s-master' }, packets, (w) => heard[1].push(w));
      expect(streamed).toEqual(whole);
      expect(heard[1]).toEqual(heard[0]);
    }
  });
});
