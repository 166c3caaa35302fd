// Properties (fast-check) of the NAT44 and ACL models:
//   - NAT44 out2in then in2out (static mapping) and in2out then out2in (dynamic SNAT) restore the
//     original endpoints and leave valid checksums (TCP, UDP with its zero checksum, ICMP echo);
//   - a reflective ACL session admits exactly the reverse flow;
//   - port allocation never hands out a port in use;
//   - pool indices are reused LIFO.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { u16, u32, setU16 } from '../../harness/wire/bytes.js';
import { internetChecksum, pseudoHeaderSum4, verifiesTo0xffff } from '../../harness/wire/checksum.js';
import { u32ToIp4 } from '../../harness/wire/address.js';
import { nat44Plugin } from '../../models/vpp/nat44/index.js';
import { nat44Of } from '../../models/vpp/nat44/nodes.js';
import { AddressPool } from '../../models/vpp/nat44/addresses.js';
import { NatRandom } from '../../models/vpp/nat44/random.js';
import { aclPlugin } from '../../models/vpp/acl/index.js';
import { candidatePort } from '../../models/vpp/nat44/ports.js';
import { addRoute, install, ip4L4, ipBuffer, makeVm, runNode } from './helpers.js';
import type { VlibBuffer } from '../../models/vpp/buffer.js';

const OUTSIDE = 1;
const INSIDE = 2;

/** 10.x addresses for inside hosts, 172.16.x for outside ones: never equal to each other. */
const insideAddr = fc.integer({ min: 0x0a000001, max: 0x0affffff }).map(u32ToIp4);
const outsideAddr = fc.integer({ min: 0xac100001, max: 0xac1fffff }).map(u32ToIp4);
const port = fc.integer({ min: 1, max: 65535 });
const proto = fc.constantFrom(6, 17, 1);

function icmpEcho(src: string, dst: string, type: number, id: number): Uint8Array {
  const p = ip4L4({ src, dst, proto: 1 }, { sport: 0, dport: 0, payload: new Uint8Array(8) });
  // Rewrite the 8-byte "UDP" header into an ICMP echo header and fix lengths/checksums.
  p.fill(0, 20, 28);
  p[20] = type;
  setU16(p, 24, id);
  setU16(p, 26, 1);
  setU16(p, 22, internetChecksum(p, 20, p.length - 20));
  return p;
}

function packet(protoNo: number, src: string, dst: string, sport: number, dport: number, reply = false): Uint8Array {
  if (protoNo === 1) return icmpEcho(src, dst, reply ? 0 : 8, reply ? dport : sport);
  return ip4L4({ src, dst, proto: protoNo }, { sport, dport, flags: reply ? 0x12 : 0x02, payload: new Uint8Array([1, 2, 3, 4, 5]) });
}

interface Tuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

function tupleOf(b: VlibBuffer): Tuple {
  const p = b.bytes;
  const ip = b.start;
  const proto = p[ip + 9];
  const l4 = ip + 20;
  return {
    src: u32ToIp4(u32(p, ip + 12)),
    dst: u32ToIp4(u32(p, ip + 16)),
    sport: proto === 1 ? u16(p, l4 + 4) : u16(p, l4),
    dport: proto === 1 ? u16(p, l4 + 4) : u16(p, l4 + 2),
  };
}

/** IP header verifies; TCP/ICMP verify over their bytes; UDP verifies or is 0 (VPP's NAT zeroes it). */
function checksumsValid(b: VlibBuffer): boolean {
  const p = b.bytes;
  const ip = b.start;
  const len = u16(p, ip + 2);
  if (!verifiesTo0xffff(p, ip, 20)) return false;
  const proto = p[ip + 9];
  if (proto === 17 && u16(p, ip + 26) === 0) return true;
  if (proto === 1) return verifiesTo0xffff(p, ip + 20, len - 20);
  return verifiesTo0xffff(p, ip + 20, len - 20, pseudoHeaderSum4(p, ip + 12, ip + 16, proto, len - 20));
}

function natVm(section: object) {
  const vm = makeVm([
    { name: 'outside0', sw: OUTSIDE },
    { name: 'inside0', sw: INSIDE },
  ]);
  install(vm, nat44Plugin, { outside: ['outside0'], inside: ['inside0'], ...section });
  // The default route leaves through the outside interface: what makes in2out translate (snat_not_translate).
  addRoute(vm, '0.0.0.0', 0, OUTSIDE);
  return vm;
}

function in2out(vm: ReturnType<typeof natVm>, b: VlibBuffer): void {
  const fast = runNode(vm, 'nat44-in2out', b);
  if (fast.next === 'nat44-in2out-slowpath') runNode(vm, 'nat44-in2out-slowpath', b);
}

