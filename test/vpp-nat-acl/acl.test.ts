// ACL plugin: pkt-info words (vpp-facts §9.1 / Appendix A), rule matching, reflective sessions,
// timeout-class trace bits, and the nodes against seed 004's acl-plugin records.

import { describe, expect, it } from 'vitest';
import type { Stage } from '../../harness/stage.js';
import { hex64 } from '../../harness/vpp-trace/format/vppinfra.js';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { Fault, type Vm } from '../../models/vpp/graph.js';
import { aclPlugin } from '../../models/vpp/acl/index.js';
import { fill5Tuple, pktInfoWords, sessionKey } from '../../models/vpp/acl/five-tuple.js';
import { compileRule } from '../../models/vpp/acl/engine.js';
import { matchAclList } from '../../models/vpp/acl/rules.js';
import { goldenStages, install, ip4L4, ipBuffer, makeVm, packetFromIp4Stage, runNode, stageOf } from './helpers.js';
import { reflectInDenyOut, tap1Packet } from './acl-tap1.js';

const words = (w: bigint[]) => w.map(hex64).join(' ');

describe('pkt info words (vpp-facts §9.1)', () => {
  it('input TCP SYN 10.1.1.12:60996 -> 10.1.2.13:8080 on sw_if_index 7', () => {
    const p = ip4L4({ src: '10.1.1.12', dst: '10.1.2.13', proto: 6 }, { sport: 60996, dport: 8080, flags: 0x02, tcpHeaderLength: 40 });
    const t = fill5Tuple(p, 0, 0, p.length, 7, true);
    expect(words(pktInfoWords(t))).toBe('0000000000000000 0c01010a00000000 0000000000000000 0d02010a00000000 000700061f90ee44 0702ffff00000007');
  });

  it('output UDP 192.168.16.1:50038 -> .2:4789 on sw_if_index 1, after a 14-byte rewrite; TCP flags read from the VXLAN header (invalid)', () => {
    const vxlan = new Uint8Array(8 + 60);
    vxlan[0] = 0x08;
    vxlan[6] = 10; // VNI 10: byte 5 of the UDP payload (L4+13) is 0
    const ip = ip4L4({ src: '192.168.16.1', dst: '192.168.16.2', proto: 17, ttl: 253 }, { sport: 50038, dport: 4789, checksum: 0, payload: vxlan });
    const frame = new Uint8Array(14 + ip.length);
    frame.set(ip, 14);
    const t = fill5Tuple(frame, 14, 0, frame.length, 1, false);
    expect(words(pktInfoWords(t))).toBe('0000000000000000 0110a8c000000000 0000000000000000 0210a8c000000000 0001001112b5c376 0400ffff00000001');
    expect(t.tcpFlagsValid).toBe(false);
  });

  it('a non-first fragment (offset & 0x0fff) has l4_valid 0 and flag bit 3; offset 0x1000 alone does not count', () => {
    const p = ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, flagsOffset: 0x0001 }, { sport: 1, dport: 2 });
    const t = fill5Tuple(p, 0, 0, p.length, 3, true);
    expect(t.nonFirstFragment).toBe(true);
    expect(t.l4Valid).toBe(false);
    expect(pktInfoWords(t)[5] >> 56n).toBe(0x0an);
    const q = ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, flagsOffset: 0x1000 }, { sport: 1, dport: 2 });
    expect(fill5Tuple(q, 0, 0, q.length, 3, true).nonFirstFragment).toBe(false);
  });

  it('l4_valid needs 8 bytes after the L4 offset', () => {
    const p = ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, { sport: 1, dport: 2 });
    expect(fill5Tuple(p, 0, 0, 28, 3, true).l4Valid).toBe(true);
    expect(fill5Tuple(p, 0, 0, 27, 3, true).l4Valid).toBe(false);
  });
});

