import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { compareTraces } from '../../harness/diff/compare.js';
import { parseFieldPath } from '../../harness/diff/mask-path.js';
import { stagesToJson } from '../../harness/suite/stage-json.js';
import type { FieldValue, PacketTrace } from '../../harness/stage.js';
import { cli } from './cli.js';

const st = (node: string, fields: Record<string, FieldValue>) => ({ node, lines: [], fields });
const tr = (...stages: ReturnType<typeof st>[]): PacketTrace => ({ stages });

describe('field paths', () => {
  it('parse and reject at load time', () => {
    expect(parseFieldPath('*.time')).toMatchObject({ leaf: 'time', protos: [] });
    expect(parseFieldPath('ip4-rewrite.flow_hash')).toMatchObject({ stageText: 'ip4-rewrite', leaf: 'flow_hash' });
    expect(parseFieldPath('outer.udp.src_port')).toMatchObject({ depth: 'outer', protos: ['udp'], leaf: 'src_port' });
    expect(parseFieldPath('inner.ipv4.id')).toMatchObject({ depth: 'inner', protos: ['ip4'], leaf: 'id' });
    expect(parseFieldPath('#2:[Gi0/8/0.100-output].ip.ttl')).toMatchObject({ packet: 2, stageText: 'Gi0/8/0.100-output', protos: ['ip4', 'ip6'] });
    for (const bad of ['', 'ip4..ttl', 'inner.ttl', 'outer.ipv5.id', 'tcp', '#0:x.y', 'a*b.c*d.e', 'ip4.t*l']) expect(() => parseFieldPath(bad), bad).toThrow(/bad field path/);
  });
});

describe('masks survive encapsulation and v6/v4 translation', () => {
  const plain = st('ip4-input', { 'ip4.id': 1, 'ip4.ttl': 64, 'udp.src_port': 53 });
  const encap = st('vxlan4-encap', { 'ip4.id': 7, 'udp.src_port': 4789, 'inner.ip4.id': 1, 'inner.udp.src_port': 53 });
  const changed = (s: ReturnType<typeof st>, f: Record<string, FieldValue>) => ({ ...s, fields: { ...s.fields, ...f } });
  const run = (mask: string, model: PacketTrace, golden: PacketTrace) => compareTraces([model], [golden], { masks: [parseFieldPath(mask)] }).diffs.map((d) => `${d.stage} ${d.path}`);

  it('inner.ipv4.id masks the tunnelled header and the same header before encapsulation, not the tunnel header', () => {
    const m = tr(changed(plain, { 'ip4.id': 2 }), changed(encap, { 'inner.ip4.id': 2, 'ip4.id': 8 }));
    expect(run('inner.ipv4.id', m, tr(plain, encap))).toEqual(['vxlan4-encap ip4.id']);
    expect(run('ip4.id', m, tr(plain, encap))).toEqual([]);
  });

  it('outer.udp.src_port masks only the tunnel header', () => {
    const m = tr(changed(plain, { 'udp.src_port': 54 }), changed(encap, { 'udp.src_port': 5000 }));
    expect(run('outer.udp.src_port', m, tr(plain, encap))).toEqual(['ip4-input udp.src_port']);
  });

  it('ip.ttl matches ip4.ttl and ip6.hop_limit', () => {
    const g = tr(st('ip6-input', { 'ip6.hop_limit': 64 }), st('ip4-fip64', { 'ip4.ttl': 63 }));
    const m = tr(st('ip6-input', { 'ip6.hop_limit': 1 }), st('ip4-fip64', { 'ip4.ttl': 1 }));
    expect(run('ip.ttl', m, g)).toEqual([]);
    expect(run('ip4.ttl', m, g)).toEqual(['ip6-input ip6.hop_limit']);
  });

  it('a mask that matches nothing is noted', () => {
    const d = compareTraces([tr(plain)], [tr(plain)], { masks: [parseFieldPath('vxlan.vni')] });
    expect(d.notes).toContain("mask 'vxlan.vni' matched no field");
  });

  it('masking a field covered by a checksum says the checksum cannot be checked without bytes', () => {
    const g = tr(st('ip4-input', { 'ip4.id': 1, 'ip4.checksum': 100 }));
    const m = tr(st('ip4-input', { 'ip4.id': 2, 'ip4.checksum': 99 }));
    const d = compareTraces([m], [g], { masks: [parseFieldPath('ip4.id')] });
    expect(d.diffs).toEqual([]);
    expect(d.notes).toContain('ip4.checksum covers ip4.id (masked or bound): it cannot be checked (packet bytes not known)');
    expect(d.counters).toMatchObject({ compared: 0, masked: 2 });
  });
});

