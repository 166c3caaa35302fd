// nf_conntrack's TCP state machine, the part a DVR router exercises: a router that sees only the
// original direction of a TCP flow (qrouter, for a VM that is centrally SNATed: replies go from the
// snat namespace straight to the VM) tracks the SYN and finds every later packet INVALID (sSS + ACK
// -> sIV); such packets are not tracked and never NATed, and the bytes are forwarded unchanged.
import { describe, it, expect } from 'vitest';
import { ConntrackTable } from '../../models/neutron-dvr/conntrack.js';
import { DvrInstance } from '../../models/neutron-dvr/dataplane.js';
import { loadDvrScenario } from '../../models/neutron-dvr/scenario.js';
import { readCaptureBytes } from '../../harness/io/capture.js';
import { readFileSync } from 'node:fs';
import { frame, type Flow } from '../../lab/dvr/host-frames.js';

const FLOW: Flow = { proto: 'tcp', sport: 40000, dport: 8080, ttl: 64, payload: new Uint8Array(0) };
const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;

function seg(flags: number, reply = false): Uint8Array {
  const b = reply ? frame('02:00:00:00:00:02', '02:00:00:00:00:01', '172.30.0.11', '10.0.0.10', FLOW, true) : frame('02:00:00:00:00:01', '02:00:00:00:00:02', '10.0.0.10', '172.30.0.11', FLOW);
  b[14 + 20 + 13] = flags; // the checksum is not looked at by conntrack here
  return b;
}

/** classify + confirm, as one router would do for each packet in turn. */
function states(...packets: Uint8Array[]): string[] {
  const t = new ConntrackTable();
  return packets.map((p) => {
    const ct = t.classify(p);
    if (ct.state === 'NEW') t.confirm(ct.conn);
    return ct.state;
  });
}

describe('conntrack TCP states (nf_conntrack_proto_tcp)', () => {
  it('one direction only: the SYN is NEW, every later segment without SYN or RST is INVALID', () => {
    expect(states(seg(SYN), seg(ACK), seg(ACK | FIN), seg(SYN))).toEqual(['NEW', 'INVALID', 'INVALID', 'ESTABLISHED']);
  });

  // tcp_conntracks[ORIGINAL], column sSS, rows by get_conntrack_index (RST tested first, then SYN with
  // or without ACK): syn -> sSS, synack -> sIV ("Client can't send SYN and then SYN/ACK"), fin -> sIV,
  // ack -> sIV, rst -> sCL, none -> sIV.
  it.each([
    ['syn', SYN, 'ESTABLISHED'],
    ['syn (with FIN: still the syn row)', SYN | FIN, 'ESTABLISHED'],
    ['synack', SYN | ACK, 'INVALID'],
    ['fin', FIN, 'INVALID'],
    ['ack', ACK, 'INVALID'],
    ['rst', RST, 'ESTABLISHED'],
    ['rst (with SYN+ACK: RST is tested first)', RST | SYN | ACK, 'ESTABLISHED'],
    ['none', 0, 'INVALID'],
  ])('SYN_SENT, original direction, %s row', (_row, flags, state) => {
    expect(states(seg(SYN), seg(flags))).toEqual(['NEW', state]);
  });

  it('both directions: once the reply is seen the original direction is ESTABLISHED', () => {
    expect(states(seg(SYN), seg(SYN | ACK, true), seg(ACK), seg(ACK | FIN))).toEqual(['NEW', 'ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED']);
  });

  it('tcp_new: a bare ACK is picked up mid-stream; SYN+ACK, FIN, RST or no flag cannot open a connection', () => {
    expect(states(seg(ACK))).toEqual(['NEW']);
    for (const f of [SYN | ACK, FIN | ACK, RST, RST | ACK, 0]) expect(states(seg(f)), `flags ${f}`).toEqual(['INVALID']);
    expect(states(seg(SYN), seg(RST))).toEqual(['NEW', 'ESTABLISHED']); // RST in SYN_SENT is valid (sCL)
  });

  it("the lab's VM without a floating IP: qrouter tracks its TCP SYN, then every segment it forwards is INVALID", async () => {
    const m = new DvrInstance(await loadDvrScenario('fixtures/neutron-dvr/scenario.yaml'));
    const sent = readCaptureBytes(readFileSync('golden/neutron-dvr/cases/tcp/snat/vm-3b6f0d2e.eth0.pcap'), 'vm2').filter(
      (p) => p.data.length > 54 && p.data[23] === 6 && p.data[6] === 0xfa && p.data[11] === 0x0d,
    );
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const seen = sent.map((p) => {
      const r = m.inject(p, { instance: 'vm-3b6f0d2e', interface: 'eth0' });
      return r.traces.flatMap((t) => t.stages).filter((s) => s.node === 'qrouter-517ba029/nf_conntrack_in').map((s) => s.fields.ctstate);
    });
    expect(seen[0]).toEqual(['NEW']);
    for (const s of seen.slice(1)) expect(s).toEqual(['INVALID']);
  });
});
