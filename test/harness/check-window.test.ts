// `check --window`: the captures read as they are replayed, frames older than the window let go
// (harness/check/capture-feed.ts, CapturedByFlow.evictBefore), so memory is what a window of traffic
// holds instead of every capture whole. The verdict must be the one of the whole-capture check.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, formatCheck, type CaptureSpec } from '../../harness/check/check.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { CapturedByFlow, type Captured } from '../../harness/check/captured-index.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { parseWindow } from '../../harness/cli/check.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const GOLDEN = 'golden/neutron-dvr/captures';
const captures: CaptureSpec[] = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.pcap'))
  .map((f) => {
    const base = f.slice(0, -'.pcap'.length);
    const dot = base.indexOf('.');
    return { node: base.slice(0, dot), iface: base.slice(dot + 1), file: join(GOLDEN, f) };
  });

describe('check with a window', () => {
  it('the DVR lab captures: the same result read 1 s at a time as read whole', async () => {
    const whole = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures });
    const windowed = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures, window: 1_000_000_000n });
    expect(whole.divergences).toEqual([]);
    expect(formatCheck(windowed)).toEqual(formatCheck(whole));
  });

  it('refuses a capture out of time order, naming file and frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-window-'));
    const file = join(dir, 'late.pcapng');
    const frame = (ns: bigint) => ({ data: new Uint8Array(60), meta: { linkType: 1, timestampNs: ns, interfaceId: 0 } });
    writeFileSync(file, encodePcapng([frame(2_000n), frame(1_000n)], { nanosecond: true, interfaces: [{ linkType: 1, name: 'eth0' }] }));
    const vm = captures.find((c) => c.node.startsWith('vm-'))!;
    await expect(runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: [{ ...vm, file }], window: 1_000n })).rejects.toThrow(/frame earlier than the one before it: check --window reads a capture in time order/);
  });

  it('evicted frames: the unmatched ones reported, none found again', () => {
    const index = new CapturedByFlow();
    const at = (ns: bigint, frame: number): Captured => ({ packet: { data: new Uint8Array(14), meta: { linkType: 1, frame, timestampNs: ns } }, device: 'n:if', file: 'f', matched: false });
    const [a, b, c] = [at(1n, 1), at(2n, 2), at(3n, 3)];
    index.add('k', a);
    index.add('k', b);
    index.add('k', c);
    b.matched = true;
    const reported: Captured[] = [];
    index.evictBefore(3n, (x) => reported.push(x));
    expect(reported).toEqual([a]);
    expect(index.best('k', undefined)).toBe(c);
    expect([...index.held()]).toEqual([c]);
    expect(index.count).toBe(3);
  });

  it('--window takes seconds, refuses what is not a positive number of them', () => {
    expect(parseWindow('1')).toBe(1_000_000_000n);
    expect(parseWindow('0.001')).toBe(1_000_000n);
    for (const bad of ['0', '-1', 'x', '1e3', '0.0']) expect(() => parseWindow(bad)).toThrow(/--window '.*': expected a positive number of seconds/);
  });
});
