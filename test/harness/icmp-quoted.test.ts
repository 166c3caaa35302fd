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
const EXT_HOST = 'golden/neutron-dvr/cases/udp-port-unreachable/outbound/ext-host.eth0.pcap';
// Ethernet 14 + IPv4 20 + ICMP 8 + quoted IPv4 20: the quoted UDP header.
const QUOTED_UDP = 14 + 20 + 8 + 20;
// The port the VM sends from and the closed port it sends to (lab/dvr/cases.ts TRAFFIC).
const VM_PORT = 40003;
const CLOSED_PORT = 33333;

/** An ICMP port unreachable (type 3 code 3) quoting a UDP datagram sport -> dport (IHLs read, not assumed). */
function isPortUnreachableQuoting(b: Uint8Array, sport: number, dport: number): boolean {
  const u16 = (o: number) => (b[o] << 8) | b[o + 1];
  if (b.length < 14 + 20 || u16(12) !== 0x0800 || b[14 + 9] !== 1) return false;
  const icmp = 14 + (b[14] & 0x0f) * 4;
  const quoted = icmp + 8;
  if (b.length < quoted + 20 || b[icmp] !== 3 || b[icmp + 1] !== 3 || b[quoted + 9] !== 17) return false;
  const udp = quoted + (b[quoted] & 0x0f) * 4;
  return b.length >= udp + 4 && u16(udp) === sport && u16(udp + 2) === dport;
}

/**
 * The far host's port unreachable for VM:40003 -> :33333 in ext-host:eth0 of the UDP case, found by
 * content, so a re-capture that renumbers the frames cannot make the tests look at another packet.
 */
async function errorFrame(): Promise<number> {
  const hits = (await readCapturePackets(join(REPO, EXT_HOST))).filter((p) => isPortUnreachableQuoting(p.data, VM_PORT, CLOSED_PORT));
  if (hits.length !== 1) throw new Error(`${EXT_HOST}: ${hits.length} port unreachable frames quoting udp ${VM_PORT} -> ${CLOSED_PORT}, expected exactly 1`);
  return hits[0].meta.frame!;
}
const ERROR_FRAME = await errorFrame();

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
  it('the error frame is found by content: exactly one frame of the golden, and the finder rejects near misses', async () => {
    const packets = await readCapturePackets(join(REPO, EXT_HOST));
    expect(packets.filter((p) => isPortUnreachableQuoting(p.data, VM_PORT, CLOSED_PORT)).map((p) => p.meta.frame)).toEqual([ERROR_FRAME]);
    const b = packets[ERROR_FRAME - 1].data.slice();
    expect(isPortUnreachableQuoting(b, VM_PORT + 1, CLOSED_PORT)).toBe(false);
    b[14 + 20 + 1] = 1; // host unreachable, not port unreachable
    expect(isPortUnreachableQuoting(b, VM_PORT, CLOSED_PORT)).toBe(false);
  });

  it('the port unreachable frame: the error\'s own header plain, the quoted ones inner.*', async () => {
    const p = (await readCapturePackets(join(REPO, EXT_HOST)))[ERROR_FRAME - 1];
    const f = packetStage(p, 'ext-host:eth0', dissect).fields;
    expect(f).toMatchObject({ 'icmp.type': 3, 'icmp.code': 3, 'inner.ip4.dst': '172.30.0.11', 'inner.udp.src_port': VM_PORT, 'inner.udp.dst_port': CLOSED_PORT });
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
    expect(r.summary).toMatch(new RegExp(`diverges at ext-host:eth0: inner\\.udp\\.src_port expected 40099, got ${VM_PORT}`));
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

  // The masks are set here (the DVR cases' own masks change as their generator does).
  const withIdMask = (path: string): CaseSpec => {
    const s = spec(UNREACH);
    s.masks = [...s.masks, { path: parseFieldPath(`#${ERROR_FRAME}:[ext-host:eth0].${path}`), reason: 'test: the error\'s id' }];
    return s;
  };
  const errorRow = (r: Awaited<ReturnType<typeof run>>) => r.comparisons.find((c) => c.interface === 'ext-host:eth0')!.diff!.traces[ERROR_FRAME - 1].rows[0];

  it('outer.ip4.id masks the error\'s own id only; the quoted packet\'s id is still compared', async () => {
    const r = await run(withIdMask('outer.ip4.id'));
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('passed');
    const row = errorRow(r);
    expect(row.masked).toEqual(['ip4.id']);
    expect(row.golden!.fields['inner.ip4.id']).toBeTypeOf('number');
    expect(row.model!.fields['inner.ip4.id']).toBe(row.golden!.fields['inner.ip4.id']);
    expect(r.comparisons.flatMap((c) => c.diff!.notes).some((n) => n.includes('covers both'))).toBe(false);
  });

  it('a depth-less mask covers both headers, and says so', async () => {
    const r = await run(withIdMask('ip4.id'));
    expect(errorRow(r).masked).toEqual(['ip4.id', 'inner.ip4.id']);
    const notes = r.comparisons.flatMap((c) => c.diff!.notes);
    expect(notes).toContain(`mask '#${ERROR_FRAME}:[ext-host:eth0].ip4.id' covers both ip4.id and inner.ip4.id: write outer.ip4.id or inner.ip4.id to mask only one`);
  });
});
