// `trace show` of seed 004 labelled packet 1 with ~1,500 characters of flattened markdown (`Packet 1
// - # Packet flow in Contiv/VPP This guide ...`), and its --json caption the same: every prose line
// since the last packet was joined (and held, however long it grew). A caption is the nearest line of
// prose before the packet (rules like `----` skipped), cut at 80 characters.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { dpconform } from '../cli/spawn-cli.js';

const SEED = 'golden/contiv/seed/004_c3bde7ba11825164.txt';

describe('a packet caption is one short line', () => {
  it('seed 004: the line before each trace, never the document before it', () => {
    const captions = [...allPackets(parseTrace(readFileSync(SEED, 'utf8'), { file: SEED }))].map((p) => p.caption);
    // Packet 1: `SYN:` then `----` before its first node header (line 69).
    expect(captions.slice(0, 4)).toEqual(['SYN:', 'SYN-ACK:', "SYN from the client's node:", "SYN from the server's node:"]);
    expect(captions.every((c) => c !== undefined && c.length <= 83 && !c.includes('\n'))).toBe(true);
    // A longer line is cut: `Example SYN-ACK packet sent from server ...` (packet 8).
    expect(captions[7]).toMatch(/^Example SYN-ACK packet sent from server .{40,}\.\.\.$/);
  });

  it('trace show and parse --json give the same caption', () => {
    expect(dpconform(['trace', 'show', SEED]).stdout.split('\n')[0]).toBe('Packet 1 - SYN: (line 69)');
    const json = JSON.parse(dpconform(['trace', 'parse', '--json', SEED]).stdout) as { threads: Array<{ packets: Array<{ caption?: string }> }> };
    expect(json.threads[0].packets[0].caption).toBe('SYN:');
  });
});