describe('NAT44 round trips', () => {
  it('static mapping: out2in then in2out restores the endpoints; checksums stay valid', () => {
    fc.assert(
      fc.property(proto, insideAddr, port, outsideAddr, port, outsideAddr, port, (pr, local, lport, ext, eport, client, cport) => {
        // A client at the mapping's own external address is no outside host: the reply goes to a
        // mapped address, and VPP hairpins it (snat_icmp_hairpinning / snat_hairpinning) - not a round trip.
        fc.pre(client !== ext);
        const protocol = pr === 6 ? 'tcp' : pr === 17 ? 'udp' : 'icmp';
        // ICMP echo "ports" are identifiers; the mapping is address-only for ICMP (VPP needs that for requests).
        const mapping = pr === 1 ? { local, external: ext } : { local, local_port: lport, external: ext, external_port: eport, protocol };
        const vm = natVm({ static_mappings: [mapping] });
        const req = ipBuffer(packet(pr, client, ext, cport, eport), OUTSIDE);
        runNode(vm, 'nat44-out2in', req);
        const inner = tupleOf(req);
        expect(inner.dst).toBe(local);
        if (pr !== 1) expect(inner.dport).toBe(lport);
        expect(checksumsValid(req)).toBe(true);
        const rep = ipBuffer(packet(pr, local, client, inner.dport, cport, true), INSIDE);
        in2out(vm, rep);
        const back = tupleOf(rep);
        expect(back.src).toBe(ext);
        expect(back.dst).toBe(client);
        if (pr !== 1) expect([back.sport, back.dport]).toEqual([eport, cport]);
        expect(checksumsValid(rep)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('dynamic SNAT: in2out then out2in restores the endpoints; UDP checksum is 0 after NAT', () => {
    fc.assert(
      fc.property(proto, insideAddr, port, outsideAddr, port, fc.nat(20), (pr, host, hport, server, sport, draws) => {
        const vm = natVm({ addresses: ['192.0.2.1'] });
        nat44Of(vm)!.random.skip(draws); // any LCG position (traffic before), not scenario configuration
        const req = ipBuffer(packet(pr, host, server, hport, sport), INSIDE);
        in2out(vm, req);
        const out = tupleOf(req);
        expect(out.src).toBe('192.0.2.1');
        expect(checksumsValid(req)).toBe(true);
        if (pr === 17) expect(u16(req.bytes, req.start + 26)).toBe(0);
        const rep = ipBuffer(packet(pr, server, '192.0.2.1', sport, out.sport, true), OUTSIDE);
        runNode(vm, 'nat44-out2in', rep);
        const back = tupleOf(rep);
        expect(back.dst).toBe(host);
        expect(back.src).toBe(server);
        if (pr !== 1) expect([back.sport, back.dport]).toEqual([sport, hport]);
        else expect(back.dport).toBe(hport);
        expect(checksumsValid(rep)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('the first dynamic port after four earlier draws is 25801, as POD_TO_INTERNET.md shows', () => {
    const vm = natVm({ addresses: ['192.168.16.1'] });
    nat44Of(vm)!.random.skip(4); // the doc's VPP had drawn four times before: history, set here by the test only
    const b = ipBuffer(packet(6, '10.1.1.3', '8.8.8.8', 41084, 80), INSIDE);
    in2out(vm, b);
    expect(tupleOf(b).sport).toBe(25801);
  });
});

describe('reflective ACL sessions admit exactly the reverse flow', () => {
  const flow = fc.record({ src: insideAddr, dst: outsideAddr, sport: port, dport: port, proto: fc.constantFrom(6, 17) });
  it('reverse flow on output of the same interface: session hit; any single change: denied', () => {
    fc.assert(
      fc.property(flow, fc.integer({ min: 0, max: 5 }), (f, change) => {
        const vm = makeVm([
          { name: 'tapA', sw: 1 },
          { name: 'tapB', sw: 2 },
        ]);
        install(vm, aclPlugin, {
          acls: [
            { index: 0, rules: [{ action: 'reflect' }] },
            { index: 1, rules: [{ action: 'deny' }] },
          ],
          interfaces: [
            { interface: 'tapA', input: [0], output: [1] },
            { interface: 'tapB', input: [1], output: [1] },
          ],
        });
        const inB = ipBuffer(packet(f.proto, f.src, f.dst, f.sport, f.dport), 1);
        vm.featureStart(inB, 'ip4-unicast', 1, 'ip4-lookup');
        expect(runNode(vm, 'acl-plugin-in-ip4-fa', inB).stage!.fields.action).toBe(2);
        const reverse = { src: f.dst, dst: f.src, sport: f.dport, dport: f.sport, proto: f.proto, tx: 1 };
        const other = { ...reverse };
        if (change === 0) other.src = '172.15.0.1';
        if (change === 1) other.dst = '10.0.0.0';
        if (change === 2) other.sport = f.dport === 1 ? 2 : 1;
        if (change === 3) other.dport = f.sport === 1 ? 2 : 1;
        if (change === 4) other.proto = f.proto === 6 ? 17 : 6;
        if (change === 5) other.tx = 2;
        const out = (t: typeof reverse) => {
          const b = ipBuffer(packet(t.proto, t.src, t.dst, t.sport, t.dport, true), 0);
          b.txSwIfIndex = t.tx;
          vm.featureStart(b, 'ip4-output', t.tx, 'x-output');
          return runNode(vm, 'acl-plugin-out-ip4-fa', b).stage!.fields;
        };
        expect(out(reverse)).toMatchObject({ action: 3, acl: -1, rule: 0 });
        expect(out(other)).toMatchObject({ action: 0 });
        // Same-direction traffic on input of the same interface matches the session too (vpp-facts §9.2).
        const again = ipBuffer(packet(f.proto, f.src, f.dst, f.sport, f.dport), 1);
        vm.featureStart(again, 'ip4-unicast', 1, 'ip4-lookup');
        expect(runNode(vm, 'acl-plugin-in-ip4-fa', again).stage!.fields.action).toBe(3);
      }),
      { numRuns: 150 },
    );
  });
});

describe('port allocation', () => {
  it('never hands out a port in use, across allocations and frees', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(40)), { maxLength: 120 }), fc.nat(1000), (ops, draws) => {
        const pool = new AddressPool();
        pool.add(0xc0000201);
        const random = new NatRandom();
        random.skip(draws);
        const live: number[] = [];
        for (const op of ops) {
          if (op === -1 || live.length === 0) {
            const a = pool.allocate(1, 0, random)!;
            expect(live).not.toContain(a.port);
            live.push(a.port);
          } else {
            const [p] = live.splice(op % live.length, 1);
            pool.free(0, 1, p);
          }
        }
      }),
    );
  });

  it('a busy candidate is redrawn: with 16253 taken the first port from seed 0 is 18995', () => {
    const pool = new AddressPool();
    pool.add(0xc0000201);
    const r = new NatRandom();
    const first = candidatePort(new NatRandom());
    pool.addresses[0].busy[1].add(first);
    expect(first).toBe(16253);
    expect(pool.allocate(1, 0, r)!.port).toBe(18995);
  });
});

describe('pool indices (sessions) are reused LIFO', () => {
  // The pool's own LIFO property (IndexPool) is in test/vpp-perf/tables.test.ts.
  it('NAT sessions freed by TCP close are reused: a new flow takes the closed session index', () => {
    const vm = natVm({ addresses: ['192.0.2.1'] });
    const send = (flags: number, sport: number, seq: number, ack: number, inside: boolean, dport?: number) => {
      const b = inside
        ? ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport, dport: 80, flags, seq, ack }), INSIDE)
        : ipBuffer(ip4L4({ src: '172.16.0.9', dst: '192.0.2.1', proto: 6 }, { sport: 80, dport: dport!, flags, seq, ack }), OUTSIDE);
      if (inside) {
        const f = runNode(vm, 'nat44-in2out', b);
        return (f.next === 'nat44-in2out-slowpath' ? runNode(vm, 'nat44-in2out-slowpath', b) : f).stage!.fields;
      }
      return runNode(vm, 'nat44-out2in', b).stage!.fields;
    };
    expect(send(0x02, 1111, 100, 0, true).session_index).toBe(0);
    expect(send(0x02, 2222, 500, 0, true).session_index).toBe(1);
    const b0 = ipBuffer(ip4L4({ src: '10.0.0.5', dst: '172.16.0.9', proto: 6 }, { sport: 1111, dport: 80 }), INSIDE);
    runNode(vm, 'nat44-in2out', b0);
    const outPort = u16(b0.bytes, b0.start + 20);
    // Close flow 0: FIN in2out, ACK+FIN out2in, final ACK in2out.
    send(0x11, 1111, 200, 0, true);
    send(0x11, 0, 900, 201, false, outPort);
    send(0x10, 1111, 201, 901, true);
    expect(send(0x02, 3333, 1, 0, true).session_index).toBe(0);
  });
});