describe('bindings', () => {
  const req = (port: number) => tr(st('nat44-in2out', { 'nat.out_port': port, 'ip4.src': '1.1.1.1' }));
  const rep = (port: number) => tr(st('nat44-out2in', { 'tcp.dst_port': port, 'ip4.dst': '1.1.1.1' }));
  const binding = { name: '$port', capture: parseFieldPath('nat44-in2out.nat.out_port'), require: [] };

  it('capture the dataplane choice and require it later instead of masking it', () => {
    const d = compareTraces([req(1025), rep(1025)], [req(5000), rep(5000)], { bindings: [binding] });
    expect(d.diffs).toEqual([]);
    expect(d.bindings).toEqual([{ name: '$port', model: 1025, golden: 5000, at: '#1:nat44-in2out.nat.out_port' }]);
    expect(d.counters.bound).toBe(2);
  });

  it('fail when the later value is not the captured one', () => {
    const d = compareTraces([req(1025), rep(1026)], [req(5000), rep(5000)], { bindings: [binding] });
    expect(d.diffs.map((x) => [x.path, x.expected, x.got, x.note])).toEqual([['tcp.dst_port', 1025, 1026, 'must equal $port (captured at #1:nat44-in2out.nat.out_port)']]);
  });

  it('explicit require paths', () => {
    const b = { ...binding, require: [parseFieldPath('#2:nat44-out2in.tcp.dst_port')] };
    expect(compareTraces([req(1025), rep(9)], [req(5000), rep(9)], { bindings: [b] }).diffs).toHaveLength(1);
  });
});

describe('first divergence and what follows from it', () => {
  it('groups a propagated value and a checksum over it; an unrelated difference starts a new divergence', () => {
    const g = tr(st('ip4-input', { 'ip4.src': '10.1.1.3', 'ip4.dst': '10.104.221.85', 'tcp.src_port': 51082, 'tcp.dst_port': 80, 'tcp.flags': 2 }),
      st('nat44-out2in', { 'ip4.dst': '10.1.1.5', 'ip4.checksum': 1, 'tcp.checksum': 2 }),
      st('ip4-lookup', { 'ip4.dst': '10.1.1.5', flow_hash: 7 }),
      st('tap1-output', { 'ip4.dst': '10.1.1.5', 'eth.dst': 'aa' }));
    const m = tr(st('ip4-input', g.stages[0].fields),
      st('nat44-out2in', { 'ip4.dst': '10.1.1.6', 'ip4.checksum': 3, 'tcp.checksum': 4 }),
      st('ip4-lookup', { 'ip4.dst': '10.1.1.6', flow_hash: 8 }),
      st('tap1-output', { 'ip4.dst': '10.1.1.6', 'eth.dst': 'bb' }));
    const d = compareTraces([m], [g]);
    expect(d.divergences[0].summary).toBe('SYN 10.1.1.3:51082 -> 10.104.221.85:80  diverges at nat44-out2in: ip4.dst expected 10.1.1.5, got 10.1.1.6; 5 later differences follow from it');
    expect(d.divergences[0].followers.map((f) => `${f.stage} ${f.path}`)).toEqual(['nat44-out2in ip4.checksum', 'nat44-out2in tcp.checksum', 'ip4-lookup ip4.dst', 'ip4-lookup flow_hash', 'tap1-output ip4.dst']);
    expect(d.divergences[1].first).toMatchObject({ stage: 'tap1-output', path: 'eth.dst' });
  });
});

describe('dpconform diff A B', () => {
  const pkt = (id: number, ttl: number) => tr(st('wire', { 'ip4.src': '10.0.0.1', 'ip4.dst': '10.0.0.2', 'ip4.id': id, 'ip4.ttl': ttl, 'udp.src_port': 1000, 'udp.dst_port': 53 }));
  it('matches by flow and identity: missing, extra, reordered, changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-'));
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, stagesToJson([pkt(1, 64), pkt(2, 64), pkt(3, 64), pkt(4, 64)]));
    writeFileSync(b, stagesToJson([pkt(3, 64), pkt(1, 64), pkt(4, 63), pkt(9, 64)]));
    const r = await cli(['diff', a, b]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing  A#2 UDP 10\.0\.0\.1:1000 -> 10\.0\.0\.2:53: not in B/);
    expect(r.stdout).toMatch(/extra    B#4 /);
    // Two files of one kind: neither is expected, each value is named by its side (report/packet-diff-text.ts).
    expect(r.stdout).toMatch(/changed  A#4 -> B#3 .*\n +ip4\.ttl A 64, B 63/);
    expect(r.stdout).toMatch(/2 identical, 1 changed, 1 reordered, 1 missing, 1 extra/);
    const same = await cli(['diff', a, a]);
    expect(same.code).toBe(0);
    expect((await cli(['diff', a, join(dir, 'nope.json')])).code).toBe(2);
  });
});
