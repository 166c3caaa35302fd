// NAT44 nodes against seed 004's real traces (golden/contiv): the packet entering the NAT node is
// rebuilt from the golden ip4-input stage (stored checksums as printed); the model must produce the
// golden NAT record and the header fields the next golden stage (ip4-lookup) prints.
// Configuration comes from what the seed states (addresses, VIP, backend, interface roles). Session
// numbers are the model's own (a fresh pool counts from 0): the seed's absolute numbers depend on
// sessions that VPP held before the trace, so a test checks the golden record with the model's
// index in place of the seed's (`withSession`) and that the reply hits the session its request made.

import { describe, expect, it } from 'vitest';
import type { Stage } from '../../harness/stage.js';
import { headersFromBytes, headersToFields } from '../../harness/vpp-trace/format/headers.js';
import { NONE } from '../../models/vpp/buffer.js';
import { Fault, type Vm } from '../../models/vpp/graph.js';
import { nat44Plugin } from '../../models/vpp/nat44/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { goldenStages, install, ipBuffer, makeVm, packetFromIp4Stage, runNode, stageOf } from './helpers.js';

/** The record's printed lines and typed fields are the golden's. */
function expectSameRecord(mine: Stage | undefined, golden: Stage): void {
  expect(mine?.node).toBe(golden.node);
  expect(mine?.lines.map((l) => l.trim())).toEqual(golden.lines.map((l) => l.trim()));
  expect(mine?.fields).toEqual(golden.fields);
}

/** The golden record with the session number the model chooses instead of the seed's (history). */
function withSession(golden: Stage, index: number): Stage {
  const seed = golden.fields.session_index;
  expect(typeof seed).toBe('number');
  return {
    ...golden,
    lines: golden.lines.map((l) => l.replace(/(session(?: index)?) -?\d+$/, `$1 ${index}`)),
    fields: { ...golden.fields, session_index: index },
  };
}

const HEADER_FIELDS = ['ip4.src', 'ip4.dst', 'ip4.checksum', 'ip4.ttl', 'tcp.src_port', 'tcp.dst_port', 'tcp.checksum', 'udp.src_port', 'udp.dst_port', 'udp.checksum'];

/** The packet's headers as the next golden stage prints them. */
function expectHeadersLike(bytes: Uint8Array, start: number, golden: Stage): void {
  const fields: Record<string, unknown> = {};
  headersToFields(headersFromBytes(bytes, start, 'ip4', 64), fields as never);
  for (const k of HEADER_FIELDS) if (k in golden.fields) expect([k, fields[k]]).toEqual([k, golden.fields[k]]);
}

type Local = { address: string; port: number; probability: number };
const ONE_BACKEND: Local[] = [{ address: '10.1.1.5', port: 8080, probability: 100 }];

/**
 * k8s node of "Pod to Service with chosen backend on the same node": tap2 (sw 6) client pod
 * 10.1.1.3, tap4 (sw 8) backend 10.1.1.5, service 10.104.221.85:80 load-balanced over `locals`.
 */
function serviceNode(faults: string[] = [], locals: Local[] = ONE_BACKEND): Vm {
  const vm = makeVm([
    { name: 'tap2', sw: 6 },
    { name: 'tap4', sw: 8 },
  ]);
  for (const f of faults) vm.faults.add(f);
  install(vm, nat44Plugin, {
    forwarding: true,
    outside: ['tap2'],
    inside: ['tap4'],
    lb_static_mappings: [{ external: '10.104.221.85', external_port: 80, protocol: 'tcp', locals }],
  });
  return vm;
}

