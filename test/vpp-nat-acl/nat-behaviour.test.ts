// NAT44 behaviours beyond the seed flows: ICMP errors (embedded packet translated, embedded IP
// checksum left stale), TTL 1, drops with their error strings, configuration errors with key paths,
// and startup.conf `nat { translation hash buckets N }` (`translation_hash_buckets`): validated, caps
// sessions at 10 N as VPP does, pre-sizes the session tables without changing any index or byte.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { u16, setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum, verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { InputError } from '../../harness/io/input-error.js';
import { loadScenario } from '../../models/vpp/configure.js';
import { I2O, O2I } from '../../models/vpp/nat44/engine.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { nat44ConfigFromYaml } from '../../models/vpp/nat44/schema.js';
import { ConfigFailure, ip4L4, ipBuffer, runNode } from './helpers.js';
import { echoRequest, icmpError } from './icmp-packets.js';
import { INSIDE, natVm, OUTSIDE } from './nat-vm.js';

describe('ICMP errors through NAT44 (vpp-facts §8.9)', () => {
  it('out2in translates the outer dst and the embedded src address/port; ICMP checksum valid, embedded IP checksum stale', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const req = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 17 }, { sport: 1111, dport: 53 }), INSIDE);
    runNode(vm, 'nat44-in2out', req);
    const slow = runNode(vm, 'nat44-in2out-slowpath', req);
    expect(slow.stage!.fields.session_index).toBe(0);
    const outbound = req.current().slice();
    const natPort = u16(outbound, 20);
    const err = ipBuffer(icmpError('172.16.0.1', '192.0.2.1', 3, outbound), OUTSIDE);
    const quotedCsumBefore = u16(err.bytes, err.start + 28 + 10);
    const r = runNode(vm, 'nat44-out2in', err);
    expect(r.stage!.fields).toMatchObject({ next_index: 1, session_index: 0 });
    const p = err.current();
    expect([...p.subarray(16, 20)]).toEqual([10, 0, 0, 5]);
    expect([...p.subarray(28 + 12, 28 + 16)]).toEqual([10, 0, 0, 5]);
    expect(u16(p, 48)).toBe(1111);
    expect(natPort).not.toBe(1111);
    expect(verifiesTo0xffff(p, 0, 20)).toBe(true);
    expect(verifiesTo0xffff(p, 20, p.length - 20)).toBe(true);
    expect(u16(p, 28 + 10)).toBe(quotedCsumBefore);
    expect(verifiesTo0xffff(p, 28, 20)).toBe(false);
  });

  it('an ICMP error whose embedded IP checksum is already bad is dropped', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const req = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 17 }, { sport: 1111, dport: 53 }), INSIDE);
    runNode(vm, 'nat44-in2out', req);
    runNode(vm, 'nat44-in2out-slowpath', req);
    const q = req.current().slice();
    q[10] ^= 0xff;
    const err = ipBuffer(icmpError('172.16.0.1', '192.0.2.1', 11, q), OUTSIDE);
    expect(runNode(vm, 'nat44-out2in', err).next).toBe('error-drop');
  });

  // VPP's icmp_out2in / icmp_in2out (FDio/vpp src/plugins/nat/out2in.c @ d5b1b85d, 18.01 era) drop
  // on a bad ICMP checksum and on a bad embedded IP header checksum with `next0 = ..._NEXT_DROP;
  // goto out;` and never write b0->error; the nat plugin has no checksum error string (vpp-facts
  // §8.9). The engine's outcome therefore names no error (the buffer keeps the one it carried).
  it('the checksum drops name no error of their own: embedded IP checksum (out2in), ICMP checksum (in2out)', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const nat = nat44Of(vm)!;
    const req = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 17 }, { sport: 1111, dport: 53 }), INSIDE);
    runNode(vm, 'nat44-in2out', req);
    runNode(vm, 'nat44-in2out-slowpath', req);
    const q = req.current().slice();
    q[10] ^= 0xff;
    const inner = nat.out2in(vm, ipBuffer(icmpError('172.16.0.1', '192.0.2.1', 11, q), OUTSIDE));
    expect(inner).toMatchObject({ next: O2I.DROP, session: 0, error: undefined });
    // The node drops it keeping the error the buffer carried (what ip4-input filed), none of its own.
    const carried = { node: 'ip4-input', text: 'valid ip4 packets' };
    const dropped = ipBuffer(icmpError('172.16.0.1', '192.0.2.1', 11, q), OUTSIDE);
    dropped.error = carried;
    expect(runNode(vm, 'nat44-out2in', dropped).next).toBe('error-drop');
    expect(dropped.error).toBe(carried);

    const echo = (checksumOk: boolean) => {
      const p = ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 1 }, { sport: 0, dport: 0 });
      p.fill(0, 20, 28);
      p[20] = 8;
      setU16(p, 24, 0x4242);
      setU16(p, 22, internetChecksum(p, 20, 8) ^ (checksumOk ? 0 : 0x1111));
      return ipBuffer(p, INSIDE);
    };
    const made = nat.in2outSlow(vm, echo(true), false);
    expect(made.next).toBe(I2O.LOOKUP);
    const session = made.session;
    // The echo's session exists: the bad one is dropped at the checksum, not for want of a session.
    expect(nat.in2outSlow(vm, echo(false), false)).toMatchObject({ next: I2O.DROP, session, error: undefined });
  });

  // icmp_in2out_slow_path runs snat_icmp_hairpinning when TX is 0 after translation (input nodes,
  // outside FIB 0): an echo to another inside host's mapped address goes to its local address.
  it('in2out echo to an address-only mapping of another inside host is hairpinned; both checksums valid', () => {
    const vm = natVm({ addresses: ['192.0.2.1'], static_mappings: [{ local: '10.0.0.7', external: '192.0.2.7' }] });
    const b = ipBuffer(echoRequest('10.0.0.5', '192.0.2.7', 0x4242), INSIDE);
    expect(nat44Of(vm)!.in2outSlow(vm, b, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    const out = b.current();
    expect(Array.from(out.subarray(12, 20))).toEqual([192, 0, 2, 1, 10, 0, 0, 7]);
    expect(verifiesTo0xffff(out, 0, 20)).toBe(true);
    expect(verifiesTo0xffff(out, 20, 8)).toBe(true);
    expect(b.txSwIfIndex).toBe(0);
  });

  it('in2out echo to the NAT address itself hits its own session: back to the sender, identifier restored', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const b = ipBuffer(echoRequest('10.0.0.5', '192.0.2.1', 0x4242), INSIDE);
    expect(nat44Of(vm)!.in2outSlow(vm, b, false)).toMatchObject({ next: I2O.LOOKUP, session: 0 });
    const out = b.current();
    expect(Array.from(out.subarray(12, 20))).toEqual([192, 0, 2, 1, 10, 0, 0, 5]);
    expect(u16(out, 24)).toBe(0x4242);
    expect(verifiesTo0xffff(out, 0, 20)).toBe(true);
    expect(verifiesTo0xffff(out, 20, 8)).toBe(true);
  });

  it('an ICMP message with a bad checksum is dropped before translation', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const echo = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 1 }, { sport: 0x0800, dport: 0, checksum: 0x1234 }), INSIDE);
    expect(runNode(vm, 'nat44-in2out-slowpath', echo).next).toBe('error-drop');
  });

  it('from outside, only echo may open a session on a mapping: a timestamp request is an unsupported ICMP type', () => {
    const vm = natVm({ static_mappings: [{ local: '10.0.0.5', external: '192.0.2.7' }] });
    const p = ip4L4({ src: '172.16.0.9', dst: '192.0.2.7', proto: 17 }, { sport: 0, dport: 0 });
    p[9] = 1;
    p.fill(0, 20, 28);
    p[20] = 13;
    setU16(p, 10, 0);
    setU16(p, 10, internetChecksum(p, 0, 20));
    setU16(p, 22, internetChecksum(p, 20, 8));
    const b = ipBuffer(p, OUTSIDE);
    expect(runNode(vm, 'nat44-out2in', b).next).toBe('error-drop');
    expect(b.error).toEqual({ node: 'nat44-out2in', text: 'unsupported ICMP type' });
  });
});

