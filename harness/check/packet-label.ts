// A packet check names in its text the way diff names it (harness/diff/label.ts traceLabel:
// `SYN 10.1.1.3:51082 -> 10.96.0.1:80`), not by its flow key (`tcp:3636733120:0:2:0`), which is
// check's matching identity: --json keeps it (Divergence.key), text shows it for a packet with no label.

import type { Packet } from '../wire/packet.js';
import { dissect } from '../dissect/dissect.js';
import { packetsAsTraces } from '../diff/packet-stages.js';
import { traceLabel } from '../diff/label.js';

/**
 * The diff's label of `p`, or undefined when it has none (traceLabel's 'packet' for a trace without
 * number: no stage it can name). The frame number is left out: a predicted frame has none, and a
 * captured one is named by file:frame beside its label.
 */
export function packetLabel(p: Packet): string | undefined {
  const label = traceLabel({ stages: packetsAsTraces([p], dissect)[0].stages });
  return label === 'packet' ? undefined : label;
}
