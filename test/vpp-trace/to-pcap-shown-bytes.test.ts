// `trace to-pcap` wrote every stage packet at its full length with zeros where no record shows a
// byte: ip4-rewrite dumps 60 bytes of a 74-byte SYN, so its TCP options ended in zeros and its TCP
// checksum read as "incorrect" in Wireshark and in `inspect` - a fault of the dataplane that is not
// there. A packet now ends after the last byte a record shows, its original length the whole
// frame's, as a capture cut by its snaplen. Every stage frame of a packet has that original length
// when a record of the packet states it: seed 004's ethernet-input frame (its record shows only the
// Ethernet header) was 14 of 14 bytes while the packet's ip4-rewrite frame was 60 of 74 and its
// virtio-input record says `len 74` (harness/vpp-trace/frame-lengths.ts).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureAll } from '../../harness/io/capture.js';
import { readTraceFile } from '../../harness/vpp-trace/read.js';
import { writeTracePcapng } from '../../harness/vpp-trace/pcap.js';

const TRACE = 'golden/contiv/pod-to-service-same-node.request.trace';
const SEED = 'golden/contiv/seed/004_c3bde7ba11825164.txt';

/** The stage a to-pcap frame is of (its comment's first line: `packet N node (line L)`). */
const stageOf = (p: { meta: { comment?: string } }) => p.meta.comment?.split('\n')[0] ?? '';

describe('trace to-pcap: bytes no record shows are not written', () => {
  it('the ip4-rewrite stage of a 74-byte SYN: 60 bytes captured of 74 on the wire', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'to-pcap-shown-')), 'out.pcapng');
    await writeTracePcapng(await readTraceFile(TRACE), out);
    const packets = await readCaptureAll(out);
    const rewrite = packets.find((p) => / ip4-rewrite( |$)/.test(p.meta.comment?.split('\n')[0] ?? ''))!;
    expect(rewrite).toBeDefined();
    expect([rewrite.data.length, rewrite.meta.origLength]).toEqual([60, 74]);
    // Every packet ends where its known bytes end.
    for (const p of packets) {
      const known = /known bytes: (.*)$/m.exec(p.meta.comment!)![1];
      const last = Number(known.split(',').pop()!.split('-')[1]);
      expect(p.data.length).toBe(last + 1);
    }
  });
});

describe('trace to-pcap: every stage frame of a packet has the whole frame\'s length as its original length', () => {
  it("seed 004 packet 1: the ethernet-input frame is 14 bytes of the 74 its virtio-input record states", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'to-pcap-orig-')), 'seed.pcapng');
    await writeTracePcapng(await readTraceFile(SEED), out);
    const packets = await readCaptureAll(out);
    const first = packets.filter((p) => stageOf(p).startsWith('packet 1 '));
    expect(first.map((p) => [stageOf(p).split(' ')[2], p.meta.linkType, p.data.length, p.meta.origLength])).toEqual([
      ['ethernet-input', 1, 14, 74],
      // ip4-input and ip4-lookup show the IP packet (raw IPv4): its own 60 bytes.
      ['ip4-input', 228, 38, 60],
      ['ip4-lookup', 228, 38, 60],
      ['ip4-rewrite', 1, 60, 74],
      ['tap8-output', 1, 52, 74],
    ]);
    // l2-output shows 12 bytes after its Ethernet header (`data 08 00 45 00 00 3c ...`): the frame of
    // the loop0-output stage before it (74 bytes), not 24 of 24.
    const l2 = packets.find((p) => stageOf(p).startsWith('packet 3 l2-output'))!;
    expect([l2.data.length, l2.meta.origLength]).toEqual([24, 74]);
  });
});
