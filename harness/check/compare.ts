// Field-by-field comparison of a predicted frame with a captured one. Bytes the model does not know
// (Packet.known) are not compared; a checksum among them must still be valid in the capture (one the
// model states whole is compared like any field, valid or not). The
// first differing byte is named by its dissected field (`ip4.src`, `inner.udp.checksum`...).

import type { Packet } from '../wire/packet.js';
import { dissect, type Layer, type FieldValue } from '../dissect/dissect.js';
import { fieldSpan } from '../diff/field-offsets.js';
import { wireFrameLength } from '../io/frame-length.js';

/** A field the captured frame has other than predicted: the model's value and the captured one. */
export interface FieldDiff {
  field: string;
  model: FieldValue | undefined;
  captured: FieldValue | undefined;
}

function flatten(layers: Layer[], prefix: string, out: Map<string, FieldValue>): void {
  const seen = new Map<string, number>();
  for (const l of layers) {
    const n = seen.get(l.name) ?? 0;
    seen.set(l.name, n + 1);
    const base = `${prefix}${n ? 'inner.'.repeat(n) : ''}${l.name}`;
    for (const [k, v] of Object.entries(l.fields)) out.set(`${base}.${k}`, v);
    if (l.quoted) flatten(l.quoted, `${prefix}inner.`, out);
  }
}

export function fieldsOf(p: Packet): Map<string, FieldValue> {
  const m = new Map<string, FieldValue>();
  try {
    flatten(dissect(p), '', m);
  } catch {
    // an undissectable frame is compared by bytes only
  }
  return m;
}

const same = (a: FieldValue | undefined, b: FieldValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** undefined when the captured frame is what the model predicted. */
export function compareFrames(predicted: Packet, captured: Packet): FieldDiff | undefined {
  const e = predicted.data;
  const a = captured.data;
  // A frame its capture cut (tcpdump -s) is as long as it was sent; the bytes past the captured ones
  // are unknown, compared nowhere (diff/cut-fields.ts does the same for `diff`).
  const sent = wireFrameLength(captured);
  if (e.length !== sent) return { field: 'frame.length', model: e.length, captured: sent };
  // The capture with the model's known bytes laid over it: it differs from the capture exactly where
  // the model is wrong, so dissecting both names the wrong field.
  const merged = a.slice();
  let differs = false;
  for (let i = 0; i < a.length; i++) {
    if (predicted.known && !predicted.known.has(i)) continue;
    if (e[i] !== a[i]) differs = true;
    merged[i] = e[i];
  }
  // Dissected only when a field is named or a checksum vouched for: a frame equal to a fully
  // known prediction (most of a large check) needs neither.
  if (!differs && !predicted.known) return undefined;
  const got = fieldsOf(captured);
  if (differs) {
    const want = fieldsOf({ ...predicted, data: merged, known: undefined });
    // Name a cause before its consequence: a wrong address shows in the checksums too.
    const derived = (k: string) => /checksum/.test(k);
    for (const pass of [false, true]) {
      for (const [k, v] of want) if (derived(k) === pass && !k.endsWith('checksum_valid') && !k.endsWith('checksum_status') && !same(v, got.get(k))) return { field: k, model: v, captured: got.get(k) };
    }
    const first = e.findIndex((x, i) => i < a.length && (!predicted.known || predicted.known.has(i)) && x !== a[i]);
    return { field: `byte[${first}]`, model: e[first], captured: a[first] };
  }
  if (predicted.known) {
    const layers = dissectOrNone(captured);
    for (const [k, v] of got) if (k.endsWith('checksum_valid') && v === false && !modelKnowsField(predicted, layers, k.replace(/_valid$/, ''))) return { field: k, model: true, captured: false };
  }
  return undefined;
}

function dissectOrNone(p: Packet): Layer[] {
  try {
    return dissect(p);
  } catch {
    return [];
  }
}

/**
 * Did the model state every byte of this field (so they were compared above, and matched)? A
 * checksum the model computed itself may be invalid on purpose: Linux quotes a Record Route datagram
 * in an ICMP error with the header checksum it left stale when it filled the option at receive
 * (seen in the DVR lab's extra phase). Only a checksum over bytes the model does not know has to be
 * vouched for by its validity in the capture.
 */
function modelKnowsField(predicted: Packet, layers: Layer[], key: string): boolean {
  const span = fieldSpan(layers, key);
  return span !== undefined && predicted.known !== undefined && predicted.known.has(span[0], span[1]);
}
