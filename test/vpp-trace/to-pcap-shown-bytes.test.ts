// `trace to-pcap` wrote every stage packet at its full length with zeros where no record shows a
// byte: ip4-rewrite dumps 60 bytes of a 74-byte SYN, so its TCP options ended in zeros and its TCP
// checksum read as "incorrect" in Wireshark and in `inspect` - a fault of the dataplane that is not
// there. A packet now ends after the last byte a record shows, its original length the whole
// frame's, as a capture cut by its snaplen.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureAll } from '../../harness/io/capture.js';
import { readTraceFile } from '../../harness/vpp-trace/read.js';
import { writeTracePcapng } from '../../harness/vpp-trace/pcap.js';

const TRACE = 'golden/contiv/pod-to-service-same-node.request.trace';

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
