// ARP packets have no IP addresses, ports or IDs, the fields `diff` tells packets apart by
// (packet-identity.ts): every ARP packet had the same empty flow, so they paired in file order, and
// `diff` of two real captures (golden/neutron-dvr/captures-s9) reported an ARP reply "changed" into a
// request for another address (A#8 -> B#15: opcode, target MAC and target IP all "changed"). An ARP
// packet is the question it asks or answers (RFC 826: opcode, sender and target protocol address -
// "who has T, tell S", "T is at M"): equal in those, one packet whose other fields may differ (the
// answer's MAC among them: content, not identity); otherwise missing and extra.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffFiles } from '../../harness/suite/diff-files.js';
import { identityOf } from '../../harness/diff/packet-identity.js';
import { traceLabel } from '../../harness/diff/label.js';
import { pcap } from './pcap-bytes.js';
import { stagesToJson } from '../../harness/suite/stage-json.js';
import type { PacketTrace } from '../../harness/stage.js';

const HOST = [0x02, 0, 0xac, 0x1e, 0, 0x0b];
const ROUTER = [0xfa, 0x16, 0x3e, 0xeb, 0xe6, 0x79];
const BROADCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const ZERO = [0, 0, 0, 0, 0, 0];

/** Ethernet + ARP for IPv4 over Ethernet (RFC 826). */
function arp(ethDst: number[], op: 1 | 2, senderMac: number[], senderIp: number[], targetMac: number[], targetIp: number[]): Uint8Array {
  return Uint8Array.from([...ethDst, ...senderMac, 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, op, ...senderMac, ...senderIp, ...targetMac, ...targetIp]);
}

const request = arp(BROADCAST, 1, HOST, [172, 30, 0, 11], ZERO, [172, 30, 89, 129]);
const reply = arp(HOST, 2, ROUTER, [172, 30, 89, 126], HOST, [172, 30, 0, 11]);
/** The reply from the same sender to another asker. */
const otherReply = arp(ROUTER, 2, ROUTER, [172, 30, 89, 126], ROUTER, [172, 30, 0, 98]);

const dir = mkdtempSync(join(tmpdir(), 'dpconform-diff-arp-'));
function file(name: string, frames: Uint8Array[]): string {
  const f = join(dir, name);
  writeFileSync(f, pcap(frames));
  return f;
}

describe('diff: ARP packets pair by opcode and addresses, not by position', () => {
  it.each([['bounded', false], ['in memory', true]])('%s: unrelated ARPs are missing and extra, not changed', async (_how, inMemory) => {
    const d = await diffFiles(file('a.pcap', [reply, request]), file('b.pcap', [otherReply, request]), { inMemory });
    expect(d.pairs.map((p) => [p.a, p.b])).toEqual([[2, 2]]);
    expect(d.changed).toBe(0);
    expect(d.missing).toEqual([1]);
    expect(d.extra).toEqual([1]);
  });

  it('the same ARP with another Ethernet destination is one packet, changed', async () => {
    const unicast = arp(ROUTER, 1, HOST, [172, 30, 0, 11], ZERO, [172, 30, 89, 129]);
    const d = await diffFiles(file('c.pcap', [request]), file('d.pcap', [unicast]));
    expect(d.pairs[0].diff.diffs.map((x) => x.path)).toEqual(['eth.dst']);
  });

  it.each([['bounded', false], ['in memory', true]])('%s: a reply giving another MAC is the same reply, changed (its answer is the content checked)', async (_how, inMemory) => {
    const otherMac = arp(HOST, 2, [0xfa, 0x16, 0x3e, 0, 0, 1], [172, 30, 89, 126], HOST, [172, 30, 0, 11]);
    const d = await diffFiles(file('e.pcap', [request, reply]), file('f.pcap', [request, otherMac]), { inMemory });
    expect([d.missing, d.extra, d.changed]).toEqual([[], [], 1]);
    expect(d.pairs[1].diff.diffs.map((x) => [x.path, x.expected, x.got])).toEqual([
      ['eth.src', 'fa:16:3e:eb:e6:79', 'fa:16:3e:00:00:01'],
      ['arp.sender_hw', 'fa:16:3e:eb:e6:79', 'fa:16:3e:00:00:01'],
    ]);
  });

  it.each([['bounded', false], ['in memory', true]])('%s: ARP packets are labelled in tcpdump\'s words', async (_how, inMemory) => {
    const d = await diffFiles(file('g.pcap', [request, reply]), file('h.pcap', [request, reply]), { inMemory });
    expect(d.labels.a).toEqual(['ARP who-has 172.30.89.129 tell 172.30.0.11', 'ARP 172.30.89.126 is-at fa:16:3e:eb:e6:79']);
  });

  it('a VPP trace\'s ARP stage is labelled the same way (its spelling: `arp.sender_ip`)', () => {
    const t: PacketTrace = { stages: [{ node: 'dpdk-input', lines: [], fields: {} }, { node: 'arp-input', lines: [], fields: { 'arp.opcode': 2, 'arp.sender_mac': '02:00:ac:1e:00:0b', 'arp.sender_ip': '172.30.0.11', 'arp.target_mac': '00:00:00:00:00:00', 'arp.target_ip': '172.30.0.1' } }] };
    expect(traceLabel(t)).toBe('ARP 172.30.0.11 is-at 02:00:ac:1e:00:0b');
  });

  it('stage records: the ARP stage says who the packet is, not an input stage before it that shows no header', async () => {
    const arpStage = (op: number, targetIp: string) => ({ node: 'arp-input', lines: [], fields: { 'arp.opcode': op, 'arp.sender_mac': '02:00:ac:1e:00:0b', 'arp.sender_ip': '172.30.0.11', 'arp.target_mac': '00:00:00:00:00:00', 'arp.target_ip': targetIp } });
    const trace = (op: number, targetIp: string): PacketTrace => ({ stages: [{ node: 'dpdk-input', lines: [], fields: { buffer_index: 1 } }, arpStage(op, targetIp)] });
    writeFileSync(join(dir, 'a.json'), stagesToJson([trace(1, '172.30.89.129')]));
    writeFileSync(join(dir, 'b.json'), stagesToJson([trace(1, '172.30.0.98')]));
    const d = await diffFiles(join(dir, 'a.json'), join(dir, 'b.json'));
    expect([d.pairs.length, d.missing, d.extra]).toEqual([0, [1], [1]]);
  });

  it('a VPP trace spells the addresses its way (`arp.sender_mac`): read as the same fields', () => {
    const flows = new Map<string, string>();
    const capture = identityOf({ 'arp.opcode': 2, 'arp.sender_hw': 'a', 'arp.sender_proto': 'b', 'arp.target_hw': 'c', 'arp.target_proto': 'd' }, flows);
    const trace = identityOf({ 'arp.opcode': 2, 'arp.sender_mac': 'a', 'arp.sender_ip': 'b', 'arp.target_mac': 'c', 'arp.target_ip': 'd' }, flows);
    const other = identityOf({ 'arp.opcode': 2, 'arp.sender_mac': 'a', 'arp.sender_ip': 'b', 'arp.target_mac': 'c', 'arp.target_ip': 'e' }, flows);
    const otherMac = identityOf({ 'arp.opcode': 2, 'arp.sender_mac': 'x', 'arp.sender_ip': 'b', 'arp.target_mac': 'c', 'arp.target_ip': 'd' }, flows);
    expect(otherMac.flow).toBe(capture.flow);
    expect(trace.flow).toBe(capture.flow);
    expect(other.flow).not.toBe(capture.flow);
  });
});
