// `--edge NODE:IF@MAC` tells the frames an edge device transmitted (its inputs) from those it
// received by their source MAC. A MAC no frame of that device's capture was sent from (a typo, the
// router's MAC, another VM's) made none of them inputs: every frame of the capture, and everything
// they would have caused elsewhere, became a made-up divergence (135 on the golden set, exit 1).
// Refused, naming the edge, the MAC and the source MACs the capture does show.

import type { Packet } from '../wire/packet.js';
import { macToString } from '../wire/address.js';
import { InputError } from '../io/input-error.js';

/** How many source MACs the message lists (a capture on a busy segment has many). */
const SHOWN = 8;

/**
 * Throw unless some frame of `packets` (the capture of the edge's device, from `file`) was sent from
 * `edge.mac`. An empty capture is left alone: it makes no divergence of its own.
 */
export function requireEdgeMacSeen(edge: { node: string; iface: string; mac: string }, packets: readonly Packet[], file: string): void {
  const sent = new SourceMacs();
  sent.count(packets);
  sent.require(edge, file);
}

/** The source MACs of a capture and their frame counts, counted batch by batch (check --window). */
export class SourceMacs {
  private readonly sent = new Map<string, number>();

  count(packets: readonly Packet[]): void {
    for (const p of packets) {
      if (p.data.length < 12) continue;
      const src = macToString(p.data, 6);
      this.sent.set(src, (this.sent.get(src) ?? 0) + 1);
    }
  }

  /** requireEdgeMacSeen over the frames counted. */
  require(edge: { node: string; iface: string; mac: string }, file: string): void {
    const sent = this.sent;
    if (sent.size === 0 || sent.has(edge.mac)) return;
    const byCount = [...sent].sort((a, b) => b[1] - a[1]);
    const shown = byCount.slice(0, SHOWN).map(([mac, n]) => `${mac} ${n} frame${n === 1 ? '' : 's'}`).join(', ');
    const more = byCount.length > SHOWN ? `, ${byCount.length - SHOWN} more` : '';
    throw new InputError(
      `--edge '${edge.node}:${edge.iface}@${edge.mac}': no frame of ${file} was sent from ${edge.mac} (source MACs there, most frequent first: ${shown}${more})`,
      { key: '--edge' },
      'check.edge-mac',
    );
  }
}
