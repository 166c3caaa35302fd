// Packets to one of VPP's own addresses (ip4-local, ip4-udp-lookup) and ip4-icmp-error's drop when it
// has no source address. Evidence (VPP 18.01 era):
// - udp_local.c udp46_input_inline: no listener -> vlib_buffer_advance back over the IP header,
//   icmp4_error_set_vnet_buffer (3, 3, 0), next ip4-icmp-error; the record says `(no listener)`.
// - ip4_forward.c ip4_local_inline (vpp-dev/vpp, Contiv 18.01 fork): every packet is filed with
//   IP4_ERROR_UNKNOWN_PROTOCOL on ip4-input's error node; ip4_error.h: "unknown ip protocol".
// - icmp4.c ip4_icmp_error: no address on the RX interface -> next DROP, ICMP4_ERROR_DROP counted on
//   its own node, p0->error never written: error-drop prints the error the buffer carried.

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { setU16, setU32, u16, u32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';

const CHAIN = 'test/vpp-model/scenarios/routed-chain.yaml';
const R1_TAP1 = { instance: 'r1', interface: 'tap1' };

interface Ip4Frame {
  dstMac: string;
  src: string;
  dst: string;
  proto: number;
  ttl?: number;
  /** The flags + fragment offset word (0x2000 = more fragments). */
  fragment?: number;
  /** Bytes after the IPv4 header (the L4 header and payload), written as given. */
  l4: Uint8Array;
}

/** Ethernet + IPv4 (valid header checksum) + the given L4 bytes. */
function frame(f: Ip4Frame): Uint8Array {
  const b = new Uint8Array(14 + 20 + f.l4.length);
  b.set(f.dstMac.split(':').map((x) => parseInt(x, 16)), 0);
  b.set([0x02, 0, 0, 0, 0x0a, 0x0a], 6);
  setU16(b, 12, 0x0800);
  b[14] = 0x45;
  setU16(b, 16, 20 + f.l4.length);
  setU16(b, 18, 0x1234);
  setU16(b, 20, f.fragment ?? 0);
  b[22] = f.ttl ?? 64;
  b[23] = f.proto;
  setU32(b, 26, ip4ToU32(f.src));
  setU32(b, 30, ip4ToU32(f.dst));
  setU16(b, 24, internetChecksum(b, 14, 20));
  b.set(f.l4, 34);
  return b;
}

/** A UDP header (checksum 0: not computed) with 4 bytes of payload. */
function udp(sport: number, dport: number): Uint8Array {
  const u = new Uint8Array(12);
  setU16(u, 0, sport);
  setU16(u, 2, dport);
  setU16(u, 4, u.length);
  return u;
}

/** `f` with its L4 checksum (UDP at +6, TCP at +16) set right over the pseudo-header, then `corrupt` added to it. */
function withL4Checksum(f: Ip4Frame, corrupt = 0): Uint8Array {
  const b = frame(f);
  const at = 34 + (f.proto === 17 ? 6 : 16);
  const pseudo = new Uint8Array(12 + f.l4.length);
  pseudo.set(b.subarray(26, 34), 0);
  pseudo[9] = f.proto;
  setU16(pseudo, 10, f.l4.length);
  pseudo.set(b.subarray(34), 12);
  pseudo.fill(0, 12 + at - 34, 12 + at - 34 + 2);
  setU16(b, at, (internetChecksum(pseudo) + corrupt) & 0xffff);
  return b;
}

async function send(scenario: string, data: Uint8Array, at: { instance: string; interface: string }) {
  const inst = (await vppModel.instantiate(scenario)) as VppInstance;
  const r = inst.inject({ data, meta: { linkType: 1 } }, at);
  const stages = r.traces[0].stages;
  const line = (node: string) => stages.find((s) => s.node === node)?.lines.join('\n');
  return {
    nodes: stages.map((s) => s.node),
    line,
    outputs: r.outputs.map((p) => ({ at: `${inst.instanceOf(p)}/${p.meta.interfaceName}`, data: p.data })),
    errors: [...inst.vm(at.instance).errorCounts].map(([node, byText]) => [node, [...byText]]),
  };
}

describe('UDP to a VPP address on a port nobody listens on', () => {
  const sent = frame({ dstMac: '02:00:00:00:01:02', src: '10.0.1.2', dst: '10.0.1.1', proto: 17, l4: udp(5000, 53) });

  it('is answered with an ICMP port unreachable through ip4-icmp-error, routed back out of tap1', async () => {
    const r = await send(CHAIN, sent, R1_TAP1);
    expect(r.nodes.slice(2)).toEqual(['ip4-input', 'ip4-lookup', 'ip4-local', 'ip4-udp-lookup', 'ip4-icmp-error', 'ip4-lookup', 'ip4-rewrite', 'tap1-output']);
    expect(r.line('ip4-udp-lookup')).toBe('  UDP: src-port 5000 dst-port 53 (no listener)');
    // ip4-icmp-error records the offending packet from its IP header: udp-lookup moved back to it.
    expect(r.line('ip4-icmp-error')?.split('\n')[0]).toBe('  UDP: 10.0.1.2 -> 10.0.1.1');
    expect(r.errors).toEqual([]);
    expect(r.outputs.map((o) => o.at)).toEqual(['r1/tap1']);
    const g = r.outputs[0].data;
    const ip = 14;
    expect(g[ip + 9]).toBe(1);
    expect(u32(g, ip + 12)).toBe(ip4ToU32('10.0.1.1'));
    expect(u32(g, ip + 16)).toBe(ip4ToU32('10.0.1.2'));
    expect(internetChecksum(g, ip, 20)).toBe(0);
    const icmp = ip + 20;
    expect([g[icmp], g[icmp + 1], u32(g, icmp + 4)]).toEqual([3, 3, 0]);
    expect(internetChecksum(g, icmp, u16(g, ip + 2) - 20)).toBe(0);
    // The quote is the packet as received, from its IP header on.
    expect([...g.subarray(icmp + 8)]).toEqual([...sent.subarray(14)]);
  });

  it('a listened port (4789) still goes on to vxlan4-input with the UDP header consumed', async () => {
    const r = await send(CHAIN, frame({ dstMac: '02:00:00:00:01:02', src: '10.0.1.2', dst: '10.0.1.1', proto: 17, l4: udp(5000, 4789) }), R1_TAP1);
    expect(r.nodes).toContain('vxlan4-input');
    expect(r.line('ip4-udp-lookup')).toBe('  UDP: src-port 5000 dst-port 4789');
  });
});

// local_next_by_ip_protocol (lookup.c ip_lookup_init, 18.01 era): every protocol starts at
// IP_LOCAL_NEXT_PUNT, `ip4-punt` in the Contiv 18.01 fork's ip4-local; UDP and ICMP are set there and
// gre_input_init registers GRE (47) at init (gre/node.c, 17.x/18.01-era copy liangfudeng/vpp 667cdb51),
// so 47 is not "unregistered". A passing packet carries IP4_ERROR_UNKNOWN_PROTOCOL (ip4_error.h).
describe('ip4-local: a protocol nobody registered', () => {
  const toVpp = (proto: number) => frame({ dstMac: '02:00:00:00:01:02', src: '10.0.1.2', dst: '10.0.1.1', proto, l4: new Uint8Array(8) });

  it('(253, experimental) is punted: ip4-punt records it, error-punt prints `ip4-input: unknown ip protocol`', async () => {
    const r = await send(CHAIN, toVpp(253), R1_TAP1);
    expect(r.nodes.slice(-3)).toEqual(['ip4-local', 'ip4-punt', 'error-punt']);
    expect(r.line('error-punt')).toBe('  ip4-input: unknown ip protocol');
    expect(r.errors).toEqual([['ip4-input', [['unknown ip protocol', 1]]]]);
  });

  it('IPsec ESP (50), registered only with an IPsec tunnel interface, is punted too', async () => {
    const r = await send(CHAIN, toVpp(50), R1_TAP1);
    expect(r.nodes.slice(-2)).toEqual(['ip4-punt', 'error-punt']);
  });

  it('GRE (47) is registered (its gre4-input is not modelled, so where it ends is not asserted): it is not punted', async () => {
    const r = await send(CHAIN, toVpp(47), R1_TAP1);
    expect(r.nodes).toContain('ip4-local');
    expect(r.nodes).not.toContain('ip4-punt');
  });
});

describe('ip4-icmp-error with no IPv4 address on the RX interface', () => {
  const TAP2 = { instance: 'r1', interface: 'tap2' };
  const tcp = new Uint8Array(20);
  tcp[12] = 0x50;
  tcp[13] = 0x02;

  it('drops with the error the buffer already carried (ip4-input: ip4 ttl <= 1), after its own record', async () => {
    const expired = frame({ dstMac: '02:00:00:00:01:03', src: '10.1.1.12', dst: '10.0.2.2', proto: 6, ttl: 1, l4: tcp });
    const r = await send('test/vpp-model/scenarios/addressless-tap.yaml', expired, TAP2);
    expect(r.nodes.slice(-3)).toEqual(['ip4-rewrite', 'ip4-icmp-error', 'error-drop']);
    expect(r.line('error-drop')).toBe('  ip4-input: ip4 ttl <= 1');
    expect(r.errors).toEqual([['ip4-input', [['ip4 ttl <= 1', 1]]]]);
    expect(r.outputs).toEqual([]);
  });
});

// ip4_local_inline (vpp-dev/vpp src/vnet/ip/ip4_forward.c, Contiv 18.01 fork) with
// ip4_local_validate_l4 / ip4_tcp_udp_validate_checksum; strings from ip4_error.h (18.01 era):
// - TCP/UDP not yet L4_CHECKSUM_COMPUTED are checksummed (UDP checksum 0 = correct); UDP also needs
//   udp length <= IP total length; a failure is `bad tcp checksum` / `bad udp checksum` (the UDP_LENGTH
//   error is overwritten by the checksum one); dpdk-input's template flags say COMPUTED + CORRECT.
// - then the source: a receive DPO -> `ip4 spoofed local-address packet drops`, an empty uRPF list
//   (the default drop route) -> `ip4 source lookup miss`;
// - any error: next IP_LOCAL_NEXT_DROP = ip4-drop, error filed on ip4-input;
// - a fragment is protocol 0xfe, left at IP_LOCAL_NEXT_PUNT (lookup.c ip_lookup_init): ip4-punt
//   (ip4_punt_drop.c: record, then the punt arc's end, error-punt), still `unknown ip protocol`.
describe('ip4-local checks (packets from tap1, whose buffers carry no L4 checksum flags)', () => {
  const TO_VPP = { dstMac: '02:00:00:00:01:02', src: '10.0.1.2', dst: '10.0.1.1' } as const;
  const tcpSyn = () => {
    const t = new Uint8Array(20);
    setU16(t, 0, 40000);
    setU16(t, 2, 179);
    t[12] = 0x50;
    t[13] = 0x02;
    return t;
  };

  it('UDP with a right checksum is delivered to ip4-udp-lookup', async () => {
    const r = await send(CHAIN, withL4Checksum({ ...TO_VPP, proto: 17, l4: udp(5000, 53) }), R1_TAP1);
    expect(r.nodes).toContain('ip4-udp-lookup');
  });

  it('UDP with a wrong checksum goes to ip4-drop: `ip4-input: bad udp checksum`', async () => {
    const r = await send(CHAIN, withL4Checksum({ ...TO_VPP, proto: 17, l4: udp(5000, 53) }, 1), R1_TAP1);
    expect(r.nodes.slice(-3)).toEqual(['ip4-local', 'ip4-drop', 'error-drop']);
    expect(r.line('error-drop')).toBe('  ip4-input: bad udp checksum');
    expect(r.errors).toEqual([['ip4-input', [['bad udp checksum', 1]]]]);
  });

  it('a UDP length beyond the IP total length fails as `bad udp checksum`, even with checksum 0', async () => {
    const u = udp(5000, 53);
    setU16(u, 4, 20 + u.length + 1);
    const r = await send(CHAIN, frame({ ...TO_VPP, proto: 17, l4: u }), R1_TAP1);
    expect(r.line('error-drop')).toBe('  ip4-input: bad udp checksum');
  });

  it('a UDP length above the UDP payload but within the IP total length passes (compared with ip_len)', async () => {
    const u = udp(5000, 53);
    setU16(u, 4, 20 + u.length);
    const r = await send(CHAIN, frame({ ...TO_VPP, proto: 17, l4: u }), R1_TAP1);
    expect(r.nodes).toContain('ip4-udp-lookup');
  });

  it('TCP with a wrong checksum: `ip4-input: bad tcp checksum`', async () => {
    const r = await send(CHAIN, withL4Checksum({ ...TO_VPP, proto: 6, l4: tcpSyn() }, 1), R1_TAP1);
    expect(r.nodes.slice(-2)).toEqual(['ip4-drop', 'error-drop']);
    expect(r.line('error-drop')).toBe('  ip4-input: bad tcp checksum');
  });

  it('a source with no route (the FIB default drop route has no uRPF interface): `ip4-input: ip4 source lookup miss`', async () => {
    const r = await send(CHAIN, frame({ ...TO_VPP, src: '8.8.8.8', proto: 17, l4: udp(5000, 53) }), R1_TAP1);
    expect(r.nodes.slice(-3)).toEqual(['ip4-local', 'ip4-drop', 'error-drop']);
    expect(r.line('error-drop')).toBe('  ip4-input: ip4 source lookup miss');
  });

  it('VPP\'s own address as the source: `ip4-input: ip4 spoofed local-address packet drops`', async () => {
    const r = await send(CHAIN, frame({ ...TO_VPP, src: '10.9.0.1', proto: 17, l4: udp(5000, 53) }), R1_TAP1);
    expect(r.line('error-drop')).toBe('  ip4-input: ip4 spoofed local-address packet drops');
  });

  it('a UDP fragment is punted: ip4-punt, then error-punt `ip4-input: unknown ip protocol`', async () => {
    const r = await send(CHAIN, frame({ ...TO_VPP, fragment: 0x2000, proto: 17, l4: udp(5000, 53) }), R1_TAP1);
    expect(r.nodes.slice(-3)).toEqual(['ip4-local', 'ip4-punt', 'error-punt']);
    expect(r.line('ip4-punt')?.split('\n')[0]).toBe('    UDP: 10.0.1.2 -> 10.0.1.1');
    expect(r.line('error-punt')).toBe('  ip4-input: unknown ip protocol');
  });

  it('from a dpdk port (template flags l4-cksum-computed l4-cksum-correct) a wrong UDP checksum is not checked', async () => {
    const bad = withL4Checksum({ dstMac: '02:00:00:00:01:01', src: '10.9.0.2', dst: '10.9.0.1', proto: 17, l4: udp(5000, 53) }, 1);
    const r = await send(CHAIN, bad, { instance: 'r1', interface: 'GigabitEthernet0/8/0' });
    expect(r.nodes).toContain('ip4-udp-lookup');
    expect(r.nodes).not.toContain('ip4-drop');
  });
});
