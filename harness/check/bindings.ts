// Values a model cannot predict but the real dataplane chooses once and then keeps: the port Linux's
// get_unique_tuple picks at random when a NAT port is taken is the case in point. The model leaves
// those bytes unknown and names them; `check` binds each name to the value of the first capture that
// shows it, tells the model (so replies are un-NATed with the kernel's port), and from then on
// requires that value wherever the model predicts the name again.
//
// A binding is not a blank cheque: the model states what it does know about the value (`rule`), and a
// captured value that breaks it is refused - reported as a divergence naming the binding. A model that
// predicts a clash where the kernel had none (Linux keeps a free port and re-chooses only on a clash)
// so fails instead of learning the kept port as if it were a random choice.

import type { Packet } from '../wire/packet.js';

export interface UnboundValue {
  /** Stable name of the value (e.g. the namespace and the connection it belongs to). */
  id: string;
  /** Where the value sits in the predicted frame. */
  offset: number;
  length: number;
  /** What the model knows about the value it cannot name; a capture breaking it is refused. */
  rule?: ValueRule;
}

/** Constraints on an unbound 16-bit value (a port or ICMP id). */
export interface ValueRule {
  /** A value the dataplane cannot have chosen, and the sentence saying why when it did. */
  not?: { value: number; reason: string };
  /** The inclusive range the dataplane chooses from, and what that range is. */
  range?: { lo: number; hi: number; what: string };
}

/** A value learned from a capture; `refused`: the capture breaks the model's rule for it (why). */
export interface Learned {
  id: string;
  refused?: string;
}

/** Why `value` breaks `rule` (undefined when it does not). */
export function ruleBroken(rule: ValueRule | undefined, value: Uint8Array): string | undefined {
  if (!rule || value.length !== 2) return undefined;
  const v = (value[0] << 8) | value[1];
  if (rule.not && v === rule.not.value) return rule.not.reason;
  if (rule.range && (v < rule.range.lo || v > rule.range.hi)) return `the captured ${v} is outside ${rule.range.lo}-${rule.range.hi}, ${rule.range.what}`;
  return undefined;
}

/** Implemented by model instances that predict unbound values. */
export interface BindingAware {
  /** The unbound values in a frame the instance predicted (empty when there are none). */
  unboundValues(out: Packet): UnboundValue[];
  /** The captured value of `id`; the instance uses it from now on. */
  bind(id: string, value: Uint8Array): void;
}

export function isBindingAware(x: unknown): x is BindingAware {
  return typeof (x as Partial<BindingAware>).unboundValues === 'function' && typeof (x as Partial<BindingAware>).bind === 'function';
}

/** The bindings of one check run: first capture wins, later predictions are held to it. */
export class Bindings {
  readonly values = new Map<string, Uint8Array>();

  constructor(private readonly model: BindingAware | undefined) {}

  /**
   * The prediction with every already bound value written in and marked known (so the comparison
   * requires it); plus the values still unbound in it, and those written in (`applied`, so a
   * comparison can name the binding when the dataplane carries another value there).
   */
  apply(out: Packet): { out: Packet; unbound: UnboundValue[]; applied: UnboundValue[] } {
    const names = this.model?.unboundValues(out) ?? [];
    if (!names.length) return { out, unbound: [], applied: [] };
    let data: Uint8Array | undefined;
    let known = out.known;
    const unbound: UnboundValue[] = [];
    const applied: UnboundValue[] = [];
    for (const u of names) {
      const v = this.values.get(u.id);
      if (!v) {
        unbound.push(u);
        continue;
      }
      data ??= out.data.slice();
      known = known === out.known ? known?.clone() : known;
      data.set(v, u.offset);
      known?.mark(u.offset, u.length);
      applied.push(u);
    }
    return { out: data ? { ...out, data, known } : out, unbound, applied };
  }

  /**
   * Bind the values still unbound in a prediction to what the matching capture carries. A value that
   * breaks the model's rule is bound all the same (so the rest of the run is compared against what
   * the dataplane really did, one divergence instead of a cascade) but comes back `refused`: the
   * caller reports it as a divergence.
   */
  learn(unbound: UnboundValue[], captured: Packet): Learned[] {
    const learned: Learned[] = [];
    for (const u of unbound) {
      if (this.values.has(u.id) || u.offset + u.length > captured.data.length) continue;
      const v = captured.data.slice(u.offset, u.offset + u.length);
      this.values.set(u.id, v);
      this.model!.bind(u.id, v);
      const refused = ruleBroken(u.rule, v);
      learned.push(refused ? { id: u.id, refused } : { id: u.id });
    }
    return learned;
  }
}

/** A bound value as people read it: a 16-bit port or id as a number, anything else dotted bytes. */
export function boundValueText(value: ArrayLike<number>): string {
  return value.length === 2 ? String((value[0] << 8) | value[1]) : Array.from(value).join('.');
}
