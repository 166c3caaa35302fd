// One capture read batch by batch for `check --window`: each batch checked as a whole capture is
// (Ethernet frames, one interface) and, as the window needs, in time order with a time on every
// frame. The edge's source MACs are counted for requireEdgeMacSeen at the end.

import type { Packet } from '../wire/packet.js';
import { InputError } from '../io/input-error.js';
import { readCapture } from '../io/capture.js';
import { requireEthernet } from '../io/require-ethernet.js';
import { withoutFcs } from '../io/without-fcs.js';
import { OneInterface } from './one-interface.js';
import { SourceMacs } from './edge-mac-seen.js';

/** Why check refuses a frame that is not Ethernet (shared with the whole-capture path). */
export const ETHERNET_ONLY = 'check compares Ethernet frames (capture with -i on the device, not -i any)';

export class CaptureFeed {
  private readonly reader: AsyncGenerator<Packet[], void, undefined>;
  private readonly oneInterface: OneInterface;
  readonly macs = new SourceMacs();
  /** Time of the last frame read (undefined before any). */
  last: bigint | undefined;
  done = false;

  constructor(readonly file: string, device: string) {
    this.reader = readCapture(file);
    this.oneInterface = new OneInterface(file, device);
  }

  /** Stop reading (the file is closed): a check that ends before the capture does. */
  async close(): Promise<void> {
    this.done = true;
    await this.reader.return(undefined);
  }

  /** The next batch of frames (without FCS, checked); empty at the end of the capture. */
  async next(): Promise<Packet[]> {
    const r = await this.reader.next();
    if (r.done) {
      this.done = true;
      return [];
    }
    const packets = r.value.map(withoutFcs);
    for (const p of packets) requireEthernet(p, this.file, ETHERNET_ONLY);
    this.oneInterface.check(packets);
    this.macs.count(packets);
    for (const p of packets) {
      const t = p.meta.timestampNs;
      if (t === undefined) throw new InputError('packet without timestamp', { file: this.file, packet: p.meta.frame }, 'check.capture');
      if (this.last !== undefined && t < this.last) throw new InputError('frame earlier than the one before it: check --window reads a capture in time order', { file: this.file, packet: p.meta.frame }, 'check.capture-order');
      this.last = t;
    }
    return packets;
  }
}