describe('seed 004: pod to service, backend on the same node (LB static mapping)', () => {
  const req = goldenStages('pod-to-service-same-node.request.trace');
  const resp = goldenStages('pod-to-service-same-node.response.trace');
  // The seed prints session 5 for the SYN's LB session (history: 5 sessions were in use). A fresh
  // model pool gives 0; what must hold is that the SYN-ACK hits the session the SYN created.

  it('nat44-out2in: SYN to the VIP is translated to the backend with VPP checksums 0x64bc / 0x0e30', () => {
    const vm = serviceNode();
    const b = ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 6);
    const { next, stage } = runNode(vm, 'nat44-out2in', b);
    expectSameRecord(stage, withSession(stageOf(req, 'nat44-out2in'), 0));
    expect(next).toBe('ip4-lookup');
    expect(b.txSwIfIndex).toBe(0); // the lookup record's `fib 0`
    expectHeadersLike(b.bytes, b.start, stageOf(req, 'ip4-lookup'));
  });

  it('nat44-in2out then -slowpath: the SYN-ACK returns through the SYN\'s session, source back to the VIP (0x47fb / 0xc2ab)', () => {
    const vm = serviceNode();
    const syn = runNode(vm, 'nat44-out2in', ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 6));
    const created = syn.stage!.fields.session_index as number;
    // The golden's own evidence that it is one session: the seed prints the same number twice.
    expect(stageOf(resp, 'nat44-in2out-slowpath').fields.session_index).toBe(stageOf(req, 'nat44-out2in').fields.session_index);
    const b = ipBuffer(packetFromIp4Stage(stageOf(resp, 'ip4-input')), 8);
    const fast = runNode(vm, 'nat44-in2out', b);
    expectSameRecord(fast.stage, stageOf(resp, 'nat44-in2out'));
    expect(fast.next).toBe('nat44-in2out-slowpath');
    const slow = runNode(vm, 'nat44-in2out-slowpath', b);
    expectSameRecord(slow.stage, withSession(stageOf(resp, 'nat44-in2out-slowpath'), created));
    expect(slow.next).toBe('ip4-lookup');
    expectHeadersLike(b.bytes, b.start, stageOf(resp, 'ip4-lookup'));
  });

  it('fault: NAT translation off leaves the VIP in place and the conformance check fails', () => {
    const vm = serviceNode([Fault.NAT_TRANSLATION]);
    const b = ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 6);
    runNode(vm, 'nat44-out2in', b);
    expect(() => expectHeadersLike(b.bytes, b.start, stageOf(req, 'ip4-lookup'))).toThrow();
  });

  it('fault: a stale checksum (no NAT checksum update) fails on ip4.checksum / tcp.checksum', () => {
    const vm = serviceNode([Fault.NAT_CHECKSUM_UPDATE]);
    const b = ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 6);
    runNode(vm, 'nat44-out2in', b);
    expect(() => expectHeadersLike(b.bytes, b.start, stageOf(req, 'ip4-lookup'))).toThrow(/checksum/);
  });

  it('the session number is the model\'s own: an earlier flow moves it, and the SYN-ACK still hits the SYN\'s session', () => {
    const vm = serviceNode();
    const other = ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 6);
    other.bytes[other.start + 20] ^= 1; // another client port: another LB session first
    runNode(vm, 'nat44-out2in', other);
    const syn = runNode(vm, 'nat44-out2in', ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 6));
    expectSameRecord(syn.stage, withSession(stageOf(req, 'nat44-out2in'), 1));
    const b = ipBuffer(packetFromIp4Stage(stageOf(resp, 'ip4-input')), 8);
    runNode(vm, 'nat44-in2out', b);
    const slow = runNode(vm, 'nat44-in2out-slowpath', b);
    expectSameRecord(slow.stage, withSession(stageOf(resp, 'nat44-in2out-slowpath'), 1));
    expect(() => expectSameRecord(slow.stage, withSession(stageOf(resp, 'nat44-in2out-slowpath'), 0))).toThrow();
  });
});

describe('backend choice by the shared LCG', () => {
  const twoBackends = (faults: string[] = []): Vm =>
    serviceNode(faults, [
      { address: '10.1.1.5', port: 8080, probability: 50 },
      { address: '10.1.2.4', port: 8080, probability: 50 },
    ]);
  const syn = (sport: number) => packetFromIp4Stage({ node: 'ip4-input', lines: [], fields: { 'ip4.proto': 6, 'ip4.src': '10.1.1.3', 'ip4.dst': '10.104.221.85', 'ip4.ttl': 64, 'ip4.id': 1, 'ip4.flags': 0x4000, 'ip4.checksum': 0, 'tcp.src_port': sport, 'tcp.dst_port': 80, 'tcp.seq': 1, 'tcp.ack': 0, 'tcp.flags': 2, 'tcp.window': 29200, 'tcp.header_length': 40, 'tcp.checksum': 0 } });
  const dstOf = (b: { bytes: Uint8Array; start: number }) => b.bytes.slice(b.start + 16, b.start + 20).join('.');

  it('50/50 from seed 0 picks backends 0, 1, 1, 1, 0 (vpp-facts §8.5 derived vector)', () => {
    const vm = twoBackends();
    const picks = [1, 2, 3, 4, 5].map((i) => {
      const b = ipBuffer(syn(40000 + i), 6);
      runNode(vm, 'nat44-out2in', b);
      return dstOf(b) === '10.1.1.5' ? 0 : 1;
    });
    expect(picks).toEqual([0, 1, 1, 1, 0]);
  });

  it('a new flow from the same client reuses nothing: each SYN draws once; a repeated SYN keeps its backend without a draw', () => {
    const vm = twoBackends();
    runNode(vm, 'nat44-out2in', ipBuffer(syn(40001), 6));
    const seed = nat44Of(vm)!.random.seed;
    const again = ipBuffer(syn(40001), 6);
    runNode(vm, 'nat44-out2in', again);
    expect(dstOf(again)).toBe('10.1.1.5');
    expect(nat44Of(vm)!.random.seed).toBe(seed);
  });

  it('fault: the wrong backend is chosen', () => {
    const vm = twoBackends([Fault.NAT_BACKEND_CHOICE]);
    const b = ipBuffer(syn(40001), 6);
    runNode(vm, 'nat44-out2in', b);
    expect(dstOf(b)).toBe('10.1.2.4');
  });
});

