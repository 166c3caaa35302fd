// NAT44 outside addresses as /32 receive entries in the outside interfaces' FIB (vpp-dev/vpp
// src/plugins/nat/nat.c @ 0d305478): snat_add_del_addr_to_fib sources `/32, FIB_SOURCE_PLUGIN_HI,
// FIB_ENTRY_FLAG_CONNECTED | FIB_ENTRY_FLAG_LOCAL | FIB_ENTRY_FLAG_EXCLUSIVE` with a path through the
// outside interface in that interface's FIB - a receive, as an interface address gets - for each pool
// address but twice-NAT ones (snat_add_address, snat_interface_add_del) and each address-only static
// mapping whose local and external differ (snat_add_static_mapping). fib_source_t (fib/fib_entry.h,
// liangfudeng/vpp 667cdb51): INTERFACE outranks PLUGIN_HI, which outranks API/CLI and ADJ; an entry
// keeps its one load-balance (fe_lb) whichever source is best.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ip4ToU32 } from '../../harness/wire/address.js';
import { LinkType } from '../../harness/wire/packet.js';
import { loadScenario } from '../../models/vpp/configure.js';
import { vppModel, type VppInstance } from '../../models/vpp/index.js';
import { ethernet, ip4Header } from './frame-builders.js';

const SCENARIO = fileURLToPath(new URL('./scenarios/nat44-pool-fib.yaml', import.meta.url));
const OUTSIDE_FIB = 0;
const INSIDE_FIB = 1;

function entry(fib: number, address: string) {
  const vm = loadScenario(SCENARIO).instances.get('n1')!;
  const hit = vm.fibLookup(fib, ip4ToU32(address))!;
  return { lbIndex: hit.lbIndex, prefixLength: hit.prefixLength, buckets: vm.loadBalances.get(hit.lbIndex)!.buckets };
}

describe('NAT44 outside addresses in the FIB', () => {
  it('a pool address is a /32 receive through the outside interface in its FIB', () => {
    const e = entry(OUTSIDE_FIB, '192.168.16.100');
    expect(e.prefixLength).toBe(32);
    expect(e.buckets).toEqual([expect.objectContaining({ type: 'receive', swIfIndex: 1 })]);
  });

  it('an address-only static mapping with local != external gets one too', () => {
    expect(entry(OUTSIDE_FIB, '192.168.16.102')).toMatchObject({ prefixLength: 32, buckets: [{ type: 'receive', swIfIndex: 1 }] });
  });

  it('a twice-NAT pool address and an identity mapping get none', () => {
    expect(entry(OUTSIDE_FIB, '192.168.16.101').prefixLength).toBe(0);
    expect(entry(OUTSIDE_FIB, '192.168.16.103').prefixLength).toBe(0);
  });

  it('an inside interface\'s FIB gets none', () => {
    expect(entry(INSIDE_FIB, '192.168.16.100').prefixLength).toBe(0);
  });

  it('the interface\'s own address keeps its interface entry (FIB_SOURCE_INTERFACE outranks PLUGIN_HI)', () => {
    // receive_dpo 6 is the interface's receive DPO (the scenario states it); the plugin's would be new.
    expect(entry(OUTSIDE_FIB, '192.168.16.1').buckets).toEqual([{ type: 'receive', index: 6, swIfIndex: 1 }]);
  });

  it('a neighbour\'s /32 becomes a receive in the same load-balance (PLUGIN_HI outranks ADJ; one fe_lb per entry)', () => {
    expect(entry(OUTSIDE_FIB, '192.168.16.104')).toMatchObject({ lbIndex: 40, buckets: [{ type: 'receive', swIfIndex: 1 }] });
  });

  it('an untranslated packet to a pool address (forwarding on) goes from ip4-lookup to ip4-local', async () => {
    const inst = (await vppModel.instantiate(SCENARIO)) as VppInstance;
    const udp = Uint8Array.from([0xc3, 0x50, 0x13, 0x88, 0x00, 0x08, 0x00, 0x00]);
    const data = ethernet('08:00:27:72:95:8d', '08:00:27:a2:a4:52', 0x0800, Uint8Array.from([...ip4Header('192.168.16.2', '192.168.16.100', 17, udp.length), ...udp]));
    const { traces } = inst.inject({ data, meta: { linkType: LinkType.ETHERNET } }, { instance: 'n1', interface: 'GigabitEthernet0/8/0' });
    const nodes = traces.flatMap((t) => t.stages).map((s) => s.node);
    const lookup = nodes.indexOf('ip4-lookup');
    expect(nodes.slice(lookup - 1, lookup + 2)).toEqual(['nat44-out2in', 'ip4-lookup', 'ip4-local']);
  });
});
