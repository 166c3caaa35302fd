// Header formatters and node kinds the seed does not show, against vpp-facts examples and quirks.

import { describe, expect, it } from 'vitest';
import { fragmentLineText, formatIp4, ip4FromBytes, parseIp4 } from '../../harness/vpp-trace/format/ip4.js';
import { formatEthLine, parseEthLine } from '../../harness/vpp-trace/format/ethernet.js';
import { formatIcmp, parseIcmp } from '../../harness/vpp-trace/format/icmp.js';
import { formatIp6, parseIp6 } from '../../harness/vpp-trace/format/ip6.js';
import { formatHexDump, parseHexDump } from '../../harness/vpp-trace/format/hexdump.js';
import { formatHeaders, headersFromBytes, parseHeaders } from '../../harness/vpp-trace/format/headers.js';
import { dec, hexw } from '../../harness/vpp-trace/format/vppinfra.js';
import { recordToStage, lookupNode } from '../../harness/vpp-trace/nodes/index.js';
import { fromHex } from '../../harness/wire/bytes.js';

describe('vppinfra semantics', () => {
  it('u32 ~0 prints -1; widths are a maximum too', () => {
    expect(dec(0xffffffff)).toBe('-1');
    expect(hexw(0x123, 2)).toBe('12');
    expect(hexw(0xa, 4)).toBe('000a');
  });
});

describe('IPv4', () => {
  const base = { kind: 'ip4' as const, protocol: 6, src: '10.0.0.1', dst: '10.0.0.2', version: 4, headerLength: 20, tos: 0, ttl: 64, length: 60, checksum: 0x1234, id: 0x1234 };
  it('fragment line reproduces the v18.01 XOR bug', () => {
    expect(fragmentLineText(0x309f, 0x4000)).toBe('fragment id 0x309f, flags DONT_FRAGMENT');
    expect(fragmentLineText(0, 0)).toBe('fragment id 0x0000');
    expect(fragmentLineText(0x1234, 185)).toBe('fragment id 0x1234 offset 1480, flags ');
    // offset >= 8192 bytes: offset bits toggle the printed flags
    expect(fragmentLineText(1, 1024)).toBe('fragment id 0x0001 offset 8192, flags MORE_FRAGMENTS');
    expect(fragmentLineText(1, 0x2000 | 1024)).toBe('fragment id 0x0001 offset 8192, flags ');
  });
  it('fragment flags parse back to the raw word', () => {
    for (const fo of [0, 0x4000, 0x2000 | 185, 185, 0x2000 | 1024, 0x8000 | 0x4000 | 7]) {
      const lines = formatIp4({ ...base, flagsOffset: fo }, 2);
      expect(parseIp4(lines.map((l) => l.trim()), 0)!.h.flagsOffset).toBe(fo);
    }
  });
  it('(should be ...) computed from bytes, and a version/header-length line for IHL != 5', () => {
    const b = fromHex('4500003c309f40003f06f4020a01010c0a01020d');
    expect(ip4FromBytes(b)!.checksumShouldBe).toBeUndefined();
    b[11] ^= 1;
    const h = ip4FromBytes(b)!;
    expect(formatIp4(h, 2)[1]).toBe('    tos 0x00, ttl 63, length 60, checksum 0xf403 (should be 0xf402)');
    expect(formatIp4({ ...h, headerLength: 24 }, 0)[1]).toBe('  version 4, header length 24');
  });
});

