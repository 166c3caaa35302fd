// A --capture is what one device saw. A pcapng taken on several interfaces at once (dumpcap -i a -i b)
// put every interface's frames on the one device named: the other interfaces' frames became
// "captured packet that the model does not predict" (or, from an edge's MAC, inputs entering at the
// wrong device). Refused, naming the first frame of a second interface. Sections appended one after
// another (rotated files of one device, each with its own interface 0) are still one device.

import type { Packet } from '../wire/packet.js';
import { InputError } from '../io/input-error.js';

/** How a frame's interface is told apart: its if_name, else its id in its section. */
function interfaceLabel(p: Packet): string | undefined {
  if (p.meta.interfaceName !== undefined) return p.meta.interfaceName;
  return p.meta.interfaceId === undefined ? undefined : `#${p.meta.interfaceId}`;
}

export function requireOneInterface(packets: readonly Packet[], file: string, device: string): void {
  const first = packets.length ? interfaceLabel(packets[0]) : undefined;
  for (const p of packets) {
    const label = interfaceLabel(p);
    if (label === first) continue;
    throw new InputError(
      `frames of interface ${label ?? '(unnamed)'} after frames of ${first ?? '(unnamed)'}: a --capture holds one device's frames (${device}); split the capture per interface`,
      { file, packet: p.meta.frame },
      'check.capture-interfaces',
    );
  }
}
