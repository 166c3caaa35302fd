// Every bad-input case of issue 2, through the built CLI: `dpconform inspect FILE` prints nothing on
// stdout, exactly one stderr line naming the file, the packet number and the byte offset of the
// fault, and exits 2; with --keep-going the packets before the fault are printed first.

import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { block, bytesOf, cat, epb, idb, pcapHeader, pcapRecord, shb } from '../io/blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'dpconform-inspect-errors-'));
const main = join(process.cwd(), 'dist/harness/cli/main.js');

const SHB_LEN = 28; // shb() without options
const IDB_LEN = 20; // idb() without options
const ETH = bytesOf(60);

interface Case {
  name: string;
  bytes: Uint8Array;
  packet: number;
  offset: number;
  reason: RegExp;
  /** Packets a --keep-going run prints before the error. */
  before: number;
}

const cases: Case[] = [
  { name: 'unknown-magic.pcap', bytes: cat(Uint8Array.of(0xde, 0xad, 0xbe, 0xef), bytesOf(40)), packet: 1, offset: 0, reason: /not a pcap or pcapng file \(magic 0xdeadbeef\)/, before: 0 },
  { name: 'truncated-header.pcap', bytes: pcapHeader().subarray(0, 10), packet: 1, offset: 0, reason: /truncated pcap file header: 10 of 24 bytes/, before: 0 },
  {
    name: 'truncated-record.pcap',
    bytes: cat(pcapHeader(), pcapRecord(ETH), pcapRecord(ETH), pcapRecord(ETH).subarray(0, 30)),
    packet: 3,
    offset: 24 + 2 * (16 + 60),
    reason: /truncated pcap record, packet data: 14 of 60 bytes/,
    before: 2,
  },
  {
    name: 'caplen-over-snaplen.pcap',
    bytes: cat(pcapHeader({ snaplen: 64 }), pcapRecord(ETH), pcapRecord(bytesOf(100))),
    packet: 2,
    offset: 24 + 16 + 60,
    reason: /captured length 100 exceeds the file's snaplen 64/,
    before: 1,
  },
  {
    name: 'caplen-over-256k.pcap',
    bytes: cat(pcapHeader({ snaplen: 0 }), pcapRecord(ETH), pcapRecord(new Uint8Array(0), { caplen: 300_000 })),
    packet: 2,
    offset: 24 + 16 + 60,
    reason: /captured length 300000 exceeds the 262144-byte limit/,
    before: 1,
  },
  {
    name: 'block-length-unaligned.pcapng',
    bytes: cat(shb(), idb(1, 0), epb(ETH), block(6, bytesOf(40), true, { length: 54, trailer: 54 })),
    packet: 2,
    offset: SHB_LEN + IDB_LEN + 28 + 60 + 4,
    reason: /block length 54 is not a multiple of 4/,
    before: 1,
  },
  {
    name: 'block-length-mismatch.pcapng',
    bytes: cat(shb(), idb(1, 0), epb(ETH), block(6, cat(new Uint8Array(20), ETH), true, { trailer: 96 })),
    packet: 2,
    offset: SHB_LEN + IDB_LEN + 28 + 60 + 4,
    reason: /block length 92 does not match its trailing length 96/,
    before: 1,
  },
  {
    name: 'unknown-interface.pcapng',
    bytes: cat(shb(), idb(1, 0), epb(ETH), epb(ETH, { ifId: 3 })),
    packet: 2,
    offset: SHB_LEN + IDB_LEN + 28 + 60 + 4,
    reason: /packet block names interface 3, but the section declares 1 \(0\.\.0\)/,
    before: 1,
  },
];

function inspect(args: string[]) {
  return spawnSync('node', [main, 'inspect', ...args], { encoding: 'utf8' });
}

describe('dpconform inspect on bad input: one line with file, packet and offset, exit 2', () => {
  beforeAll(() => {
    // tsc emits even when someone else's half-written file has type errors; only our output matters.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'ignore' });
    for (const c of cases) writeFileSync(join(dir, c.name), c.bytes);
  }, 120_000);

  for (const c of cases) {
    it(`${c.name}: packet ${c.packet}, offset ${c.offset}`, () => {
      expect(existsSync(main)).toBe(true);
      const file = join(dir, c.name);
      const r = inspect([file]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      const m = /^dpconform: (.+) \(packet (\d+), offset (\d+)\): (.+)$/.exec(lines[0]);
      expect(m, lines[0]).not.toBeNull();
      expect([m![1], Number(m![2]), Number(m![3])]).toEqual([file, c.packet, c.offset]);
      expect(m![4]).toMatch(c.reason);
    });
  }

  it('with --keep-going the packets before each fault are printed, then the same one line, exit 2', () => {
    for (const c of cases) {
      const file = join(dir, c.name);
      const r = inspect(['--keep-going', file]);
      expect(r.status, c.name).toBe(2);
      expect(r.stdout.split('\n').filter(Boolean), c.name).toHaveLength(c.before);
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, c.name).toEqual([inspect([file]).stderr.trim()]);
    }
  });
});
