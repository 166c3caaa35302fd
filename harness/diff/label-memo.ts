// Packet labels (label.ts traceLabel) for a whole file without writing one per packet: a label is
// made of its stage's addresses and ports (all in the flow text, packet-identity.ts FLOW), which of
// the fields it reads are absent or null, and tcp.flags - so the packets of a flow mostly share one,
// looked up by the flow's number and those few facts.

import type { FieldValue, PacketTrace } from '../stage.js';
import { traceLabel } from './label.js';

/** What traceLabel asks of a field beyond its text: absent, null or a value. */
const READ = ['ip4.src', 'ip4.dst', 'ip6.src', 'ip6.dst', 'tcp.src_port', 'tcp.dst_port', 'udp.src_port', 'udp.dst_port', 'icmp.type', 'icmp6.type'];

export class LabelMemo {
  private readonly byFlow: Array<Map<number | string, string>> = [];

  /**
   * The label of `t`, whose identity stage has fields `f` and flow number `flow` (identity-columns.ts,
   * the flow's text by number). A trace with no IP stage is labelled by its number: not memoised.
   */
  label(t: PacketTrace, f: Readonly<Record<string, FieldValue>>, flow: number): string {
    if (f['ip4.src'] === undefined && f['ip6.src'] === undefined) return traceLabel(t);
    let sig = 0;
    for (const k of READ) {
      const v = f[k];
      sig = sig * 4 + (v === undefined ? 0 : v === null ? 1 : 2);
    }
    // tcpFlagsName: a number by its bits, a string by its text, anything else is 'TCP'.
    const flags = f['tcp.flags'];
    const key = typeof flags === 'number' && Number.isInteger(flags) && flags >= 0 && flags <= 0xffff ? sig * 0x10000 + flags : `${sig}|${typeof flags === 'number' || typeof flags === 'string' ? typeof flags + String(flags) : ''}`;
    let memo = this.byFlow[flow];
    if (!memo) this.byFlow[flow] = memo = new Map();
    let label = memo.get(key);
    if (label === undefined) memo.set(key, (label = traceLabel(t)));
    return label;
  }
}