describe('rule matching', () => {
  const acls = new Map([
    [5, [compileRule({ action: 'deny', src: '10.1.1.0/24', protocol: 6, dstPorts: [22, 22] }), compileRule({ action: 'permit', protocol: 6, tcpFlagsMask: 0x12, tcpFlagsValue: 0x02 })]],
    [6, [compileRule({ action: 'reflect', dst: '10.2.0.0/16' }), compileRule({ action: 'permit', protocol: 1, srcPorts: [8, 8], dstPorts: [0, 0] })]],
  ]);
  const tuple = (src: string, dst: string, proto: number, p0: number, p1: number, flags = 0) =>
    ({ src: ip4ToU32(src), dst: ip4ToU32(dst), proto, port0: p0, port1: p1, lsb16: 1, swIfIndex: 1, tcpFlags: flags, tcpFlagsValid: proto === 6, isInput: true, l4Valid: true, nonFirstFragment: false, isIp6: false });

  it('first match over the list, then over the rules', () => {
    expect(matchAclList([5, 6], acls, tuple('10.1.1.7', '10.2.0.1', 6, 1000, 22))).toMatchObject({ action: 0, acl: 5, rule: 0 });
    expect(matchAclList([6, 5], acls, tuple('10.1.1.7', '10.2.0.1', 6, 1000, 22))).toMatchObject({ action: 2, acl: 6, rule: 0 });
  });
  it('TCP flags (flags & mask) == value', () => {
    expect(matchAclList([5], acls, tuple('10.9.0.1', '10.3.0.1', 6, 1, 2, 0x02))).toMatchObject({ action: 1, acl: 5, rule: 1 });
    expect(matchAclList([5], acls, tuple('10.9.0.1', '10.3.0.1', 6, 1, 2, 0x12))).toMatchObject({ action: 0, acl: -1, rule: -1 });
  });
  it('ICMP type / code as port ranges; no match is deny with acl -1 rule -1', () => {
    expect(matchAclList([6], acls, tuple('1.1.1.1', '3.3.3.3', 1, 8, 0))).toMatchObject({ action: 1, acl: 6, rule: 1 });
    expect(matchAclList([6], acls, tuple('1.1.1.1', '3.3.3.3', 1, 0, 0))).toEqual({ action: 0, acl: -1, rule: -1 });
  });
});

/** The record's printed lines and typed fields are the golden's (optionally ignoring some fields). */
function expectSameRecord(mine: Stage | undefined, golden: Stage): void {
  expect(mine?.lines.map((l) => l.trim())).toEqual(golden.lines.map((l) => l.trim()));
  expect(mine?.fields).toEqual(golden.fields);
}

/** k8s-master of "Pod to Pod on the same node": tap11 (sw 7) client pod, tap8 (sw 11) server pod. */
function podNode(faults: string[] = []): Vm {
  const vm = makeVm([
    { name: 'tap11', sw: 7 },
    { name: 'tap8', sw: 11 },
  ]);
  for (const f of faults) vm.faults.add(f);
  install(vm, aclPlugin, {
    acls: [
      { index: 0, tag: 'server-pod-policy', rules: [{ action: 'permit', src: '10.1.1.12/32', protocol: 6, dst_ports: [8080, 8080] }] },
      { index: 1, tag: 'reflective', rules: [{ action: 'reflect' }] },
      { index: 2, tag: 'client-pod-policy', rules: [{ action: 'deny', protocol: 6 }] },
    ],
    interfaces: [
      { interface: 'tap11', input: [1], output: [2] },
      { interface: 'tap8', input: [1], output: [0] },
    ],
  });
  // Next slots as the instance registered them (configuration data, vpp-facts §9).
  ['nat44-out2in', 'nat44-in2out'].forEach((n, i) => vm.setNextSlot('acl-plugin-in-ip4-fa', n, i + 1));
  ['interface-output', 'nat44-in2out-output'].forEach((n, i) => vm.setNextSlot('acl-plugin-out-ip4-fa', n, i + 1));
  vm.interface(7).features['ip4-unicast'].push('nat44-out2in');
  vm.interface(11).features['ip4-unicast'].push('nat44-in2out');
  vm.addFeature({ arc: 'ip4-unicast', node: 'nat44-out2in', order: 20 });
  vm.addFeature({ arc: 'ip4-unicast', node: 'nat44-in2out', order: 20 });
  return vm;
}

function inputBuffer(vm: Vm, stages: Stage[], rx: number) {
  const b = ipBuffer(packetFromIp4Stage(stageOf(stages, 'ip4-input')), rx);
  vm.featureStart(b, 'ip4-unicast', rx, 'ip4-lookup');
  return b;
}

/** The packet at acl-plugin-out-ip4-fa: Ethernet rewrite in front, TTL decremented, TX set. */
function outputBuffer(vm: Vm, stages: Stage[], tx: number) {
  const ip = packetFromIp4Stage(stageOf(stages, 'ip4-input'));
  ip[8] -= 1;
  const frame = new Uint8Array(14 + ip.length);
  frame.set(ip, 14);
  const b = ipBuffer(frame, 0);
  b.saveRewriteLength = 14;
  b.txSwIfIndex = tx;
  vm.featureStart(b, 'ip4-output', tx, `${vm.interface(tx).name}-output`);
  return b;
}

