// l2-input-classify picks the interface's classify table by ethertype (l2_input_classify_node_fn,
// src/vnet/l2/l2_input_classify.c, 17.x/18.01-era copy liangfudeng/vpp 667cdb51): IPv4 -> the IPv4
// table, IPv6 -> the IPv6 table, anything else -> the "other" table. The ACL plugin's IPv4 table
// sends its misses to acl-plugin-in-ip4-l2; an ARP frame meets the other table, which is ~0 or (acl.c
// with VLAN tables) a dot1q/dot1ad chain it misses, so it goes on to the next L2 input feature with
// `offset 0`, never to the IPv4 ACL node. IPv6 (its table and acl-plugin-in-ip6-l2) and VLAN-tagged
// frames in the VLAN tables are not modelled: the model stops under its own "(model)" error.
// Frames enter as VXLAN from the peers of scenarios/l2-classify-ethertypes.yaml.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { l2ClassifyNotModelled } from '../../models/vpp/nodes/l2.js';
import { ethernet, ip4Header, mac, vxlanFromPeer as fromPeer } from './frame-builders.js';

const SCENARIO = fileURLToPath(new URL('./scenarios/l2-classify-ethertypes.yaml', import.meta.url));
const NIC = { instance: 'n1', interface: 'GigabitEthernet0/8/0' };
/** vxlan_tunnel2 (sw 5): IPv4 table 39, no other table; vxlan_tunnel0 (sw 3): IPv4 table 41, other table 43. */
const NO_OTHER = '192.168.16.4';
const DOT1Q = '192.168.16.2';
const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const SRC_MAC = '1a:2b:3c:4d:5e:02';

const arp = (): Uint8Array =>
  ethernet(BROADCAST, SRC_MAC, 0x0806, Uint8Array.from([0, 1, 8, 0, 6, 4, 0, 1, ...mac(SRC_MAC), 192, 168, 30, 2, 0, 0, 0, 0, 0, 0, 192, 168, 30, 1]));

function ip4Udp(): Uint8Array {
  const udp = Uint8Array.from([0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]);
  return Uint8Array.from([...ip4Header('192.168.30.2', '192.168.30.1', 17, udp.length), ...udp]);
}

/** An IPv6 header (no payload) from fe80::2 to ff02::1. */
function ip6(): Uint8Array {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  h[6] = 59; // no next header
  h[7] = 255;
  h.set([0xfe, 0x80], 8);
  h[23] = 2;
  h.set([0xff, 0x02], 24);
  h[39] = 1;
  return h;
}

/** A frame with one 802.1Q tag (VLAN 5) before `inner` of type `innerType`. */
function tagged(innerType: number, inner: Uint8Array): Uint8Array {
  return ethernet(BROADCAST, SRC_MAC, 0x8100, Uint8Array.from([0x00, 0x05, innerType >> 8, innerType & 0xff, ...inner]));
}

async function inject(peer: string, inner: Uint8Array) {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  const { traces } = inst.inject({ data: fromPeer(peer, inner), meta: { linkType: LinkType.ETHERNET } }, NIC);
  const stages = traces[0].stages;
  const at = stages.findIndex((s) => s.node === 'l2-input-classify');
  return {
    classify: at >= 0 ? stages[at].fields : undefined,
    after: stages.slice(at + 1).map((s) => s.node),
    nodes: stages.map((s) => s.node),
    errors: [...inst.vm('n1').errorCounts].map(([node, byText]): [string, [string, number][]] => [node, [...byText]]),
  };
}

describe('l2-input-classify: the table by ethertype', () => {
  it('IPv4 meets the IPv4 table and goes to acl-plugin-in-ip4-l2', async () => {
    const r = await inject(NO_OTHER, ethernet(BROADCAST, SRC_MAC, 0x0800, ip4Udp()));
    expect(r.classify).toMatchObject({ sw_if_index: 5, table: 39, offset: 0, next: 18 });
    expect(r.after[0]).toBe('acl-plugin-in-ip4-l2');
  });

  it('ARP without an "other" table: table -1 (~0), offset 0, on to the next feature (l2-learn), no ACL node', async () => {
    const r = await inject(NO_OTHER, arp());
    expect(r.classify).toMatchObject({ sw_if_index: 5, table: -1, offset: 0, next: 7 });
    expect(r.after[0]).toBe('l2-learn');
    expect(r.nodes).not.toContain('acl-plugin-in-ip4-l2');
  });

  it('ARP with a dot1q "other" table: it misses the VLAN tables, the record prints that table, on to the next feature', async () => {
    const r = await inject(DOT1Q, arp());
    expect(r.classify).toMatchObject({ sw_if_index: 3, table: 43, offset: 0, next: 7 });
    expect(r.after[0]).toBe('l2-learn');
    expect(r.nodes).not.toContain('acl-plugin-in-ip4-l2');
  });

  it('IPv6 would meet the IPv6 table and acl-plugin-in-ip6-l2: not modelled, the model stops (no IPv4 ACL node)', async () => {
    const r = await inject(NO_OTHER, ethernet('33:33:00:00:00:01', SRC_MAC, 0x86dd, ip6()));
    expect(r.classify).toBeUndefined();
    expect(r.nodes).not.toContain('acl-plugin-in-ip4-l2');
    expect(r.errors).toEqual([['l2-input-classify', [[l2ClassifyNotModelled(0x86dd), 1]]]]);
  });

  it('a VLAN-tagged frame: with no VLAN tables it is an "other" frame like ARP; with them the model stops', async () => {
    const plain = await inject(NO_OTHER, tagged(0x0800, ip4Udp()));
    expect(plain.classify).toMatchObject({ sw_if_index: 5, table: -1, offset: 0, next: 7 });
    expect(plain.nodes).not.toContain('acl-plugin-in-ip4-l2');
    const withVlanTables = await inject(DOT1Q, tagged(0x0800, ip4Udp()));
    expect(withVlanTables.classify).toBeUndefined();
    expect(withVlanTables.errors).toEqual([['l2-input-classify', [[l2ClassifyNotModelled(0x8100), 1]]]]);
  });
});
