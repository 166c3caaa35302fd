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
  new OneInterface(file, device).check(packets);
}

/** requireOneInterface over a capture read batch by batch (check --window): the first frame's interface is kept. */
export class OneInterface {
  private first: string | undefined;
  private seen = false;

  constructor(
    private readonly file: string,
    private readonly device: string,
  ) {}

  check(packets: readonly Packet[]): void {
    if (!this.seen && packets.length) {
      this.first = interfaceLabel(packets[0]);
      this.seen = true;
    }
    for (const p of packets) {
      const label = interfaceLabel(p);
      if (label === this.first) continue;
      throw new InputError(
        `frames of interface ${label ?? '(unnamed)'} after frames of ${this.first ?? '(unnamed)'}: a --capture holds one device's frames (${this.device}); split the capture per interface`,
        { file: this.file, packet: p.meta.frame },
        'check.capture-interfaces',
      );
    }
  }
}
