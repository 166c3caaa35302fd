// error-drop (vpp-facts §5.4): `{node that set the error}: {error string}`; the packet ends here.
// ip4-drop / ip4-arp / ip4-glean records print the IPv4 decode at column 4 and then drop.

import type { VlibBuffer } from '../buffer.js';
import { DONE, type GraphNode, type Next, type Vm } from '../graph.js';
import { decode, errorDropRecord, headerOnly } from '../records.js';

export const errorDropNode: GraphNode = {
  name: 'error-drop',
  process(vm: Vm, b: VlibBuffer): Next {
    const node = b.error?.node ?? 'unknown';
    const text = b.error?.text ?? 'unknown error';
    if (vm.tracing) vm.trace(b, errorDropRecord(node, text));
    vm.countError(node, text);
    return DONE;
  },
};

function ip4DropLike(name: string, errorText: string): GraphNode {
  return {
    name,
    process(vm: Vm, b: VlibBuffer): Next {
      if (vm.tracing) vm.trace(b, headerOnly(name, decode(b.bytes, b.start, 'ip4', 60, b.start + b.currentLength), 4));
      return vm.drop(b, b.error?.node ?? 'ip4-input', b.error?.text ?? errorText);
    },
  };
}

export const ip4DropNode = ip4DropLike('ip4-drop', 'ip4 drop');
/** ARP resolution is not modelled: an incomplete adjacency drops (VPP would send an ARP request). */
export const ip4ArpNode = ip4DropLike('ip4-arp', 'ip4 drop');
export const ip4GleanNode = ip4DropLike('ip4-glean', 'ip4 drop');
