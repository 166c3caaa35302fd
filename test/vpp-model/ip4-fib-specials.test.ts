// Every IPv4 FIB is created with VPP 18.01's special drop prefixes (src/vnet/fib/ip4_fib.c,
// ip4_specials: 0.0.0.0/0, 0.0.0.0/32, 240.0.0.0/4, 224.0.0.0/4, 255.255.255.255/32, all
// FIB_ENTRY_FLAG_DROP), so ip4-lookup never misses: an unrouted destination takes the IPv4 drop DPO
// (drop_dpo_get(DPO_PROTO_IP4): dpoi_index 0, so `dpo-idx 0`) to ip4-drop, which writes no error of
// its own (ip4_punt_drop.c / ip_drop_or_punt): error-drop shows the one ip4-input filed for the
// packet, IP4_ERROR_NONE `valid ip4 packets` (ip4_input.h: p0->error = errors[error0] always).
// Before, the model dropped in ip4-lookup under `ip4-input: ip4 destination lookup miss`.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType } from '../../harness/wire/packet.js';
import { InputError } from '../../harness/io/input-error.js';
import { VlibBuffer } from '../../models/vpp/buffer.js';
import { loadScenario } from '../../models/vpp/configure.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { tcpFrame, tcpFrameLength } from '../../bench/tcp-frame.js';

const CHAIN = fileURLToPath(new URL('./scenarios/routed-chain.yaml', import.meta.url));
const TAP1 = { instance: 'r1', interface: 'tap1' };

/** host-a's SYN from 10.0.1.2 on r1's tap1 (routed-chain.yaml) to `dst`. */
function syn(dst: string): Uint8Array {
  const s = {
    dstMac: Uint8Array.of(2, 0, 0, 0, 1, 2), srcMac: Uint8Array.of(2, 0, 0, 0, 0x0a, 0x0a), src: ip4ToU32('10.0.1.2'), dst: ip4ToU32(dst), ipId: 1, ttl: 64, df: true,
    sport: 40000, dport: 80, seq: 1, ack: 0, flags: 0x02, window: 29200, options: new Uint8Array(0), payload: new Uint8Array(0),
  };
  const b = new Uint8Array(tcpFrameLength(s));
  tcpFrame(b, s);
  return b;
}

async function send(dst: string, scenario = CHAIN, at = TAP1) {
  const inst = (await vppModel.instantiate(scenario)) as VppInstance;
  const { traces, outputs } = inst.inject({ data: syn(dst), meta: { linkType: LinkType.ETHERNET } }, at);
  const stages = traces[0].stages;
  const lines = (node: string) => stages.find((s) => s.node === node)?.lines.map((l) => l.trim());
  return {
    nodes: stages.map((s) => s.node),
    lookup: lines('ip4-lookup')?.[0],
    drop: lines('error-drop')?.[0],
    outputs: outputs.length,
    errors: [...inst.vm(at.instance).errorCounts].map(([node, byText]) => [node, [...byText]]),
  };
}

function scenarioFile(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'vpp-specials-')), 's.yaml');
  writeFileSync(f, text);
  return f;
}

describe('IPv4 FIB special prefixes', () => {
  it('an unrouted destination: ip4-lookup dpo-idx 0 -> ip4-drop -> error-drop ip4-input: valid ip4 packets', async () => {
    const r = await send('8.8.8.8');
    expect(r.nodes).toEqual(['virtio-input', 'ethernet-input', 'ip4-input', 'ip4-lookup', 'ip4-drop', 'error-drop']);
    expect(r.lookup).toBe('fib 0 dpo-idx 0 flow hash: 0x00000000');
    expect(r.drop).toBe('ip4-input: valid ip4 packets');
    expect(r.errors).toEqual([['ip4-input', [['valid ip4 packets', 1]]]]);
    expect(r.outputs).toBe(0);
  });

  it('each special prefix drops, at its edges too', async () => {
    for (const dst of ['0.0.0.0', '224.0.0.1', '239.255.255.255', '240.0.0.0', '254.1.2.3', '255.255.255.255']) {
      const r = await send(dst);
      expect(r.nodes.slice(3), dst).toEqual(['ip4-lookup', 'ip4-drop', 'error-drop']);
      expect(r.lookup, dst).toBe('fib 0 dpo-idx 0 flow hash: 0x00000000');
    }
  });

  it('configured routes still win over the default route', async () => {
    const r = await send('10.0.2.2');
    expect(r.nodes.slice(3)).toEqual(['ip4-lookup', 'ip4-rewrite', 'GigabitEthernet0/8/0-output', 'GigabitEthernet0/8/0-tx']);
    expect(r.lookup).toBe('fib 0 dpo-idx 5 flow hash: 0x00000000');
  });

  it('a FIB of another table gets them at creation too', async () => {
    const f = scenarioFile(`instances:
  r1:
    fibs: [{ table_id: 7, index: 3 }]
    interfaces:
      - { name: tap1, sw_if_index: 2, type: tap, mac: "02:00:00:00:01:02", addresses: [10.0.1.1/24], vrf: 7 }
`);
    const r = await send('8.8.8.8', f);
    expect(r.nodes.slice(3)).toEqual(['ip4-lookup', 'ip4-drop', 'error-drop']);
    expect(r.lookup).toBe('fib 3 dpo-idx 0 flow hash: 0x00000000');
  });

  it('a configured default route takes over 0.0.0.0/0', async () => {
    const f = scenarioFile(`instances:
  r1:
    interfaces:
      - { name: tap1, sw_if_index: 2, type: tap, mac: "02:00:00:00:01:02", addresses: [10.0.1.1/24] }
    neighbors:
      - { interface: tap1, ip: 10.0.1.2, mac: "02:00:00:00:0a:0a", adj_index: 6 }
    routes:
      - { prefix: 0.0.0.0/0, via: 10.0.1.2, interface: tap1 }
`);
    const r = await send('8.8.8.8', f);
    expect(r.lookup).toBe('fib 0 dpo-idx 6 flow hash: 0x00000000');
    expect(r.nodes.slice(4, 5)).toEqual(['ip4-rewrite']);
  });

  it('a next hop covered only by a special prefix does not resolve a route', () => {
    const f = scenarioFile(`instances:
  r1:
    interfaces:
      - { name: tap1, sw_if_index: 2, type: tap, mac: "02:00:00:00:01:02", addresses: [10.0.1.1/24] }
    routes:
      - { prefix: 10.5.0.0/16, via: 8.8.8.8 }
`);
    expect(() => loadScenario(f)).toThrow(InputError);
    expect(() => loadScenario(f)).toThrow(/next hop 8.8.8.8 does not resolve/);
  });

  it('a lookup in a FIB index with no table is a model error, not a VPP drop', async () => {
    const inst = (await vppModel.instantiate(CHAIN)) as VppInstance;
    const vm = inst.vm('r1');
    const b = VlibBuffer.fromFrame(syn('8.8.8.8'));
    b.advance(14);
    b.rxSwIfIndex = 2;
    b.txSwIfIndex = 42; // a FIB index (NAT's use of the TX slot) that names no table
    expect(() => vm.nodes.get('ip4-lookup')!.process(vm, b)).toThrow(/no entry for 8\.8\.8\.8 in FIB index 42: no such FIB/);
  });
});
