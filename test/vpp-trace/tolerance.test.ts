// The parser's tolerances (issue 3), each on a realistically damaged copy of a real seed-004 trace.

import { describe, expect, it } from 'vitest';
import { parseTrace, parseTraceStream } from '../../harness/vpp-trace/parse.js';
import { formatCanonical } from '../../harness/vpp-trace/format.js';
import { reconstructPackets } from '../../harness/vpp-trace/reconstruct.js';
import { allPackets, type TraceFile } from '../../harness/vpp-trace/trace-file.js';
import { seedBlocks } from './seed.js';

/** Block 2: the SYN on the client's node then the same SYN on the server's node. */
const clean = seedBlocks()[2].text;
const cleanFile = parseTrace(clean);
const canonical = formatCanonical(cleanFile);

const packets = (f: TraceFile) => [...allPackets(f)];
const nodes = (f: TraceFile) => packets(f).map((p) => p.stages.map((s) => s.node));
const fields = (f: TraceFile) => packets(f).map((p) => p.stages.map((s) => s.fields));
const codes = (f: TraceFile) => f.warnings.map((w) => w.code);

describe('tolerance', () => {
  it('the clean block: 2 packets split at dpdk-input, captions from the prose', () => {
    const ps = packets(cleanFile);
    expect(ps).toHaveLength(2);
    expect(ps.map((p) => p.caption)).toEqual(["SYN from the client's node:", "SYN from the server's node:"]);
    expect(ps[0].stages).toHaveLength(23);
    expect(ps[1].stages[0].node).toBe('dpdk-input');
  });

  it.each([
    ['an IP length no u16 holds', (t: string) => t.replace('length 60,', 'length 1000000000,')],
    ['an IP length of 2^32', (t: string) => t.replace('length 60,', 'length 4294967296,')],
    ['an address octet above 255', (t: string) => t.replace('TCP: 10.1.1.12 -> 10.1.2.13', 'TCP: 10.1.1.300 -> 10.1.2.13')],
    ['a port no u16 holds', (t: string) => t.replace('TCP: 60996 -> 8080', 'TCP: 99999 -> 8080')],
  ])('a header line with %s is kept as text with a warning; packets are still rebuilt', (_, damage) => {
    const damaged = damage(clean);
    expect(damaged).not.toBe(clean);
    const f = parseTrace(damaged);
    expect(f.warnings.length).toBeGreaterThan(cleanFile.warnings.length);
    expect(() => reconstructPackets(f)).not.toThrow();
  });

  it('CRLF', () => {
    const f = parseTrace(clean.replace(/\n/g, '\r\n'));
    expect(fields(f)).toEqual(fields(cleanFile));
    expect(f.warnings.find((w) => w.code === 'crlf')).toMatchObject({ line: 1 });
  });

  it('tabs instead of spaces', () => {
    const f = parseTrace(clean.replace(/^ {2}/gm, '\t'));
    expect(fields(f)).toEqual(fields(cleanFile));
    expect(f.warnings.find((w) => w.code === 'tab')).toMatchObject({ line: 4 });
    expect(codes(f)).not.toContain('record');
  });

  it('indentation shifted as a block (a markdown list item)', () => {
    const f = parseTrace(canonical.replace(/^(?=.)/gm, '    '));
    expect(formatCanonical(f)).toBe(canonical);
    expect(codes(f)).toContain('shifted');
  });

  it('missing Packet lines: several packets in one block split at the input node', () => {
    const f = parseTrace(canonical.replace('Packet 2\n', ''));
    expect(nodes(f)).toEqual(nodes(cleanFile));
    expect(f.warnings.find((w) => w.code === 'split-input-node')?.message).toMatch(/dpdk-input starts a new packet inside a numbered packet/);
  });

  it('... elisions keep what is left and say so', () => {
    const lines = clean.split('\n');
    const i = lines.indexOf('  TCP: 60996 -> 8080', lines.indexOf('04:24:37:730794: tap12-output'));
    lines.splice(i + 1, 3, '    ...');
    const f = parseTrace(lines.join('\n'));
    const tap12 = packets(f)[1].stages.at(-1)!;
    expect(tap12.record).toBeUndefined();
    expect(tap12.fields).toMatchObject({ 'ip4.ttl': 62, 'ip4.checksum': 0xf502 });
    expect(packets(f)[1].elided).toBe(true);
    expect(f.warnings.find((w) => w.code === 'elision')).toMatchObject({ line: i + 2 });
    expect(codes(f)).not.toContain('record');
  });

  it('prose and // comments between stages do not break the packet', () => {
    const text = clean
      .replace('04:26:22:973871: nat44-out2in', '// no translation here\n04:26:22:973871: nat44-out2in')
      .replace('04:26:22:973912: l2-input', 'The packet now enters the bridge domain.\n04:26:22:973912: l2-input');
    const f = parseTrace(text);
    expect(nodes(f)).toEqual(nodes(cleanFile));
    expect(fields(f)).toEqual(fields(cleanFile));
    expect(f.warnings.find((w) => w.code === 'comment')).toMatchObject({ line: text.split('\n').indexOf('// no translation here') + 1 });
  });

  it('markdown fences', () => {
    const f = parseTrace('Some text\n```\n' + clean + '```\nmore text\n');
    expect(fields(f)).toEqual(fields(cleanFile));
    expect(f.warnings.filter((w) => w.code === 'fence').map((w) => w.line)).toEqual([2, 2 + clean.split('\n').length]);
  });

  it('thread sections, an empty thread, the display limit', () => {
    const text =
      'Limiting display to 50 packets. To display more specify max.\n' +
      canonical +
      '------------------- Start of thread 1 vpp_wk_0 -------------------\nNo packets in trace buffer\n';
    const f = parseTrace(text);
    expect(f.limit).toEqual({ packets: 50, line: 1 });
    expect(f.threads.map((t) => [t.index, t.name, t.packets.length, t.empty ?? false])).toEqual([
      [0, 'vpp_main', 2, false],
      [1, 'vpp_wk_0', 0, true],
    ]);
    expect(formatCanonical(f)).toBe(text);
  });

  it.each([
    ['unix seconds', (i: number) => `1700000000.${String(100000 + i).padStart(6, '0')}`],
    ['relative seconds', (i: number) => `12.${String(100000 + i).padStart(6, '0')}`],
    ['ISO datetime', (i: number) => `2023-11-14T22:13:20.${String(100000 + i).padStart(6, '0')}Z`],
  ])('timestamp style: %s', (_name, stamp) => {
    let i = 0;
    const f = parseTrace(canonical.replace(/^\d\d:\d\d:\d\d:\d{6}(?=: )/gm, () => stamp(i++)));
    expect(fields(f)).toEqual(fields(cleanFile));
    expect(packets(f)[0].stages[0].time).toBe(stamp(0));
  });

  it('two traces of the same packet back to back, each numbered from 1', () => {
    const [a, b] = packets(cleanFile);
    const one = (p: typeof a) => formatCanonical({ threads: [{ index: 0, name: 'vpp_main', packets: [p] }], warnings: [], lines: 0 }).split('\n').slice(1).join('\n');
    const f = parseTrace(one(a) + one(b));
    expect(nodes(f)).toEqual(nodes(cleanFile));
    expect(f.warnings.find((w) => w.code === 'packet-restart')?.message).toBe('Packet 1 after Packet 1: a new trace section');
  });

  it('a second trace that starts past the input node is split where the time goes backwards', () => {
    const text = clean.replace(/04:24:37:730732: dpdk-input\n(?: .*\n)+/, '');
    const f = parseTrace(text);
    expect(packets(f)).toHaveLength(2);
    expect(packets(f)[1].stages[0].node).toBe('ip4-input');
    expect(codes(f)).toContain('split-time');
  });

  it('unknown nodes keep raw lines; a damaged known stage falls back to raw with its line', () => {
    const text = clean
      .replace('04:26:22:973871: nat44-out2in', '04:26:22:973870: my-plugin-node\n  something: 1 2 3\n04:26:22:973871: nat44-out2in')
      .replace('  fib 0 dpo-idx 28 flow hash: 0x00000000', '  fib 0 dpo-idx twenty-eight flow hash: 0x00000000');
    const f = parseTrace(text);
    const p = packets(f)[0];
    const mine = p.stages.find((s) => s.node === 'my-plugin-node')!;
    expect(mine.lines).toEqual(['  something: 1 2 3']);
    expect(mine.record).toBeUndefined();
    const bad = f.warnings.find((w) => w.code === 'record')!;
    expect(bad.line).toBe(text.split('\n').indexOf('  fib 0 dpo-idx twenty-eight flow hash: 0x00000000') + 1);
    expect(p.stages.find((s) => s.node === 'ip4-lookup')!.fields).toMatchObject({ 'ip4.ttl': 64 });
  });

  it('streams chunk by chunk with the same result', async () => {
    async function* chunks() {
      for (let i = 0; i < clean.length; i += 7) yield Buffer.from(clean.slice(i, i + 7));
    }
    const f = await parseTraceStream(chunks());
    expect(fields(f)).toEqual(fields(cleanFile));
  });

  it('binary input is refused with its line', () => {
    expect(() => parseTrace('Packet 1\n\0\u0001')).toThrow(/line 2.*binary/);
  });
});

describe('parse options', () => {
  it('fields: false keeps records; stageFields fills the same fields later', async () => {
    const { stageFields } = await import('../../harness/vpp-trace/parse.js');
    const f = parseTrace(clean, { fields: false });
    const ps = packets(f);
    expect(ps[0].stages[2].record).toBeDefined();
    expect(ps[0].stages[2].fields).toEqual({});
    expect(ps.map((p) => p.stages.map((s) => stageFields(s)))).toEqual(fields(cleanFile));
  });
});
