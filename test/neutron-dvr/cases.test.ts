// The bundled DVR cases (fixtures/neutron-dvr/<kind>/<direction>): the model against the real kernel's
// captures through the harness runner, and each case shown to fail on a golden with one byte changed.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCases, isTimeExceeded, labCaptures, trafficOf, BUNDLED, EDGES, RUN_NOTE, TRAFFIC, CASE_FIXTURES, CASE_GOLDENS } from '../../lab/dvr/cases.js';
import { readCaptureBytes } from '../../harness/io/capture.js';
import { copyCases, failingDiffs, flipByte, goldenPackets, runDvrCase } from './cases-helpers.js';
import { loadCase } from '../../harness/suite/load-case.js';
import { macToString } from '../../harness/wire/address.js';

const NAMES = BUNDLED.map((t) => t.name);
const DEVICES = 9;

describe('bundled DVR cases from the lab captures', () => {
  it('cover every traffic kind in both directions, and through the central SNAT namespace', () => {
    expect(NAMES).toEqual([
      'icmp-echo/outbound', 'icmp-echo/inbound', 'tcp/outbound', 'tcp/inbound',
      'udp-port-unreachable/outbound', 'udp-port-unreachable/inbound', 'ttl-exceeded/outbound', 'ttl-exceeded/inbound',
      'icmp-echo/snat', 'tcp/snat', 'udp-port-unreachable/snat', 'ttl-exceeded/snat',
      'nat-port-clash-udp/snat', 'nat-port-clash-icmp/snat',
    ]);
    // every traffic the lab sends is a bundled case, the NAT clashes too (their port / id is bound: cases-clash.test.ts)
    expect(TRAFFIC.filter((t) => !NAMES.includes(t.name)).map((t) => t.name)).toEqual([]);
  });

  it('every frame the lab captured belongs to one case (the traffic table matches lab/dvr/run.sh)', () => {
    for (const c of labCaptures()) for (const p of c.packets) expect(trafficOf(p), `${c.file} frame ${p.meta.frame}`).toBeDefined();
  });

  it('the committed case files and goldens are exactly the selection lab/dvr/cases.ts makes from the lab captures', () => {
    for (const c of buildCases(labCaptures(), RUN_NOTE)) {
      expect(readFileSync(join(CASE_FIXTURES, c.name, 'case.yaml'), 'utf8')).toBe(c.yaml);
      expect(c.goldens.size).toBe(DEVICES);
      for (const [file, bytes] of c.goldens) expect(Buffer.compare(readFileSync(join(CASE_GOLDENS, c.name, file)), Buffer.from(bytes)), `${c.name}/${file}`).toBe(0);
    }
  });

  it('masks: object form with the reason, only the outer IP id of router-generated ICMP errors, one frame each', () => {
    let total = 0;
    for (const name of NAMES) {
      const { spec, errors } = loadCase(join(CASE_FIXTURES, name, 'case.yaml'), name);
      expect(errors).toEqual([]);
      const errorsSeen = spec!.goldens.reduce((n, g) => n + readCaptureBytes(readFileSync(g.file), g.file).filter(isTimeExceeded).length, 0);
      expect(spec!.masks.length, name).toBe(errorsSeen);
      for (const m of spec!.masks) {
        expect(m.reason, name).toMatch(/__ip_select_ident/);
        expect(m.path.text, name).toMatch(/^#\d+:\[[^\]]+\]\.outer\.ip4\.id$/);
      }
      total += errorsSeen;
    }
    expect(total).toBe(10); // TTL-exceeded cases: outbound 6 (qrouter's error on 2 devices, fip's on 4), inbound 2, snat 2
  });

  for (const name of NAMES) {
    it(`${name}: the model matches the kernel at all ${DEVICES} devices`, async () => {
      const r = await runDvrCase('.', name);
      expect(r.errors).toEqual([]);
      expect(r.comparisons).toHaveLength(DEVICES);
      expect(failingDiffs(r)).toEqual([]);
      expect(r.status).toBe('passed');
      expect(r.evidence).toBe('conformance');
      expect(r.counters.matched).toBeGreaterThan(500);
    });

    it(`${name}: fails on a golden with one TTL byte changed in its own traffic, naming device and ip4.ttl`, async () => {
      const root = copyCases();
      // The first frame of this case's own traffic that a router forwarded (not sent by an edge).
      const devices = ['fip-cb1f1abb-443c-49df-b863-ba4cebf10d18.fg-73de653f-c4.pcap', 'qrouter-517ba029-f811-4af8-9cfd-6cef0babd1d1.qr-22378d26-ea.pcap', 'vm-a7884fb1.eth0.pcap', 'ext-host.eth0.pcap'];
      let target: { file: string; frame: number } | undefined;
      for (const file of devices) {
        const packets = goldenPackets(root, name, file);
        const i = packets.findIndex((p) => trafficOf(p) === name && p.data[12] === 0x08 && p.data[13] === 0 && !EDGES.some((e) => macToString(p.data, 6) === e.mac));
        if (i >= 0) {
          target = { file, frame: i + 1 };
          break;
        }
      }
      expect(target).toBeDefined();
      flipByte(join(root, CASE_GOLDENS, name, target!.file), target!.frame, 14 + 8, 0x01);
      const r = await runDvrCase(root, name);
      expect(r.status).toBe('failed');
      const diffs = failingDiffs(r);
      expect(diffs[0]).toMatchObject({ trace: target!.frame, path: 'ip4.ttl', traffic: name });
      expect(diffs.every((d) => d.trace === target!.frame)).toBe(true);
    });
  }
});