describe('other headers', () => {
  it('Ethernet VLAN label follows the first tag', () => {
    const h = { kind: 'eth' as const, type: 0x0800, src: '00:00:00:00:00:01', dst: '00:00:00:00:00:02', vlans: [{ tpid: 0x88a8, tci: 100 }, { tpid: 0x8100, tci: (3 << 13) | 200 }] };
    const line = formatEthLine(h);
    expect(line).toBe('IP4: 00:00:00:00:00:01 -> 00:00:00:00:00:02 802.1ad vlan 100 802.1ad vlan 200 priority 3');
    expect(formatEthLine(parseEthLine(line)!)).toBe(line);
    expect(formatEthLine({ ...h, vlans: undefined, type: 0x1234 })).toBe('0x1234: 00:00:00:00:00:01 -> 00:00:00:00:00:02');
  });
  it('ICMP checksum unpadded, codes only when named, ICMPv6 prints ICMP', () => {
    expect(formatIcmp({ kind: 'icmp', v6: false, type: 11, code: 0, checksum: 0xf4ff }, 0)).toEqual(['ICMP time_exceeded ttl_exceeded_in_transit checksum 0xf4ff']);
    expect(formatIcmp({ kind: 'icmp', v6: false, type: 8, code: 0, checksum: 0xabc }, 0)).toEqual(['ICMP echo_request checksum 0xabc']);
    expect(formatIcmp({ kind: 'icmp', v6: false, type: 42, code: 0, checksum: 1 }, 0)).toEqual(['ICMP unknown 0x2a checksum 0x1']);
    const ns = formatIcmp({ kind: 'icmp', v6: true, type: 135, code: 0, checksum: 0x1234, target: '2001:db8::1' }, 2);
    expect(ns).toEqual(['  ICMP neighbor_solicitation checksum 0x1234', '    target address 2001:db8::1']);
    expect(parseIcmp(ns.map((l) => l.trim()), 0, true)!.h.target).toBe('2001:db8::1');
  });
  it('IPv6 lines', () => {
    const h = { kind: 'ip6' as const, protocol: 58, src: '2001:db8::1', dst: '3001::2', version: 6, trafficClass: 0, flowLabel: 0x12345, hopLimit: 64, payloadLength: 64 };
    const l = formatIp6(h, 2);
    expect(l).toEqual(['  ICMP6: 2001:db8::1 -> 3001::2', '    tos 0x00, flow label 0x12345, hop limit 64, payload length 64']);
    expect(parseIp6(l.map((x) => x.trim()), 0)!.h).toEqual(h);
  });
  it('hex dump: contiguous up to 32 bytes, offset groups above', () => {
    expect(formatHexDump(new Uint8Array(0), 2)).toEqual(['  ']);
    expect(formatHexDump(fromHex('0102'), 2)).toEqual(['  0102']);
    const d = formatHexDump(new Uint8Array(60), 2);
    expect(d.map((l) => l.slice(0, 12))).toEqual(['  00000000: ', '  00000020: ']);
    expect(parseHexDump(d.map((l) => l.trim()), 0)!.bytes.length).toBe(60);
  });
  it('headersFromBytes follows VPP recursion (max length), and parses back', () => {
    const frame = fromHex('00000000000202fe4784045d08004500003c309f40003e06f5020a01010c0a01020dee441f90d26ce55100000000a002721023370000020405b40402');
    const chain = headersFromBytes(frame, 0, 'eth', 124);
    const text = formatHeaders(chain, 2);
    expect(text).toEqual([
      '  IP4: 02:fe:47:84:04:5d -> 00:00:00:00:00:02',
      '  TCP: 10.1.1.12 -> 10.1.2.13',
      '    tos 0x00, ttl 62, length 60, checksum 0xf502',
      '    fragment id 0x309f, flags DONT_FRAGMENT',
      '  TCP: 60996 -> 8080',
      '    seq. 0xd26ce551 ack 0x00000000',
      '    flags 0x02 SYN, tcp header: 40 bytes',
      '    window 29200, checksum 0x2337',
    ]);
    expect(parseHeaders(text.map((l) => l.trim()), 0, 'eth').headers).toEqual(chain);
    expect(formatHeaders(headersFromBytes(frame, 0, 'eth'), 2)).toHaveLength(1); // ethernet-input: no max
    expect(formatHeaders(headersFromBytes(frame, 14, 'ip4', 30), 0).at(-1)).toBe('TCP header truncated');
  });
});

describe('node kinds not in the seed', () => {
  const roundTrip = (node: string, lines: string[]) => {
    const e = lookupNode(node)!;
    expect(e).toBeDefined();
    expect(e.kind.format(e.kind.parse(lines), e.column)).toEqual(lines);
    return recordToStage(node, e.kind.parse(lines));
  };
  it('tapcli-rx, af-packet-input, error-drop, fip64, vxlan decap error, nat44 reass/handoff, l2-flood', () => {
    expect(roundTrip('tapcli-rx', ['  tapcli-2']).fields).toEqual({ interface: 'tapcli-2' });
    roundTrip('af-packet-input', [
      '  af_packet: hw_if_index 1 next-index 4',
      '    tpacket2_hdr:',
      '      status 0x20000001 len 98 snaplen 98 mac 66 net 80',
      '      sec 0x5b60e370 nsec 0x3af2736f vlan 0 vlan_tpid 0',
    ]);
    expect(roundTrip('error-drop', ['  acl-plugin-in-ip4-fa: ACL deny packets']).fields).toEqual({ error_node: 'acl-plugin-in-ip4-fa', error: 'ACL deny packets' });
    expect(roundTrip('ip6-fip64', ['  source: 3001::1 -> 10.0.0.100', '    dest: 2001:db8::1 -> 192.168.1.5', 'table_id: 5']).fields).toMatchObject({ table_id: 5 });
    roundTrip('vxlan4-input', ['  VXLAN decap error - tunnel for vni 10 does not exist']);
    roundTrip('nat44-in2out-reass', ['  NAT44_IN2OUT_REASS: sw_if_index 1, next index 0, status cached']);
    roundTrip('nat44-in2out-worker-handoff', ['  NAT44_IN2OUT_WORKER_HANDOFF: next worker 1']);
    roundTrip('l2-flood', ['  l2-flood: sw_if_index 3 dst ff:ff:ff:ff:ff:ff src 1a:2b:3c:4d:5e:01 bd_index 1']);
    roundTrip('ip4-rewrite', ['  tx_sw_if_index 1 dpo-idx 2 : ipv4-glean: loop0 flow hash: 0x00000000', '  ']);
  });
  it('recordToStage refuses an unknown node', () => {
    expect(() => recordToStage('no-such-node', { ifName: 'x' })).toThrow(/no trace record kind/);
  });
});
