// Typed fields per node kind, on real seed-004 stages (and the facts' examples for kinds the seed lacks).

import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../harness/vpp-trace/parse.js';
import { allPackets } from '../../harness/vpp-trace/trace-file.js';
import { seedBlocks } from './seed.js';
import type { VppStage } from '../../harness/vpp-trace/nodes/index.js';

const blocks = seedBlocks();
/** Block 2: pod to pod across nodes, SYN seen on the client's node then the server's node. */
const [client, server] = [...allPackets(parseTrace(blocks[2].text))];
const at = (p: { stages: VppStage[] }, node: string, nth = 0) => p.stages.filter((s) => s.node === node)[nth];

describe('typed fields per node kind (seed 004 block 2)', () => {
  it('virtio-input', () => {
    expect(at(client, 'virtio-input').fields).toMatchObject({ hw_if_index: 7, next_index: 4, vring: 0, len: 74, 'hdr.num_buffers': 1 });
  });
  it('ethernet-input', () => {
    expect(at(client, 'ethernet-input').fields).toMatchObject({ 'eth.type': 0x0800, 'eth.src': '00:00:00:00:00:02', 'eth.dst': '02:fe:69:99:eb:9d' });
  });
  it('ip4-input (IPv4 + TCP)', () => {
    expect(at(client, 'ip4-input').fields).toMatchObject({
      'ip4.src': '10.1.1.12', 'ip4.dst': '10.1.2.13', 'ip4.ttl': 64, 'ip4.checksum': 0xf302, 'ip4.id': 0x309f, 'ip4.flags': 0x4000,
      'ip4.frag_offset': 0, 'ip4.length': 60, 'ip4.checksum_should_be': null,
      'tcp.src_port': 60996, 'tcp.dst_port': 8080, 'tcp.seq': 0xd26ce551, 'tcp.flags': 0x02, 'tcp.header_length': 40, 'tcp.window': 29200, 'tcp.checksum': 0x2337,
    });
  });
  it('acl-plugin-in-ip4-fa / -out-ip4-fa / -in-ip4-l2', () => {
    expect(at(client, 'acl-plugin-in-ip4-fa').fields).toMatchObject({
      sw_if_index: 7, next_index: 1, action: 2, acl: 1, rule: 0, trace_bits: 0, direction: 'input', lsb16: 7, proto: 6, l4_valid: 1,
      port0: 60996, port1: 8080, tcp_flags_valid: true, tcp_flags: 2, 'pkt_info.1': 0x0c01010a00000000n, 'pkt_info.5': 0x0702ffff00000007n,
    });
    expect(at(client, 'acl-plugin-out-ip4-fa', 1).fields).toMatchObject({ sw_if_index: 1, next_index: 2, acl: 2, rule: 7, direction: 'output', proto: 17, tcp_flags_valid: false });
    expect(at(client, 'acl-plugin-in-ip4-l2').fields).toMatchObject({ sw_if_index: 3, next_index: 5 });
  });
  it('nat44-out2in / -in2out-output / -slowpath', () => {
    expect(at(client, 'nat44-out2in').fields).toMatchObject({ tag: 'NAT44_OUT2IN', sw_if_index: 7, next_index: 1, session_index: -1 });
    expect(at(client, 'nat44-in2out-output').fields).toMatchObject({ tag: 'NAT44_IN2OUT_FAST_PATH', next_index: 3, session_index: -1 });
    expect(at(client, 'nat44-in2out-output-slowpath').fields).toMatchObject({ tag: 'NAT44_IN2OUT_SLOW_PATH', session_index: 0 });
    expect(at(server, 'nat44-out2in').fields).toMatchObject({ session_index: 7 });
  });
  it('ip4-lookup / ip4-load-balance (leftover flow hash, fib = tunnel sw_if_index)', () => {
    expect(at(client, 'ip4-lookup').fields).toMatchObject({ fib: 0, dpo_idx: 28, flow_hash: 0 });
    expect(at(client, 'ip4-load-balance', 1).fields).toMatchObject({ fib: 5, dpo_idx: 27, flow_hash: 1, 'udp.src_port': 50038, 'udp.dst_port': 4789, 'ip4.ttl': 254, 'ip4.checksum': 0x1b2b });
  });
  it('ip4-rewrite (adjacency, flow hash, dump)', () => {
    expect(at(client, 'ip4-rewrite').fields).toMatchObject({
      tx_sw_if_index: 3, dpo_idx: 7, 'adj.kind': 'rewrite', 'adj.link': 'ipv4', 'adj.next_hop': '192.168.30.2', 'adj.if': 'loop0',
      'adj.rewrite': '1a2b3c4d5e021a2b3c4d5e010800', flow_hash: 0,
    });
    expect((at(client, 'ip4-rewrite').fields.dump as string).length).toBe(120);
  });
  it('loop0-output / GigabitEthernet0/8/0-output', () => {
    expect(at(client, 'loop0-output').fields).toMatchObject({ interface: 'loop0', 'eth.src': '1a:2b:3c:4d:5e:01', 'ip4.ttl': 63, 'ip4.checksum': 0xf402 });
    expect(at(client, 'GigabitEthernet0/8/0-output').fields).toMatchObject({ interface: 'GigabitEthernet0/8/0', 'ip4.ttl': 253, 'udp.length': 90 });
  });
  it('l2-input / l2-input-classify / l2-fwd / l2-output', () => {
    expect(at(client, 'l2-input').fields).toMatchObject({ sw_if_index: 3, 'eth.dst': '1a:2b:3c:4d:5e:02', 'eth.src': '1a:2b:3c:4d:5e:01' });
    expect(at(client, 'l2-input-classify').fields).toMatchObject({ sw_if_index: 3, table: 35, offset: 0, next: 18 });
    expect(at(client, 'l2-fwd').fields).toMatchObject({ sw_if_index: 3, bd_index: 1 });
    expect(at(client, 'l2-output').fields).toMatchObject({ sw_if_index: 5, data: '08004500003c309f40003f06' });
  });
  it('vxlan4-encap / vxlan4-input', () => {
    expect(at(client, 'vxlan4-encap').fields).toEqual({ tunnel: 0, vni: 10 });
    expect(at(server, 'vxlan4-input').fields).toEqual({ tunnel: 0, vni: 10, next: 1, error: 0 });
  });
  it('GigabitEthernet0/8/0-tx / dpdk-input (buffer + mbuf)', () => {
    expect(at(client, 'GigabitEthernet0/8/0-tx').fields).toMatchObject({
      direction: 'tx', queue: 0, buffer_index: 0x1b3cf, current_data: -50, length: 124, trace_index: 0x18, buffer_flags: 'nated',
      l2_hdr_offset: 0, l3_hdr_offset: 14, 'mbuf.port': 65535, 'mbuf.data_off': 78, 'ip4.ttl': 253,
    });
    expect(at(server, 'dpdk-input').fields).toMatchObject({ direction: 'rx', buffer_flags: 'l4-cksum-computed l4-cksum-correct', current_data: 14, 'mbuf.data_off': 128 });
  });
  it('ip4-local (column 4) / ip4-udp-lookup', () => {
    expect(at(server, 'ip4-local').fields).toMatchObject({ 'ip4.src': '192.168.16.1', 'udp.dst_port': 4789 });
    expect(at(server, 'ip4-local').lines[0]).toBe('    UDP: 192.168.16.1 -> 192.168.16.2');
    expect(at(server, 'ip4-udp-lookup').fields).toEqual({ 'udp.src_port': 50038, 'udp.dst_port': 4789, no_listener: false });
  });
});
