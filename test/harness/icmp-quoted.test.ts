// Headers quoted inside ICMP errors in capture goldens are `inner.*` fields (inner.ip4.src,
// inner.udp.src_port), as a second header is in VPP trace stages: compared by name, and masks and
// bindings can address them apart from the error's own headers. Real-kernel captures of the Neutron
// DVR lab (golden/neutron-dvr, read-only here; edited copies in temp folders).

import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import { resolveRegistryModel } from '../../harness/suite/run-suite.js';
import { readCapturePackets } from '../../harness/suite/sources.js';
import { packetStage } from '../../harness/diff/packet-stages.js';
import { fieldAtByte } from '../../harness/diff/field-offsets.js';
import { parseFieldPath } from '../../harness/diff/mask-path.js';
import { dissect } from '../../harness/dissect/dissect.js';
import type { CaseSpec } from '../../harness/suite/case-spec.js';

const REPO = resolve(import.meta.dirname, '../..');
const UNREACH = 'fixtures/neutron-dvr/udp-port-unreachable/outbound/case.yaml';
const TTL = 'fixtures/neutron-dvr/ttl-exceeded/outbound/case.yaml';
// Frame 12 of ext-host:eth0 in the UDP case: the far host's port unreachable for VM:40003 -> :33333.
const EXT_HOST = 'golden/neutron-dvr/cases/udp-port-unreachable/outbound/ext-host.eth0.pcap';
const ERROR_FRAME = 12;
// Ethernet 14 + IPv4 20 + ICMP 8 + quoted IPv4 20: the quoted UDP header.
const QUOTED_UDP = 14 + 20 + 8 + 20;

function spec(file: string): CaseSpec {
  const { spec: s, errors } = loadCase(join(REPO, file), file);
  if (!s) throw errors[0];
  return s;
}

/** Byte offset of frame `n` (1-based) in a little-endian pcap. */
function frameOffset(b: Buffer, n: number): number {
  let at = 24;
  for (let i = 1; i < n; i++) at += 16 + b.readUInt32LE(at + 8);
  return at + 16;
}

/** The case with its ext-host golden replaced by a copy whose quoted UDP source port is 40099. */
function withQuotedPortFault(s: CaseSpec): CaseSpec {
  const dir = mkdtempSync(join(tmpdir(), 'dpconform-quoted-'));
  const copy = join(dir, basename(EXT_HOST));
  copyFileSync(join(REPO, EXT_HOST), copy);
  const b = readFileSync(copy);
  b.writeUInt16BE(40099, frameOffset(b, ERROR_FRAME) + QUOTED_UDP);
  writeFileSync(copy, b);
  return { ...s, goldens: s.goldens.map((g) => (g.file.endsWith(EXT_HOST) ? { ...g, file: copy } : g)) };
}

const run = (s: CaseSpec) => runCase(s, { resolveModel: resolveRegistryModel });

describe('ICMP-quoted headers in captures are inner.* fields', () => {
  it('the port unreachable frame: the error\'s own header plain, the quoted ones inner.*', async () => {
    const p = (await readCapturePackets(join(REPO, EXT_HOST)))[ERROR_FRAME - 1];
    const f = packetStage(p, 'ext-host:eth0', dissect).fields;
    expect(f).toMatchObject({ 'icmp.type': 3, 'icmp.code': 3, 'inner.ip4.dst': '172.30.0.11', 'inner.udp.src_port': 40003, 'inner.udp.dst_port': 33333 });
    expect(f['ip4.src']).toBe('172.30.0.11');
    expect(f['udp.src_port']).toBeUndefined();
    const layers = dissect(p);
    expect(fieldAtByte(layers, QUOTED_UDP)).toBe('inner.udp.src_port');
    expect(fieldAtByte(layers, 14 + 20 + 8 + 12)).toBe('inner.ip4.src');
    expect(fieldAtByte(layers, 14 + 4)).toBe('ip4.id');
  });

  it('fault: a quoted field differs -> fails naming the interface and inner.udp.src_port', async () => {
    const r = await run(withQuotedPortFault(spec(UNREACH)));
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('failed');
    expect(r.summary).toMatch(/diverges at ext-host:eth0: inner\.udp\.src_port expected 40099, got 40003/);
  });

  it('a mask inner.udp.src_port reaches the quoted header (and its checksum is then checked for validity)', async () => {
    const s = withQuotedPortFault(spec(UNREACH));
    s.masks = [...s.masks, { path: parseFieldPath(`#${ERROR_FRAME}:[ext-host:eth0].inner.udp.src_port`), reason: 'test: the quoted port' }];
    const r = await run(s);
    expect(r.status).toBe('passed');
    const cmp = r.comparisons.find((c) => c.interface === 'ext-host:eth0')!;
    const row = cmp.diff!.traces[ERROR_FRAME - 1].rows[0];
    expect(row.masked).toEqual(['inner.udp.src_port']);
    expect(cmp.diff!.notes).toContain('inner.udp.checksum covers inner.udp.src_port (masked or bound): checked for validity only');
  });

  // (The DVR cases may already say outer.ip4.id; both tests set the depth they are about.)
  it('outer.ip4.id masks the router-made error\'s id only; the quoted packet\'s id is still compared', async () => {
    const s = spec(TTL);
    s.masks = s.masks.map((m) => ({ ...m, path: parseFieldPath(m.path.text.replace(/\]\.ip4\.id$/, '].outer.ip4.id')) }));
    expect(s.masks.length).toBeGreaterThan(0);
    expect(s.masks.every((m) => m.path.depth === 'outer')).toBe(true);
    const r = await run(s);
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('passed');
    const rows = r.comparisons.flatMap((c) => c.diff!.traces.flatMap((t) => t.rows)).filter((row) => row.masked.length);
    expect(rows.length).toBe(s.masks.length);
    for (const row of rows) {
      expect(row.masked).toEqual(['ip4.id']);
      expect(row.golden!.fields['inner.ip4.id']).toBeTypeOf('number');
    }
    expect(r.comparisons.flatMap((c) => c.diff!.notes).some((n) => n.includes('covers both'))).toBe(false);
  });

  it('a depth-less mask covering both headers says so', async () => {
    const s = spec(TTL);
    s.masks = s.masks.map((m) => ({ ...m, path: parseFieldPath(m.path.text.replace(/\]\.outer\.ip4\.id$/, '].ip4.id')) }));
    expect(s.masks.every((m) => m.path.depth === 'any')).toBe(true);
    const r = await run(s);
    const notes = r.comparisons.flatMap((c) => c.diff!.notes);
    expect(notes.some((n) => /covers both ip4\.id and inner\.ip4\.id: write outer\.ip4\.id or inner\.ip4\.id/.test(n))).toBe(true);
  });
});
