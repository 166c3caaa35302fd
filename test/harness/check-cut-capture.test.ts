// A frame its capture cut (tcpdump -s: captured length < original length) is a normal capture; the
// bytes past the captured ones are unknown, not absent. `check` with a cut capture DIVERGED on every
// frame, both "captured packet (tcp:...:-14) not predicted" and "the model sends a packet ... the
// capture does not have": the flow key took lengths from the captured bytes (a payload length of -14)
// and fingerprinted the captured part of the payload; and compareFrames compared the frame length
// as captured. Now the key reads lengths from the headers, a part it cannot read ends it (`#cut`,
// found by a prefix of the prediction's key), and the frame's length is its original one.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck, formatCheck, type CaptureSpec } from '../../harness/check/check.js';
import { compareFrames } from '../../harness/check/compare.js';
import { cutKeys, flowKey } from '../../harness/check/flow-key.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { encodePcap } from '../../harness/io/pcap.js';
import { neutronDvrModel } from '../../models/neutron-dvr/index.js';
import type { Packet } from '../../harness/wire/packet.js';

const SCENARIO = 'fixtures/neutron-dvr/scenario.yaml';
/** The DVR lab's real captures: ARP, ICMP echoes and errors, UDP, TCP through the router namespaces. */
const GOLDEN = 'golden/neutron-dvr/captures';
/** The edge devices' captures (the inputs) stay whole: a cut input cannot be replayed. */
const isEdge = (f: string) => f.startsWith('vm-') || f.startsWith('ext-host');

const cut = (p: Packet, snaplen: number): Packet => ({ data: p.data.slice(0, Math.min(snaplen, p.data.length)), meta: { ...p.meta, origLength: p.data.length } });

/** The lab's captures, the routers' ones cut to `snaplen` (tcpdump -s), `edit` applied to their frames first. */
async function captures(snaplen: number, edit?: (file: string, frames: Packet[]) => void): Promise<CaptureSpec[]> {
  const dir = mkdtempSync(join(tmpdir(), `check-cut-${snaplen}-`));
  const out: CaptureSpec[] = [];
  for (const f of readdirSync(GOLDEN).filter((x) => x.endsWith('.pcap'))) {
    const base = f.slice(0, -'.pcap'.length);
    const dot = base.indexOf('.');
    let file = join(GOLDEN, f);
    if (!isEdge(f)) {
      const frames = await readCaptureAll(file);
      edit?.(f, frames);
      file = join(dir, f);
      writeFileSync(file, encodePcap(frames.map((p) => cut(p, snaplen)), { linkType: frames[0].meta.linkType }));
    }
    out.push({ node: base.slice(0, dot), iface: base.slice(dot + 1), file });
  }
  return out;
}

describe('check against captures cut by their snaplen', () => {
  it.each([34, 42, 50, 60, 96])('cut at %i bytes: MATCH, as the whole captures', async (snaplen) => {
    const whole = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: await captures(100_000) });
    const r = await runCheck({ model: neutronDvrModel, scenario: SCENARIO, captures: await captures(snaplen) });
    expect(r.divergences).toEqual([]);
    expect([r.predicted, r.matched]).toEqual([whole.predicted, whole.matched]);
  });

  it('a TTL changed inside the captured bytes still shows', async () => {
    let changed = '';
    const r = await runCheck({
      model: neutronDvrModel,
      scenario: SCENARIO,
      captures: await captures(60, (file, frames) => {
        // The first IPv4 frame of the first router capture: TTL one less.
        if (changed) return;
        const p = frames.find((x) => x.data[12] === 0x08 && x.data[13] === 0x00)!;
        p.data[22]--;
        changed = `${file}:${p.meta.frame}`;
      }),
    });
    expect(r.divergences).toHaveLength(1);
    const text = formatCheck(r).join('\n');
    expect(text).toContain('field ip4.ttl: model 62, captured 61');
    expect(text).toContain(changed);
  });

  it('the key of a cut frame is a prefix of the whole one\'s, lengths from the headers', async () => {
    const frames = await readCaptureAll(join(GOLDEN, readdirSync(GOLDEN).find((f) => f.startsWith('qrouter') && f.endsWith('.pcap'))!));
    for (const p of frames) {
      for (const snaplen of [20, 34, 42, 50, 54, 60, 80]) {
        const c = cut(p, snaplen);
        const key = flowKey(c);
        if (c.data.length < p.data.length) expect([flowKey(p), ...cutKeys(flowKey(p))]).toContain(key);
        else expect(key).toBe(flowKey(p));
        expect(key).not.toMatch(/:-\d/);
      }
    }
  });

  it('compareFrames: the frame\'s original length compared; bytes past the cut nowhere', async () => {
    const frames = await readCaptureAll(join(GOLDEN, 'vm-a7884fb1.eth0.pcap'));
    const syn = frames.find((p) => p.data.length === 74 && p.data[23] === 6)!;
    expect(compareFrames(syn, cut(syn, 60))).toBeUndefined();
    const longer: Packet = { data: new Uint8Array([...syn.data, 0]), meta: syn.meta };
    expect(compareFrames(longer, cut(syn, 60))).toEqual({ field: 'frame.length', model: 75, captured: 74 });
  });
});
