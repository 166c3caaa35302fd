// Our capture reader against tshark's (libwiretap) on every corpus file: number of packets, link
// type, timestamps to the nanosecond, captured/original lengths, the bytes themselves, interfaces
// and pcapng comments.

import { describe, it, expect, beforeAll } from 'vitest';
import { readCaptureAll } from '../../harness/io/capture.js';
import type { Packet } from '../../harness/wire/packet.js';
import { loadManifest, corpusFile } from './corpus.js';
import { tsharkFrames } from './tshark.js';
import { compareCaptureMeta } from './capture-compare.js';
import { requireTshark } from './tools.js';

const manifest = loadManifest();

describe('capture reader vs tshark', () => {
  beforeAll(() => requireTshark());

  for (const [name, entry] of Object.entries(manifest.files)) {
    it(`${name}: packets, link types, ns timestamps, lengths, bytes, interfaces, comments`, async () => {
      const ours = await readCaptureAll(corpusFile(name));
      const theirs = tsharkFrames(corpusFile(name)).filter((f) => f.isPacket);
      expect(ours.length).toBe(theirs.length);
      expect(ours.length).toBe(entry.frames.length);
      const problems = ours.flatMap((p, i) => {
        // tshark 4.0 numbers records, custom blocks included; we number packets. Compare by position.
        const t = { ...theirs[i], number: i + 1 };
        // tshark 4.0 looks interface names up by the per-section interface id in a global list, so in
        // a second section it names the first section's interface (checked against the generator
        // below instead); an IDB without if_name it calls "unknown".
        const tsharkName = t.interfaceName === 'unknown' ? undefined : t.interfaceName;
        const expectedName = (t.sectionNumber ?? 1) > 1 ? ours[i].meta.interfaceName : tsharkName;
        return compareCaptureMeta(p, t, expectedName).map((m) => `frame ${i + 1}: ${m}`);
      });
      expect(problems).toEqual([]);
      expect([...new Set(ours.map((p) => p.meta.linkType))].sort((a, b) => a - b)).toEqual([...entry.link_types].sort((a, b) => a - b));
    });
  }

  it('second pcapng section: interface names come from that section (checked against the generator, see tshark 4.0 note)', async () => {
    const ours = await readCaptureAll(corpusFile('two-sections.pcapng'));
    expect(ours.map((p) => p.meta.interfaceName)).toEqual(['le-eth0', 'le-eth0', 'be-raw6', 'be-raw6']);
  });

  it('the comparison reports an injected fault (a timestamp off by 1 ns, a wrong link type)', async () => {
    const [p] = await readCaptureAll(corpusFile('nano-be.pcap'));
    const [t] = tsharkFrames(corpusFile('nano-be.pcap'));
    expect(compareCaptureMeta(p, t)).toEqual([]);
    const bad: Packet = { ...p, meta: { ...p.meta, timestampNs: (p.meta.timestampNs ?? 0n) + 1n, linkType: 101 } };
    const problems = compareCaptureMeta(bad, t);
    expect(problems.some((m) => m.startsWith('timestamp:'))).toBe(true);
    expect(problems.some((m) => m.startsWith('link type:'))).toBe(true);
  });
});
