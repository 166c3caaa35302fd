// Device input nodes (vpp-facts §4): virtio-input (tapv2), tapcli-rx (tapv1), dpdk-input. They put
// the frame in a buffer at current_data 0 with RX = the device's sw_if_index. dpdk-input sends IPv4
// straight to ip4-input (no ethernet-input record); the others go to ethernet-input.

import { BufferFlag, type VlibBuffer } from '../buffer.js';
import type { GraphNode, Next, Vm } from '../graph.js';
import { decode, dpdkRecord, tapcliRx, virtioInput } from '../records.js';
import { bufferText } from './interface-output.js';

/** device-input next slots (devices.h): 4 = ethernet-input. */
const NEXT_ETHERNET_INPUT = 4;

export const virtioInputNode: GraphNode = {
  name: 'virtio-input',
  process(vm: Vm, b: VlibBuffer): Next {
    const itf = vm.interface(b.rxSwIfIndex);
    b.flags |= BufferFlag.TOTAL_LENGTH_VALID;
    if (vm.tracing) vm.trace(b, virtioInput(itf.hwIfIndex, NEXT_ETHERNET_INPUT, b.currentLength));
    return 'ethernet-input';
  },
};

export const tapcliRxNode: GraphNode = {
  name: 'tapcli-rx',
  process(vm: Vm, b: VlibBuffer): Next {
    if (vm.tracing) vm.trace(b, tapcliRx(vm.interface(b.rxSwIfIndex).name));
    return 'ethernet-input';
  },
};

export const dpdkInputNode: GraphNode = {
  name: 'dpdk-input',
  process(vm: Vm, b: VlibBuffer): Next {
    const itf = vm.interface(b.rxSwIfIndex);
    const frameLen = b.currentLength;
    const isIp4 = frameLen >= 14 && b.bytes[b.start + 12] === 0x08 && b.bytes[b.start + 13] === 0x00;
    // The template flags of the dpdk buffer (no enable-tcp-udp-checksum), then the IP next's offsets.
    b.flags |= BufferFlag.L4_CHECKSUM_COMPUTED | BufferFlag.L4_CHECKSUM_CORRECT | BufferFlag.TOTAL_LENGTH_VALID | BufferFlag.L2_HDR_OFFSET_VALID;
    b.l2HdrOffset = 0;
    if (isIp4) {
      b.flags |= BufferFlag.L3_HDR_OFFSET_VALID;
      b.l3HdrOffset = 14;
      b.advance(14);
    }
    if (vm.tracing) {
      b.traceIndex = vm.nextTraceIndex++;
      const frame = b.bytes.subarray(b.abs(0), b.abs(0) + frameLen);
      vm.trace(
        b,
        dpdkRecord(
          'dpdk-input',
          itf.name,
          'rx',
          bufferText(b),
          { port: itf.device.port ?? 0, pktLen: frameLen, dataOff: 128 },
          decode(frame, 0, 'eth', 128),
        ),
      );
    }
    return isIp4 ? 'ip4-input' : 'ethernet-input';
  },
};
