// ip4-rewrite's MTU check in the Contiv 18.01 fork (vpp-dev/vpp src/vnet/ip/ip4_forward.c @ 529f3af,
// ip4_rewrite_inline): `error0 = (vlib_buffer_length_in_chain (vm, p0) > adj0[0].rewrite_header.
// max_l3_packet_bytes ? IP4_ERROR_MTU_EXCEEDED : error0)` with next0 left at its start value
// IP4_REWRITE_NEXT_DROP, and the node registers two nexts only, `[IP4_REWRITE_NEXT_DROP] = "ip4-drop"`
// and `[IP4_REWRITE_NEXT_ICMP_ERROR] = "ip4-icmp-error"`: no ip4-frag and no DF test in 18.01. The
// error is filed on ip4-input's node (error_node = ip4_input_node) and ip4-drop keeps it.

import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { setU16, setU32 } from '../../harness/wire/bytes.js';
import { internetChecksum } from '../../harness/wire/checksum.js';
import { LinkType } from '../../harness/wire/packet.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';

const SMALL_MTU = 'test/vpp-model/scenarios/routed-chain-small-mtu.yaml';

/** host-a -> host-b UDP, `ipLength` bytes from the IP header on, DF set, to r1's tap1 MAC. */
function udpFrame(ipLength: number): Uint8Array {
  const b = new Uint8Array(14 + ipLength);
  b.set([0x02, 0, 0, 0, 0x01, 0x02, 0x02, 0, 0, 0, 0x0a, 0x0a, 0x08, 0x00]);
  b[14] = 0x45;
  setU16(b, 16, ipLength);
  setU16(b, 20, 0x4000);
  b[22] = 64;
  b[23] = 17;
  setU32(b, 26, ip4ToU32('10.0.1.2'));
  setU32(b, 30, ip4ToU32('10.0.2.2'));
  setU16(b, 24, internetChecksum(b, 14, 20));
  setU16(b, 34, 5000);
  setU16(b, 36, 6000);
  setU16(b, 38, ipLength - 20);
  return b;
}

async function send(ipLength: number) {
  const inst = (await vppModel.instantiate(SMALL_MTU)) as VppInstance;
  const r = inst.inject({ data: udpFrame(ipLength), meta: { linkType: LinkType.ETHERNET } }, { instance: 'r1', interface: 'tap1' });
  const stages = r.traces[0].stages;
  return {
    nodes: stages.map((s) => s.node),
    line: (node: string) => stages.find((s) => s.node === node)?.lines.join('\n'),
    outputs: r.outputs.length,
  };
}

describe('ip4-rewrite: a packet longer than the adjacency MTU', () => {
  it('576 bytes fit: forwarded', async () => {
    const r = await send(576);
    expect(r.nodes).toContain('GigabitEthernet0/8/0-output');
  });

  it('577 bytes, DF set: ip4-rewrite -> ip4-drop -> error-drop `ip4-input: ip4 MTU exceeded and DF set` (no fragmentation, no ICMP)', async () => {
    const r = await send(577);
    const rw = r.nodes.indexOf('ip4-rewrite');
    expect(r.nodes.slice(rw)).toEqual(['ip4-rewrite', 'ip4-drop', 'error-drop']);
    expect(r.line('error-drop')).toBe('  ip4-input: ip4 MTU exceeded and DF set');
    expect(r.line('ip4-drop')?.split('\n')[0]).toBe('    UDP: 10.0.1.2 -> 10.0.2.2');
    expect(r.outputs).toBe(0);
  });
});