describe('drops, TTL and errors', () => {
  it('TTL 1 goes to ip4-icmp-error (next 2) with time-exceeded set, before any lookup', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6, ttl: 1 }, { sport: 1, dport: 2 }), INSIDE);
    const r = runNode(vm, 'nat44-in2out', b);
    expect(r.next).toBe('ip4-icmp-error');
    expect(r.stage!.lines[0].trim()).toBe('NAT44_IN2OUT_FAST_PATH: sw_if_index 2, next index 2, session -1');
    expect(b.icmp).toEqual({ type: 11, code: 0, data: 0 });
  });

  it('without forwarding, out2in with no session or mapping drops with "No translation"; DHCP to the client passes', () => {
    const vm = natVm({});
    const b = ipBuffer(ip4L4({ src: '172.16.0.9', dst: '192.0.2.1', proto: 6 }, { sport: 1, dport: 2 }), OUTSIDE);
    const r = runNode(vm, 'nat44-out2in', b);
    expect(r.stage!.lines[0].trim()).toBe('NAT44_OUT2IN: sw_if_index 1, next index 0, session index -1');
    expect(b.error).toEqual({ node: 'nat44-out2in', text: 'No translation' });
    const dhcp = ipBuffer(ip4L4({ src: '172.16.0.9', dst: '192.0.2.1', proto: 17 }, { sport: 67, dport: 68 }), OUTSIDE);
    expect(runNode(vm, 'nat44-out2in', dhcp).next).toBe('ip4-lookup');
  });

  it('without pool addresses an in2out flow that must be translated drops with "Out of ports"', () => {
    const vm = natVm({});
    const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 1, dport: 2 }), INSIDE);
    expect(runNode(vm, 'nat44-in2out-slowpath', b).next).toBe('error-drop');
    expect(b.error?.text).toBe('Out of ports');
  });

  it('max_translations caps live sessions ("Maximum sessions exceeded")', () => {
    const vm = natVm({ addresses: ['192.0.2.1'], max_translations: 2 });
    const send = (sport: number) => {
      const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport, dport: 2 }), INSIDE);
      runNode(vm, 'nat44-in2out-slowpath', b);
      return b.error?.text;
    };
    expect([send(1), send(2), send(3)]).toEqual([undefined, undefined, 'Maximum sessions exceeded']);
  });

  it('at max_translations_per_user the oldest dynamic session is recycled in place (same index)', () => {
    const vm = natVm({ addresses: ['192.0.2.1'], max_translations_per_user: 2 });
    const send = (sport: number) => {
      const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport, dport: 2 }), INSIDE);
      return runNode(vm, 'nat44-in2out-slowpath', b).stage!.fields.session_index;
    };
    expect([send(1), send(2), send(3), send(4)]).toEqual([0, 1, 0, 1]);
  });

  // user_session_increment counts only below the limit (vpp-dev/vpp src/plugins/nat/nat.h @
  // 2994d210: `if (u->nsessions + u->nstaticsessions < sm->max_translations_per_user)`), so after a
  // recycle the user still counts 2; with one session deleted it is below the limit again and the
  // next flow takes a pool index (the freed one) instead of recycling its oldest session.
  it('a recycled session is not counted twice: after a delete the user is below the limit again', () => {
    const vm = natVm({ addresses: ['192.0.2.1'], max_translations_per_user: 2 });
    const t = nat44Of(vm)!.thread;
    const send = (sport: number) => {
      const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport, dport: 2 }), INSIDE);
      return runNode(vm, 'nat44-in2out-slowpath', b).stage!.fields.session_index;
    };
    expect([send(1), send(2), send(3)]).toEqual([0, 1, 0]);
    t.delete(1);
    expect(send(4)).toBe(1);
    expect(t.userSessions(0)).toEqual([0, 1]);
  });
});

