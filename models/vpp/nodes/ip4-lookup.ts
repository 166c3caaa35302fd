// ip4-lookup and ip4-load-balance (vpp-facts §5.2). The lookup FIB is TX if set, else the RX
// interface's, and the record prints that choice. A load-balance with more than one bucket picks
// by VPP's flow hash (stored in the buffer); one bucket leaves the flow hash as it is.

import { NONE, type VlibBuffer } from '../buffer.js';
import { Fault, type GraphNode, type Next, type Vm } from '../graph.js';
import { ip4FlowHash } from '../flow-hash.js';
import { decode, lookupRecord } from '../records.js';
import type { Dpo, LoadBalance } from '../state.js';

/**
 * Choose an LB bucket; `reuse` is ip4-load-balance's use of a hash already in the buffer. That node
 * tests the stored hash itself, not the halved one: a stored 1 (vxlan4-encap's leftover l2fib_sn)
 * becomes 0 and picks bucket 0, no hash computed (ip4_forward.c ip4_load_balance, liangfudeng/vpp
 * @667cdb51: `if (PREDICT_TRUE (vnet_buffer (p0)->ip.flow_hash)) { hc0 = ... = flow_hash >> 1; }`).
 */
function chooseBucket(vm: Vm, b: VlibBuffer, lb: LoadBalance, reuse: boolean): Dpo {
  if (lb.buckets.length === 1) return lb.buckets[0];
  let h = 0;
  if (reuse && b.flowHash !== 0) h = b.flowHash >>> 1;
  else h = vm.hasFault(Fault.FLOW_HASH) ? 0 : ip4FlowHash(b.bytes, b.start, lb.flowHashConfig);
  b.flowHash = h;
  return lb.buckets[h & (lb.buckets.length - 1)];
}

/** Set the buffer's adjacency for the DPO and return the node it leads to. */
function follow(vm: Vm, b: VlibBuffer, dpo: Dpo): string {
  b.adjIndexTx = dpo.index;
  return vm.dpoNextNode(dpo);
}

export const ip4LookupNode: GraphNode = {
  name: 'ip4-lookup',
  process(vm: Vm, b: VlibBuffer): Next {
    const p = b.bytes;
    const ip = b.start;
    const fib = vm.lookupFibIndex(b);
    const dst = ((p[ip + 16] << 24) | (p[ip + 17] << 16) | (p[ip + 18] << 8) | p[ip + 19]) >>> 0;
    const lbIndex = vm.fibLookupLb(fib, dst);
    const lb = lbIndex >= 0 ? vm.loadBalances.get(lbIndex) : undefined;
    // Every VPP FIB holds 0.0.0.0/0 from its creation (fib-specials.ts): ip4-lookup never misses, an
    // unrouted destination takes the default route's drop DPO to ip4-drop. Only a FIB index with
    // no table behind it (or a table built without the specials) finds nothing: VPP would read an
    // unallocated FIB there, which is no behaviour to model.
    if (!lb) throw new Error(`${vm.name}: ip4-lookup found no entry for ${dst >>> 24}.${(dst >>> 16) & 0xff}.${(dst >>> 8) & 0xff}.${dst & 0xff} in FIB index ${fib}: ${vm.fibs.has(fib) ? 'the table has no 0.0.0.0/0 (not made by configure?)' : 'no such FIB'}`);
    // Written only when not 0 already (it is, after ethernet-input): the setter is a call here.
    if (lb.buckets.length === 1 && b.flowHash !== 0) b.flowHash = 0;
    const dpo = chooseBucket(vm, b, lb, false);
    const next = follow(vm, b, dpo);
    if (vm.tracing) vm.trace(b, lookupRecord('ip4-lookup', fib, dpo.index, b.flowHash, decode(p, ip, 'ip4', 60, ip + b.currentLength)));
    return next;
  },
};

export const ip4LoadBalanceNode: GraphNode = {
  name: 'ip4-load-balance',
  process(vm: Vm, b: VlibBuffer): Next {
    const lbIndex = b.adjIndexTx;
    if (vm.tracing)
      vm.trace(b, lookupRecord('ip4-load-balance', vm.lookupFibIndex(b), lbIndex, b.flowHash, decode(b.bytes, b.start, 'ip4', 60, b.start + b.currentLength)));
    const lb = vm.loadBalances.get(lbIndex);
    if (!lb) return vm.drop(b, 'ip4-input', 'ip4 drop');
    return follow(vm, b, chooseBucket(vm, b, lb, true));
  },
};

export { NONE };
