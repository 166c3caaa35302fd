// The hand-written line scanner that replaced the hot-path regexes, and the strictness it must keep:
// a parser accepts only text its formatter prints back byte for byte.

import { describe, expect, it } from 'vitest';
import { LineTemplate } from '../../harness/vpp-trace/format/scan.js';
import { lookupNode } from '../../harness/vpp-trace/nodes/index.js';
import { acl, type AclRecord } from '../../harness/vpp-trace/nodes/acl.js';
import { parseHeaders } from '../../harness/vpp-trace/format/headers.js';
import { seedBlocks, DAMAGED_BLOCK } from './seed.js';

describe('LineTemplate', () => {
  const t = new LineTemplate('tos 0x%x, ttl %d, length %u, via %i mac %m name %s!');
  it('reads every hole kind, ignoring surrounding spaces', () => {
    expect(t.match('    tos 0x1f, ttl -1, length 60, via 10.1.1.12 mac 02:fe:16:79:39:cb name tap 8!  ')).toBe(true);
    expect(t.v).toEqual([0x1f, -1, 60, '10.1.1.12', '02:fe:16:79:39:cb', 'tap 8']);
  });
  it.each([
    ['uppercase hex', 'tos 0x1F, ttl 1, length 60, via 10.1.1.12 mac 02:fe:16:79:39:cb name x!'],
    ['sign on %u', 'tos 0x1f, ttl 1, length -60, via 10.1.1.12 mac 02:fe:16:79:39:cb name x!'],
    ['short address', 'tos 0x1f, ttl 1, length 60, via 10.1.12 mac 02:fe:16:79:39:cb name x!'],
    ['bad MAC', 'tos 0x1f, ttl 1, length 60, via 10.1.1.12 mac 02:fe:16:79:39:c name x!'],
    ['empty %s', 'tos 0x1f, ttl 1, length 60, via 10.1.1.12 mac 02:fe:16:79:39:cb name !'],
    ['trailing text', 'tos 0x1f, ttl 1, length 60, via 10.1.1.12 mac 02:fe:16:79:39:cb name x! extra'],
    ['empty number', 'tos 0x, ttl 1, length 60, via 10.1.1.12 mac 02:fe:16:79:39:cb name x!'],
  ])('rejects %s', (_, line) => {
    expect(t.match(line)).toBe(false);
  });
});

describe('LineTemplate field widths', () => {
  // `%u16` / `%x8` / `%x32`: the C type VPP printed the field from. A wider value is text VPP cannot
  // have printed: the line does not match (and stays text with a warning), rather than a number that
  // is truncated on the way back to bytes or sizes a buffer (`length 1000000000` once made the
  // reconstruction of one packet allocate 5.9 GB).
  const t = new LineTemplate('tos 0x%x8, ttl %u8, length %u16, seq 0x%x32');
  it('accepts the largest value of each width', () => {
    expect(t.match('tos 0xff, ttl 255, length 65535, seq 0xffffffff')).toBe(true);
    expect(t.v).toEqual([0xff, 255, 0xffff, 0xffffffff]);
  });
  it.each([
    ['a u8 above 255', 'tos 0xff, ttl 256, length 60, seq 0x1'],
    ['an x8 above 0xff', 'tos 0x100, ttl 1, length 60, seq 0x1'],
    ['a u16 above 65535', 'tos 0x0, ttl 1, length 1000000000, seq 0x1'],
    ['an x32 above 0xffffffff', 'tos 0x0, ttl 1, length 60, seq 0x100000000'],
  ])('rejects %s', (_, line) => {
    expect(t.match(line)).toBe(false);
  });
  it('rejects an IPv4 address with an octet above 255', () => {
    expect(new LineTemplate('via %i').match('via 10.1.1.300')).toBe(false);
    expect(new LineTemplate('via %i').match('via 10.1.1.255')).toBe(true);
  });
});

/** Every typed seed stage body (same extraction as records.test.ts). */
function seedStages(): Array<{ node: string; body: string[] }> {
  const out: Array<{ node: string; body: string[] }> = [];
  for (const b of seedBlocks()) {
    if (b.index === DAMAGED_BLOCK) continue;
    let cur: { node: string; body: string[] } | undefined;
    for (const l of b.text.split('\n')) {
      const m = /^\d\d:\d\d:\d\d:\d{6}: (\S+)$/.exec(l);
      if (m) out.push((cur = { node: m[1], body: [] }));
      else if (cur && l.startsWith(' ')) cur.body.push(l);
      else cur = undefined;
    }
  }
  return out;
}

function withoutLeadingZeros(lines: string[]): string {
  // Lines are compared trimmed: a shorter number moves the column of the lines that follow it.
  return lines.map((l) => l.trim()).join('\n').replace(/-0+\b/g, '0').replace(/\b0x0+(?=[0-9a-f])/g, '0x').replace(/\b0+(?=\d)/g, '');
}

