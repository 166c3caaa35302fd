// A frame its capture cut (tcpdump -s 60: captured length < original length) is a normal capture:
// the bytes past the captured ones are unknown, not absent. `diff full.pcap cut.pcap` reported every
// frame changed with a dozen pseudo-differences (`tcp.mss A 1460, B (absent)`, `payload.truncated
// A (absent), B tcp.options`, `packet.length A 74, B 60`). A field (partly) past the captured bytes
// is unknown; the frame's length is its original length; a real difference in the captured bytes shows.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffFiles } from '../../harness/suite/diff-files.js';
import { readCaptureAll } from '../../harness/io/capture.js';
import { packetDiffText } from '../../harness/report/packet-diff-text.js';
import { pcap } from './pcap-bytes.js';

/** A real capture: ARP, ICMP echo and a TCP connection (SYN with options, data) on a VM's eth0. */
const FULL = 'golden/neutron-dvr/cases/tcp/outbound/vm-a7884fb1.eth0.pcap';
const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-cut-'));

async function cutCopy(name: string, snaplen: number, edit?: (frames: Uint8Array[]) => void): Promise<string> {
  const frames = (await readCaptureAll(FULL)).map((p) => p.data.slice());
  edit?.(frames);
  const f = join(dir, name);
  writeFileSync(f, pcap(frames, snaplen));
  return f;
}

const unknownFields = (d: Awaited<ReturnType<typeof diffFiles>>) => d.pairs.reduce((n, p) => n + p.diff.counters.unknown, 0);

describe('diff: a capture cut by its snaplen against the whole one', () => {
  it.each([['bounded', false], ['in memory', true]])('%s: identical, the fields past the cut unknown, either way round', async (_how, inMemory) => {
    const cut = await cutCopy('s60.pcap', 60);
    for (const [a, b] of [[FULL, cut], [cut, FULL]]) {
      const d = await diffFiles(a, b, { inMemory });
      expect([d.pairs.length, d.changed, d.missing, d.extra, d.reordered]).toEqual([17, 0, [], [], 0]);
      expect(unknownFields(d)).toBeGreaterThan(0);
      expect(packetDiffText(d, { color: false, a, b })).toMatch(/; 17 identical, 0 changed, 0 reordered, 0 missing, 0 extra; \d+ fields unknown \(bytes a file does not have\)\n$/);
    }
  });

  it.each([['bounded', false], ['in memory', true]])('%s: a TTL changed inside the captured bytes still shows (and only that)', async (_how, inMemory) => {
    // Frame 3 (an echo request): TTL 64 -> 63 at byte 22 (its checksum left as it was).
    const cut = await cutCopy('s60-ttl.pcap', 60, (frames) => {
      frames[2][22]--;
    });
    const d = await diffFiles(FULL, cut, { inMemory });
    expect(d.changed).toBe(1);
    expect(d.pairs.find((p) => p.a === 3)!.diff.diffs.map((x) => [x.path, x.expected, x.got])).toEqual([['ip4.ttl', 64, 63]]);
  });

  it('cut right after the fixed TCP header: the SYN\'s options unknown, its sequence number compared', async () => {
    // 14 + 20 + 20 bytes: the SYN (frame 8) has 20 bytes of options past them.
    const cut = await cutCopy('s54.pcap', 54);
    const d = await diffFiles(FULL, cut, { inMemory: true });
    expect([d.changed, d.missing, d.extra]).toEqual([0, [], []]);
    const syn = d.pairs.find((p) => p.a === 8)!.diff;
    expect(syn.traces).toEqual([]);
    expect(syn.counters.unknown).toBeGreaterThan(0);
    const cutSeq = await cutCopy('s54-seq.pcap', 54, (frames) => {
      frames[7][41] ^= 1;
    });
    const changed = await diffFiles(FULL, cutSeq, { inMemory: true });
    expect(changed.pairs.find((p) => p.a === 8)!.diff.diffs.map((x) => x.path)).toEqual(['tcp.seq']);
  });
});
