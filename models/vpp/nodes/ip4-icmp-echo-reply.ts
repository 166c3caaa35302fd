// ip4-icmp-echo-reply: where ip4-icmp-input sends an ICMP echo reply addressed to one of VPP's own
// addresses. Source: vnet/ip/ping.c ip4_icmp_echo_reply_node_fn, format_icmp_echo_trace,
// ping_cli_init and ping.h (17.x/18.01-era copy liangfudeng/vpp @667cdb51; a later FDio/vpp copy,
// @03a6213f, has the same node, record and nexts; neither is the v18.01 tag itself, and the Contiv
// fork vpp-dev/vpp has no ping.c in the index).

import type { Stage } from '../../../harness/stage.js';
import { icmpEcho, type IcmpEchoRecord } from '../../../harness/vpp-trace/nodes/icmp-echo.js';
import { KnownBytes } from '../../../harness/wire/known.js';
import { LinkType } from '../../../harness/wire/packet.js';
import type { VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';

function icmpEchoRecord(r: IcmpEchoRecord): Stage {
  const fields: Stage['fields'] = {};
  icmpEcho.toFields(r, fields);
  return { node: 'ip4-icmp-echo-reply', lines: icmpEcho.format(r), fields };
}

/**
 * icmp4_echo_request_header_t (ping.h) is a packed {ip4_header_t, icmp46_header_t, id, seq, ...}
 * laid over vlib_buffer_get_current, the IP header: the node reads id and seq at these fixed offsets
 * whatever the IHL (a header with options never gets here: ip4-input punts it, vpp-facts §5.1).
 */
const ID_OFFSET = 20 + 4;
const SEQ_OFFSET = 20 + 6;
/** The packed header's bytes up to the sequence's end. */
const HEADER_END = SEQ_OFFSET + 2;

/**
 * The record of a reply too short to hold the id or the sequence in the bytes the device wrote: the
 * node reads past them (ping.c, `tr->id = h0->icmp_echo.id; tr->seq = h0->icmp_echo.seq;` with no
 * length check), into whatever an earlier packet left in that buffer's memory, which the model
 * cannot know (its buffer holds zeros there). As unknown-ip-id.ts does for an IP id VPP chose: the
 * text keeps the model's stand-in, the fields drop the values the model does not know, and the
 * stage's packet - the header as the node overlays it - forgets those bytes.
 */
function shortReplyRecord(b: VlibBuffer, r: IcmpEchoRecord, known: number): Stage {
  const stage = icmpEchoRecord(r);
  if (known < ID_OFFSET + 2) delete stage.fields['icmp.id'];
  if (known < HEADER_END) delete stage.fields['icmp.seq'];
  const data = b.bytes.slice(b.start, b.start + HEADER_END);
  const knownBytes = KnownBytes.all(HEADER_END);
  knownBytes.forget(known, HEADER_END - known);
  stage.packet = { data, known: knownBytes, meta: { linkType: LinkType.IPV4, interfaceName: stage.node } };
  return stage;
}

/**
 * ip4_icmp_echo_reply_node_fn: signal_ip46_icmp_reply_event looks the identifier up in
 * ping_main.ping_run_by_icmp_id, the ids of `ping` CLI runs in progress. The model runs no CLI, so
 * no reply is ever bound: next ICMP4_ECHO_REPLY_NEXT_PUNT, `error-punt` (a bound one would be copied
 * to the CLI process and go to `error-drop`). The node writes no error of its own (ping.c registers
 * none), so error-punt prints the one the buffer carries: ip4-icmp-input's "unknown type".
 * Records after the lookup, with bound = (next == DROP).
 */
export const ip4IcmpEchoReplyNode: GraphNode = {
  name: 'ip4-icmp-echo-reply',
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) {
      const p = b.bytes;
      const ip = b.start;
      const r = { id: (p[ip + ID_OFFSET] << 8) | p[ip + ID_OFFSET + 1], seq: (p[ip + SEQ_OFFSET] << 8) | p[ip + SEQ_OFFSET + 1], bound: false };
      // The frame the device wrote ends at the buffer's current end (nothing before this node trims
      // or extends it); an Ethernet frame padded to its minimum holds the header in its padding.
      const written = b.currentLength;
      vm.trace(b, written >= HEADER_END ? icmpEchoRecord(r) : shortReplyRecord(b, r, written));
    }
    return 'error-punt';
  },
};