describe('seed 004: acl-plugin records, pod to pod on the same node', () => {
  const req = goldenStages('pod-to-pod-same-node.request.trace');
  const resp = goldenStages('pod-to-pod-same-node.response.trace');
  // The seed's SYN-ACK hits session 170: what that VPP's pool held before is history, not
  // configuration. The model starts empty, so the SYN's reflect session is index 0.

  function replay(vm: Vm) {
    const synIn = runNode(vm, 'acl-plugin-in-ip4-fa', inputBuffer(vm, req, 7));
    const synOut = runNode(vm, 'acl-plugin-out-ip4-fa', outputBuffer(vm, req, 11));
    const ackIn = runNode(vm, 'acl-plugin-in-ip4-fa', inputBuffer(vm, resp, 11));
    const ackOut = runNode(vm, 'acl-plugin-out-ip4-fa', outputBuffer(vm, resp, 7));
    return { synIn, synOut, ackIn, ackOut };
  }

  it('SYN: reflect on input of tap11 (acl 1 rule 0, action 2) and permit on output of tap8 (acl 0 rule 0)', () => {
    const r = replay(podNode());
    expectSameRecord(r.synIn.stage, stageOf(req, 'acl-plugin-in-ip4-fa'));
    expect(r.synIn.next).toBe('nat44-out2in');
    expectSameRecord(r.synOut.stage, stageOf(req, 'acl-plugin-out-ip4-fa'));
    expect(r.synOut.next).toBe('tap8-output');
  });

  it('SYN-ACK: reflect on input of tap8; the output of tap11 hits the SYN session (action 3, acl -1, rule = its session index, trace_bits 80000000)', () => {
    const vm = podNode();
    const r = replay(vm);
    expectSameRecord(r.ackIn.stage, stageOf(resp, 'acl-plugin-in-ip4-fa'));
    // rule = the pool index of the SYN's session: 0 here (first session of a fresh pool), 170 in the seed.
    const synSession = 0;
    const golden = stageOf(resp, 'acl-plugin-out-ip4-fa');
    expect(golden.fields.rule).toBe(170);
    expectSameRecord(r.ackOut.stage, {
      ...golden,
      lines: golden.lines.map((l) => l.replace('rule 170 ', `rule ${synSession} `)),
      fields: { ...golden.fields, rule: synSession },
    });
  });

  it('fault: without reflective sessions the SYN-ACK is checked against rules instead and the record differs', () => {
    const r = replay(podNode([Fault.ACL_SESSIONS]));
    expect(() => expectSameRecord(r.ackOut.stage, stageOf(resp, 'acl-plugin-out-ip4-fa'))).toThrow();
    expect(r.ackOut.next).toBe('error-drop');
  });
});

