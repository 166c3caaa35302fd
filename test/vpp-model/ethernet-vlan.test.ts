// ethernet-input's tagged slow path in 18.01 (17.x/18.01-era src/vnet/ethernet/node.c parse_header,
// identify_subint, ethernet_sw_interface_add_del; ethernet.h eth_identify_subint; liangfudeng/vpp
// 667cdb51), on an L3 interface with no sub-interfaces:
//  - tag ethertypes are 0x8100, 0x88a8, 0x9100, 0x9200 (ethernet_frame_is_tagged); a second or third
//    tag counts only when the ethertype after a tag is 0x8100;
//  - the main interface's untagged config (VALID | MATCH_0_TAG) matches only a single tag with VLAN
//    id 0, for which parse_header clears MATCH_1_TAG: that frame is taken as untagged (my-MAC check,
//    then its inner ethertype);
//  - everything else matches no sub-interface: ETHERNET_ERROR_UNKNOWN_VLAN, "unknown vlan", drop,
//    with no MAC check (identify_subint filters only on a match).
// Frames are the bench's SYN from pod 10.1.1.3 to the service VIP, into tap2 (MAC 02:fe:16:3f:5f:0f).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { fromHex } from '../../harness/wire/bytes.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { synFrame } from '../../bench/replay.js';

const SCENARIO = fileURLToPath(new URL('../../fixtures/contiv/pod-to-service-same-node/scenario.yaml', import.meta.url));
const AT = { instance: 'k8s-master', interface: 'tap2' };
const OWN_MAC = '02:fe:16:3f:5f:0f';
const FOREIGN_MAC = '02:fe:00:00:00:99';

/** The SYN to `dstMac` with `tags` ([tpid, tci] pairs) between the source MAC and the IPv4 ethertype. */
function tagged(dstMac: string, tags: [number, number][]): Uint8Array {
  const plain = new Uint8Array(74);
  synFrame(plain, ip4ToU32('10.1.1.3'), 40000);
  plain.set(fromHex(dstMac.replaceAll(':', '')), 0);
  const out = new Uint8Array(plain.length + 4 * tags.length);
  out.set(plain.subarray(0, 12));
  tags.forEach(([tpid, tci], i) => out.set([tpid >> 8, tpid & 0xff, tci >> 8, tci & 0xff], 12 + 4 * i));
  out.set(plain.subarray(12), 12 + 4 * tags.length);
  return out;
}

async function run(data: Uint8Array) {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  const { traces, outputs } = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } }, AT);
  return {
    nodes: traces[0].stages.map((s) => s.node),
    outputs: outputs.length,
    errors: [...inst.vm(AT.instance).errorCounts].map(([node, byText]) => [node, [...byText]]),
  };
}

const UNKNOWN_VLAN = [['ethernet-input', [['unknown vlan', 1]]]];

describe('ethernet-input: tagged frames on an interface without sub-interfaces', () => {
  it.each([
    ['802.1Q VLAN 100', [[0x8100, 100]]],
    ['802.1ad VLAN 100', [[0x88a8, 100]]],
    ['0x9200 VLAN 100', [[0x9200, 100]]],
    ['two tags (QinQ 100/200)', [[0x88a8, 100], [0x8100, 200]]],
    ['two tags with outer VLAN 0', [[0x8100, 0], [0x8100, 200]]],
    ['three tags', [[0x8100, 100], [0x8100, 200], [0x8100, 300]]],
  ] as [string, [number, number][]][])('%s to our MAC: dropped as unknown vlan', async (_name, tags) => {
    const r = await run(tagged(OWN_MAC, tags));
    expect(r.nodes).toEqual(['virtio-input', 'ethernet-input', 'error-drop']);
    expect(r.errors).toEqual(UNKNOWN_VLAN);
  });

  it('a priority tag (VLAN 0, priority 5) to our MAC is taken as untagged and routed', async () => {
    const r = await run(tagged(OWN_MAC, [[0x8100, 0xa000]]));
    expect(r.nodes.slice(0, 3)).toEqual(['virtio-input', 'ethernet-input', 'ip4-input']);
    expect(r.errors).toEqual([]);
    expect(r.outputs).toBe(1);
  });

  it('a priority tag to a foreign MAC then fails the my-MAC filter', async () => {
    const r = await run(tagged(FOREIGN_MAC, [[0x8100, 0]]));
    expect(r.errors).toEqual([['ethernet-input', [['l3 mac mismatch', 1]]]]);
  });

  it('an ethertype after one tag that is not 802.1Q is not a second tag (802.1ad inner: a priority-tagged frame of unknown type, punted)', async () => {
    const data = tagged(OWN_MAC, [[0x8100, 0]]);
    data[16] = 0x88;
    data[17] = 0xa8;
    const r = await run(data);
    expect(r.nodes.at(-1)).toBe('error-punt');
    expect(r.errors).toEqual([['ethernet-input', [['unknown ethernet type', 1]]]]);
  });
});