describe('scanner strictness on damaged seed text', () => {
  it('a record parsed from a one-character change of a seed line prints that changed text back (or the line is rejected)', () => {
    let accepted = 0;
    let rejected = 0;
    const bad: string[] = [];
    for (const s of seedStages()) {
      const kind = lookupNode(s.node)!.kind;
      const col = lookupNode(s.node)!.column;
      s.body.forEach((line, li) => {
        for (let p = line.search(/\S/); p < line.length; p += 3) {
          for (const c of ['0', '7', 'f', 'Z', '-']) {
            if (line[p] === c) continue;
            const body = s.body.slice();
            body[li] = line.slice(0, p) + c + line.slice(p + 1);
            let rec;
            try {
              rec = kind.parse(body);
            } catch {
              rejected++;
              continue;
            }
            accepted++;
            // Changing a digit can give numbers VPP never prints (`ttl 064`, `-0`, `0x0b3cf`): the
            // formatter prints those without the leading zeros; nothing else may change.
            const back = kind.format(rec, col);
            if (back.join('\n') !== body.join('\n') && withoutLeadingZeros(back) !== withoutLeadingZeros(body)) bad.push(`${s.node}: ${body[li].trim()} -> ${back[li]?.trim()}`);
          }
        }
      });
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });

  it('IPv4 fragment line: `flags` glued to its name, or `, flags` with no reason, is rejected', () => {
    const base = ['TCP: 10.1.1.12 -> 10.1.1.9', '  tos 0x00, ttl 64, length 60, checksum 0xf087'];
    expect(parseHeaders([...base, '  fragment id 0x341e, flags DONT_FRAGMENT'], 0, 'ip').headers[0]).toMatchObject({ kind: 'ip4', flagsOffset: 0x4000 });
    expect(parseHeaders([...base, '  fragment id 0x341e, flagsDONT_FRAGMENT'], 0, 'ip').headers).toEqual([]);
    expect(parseHeaders([...base, '  fragment id 0x341e, flags '], 0, 'ip').headers).toEqual([]);
    expect(parseHeaders([...base, '  fragment id 0x341e offset 0'], 0, 'ip').headers).toEqual([]);
    expect(parseHeaders([...base, '  fragment id 0x341e offset 16, flags MORE_FRAGMENTS'], 0, 'ip').headers[0]).toMatchObject({ flagsOffset: 0x2002 });
  });
});

describe('ACL record forms', () => {
  const v1801 = [
    '  acl-plugin: sw_if_index 7, next index 1, action: 2, match: acl 1 rule 0 trace_bits 00000000',
    '  pkt info 0000000000000000 0c01010a00000000 0000000000000000 0901010a00000000 000700061f909b8c 0702ffff00000007',
    '   input sw_if_index 7 (lsb16 7) l3 ip4 10.1.1.12 -> 10.1.1.9 l4 proto 6 l4_valid 1 port 39820 -> 8080 tcp flags (valid) 02 rsvd 0',
  ];
  // 18.04+ (vpp-facts §9.2): lc_index on line 1 and instead of the direction on the 5-tuple line.
  const v1804 = [
    '  acl-plugin: lc_index: 3, sw_if_index 7, next index 1, action: 2, match: acl 1 rule 0 trace_bits 00000000',
    v1801[1],
    '   lc_index 3 (lsb16 of sw_if_index 7) l3 ip4 10.1.1.12 -> 10.1.1.9 l4 proto 6 l4_valid 1 port 39820 -> 8080 tcp flags (valid) 02 rsvd 0',
  ];

  it('18.01 form parses without lc_index and prints back', () => {
    const r = acl.parse(v1801);
    expect(r.lcIndex).toBeUndefined();
    expect(acl.format(r)).toEqual(v1801);
  });

  it('18.04 lc_index form parses (direction from the pkt info flag byte) and prints back', () => {
    const r = acl.parse(v1804);
    expect(r).toMatchObject({ lcIndex: 3, swIfIndex: 7, lsb16: 7, direction: 'input', src: '10.1.1.12', port0: 39820 });
    expect(acl.format(r)).toEqual(v1804);
    const f: Record<string, unknown> = {};
    acl.toFields(r, f as never);
    expect(f.lc_index).toBe(3);
    // Output direction: flag byte 0x05 (bit 1 clear).
    const out = acl.parse([v1804[0], v1804[1].replace('0702ffff', '0502ffff'), v1804[2]]);
    expect(out.direction).toBe('output');
  });

  it('a model record with lcIndex prints the 18.04 form; without, the 18.01 form', () => {
    const r = acl.parse(v1801);
    const with04: AclRecord = { ...r, lcIndex: 3 };
    expect(acl.format(with04)).toEqual(v1804);
  });

  it('lines that contradict each other are rejected (a round trip would lose one of them)', () => {
    expect(() => acl.parse([v1801[0], v1801[1], v1801[2].replace('sw_if_index 7', 'sw_if_index 8')])).toThrow(/5-tuple/);
    expect(() => acl.parse([v1804[0], v1804[1], v1804[2].replace('lc_index 3', 'lc_index 4')])).toThrow(/lc_index/);
    expect(() => acl.parse([v1801[0], v1801[1].replace('0702ffff00000007', '0702ffff0000007'), v1801[2]])).toThrow(/pkt info/);
  });
});
