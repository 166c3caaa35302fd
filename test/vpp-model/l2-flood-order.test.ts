// The order of l2-flood's copies in VPP 18.01 (the replication-based src/vnet/l2/l2_flood.c and
// l2_bd.c of the 17.x/18.01-era liangfudeng/vpp 667cdb51; FDio/vpp replaced it by vlib_buffer_clone
// later):
//  - bd_add_member keeps the members as [BVI, normal members..., tunnel-normal members (unicast
//    VXLAN tunnels)...], each class in the order the members joined; l2flood_process walks the vector
//    from flood_count - 1 down to 0 ("Flooding walks the vector in reverse"), the BVI last.
//  - One buffer goes to the members in turn (replication_prep / replication_recycle): each pass
//    through l2-flood adds its own record after the member's processing, followed by that member's
//    whole path; the next pass starts when the previous path freed the buffer.
//  - The BVI pass's record is added after l2_to_bvi stripped the L2 header: its dst/src are the
//    first 12 bytes of the IPv4 header.
//  - A recycled pass is "last" only for member 0, or member 1 when member 0 is skipped; with more
//    skipped members below, the buffer comes back once more and is dropped as `L2 replication
//    complete` after one more l2-flood record.
// scenarios/bridge-flood.yaml: bd 1 = loop0 (BVI, sw 2), vxlan_tunnel0..2 (sw 3, 4, 5; groups 1, 1, 2).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { macToString } from '../../harness/wire/address.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ethernet, ip4Header, vxlanFromPeer as fromPeer } from './frame-builders.js';

const SCENARIO = fileURLToPath(new URL('./scenarios/bridge-flood.yaml', import.meta.url));
const NIC = { instance: 'n1', interface: 'GigabitEthernet0/8/0' };
const PEER = { tunnel0: '192.168.16.2', tunnel1: '192.168.16.3', tunnel2: '192.168.16.4' } as const;
const TUNNEL2 = 5;

function innerBroadcastIp4(): Uint8Array {
  const udp = Uint8Array.from([0x30, 0x39, 0x00, 0x35, 0x00, 0x08, 0x00, 0x00]);
  return ethernet('ff:ff:ff:ff:ff:ff', '1a:2b:3c:4d:5e:02', 0x0800, Uint8Array.from([...ip4Header('192.168.30.2', '192.168.30.255', 17, udp.length), ...udp]));
}

async function inject(data: Uint8Array, edit?: (inst: VppInstance) => void) {
  const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
  edit?.(inst);
  const { traces, outputs } = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } }, NIC);
  const stages = traces.flatMap((t) => t.stages);
  return {
    stages,
    /** Each l2-flood record, and the node after it. */
    passes: stages.flatMap((s, i) => (s.node === 'l2-flood' ? [{ line: s.lines.join('\n'), next: stages[i + 1]?.node }] : [])),
    /** Outer IPv4 destination of every frame that left, in transmit order. */
    sentTo: outputs.map((o) => [...o.data.subarray(30, 34)].join('.')),
  };
}

describe('l2-flood: members in reverse vector order, the BVI last, one record per pass', () => {
  it('a broadcast from tunnel2 goes to tunnel1, then tunnel0, then the BVI; each pass records l2-flood before its path', async () => {
    const inner = innerBroadcastIp4();
    const r = await inject(fromPeer(PEER.tunnel2, inner));
    expect(r.sentTo).toEqual([PEER.tunnel1, PEER.tunnel0]);
    expect(r.passes.map((p) => p.next)).toEqual(['l2-output', 'l2-output', 'ip4-input']);
    const rec = (dst: string, src: string) => `l2-flood: sw_if_index ${TUNNEL2} dst ${dst} src ${src} bd_index 1`;
    expect(r.passes[0].line).toContain(rec('ff:ff:ff:ff:ff:ff', '1a:2b:3c:4d:5e:02'));
    expect(r.passes[1].line).toContain(rec('ff:ff:ff:ff:ff:ff', '1a:2b:3c:4d:5e:02'));
    // The BVI pass is traced after l2_to_bvi's vlib_buffer_advance: the IPv4 header's first 12 bytes.
    expect(r.passes[2].line).toContain(rec(macToString(inner, 14), macToString(inner, 20)));
    // Each member's path runs between its pass and the next one: tunnel1's l2-output precedes the
    // second l2-flood record.
    const floods = r.stages.flatMap((s, i) => (s.node === 'l2-flood' ? [i] : []));
    const outputs = r.stages.flatMap((s, i) => (s.node === 'l2-output' ? [i] : []));
    expect(outputs[0]).toBeGreaterThan(floods[0]);
    expect(outputs[0]).toBeLessThan(floods[1]);
    expect(r.stages[outputs[0]].lines.join('\n')).toContain('l2-output: sw_if_index 4 ');
    expect(r.stages[outputs[1]].lines.join('\n')).toContain('l2-output: sw_if_index 3 ');
  });

  it('a BVI that joined the domain last still heads the member vector and is flooded last: from tunnel0, tunnel2 first, then the BVI', async () => {
    const r = await inject(fromPeer(PEER.tunnel0, innerBroadcastIp4()), (inst) => {
      const bd = inst.vm('n1').bridgeDomains.get(1)!;
      bd.members = [3, 4, 5, 2];
    });
    expect(r.sentTo).toEqual([PEER.tunnel2]);
    expect(r.passes.map((p) => p.next)).toEqual(['l2-output', 'ip4-input']);
  });

  it('skipped members at the bottom of the vector bring the buffer back once more: dropped as `L2 replication complete`', async () => {
    // No BVI: [tunnel0, tunnel1, tunnel2]. From tunnel0 (group 1) tunnel2 is the only copy; the
    // prep saw member 2 (`current_member > 1`) and started replication, the recycled pass skips
    // tunnel1 (group 1) and tunnel0 (RX) and ends the flood.
    const r = await inject(fromPeer(PEER.tunnel0, innerBroadcastIp4()), (inst) => {
      inst.vm('n1').bridgeDomains.get(1)!.members = [3, 4, 5];
    });
    expect(r.sentTo).toEqual([PEER.tunnel2]);
    expect(r.passes.map((p) => p.next)).toEqual(['l2-output', 'error-drop']);
    expect(r.stages.at(-1)!.lines.join('\n')).toContain('l2-flood: L2 replication complete');
  });
});
