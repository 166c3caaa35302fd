// Our dissection against tshark's, field by field, on every packet of the oracle corpus.

import { describe, it, expect, beforeAll } from 'vitest';
import { readCaptureAll } from '../../harness/io/capture.js';
import { dissect, type Layer } from '../../harness/dissect/dissect.js';
import { loadManifest, corpusFile } from './corpus.js';
import { tsharkFrames, type TsharkFrame } from './tshark.js';
import { compareDissection, flattenLayers, formatMismatch, type CompareStats } from './compare.js';
import { LAYER_TABLE } from './field-map.js';
import { acceptTsharkQuirk } from './tshark-quirks.js';
import { requireTshark } from './tools.js';
import type { Packet } from '../../harness/wire/packet.js';

const manifest = loadManifest();

interface Loaded {
  packets: Packet[];
  frames: TsharkFrame[];
}

const cache = new Map<string, Promise<Loaded>>();
function load(name: string): Promise<Loaded> {
  let p = cache.get(name);
  if (!p) {
    p = (async () => ({
      packets: await readCaptureAll(corpusFile(name)),
      frames: tsharkFrames(corpusFile(name)).filter((f) => f.isPacket),
    }))();
    cache.set(name, p);
  }
  return p;
}

const totals: CompareStats = { layers: 0, fields: 0 };
const layerNamesSeen = new Set<string>();

async function mismatches(name: string, mutate: (layers: Layer[]) => void = () => {}): Promise<string[]> {
  const { packets, frames } = await load(name);
  if (packets.length !== frames.length) return [`${packets.length} packets, tshark ${frames.length}`];
  return packets.flatMap((p, i) => {
    const layers = dissect(p);
    flattenLayers(layers).forEach(({ layer }) => layerNamesSeen.add(layer.name));
    mutate(layers);
    return compareDissection(layers, frames[i], acceptTsharkQuirk, totals).map(
      (m) => `${name} #${i + 1} (${manifest.files[name].frames[i]?.what}): ${formatMismatch(m)}`,
    );
  });
}

describe('dissect() vs tshark -T json', () => {
  beforeAll(() => requireTshark());

  for (const name of Object.keys(manifest.files)) {
    it(`${name}: every layer and mapped field agrees`, async () => {
      expect(await mismatches(name)).toEqual([]);
    });
  }

  it('the comparison was not vacuous: every row of the field table met tshark on the corpus', async () => {
    const before = { ...totals };
    for (const name of Object.keys(manifest.files)) await mismatches(name);
    const missing = LAYER_TABLE.map((r) => r.ours).filter((n) => !layerNamesSeen.has(n));
    expect(missing).toEqual([]);
    expect(totals.layers - before.layers).toBeGreaterThan(300);
    expect(totals.fields - before.fields).toBeGreaterThan(3000);
  });

  it('an injected fault on our side is reported: TTL, checksum validity, VNI, MPLS label, a lost layer', async () => {
    const set = (name: string, field: string, change: (v: unknown) => unknown) => (layers: Layer[]) => {
      const l = flattenLayers(layers).find(({ layer }) => layer.name === name)?.layer;
      if (l) l.fields[field] = change(l.fields[field]) as never;
    };
    const ttl = await mismatches('ipv4.pcap', set('ip4', 'ttl', (v) => (v as number) - 1));
    expect(ttl.length).toBe(manifest.files['ipv4.pcap'].frames.length);
    expect(ttl[0]).toMatch(/ip4@14 ttl: ours 63 != tshark 64 \(ip\.ttl\)/);

    const valid = await mismatches('bad-checksums.pcap', set('tcp', 'checksum_valid', (v) => !v));
    expect(valid.some((m) => /tcp@34 checksum_valid: ours true != tshark false/.test(m))).toBe(true);

    const vni = await mismatches('tunnels.pcap', set('vxlan', 'vni', (v) => (v as number) ^ 1));
    expect(vni.some((m) => /vxlan@42 vni: ours 5001 != tshark 5000/.test(m))).toBe(true);

    const label = await mismatches('tunnels.pcap', set('mpls', 'label', () => 17));
    expect(label.some((m) => /mpls@\d+ label: ours 17 != tshark/.test(m))).toBe(true);

    const lost = await mismatches('l2.pcap', (layers) => {
      const i = layers.findIndex((l) => l.name === 'vlan');
      if (i >= 0) layers.splice(i, 1);
    });
    expect(lost.some((m) => /vlan@14 \(layer\): ours \(absent\) != tshark present/.test(m))).toBe(true);
  });
});
