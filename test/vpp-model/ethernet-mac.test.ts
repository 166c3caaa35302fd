// ethernet-input's L3 "my MAC" filter (VPP 18.01 ethernet_input_inline): on an L3 interface a
// unicast frame to another MAC is dropped as `l3 mac mismatch` before its ethertype is looked at;
// broadcast and multicast (group bit set) pass. tap2 of the pod-to-service scenario is 02:fe:16:3f:5f:0f.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { fromHex } from '../../harness/wire/bytes.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ethertypeNotModelled, RUNT_ERROR } from '../../models/vpp/nodes/ethernet-input.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const CONTIV = fileURLToPath(new URL('../../fixtures/contiv/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };

/** The bench's SYN from the pod to the service VIP, with its destination MAC (and ethertype) replaced. */
function frame(dstMac: string, ethertype = 0x0800): Uint8Array {
  const data = new Uint8Array(74);
  synFrame(data, ip4ToU32('10.1.1.3'), 40000);
  data.set(fromHex(dstMac.replaceAll(':', '')), 0);
  data[12] = ethertype >> 8;
  data[13] = ethertype & 0xff;
  return data;
}

async function run(data: Uint8Array, scenario = SCENARIO, at: { instance: string; interface: string } = AT) {
  const inst = (await vppModel.instantiate(scenario)) as VppInstance;
  const { traces, outputs } = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } }, at);
  const stages = traces[0].stages;
  return {
    nodes: stages.map((s) => s.node),
    drop: stages.find((s) => s.node === 'error-drop')?.lines.join('\n'),
    outputs: outputs.length,
    errors: [...inst.vm(at.instance).errorCounts].map(([node, byText]) => [node, [...byText]]),
  };
}

describe('ethernet-input destination MAC check', () => {
  it("the interface's own MAC is routed (the seed's frames)", async () => {
    const r = await run(frame('02:fe:16:3f:5f:0f'));
    expect(r.nodes.slice(0, 3)).toEqual(['virtio-input', 'ethernet-input', 'ip4-input']);
    expect(r.outputs).toBe(1);
  });

  it('a unicast frame to another MAC is dropped as l3 mac mismatch, its ethernet-input record kept', async () => {
    const r = await run(frame('02:fe:00:00:00:99'));
    expect(r.nodes).toEqual(['virtio-input', 'ethernet-input', 'error-drop']);
    expect(r.drop).toContain('ethernet-input: l3 mac mismatch');
    expect(r.outputs).toBe(0);
    expect(r.errors).toEqual([['ethernet-input', [['l3 mac mismatch', 1]]]]);
  });

  it('every byte of the MAC counts', async () => {
    for (let i = 0; i < 6; i++) {
      const mac = [0x02, 0xfe, 0x16, 0x3f, 0x5f, 0x0f];
      mac[i] ^= i === 0 ? 0x04 : 0x01; // byte 0: flip a bit other than the group bit
      const r = await run(frame(mac.map((x) => x.toString(16).padStart(2, '0')).join(':')));
      expect(r.nodes.at(-1), `byte ${i}`).toBe('error-drop');
    }
  });

  it('broadcast, multicast and any destination with the group bit set pass', async () => {
    for (const mac of ['ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '03:fe:16:3f:5f:0f']) {
      const r = await run(frame(mac));
      expect(r.nodes.slice(0, 3), mac).toEqual(['virtio-input', 'ethernet-input', 'ip4-input']);
    }
  });

  // ARP is registered (ethernet_arp_init: ethernet_register_input_type (vm, ETHERNET_TYPE_ARP,
  // arp_input_node.index)): to our MAC it goes to arp-input, which the model stops at, "(model)".
  it('the MAC is checked before the ethertype: ARP to a foreign MAC is a mismatch, to ours for arp-input', async () => {
    expect((await run(frame('02:fe:00:00:00:99', 0x0806))).errors).toEqual([['ethernet-input', [['l3 mac mismatch', 1]]]]);
    expect((await run(frame('02:fe:16:3f:5f:0f', 0x0806))).errors).toEqual([['ethernet-input', [[ethertypeNotModelled(0x0806, 'arp-input'), 1]]]]);
  });

  // determine_next_node (18.01 ethernet/node.c): an ethertype nobody registered misses the sparse
  // vector (ETHERNET_ERROR_UNKNOWN_TYPE) and takes its slot 0, ETHERNET_INPUT_NEXT_PUNT = error-punt;
  // a type field below 0x600 is an 802.3 length: llc-input, not modelled.
  it('an unregistered ethertype is punted (error-punt), an 802.3 length goes to llc-input', async () => {
    const punted = await run(frame('02:fe:16:3f:5f:0f', 0x88b5));
    expect(punted.nodes).toEqual(['virtio-input', 'ethernet-input', 'error-punt']);
    expect(punted.errors).toEqual([['ethernet-input', [['unknown ethernet type', 1]]]]);
    expect((await run(frame('02:fe:16:3f:5f:0f', 0x0040))).errors).toEqual([['ethernet-input', [[ethertypeNotModelled(0x0040, 'llc-input'), 1]]]]);
    expect(ethertypeNotModelled(0x0040, 'llc-input')).toMatch(/\(model\)$/);
  });

  it('a frame shorter than an Ethernet header is dropped under a model-named error, not a VPP counter', async () => {
    const r = await run(frame('02:fe:16:3f:5f:0f').subarray(0, 10));
    expect(r.errors).toEqual([['ethernet-input', [[RUNT_ERROR, 1]]]]);
  });

  // An interface in L2 mode (here the bridge port loop0 of the Contiv scenario) hands every untagged
  // frame to l2-input with its header (18.01 ethernet_input_inline, untagged fast path: `next0 =
  // em->l2_next; vnet_buffer (b0)->l2.l2_len = sizeof (ethernet_header_t)`): no MAC filter, no
  // ethertype look-up.
  it('an interface in L2 mode takes any destination and bridges it: l2-input, not ip4-input', async () => {
    const r = await run(frame('02:fe:00:00:00:99'), CONTIV, { instance: 'k8s-master', interface: 'loop0' });
    expect(r.nodes.slice(0, 2)).toEqual(['ethernet-input', 'l2-input']);
    expect(r.errors.map(([node]) => node)).not.toContain('ethernet-input');
  });

  it('an interface without a MAC (VPP: no hardware address) takes any destination', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dpconform-mac-'));
    try {
      const file = join(dir, 'no-mac.yaml');
      await writeFile(file, 'instances:\n  r1:\n    interfaces:\n      - { name: tap2, sw_if_index: 1, type: tap, addresses: [10.1.1.1/24] }\n');
      const r = await run(frame('02:fe:00:00:00:99'), file, { instance: 'r1', interface: 'tap2' });
      expect(r.nodes.slice(0, 3)).toEqual(['virtio-input', 'ethernet-input', 'ip4-input']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // A tagged frame on an interface without sub-interfaces matches no sub-interface and is dropped as
  // `unknown vlan` before any MAC check (eth_identify_subint, 18.01-era ethernet.h; ethernet-vlan.test.ts).
  it('a VLAN-tagged frame to a foreign MAC is an unknown vlan, not a MAC mismatch', async () => {
    expect((await run(frame('02:fe:00:00:00:99', 0x8100))).errors).toEqual([['ethernet-input', [['unknown vlan', 1]]]]);
  });
});
