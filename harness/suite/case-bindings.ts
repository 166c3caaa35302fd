// Values a model names but cannot predict (a NAT port the kernel chose at random on a clash), resolved
// while a case runs - the same machinery `dpconform check` uses (harness/check/bindings.ts), fed from
// the case's capture goldens instead of a capture set:
//
// after each injected input, every output still carrying an unbound value is paired with its golden
// counterpart - the frame at the same position among that golden's frames, which is the pairing the
// capture comparison itself uses - and, when both are the same packet (NAT-invariant flow key), the
// value is read from the golden and told to the model (which then un-NATs replies with it). From then
// on every prediction naming the value carries it as known bytes, so the comparison requires it, and
// names the binding when the golden holds another value there.

import type { Packet } from '../wire/packet.js';
import { Bindings, type BindingAware, type UnboundValue } from '../check/bindings.js';
import { flowKey } from '../check/flow-key.js';
import type { BoundSpan } from '../diff/types.js';
import type { GoldenSpec } from './case-spec.js';

/** One value bound in a case run (as `dpconform check` reports its `bound` values). */
export interface BoundRecord {
  id: string;
  value: number[];
  captured: string;
  /** The golden's value breaks what the model knows of it (a clash predicted, the port kept): why. */
  refused?: string;
}

interface GoldenFrames {
  g: GoldenSpec;
  packets: readonly Packet[];
  /** Model outputs counted so far on this golden's interface. */
  seen: number;
}

export class CaseBindings {
  private readonly bindings: Bindings;
  private readonly goldens: GoldenFrames[];
  private readonly from = new Map<string, string>();
  /** A refused binding: the output it was learned from (its comparison carries the divergence) and why. */
  private readonly refused = new Map<string, { learner: Packet; reason: string }>();
  private readonly spans = new WeakMap<Packet, BoundSpan[]>();
  readonly bound: BoundRecord[] = [];

  /** `goldens`: each capture golden with the frames its comparison uses (missing files left out). */
  constructor(model: BindingAware, goldens: ReadonlyArray<{ g: GoldenSpec; packets: readonly Packet[] }>) {
    this.bindings = new Bindings(model);
    this.goldens = goldens.map(({ g, packets }) => ({ g, packets, seen: 0 }));
  }

  /** The outputs of one injection, with every value bound so far (or by them) written in. */
  resolve(outputs: readonly Packet[]): Packet[] {
    const firstPass = outputs.map((raw) => {
      const { out, unbound } = this.bindings.apply(raw);
      const counterparts = this.goldens.filter((f) => !f.g.interface || f.g.interface === raw.meta.interfaceName).map((f) => ({ f, golden: f.packets[f.seen++] }));
      if (unbound.length) this.learn(unbound, out, raw, counterparts);
      return raw;
    });
    // Second pass over the raw outputs: one predicted before the frame that bound its value (the same
    // packet on an earlier device, an error quoting it) takes the value too.
    return firstPass.map((raw) => {
      const { out, applied } = this.bindings.apply(raw);
      if (applied.length) this.spans.set(out, applied.map((u) => this.span(u, raw)));
      return out;
    });
  }

  /** The bound values written into a packet `resolve` returned (none for the others). */
  spansOf(p: Packet): readonly BoundSpan[] | undefined {
    return this.spans.get(p);
  }

  private span(u: UnboundValue, raw: Packet): BoundSpan {
    const r = this.refused.get(u.id);
    const span: BoundSpan = { id: u.id, offset: u.offset, length: u.length, captured: this.from.get(u.id)! };
    if (r?.learner === raw) span.refused = r.reason;
    return span;
  }

  private learn(unbound: UnboundValue[], predicted: Packet, raw: Packet, counterparts: ReadonlyArray<{ f: GoldenFrames; golden: Packet | undefined }>): void {
    const key = flowKey(predicted);
    const c = counterparts.find((x) => x.golden && flowKey(x.golden) === key);
    if (!c) return; // not the same packet: the comparison reports the misalignment, nothing is bound
    const where = `${c.f.g.file}:${c.golden!.meta.frame ?? c.f.seen}`;
    for (const { id, refused } of this.bindings.learn(unbound, c.golden!)) {
      this.from.set(id, where);
      const record: BoundRecord = { id, value: [...this.bindings.values.get(id)!], captured: where };
      if (refused) {
        record.refused = refused;
        this.refused.set(id, { learner: raw, reason: refused });
      }
      this.bound.push(record);
    }
  }
}