describe('seed 004: pod to pod on the same node (forwarding, no translation)', () => {
  const req = goldenStages('pod-to-pod-same-node.request.trace');
  const resp = goldenStages('pod-to-pod-same-node.response.trace');
  function podNode(): Vm {
    const vm = makeVm([
      { name: 'tap11', sw: 7 },
      { name: 'tap8', sw: 11 },
    ]);
    install(vm, nat44Plugin, { forwarding: true, outside: ['tap11'], inside: ['tap8'] });
    return vm;
  }

  it('nat44-out2in passes the SYN untranslated (session index -1) but a bypass session takes a pool index', () => {
    const vm = podNode();
    const b = ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 7);
    const before = b.bytes.slice();
    const { next, stage } = runNode(vm, 'nat44-out2in', b);
    expectSameRecord(stage, stageOf(req, 'nat44-out2in'));
    expect(next).toBe('ip4-lookup');
    expect(b.bytes).toEqual(before);
    expect(b.txSwIfIndex).toBe(NONE);
    expect(nat44Of(vm)!.thread.sessions.size).toBe(1);
  });

  it('nat44-in2out / -slowpath leave the SYN-ACK untranslated (session -1, next 3 then 0)', () => {
    const vm = podNode();
    runNode(vm, 'nat44-out2in', ipBuffer(packetFromIp4Stage(stageOf(req, 'ip4-input')), 7));
    const b = ipBuffer(packetFromIp4Stage(stageOf(resp, 'ip4-input')), 11);
    expectSameRecord(runNode(vm, 'nat44-in2out', b).stage, stageOf(resp, 'nat44-in2out'));
    expectSameRecord(runNode(vm, 'nat44-in2out-slowpath', b).stage, stageOf(resp, 'nat44-in2out-slowpath'));
  });
});

describe('seed 004: VXLAN outers through identity mappings (pod to pod on another node)', () => {
  const reqClient = goldenStages('pod-to-pod-other-node.request.trace', 0);
  const reqServer = goldenStages('pod-to-pod-other-node.request.trace', 1);

  it('nat44-in2out-output + -output-slowpath: an address-only identity mapping of the node IP gives a static session (client node)', () => {
    const vm = makeVm([
      { name: 'GigabitEthernet0/8/0', sw: 1, ip4: ['192.168.16.1'] },
      { name: 'loop0', sw: 3 },
    ]);
    install(vm, nat44Plugin, { forwarding: true, inside: ['loop0'], output_feature: ['GigabitEthernet0/8/0'], identity_mappings: [{ address: '192.168.16.1' }] });
    // The outer as ip4-rewrite leaves it: an Ethernet header (14 bytes of rewrite) in front.
    const outer = packetFromIp4Stage(stageOf(reqClient, 'ip4-load-balance', 1));
    const frame = new Uint8Array(14 + outer.length);
    frame.set(outer, 14);
    frame[22] -= 1; // TTL after ip4-rewrite: 253, as the golden -output stage shows
    const b = ipBuffer(frame, 3);
    b.saveRewriteLength = 14;
    b.txSwIfIndex = 1;
    const fast = runNode(vm, 'nat44-in2out-output', b);
    expectSameRecord(fast.stage, stageOf(reqClient, 'nat44-in2out-output'));
    const slow = runNode(vm, 'nat44-in2out-output-slowpath', b);
    expectSameRecord(slow.stage, stageOf(reqClient, 'nat44-in2out-output-slowpath'));
    expect(slow.next).toBe('interface-output');
    expect(b.txSwIfIndex).toBe(1);
  });

  it('nat44-out2in: the VXLAN outer to the node IP makes a static-mapping session (server node; the seed\'s number 7 is history, a fresh pool gives 0)', () => {
    const vm = makeVm([
      { name: 'GigabitEthernet0/8/0', sw: 1, ip4: ['192.168.16.2'] },
      { name: 'loop0', sw: 3 },
    ]);
    install(vm, nat44Plugin, {
      forwarding: true,
      inside: ['loop0'],
      output_feature: ['GigabitEthernet0/8/0'],
      identity_mappings: [{ address: '192.168.16.2' }],
    });
    const b = ipBuffer(packetFromIp4Stage(stageOf(reqServer, 'ip4-input')), 1);
    const { next, stage } = runNode(vm, 'nat44-out2in', b);
    expectSameRecord(stage, withSession(stageOf(reqServer, 'nat44-out2in'), 0));
    expect(next).toBe('ip4-lookup');
    expectHeadersLike(b.bytes, b.start, stageOf(reqServer, 'ip4-lookup'));
  });
});