describe('configuration errors name the key', () => {
  const bad = (section: object) => {
    try {
      natVm(section);
    } catch (e) {
      return e instanceof ConfigFailure ? e.keyPath : String(e);
    }
    return 'no error';
  };
  it('unknown interface, port without protocol, empty LB locals', () => {
    expect(bad({ inside: ['inside0', 'nope0'] })).toBe('inside[1]');
    expect(bad({ static_mappings: [{ local: '10.0.0.1', local_port: 1, external: '1.1.1.1', external_port: 1 }] })).toBe('static_mappings[0].protocol');
    expect(bad({ lb_static_mappings: [{ external: '1.1.1.1', external_port: 80, protocol: 'tcp', locals: [] }] })).toBe('lb_static_mappings[0].locals');
    expect(bad({ inside_vrf: 7 })).toBe('inside_vrf');
  });

  // The running probability sum is a u8 and snat_static_mapping_match takes `random % prefix[last]`
  // (fork nat.c @ 0d305478): a sum of 256 makes it 0, a division by zero (SIGFPE, fatal in 18.01's
  // unix_signal_handler). Such a VPP exits on its first lookup of the mapping: nothing to model.
  it('LB probabilities summing to a multiple of 256 (the last u8 prefix 0)', () => {
    const lb = (probabilities: number[]) => ({
      lb_static_mappings: [{ external: '1.1.1.1', external_port: 80, protocol: 'tcp', locals: probabilities.map((p, i) => ({ address: `10.0.0.${i + 1}`, port: 80, probability: p })) }],
    });
    expect(bad(lb([128, 128]))).toBe('lb_static_mappings[0].locals');
    expect(bad(lb([200, 200, 112]))).toBe('lb_static_mappings[0].locals');
    expect(bad(lb([128, 127]))).toBe('no error');
    expect(bad(lb([200, 100]))).toBe('no error'); // wraps to 44, but not to 0
  });
});

