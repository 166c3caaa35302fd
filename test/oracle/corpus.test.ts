// The corpus is made by a committed generator and is reproducible: regenerating it with scapy (in
// an empty network namespace) gives byte-identical files, so `npm test` can use the committed
// copy without scapy, and nobody can hand-edit a capture without the oracle suite noticing.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS_DIR, GENERATOR, requireScapy, runScapy } from './tools.js';
import { loadManifest } from './corpus.js';

const ISSUE2_COVERAGE = [
  'ethernet', 'vlan', 'qinq', 'arp', 'ipv4-options', 'ipv4-fragments', 'ipv6-hop', 'ipv6-route', 'ipv6-frag',
  'ipv6-dest', 'icmp-echo', 'icmp-errors', 'icmp6-echo', 'icmp6-errors', 'icmp6-packet-too-big', 'tcp-options',
  'udp-zero-checksum', 'vxlan', 'gre-checksum', 'gre-key', 'gre-seq', 'mpls', 'mpls-over-gre', 'sll', 'sll2',
  'linktype-raw', 'linktype-ipv4', 'linktype-ipv6', 'bad-checksums', 'pcapng-interfaces', 'pcapng-comments',
  'pcap-nanosecond', 'pcap-big-endian', 'pcapng-sections',
];

describe('oracle corpus', () => {
  it('regenerates byte-identical from fixtures/oracle/generate.py (scapy in an empty netns)', () => {
    requireScapy();
    const out = mkdtempSync(join(tmpdir(), 'dpconform-oracle-'));
    try {
      runScapy([GENERATOR, out]);
      const committed = readdirSync(CORPUS_DIR).sort();
      expect(readdirSync(out).sort()).toEqual(committed);
      for (const name of committed) {
        const a = readFileSync(join(CORPUS_DIR, name));
        const b = readFileSync(join(out, name));
        expect(b.equals(a), `${name} differs from the committed copy: rerun scripts/oracle-corpus.sh and commit`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('manifest lists exactly the corpus files and covers every format and link type of issue 2', () => {
    const m = loadManifest();
    const files = readdirSync(CORPUS_DIR).filter((f) => f !== 'manifest.json').sort();
    expect(Object.keys(m.files).sort()).toEqual(files);
    const covered = new Set(Object.values(m.files).flatMap((e) => e.covers));
    expect(ISSUE2_COVERAGE.filter((c) => !covered.has(c))).toEqual([]);
    const linkTypes = new Set(Object.values(m.files).flatMap((e) => e.link_types));
    expect([...linkTypes].sort((a, b) => a - b)).toEqual([1, 101, 113, 228, 229, 276]);
  });
});