describe('reflective sessions and trace bits', () => {
  it('the third handshake packet moves the session from TCP transient to established: trace_bits 80010201', () => {
    const vm = reflectInDenyOut();
    const pkt = (src: string, dst: string, sp: number, dp: number, flags: number) => ip4L4({ src, dst, proto: 6 }, { sport: sp, dport: dp, flags });
    const atInput = (p: Uint8Array) => {
      const b = ipBuffer(p, 1);
      vm.featureStart(b, 'ip4-unicast', 1, 'ip4-lookup');
      return runNode(vm, 'acl-plugin-in-ip4-fa', b).stage!.fields;
    };
    const atOutput = (p: Uint8Array) => {
      const b = ipBuffer(p, 0);
      b.txSwIfIndex = 1;
      vm.featureStart(b, 'ip4-output', 1, 'tap1-output');
      return runNode(vm, 'acl-plugin-out-ip4-fa', b).stage!.fields;
    };
    expect(atInput(pkt('10.0.0.1', '10.0.0.2', 1000, 80, 0x02))).toMatchObject({ action: 2, trace_bits: 0 });
    expect(atOutput(pkt('10.0.0.2', '10.0.0.1', 80, 1000, 0x12))).toMatchObject({ action: 3, rule: 0, trace_bits: 0x80000000 });
    expect(atInput(pkt('10.0.0.1', '10.0.0.2', 1000, 80, 0x10))).toMatchObject({ action: 3, rule: 0, trace_bits: 0x80010201 });
  });

  it('trace_bits are per frame: a later packet of the same vector still shows the session bit', () => {
    const vm = reflectInDenyOut();
    const run = (p: Uint8Array, frame: number, out: boolean) => {
      const b = ipBuffer(p, out ? 0 : 1);
      if (out) {
        b.txSwIfIndex = 1;
        vm.featureStart(b, 'ip4-output', 1, 'tap1-output');
      } else vm.featureStart(b, 'ip4-unicast', 1, 'ip4-lookup');
      b.plugin.frame = frame;
      return runNode(vm, out ? 'acl-plugin-out-ip4-fa' : 'acl-plugin-in-ip4-fa', b).stage!.fields;
    };
    run(ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, { sport: 5, dport: 6 }), 1, false);
    expect(run(ip4L4({ src: '10.0.0.2', dst: '10.0.0.1', proto: 17 }, { sport: 6, dport: 5 }), 2, true)).toMatchObject({ action: 3, trace_bits: 0x80000000 });
    // Same frame 2, no session: denied by acl 1, yet the bit leaks from the packet before.
    expect(run(ip4L4({ src: '10.9.9.9', dst: '10.0.0.1', proto: 17 }, { sport: 1, dport: 2 }), 2, true)).toMatchObject({ action: 0, acl: 1, rule: 0, trace_bits: 0x80000000 });
    // A new frame starts clean.
    expect(run(ip4L4({ src: '10.9.9.9', dst: '10.0.0.1', proto: 17 }, { sport: 1, dport: 2 }), 3, true)).toMatchObject({ action: 0, trace_bits: 0 });
  });

  it('session indices are reused LIFO after deletion', async () => {
    const { AclState } = await import('../../models/vpp/acl/engine.js');
    const st = new AclState();
    const t = (n: number) => fill5Tuple(ip4L4({ src: `10.0.0.${n}`, dst: '10.0.1.1', proto: 17 }, { sport: n, dport: 1 }), 0, 0, 28, 1, true);
    const add = (n: number) => st.sessions.add(sessionKey(t(n), true), t(n), true);
    const made = [1, 2, 3].map(add);
    st.sessions.delete(made[0]);
    st.sessions.delete(made[2]);
    expect(add(4)).toBe(2);
    expect(add(5)).toBe(0);
    expect(add(6)).toBe(3);
  });

  it('deny files "ACL deny packets" for error-drop', () => {
    const vm = makeVm([{ name: 'tap1', sw: 1 }]);
    install(vm, aclPlugin, { acls: [{ index: 0, rules: [{ action: 'deny' }] }], interfaces: [{ interface: 'tap1', input: [0], output: [] }] });
    const b = ipBuffer(ip4L4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }, { sport: 1, dport: 2 }), 1);
    vm.featureStart(b, 'ip4-unicast', 1, 'ip4-lookup');
    const r = runNode(vm, 'acl-plugin-in-ip4-fa', b);
    expect(r.next).toBe('error-drop');
    expect(r.stage!.fields).toMatchObject({ next_index: 0, action: 0 });
    expect(b.error).toEqual({ node: 'acl-plugin-in-ip4-fa', text: 'ACL deny packets' });
  });
});

