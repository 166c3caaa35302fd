// The NAT clash cases (fixtures/neutron-dvr/nat-port-clash-{udp,icmp}/snat) through `dpconform run`:
// the port / echo id the kernel chose at random is bound from the first golden frame showing it (qg-),
// told to the model (which un-NATs the replies with it) and required wherever it appears afterwards.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadCase } from '../../harness/suite/load-case.js';
import { runCase } from '../../harness/suite/run-case.js';
import { caseLines } from '../../harness/report/text.js';
import { toJsonSafe } from '../../harness/report/serialize.js';
import { getModel } from '../../models/index.js';
import type { DataplaneModel } from '../../harness/model.js';
import type { Packet } from '../../harness/wire/packet.js';
import { u16 } from '../../harness/wire/bytes.js';
import { CASE_FIXTURES, CASE_GOLDENS } from '../../lab/dvr/cases.js';
import { copyCases, failingDiffs, flipByte, goldenPackets, runDvrCase } from './cases-helpers.js';

const UDP = 'nat-port-clash-udp/snat';
const ICMP = 'nat-port-clash-icmp/snat';
const SNAT = 'snat-517ba029-f811-4af8-9cfd-6cef0babd1d1';
const QG = `${SNAT}.qg-cf417cb0-53.pcap`;
const UDP_ID = `${SNAT}: source NAT port of udp 10.0.111.6:40030 -> 172.30.0.11:7777`;
const ICMP_ID = `${SNAT}: source NAT id of icmp 10.0.111.6 -> 172.30.0.11 id 24577`;
const L4 = 14 + 20;

const isUdp = (p: Packet) => p.data[23] === 17;
const isEcho = (p: Packet, type: number) => p.data[23] === 1 && p.data[L4] === type;
const ip4 = (p: Packet, off: number) => Array.from(p.data.subarray(off, off + 4)).join('.');

/** Frame number of the only packet `pick` selects in a golden of `name` (by content, never by position). */
function frameOf(root: string, name: string, file: string, pick: (p: Packet) => boolean): number {
  const hits = goldenPackets(root, name, file).filter(pick);
  expect(hits, `${name}/${file}`).toHaveLength(1);
  return hits[0].meta.frame!;
}

/** Overwrite a 16-bit field of a golden frame (XOR per byte through flipByte). */
function setU16(root: string, name: string, file: string, frame: number, offset: number, value: number): void {
  const old = u16(goldenPackets(root, name, file)[frame - 1].data, offset);
  const path = join(root, CASE_GOLDENS, name, file);
  flipByte(path, frame, offset, (old ^ value) >> 8);
  flipByte(path, frame, offset + 1, (old ^ value) & 0xff);
}