function scenarioError(nat44: string): InputError {
  const f = join(mkdtempSync(join(tmpdir(), 'nat-startup-')), 's.yaml');
  writeFileSync(f, `instances:\n  a:\n    interfaces:\n      - { name: tap0, sw_if_index: 2, type: tap, mac: "02:00:00:00:00:01" }\n    nat44:\n      ${nat44}\n`);
  let error: unknown = 'no error';
  try {
    loadScenario(f);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('nat44 translation_hash_buckets (startup.conf translation hash buckets)', () => {
  it('a bad value is an error naming the file, line and key', () => {
    for (const v of ['0', 'many', String(2 ** 22 + 1), '1.5']) {
      const e = scenarioError(`translation_hash_buckets: ${v}`);
      expect(e.where.key).toBe('instances.a.nat44.translation_hash_buckets');
      expect(e.where.line).toBe(6);
      expect(e.where.file).toMatch(/s\.yaml$/);
    }
  });

  it('caps sessions at 10 x buckets (VPP: max_translations = 10 * translation_buckets) unless max_translations is given', () => {
    expect(nat44ConfigFromYaml({ translation_hash_buckets: 1000 }).maxTranslations).toBe(10000);
    expect(nat44ConfigFromYaml({ translation_hash_buckets: 1000, max_translations: 5 }).maxTranslations).toBe(5);
    expect(nat44ConfigFromYaml({})).toMatchObject({ maxTranslations: 10240, translationHashBuckets: undefined });
    const vm = natVm({ addresses: ['192.0.2.1'], translation_hash_buckets: 1 });
    const errors = Array.from({ length: 11 }, (_, i) => {
      const b = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 1000 + i, dport: 80 }), INSIDE);
      runNode(vm, 'nat44-in2out-slowpath', b);
      return b.error?.text;
    });
    expect(errors.slice(0, 10)).toEqual(Array(10).fill(undefined));
    expect(errors[10]).toBe('Maximum sessions exceeded');
  });

  it('pre-sized tables give the same session indices, ports (LCG draws) and bytes as tables that grow', () => {
    const run = (section: object) => {
      const vm = natVm({ addresses: ['192.0.2.1'], max_translations: 1000, max_translations_per_user: 1000, ...section });
      const out: string[] = [];
      for (let i = 0; i < 300; i++) {
        // Flows from 3 clients; every 7th packet closes nothing but repeats an earlier flow.
        const sport = i % 7 === 6 ? 1000 + i - 6 : 1000 + i;
        const b = ipBuffer(ip4L4({ src: `10.0.0.${1 + (i % 3)}`, dst: '172.16.0.9', proto: 17 }, { sport, dport: 53 }), INSIDE);
        const fast = runNode(vm, 'nat44-in2out', b);
        const r = fast.next === 'nat44-in2out-slowpath' ? runNode(vm, 'nat44-in2out-slowpath', b) : fast;
        out.push(`${r.stage!.fields.session_index} ${Buffer.from(b.current()).toString('hex')}`);
      }
      return { out, seed: nat44Of(vm)!.random.seed, sessions: nat44Of(vm)!.thread.sessions.size };
    };
    const grown = run({});
    const presized = run({ translation_hash_buckets: 64 });
    const big = run({ translation_hash_buckets: 4096 });
    expect(presized).toEqual(grown);
    expect(big).toEqual(grown);
    expect(grown.sessions).toBeGreaterThan(64);
  });
});
