// `check --window`: the captures read as they are replayed, frames older than the window let go
// (harness/check/capture-feed.ts, CapturedByFlow.evictBefore), so memory is what a window of traffic
// holds instead of every capture whole. The verdict must be the one of the whole-capture check.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, formatCheck, type CaptureSpec } from '../../harness/check/check.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import { vppModel } from '../../models/vpp/index.js';
import { CapturedByFlow, type Captured } from '../../harness/check/captured-index.js';
import { encodePcapng } from '../../harness/io/pcapng.js';
import { parseWindow } from '../../harness/cli/check.js';
import { DEFAULT_BATCH } from '../../harness/io/capture.js';
import { POD_TO_SERVICE, podToServiceSyns, writeCapture } from './check-self-captures.js';
import type { Packet } from '../../harness/wire/packet.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
const GOLDEN = 'golden/neutron-dvr/captures';
const captures: CaptureSpec[] = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.pcap'))
  .map((f) => {
    const base = f.slice(0, -'.pcap'.length);
    const dot = base.indexOf('.');
    return { node: base.slice(0, dot), iface: base.slice(dot + 1), file: join(GOLDEN, f) };
  });

/** The client pod's tap (what it sent) and the backend's (what VPP delivered), as two device captures. */
function podCaptures(sent: Packet[], delivered: Packet[]): { dir: string; pods: CaptureSpec[] } {
  const dir = mkdtempSync(join(tmpdir(), 'check-window-'));
  writeCapture(join(dir, 'tap2.pcapng'), 'tap2', sent);
  writeCapture(join(dir, 'tap4.pcapng'), 'tap4', delivered);
  const pods: CaptureSpec[] = [
    { node: 'k8s-master', iface: 'tap2', file: join(dir, 'tap2.pcapng') },
    { node: 'k8s-master', iface: 'tap4', file: join(dir, 'tap4.pcapng') },
  ];
  return { dir, pods };
}

describe('check with a window', () => {
  it('the DVR lab captures: the same result read 1 s at a time as read whole', async () => {
    const whole = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures });
    const windowed = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures, window: 1_000_000_000n });
    expect(whole.divergences).toEqual([]);
    expect(formatCheck(windowed)).toEqual(formatCheck(whole));
  });

  // Captures of several read batches each, so the window is at work: the frame the model delivers
  // for one SYN captured 3 s after it (a self-consistency set, check-self-captures.ts) is found when
  // the captures are read whole, not within a 1 s window: the prediction is missing then, and the
  // frame, once read, is one nothing predicted. (A window reads whole batches, ~1 s of these 1 ms
  // apart frames: the late frame is two batches past its input's.)
  it('a frame captured later than the window after its input: missing and unpredicted; MATCH read whole', async () => {
    const inputs = 4 * DEFAULT_BATCH;
    const late = 100;
    const { sent, delivered } = podToServiceSyns(inputs, 1_000_000n);
    const delayed = delivered[late];
    delayed.meta = { ...delayed.meta, timestampNs: delayed.meta.timestampNs! + 3_000_000_000n };
    delivered.sort((a, b) => (a.meta.timestampNs! < b.meta.timestampNs! ? -1 : a.meta.timestampNs! > b.meta.timestampNs! ? 1 : 0));
    const { dir, pods } = podCaptures(sent, delivered);
    const whole = await runCheck({ model: vppModel, scenario: POD_TO_SERVICE, captures: pods });
    expect(formatCheck(whole)[1]).toBe('check: MATCH: every captured packet predicted, every prediction captured');
    expect([whole.inputs, whole.matched]).toEqual([inputs, inputs]);

    const windowed = await runCheck({ model: vppModel, scenario: POD_TO_SERVICE, captures: pods, window: 1_000_000_000n });
    const input = `${pods[0].file}:${late + 1}`;
    const frame = `${pods[1].file}:${delivered.indexOf(delayed) + 1}`;
    expect(windowed.divergences).toMatchObject([
      { kind: 'missing', device: 'k8s-master:tap4', input },
      { kind: 'unexpected', device: 'k8s-master:tap4', captured: frame },
    ]);
    expect(windowed.divergences[0].key).toBe(windowed.divergences[1].key);
    expect(windowed.matched).toBe(inputs - 1);
  });

  // A pass that ends early left the other captures' readers (and their files) open: a library caller
  // running many checks ran out of descriptors.
  it('a check that stops on a bad frame in a later batch leaves no capture open', async () => {
    const { sent, delivered } = podToServiceSyns(3 * DEFAULT_BATCH, 1_000_000n);
    const back = delivered[2 * DEFAULT_BATCH];
    back.meta = { ...back.meta, timestampNs: 0n }; // out of time order, in the third batch
    const { dir, pods } = podCaptures(sent, delivered);
    const open = () => readdirSync('/proc/self/fd').flatMap((fd) => { try { return [readlinkSync(`/proc/self/fd/${fd}`)]; } catch { return []; } }).filter((l) => l.startsWith(dir));
    await expect(runCheck({ model: vppModel, scenario: POD_TO_SERVICE, captures: pods, window: 1_000_000_000n })).rejects.toThrow(/frame earlier than the one before it/);
    expect(open()).toEqual([]);
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
