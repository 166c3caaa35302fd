// entryPacket: the packet entering each seed trace's first node, merged from the stages that show
// it before any byte-changing node, with its KnownBytes mask.

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { entryBoundary, entryDisagreements, entryPacket, mutates } from '../../harness/vpp-trace/entry.js';
import { checkChecksums, stagePacket } from '../../harness/vpp-trace/reconstruct.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import type { VppPacketTrace } from '../../harness/vpp-trace/trace-file.js';
import type { RewriteRecord } from '../../harness/vpp-trace/nodes/index.js';
import { hex } from '../../harness/wire/bytes.js';
import { LinkType } from '../../harness/wire/packet.js';
import { seedBlocks } from './seed.js';

const traces: Array<{ name: string; t: VppPacketTrace }> = seedBlocks().flatMap((b) =>
  [...allPackets(parseTrace(b.text))].map((t, i) => ({ name: `block ${b.index} packet ${i + 1} (seed line ${b.line + (t.line ?? 1) - 1})`, t })),
);

const withDump = new Set<string>();

describe('entryPacket on every seed trace', () => {
  it('covers the 18 packet traces', () => expect(traces).toHaveLength(18));

  for (const { name, t } of traces) {
    it(`${name}: every stage before the first byte-changing node agrees with the entry packet`, () => {
      const p = entryPacket(t)!;
      expect(p).toBeDefined();
      expect(p.meta.linkType).toBe(LinkType.ETHERNET);
      expect(entryDisagreements(t, p)).toEqual([]);
      // Ethernet + IPv4 + the L4 header fields are known; the IPv4 header checksum is right
      // (a real VPP received these packets), and nothing the bytes allow to check is wrong.
      expect(p.known!.has(0, 14 + 20)).toBe(true);
      expect(checkChecksums(p)).toEqual([]);
      // Its length is the Ethernet header plus the IPv4 total length.
      expect(p.data.length).toBe(14 + ((p.data[16] << 8) | p.data[17]));
    });

    it(`${name}: bytes beyond the headers come from the first rewrite dump, aligned by the IP header`, () => {
      const p = entryPacket(t)!;
      const ihl = (p.data[14] & 0xf) * 4;
      const l4 = 14 + ihl;
      const rw = t.stages.find((s) => s.kind === 'rewrite');
      const dump = rw && stagePacket(rw);
      const tcp = p.data[14 + 9] === 6;
      if (!dump || dump.meta.linkType !== LinkType.ETHERNET || !tcp) {
        // No Ethernet dump to align by: the TCP data-offset byte (never in a header line) stays unknown.
        if (tcp) expect(p.known!.has(l4 + 12)).toBe(false);
        return;
      }
      withDump.add(name);
      // The dump starts with the adjacency's Ethernet rewrite, then the IP header.
      const dl2 = (rw!.record as RewriteRecord).adjacency.kind === 'rewrite' ? ((rw!.record as RewriteRecord).adjacency as { rewrite: string }).rewrite.length / 2 : -1;
      expect(dl2).toBe(14);
      expect(p.known!.has(l4 + 12)).toBe(true);
      expect(p.data[l4 + 12]).toBe(dump.data[dl2 + ihl + 12]);
      // Ports and the L4 checksum (NAT may change them) are ip4-input's, not the dump's.
      const ip4in = stagePacket(t.stages.find((s) => s.node === 'ip4-input')!)!;
      expect(hex(p.data, l4, 4)).toBe(hex(ip4in.data, ihl, 4));
      expect(hex(p.data, l4 + 16, 2)).toBe(hex(ip4in.data, ihl + 16, 2));
    });
  }

  it('the dump rule was exercised by most seed traces', () => expect(withDump.size).toBeGreaterThanOrEqual(12));

  it('a TTL edited in ip4-input disagrees with ip4-lookup: the check can fail', () => {
    const text = seedBlocks()[0].text.replace(/(ip4-input\n  TCP: [^\n]*\n    tos 0x00, ttl )64/, '$163');
    const [t] = [...allPackets(parseTrace(text))];
    const d = entryDisagreements(t, entryPacket(t)!);
    expect(d.map((x) => [x.node, x.offset])).toEqual(expect.arrayContaining([['ip4-lookup', 14 + 8]]));
  });

  it('a stage after ip4-rewrite is not an entry view (TTL was decremented there)', () => {
    const { t } = traces[0];
    const b = entryBoundary(t);
    expect(t.stages[b].node).toBe('ip4-rewrite');
    const p = entryPacket(t)!;
    expect(p.data[14 + 8]).toBe(64);
  });

  it('NAT44 nodes count as byte-changing only when they translated', () => {
    const base = { lines: [], fields: {}, kind: 'nat44' };
    expect(mutates({ ...base, node: 'nat44-out2in', record: { tag: 'NAT44_OUT2IN', swIfIndex: 1, nextIndex: 1, sessionLabel: 'session index', session: -1 } } as never)).toBe(false);
    expect(mutates({ ...base, node: 'nat44-out2in', record: { tag: 'NAT44_OUT2IN', swIfIndex: 1, nextIndex: 1, sessionLabel: 'session index', session: 5 } } as never)).toBe(true);
    expect(mutates({ node: 'some-plugin-node', lines: [], fields: {} })).toBe(true);
    expect(mutates({ node: 'ip4-lookup', lines: [], fields: {} })).toBe(false);
  });

  it('a trace whose stages show no bytes has no entry packet', () => {
    const [t] = [...allPackets(parseTrace('00:00:01:000000: error-drop\n  ip4-input: ip4 ttl <= 1\n'))];
    expect(entryPacket(t)).toBeUndefined();
  });
});
