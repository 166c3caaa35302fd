// Interface output side (vpp-facts §4.3, §4.5, §6): `interface-output` (no record) dispatches to
// the TX interface's `<if>-output`, which records the Ethernet decode of 124 bytes from current
// data; then the device's tx: DPDK records `<if>-tx` (buffer + mbuf dump), tap tx records nothing,
// and the loopback tx turns a BVI's frame around into l2-input.

import { BufferFlag, NONE, type VlibBuffer } from '../buffer.js';
import { DONE, nodeName, type GraphNode, type Next, type Vm } from '../graph.js';
import { decode, dpdkRecord, interfaceOutputRecord } from '../records.js';
import type { SwInterface } from '../state.js';
import type { BufferText } from '../../../harness/vpp-trace/format/buffer.js';

export const interfaceOutputNode: GraphNode = {
  name: 'interface-output',
  process(vm: Vm, b: VlibBuffer): Next {
    return vm.outputNodeName(b.txSwIfIndex);
  },
};

/** format_vnet_buffer flag names in print order (span-clone and ip4 share a bit: not modelled). */
const FLAG_NAMES: [number, string][] = [
  [BufferFlag.L4_CHECKSUM_COMPUTED, 'l4-cksum-computed'],
  [BufferFlag.L4_CHECKSUM_CORRECT, 'l4-cksum-correct'],
  [BufferFlag.IS_NATED, 'nated'],
];

export function bufferFlagNames(b: VlibBuffer): string[] {
  return FLAG_NAMES.filter(([bit]) => b.flags & bit).map(([, n]) => n);
}

/** What format_vnet_buffer prints of a buffer (dpdk rx/tx records). */
export function bufferText(b: VlibBuffer): BufferText {
  const valid = (f: number) => (b.flags & f) !== 0;
  return {
    index: b.bufferIndex,
    currentData: b.currentData,
    length: b.currentLength,
    freeList: 0,
    cloneCount: 0,
    totlenNifb: valid(BufferFlag.TOTAL_LENGTH_VALID) ? 0 : undefined,
    traceIndex: b.traceIndex,
    flags: bufferFlagNames(b),
    l2HdrOffset: valid(BufferFlag.L2_HDR_OFFSET_VALID) ? b.l2HdrOffset : undefined,
    l3HdrOffset: valid(BufferFlag.L3_HDR_OFFSET_VALID) ? b.l3HdrOffset : undefined,
  };
}

/** The `<if>-output` node of one interface; it continues to that interface's tx. */
export function makeOutputNode(itf: SwInterface): GraphNode {
  const name = `${itf.name}-output`;
  const txName = nodeName(`${itf.name}-tx`);
  return {
    name,
    process(vm: Vm, b: VlibBuffer): Next {
      if (vm.tracing) vm.trace(b, interfaceOutputRecord(name, itf.name, decode(b.bytes, b.start, 'eth', 124, b.start + b.currentLength)));
      switch (itf.kind) {
        case 'dpdk':
          return txName;
        case 'loop':
          return loopbackTx(vm, b, itf);
        default:
          vm.transmit(b, itf);
          return DONE;
      }
    },
  };
}

/** The loopback (BVI) tx function: RX := the loop interface, into its bridge domain via l2-input. */
function loopbackTx(vm: Vm, b: VlibBuffer, itf: SwInterface): Next {
  if (!itf.l2?.bvi) {
    vm.transmit(b, itf);
    return DONE;
  }
  b.rxSwIfIndex = itf.swIfIndex;
  b.txSwIfIndex = NONE;
  b.l2Len = 14;
  return 'l2-input';
}

/** `<dpdk-if>-tx`: the buffer and mbuf dump, then the frame leaves on the wire. */
export function makeDpdkTxNode(itf: SwInterface): GraphNode {
  const name = `${itf.name}-tx`;
  return {
    name,
    process(vm: Vm, b: VlibBuffer): Next {
      if (vm.tracing) {
        vm.trace(
          b,
          dpdkRecord(
            name,
            itf.name,
            'tx',
            bufferText(b),
            { port: 65535, pktLen: b.currentLength, dataOff: 128 + b.currentData },
            decode(b.bytes, b.start, 'eth', 128, b.start + b.currentLength),
          ),
        );
      }
      vm.transmit(b, itf);
      return DONE;
    },
  };
}
