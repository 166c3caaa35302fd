// Two facts questions the previous session left open, answered from vpp-facts.md and pinned here.

import { describe, expect, it } from 'vitest';
import { u16 } from '../../harness/wire/bytes.js';
import { verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { nat44Plugin } from '../../models/vpp/nat44/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { ip4IcmpErrorNode } from '../../models/vpp/nodes/ip4-icmp-error.js';
import { ip4L4, ipBuffer, install, makeVm, runNode } from '../vpp-nat-acl/helpers.js';

describe('vpp-facts §8.3 / §11.1: a forwarding bypass consumes a NAT session pool index', () => {
  /** Contiv-style node: forwarding on, the client pod outside (sw 7), a static mapping to a pod inside (sw 11). */
  function node() {
    const vm = makeVm([
      { name: 'tap11', sw: 7 },
      { name: 'tap8', sw: 11 },
    ]);
    install(vm, nat44Plugin, {
      forwarding: true,
      outside: ['tap11'],
      inside: ['tap8'],
      static_mappings: [{ local: '10.1.1.5', local_port: 8080, external: '10.96.0.1', external_port: 80, protocol: 'tcp' }],
    });
    return vm;
  }
  const toMapping = () => ipBuffer(ip4L4({ src: '10.1.1.3', dst: '10.96.0.1', proto: 6 }, { sport: 40000, dport: 80 }), 7);
  const unmapped = () => ipBuffer(ip4L4({ src: '10.1.1.3', dst: '10.1.1.4', proto: 6 }, { sport: 40001, dport: 8080 }), 7);

  it('the untranslated flow prints session index -1 yet takes index 0, so the next session prints 1', () => {
    const vm = node();
    expect(runNode(vm, 'nat44-out2in', unmapped()).stage!.fields.session_index).toBe(-1);
    expect(nat44Of(vm)!.thread.sessions.size).toBe(1);
    expect(runNode(vm, 'nat44-out2in', toMapping()).stage!.fields.session_index).toBe(1);
  });

  it('without the bypass before it the mapping session is index 0 (the index above is the bypass\'s doing)', () => {
    const vm = node();
    expect(runNode(vm, 'nat44-out2in', toMapping()).stage!.fields.session_index).toBe(0);
  });

  it('a repeated bypassed flow reuses its session instead of taking another index', () => {
    const vm = node();
    runNode(vm, 'nat44-out2in', unmapped());
    runNode(vm, 'nat44-out2in', unmapped());
    expect(nat44Of(vm)!.thread.sessions.size).toBe(1);
  });
});

describe('vpp-facts §5.4: ip4-icmp-error quotes at most 576 bytes of the original and prepends 28 (604 in all)', () => {
  function errorFor(totalLength: number) {
    const vm = makeVm([{ name: 'tap1', sw: 1, ip4: ['10.1.1.1'] }]);
    vm.addNode(ip4IcmpErrorNode);
    const original = ip4L4({ src: '10.1.1.3', dst: '10.9.9.9', proto: 17, ttl: 1 }, { sport: 1, dport: 2, payload: new Uint8Array(totalLength - 28).map((_, i) => i) });
    const b = ipBuffer(original, 1);
    b.setIcmp(11, 0, 0);
    const next = runNode(vm, 'ip4-icmp-error', b).next;
    return { next, original, out: b.current().slice() };
  }

  it('a 1000-byte packet: the error is 604 bytes, IP length 604, quoting the first 576 bytes, checksums valid', () => {
    const { next, original, out } = errorFor(1000);
    expect(next).toBe('ip4-lookup');
    expect(out.length).toBe(576 + 28);
    expect(u16(out, 2)).toBe(604);
    expect(out.subarray(28)).toEqual(original.subarray(0, 576));
    expect(verifiesTo0xffff(out, 0, 20)).toBe(true);
    expect(verifiesTo0xffff(out, 20, out.length - 20)).toBe(true);
  });

  it('exactly at the cap and below it nothing is cut', () => {
    expect(errorFor(576).out.length).toBe(604);
    expect(errorFor(100).out.length).toBe(128);
  });
});