describe('NAT clash cases: values bound in `dpconform run`', () => {
  it('UDP: the source port the kernel chose is bound from qg-, required downstream, and the echo reply un-NATed to 40030', async () => {
    const r = await runDvrCase('.', UDP);
    expect(failingDiffs(r)).toEqual([]);
    expect(r.status).toBe('passed');
    expect(r.bound).toHaveLength(1);
    const [b] = r.bound!;
    expect(b.id).toBe(UDP_ID);
    expect(b.captured).toMatch(new RegExp(`${QG.replace(/\./g, '\\.')}:\\d+$`));
    const port = (b.value[0] << 8) | b.value[1];
    expect(port).not.toBe(40030); // the kernel really had to pick another one
    // the frame it was bound from is the clashed datagram leaving qg- with that port
    const frame = Number(b.captured.split(':').pop());
    const qg = goldenPackets('.', UDP, QG)[frame - 1];
    expect([ip4(qg, 26), u16(qg.data, L4), u16(qg.data, L4 + 2)]).toEqual(['172.30.89.126', port, 7777]);
    // required at qg- (where it was read) and at the external host (downstream), both bound fields
    expect(r.counters.bound).toBe(2);
    expect(r.counters.unknown).toBe(0);
    // the reply really reached the VM un-NATed, and the model predicted it (the case compares it)
    const vm = goldenPackets('.', UDP, 'vm-3b6f0d2e.eth0.pcap').filter((p) => isUdp(p) && u16(p.data, L4) === 7777);
    expect(vm.map((p) => [ip4(p, 30), u16(p.data, L4 + 2)])).toEqual([['10.0.111.5', 40030], ['10.0.111.6', 40030]]);
  });

  it('ICMP: the echo id the kernel chose is bound from qg- (after the UDP clash it replays as history)', async () => {
    const r = await runDvrCase('.', ICMP);
    expect(failingDiffs(r)).toEqual([]);
    expect(r.status).toBe('passed');
    expect(r.bound!.map((b) => b.id)).toEqual([UDP_ID, ICMP_ID]);
    const id = (r.bound![1].value[0] << 8) | r.bound![1].value[1];
    expect(id).not.toBe(24577);
    const qg = goldenPackets('.', ICMP, QG)[Number(r.bound![1].captured.split(':').pop()) - 1];
    expect(isEcho(qg, 8) && u16(qg.data, L4 + 4)).toBe(id);
    const replies = goldenPackets('.', ICMP, 'vm-3b6f0d2e.eth0.pcap').filter((p) => isEcho(p, 0) && u16(p.data, L4 + 4) === 24577);
    expect(replies.map((p) => ip4(p, 30))).toEqual(['10.0.111.5', '10.0.111.6']);
  });

  it('the binding is reported: a text line like the check\'s `bound` line, and in the JSON result', async () => {
    const r = await runDvrCase('.', UDP);
    const lines = caseLines(r, { color: false });
    expect(lines.some((l) => /^ {4}bound snat-517ba029-\S+ source NAT port of udp 10\.0\.111\.6:40030 -> 172\.30\.0\.11:7777 = \d+ \(from \S+qg-cf417cb0-53\.pcap:\d+\)$/.test(l))).toBe(true);
    const json = toJsonSafe(r) as { bound: { id: string; value: number[]; captured: string }[] };
    expect(json.bound).toEqual(r.bound);
  });

  it('fault: a model NOT told the bound port does not un-NAT the reply, and the case fails at the VM', async () => {
    // The same model, its bind() a no-op: the harness still writes the value into its predictions,
    // but the connection keeps its stand-in port, so the external host's reply finds no connection.
    const deaf = async (name: string): Promise<DataplaneModel> => {
      const real = await getModel(name);
      return {
        ...real,
        instantiate: async (scn) => {
          const inst = await real.instantiate(scn);
          return Object.assign(Object.create(Object.getPrototypeOf(inst)), inst, { bind: () => undefined });
        },
      };
    };
    for (const name of [UDP, ICMP]) {
      const { spec } = loadCase(join(CASE_FIXTURES, name, 'case.yaml'), name);
      const r = await runCase(spec!, { resolveModel: deaf });
      expect(r.status, name).toBe('failed');
      const own = failingDiffs(r).filter((d) => d.traffic === name && d.device === 'vm-3b6f0d2e:eth0');
      expect(own.length, name).toBeGreaterThan(0);
    }
  });

  it('fault: a golden reply the kernel had not un-NATed (still to the bound port) fails at the VM on udp.dst_port', async () => {
    const root = copyCases();
    const file = 'vm-3b6f0d2e.eth0.pcap';
    const frame = frameOf(root, UDP, file, (p) => isUdp(p) && u16(p.data, L4) === 7777 && ip4(p, 30) === '10.0.111.6');
    const bound = (await runDvrCase('.', UDP)).bound![0].value;
    setU16(root, UDP, file, frame, L4 + 2, (bound[0] << 8) | bound[1]);
    const r = await runDvrCase(root, UDP);
    expect(r.status).toBe('failed');
    const diffs = failingDiffs(r);
    expect(diffs[0]).toMatchObject({ device: 'vm-3b6f0d2e:eth0', path: 'udp.dst_port', traffic: UDP });
  });

  it('fault: a golden echo reply left with the chosen id fails at the VM on icmp.id', async () => {
    const root = copyCases();
    const file = 'vm-3b6f0d2e.eth0.pcap';
    const frame = frameOf(root, ICMP, file, (p) => isEcho(p, 0) && u16(p.data, L4 + 4) === 24577 && ip4(p, 30) === '10.0.111.6');
    const bound = (await runDvrCase('.', ICMP)).bound![1].value;
    setU16(root, ICMP, file, frame, L4 + 4, (bound[0] << 8) | bound[1]);
    const r = await runDvrCase(root, ICMP);
    expect(r.status).toBe('failed');
    expect(failingDiffs(r).some((d) => d.device === 'vm-3b6f0d2e:eth0' && d.path === 'icmp.id' && d.traffic === ICMP)).toBe(true);
  });

  for (const [name, id, field, pick] of [
    [UDP, UDP_ID, 'udp.src_port', (p: Packet) => isUdp(p) && u16(p.data, L4 + 2) === 7777 && u16(p.data, L4) !== 40030],
    [ICMP, ICMP_ID, 'icmp.id', (p: Packet) => isEcho(p, 8) && u16(p.data, L4 + 4) !== 24577 && ip4(p, 26) === '172.30.89.126' && new TextDecoder('latin1').decode(p.data.subarray(L4 + 8)).includes('clash')],
  ] as const) {
    it(`fault: ${name}: another ${field} downstream of qg- (the external host's copy) fails naming the binding`, async () => {
      const root = copyCases();
      const file = 'ext-host.eth0.pcap';
      const frame = frameOf(root, name, file, pick);
      const offset = field === 'udp.src_port' ? L4 + 1 : L4 + 5;
      flipByte(join(root, CASE_GOLDENS, name, file), frame, offset, 0x01);
      const r = await runDvrCase(root, name);
      expect(r.status).toBe('failed');
      const ext = r.comparisons.find((c) => c.interface === 'ext-host:eth0')!;
      const d = ext.diff!.diffs[0];
      expect(d).toMatchObject({ kind: 'binding', path: field, trace: frame });
      expect(d.note).toContain(`must equal bound ${id}, bound from `);
      expect(d.note).toMatch(/qg-cf417cb0-53\.pcap:\d+$/);
      expect(r.summary).toContain(id);
    });
  }
});
