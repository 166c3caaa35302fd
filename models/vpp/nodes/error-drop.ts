// error-drop and error-punt (vpp-facts §5.4): `{node that set the error}: {error string}`; the
// packet ends here (18.01 src/vnet/interface_output.c: both nodes are process_drop_punt with
// format_vnet_error_trace, one disposition DROP, the other PUNT).
// ip4-drop / ip4-arp / ip4-glean records print the IPv4 decode at column 4 and then drop.

import type { VlibBuffer } from '../buffer.js';
import { DONE, type GraphNode, type Next, type Vm } from '../graph.js';
import { decode, errorDropRecord, headerOnly } from '../records.js';

/**
 * A buffer error of null is vlib_error_t 0, what a node writes for "no error" (18.01-era vxlan decap.c:
 * `b0->error = error0 ? node->errors[error0] : 0;` on a good decap). format_vnet_error_trace
 * (interface_output.c) prints `{node of the error}: {error_strings_heap[code + node's heap index]}`,
 * and error 0 is node 0, code 0: vlib_register_all_static_nodes (vlib/node.c) registers `null-node`
 * (one error, "blackholed packets") first "to make sure that node index 0 is not used by real node".
 */
const ERROR_ZERO = { node: 'null-node', text: 'blackholed packets' } as const;

function errorDisposition(name: 'error-drop' | 'error-punt'): GraphNode {
  return {
    name,
    process(vm: Vm, b: VlibBuffer): Next {
      const { node, text } = b.error ?? ERROR_ZERO;
      if (vm.tracing) vm.trace(b, errorDropRecord(node, text, name));
      vm.countError(node, text);
      return DONE;
    },
  };
}

export const errorDropNode = errorDisposition('error-drop');
/** Where ip4-input sends a header with options (IP4_INPUT_NEXT_PUNT, vpp-facts §5.1), and the end of the ip4-punt arc (ip4-local's punted protocols). */
export const errorPuntNode = errorDisposition('error-punt');

/** The model's own error for an IPv4 drop whose VPP error is not established. */
const IP4_DROP = { node: 'ip4-input', text: 'ip4 drop' } as const;

/**
 * Record the IPv4 header at column 4, then go to `disposition`: under the error the buffer carries if
 * `keepsBufferError` (and it carries one), else under IP4_DROP.
 */
function ip4DropLike(name: string, keepsBufferError: boolean, disposition: 'error-drop' | 'error-punt' = 'error-drop'): GraphNode {
  return {
    name,
    process(vm: Vm, b: VlibBuffer): Next {
      if (vm.tracing) vm.trace(b, headerOnly(name, decode(b.bytes, b.start, 'ip4', 60, b.start + b.currentLength), 4));
      const error = (keepsBufferError ? b.error : null) ?? IP4_DROP;
      if (disposition === 'error-drop') return vm.drop(b, error.node, error.text);
      b.error = error;
      return disposition;
    },
  };
}

/**
 * ip4-drop (18.01 src/vnet/ip/ip4_punt_drop.c ip4_drop -> ip_drop_or_punt, ip_punt_drop.h) only
 * starts the ip4-drop feature arc, whose end is error-drop: it never writes b->error, so error-drop
 * prints the error the buffer carries. After ip4-lookup that is ip4-input's IP4_ERROR_NONE
 * (`ip4-input: valid ip4 packets`, ip4-input.ts). IP4_DROP is for buffers that reach it carrying
 * none in the model (paths whose VPP error is not established).
 */
export const ip4DropNode = ip4DropLike('ip4-drop', true);
/**
 * ip4-punt (same file, 17.x/18.01-era copy liangfudeng/vpp 667cdb51): ip4_punt records with
 * ip4_forward_next_trace (format_ip4_forward_next_trace, as ip4-drop) and runs ip_drop_or_punt on the
 * ip4-punt arc, whose end of arc is error-punt; it writes no error either.
 */
export const ip4PuntNode = ip4DropLike('ip4-punt', true, 'error-punt');
/**
 * ARP resolution is not modelled: an incomplete adjacency drops (VPP would send an ARP request,
 * under ip4-arp's own errors, not modelled), always under IP4_DROP.
 */
export const ip4ArpNode = ip4DropLike('ip4-arp', false);
export const ip4GleanNode = ip4DropLike('ip4-glean', false);
