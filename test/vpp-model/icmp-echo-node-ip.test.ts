// The other Contiv node pings k8s-master's node IP (192.168.16.1, GigabitEthernet0/8/0: NAT44 output
// feature, so nat44-out2in on input, and an address-only identity mapping of the node IP).
// - nat44-out2in, icmp_match_out2in_slow (vpp-dev/vpp src/plugins/nat/out2in.c @ 0d305478): no
//   session, but snat_static_mapping_match finds the identity mapping and the echo request is allowed
//   for an address-only one; create_session_for_static_mapping makes session 0 and icmp_out2in
//   "translates" 192.168.16.1 to itself. It never sets VNET_BUFFER_F_IS_NATED, so ip4-local runs its
//   checks and hands the message to ip4-icmp-input: VPP answers (ip4-icmp-echo-request, icmp4.c).
// - The reply (RX local0) leaves by GigabitEthernet0/8/0's ip4-output arc: nat44-in2out-output sends
//   ICMP to its slow path, where icmp_match_in2out_slow (in2out.c @ 2994d210) finds the session's
//   in2out key {192.168.16.1, identifier, ICMP, FIB 0} and translates to itself: session 0, next 0.
// - k8s-worker1 receives a reply no `ping` of its own asked for: ip4-icmp-echo-reply (ping.c) punts it.

import { describe, expect, it } from 'vitest';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ethernet, icmpEchoRequest, ip4Header } from './frame-builders.js';

const CLUSTER = 'fixtures/contiv/scenario.yaml';
const WORKER_MAC = '08:00:27:a2:a4:50';
const MASTER_MAC = '08:00:27:72:95:8d';

function echoRequestFrame(): Uint8Array {
  const icmp = icmpEchoRequest(0x2a, 7);
  const ip = ip4Header('192.168.16.2', '192.168.16.1', 1, icmp.length);
  const packet = new Uint8Array(ip.length + icmp.length);
  packet.set(ip);
  packet.set(icmp, ip.length);
  return ethernet(MASTER_MAC, WORKER_MAC, 0x0800, packet);
}

async function ping() {
  const inst = (await vppModel.instantiate(CLUSTER)) as VppInstance;
  const r = inst.inject({ data: echoRequestFrame(), meta: { linkType: 1 } }, { instance: 'k8s-master', interface: 'GigabitEthernet0/8/0' });
  return { traces: r.traces.map((t) => t.stages), outputs: r.outputs.map((p) => `${inst.instanceOf(p)}/${p.meta.interfaceName}`) };
}

describe('an echo request to a Contiv node IP (identity-mapped by NAT44)', () => {
  it('nat44-out2in makes an identity session, ip4-local delivers it and VPP answers', async () => {
    const { traces } = await ping();
    const master = traces[0];
    expect(master.map((s) => s.node)).toEqual([
      'dpdk-input', 'ip4-input', 'acl-plugin-in-ip4-fa', 'nat44-out2in', 'ip4-lookup', 'ip4-local', 'ip4-icmp-input',
      'ip4-icmp-echo-request', 'ip4-load-balance', 'ip4-rewrite', 'acl-plugin-out-ip4-fa', 'nat44-in2out-output',
      'nat44-in2out-output-slowpath', 'GigabitEthernet0/8/0-output', 'GigabitEthernet0/8/0-tx',
    ]);
    const line = (node: string) => master.find((s) => s.node === node)!.lines[0].trim();
    expect(line('nat44-out2in')).toBe('NAT44_OUT2IN: sw_if_index 1, next index 1, session index 0');
    expect(line('nat44-in2out-output')).toBe('NAT44_IN2OUT_FAST_PATH: sw_if_index 0, next index 3, session -1');
    expect(line('nat44-in2out-output-slowpath')).toBe('NAT44_IN2OUT_SLOW_PATH: sw_if_index 0, next index 0, session 0');
    const reply = master.find((s) => s.node === 'GigabitEthernet0/8/0-output')!.fields;
    expect([reply['ip4.src'], reply['ip4.dst'], reply['ip4.ttl']]).toEqual(['192.168.16.1', '192.168.16.2', 64]);
    // icmp_in2out leaves the buffer unflagged: the tx dump prints no `nated`.
    const tx = master.find((s) => s.node === 'GigabitEthernet0/8/0-tx')!.lines.join('\n');
    expect(tx).not.toContain('nated');
  });

  it('the reply reaches k8s-worker1, which has no ping run for it: ip4-icmp-echo-reply punts it', async () => {
    const { traces, outputs } = await ping();
    expect(outputs).toEqual(['k8s-master/GigabitEthernet0/8/0']);
    const worker = traces[1];
    expect(worker.slice(-4).map((s) => s.node)).toEqual(['ip4-local', 'ip4-icmp-input', 'ip4-icmp-echo-reply', 'error-punt']);
    expect(worker.at(-2)!.lines).toEqual(['  ICMP echo id 42 seq 7 (unknown)']);
    expect(worker.at(-1)!.lines).toEqual(['  ip4-icmp-input: unknown type']);
  });
});
