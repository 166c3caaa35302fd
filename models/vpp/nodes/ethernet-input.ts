// ethernet-input (vpp-facts §4.5): one-line record at entry; sets the L2/L3 offsets and hands IPv4
// to ip4-input advanced past the 14-byte header. Other ethertypes are not modelled (dropped).

import { BufferFlag, type VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, headerOnly } from '../records.js';

export const ethernetInputNode: GraphNode = {
  name: 'ethernet-input',
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) vm.trace(b, headerOnly('ethernet-input', decode(b.bytes, b.start, 'eth', undefined, b.start + b.currentLength)));
    if (b.currentLength < 14) return vm.drop(b, 'ethernet-input', 'l3 mac mismatch');
    const type = (b.bytes[b.start + 12] << 8) | b.bytes[b.start + 13];
    b.l2HdrOffset = b.currentData;
    b.l3HdrOffset = b.currentData + 14;
    b.flags |= BufferFlag.L2_HDR_OFFSET_VALID | BufferFlag.L3_HDR_OFFSET_VALID;
    if (type !== 0x0800) return vm.drop(b, 'ethernet-input', 'unknown ethernet type');
    b.advance(14);
    return 'ip4-input';
  },
};