// A reflect into a full table (FDio/vpp src/plugins/acl/fa_node.c @ 1d639257 (17.10) and
// session_inlines.h (18.04), the same in both; 18.01 lies between): `if (!acl_fa_can_add_session
// (...)) acl_fa_try_recycle_session (...)` deletes the head of the worker's TCP transient connection
// list, then the session is added (pool_get: the index just freed). Sessions join a list's tail when
// added and when a packet changes their timeout class (acl_fa_restart_timer_for_session).
describe('a full session table recycles the oldest TCP transient session', () => {
  it('the head of the transient list goes, in enqueue order, a class change requeueing at the tail; the new session takes its index', () => {
    const vm = reflectInDenyOut(3);
    const ST = { SYN: 0x02, SYN_ACK: 0x12, ACK: 0x10, FIN_ACK: 0x11 };
    expect([1000, 1001, 1002].map((p) => tap1Packet(vm, 'in', 6, p).action)).toEqual([2, 2, 2]); // sessions 0, 1, 2
    // Session 0 is established (transient -> established), then closes (established -> transient):
    // it leaves the transient list and rejoins it at the tail, behind 1 and 2.
    expect(tap1Packet(vm, 'out', 6, 1000, ST.SYN_ACK)).toMatchObject({ action: 3, rule: 0 });
    expect(tap1Packet(vm, 'in', 6, 1000, ST.ACK)).toMatchObject({ action: 3, rule: 0, trace_bits: 0x80010201 });
    expect(tap1Packet(vm, 'in', 6, 1000, ST.FIN_ACK)).toMatchObject({ action: 3, rule: 0, trace_bits: 0x80010102 });

    // Full: a new flow recycles session 1 (the head) and is made with index 1.
    expect(tap1Packet(vm, 'in', 6, 2000)).toMatchObject({ action: 2, acl: 0, rule: 0, next: 'ip4-lookup' });
    expect(tap1Packet(vm, 'out', 6, 2000, ST.SYN_ACK)).toMatchObject({ action: 3, rule: 1 });
    // Session 1's flow is gone: its reply meets the output deny.
    expect(tap1Packet(vm, 'out', 6, 1001, ST.SYN_ACK)).toMatchObject({ action: 0, acl: 1, next: 'error-drop' });
    // Then session 2, then session 0 (requeued last).
    expect(tap1Packet(vm, 'in', 6, 2001).action).toBe(2);
    expect(tap1Packet(vm, 'out', 6, 2001, ST.SYN_ACK)).toMatchObject({ action: 3, rule: 2 });
    expect(tap1Packet(vm, 'out', 6, 1002, ST.SYN_ACK)).toMatchObject({ action: 0, acl: 1 });
    expect(tap1Packet(vm, 'out', 6, 1000, ST.ACK)).toMatchObject({ action: 3, rule: 0 });
    expect(tap1Packet(vm, 'in', 6, 2002).action).toBe(2);
    expect(tap1Packet(vm, 'out', 6, 2002, ST.SYN_ACK)).toMatchObject({ action: 3, rule: 0 });
    expect(tap1Packet(vm, 'out', 6, 1000, ST.ACK)).toMatchObject({ action: 0, acl: 1 });
  });

  it('only TCP transient sessions are recycled: with UDP and established TCP sessions only, the reflect is refused', () => {
    const vm = reflectInDenyOut(2);
    expect(tap1Packet(vm, 'in', 17, 3000).action).toBe(2);
    expect(tap1Packet(vm, 'in', 6, 1000).action).toBe(2);
    tap1Packet(vm, 'out', 6, 1000, 0x12);
    expect(tap1Packet(vm, 'in', 6, 1000, 0x10)).toMatchObject({ trace_bits: 0x80010201 }); // established
    expect(tap1Packet(vm, 'in', 6, 1001)).toMatchObject({ action: 0, acl: 0, rule: 0, next: 'error-drop', error: 'too many sessions to add new' });
    expect(tap1Packet(vm, 'out', 17, 3000)).toMatchObject({ action: 3, rule: 0 });
    expect(tap1Packet(vm, 'out', 6, 1000, 0x10)).toMatchObject({ action: 3, rule: 1 });
  });

  it('the connection lists follow adds, class changes and deletions', async () => {
    const { AclState } = await import('../../models/vpp/acl/engine.js');
    const { TimeoutClass } = await import('../../models/vpp/acl/sessions.js');
    const st = new AclState();
    const t = (n: number, proto: number) => fill5Tuple(ip4L4({ src: `10.0.0.${n}`, dst: '10.0.1.1', proto }, { sport: n, dport: 1, flags: 0x02 }), 0, 0, 40, 1, true);
    const add = (n: number, proto: number) => st.sessions.add(sessionKey(t(n, proto), true), t(n, proto), true);
    const [a, b, u, c] = [add(1, 6), add(2, 6), add(3, 17), add(4, 6)];
    expect(st.sessions.listOf(TimeoutClass.TCP_TRANSIENT)).toEqual([a, b, c]);
    expect(st.sessions.listOf(TimeoutClass.UDP_IDLE)).toEqual([u]);
    st.sessions.delete(b);
    expect(st.sessions.listOf(TimeoutClass.TCP_TRANSIENT)).toEqual([a, c]);
    expect(st.sessions.recycleTransient()).toBe(a);
    expect(st.sessions.listOf(TimeoutClass.TCP_TRANSIENT)).toEqual([c]);
    expect(add(5, 6)).toBe(a);
    expect(st.sessions.listOf(TimeoutClass.TCP_TRANSIENT)).toEqual([c, a]);
  });
});
