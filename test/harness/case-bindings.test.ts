// suite/case-bindings.ts with a stand-in model: a value the model names (unknown bytes) is read from
// the golden frame the capture comparison pairs with the output - only when it is the same packet -
// told to the model, and written into every output naming it, earlier outputs of the same input too.
import { describe, it, expect } from 'vitest';
import { CaseBindings } from '../../harness/suite/case-bindings.js';
import type { BindingAware, UnboundValue } from '../../harness/check/bindings.js';
import type { GoldenSpec } from '../../harness/suite/case-spec.js';
import { KnownBytes } from '../../harness/wire/known.js';
import type { Packet } from '../../harness/wire/packet.js';

const SPORT = 14 + 20; // UDP source port in an Ethernet + IPv4 (IHL 5) frame

/** Ethernet + IPv4 + UDP sport -> 7777 with `payload`; `unknownPort`: the source port bytes unknown. */
function udp(iface: string, sport: number, payload: string, unknownPort = false): Packet {
  const body = new TextEncoder().encode(payload);
  const b = new Uint8Array(14 + 20 + 8 + body.length);
  b[12] = 0x08;
  b[14] = 0x45;
  b[14 + 2] = (20 + 8 + body.length) >> 8;
  b[14 + 3] = (20 + 8 + body.length) & 0xff;
  b[14 + 9] = 17;
  b[SPORT] = sport >> 8;
  b[SPORT + 1] = sport & 0xff;
  b[SPORT + 2] = 7777 >> 8;
  b[SPORT + 3] = 7777 & 0xff;
  b[SPORT + 4] = (8 + body.length) >> 8;
  b[SPORT + 5] = (8 + body.length) & 0xff;
  b.set(body, SPORT + 8);
  const known = new KnownBytes(b.length);
  known.mark(0, b.length);
  if (unknownPort) known.forget(SPORT, 2);
  return { data: b, known, meta: { linkType: 1, interfaceName: iface } };
}

/** Names the source port of every frame whose port bytes are unknown; records what it is told. */
class StandIn implements BindingAware {
  told: Array<[string, number]> = [];
  unboundValues(out: Packet): UnboundValue[] {
    return out.known && !out.known.has(SPORT, 2) ? [{ id: 'port of the clash', offset: SPORT, length: 2 }] : [];
  }
  bind(id: string, value: Uint8Array): void {
    this.told.push([id, (value[0] << 8) | value[1]]);
  }
}

const golden = (iface: string, file: string): GoldenSpec => ({ file, kind: 'capture', evidence: 'conformance', interface: iface });
const frames = (ps: Packet[]) => ps.map((p, i) => ({ ...p, meta: { ...p.meta, frame: i + 1 } }));

describe('CaseBindings', () => {
  it('binds from the paired golden frame, tells the model, writes the value into earlier outputs of the input too', () => {
    const model = new StandIn();
    const b = new CaseBindings(model, [
      { g: golden('in', 'in.pcap'), packets: frames([udp('in', 40030, 'first'), udp('in', 40030, 'second')]) },
      { g: golden('out', 'out.pcap'), packets: frames([udp('out', 40030, 'first'), udp('out', 16403, 'second')]) },
    ]);
    expect(b.resolve([udp('in', 40030, 'first'), udp('out', 40030, 'first')]).length).toBe(2);
    expect(model.told).toEqual([]);
    // the second input: the copy on `late` comes first in the outputs, before the frame that binds it
    const out = b.resolve([udp('late', 1, 'second', true), udp('in', 40030, 'second'), udp('out', 1, 'second', true)]);
    expect(model.told).toEqual([['port of the clash', 16403]]);
    expect(b.bound).toEqual([{ id: 'port of the clash', value: [0x40, 0x13], captured: 'out.pcap:2' }]);
    for (const p of [out[0], out[2]]) {
      expect(p.known!.has(SPORT, 2)).toBe(true);
      expect((p.data[SPORT] << 8) | p.data[SPORT + 1]).toBe(16403);
      expect(b.spansOf(p)).toEqual([{ id: 'port of the clash', offset: SPORT, length: 2, captured: 'out.pcap:2' }]);
    }
    expect(b.spansOf(out[1])).toBeUndefined();
  });

  it('binds nothing from a paired golden frame that is another packet (the comparison reports the misalignment)', () => {
    const model = new StandIn();
    const b = new CaseBindings(model, [{ g: golden('out', 'out.pcap'), packets: frames([udp('out', 16403, 'another packet')]) }]);
    const [p] = b.resolve([udp('out', 1, 'second', true)]);
    expect(model.told).toEqual([]);
    expect(b.bound).toEqual([]);
    expect(p.known!.has(SPORT, 2)).toBe(false);
  });

  it('binds once: the first golden frame wins, a later one is held to it (written in, not re-read)', () => {
    const model = new StandIn();
    const b = new CaseBindings(model, [{ g: golden('out', 'out.pcap'), packets: frames([udp('out', 16403, 'x'), udp('out', 999, 'x')]) }]);
    b.resolve([udp('out', 1, 'x', true)]);
    const [later] = b.resolve([udp('out', 1, 'x', true)]);
    expect(model.told).toEqual([['port of the clash', 16403]]);
    expect((later.data[SPORT] << 8) | later.data[SPORT + 1]).toBe(16403);
  });
});
